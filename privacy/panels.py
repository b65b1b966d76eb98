"""The beheerder's dashboard panels: data-subject requests (AV-3) due within 7 days or
overdue, and data breaches (AV-4) whose AP notification or informing of persons is still open,
with their 72-hour clock."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.dashboard import WORKLIST_LIMIT, WorkGroup, WorkItem, worklist

from . import policies, queries
from .actions import datalek as datalek_actions
from .actions import verzoek as verzoek_actions
from .models import Datalek, RiskLevel, Verzoek


def requests_panel(request):
    if not policies.can_manage_requests(request.user):
        return None
    today = timezone.localdate()
    rows = [
        (
            v,
            verzoek_actions.due_date(v),
            verzoek_actions.countdown(v, today),
            verzoek_actions.is_overdue(v, today),
        )
        for v in queries.due_soon(Verzoek.objects.all(), today)
    ]
    return "privacy/_panel_requests.html", {"rows": rows, "days": queries.DUE_SOON_DAYS}


def breaches_panel(request):
    """AV-4: the breaches that still ask something of the operator — the AP notification within
    72 hours of discovery (unless assessed as no risk), and informing the persons when the risk
    is high (AVG art. 34) — soonest clock first, each linking to the breach's own page."""
    if not policies.can_manage_breaches(request.user):
        return None
    now = timezone.now()
    open_breaches = Datalek.objects.filter(
        (Q(ap_notified_at__isnull=True) & ~Q(risk=RiskLevel.NONE))
        | Q(risk=RiskLevel.HIGH, persons_informed_at__isnull=True)
    ).order_by("discovered_at", "pk")
    rows = list(open_breaches[:WORKLIST_LIMIT])
    items = []
    for b in rows:
        if datalek_actions.needs_ap_notification(b):
            due = datalek_actions.ap_deadline(b)
            note = datalek_actions.countdown(b, now)
        else:
            due, note = None, "betrokkenen nog informeren (hoog risico)"
        items.append(
            WorkItem(
                text=b.title,
                url=reverse("privacy:breach", args=[b.pk]),
                due=timezone.localtime(due) if due else None,
                overdue=bool(due and due < now),
                note=note,
            )
        )
    return "accounts/worklist_groups.html", worklist(
        "privacy-datalekken",
        "Datalekken die op actie wachten",
        [
            WorkGroup(
                "Melden aan de AP of betrokkenen informeren",
                items,
                open_breaches.count(),
                reverse("privacy:breaches"),
                "Naar het register van datalekken",
            )
        ],
        empty="Geen datalekken die op een melding of actie wachten.",
    )
