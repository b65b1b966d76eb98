"""What every re-integration action shares: its audit row (SE-7) and the ZM-3 guard on the free
text the employer side reads (`guard`, the shared `privacy.medical_guard.guard_fields`)."""

from privacy import audit
from privacy.medical_guard import guard_fields as guard

__all__ = ["guard", "log"]


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
