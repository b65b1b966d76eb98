"""The 72-hour clock of the data-breach register (AV-4, AVG art. 33): from discovery, the
Autoriteit Persoonsgegevens must be notified within 72 hours unless the breach is unlikely to
result in a risk; persons must be informed when the risk is high (art. 34). Recording a breach
or its assessment is `save`, audited in the same transaction."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from privacy import audit
from privacy.models import AuditAction, Datalek, RiskLevel

AP_DEADLINE = timedelta(hours=72)


def ap_deadline(breach):
    return breach.discovered_at + AP_DEADLINE


def needs_ap_notification(breach) -> bool:
    """Until assessed as "no risk", a breach counts as notifiable."""
    return breach.risk != RiskLevel.NONE and breach.ap_notified_at is None


def needs_persons_informed(breach) -> bool:
    return breach.risk == RiskLevel.HIGH and breach.persons_informed_at is None


def time_left(breach, now=None):
    """The time left on the AP clock (negative when overdue), or None when nothing is due."""
    if not needs_ap_notification(breach):
        return None
    return ap_deadline(breach) - (now or timezone.now())


def countdown(breach, now=None) -> str:
    left = time_left(breach, now)
    if left is None:
        if breach.ap_notified_at:
            late = breach.ap_notified_at > ap_deadline(breach)
            return "gemeld aan de AP" + (" (te laat)" if late else " (op tijd)")
        return "geen melding aan de AP nodig"
    hours = int(left.total_seconds() // 3600)
    minutes = int(left.total_seconds() % 3600 // 60)
    if left.total_seconds() < 0:
        over = -left
        return f"termijn verstreken: {int(over.total_seconds() // 3600)} uur te laat"
    return f"nog {hours} uur en {minutes} minuten om te melden aan de AP"


@transaction.atomic
def save(*, by, datalek: Datalek, request=None) -> Datalek:
    """A new breach (recorded by `by`) or a change to one, with its audit entry (AV-4)."""
    new = datalek.pk is None
    if new:
        datalek.recorded_by = by
    datalek.save()
    audit.record(
        AuditAction.CREATE if new else AuditAction.UPDATE,
        "privacy.datalek",
        [datalek.pk],
        subject=None,
        detail="datalek geregistreerd" if new else "datalek bijgewerkt",
        request=request,
    )
    return datalek
