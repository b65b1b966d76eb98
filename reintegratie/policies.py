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

from accounts.policies import has_role, is_doctor_for
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


# --- Who someone is: the one place re-integration asks for a role ---------------------------------


def is_employee(user) -> bool:
    """The werknemer: only their own plans, trajectories, reports and machtigingen."""
    return has_role(user, Role.WERKNEMER)


def is_own_employee(user, werknemer) -> bool:
    """The werknemer whose record this is: they respond, read and decide for themselves."""
    return is_employee(user) and werknemer.user_id == user.pk


def is_doctor(user) -> bool:
    return has_role(user, Role.BEDRIJFSARTS)


def is_consultant(user) -> bool:
    """Staff of a re-integration company (which trajectories: trajectory_view, RI-8)."""
    return has_role(user, Role.CONSULTANT)


def keeps_dossiers(user) -> bool:
    """HR: the employer's side of the re-integratiedossier and its trajectories (per
    organisation: can_keep_dossier)."""
    return has_role(user, *DOSSIER_ROLES)


def draws_up_plans(user) -> bool:
    """Werkgever and HR (per organisation: can_edit_plan)."""
    return has_role(user, *PLAN_ROLES)


def may_commission(user) -> bool:
    """The roles that could ever pass can_commission: the API refuses every other role with 403
    before it reads the body (the action still decides per case)."""
    return has_role(user, *DOSSIER_ROLES, Role.BEDRIJFSARTS)


def _own_employer(user, organisation_id, roles) -> bool:
    return has_role(user, *roles) and user.organisation_id == organisation_id


# --- Plan van aanpak ------------------------------------------------------------------------------


def can_edit_plan(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, PLAN_ROLES)


def can_read_plan(user, organisation_id) -> bool:
    return can_edit_plan(user, organisation_id) or is_doctor_for(user, organisation_id)


def can_read_plan_versions(user, plan) -> bool:
    """RI-3: every version stays readable to the plan's readers and to the employee (whose own
    plans alone queries.plan_for gives them)."""
    return is_employee(user) or can_read_plan(user, plan.organisation_id)


def can_see_completeness(user, organisation_id) -> bool:
    """RI-12: the completeness page of a case's re-integratieverslag - the plan's readers
    (werkgever and HR of the organisation, the assigned bedrijfsarts); each sees only what they
    may (the doctor the medical part's presence as yes/no, nobody its content)."""
    return can_read_plan(user, organisation_id)


def sees_medical_presence(user, organisation_id) -> bool:
    """RI-4: only the assigned bedrijfsarts sees whether the medical part exists (yes/no)."""
    return is_doctor_for(user, organisation_id)


# --- Dossier, verslag, correspondence -------------------------------------------------------------


def can_keep_dossier(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, DOSSIER_ROLES)


# --- Trajectories ---------------------------------------------------------------------------------


def can_commission(user, organisation_id) -> bool:
    return _own_employer(user, organisation_id, DOSSIER_ROLES) or is_doctor_for(
        user, organisation_id
    )


def uses_trajectories(user) -> bool:
    return has_role(user, Role.HR, Role.BEDRIJFSARTS, Role.CONSULTANT)


def may_join_staff(user, trajectory) -> bool:
    """RI-8: a substitute or administrative employee comes from the handling company itself."""
    return (
        user is not None and is_consultant(user) and user.organisation_id == trajectory.provider_id
    )


def trajectory_view(user, trajectory) -> str | None:
    """Which view of this trajectory the user has (RI-8), or None."""
    if is_consultant(user):
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
    if _own_employer(user, trajectory.organisation_id, DOSSIER_ROLES):
        return EMPLOYER
    if is_doctor_for(user, trajectory.organisation_id):
        return DOCTOR
    if is_own_employee(user, trajectory.werknemer):
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


# --- Signing the employer documents (RI-12) -------------------------------------------------------


def signing_role(
    user, *, organisation_id, werknemer, employer_roles=PLAN_ROLES, employee_may=True
) -> str | None:
    """Who signs an employer document, and as what (RI-12): the employer side — werkgever and HR
    of the organisation for the plan and its evaluations, HR alone for the verslag — and the
    werknemer whose case it is (for the verslag once they have their copy). Nobody else: not
    the doctor, not a consultant, not a colleague of another organisation."""
    if _own_employer(user, organisation_id, employer_roles):
        return "werkgever"
    if employee_may and is_own_employee(user, werknemer):
        return "werknemer"
    return None


def may_sign_anything(user) -> bool:
    """The roles that could ever sign: the API refuses the others before anything else."""
    return has_role(user, *PLAN_ROLES, Role.WERKNEMER)
