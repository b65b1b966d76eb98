"""What the privacy registers show: the breach register with its clocks (AV-4), the register of
data-subject requests with their deadlines (AV-3), the recipients a person's data went to (AVG
art. 19) and the operators the deadline signals go to. Who may see them: privacy.policies."""

from datetime import date, timedelta

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .actions import datalek as datalek_actions
from .actions import verzoek as verzoek_actions
from .models import DataFlow, Datalek, Verzoek, VerzoekStatus

# The beheerder's panel and the daily signal: requests due within this many days, or overdue.
DUE_SOON_DAYS = 7
# Signal the operators when this much of a breach's 72-hour clock is left and the AP has not
# been notified.
SIGNAL_BEFORE = timedelta(hours=24)


def datalek(pk) -> Datalek:
    """One breach of the register, 404 when there is none (the gate has let the operator in)."""
    breach = Datalek.objects.filter(pk=pk).first()
    if breach is None:
        raise Http404
    return breach


def verzoek(pk) -> Verzoek:
    """One request of the register, 404 when there is none (the caller has asked its policy)."""
    found = Verzoek.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def breach_rows():
    """The breach register: each breach with its AP clock in words."""
    return [(b, datalek_actions.countdown(b)) for b in Datalek.objects.all()]


def request_rows(today: date):
    """The request register, newest first: (request, due date, days left or None when closed,
    countdown in words, overdue)."""
    return [
        (
            v,
            verzoek_actions.due_date(v),
            None if v.is_closed else verzoek_actions.days_left(v, today),
            verzoek_actions.countdown(v, today),
            verzoek_actions.is_overdue(v, today),
        )
        for v in Verzoek.objects.order_by("-received_on", "-pk")
    ]


def due_soon(queryset, today: date | None = None, days: int = DUE_SOON_DAYS) -> list[Verzoek]:
    """Open requests due within `days` days, or overdue; soonest first."""
    today = today or timezone.localdate()
    rows = [
        v
        for v in queryset.exclude(status__in=[VerzoekStatus.AFGEHANDELD, VerzoekStatus.GEWEIGERD])
        if verzoek_actions.days_left(v, today) <= days
    ]
    return sorted(rows, key=verzoek_actions.due_date)


def due_for_signal(queryset, now=None):
    """Breaches whose clock has less than SIGNAL_BEFORE left (or has run out), not yet
    notified and not yet signalled."""
    now = now or timezone.now()
    return [
        b
        for b in queryset.filter(ap_notified_at__isnull=True, signal_sent_at__isnull=True)
        if datalek_actions.needs_ap_notification(b)
        and datalek_actions.ap_deadline(b) - now <= SIGNAL_BEFORE
    ]


def known_recipients(subject_pseudonyms) -> list[tuple[str, str]]:
    """Distinct (recipient kind, recipient name) the DataFlow register names for the person."""
    rows = (
        DataFlow.objects.filter(subject__in=list(subject_pseudonyms))
        .values_list("recipient", "recipient_name")
        .distinct()
        .order_by("recipient", "recipient_name")
    )
    return list(rows)


def operator_emails() -> list[str]:
    """Where the deadline signals of both registers go: every active operator (beheerder)."""
    return list(
        User.objects.filter(role=Role.BEHEERDER, is_active=True).values_list("email", flat=True)
    )
