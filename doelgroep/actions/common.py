"""The checks and the audit row every doelgroep action shares (DG-6, SE-7, SE-9)."""

from django.db import transaction

from accounts.errors import require
from doelgroep import policies
from privacy import audit
from privacy.models import AuditAction


def require_gate(by) -> None:
    """DG-6 on every write: role and a current signature."""
    require(policies.can_access(by))


def require_own_organisation(by, organisation_id) -> None:
    """SE-9: only records of the user's own organisation."""
    require(organisation_id == by.organisation_id)


def log(action, obj, subject, detail, *, by, request=None) -> None:
    """The audit row of a write (SE-7), named after the object's model."""
    audit.record(
        action,
        f"doelgroep.{type(obj).__name__.lower()}",
        [obj.pk],
        subject=subject,
        detail=detail,
        request=request,
        actor=by,
    )


def record_for_werknemer(model, *, by, werknemer, values, detail, request=None):
    """The one `model` row of a werknemer, created or replaced with `values` and audited, in one
    transaction (the no-riskpolis, the VOG, the country of birth)."""
    with transaction.atomic():
        obj, _ = model.objects.update_or_create(
            werknemer=werknemer, defaults={**values, "recorded_by": by}
        )
        log(AuditAction.UPDATE, obj, werknemer.pseudonym, detail, by=by, request=request)
    return obj
