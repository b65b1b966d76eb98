"""The re-integration consultant's dashboard panel (RI-8, RI-10): the trajectories this
consultant is on, with their function on each — only once the employee has been informed, and
never a colleague's trajectories."""

from accounts.roles import Role

from .models import TrajectoryStaff

PANEL_LIMIT = 50


def consultant_panel(request):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.role == Role.CONSULTANT):
        return None
    rows = list(
        TrajectoryStaff.objects.filter(user=user, trajectory__employee_informed_at__isnull=False)
        .select_related("trajectory")
        .order_by("-trajectory__start_on", "-trajectory_id")[:PANEL_LIMIT]
    )
    return "reintegratie/_panel_consultant.html", {"rows": rows}
