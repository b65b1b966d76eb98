"""The narrow face of the medical module (DESIGN.md): the one way anything leaves it.

- `released_advice(case_id, request)`: the doctor's released advice for a case (MD-5) — work
  terms only — for the employer's case page and the employee's own page. Each read is audited.
- `is_medical_role(user)`: for navigation.

Nothing else outside medisch/ may import from this package (ruff TID251 bans the rest).
"""

from dataclasses import dataclass
from datetime import date

from privacy import audit
from privacy.models import AuditAction

from .models import Advies


@dataclass(frozen=True)
class ReleasedAdvice:
    date: date
    limitations: str
    capabilities: str
    expected_duration: str
    incapacity_percentage: int
    adjustments: str


def released_advice(case_id, *, subject, request=None) -> list[ReleasedAdvice]:
    rows = list(
        Advies.objects.filter(case_id=case_id, released_at__isnull=False).order_by("-date", "-pk")
    )
    if rows:
        audit.record(
            AuditAction.READ,
            "medisch.advies",
            [a.pk for a in rows],
            subject=subject,
            detail="advies aan werkgever ingezien",
            request=request,
        )
    return [
        ReleasedAdvice(
            date=a.date,
            limitations=a.limitations,
            capabilities=a.capabilities,
            expected_duration=a.get_expected_duration_display(),
            incapacity_percentage=a.incapacity_percentage,
            adjustments=a.adjustments,
        )
        for a in rows
    ]


def is_medical_role(user) -> bool:
    from .policies import may_enter

    return may_enter(user)
