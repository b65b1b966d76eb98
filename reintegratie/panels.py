"""Re-integration's dashboard panels (registered in ReintegratieConfig.ready).

- The employee's panel: what waits for them — a plan version to respond to (RI-3), notices of an
  aanmelding to read before the company gets anything (RI-10), progress reports to read before
  the employer does (RI-5), machtigingen to decide (AV-2).
- The re-integration consultant's panel (RI-8, RI-10): the trajectories this consultant is on,
  with their function on each — only once the employee has been informed, and never a
  colleague's trajectories.
"""

from django.db.models import F

from verzuim.models import Werknemer

from . import policies, queries
from .models import MachtigingStatus, ReportStatus, TrajectoryStaff, Voortgangsrapportage

PANEL_LIMIT = 50


def employee_panel(request):
    user = request.user
    if not policies.is_employee(user):
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


def consultant_panel(request):
    user = request.user
    if not policies.is_consultant(user):
        return None
    rows = list(
        TrajectoryStaff.objects.filter(user=user, trajectory__employee_informed_at__isnull=False)
        .select_related("trajectory")
        .order_by("-trajectory__start_on", "-trajectory_id")[:PANEL_LIMIT]
    )
    return "reintegratie/_panel_consultant.html", {"rows": rows}
