"""SE-2 matrix rows of re-integratie (RI-3..10): plan van aanpak, dossier and verslag,
trajectories, reports, invoices, machtigingen, the employee's own pages and the
re-integration API; and the World's re-integration objects (reintegratie_world)."""

from datetime import date, timedelta

import pytest

from accounts.roles import OrganisationKind, Role
from tests.factories import OrganisationFactory
from tests.security.matrix._base import (
    API,
    FILERS_FORM_ERROR,
    FILERS_OK,
    FORBIDDEN,
    FORM_ERROR,
    INVALID,
    METHOD,
    NOTFOUND,
    OK,
    PAGE,
    POSTED,
    PUBLIC,
    Check,
    matrix_tests,
    medisch_count,
    row,
)
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db

# --- Re-integratie (RI-3..10) ---------------------------------------------------------------------
# Outcomes for the pages that write as the re-integration company: the handling consultant in,
# the other views of the trajectory (HR: employer, the doctor) refused, everyone else 404.
COMPANY_WRITES = {"hr": FORBIDDEN, "bedrijfsarts": FORBIDDEN}
TRAJECTORY_READERS = dict.fromkeys(("hr", "bedrijfsarts", "re-integratieconsultant"), OK)
OWN_TRAJECTORY_PAGE = "redirect:/reintegratie/trajecten/{own_trajectory}/"
MINE_TRAJECTORY_PAGE = "redirect:/reintegratie/trajecten/{mine_trajectory}/"
RI_PLAN_PAGE = "redirect:/reintegratie/meldingen/{own_case}/plan/"
RI_MIJN = "redirect:/reintegratie/mijn/"
# RI-12: a signature without a fresh proof goes to the proof first (accounts/reauth.py).
SIGN_PROOF = (
    "redirect:/account/bevestigen/?next=%2Freintegratie%2F{path}%2Fondertekenen%2F"
    "&doel=ondertekenen"
)


def consultant(outcome):
    """The consultant actor's exception for row() (its role value has a hyphen)."""
    return {"re_integratieconsultant": outcome}


def ri_state(world, user):
    """Everything a re-integration request could change, for "nothing changed" probes."""
    from privacy.models import DataFlow
    from reintegratie.models import (
        Activiteit,
        Correspondentie,
        Evaluatie,
        Factuur,
        Machtiging,
        Ondertekening,
        PlanVanAanpak,
        Reintegratieverslag,
        Trajectory,
        TrajectoryStaff,
        Verslagbundel,
        Voortgangsrapportage,
    )

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        rows(PlanVanAanpak, "version", "employee_response", "employee_response_version"),
        rows(Activiteit, "done_on"),
        rows(Evaluatie),
        rows(Correspondentie),
        rows(Reintegratieverslag, "given_to_employee_at"),
        rows(Trajectory, "employee_informed_at", "status"),
        rows(TrajectoryStaff, "user_id", "function"),
        rows(Voortgangsrapportage, "status", "employee_seen_at", "released_at"),
        rows(Factuur),
        rows(Machtiging, "status"),
        rows(Ondertekening),
        rows(Verslagbundel, "received_at"),
        DataFlow.objects.count(),
        medisch_count("medisch_trajectnotitie"),
    )


def plan_agree(world, user):
    from reintegratie.models import PlanVanAanpak

    version = PlanVanAanpak.objects.get(pk=world.mine_plan.pk).version
    return {"version": version, "response": "akkoord", "remark": ""}


def api_plan_agree(world, user):
    return {"version": plan_agree(world, user)["version"], "agree": True}


def give_consent(world, user):
    return {"decision": "geven"}


def reintegratie_world(world, candidate, filer_a, filer_b, case_data, doctor_a):
    """RI-3..10 objects for the matrix (see World)."""
    from reintegratie.actions import dossier as dossier_actions
    from reintegratie.actions import machtigingen as machtiging_actions
    from reintegratie.actions import plan as plan_actions
    from reintegratie.actions import rapportages as rapportage_actions
    from reintegratie.actions import trajecten as traject_actions
    from reintegratie.models import Verslagbundel

    world.provider = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
    consultant = world._add_actor(Role.CONSULTANT)
    world.rival = world.make_user(Role.CONSULTANT, organisation=world.provider, device=False)
    plan = {
        "version": 0,
        "drawn_up_on": date.today(),
        "casemanager": "Casemanager Test",
        "spoor": "eigen_werk",
        "goals": "Terug naar het eigen werk.",
        "advies_ref": None,
    }
    traject = {"category": "coaching", "data_items": ["personalia"], "start_on": date.today()}
    report = {
        "period_end": date.today(),
        "attendance": "aanwezig",
        "cooperating": True,
        "cooperation_explanation": "",
        "progress": "Loopt.",
        "next_steps": "Verder.",
    }
    machtiging = {
        "party": "Huisarts (synthetisch)",
        "data_description": "Verslag van de behandeling",
        "purpose": "Het traject afstemmen",
        "valid_from": date.today(),
        "valid_until": date.today() + timedelta(days=30),
    }
    sides = (
        ("own", filer_a, world.own_case, consultant),
        ("foreign", filer_b, world.foreign_case, world.rival),
    )
    for side, filer, sick, handler in sides:
        setattr(world, f"{side}_plan", plan_actions.save_plan(by=filer, ziekmelding=sick, **plan))
        trajectory = traject_actions.commission_trajectory(
            by=filer, ziekmelding=sick, provider=world.provider, consultant=handler, **traject
        )
        traject_actions.record_employee_informed(by=filer, trajectory=trajectory)
        trajectory.refresh_from_db()
        setattr(world, f"{side}_trajectory", trajectory)
        rep = rapportage_actions.file_report(by=handler, trajectory=trajectory, **report)
        rapportage_actions.share_report(by=handler, report=rep)
        setattr(world, f"{side}_report", rep)
        setattr(
            world,
            f"{side}_invoice",
            traject_actions.create_invoice(
                by=handler, trajectory=trajectory, date=date.today(), amount=100
            ),
        )
        setattr(
            world,
            f"{side}_machtiging",
            machtiging_actions.request_machtiging(by=handler, trajectory=trajectory, **machtiging),
        )
        setattr(
            world,
            f"{side}_ri_verslag",
            dossier_actions.generate_verslag(by=filer, ziekmelding=sick),
        )
    world.own_concept = rapportage_actions.file_report(
        by=consultant, trajectory=world.own_trajectory, **report
    )
    for side, filer in (("own", filer_a), ("foreign", filer_b)):
        setattr(
            world,
            f"{side}_activity",
            plan_actions.add_activity(
                by=filer,
                plan=getattr(world, f"{side}_plan"),
                description="Gesprek",
                owner="samen",
                due_on=date.today(),
            ),
        )
    mine = Werknemer.objects.get(user=candidate)
    world.mine_case = create_ziekmelding(
        by=filer_a, werknemer=mine, first_day=date.today() - timedelta(days=20), **case_data
    )
    world.mine_plan = plan_actions.save_plan(by=filer_a, ziekmelding=world.mine_case, **plan)
    world.mine_trajectory = traject_actions.commission_trajectory(
        by=filer_a,
        ziekmelding=world.mine_case,
        provider=world.provider,
        consultant=consultant,
        **traject,
    )
    traject_actions.acknowledge_trajectory(by=candidate, trajectory=world.mine_trajectory)
    world.mine_report = rapportage_actions.file_report(
        by=consultant, trajectory=world.mine_trajectory, **report
    )
    rapportage_actions.share_report(by=consultant, report=world.mine_report)
    world.mine_machtiging = machtiging_actions.request_machtiging(
        by=consultant, trajectory=world.mine_trajectory, **machtiging
    )
    world.mine_ri_verslag = dossier_actions.generate_verslag(
        by=filer_a, ziekmelding=world.mine_case
    )
    dossier_actions.give_verslag(by=filer_a, verslag=world.mine_ri_verslag)
    for side, filer, sick in (
        ("own", filer_a, world.own_case),
        ("foreign", filer_b, world.foreign_case),
        ("mine", filer_a, world.mine_case),
    ):
        setattr(
            world,
            f"{side}_evaluatie",
            plan_actions.record_evaluatie(
                by=filer,
                plan=getattr(world, f"{side}_plan"),
                ziekmelding=sick,
                kind="periodiek",
                date=date.today(),
                outcome="Loopt volgens plan.",
            ),
        )
    # RI-12: a stored bundle per case (made directly: a complete case is the bundle tests' work).
    for side, sick in (
        ("own", world.own_case),
        ("foreign", world.foreign_case),
        ("mine", world.mine_case),
    ):
        stored = Verslagbundel(
            case_id=sick.case_id,
            werknemer=sick.werknemer,
            organisation_id=sick.organisation_id,
            parts=[],
            fingerprint="0" * 64,
            sha256="0" * 64,
            size=9,
            pages=1,
        )
        stored.set_pdf(b"%PDF-1.4\n")
        stored.save()
        setattr(world, f"{side}_bundel", stored)
    world.pending_trajectory = traject_actions.commission_trajectory(
        by=filer_a,
        ziekmelding=world.mine_case,
        provider=world.provider,
        consultant=consultant,
        category="fysiek",
        data_items=["verzuim"],
        start_on=date.today(),
    )


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Re-integratie (RI-3..10): the plan van aanpak is werkgever's and HR's, read by the
    # assigned doctor (RI-3); the dossier and verslag are HR's (RI-4); a trajectory opens per case
    # and per view (RI-8): HR (employer), the assigned doctor, the handling consultant, the
    # employee; a consultant of the same company who is not on it — and anyone before the employee
    # has been told (RI-10) — gets 404. Foreign objects (employer B's) are 404 for all (SE-9).
    "reintegratie:plan": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=OK, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-3 SE-9",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-3 SE-9"),
        # The employee reads and answers the plan on their own page, not the employer's.
        Check(
            row(
                PAGE,
                NOTFOUND,
                **FILERS_OK,
                bedrijfsarts=OK,
                casemanager=FORBIDDEN,
                werknemer=FORBIDDEN,
            ),
            label="mine",
            target="mine_case",
            rules="RI-3",
        ),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **FILERS_FORM_ERROR,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=ri_state,
            rules="RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_case",
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie:activity_create": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN),
            label="own",
            target="own_plan",
            rules="RI-3",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_plan", rules="RI-3 SE-9"),
        Check(
            row(POSTED, NOTFOUND, **FILERS_FORM_ERROR, bedrijfsarts=FORBIDDEN),
            method="POST",
            label="POST-own-empty",
            target="own_plan",
            state=ri_state,
            rules="RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_plan",
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie:activity_done": (
        Check(row(PAGE, METHOD), target="own_activity", rules="RI-3"),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever"), RI_PLAN_PAGE),
                bedrijfsarts=FORBIDDEN,
            ),
            method="POST",
            label="POST-own",
            target="own_activity",
            state=ri_state,
            may_change=frozenset({"hr", "werkgever"}),
            rules="RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_activity",
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie:evaluatie_create": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN),
            label="own",
            target="own_plan",
            rules="RI-1 RI-3",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_plan", rules="RI-3 SE-9"),
        Check(
            row(POSTED, NOTFOUND, **FILERS_FORM_ERROR, bedrijfsarts=FORBIDDEN),
            method="POST",
            label="POST-own-empty",
            target="own_plan",
            state=ri_state,
            rules="RI-1 RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_plan",
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie:plan_version": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=OK),
            label="own",
            target="own_plan",
            rules="RI-3",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_plan", rules="RI-3 SE-9"),
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=OK, werknemer=OK),
            label="mine",
            target="mine_plan",
            rules="RI-3",
        ),
    ),
    "reintegratie:dossier": (
        Check(
            row(
                PAGE,
                NOTFOUND,
                hr=OK,
                werkgever=FORBIDDEN,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            label="own",
            target="own_case",
            rules="RI-4 SE-9",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-4 SE-9"),
    ),
    "reintegratie:correspondentie_create": (
        Check(
            row(
                PAGE,
                NOTFOUND,
                hr=OK,
                werkgever=FORBIDDEN,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            label="own",
            target="own_case",
            rules="RI-4",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-4 SE-9"),
        Check(
            row(
                POSTED,
                NOTFOUND,
                hr=FORM_ERROR,
                werkgever=FORBIDDEN,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=ri_state,
            rules="RI-4",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_case",
            state=ri_state,
            rules="RI-4 SE-9",
        ),
    ),
    "reintegratie:verslag_create": (
        Check(row(PAGE, METHOD), target="own_case", rules="RI-4"),
        Check(
            row(
                POSTED,
                NOTFOUND,
                hr="redirect:NEW_RI_VERSLAG",
                werkgever=FORBIDDEN,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own",
            target="own_case",
            state=ri_state,
            may_change=frozenset({"hr"}),
            rules="RI-4",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            state=ri_state,
            rules="RI-4 SE-9",
        ),
    ),
    "reintegratie:verslag": (
        Check(row(PAGE, NOTFOUND, hr=OK), label="own", target="own_ri_verslag", rules="RI-4"),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_ri_verslag", rules="RI-4 SE-9"),
        # The employee's copy, once given.
        Check(
            row(PAGE, NOTFOUND, hr=OK, werknemer=OK),
            label="mine",
            target="mine_ri_verslag",
            rules="RI-4",
        ),
    ),
    "reintegratie:verslag_give": (
        Check(row(PAGE, METHOD), target="own_ri_verslag", rules="RI-4"),
        Check(
            row(POSTED, NOTFOUND, hr="redirect:/reintegratie/verslagen/{own_ri_verslag}/"),
            method="POST",
            label="POST-own",
            target="own_ri_verslag",
            state=ri_state,
            may_change=frozenset({"hr"}),
            rules="RI-4",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_ri_verslag",
            state=ri_state,
            rules="RI-4 SE-9",
        ),
    ),
    "reintegratie:trajectories": (
        Check(row(PAGE, FORBIDDEN, **TRAJECTORY_READERS), rules="RI-8 SE-9"),
    ),
    "reintegratie:trajectory_create": (
        Check(
            row(
                PAGE,
                NOTFOUND,
                hr=OK,
                bedrijfsarts=OK,
                werkgever=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            label="own",
            target="own_case",
            rules="RI-10",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-10 SE-9"),
        Check(
            row(
                POSTED,
                NOTFOUND,
                hr=FORM_ERROR,
                bedrijfsarts=FORM_ERROR,
                werkgever=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=ri_state,
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_case",
            state=ri_state,
            rules="RI-10 SE-9",
        ),
    ),
    "reintegratie:trajectory": (
        Check(
            row(PAGE, NOTFOUND, **TRAJECTORY_READERS),
            label="own",
            target="own_trajectory",
            rules="RI-8",
        ),
        # Same company, handled by a colleague of the consultant: not theirs to open.
        Check(
            row(PAGE, NOTFOUND),
            label="foreign",
            target="foreign_trajectory",
            rules="RI-8 SE-9",
        ),
        Check(
            row(PAGE, NOTFOUND, **TRAJECTORY_READERS, werknemer=OK),
            label="mine",
            target="mine_trajectory",
            rules="RI-8",
        ),
        # The employee has not yet read what goes to whom: the company sees nothing.
        Check(
            row(PAGE, NOTFOUND, hr=OK, bedrijfsarts=OK, werknemer=OK),
            label="pending",
            target="pending_trajectory",
            rules="RI-10",
        ),
    ),
    "reintegratie:subcontract_create": (
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, **consultant(OK)),
            label="own",
            target="own_trajectory",
            rules="RI-7 RI-8",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-7 RI-8"),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-7",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-7 RI-8",
        ),
    ),
    "reintegratie:staff_assign": (
        Check(row(PAGE, METHOD), target="own_trajectory", rules="RI-8"),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-8",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie:trajectory_informed": (
        Check(row(PAGE, METHOD), target="pending_trajectory", rules="RI-10"),
        # An employee with a login reads the notice themself: HR cannot record it for them.
        Check(
            row(
                POSTED,
                NOTFOUND,
                hr="redirect:/reintegratie/trajecten/{pending_trajectory}/",
                bedrijfsarts=FORBIDDEN,
                werknemer=FORBIDDEN,
            ),
            method="POST",
            label="POST-pending",
            target="pending_trajectory",
            state=ri_state,
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-10 SE-9",
        ),
    ),
    "reintegratie:report_create": (
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, **consultant(OK)),
            label="own",
            target="own_trajectory",
            rules="RI-5 RI-8",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-8 SE-9"),
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, werknemer=FORBIDDEN),
            label="pending",
            target="pending_trajectory",
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-5",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie:report_share": (
        Check(row(PAGE, METHOD), target="own_concept", rules="RI-5"),
        # A concept: put before the employee by the company only; the employer never sees it.
        Check(
            row(POSTED, NOTFOUND, **consultant(OWN_TRAJECTORY_PAGE)),
            method="POST",
            label="POST-concept",
            target="own_concept",
            state=ri_state,
            may_change=frozenset({"re-integratieconsultant"}),
            rules="RI-5 RI-8",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie:report_release": (
        Check(row(PAGE, METHOD), target="own_report", rules="RI-5"),
        # Not yet read by the employee: not released (the page says why).
        Check(
            row(POSTED, NOTFOUND, **consultant(OWN_TRAJECTORY_PAGE)),
            method="POST",
            label="POST-own-unseen",
            target="own_report",
            state=ri_state,
            rules="RI-5",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie:doctor_note_create": (
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, **consultant(OK)),
            label="own",
            target="own_trajectory",
            rules="RI-5 RI-6",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-8 SE-9"),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-5 RI-6",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie:invoice_create": (
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, **consultant(OK)),
            label="own",
            target="own_trajectory",
            rules="RI-6 RI-8",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-8 SE-9"),
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, werknemer=FORBIDDEN),
            label="pending",
            target="pending_trajectory",
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-6",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    # RI-6: HR (the client) and the company see the invoice; the doctor has no invoices.
    "reintegratie:invoice": (
        Check(
            row(PAGE, NOTFOUND, hr=OK, **consultant(OK)),
            label="own",
            target="own_invoice",
            rules="RI-6 RI-8",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_invoice", rules="RI-8 SE-9"),
    ),
    "reintegratie:machtiging_create": (
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, **consultant(OK)),
            label="own",
            target="own_trajectory",
            rules="RI-9",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-8 SE-9"),
        Check(
            row(PAGE, NOTFOUND, **COMPANY_WRITES, werknemer=FORBIDDEN),
            label="pending",
            target="pending_trajectory",
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND, **COMPANY_WRITES, **consultant(FORM_ERROR)),
            method="POST",
            label="POST-own-empty",
            target="own_trajectory",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    # RI-9: only the company, only while the machtiging is in force (these are undecided).
    "reintegratie:machtiging_use": (
        Check(row(PAGE, METHOD), target="own_machtiging", rules="RI-9"),
        Check(
            row(POSTED, NOTFOUND, **consultant(OWN_TRAJECTORY_PAGE)),
            method="POST",
            label="POST-own-undecided",
            target="own_machtiging",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND, werknemer=FORBIDDEN, **consultant(MINE_TRAJECTORY_PAGE)),
            method="POST",
            label="POST-mine-undecided",
            target="mine_machtiging",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_machtiging",
            state=ri_state,
            rules="RI-8 RI-9 SE-9",
        ),
    ),
    # The employee's own page and its forms: only the werknemer, only their own objects.
    "reintegratie:mijn": (Check(row(PAGE, NOTFOUND, werknemer=OK), rules="RI-3 RI-5 RI-10"),),
    "reintegratie:mijn_plan_response": (
        Check(row(PAGE, METHOD), target="mine_plan", rules="RI-3"),
        Check(
            row(POSTED, NOTFOUND, werknemer=FORM_ERROR),
            method="POST",
            label="POST-mine-empty",
            target="mine_plan",
            state=ri_state,
            rules="RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#plan-{mine_plan}"),
            method="POST",
            label="POST-mine-agree",
            target="mine_plan",
            data=plan_agree,
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-3",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-own-agree",
            target="own_plan",
            data=plan_agree,
            state=ri_state,
            rules="RI-3 SE-9",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-agree",
            target="foreign_plan",
            data=plan_agree,
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie:mijn_trajectory_ack": (
        Check(row(PAGE, METHOD), target="pending_trajectory", rules="RI-10"),
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#traject-{pending_trajectory}"),
            method="POST",
            label="POST-pending",
            target="pending_trajectory",
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-10",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_trajectory",
            state=ri_state,
            rules="RI-10 SE-9",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_trajectory",
            state=ri_state,
            rules="RI-10 SE-9",
        ),
    ),
    "reintegratie:mijn_report_seen": (
        Check(row(PAGE, METHOD), target="mine_report", rules="RI-5"),
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#rapport-{mine_report}"),
            method="POST",
            label="POST-mine",
            target="mine_report",
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-5",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_report",
            state=ri_state,
            rules="RI-5 SE-9",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-5 SE-9",
        ),
    ),
    "reintegratie:mijn_machtiging_decide": (
        Check(row(PAGE, METHOD), target="mine_machtiging", rules="RI-9 AV-2"),
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#machtiging-{mine_machtiging}"),
            method="POST",
            label="POST-mine-empty",
            target="mine_machtiging",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#machtiging-{mine_machtiging}"),
            method="POST",
            label="POST-mine-give",
            target="mine_machtiging",
            data=give_consent,
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-9 AV-2",
        ),
        # Nobody decides for the employee (own_werknemer has no login).
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-own-give",
            target="own_machtiging",
            data=give_consent,
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-give",
            target="foreign_machtiging",
            data=give_consent,
            state=ri_state,
            rules="RI-9 AV-2 SE-9",
        ),
    ),
    "reintegratie:mijn_machtiging_revoke": (
        Check(row(PAGE, METHOD), target="mine_machtiging", rules="RI-9 AV-2"),
        # Undecided: nothing to withdraw, nothing changes.
        Check(
            row(POSTED, NOTFOUND, werknemer=RI_MIJN + "#machtiging-{mine_machtiging}"),
            method="POST",
            label="POST-mine",
            target="mine_machtiging",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_machtiging",
            state=ri_state,
            rules="RI-9 AV-2",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_machtiging",
            state=ri_state,
            rules="RI-9 AV-2 SE-9",
        ),
    ),
    # The re-integration API: the same policies and scoping as the pages.
    "reintegratie-api:plan-list": (
        Check(row(API, OK), rules="RI-3 SE-9"),
        Check(
            row(API, FORBIDDEN, hr=INVALID, werkgever=INVALID),
            method="POST",
            label="POST-empty",
            state=ri_state,
            rules="RI-3",
        ),
    ),
    "reintegratie-api:plan-detail": (
        Check(
            row(API, NOTFOUND, **FILERS_OK, bedrijfsarts=OK),
            label="own",
            target="own_plan",
            rules="RI-3 SE-9",
        ),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_plan", rules="RI-3 SE-9"),
        Check(
            row(API, NOTFOUND, **FILERS_OK, bedrijfsarts=OK, werknemer=OK),
            label="mine",
            target="mine_plan",
            rules="RI-3",
        ),
        Check(
            row(API, NOTFOUND, hr=INVALID, werkgever=INVALID, bedrijfsarts=FORBIDDEN),
            method="PATCH",
            label="PATCH-own-empty",
            target="own_plan",
            state=ri_state,
            rules="RI-3",
        ),
        Check(
            row(API, NOTFOUND),
            method="PATCH",
            label="PATCH-foreign-empty",
            target="foreign_plan",
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie-api:plan-respond": (
        Check(row(API, METHOD), target="mine_plan", rules="RI-3"),
        Check(
            row(
                API,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever", "bedrijfsarts"), FORBIDDEN),
                werknemer=INVALID,
            ),
            method="POST",
            label="POST-mine-empty",
            target="mine_plan",
            state=ri_state,
            rules="RI-3",
        ),
        Check(
            row(
                API,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever", "bedrijfsarts"), FORBIDDEN),
                werknemer=OK,
            ),
            method="POST",
            label="POST-mine-agree",
            target="mine_plan",
            data=api_plan_agree,
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-3",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign-agree",
            target="foreign_plan",
            data=api_plan_agree,
            state=ri_state,
            rules="RI-3 SE-9",
        ),
    ),
    "reintegratie-api:trajectory-list": (
        Check(row(API, OK), rules="RI-8 SE-9"),
        Check(
            row(API, FORBIDDEN, hr=INVALID, bedrijfsarts=INVALID),
            method="POST",
            label="POST-empty",
            state=ri_state,
            rules="RI-10",
        ),
    ),
    "reintegratie-api:trajectory-detail": (
        Check(
            row(API, NOTFOUND, **TRAJECTORY_READERS),
            label="own",
            target="own_trajectory",
            rules="RI-8",
        ),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_trajectory", rules="RI-8 SE-9"),
        Check(
            row(API, NOTFOUND, **TRAJECTORY_READERS, werknemer=OK),
            label="mine",
            target="mine_trajectory",
            rules="RI-8",
        ),
        Check(
            row(API, NOTFOUND, hr=OK, bedrijfsarts=OK, werknemer=OK),
            label="pending",
            target="pending_trajectory",
            rules="RI-10",
        ),
    ),
    "reintegratie-api:report-list": (
        Check(row(API, OK), rules="RI-5 SE-9"),
        Check(
            row(API, FORBIDDEN, **consultant(INVALID)),
            method="POST",
            label="POST-empty",
            state=ri_state,
            rules="RI-5",
        ),
    ),
    # RI-5: unreleased reports reach neither the employer nor the doctor.
    "reintegratie-api:report-detail": (
        Check(row(API, NOTFOUND, **consultant(OK)), label="own", target="own_report", rules="RI-5"),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_report", rules="RI-8 SE-9"),
        Check(
            row(API, NOTFOUND, werknemer=OK, **consultant(OK)),
            label="mine",
            target="mine_report",
            rules="RI-5",
        ),
        Check(
            row(API, NOTFOUND, **consultant(OK)),
            label="concept",
            target="own_concept",
            rules="RI-5",
        ),
    ),
    "reintegratie-api:report-share": (
        Check(row(API, METHOD), target="own_concept", rules="RI-5"),
        Check(
            row(API, NOTFOUND, **consultant(OK)),
            method="POST",
            label="POST-concept",
            target="own_concept",
            state=ri_state,
            may_change=frozenset({"re-integratieconsultant"}),
            rules="RI-5",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie-api:report-release": (
        Check(row(API, METHOD), target="own_report", rules="RI-5"),
        Check(
            row(API, NOTFOUND, **consultant(INVALID)),
            method="POST",
            label="POST-own-unseen",
            target="own_report",
            state=ri_state,
            rules="RI-5",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    "reintegratie-api:report-seen": (
        Check(row(API, METHOD), target="mine_report", rules="RI-5"),
        Check(
            row(API, NOTFOUND, werknemer=OK, **consultant(FORBIDDEN)),
            method="POST",
            label="POST-mine",
            target="mine_report",
            state=ri_state,
            may_change=frozenset({"werknemer"}),
            rules="RI-5",
        ),
        Check(
            row(API, NOTFOUND, **consultant(FORBIDDEN)),
            method="POST",
            label="POST-own",
            target="own_report",
            state=ri_state,
            rules="RI-5",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_report",
            state=ri_state,
            rules="RI-8 SE-9",
        ),
    ),
    # RI-12: the completeness of the re-integratieverslag: the plan's readers (werkgever, HR, the
    # assigned doctor); the casemanager reads the case but not this (403); others 404 (SE-9).
    "reintegratie:volledigheid": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=OK, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-12 SE-9",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-12 SE-9"),
        Check(
            row(
                PAGE,
                NOTFOUND,
                **FILERS_OK,
                bedrijfsarts=OK,
                casemanager=FORBIDDEN,
                werknemer=FORBIDDEN,
            ),
            label="mine",
            target="mine_case",
            rules="RI-12",
        ),
    ),
    # --- RI-12: signing. The employer side of the organisation (werkgever and HR; the verslag:
    # HR) and the werknemer whose case it is; the assigned doctor reads the plan but may not sign
    # (403); everyone else finds nothing (404). A POST without a fresh password + TOTP proof goes
    # to the proof and stores nothing. The verify page is public and names nobody.
    **{
        f"reintegratie:sign_{kind}": (
            Check(
                row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN),
                label="own",
                target=f"own_{kind}",
                rules="RI-12",
            ),
            Check(
                row(PAGE, NOTFOUND), label="foreign", target=f"foreign_{kind}", rules="RI-12 SE-9"
            ),
            Check(
                row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, werknemer=OK),
                label="mine",
                target=f"mine_{kind}",
                rules="RI-12",
            ),
            Check(
                row(
                    POSTED,
                    NOTFOUND,
                    **dict.fromkeys(("hr", "werkgever"), SIGN_PROOF.format(path=path)),
                    bedrijfsarts=FORBIDDEN,
                ),
                method="POST",
                label="POST-own-no-proof",
                target=f"own_{kind}",
                state=ri_state,
                rules="RI-12",
            ),
            Check(
                row(POSTED, NOTFOUND),
                method="POST",
                label="POST-foreign",
                target=f"foreign_{kind}",
                state=ri_state,
                rules="RI-12 SE-9",
            ),
        )
        for kind, path in (
            ("plan", "plannen%2F{own_plan}"),
            ("evaluatie", "evaluaties%2F{own_evaluatie}"),
        )
    },
    "reintegratie:sign_verslag": (
        Check(row(PAGE, NOTFOUND, hr=OK), label="own", target="own_ri_verslag", rules="RI-12"),
        Check(
            row(PAGE, NOTFOUND), label="foreign", target="foreign_ri_verslag", rules="RI-12 SE-9"
        ),
        Check(
            row(PAGE, NOTFOUND, hr=OK, werknemer=OK),
            label="mine",
            target="mine_ri_verslag",
            rules="RI-12",
        ),
        Check(
            row(POSTED, NOTFOUND, hr=SIGN_PROOF.format(path="verslagen%2F{own_ri_verslag}")),
            method="POST",
            label="POST-own-no-proof",
            target="own_ri_verslag",
            state=ri_state,
            rules="RI-12",
        ),
    ),
    # RI-12: no signing through the API (a bearer token proves no fresh password + TOTP): 403
    # `reauthentication_required` for who could sign, 403/404 as always for the rest.
    "reintegratie-api:plan-sign": (
        Check(row(API, METHOD), target="mine_plan", rules="RI-12"),
        Check(
            row(
                API,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever", "bedrijfsarts", "werknemer"), FORBIDDEN),
            ),
            method="POST",
            label="POST-mine",
            target="mine_plan",
            state=ri_state,
            rules="RI-12",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_plan",
            state=ri_state,
            rules="RI-12 SE-9",
        ),
    ),
    "reintegratie:verify": (
        Check(row(PUBLIC, OK), rules="RI-12"),
        Check(
            # A half-signed-in session is refused like on every POST (SE-1); anonymous is not.
            row(POSTED, FORM_ERROR, anonymous=FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=ri_state,
            rules="RI-12",
        ),
    ),
}


# --- RI-12, DG-2: the Poortwachter documents, each page and its PDF from the same template -------
PLAN_READERS = {**FILERS_OK, "bedrijfsarts": OK}  # RI-3: werkgever, HR, the assigned doctor


def document_state(world, user):
    """What the documents' writes could change: the employees' BSN and the zienswijzen."""
    from reintegratie.models import Zienswijze
    from verzuim.models import Werknemer

    return (
        list(Werknemer.objects.order_by("pk").values_list("pk", "bsn_last3")),
        list(Zienswijze.objects.order_by("pk").values_list("pk", "text")),
    )


def _plan_document_rows(rules):
    """Rows of a plan-bound document (plan version, evaluation): the plan's readers; the
    employee their own; everything of employer B 404 (SE-9)."""

    def rows(own, foreign, mine):
        checks = [
            Check(row(PAGE, NOTFOUND, **PLAN_READERS), label="own", target=own, rules=rules),
            Check(
                row(PAGE, NOTFOUND, **PLAN_READERS, werknemer=OK),
                label="mine",
                target=mine,
                rules=rules,
            ),
        ]
        if foreign:
            checks.append(
                Check(row(PAGE, NOTFOUND), label="foreign", target=foreign, rules=f"{rules} SE-9")
            )
        return tuple(checks)

    return rows


_plan_rows = _plan_document_rows("RI-3 RI-12")
_evaluatie_rows = _plan_document_rows("RI-1 RI-12")
# The doctor's released document (MD-5) reads like the plan that shows it.
_OORDEEL = (
    Check(
        row(PAGE, NOTFOUND, **PLAN_READERS, casemanager=FORBIDDEN),
        label="own",
        target="own_case",
        rules="RI-12 MD-5",
    ),
    # The advice belongs to own_case: on another case it is no document of that case.
    Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="RI-12 SE-9"),
)
_VERSLAG_PDF = (
    Check(row(PAGE, NOTFOUND, hr=OK), label="own", target="own_ri_verslag", rules="RI-4 RI-12"),
    Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_ri_verslag", rules="RI-4 SE-9"),
    Check(
        row(PAGE, NOTFOUND, hr=OK, werknemer=OK),
        label="mine",
        target="mine_ri_verslag",
        rules="RI-4 RI-12",
    ),
)
# RI-12: the re-integratieverslag for UWV. HR of the organisation makes it (an incomplete case:
# back to the completeness page with what is lacking, nothing stored) and reads it; the employee
# reads and downloads their own copy (the first download is the receipt); everyone else 404.
_BUNDEL_READ = (
    Check(row(PAGE, NOTFOUND, hr=OK), label="own", target="own_bundel", rules="RI-12"),
    Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_bundel", rules="RI-12 SE-9"),
    Check(
        row(PAGE, NOTFOUND, hr=OK, werknemer=OK),
        label="mine",
        target="mine_bundel",
        rules="RI-12",
    ),
)
_API_BUNDEL_READ = (
    Check(row(API, NOTFOUND, hr=OK), label="own", target="own_bundel", rules="RI-12"),
    Check(row(API, NOTFOUND), label="foreign", target="foreign_bundel", rules="RI-12 SE-9"),
    Check(
        row(API, NOTFOUND, hr=OK, werknemer=OK),
        label="mine",
        target="mine_bundel",
        rules="RI-12",
    ),
)
EXPECTED.update(
    {
        "reintegratie:bundel_create": (
            Check(row(PAGE, METHOD), target="own_case", rules="RI-12"),
            Check(
                row(
                    POSTED,
                    NOTFOUND,
                    hr="redirect:/reintegratie/meldingen/{own_case}/volledigheid/",
                    werkgever=FORBIDDEN,
                    bedrijfsarts=FORBIDDEN,
                    casemanager=FORBIDDEN,
                ),
                method="POST",
                label="POST-own",
                target="own_case",
                state=ri_state,
                rules="RI-12",
            ),
            Check(
                row(POSTED, NOTFOUND),
                method="POST",
                label="POST-foreign",
                target="foreign_case",
                state=ri_state,
                rules="RI-12 SE-9",
            ),
        ),
        "reintegratie:bundel": _BUNDEL_READ,
        "reintegratie:bundel_pdf": _BUNDEL_READ,
        # The same in the API: HR lists its organisation's bundles, the employee their own.
        "reintegratie-api:bundel-list": (
            Check(row(API, OK), rules="RI-12 SE-9"),
            Check(
                row(API, FORBIDDEN, hr=INVALID),
                method="POST",
                label="POST-empty",
                state=ri_state,
                rules="RI-12",
            ),
            # An incomplete case: 400 with what is lacking, nothing stored.
            Check(
                row(API, FORBIDDEN, hr=INVALID),
                method="POST",
                label="POST-own-incomplete",
                data=lambda world, user: {"ziekmelding": world.own_case.pk},
                state=ri_state,
                rules="RI-12",
            ),
            Check(
                row(API, FORBIDDEN, hr=NOTFOUND),
                method="POST",
                label="POST-foreign",
                data=lambda world, user: {"ziekmelding": world.foreign_case.pk},
                state=ri_state,
                rules="RI-12 SE-9",
            ),
        ),
        "reintegratie-api:bundel-detail": _API_BUNDEL_READ,
        "reintegratie-api:bundel-pdf": _API_BUNDEL_READ,
    }
)
EXPECTED.update(
    {
        "reintegratie:plan_version_pdf": _plan_rows("own_plan", "foreign_plan", "mine_plan"),
        "reintegratie:evaluatie": _evaluatie_rows("own_evaluatie", None, "mine_evaluatie"),
        "reintegratie:evaluatie_pdf": _evaluatie_rows("own_evaluatie", None, "mine_evaluatie"),
        "reintegratie:oordeel": _OORDEEL,
        "reintegratie:oordeel_pdf": _OORDEEL,
        "reintegratie:verslag_pdf": _VERSLAG_PDF,
        # RI-12: the plan's documents as structured records in the API (each with its PDF URL).
        "reintegratie-api:plan-documenten": (
            Check(
                row(API, NOTFOUND, **PLAN_READERS),
                label="own",
                target="own_plan",
                rules="RI-12 SE-9",
            ),
            Check(row(API, NOTFOUND), label="foreign", target="foreign_plan", rules="RI-12 SE-9"),
            Check(
                row(API, NOTFOUND, **PLAN_READERS, werknemer=OK),
                label="mine",
                target="mine_plan",
                rules="RI-12",
            ),
        ),
        # DG-2: HR of the organisation records the BSN for the UWV documents.
        "reintegratie:uwv_bsn": (
            Check(
                row(
                    PAGE,
                    NOTFOUND,
                    hr=OK,
                    werkgever=FORBIDDEN,
                    bedrijfsarts=FORBIDDEN,
                    casemanager=FORBIDDEN,
                ),
                label="own",
                target="own_case",
                rules="DG-2 SE-9",
            ),
            Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="DG-2 SE-9"),
            Check(
                row(
                    POSTED,
                    NOTFOUND,
                    hr=FORM_ERROR,
                    werkgever=FORBIDDEN,
                    bedrijfsarts=FORBIDDEN,
                    casemanager=FORBIDDEN,
                ),
                method="POST",
                label="POST-own-empty",
                target="own_case",
                state=document_state,
                rules="DG-2",
            ),
            Check(
                row(POSTED, NOTFOUND),
                method="POST",
                label="POST-foreign-empty",
                target="foreign_case",
                state=document_state,
                rules="DG-2 SE-9",
            ),
        ),
        # RI-12: the employee's zienswijze on their own document (here: their verslag copy).
        "reintegratie:mijn_zienswijze": (
            Check(
                row(PAGE, FORBIDDEN, werknemer=OK),
                label="mine",
                target="mine_ri_verslag",
                rules="RI-12",
            ),
            Check(
                row(PAGE, FORBIDDEN, werknemer=NOTFOUND),
                label="own",
                target="own_ri_verslag",
                rules="RI-12 SE-9",
            ),
            Check(
                row(POSTED, FORBIDDEN, werknemer=FORM_ERROR),
                method="POST",
                label="POST-mine-empty",
                target="mine_ri_verslag",
                state=document_state,
                rules="RI-12",
            ),
        ),
    }
)

# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)
