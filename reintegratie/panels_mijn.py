"""The employee's re-integration panel on the dashboard: what waits for them — a plan version to
respond to (RI-3), notices of an aanmelding to read before the company gets anything (RI-10),
progress reports to read before the employer does (RI-5), machtigingen to decide (AV-2)."""

from django.db.models import F

from accounts.roles import Role
from verzuim.models import Werknemer

from . import queries
from .models import MachtigingStatus, ReportStatus, Voortgangsrapportage


def employee_panel(request):
    user = request.user
    if getattr(user, "role", None) != Role.WERKNEMER:
        return None
    if not Werknemer.objects.filter(user=user).exists():
        return None
    trajectories = queries.trajectories_visible_to(user)
    return "reintegratie/_panel_mijn.html", {
        "plans": queries.plans_visible_to(user)
        .exclude(employee_response_version=F("version"))
        .count(),
        "notices": trajectories.filter(employee_informed_at__isnull=True).count(),
        "reports": Voortgangsrapportage.objects.filter(
            trajectory__in=trajectories,
            status=ReportStatus.TER_INZAGE,
            employee_seen_at__isnull=True,
        ).count(),
        "machtigingen": queries.machtigingen_for_employee(user)
        .filter(status=MachtigingStatus.GEVRAAGD)
        .count(),
    }
