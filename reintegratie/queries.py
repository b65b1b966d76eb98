"""What a user may see in re-integration (SE-9, RI-8). Every page and API view starts here;
missing and forbidden answer alike (404)."""

from django.db.models import Q
from django.http import Http404

from accounts.models import Assignment
from accounts.roles import Role
from verzuim import queries as verzuim_queries

from . import policies
from .models import Machtiging, PlanVanAanpak, Reintegratieverslag, Trajectory, Voortgangsrapportage


def _active(user):
    return user.is_authenticated and user.is_active


def _doctor_orgs(user):
    return Assignment.objects.filter(user=user).values("organisation_id")


def plans_visible_to(user):
    if not _active(user):
        return PlanVanAanpak.objects.none()
    if user.role in policies.PLAN_ROLES:
        return PlanVanAanpak.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.BEDRIJFSARTS:
        return PlanVanAanpak.objects.filter(organisation_id__in=_doctor_orgs(user))
    if user.role == Role.WERKNEMER:
        return PlanVanAanpak.objects.filter(werknemer__user=user)
    return PlanVanAanpak.objects.none()


def plan_for(user, pk) -> PlanVanAanpak:
    plan = plans_visible_to(user).select_related("werknemer", "organisation").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def case_for(user, pk):
    """The ziekmelding behind a re-integration page, scoped like verzuim (SE-9)."""
    return verzuim_queries.ziekmelding_for(user, pk)


def trajectories_visible_to(user):
    if not _active(user):
        return Trajectory.objects.none()
    if user.role == Role.HR:
        return Trajectory.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.BEDRIJFSARTS:
        return Trajectory.objects.filter(organisation_id__in=_doctor_orgs(user))
    if user.role == Role.CONSULTANT:
        # RI-8: only the trajectory's own staff, once the employee has been informed (RI-10);
        # RI-7: the staff of the company that subcontracted it.
        return Trajectory.objects.filter(
            Q(staff__user=user, employee_informed_at__isnull=False)
            | Q(
                parent__staff__user=user,
                parent__staff__function__in=(policies.CONSULTANT, policies.VERVANGER),
            )
        ).distinct()
    if user.role == Role.WERKNEMER:
        return Trajectory.objects.filter(werknemer__user=user)
    return Trajectory.objects.none()


def trajectory_for(user, pk) -> tuple[Trajectory, str]:
    trajectory = (
        trajectories_visible_to(user)
        .select_related("werknemer", "organisation", "provider", "parent")
        .filter(pk=pk)
        .first()
    )
    view = policies.trajectory_view(user, trajectory) if trajectory else None
    if view is None:
        raise Http404
    return trajectory, view


def reports_for_view(trajectory, view):
    """RI-5, RI-8: the progress reports this view may read."""
    rows = trajectory.reports.all()
    if policies.may(view, "all_reports"):
        return rows
    if policies.may(view, "released_reports"):
        return rows.filter(released_at__isnull=False)
    if policies.may(view, "own_reports"):
        return rows.exclude(status="concept")
    return rows.none()


def report_for(user, pk) -> tuple[Voortgangsrapportage, str]:
    report = Voortgangsrapportage.objects.select_related("trajectory").filter(pk=pk).first()
    if report is None:
        raise Http404
    _, view = trajectory_for(user, report.trajectory_id)
    if not reports_for_view(report.trajectory, view).filter(pk=report.pk).exists():
        raise Http404
    return report, view


def machtigingen_for_employee(user):
    if not (_active(user) and user.role == Role.WERKNEMER):
        return Machtiging.objects.none()
    return Machtiging.objects.filter(werknemer__user=user)


def verslagen_visible_to(user):
    if not _active(user):
        return Reintegratieverslag.objects.none()
    if user.role in policies.DOSSIER_ROLES:
        return Reintegratieverslag.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.WERKNEMER:
        # RI-4: the employee receives a copy once it is given.
        return Reintegratieverslag.objects.filter(
            werknemer__user=user, given_to_employee_at__isnull=False
        )
    return Reintegratieverslag.objects.none()
