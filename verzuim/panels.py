"""The verzuim panels on the dashboard (DESIGN.md, Pages): HR sees deadlines due in the next
14 days and overdue ones; the employee sees their own case and what waits for them (an
aanstellingskeuring to decide on, MD-7). HR's panel names whose cases they are, so it is
audited like the overview (SE-7): one row per case shown."""

from datetime import timedelta

from django.utils import timezone

from medisch import public as medisch_public  # MD-2: the one face of the medical module
from privacy import audit

from . import policies, queries
from .poortwachter import DUE_SOON_DAYS


def deadlines_panel(request):
    user = request.user
    if not policies.can_file_ziekmelding(user):
        return None
    today = timezone.localdate()
    rows = (
        queries.ziekmeldingen_visible_to(user)
        # The stored next deadline (verzuim.deadlines): also a closed case's report to UWV.
        .filter(next_deadline_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("werknemer")
        .order_by("next_deadline_on")[:50]
    )
    rows = list(rows)
    audit.record_reads(
        rows,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="dashboard: termijnen",
        request=request,
    )
    return "verzuim/_panel_deadlines.html", {
        "rows": rows,
        "today": today,
        "open_count": queries.ziekmeldingen_visible_to(user)
        .filter(recovered_on__isnull=True)
        .count(),
    }


def employee_panel(request):
    user = request.user
    if not policies.is_werknemer(user):
        return None
    case = queries.ziekmeldingen_visible_to(user).filter(recovered_on__isnull=True).first()
    # MD-7: a performed aanstellingskeuring waits for the candidate's decision (a count only).
    return "verzuim/_panel_werknemer.html", {
        "case": case,
        "keuringen": medisch_public.keuringen_awaiting_decision(user),
    }
