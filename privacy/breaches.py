"""The 72-hour clock of the data-breach register (AV-4, AVG art. 33): from discovery, the
Autoriteit Persoonsgegevens must be notified within 72 hours unless the breach is unlikely to
result in a risk; persons must be informed when the risk is high (art. 34)."""

from datetime import timedelta

from django.utils import timezone

from .models import RiskLevel

AP_DEADLINE = timedelta(hours=72)
# Signal the operators when this much of the clock is left and the AP has not been notified.
SIGNAL_BEFORE = timedelta(hours=24)


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


def due_for_signal(queryset, now=None):
    """Breaches whose clock has less than SIGNAL_BEFORE left (or has run out), not yet
    notified and not yet signalled."""
    now = now or timezone.now()
    return [
        b
        for b in queryset.filter(ap_notified_at__isnull=True, signal_sent_at__isnull=True)
        if needs_ap_notification(b) and ap_deadline(b) - now <= SIGNAL_BEFORE
    ]
