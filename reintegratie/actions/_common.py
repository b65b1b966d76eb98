"""What every re-integration action shares: its audit row (SE-7) and the ZM-3 guard on the free
text the employer side reads."""

from django.core.exceptions import ValidationError

from privacy import audit
from privacy.medical_guard import validate_no_medical_terms


def log(action, obj, werknemer, detail, *, by, request=None):
    """The audit row of a write to `obj`, about `werknemer` (by pseudonym)."""
    audit.record(
        action,
        f"reintegratie.{type(obj).__name__.lower()}",
        [obj.pk],
        subject=werknemer.pseudonym,
        detail=detail,
        request=request,
        actor=by,
    )


def guard(data: dict, fields) -> None:
    """ZM-3 for every employer-readable free-text field, errors at the field."""
    errors = {}
    for name in fields:
        try:
            validate_no_medical_terms(data.get(name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
