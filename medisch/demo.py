"""Synthetic medical demo data (SE-5): for the open demo cases (verzuim/demo.py, OPEN_CASES) the
dossiers a bedrijfsarts would have by now - consults, the probleemanalyse, advice released and
in concept, a delegation to the casemanager, a medical verslag part in preparation - and for
the long closed cases of the last two years a consult and a probleemanalyse. Through the
dossier actions: every row with its audit row (SE-7), every released advice with its data-flow
record (RI-9), the probleemanalyse completing its Poortwachter step (RI-1). One case has no
probleemanalyse although it is due (the doctor's worklist shows it overdue), one new case has
no consult yet. Idempotent: nothing is added once the demo doctor has a dossier."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import EMAIL_DOMAIN, EMPLOYERS
from accounts.models import User
from verzuim.demo import open_case, personnel_numbers
from verzuim.models import Ziekmelding

from .actions import dossier as dossier_actions
from .actions.reintegratie import record_probleemanalyse, record_verslag_deel
from .models import Dossier

S = "(synthetisch) "
CONSULT_TEXTS = [
    (
        "Klachten sinds de eerste verzuimdag; slaapt slecht.",
        "Beperkt in tillen en langdurig staan.",
        "Overbelasting",
        "Rust, daarna opbouw; huisarts betrokken.",
    ),
    (
        "Gaat iets beter; wandelt dagelijks.",
        "Belastbaarheid neemt toe.",
        "Herstellende overbelasting",
        "Opbouw in aangepast werk, vervolgconsult over 4 weken.",
    ),
    (
        "Wisselend beloop; behandeling loopt.",
        "Concentratie beperkt na 2 uur.",
        "Aanpassingsstoornis",
        "Coaching via re-integratiebureau; evaluatie over 6 weken.",
    ),
]
# Employer parts of advice: work terms only (MD-5).
ADVICE = [
    dict(
        limitations="Geen zwaar tillen (boven 10 kg); niet langer dan 2 uur achtereen staan.",
        capabilities="Administratief en licht logistiek werk, 4 uur per dag.",
        expected_duration="middel",
        incapacity_percentage=50,
        adjustments="Zit-sta-werkplek; opbouw met 4 uur per twee weken.",
    ),
    dict(
        limitations="Geen werk onder tijdsdruk; geen nachtdiensten.",
        capabilities="Eigen werk in dagdienst, 6 uur per dag, met vaste pauzes.",
        expected_duration="kort",
        incapacity_percentage=25,
        adjustments="Vaste werktijden; één aanspreekpunt voor de planning.",
    ),
    dict(
        limitations="Niet boven schouderhoogte werken; niet klimmen.",
        capabilities="Werkvoorbereiding en klantcontact, volledige uren.",
        expected_duration="lang",
        incapacity_percentage=70,
        adjustments="Onderzoek naar passend werk binnen het bedrijf (spoor 1) en daarbuiten.",
    ),
]

# Per open case: consult days, probleemanalyse day, advice days (released / concept), whether
# the casemanager gets a delegation, whether a medical verslag part is being prepared. Days are
# sick days (0 = the first day of absence).
PLAN = {
    "week2": dict(consults=[6], advice=[], concept=[7]),
    "week7": dict(consults=[10, 31], analyse=38),
    "week20": dict(consults=[8, 30, 70, 110], analyse=35, advice=[72], concept=[131]),
    "week45": dict(consults=[10, 35, 90, 180, 270], analyse=40, advice=[95, 275], delegate=True),
    "week90": dict(
        consults=[9, 36, 100, 200, 300, 420, 540, 610],
        analyse=39,
        advice=[100, 300, 545],
        verslag=615,
    ),
    # RI-12: the case at week 91: a recent actueel oordeel, the medical part given to the employee.
    "week91": dict(
        consults=[8, 35, 120, 260, 400, 560, 598],
        analyse=38,
        advice=[120, 400],
        oordeel=600,
        verslag=605,
        deliver=True,
    ),
    "vangnet": dict(consults=[5], advice=[6]),
    "aangepast_werk": dict(consults=[12, 60], analyse=36, advice=[62], delegate=True),
    "week7_geen_analyse": dict(consults=[14]),  # probleemanalyse due at week 6: overdue
    "zorg_nieuw": dict(consults=[]),  # a new report without a consult
    "zorg_week16": dict(consults=[11, 60], analyse=38),
}


def _analyse(doctor, dossier, case, on, n):
    record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=on,
        medical_part=S + "Beloop en prognose besproken; geen blijvende beperkingen verwacht.",
        release=True,
        **ADVICE[n % len(ADVICE)],
    )


def _consult(doctor, dossier, on, n):
    anamnesis, findings, diagnosis, policy = CONSULT_TEXTS[n % len(CONSULT_TEXTS)]
    dossier_actions.record_consult(
        by=doctor,
        dossier=dossier,
        date=on,
        anamnesis=S + anamnesis,
        findings=S + findings,
        diagnosis=S + diagnosis,
        diagnosis_code="",
        policy=S + policy,
    )


def seed_medisch(*, orgs, fake):
    doctor = User.objects.filter(email=f"bedrijfsarts@{EMAIL_DOMAIN}").first()
    casemanager = User.objects.filter(email=f"casemanager@{EMAIL_DOMAIN}").first()
    if doctor is None or Dossier.objects.filter(opened_by_id=doctor.pk).exists():
        return
    today = timezone.localdate()
    for n, (key, plan) in enumerate(PLAN.items()):
        case = open_case(orgs, key)
        if case is None or not plan["consults"]:
            continue
        start = case.first_day
        dossier = dossier_actions.open_dossier(by=doctor, werknemer=case.werknemer)
        for i, day in enumerate(plan["consults"]):
            _consult(doctor, dossier, start + timedelta(days=day), n + i)
        if "analyse" in plan:
            _analyse(doctor, dossier, case, start + timedelta(days=plan["analyse"]), n)
        for released, days in ((True, plan.get("advice", [])), (False, plan.get("concept", []))):
            for i, day in enumerate(days):
                dossier_actions.record_advies(
                    by=doctor,
                    dossier=dossier,
                    case_id=case.case_id,
                    release=released,
                    date=start + timedelta(days=day),
                    **ADVICE[(n + i + 1) % len(ADVICE)],
                )
        if "oordeel" in plan:  # RI-12: the actueel oordeel shortly before the WIA application
            dossier_actions.record_advies(
                by=doctor,
                dossier=dossier,
                case_id=case.case_id,
                release=True,
                kind="actueel_oordeel",
                date=start + timedelta(days=plan["oordeel"]),
                **ADVICE[n % len(ADVICE)],
            )
        if plan.get("delegate") and casemanager is not None:
            dossier_actions.delegate(
                by=doctor,
                dossier=dossier,
                delegate=casemanager,
                parts=["consults", "adviezen"],
                valid_from=today - timedelta(days=14),
                valid_until=today + timedelta(days=90),
            )
        if "verslag" in plan:  # RI-4: the medical part for the WIA application, not yet given
            record_verslag_deel(
                by=doctor,
                dossier=dossier,
                case_id=case.case_id,
                date=start + timedelta(days=plan["verslag"]),
                text=S
                + "Medisch deel van het re-integratieverslag"
                + (", aan de werknemer gegeven." if plan.get("deliver") else ", in voorbereiding."),
                deliver=plan.get("deliver", False),
            )
    _seed_closed(doctor, orgs)


def _seed_closed(doctor, orgs):
    """The long closed cases (six weeks or more) had a consult and a probleemanalyse."""
    for employer, name in enumerate(EMPLOYERS):
        closed = (
            Ziekmelding.objects.filter(
                organisation=orgs[name],
                werknemer__personnel_number__in=personnel_numbers(employer),
                recovered_on__isnull=False,
            )
            .select_related("werknemer")
            .order_by("first_day", "pk")
        )
        for n, case in enumerate(closed):
            if (case.recovered_on - case.first_day).days < 42:
                continue
            dossier = dossier_actions.open_dossier(by=doctor, werknemer=case.werknemer)
            _consult(doctor, dossier, case.first_day + timedelta(days=12), n)
            _analyse(doctor, dossier, case, case.first_day + timedelta(days=36), n)
