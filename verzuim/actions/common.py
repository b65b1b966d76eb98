"""What every verzuim action shares: the audit entry of a change (SE-7: a ziekmelding is health
data, so every create, change and recovery of it, and of the employee's record, is logged)."""

from privacy import audit
from verzuim.models import Ziekmelding


def log_change(action, zm_or_wn, request, detail, *, by=None):
    """One audit row for a change of a Werknemer or a Ziekmelding, under the employee's
    pseudonym (SE-7)."""
    werknemer = zm_or_wn.werknemer if isinstance(zm_or_wn, Ziekmelding) else zm_or_wn
    audit.record(
        action,
        f"verzuim.{type(zm_or_wn).__name__.lower()}",
        [zm_or_wn.pk],
        subject=werknemer.pseudonym,
        detail=detail,
        request=request,
        actor=by,
    )
