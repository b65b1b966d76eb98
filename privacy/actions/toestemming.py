"""AV-2: the consent records. Every flow that rests on consent (or, for voorkeursbeleid, on the
absence of an objection) calls `record` when the person decides and `withdraw` when they take it
back; both take effect at once in the flow itself, and this module keeps the proof."""

from django.utils import timezone

from privacy.models import Toestemming


def record(
    *,
    kind,
    subject,
    by,
    given,
    text_version,
    text,
    scope,
    obj,
    valid_from=None,
    valid_until=None,
) -> Toestemming:
    """A decision: given (True) or refused/objected (False). A new decision on the same object
    closes the previous one."""
    now = timezone.now()
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    Toestemming.objects.filter(
        object_type=object_type, object_id=object_id, kind=kind, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    return Toestemming.objects.create(
        kind=kind,
        subject=subject,
        given_by=by.pseudonym,
        given=given,
        text_version=text_version,
        text=text,
        scope=scope[:500],
        valid_from=valid_from,
        valid_until=valid_until,
        object_type=object_type,
        object_id=object_id,
    )


def withdraw(*, kind, obj) -> int:
    return Toestemming.objects.filter(
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        withdrawn_at__isnull=True,
    ).update(withdrawn_at=timezone.now())
