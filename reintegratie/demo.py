"""Synthetic re-integration demo data (SE-5): for the open demo cases (verzuim/demo.py,
OPEN_CASES) the plan van aanpak in versions with its activities and evaluations, the 42nd-week
report and the spoor-2 decision where they are due, and trajectories at the demo
re-integration company with progress reports in every state (released to the employer, before
the employee, concept) - so each demo role sees the RI flow from its own side. Through the
actions: the plan and each evaluation complete their Poortwachter step (RI-1), every write is
audited (SE-7), every data flow recorded (RI-9). Evaluations are left overdue where a real
employer would have missed one. Idempotent: nothing is added once a demo case has a plan."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from accounts.demo import EMAIL_DOMAIN, EMPLOYERS, REINTEGRATION, filer_email
from accounts.models import User
from accounts.reauth import REAUTH_AT
from doelgroep.synthetic import synthetic_bsns
from medisch.public import released_advice_ids
from verzuim.actions.termijnen import complete_step
from verzuim.demo import DEMO_EMPLOYEE_LOGINS, OPEN_CASES, open_case

from .actions import bundel as bundle_actions
from .actions import documenten as document_actions
from .actions import dossier as dossier_actions
from .actions import ondertekening as sign_actions
from .actions import plan as plan_actions
from .actions import rapportages as rapportage_actions
from .actions import trajecten as traject_actions
from .models import EvaluatieKind, PlanVanAanpak

# Per open case, in sick days (0 = first day of absence): when the plan was drawn up, its spoor,
# the versions after it (day, spoor, goals), the periodic evaluations, the eerstejaarsevaluatie,
# the employer's UWV steps, and the trajectory with its reports (period end day, state).
PLANS = {
    "week20": dict(
        drawn_up=48,
        spoor="aangepast_werk",
        goals="Opbouw naar 4 uur administratief werk per dag binnen 6 weken.",
        versions=[(90, "aangepast_werk", "Opbouw naar 6 uur per dag; eigen taken terug.")],
        evaluations=[90, 130],
        trajectory=dict(
            category="coaching",
            start=60,
            reports=[(90, "vrijgegeven"), (125, "ter_inzage"), (134, "concept")],
        ),
    ),
    "week45": dict(
        drawn_up=50,
        spoor="eigen_werk",
        goals="Terug in het eigen werk in de winkel, eerst zonder kassadiensten.",
        versions=[(134, "ander_werk", "Passend werk in de bakkerij (spoor 1) onderzoeken.")],
        evaluations=[92, 134, 176, 218, 255],  # the next one (day 297) is overdue
        steps=[("melding_42e_week", 296, "UWV-kenmerk 42W-{n} (synthetisch)")],
        trajectory=dict(
            category="werkplek", start=100, reports=[(150, "ter_inzage"), (300, "concept")]
        ),
    ),
    "week90": dict(
        drawn_up=52,
        spoor="eigen_werk",
        goals="Terug in het eigen werk in de productie binnen drie maanden.",
        versions=[
            (178, "ander_werk", "Passend werk in de expeditie (spoor 1)."),
            (340, "tweede_spoor", "Spoor 2: werk bij een andere werkgever, met begeleiding."),
        ],
        evaluations=[94, 136, 178, 220, 262, 304, 387, 429, 471, 513, 555, 597],
        eerstejaars=345,
        steps=[
            ("melding_42e_week", 295, "UWV-kenmerk 42W-{n} (synthetisch)"),
            ("besluit_spoor_2", 350, "besluit spoor 2 in het dossier, kenmerk S2-{n}"),
        ],
        trajectory=dict(
            category="tweede_spoor",
            start=360,
            reports=[(420, "ter_inzage"), (510, "ter_inzage"), (600, "concept")],
        ),
        correspondence=[
            (350, "uit", "UWV", "Verzoek deskundigenoordeel spoor 2"),
            (380, "in", "UWV", "Deskundigenoordeel ontvangen"),
        ],
    ),
    # RI-12: the case at week 91 whose re-integratieverslag for UWV is complete, signed by both
    # sides and made into the bundle (the employee has their own demo login, werknemer-wia).
    "week91": dict(
        drawn_up=49,
        spoor="eigen_werk",
        goals="Terug in het eigen werk als monteur, eerst zonder zware tillen.",
        versions=[
            (170, "ander_werk", "Passend werk in de werkvoorbereiding (spoor 1)."),
            (345, "tweede_spoor", "Spoor 2: werk bij een andere werkgever, met begeleiding."),
        ],
        evaluations=[88, 128, 170, 210, 250, 290, 330, 372, 412, 452, 492, 532, 572, 610],
        eerstejaars=345,
        eind=626,
        steps=[
            ("melding_42e_week", 294, "UWV-kenmerk 42W-{n} (synthetisch)"),
            ("besluit_spoor_2", 348, "besluit spoor 2 in het dossier, kenmerk S2-{n}"),
        ],
        verslag=True,
    ),
    "aangepast_werk": dict(
        drawn_up=50,
        spoor="aangepast_werk",
        goals="Volledige uren in aangepast werk (werkvoorbereiding), daarna terug naar montage.",
        versions=[],
        evaluations=[78],
        trajectory=dict(category="fysiek", start=55, reports=[(75, "ter_inzage")]),
    ),
    "zorg_week16": dict(
        drawn_up=52,
        spoor="eigen_werk",
        goals="Terug in het eigen wijkteam, eerst met kortere diensten.",
        versions=[],
        evaluations=[],  # the first evaluation (day 94) is overdue
    ),
}
ACTIVITIES = [
    ("Werkplek aanpassen (zit-sta-bureau)", "werkgever", 7, True),
    ("Wekelijks gesprek met de leidinggevende", "samen", 14, True),
    ("Opbouwschema uren afspreken", "samen", 28, False),
    ("Gesprek met het re-integratiebureau", "werknemer", 60, False),
]
REPORT_TEXT = dict(
    attendance="aanwezig",
    cooperating=True,
    cooperation_explanation="",
    progress="(synthetisch) Gesprekken gevoerd volgens planning; opbouw loopt.",
    next_steps="Volgend gesprek over twee weken; opbouw evalueren.",
)


DEMO_BSN_START = 999_995_000
# RI-12: what the demo's eerstejaarsevaluatie records for UWV.
EERSTEJAARS_DOCUMENT = {
    "activities_done": "(synthetisch) Aangepast eigen werk geprobeerd, werkplek aangepast.",
    "result": "(synthetisch) Terugkeer in het eigen werk is niet haalbaar; aangepast werk "
    "twee dagdelen per week.",
    "spoor": "beide",
    "spoor_reason": "(synthetisch) Volledige terugkeer bij de eigen werkgever is niet te "
    "verwachten; daarom ook spoor 2.",
    "ad_onderzoek": False,
}
# RI-12: and its eindevaluatie.
EIND_DOCUMENT = {
    "activities_done": "(synthetisch) Aangepast werk, passend werk in de werkvoorbereiding en "
    "een tweede-spoortraject.",
    "result": "(synthetisch) Twee dagdelen per week aangepast werk; geen volledige terugkeer.",
    "spoor": "beide",
    "spoor_reason": "(synthetisch) Spoor 1 en spoor 2 zijn beide ingezet.",
    "ad_onderzoek": False,
}
EVALUATION_DOCUMENTS = {
    EvaluatieKind.EERSTEJAARS: EERSTEJAARS_DOCUMENT,
    EvaluatieKind.EINDEVALUATIE: EIND_DOCUMENT,
}


def seed_reintegratie(*, orgs, fake):
    consultant = User.objects.filter(email=f"consultant@{EMAIL_DOMAIN}").first()
    logins = {
        key: User.objects.filter(email=f"{local}@{EMAIL_DOMAIN}").first()
        for local, key in DEMO_EMPLOYEE_LOGINS.items()
    }
    cases = {key: open_case(orgs, key) for key in PLANS}
    if None in cases.values() or consultant is None:
        return
    if PlanVanAanpak.objects.filter(case_id__in=[c.case_id for c in cases.values()]).exists():
        return
    today = timezone.localdate()
    # DG-2, RI-12: the BSN the UWV documents print, from the unissued test range (SE-5), apart
    # from the numbers the doelgroep demo uses.
    numbers = synthetic_bsns(start=DEMO_BSN_START)
    for key, spec in PLANS.items():
        case = cases[key]
        employer = next(c.employer for c in OPEN_CASES if c.key == key)
        hr = User.objects.get(email=filer_email(EMPLOYERS[employer]))
        own = logins.get(key)
        _seed_plan(case, spec, hr, own, today)
        document_actions.record_uwv_bsn(by=hr, werknemer=case.werknemer, bsn=next(numbers))
        for day, direction, party, subject in spec.get("correspondence", []):
            dossier_actions.add_correspondentie(
                by=hr,
                ziekmelding=case,
                date=case.first_day + timedelta(days=day),
                direction=direction,
                party=party,
                subject=subject,
                summary="(synthetisch)",
            )
        if "trajectory" in spec:
            _seed_trajectory(case, spec["trajectory"], hr, consultant, own, orgs)
        if spec.get("verslag") and own is not None:
            _seed_bundle(case, hr, own, today)


def _seed_plan(case, spec, hr, employee, today):
    start = case.first_day
    adviezen = sorted(released_advice_ids(case.case_id))
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=start + timedelta(days=spec["drawn_up"]),
        casemanager="(synthetisch) Casemanager HR",
        spoor=spec["spoor"],
        goals=spec["goals"],
        advies_ref=adviezen[0] if adviezen else None,
    )
    for description, owner, due, done in ACTIVITIES:
        due_on = plan.drawn_up_on + timedelta(days=due)
        activity = plan_actions.add_activity(
            by=hr, plan=plan, description=description, owner=owner, due_on=due_on
        )
        if done and due_on <= today:
            plan_actions.mark_activity_done(by=hr, activity=activity, done_on=due_on)
        plan.refresh_from_db()
    if employee is not None:  # RI-3: agreed with this version; a later one waits for them
        plan = plan_actions.respond_to_plan(
            by=employee, plan=plan, version=plan.version, agree=True
        )
    # Versions, evaluations and UWV steps in the order they happened.
    events = [(day, 0, (spoor, goals)) for day, spoor, goals in spec["versions"]]
    events += [(day, 1, EvaluatieKind.PERIODIEK) for day in spec["evaluations"]]
    if "eerstejaars" in spec:
        events.append((spec["eerstejaars"], 1, EvaluatieKind.EERSTEJAARS))
    if "eind" in spec:
        events.append((spec["eind"], 1, EvaluatieKind.EINDEVALUATIE))
    events += [(day, 2, (key, proof)) for key, day, proof in spec.get("steps", [])]
    events.sort(key=lambda event: (event[0], event[1]))
    for day, what, detail in events:
        on = start + timedelta(days=day)
        if what == 0:
            spoor, goals = detail
            plan = plan_actions.save_plan(
                by=hr,
                ziekmelding=case,
                version=plan.version,
                drawn_up_on=plan.drawn_up_on,
                casemanager=plan.casemanager,
                spoor=spoor,
                goals=goals,
                advies_ref=plan.advies_ref,
            )
        elif what == 1:
            plan_actions.record_evaluatie(
                by=hr,
                plan=plan,
                ziekmelding=case,
                kind=detail,
                date=on,
                outcome="(synthetisch) Afspraken nagekomen; opbouw gaat volgens plan.",
                plan_adjusted=False,
                **EVALUATION_DOCUMENTS.get(detail, {}),
            )
        else:
            key, proof = detail
            complete_step(
                by=hr,
                ziekmelding=case,
                key=key,
                occurrence=1,
                completed_on=on,
                proof=proof.format(n=case.werknemer.personnel_number),
                confirmed=True,
                today=today,
            )
        plan.refresh_from_db()
    _seed_signatures(plan, hr, employee)


def _demo_proof(user):
    """Demo data only: a request whose session has just proved password and code, as the
    synthetic HR and employee would have on the signing page (RI-12)."""
    request = RequestFactory().post("/")
    request.user, request.session = user, SessionStore()
    request.session[REAUTH_AT] = int(timezone.now().timestamp())
    return request


def _seed_signatures(plan, hr, employee):
    """RI-12: HR and, where the employee has a login, the employee sign the plan's newest version
    and every evaluation, so the demo shows signatures with their check codes."""
    for document in (plan, *plan.evaluaties.all()):
        for signer in (hr, employee):
            if signer is not None:
                sign_actions.sign(
                    by=signer, document=document, agreed=True, request=_demo_proof(signer)
                )


def _seed_bundle(case, hr, employee, today):
    """RI-12: the employer's part of the verslag, given to the employee and signed by both; then
    the re-integratieverslag for UWV as one PDF, in the employee's portal (their copy)."""
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    dossier_actions.give_verslag(by=hr, verslag=verslag)
    for signer in (hr, employee):
        sign_actions.sign(by=signer, document=verslag, agreed=True, request=_demo_proof(signer))
    bundle_actions.make_bundle(by=hr, ziekmelding=case, today=today)


def _seed_trajectory(case, spec, hr, consultant, employee, orgs):
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=case,
        provider=orgs[REINTEGRATION],
        consultant=consultant,
        category=spec["category"],
        data_items=["personalia", "verzuim", "advies"],
        start_on=case.first_day + timedelta(days=spec["start"]),
    )
    if employee is not None:  # RI-10: the employee reads the aanmelding in the portal
        traject_actions.acknowledge_trajectory(by=employee, trajectory=trajectory)
    else:  # RI-10: an employee without a login is told on paper
        traject_actions.record_employee_informed(by=hr, trajectory=trajectory)
    for day, state in spec["reports"]:
        report = rapportage_actions.file_report(
            by=consultant,
            trajectory=trajectory,
            period_end=case.first_day + timedelta(days=day),
            **REPORT_TEXT,
        )
        if state == "concept":
            continue
        rapportage_actions.share_report(by=consultant, report=report)
        if state == "vrijgegeven" and employee is not None:
            rapportage_actions.mark_report_seen(
                by=employee, report=report, remark="Klopt, ik heb niets toe te voegen."
            )
            rapportage_actions.release_report(by=consultant, report=report)
