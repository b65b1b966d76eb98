"""Who may do what in re-integration (SE-2, RI-3..8). Pages, API and templates call these.

- Plan van aanpak (RI-3): werkgever and HR of the employee's organisation draw it up; the
  assigned bedrijfsarts reads it; the employee reads it and responds.
- Re-integratiedossier, -verslag, correspondence, trajectories (RI-4): HR of the organisation.
- Commissioning a trajectory (RI-10): HR, or the assigned bedrijfsarts.
- A trajectory is opened per case (RI-8), in one of these views:
    EMPLOYER  HR of the organisation, and (RI-7) the staff of a company that subcontracted it:
              generic category, status, released progress reports, invoices — never the
              concept reports, never the company's notes to the doctor.
    DOCTOR    the assigned bedrijfsarts: the employer view; the fuller report and detailed
              proposal reach the doctor in the medical dossier.
    CONSULTANT / VERVANGER  the handling consultant and their substitute: the whole trajectory.
    ADMINISTRATIEF  the administrative employee: what invoicing needs (category, client number,
              dates, invoices) — no reports, no shared data.
    WERKNEMER the employee themself: notices, reports put before them, machtigingen.
  Nobody else — not "everyone at the branch": a consultant of the same company who is not on
  the trajectory's staff sees nothing.
"""

from accounts.models import Assignment
from accounts.roles import Role

PLAN_ROLES = frozenset({Role.WERKGEVER, Role.HR})
DOSSIER_ROLES = frozenset({Role.HR})

EMPLOYER = "employer"
DOCTOR = "doctor"
CONSULTANT = "consultant"
VERVANGER = "vervanger"
ADMINISTRATIEF = "administratief"
WERKNEMER = "werknemer"

# The parts of a trajectory each view may open (RI-8).
PARTS = {
    EMPLOYER: frozenset({"summary", "released_reports", "invoices"}),
    DOCTOR: frozenset({"summary", "released_reports"}),
    CONSULTANT: frozenset(
        {"summary", "shared_data", "all_reports", "invoices", "machtigingen", "staff", "write"}
    ),
    VERVANGER: frozenset(
        {"summary", "shared_data", "all_reports", "invoices", "machtigingen", "write"}
    ),
    ADMINISTRATIEF: frozenset({"summary", "invoices", "client"}),
    WERKNEMER: frozenset({"summary", "own_reports", "machtigingen"}),
}


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def is_doctor_for(user, organisation_id) -> bool:
    return (
        _active(user)
        and user.role == Role.BEDRIJFSARTS
        and Assignment.objects.filter(user=user, organisation_id=organisation_id).exists()
    )


def _own_employer(user, organisation_id, roles) -> bool:
    return _active(user) and user.role in roles and user.organisation_id == organisation_id


# --- Plan van aanpak ------------------------------------------------------------------------------


def can_edit_plan(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, PLAN_ROLES)


def can_read_plan(user, organisation_id) -> bool:
    return can_edit_plan(user, organisation_id) or is_doctor_for(user, organisation_id)


def uses_plans(user) -> bool:
    """For navigation: the roles that work with plans at all."""
    return _active(user) and user.role in (PLAN_ROLES | {Role.BEDRIJFSARTS})


# --- Dossier, verslag, correspondence -------------------------------------------------------------


def can_keep_dossier(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, DOSSIER_ROLES)


# --- Trajectories ---------------------------------------------------------------------------------


def can_commission(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, DOSSIER_ROLES) or is_doctor_for(
        user, organisation_id
    )


def uses_trajectories(user) -> bool:
    return _active(user) and user.role in (Role.HR, Role.BEDRIJFSARTS, Role.CONSULTANT)


def trajectory_view(user, trajectory) -> str | None:
    """Which view of this trajectory the user has (RI-8), or None."""
    if not _active(user):
        return None
    if user.role == Role.CONSULTANT:
        if trajectory.employee_informed_at is not None:
            function = trajectory.staff.filter(user=user).values_list("function", flat=True).first()
            if function:
                return function
        # RI-7: the company that subcontracted this trajectory is informed like an employer.
        if (
            trajectory.parent_id
            and trajectory.parent.staff.filter(
                user=user, function__in=(CONSULTANT, VERVANGER)
            ).exists()
        ):
            return EMPLOYER
        return None
    if user.role == Role.HR and user.organisation_id == trajectory.organisation_id:
        return EMPLOYER
    if is_doctor_for(user, trajectory.organisation_id):
        return DOCTOR
    if user.role == Role.WERKNEMER and trajectory.werknemer.user_id == user.pk:
        return WERKNEMER
    return None


def may(view: str | None, part: str) -> bool:
    return view is not None and part in PARTS.get(view, ())


def can_report(view) -> bool:
    return may(view, "write")


def can_invoice(view) -> bool:
    return view in (CONSULTANT, VERVANGER, ADMINISTRATIEF)


def can_assign_staff(view) -> bool:
    return may(view, "staff")
