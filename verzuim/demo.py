"""Synthetic werknemers and two years of sick leave for the demo (SE-5), in the shape of a real
customer: three employers of different size and sector with their departments, closed cases
spread over the last 24 months (short, medium and long), and open cases at every Poortwachter
stage (`OPEN_CASES`: week 2, 7, 20, 45 and 90, a vangnet case, one in adapted work, ...).

Deterministic: names from Faker nl_NL seeded per instance, everything else from
`random.Random(SEED)`, every date relative to today. The open cases go through the domain
actions (create_ziekmelding, record_herstel, complete_step). The werknemers are bulk-created
with their audit rows, as the CSV import does, and so are the closed cases of the history: with
the filing's completion, the next deadline the engine computes, the retention date and the
audit rows the actions would have written (tests/accounts/test_demo.py checks them), which
keeps `make run` and the test module fast.
Idempotent: an employer whose demo werknemers exist is left alone, so is a case history once
there. medisch/demo.py and reintegratie/demo.py add the dossiers, plans and trajectories of
the open cases, found through `open_case()`.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from accounts.demo import EMAIL_DOMAIN, EMPLOYERS, SEED, filer_email
from accounts.models import User
from privacy import audit
from privacy.models import AuditAction
from retention import registry as retention_registry

from . import deadlines
from .actions import termijnen
from .actions.termijnen import complete_step
from .actions.werknemer import bulk_create_werknemers
from .actions.ziekmelding import create_ziekmelding, record_herstel
from .models import (
    DeadlineCompletion,
    ExpectedDuration,
    HerstelKind,
    Herstelmelding,
    Werknemer,
    Ziekmelding,
)
from .poortwachter import week_label

# Per employer (same order as accounts.demo.EMPLOYERS): personnel-number prefix and its
# departments with their head count. A bakery with shops (34), an installer (20), a small home
# care organisation (12): 66 people, no department below 5 (DG-5 suppresses smaller ones).
WORKFORCE = [
    ("BK", [("Productie", 12), ("Logistiek", 8), ("Winkels", 9), ("Administratie", 5)]),
    ("VA", [("Montage", 9), ("Service", 6), ("Kantoor", 5)]),
    ("LH", [("Wijkteam", 7), ("Facilitair", 5)]),
]
# The demo werknemer login is the employee of this open case (their own case, plan, reports).
DEMO_EMPLOYEE_CASE = "week20"
# Every demo werknemer login and the open case whose employee it is: the employee at week 91
# receives the re-integratieverslag for UWV (RI-12).
DEMO_EMPLOYEE_LOGINS = {"werknemer": DEMO_EMPLOYEE_CASE, "werknemer-wia": "week91"}


@dataclass(frozen=True)
class OpenCase:
    key: str
    employer: int  # index in EMPLOYERS
    personnel_number: str
    days_ago: int  # first day of absence = today - days_ago (sick week = days_ago // 7 + 1)
    expected: str = ExpectedDuration.LONGER
    percentage: int = 100
    vangnet: bool = False
    partial_on_day: int | None = None  # gedeeltelijk herstel to 50 % on this sick day
    adapted_on_day: int | None = None  # hersteld in aangepast werk on this sick day


# The open cases, one per Poortwachter stage at the demo employer (week 2, 7, 20, 45, 90), and
# the other situations a newcomer should meet: vangnet, adapted work, an overdue probleemanalyse,
# a new report the doctor has not seen, an overdue evaluation.
OPEN_CASES = [
    OpenCase("week2", 0, "BK0003", 9, ExpectedDuration.TWO_WEEKS),
    OpenCase("week7", 0, "BK0014", 45, ExpectedDuration.SIX_WEEKS),
    OpenCase("week20", 0, "BK0031", 136, partial_on_day=84),
    OpenCase("week45", 0, "BK0024", 311),
    OpenCase("week90", 0, "BK0007", 626),
    OpenCase("week91", 0, "BK0012", 632),
    OpenCase("vangnet", 1, "VA0004", 19, ExpectedDuration.SIX_WEEKS, vangnet=True),
    OpenCase("aangepast_werk", 1, "VA0011", 82, adapted_on_day=70),
    OpenCase("week7_geen_analyse", 1, "VA0016", 47, ExpectedDuration.SIX_WEEKS),
    OpenCase("zorg_nieuw", 2, "LH0002", 3, ExpectedDuration.WEEK, percentage=50),
    OpenCase("zorg_week16", 2, "LH0009", 110),
]
# Employees who left in the last year (days ago): their history ends before, their records get
# a retention date (RT-1).
LEAVERS = {"BK0019": 40, "BK0028": 200, "VA0008": 120, "LH0011": 75}
STAGE_WEEKS = {"week2": 2, "week7": 7, "week20": 20, "week45": 45, "week90": 90, "week91": 91}
HISTORY_DAYS = 730  # two years of closed cases
GAP_DAYS = 35  # between two cases of one person: more than 28, so never samentelling (ZM-5)
AFSPRAKEN = [
    "Overdracht van de lopende orders aan de teamleider.",
    "Planning van deze week overgedragen aan een collega.",
    "Geen lopende afspraken.",
    "Diensten van volgende week worden door de planner herverdeeld.",
    "Klantafspraken verzet; collega neemt de storingsdienst over.",
]


def personnel_numbers(employer: int) -> list[str]:
    prefix, departments = WORKFORCE[employer]
    return [f"{prefix}{n + 1:04d}" for n in range(sum(size for _, size in departments))]


def _people(org, employer: int, fake, rng, today) -> list[Werknemer]:
    _, departments = WORKFORCE[employer]
    numbers = iter(personnel_numbers(employer))
    people = []
    for department, size in departments:
        for _ in range(size):
            number = next(numbers)
            born = date(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
            # In service before the two years of history (and after their 18th birthday).
            earliest = date(born.year + 18, 9, 1)
            latest = today - timedelta(days=HISTORY_DAYS + 60)
            start = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
            people.append(
                Werknemer(
                    organisation=org,
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    personnel_number=number,
                    date_of_birth=born,
                    email=f"{number.lower()}@{EMAIL_DOMAIN}",
                    phone=f"06-0000{rng.randint(0, 9999):04d}",
                    address=fake.street_address(),
                    postcode=fake.postcode(),
                    city=fake.city(),
                    employment_start=min(start, latest),
                    employment_end=(
                        today - timedelta(days=LEAVERS[number]) if number in LEAVERS else None
                    ),
                    department=department,
                    is_synthetic=True,
                )
            )
    return people


def _seed_werknemers(org, employer, fake, rng, today, filer) -> None:
    people = _people(org, employer, fake, rng, today)  # always drawn: keeps the RNG in step
    if Werknemer.objects.filter(organisation=org, personnel_number=people[0].personnel_number):
        return
    bulk_create_werknemers(people, by=filer, detail="werknemer aangemaakt (demodata)")


@dataclass
class ClosedCase:
    personnel_number: str
    first_day: date
    recovered_on: date
    percentage: int
    partial_on: date | None


def _duration(rng) -> int:
    """Sick days of a closed case: mostly short, some medium, a few long (kort / middellang /
    lang as the statistics count them)."""
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(1, 6)
    if roll < 0.85:
        return rng.randint(7, 41)
    return rng.randint(42, 200)


def history_plan(today) -> dict[int, list[ClosedCase]]:
    """The closed cases per employer: 4 to 8 starting in every 30-day slot of the last two
    years, each of a person free at that time (GAP_DAYS after their previous case, in service,
    recovered well before their open case), recovered at the latest two days ago."""
    rng = random.Random(SEED + 2)  # noqa: S311 — synthetic demo data, not security
    # The day by which a person's closed cases must have ended: before their open case (with a
    # gap), before they left.
    ends_by = {
        (c.employer, c.personnel_number): today - timedelta(days=c.days_ago + GAP_DAYS)
        for c in OPEN_CASES
    }
    for number, days_ago in LEAVERS.items():
        employer = next(i for i, (prefix, _) in enumerate(WORKFORCE) if number.startswith(prefix))
        ends_by[(employer, number)] = today - timedelta(days=days_ago + 1)
    plan = {employer: [] for employer in range(len(WORKFORCE))}
    free_from = {}
    everyone = [
        (employer, number)
        for employer in range(len(WORKFORCE))
        for number in personnel_numbers(employer)
    ]
    for slot in range(HISTORY_DAYS // 30):
        slot_start = today - timedelta(days=HISTORY_DAYS - slot * 30)
        for _ in range(rng.randint(4, 8)):
            first_day = slot_start + timedelta(days=rng.randint(0, 29))
            recovered = min(first_day + timedelta(days=_duration(rng)), today - timedelta(days=2))
            candidates = [
                person
                for person in everyone
                if free_from.get(person, first_day) <= first_day
                and recovered <= ends_by.get(person, today)
            ]
            if recovered <= first_day or not candidates:
                continue
            person = rng.choice(candidates)
            partial = None
            if (recovered - first_day).days > 60 and rng.random() < 0.5:
                partial = first_day + timedelta(days=(recovered - first_day).days // 2)
            plan[person[0]].append(
                ClosedCase(
                    person[1], first_day, recovered, 100 if rng.random() < 0.85 else 50, partial
                )
            )
            free_from[person] = recovered + timedelta(days=GAP_DAYS)
    return plan


def _closed_rows(werknemer, case, filer, n):
    """One closed case as create_ziekmelding + record_herstel would leave it, for bulk
    insertion: the period (its final percentage and version) and its herstelmeldingen as
    (kind, date, remaining percentage); _seed_history adds the rest."""
    days = (case.recovered_on - case.first_day).days
    zm = Ziekmelding(
        werknemer=werknemer,
        organisation_id=werknemer.organisation_id,
        first_day=case.first_day,
        percentage=50 if case.partial_on else case.percentage,
        phone=werknemer.phone,
        expected_duration=(
            ExpectedDuration.WEEK
            if days < 7
            else ExpectedDuration.SIX_WEEKS
            if days < 42
            else ExpectedDuration.LONGER
        ),
        lopende_afspraken=AFSPRAKEN[n % len(AFSPRAKEN)],
        recovered_on=case.recovered_on,
        created_by=filer,
        version=2 + bool(case.partial_on),
    )
    herstel = [(HerstelKind.VOLLEDIG, case.recovered_on, 0)]
    if case.partial_on:
        herstel.insert(0, (HerstelKind.GEDEELTELIJK, case.partial_on, 50))
    return zm, herstel


def _seed_history(org, employer, filer, today, plan) -> None:
    """The closed cases of two years, bulk-inserted with everything the actions keep: the
    filing's completion, the stored next deadline (computed by the engine as
    refresh_next_deadline does), the retention date and the audit rows (one chained batch).
    Closed cases never join another (GAP_DAYS), so each is a case of its own.
    tests/accounts/test_demo.py checks these invariants against the engine and the registry."""
    people = {w.personnel_number: w for w in Werknemer.objects.filter(organisation=org)}
    cases = sorted(plan, key=lambda c: c.first_day)
    built = [
        _closed_rows(people[case.personnel_number], case, filer, n) for n, case in enumerate(cases)
    ]
    for zm, _ in built:
        done = {(termijnen.REPORT_KEY, 1): zm.first_day}
        found = deadlines.deadlines_for(
            zm, chain=[zm], completed=done, today=today, leaves=[], extensions=[]
        )
        for field, value in deadlines.next_deadline_fields(found, [zm]).items():
            setattr(zm, field, value)
    created = Ziekmelding.objects.bulk_create([zm for zm, _ in built])
    Herstelmelding.objects.bulk_create(
        Herstelmelding(
            ziekmelding=zm, kind=kind, date=on, absence_percentage=percentage, created_by=filer
        )
        for zm, (_, herstel) in zip(created, built, strict=True)
        for kind, on, percentage in herstel
    )
    DeadlineCompletion.objects.bulk_create(
        DeadlineCompletion(
            case_id=zm.case_id,
            key=termijnen.REPORT_KEY,
            occurrence=1,
            completed_on=zm.first_day,
            completed_by=filer,
            proof=termijnen.FILING_PROOF,
        )
        for zm in created
    )
    entries = []
    for zm, (_, herstel) in zip(created, built, strict=True):
        entries.append(_entry(AuditAction.CREATE, zm, "ziekmelding"))
        entries.append(
            _entry(
                AuditAction.UPDATE,
                zm,
                f"termijn afgerond: {week_label(termijnen.REPORT_KEY)} #1 (uitgevoerd op "
                f"{zm.first_day:%d-%m-%Y})",
            )
        )
        entries += [_entry(AuditAction.UPDATE, zm, f"herstelmelding ({k})") for k, _, _ in herstel]
    audit.record_many(entries, actor=filer)
    # RT-1/2/3: bulk_create sends no post_save; the registry computes what a save would.
    retention_registry.refresh(retention_registry.category("verzuim.ziekmelding"), created)


def _entry(action, zm, detail):
    return audit.Entry(
        action, "verzuim.ziekmelding", [zm.pk], subject=zm.werknemer.pseudonym, detail=detail
    )


def _seed_open(org, employer, filer, today) -> None:
    for case in OPEN_CASES:
        if case.employer != employer:
            continue
        werknemer = Werknemer.objects.get(organisation=org, personnel_number=case.personnel_number)
        first_day = today - timedelta(days=case.days_ago)
        zm = create_ziekmelding(
            by=filer,
            werknemer=werknemer,
            today=first_day,
            first_day=first_day,
            percentage=case.percentage,
            phone=werknemer.phone,
            expected_duration=case.expected,
            lopende_afspraken=AFSPRAKEN[len(case.key) % len(AFSPRAKEN)],
            vangnet=case.vangnet,
        )
        for day, kind in (
            (case.partial_on_day, HerstelKind.GEDEELTELIJK),
            (case.adapted_on_day, HerstelKind.AANGEPAST_WERK),
        ):
            if day is not None:
                record_herstel(
                    by=filer,
                    ziekmelding=zm,
                    kind=kind,
                    date=first_day + timedelta(days=day),
                    absence_percentage=50,
                    today=today,
                )
                zm.refresh_from_db()
        if case.vangnet:  # RI-11: the Ziektewet report to UWV, made on sick day 3
            complete_step(
                by=filer,
                ziekmelding=zm,
                key="vangnet_ziekmelding_uwv",
                occurrence=1,
                completed_on=first_day + timedelta(days=2),
                proof=f"UWV-kenmerk ZW-{werknemer.personnel_number}-01 (synthetisch)",
                confirmed=True,
                today=today,
            )


def open_case(orgs, key) -> Ziekmelding | None:
    """The open ziekmelding of OPEN_CASES[key] (for the medical and re-integration demo)."""
    case = next(c for c in OPEN_CASES if c.key == key)
    return (
        Ziekmelding.objects.filter(
            organisation=orgs[EMPLOYERS[case.employer]],
            werknemer__personnel_number=case.personnel_number,
            recovered_on__isnull=True,
        )
        .select_related("werknemer")
        .first()
    )


def _link_demo_employee(orgs) -> None:
    """Each demo werknemer login IS the employee of its open case: same name, same e-mail."""
    for local, key in DEMO_EMPLOYEE_LOGINS.items():
        user = User.objects.filter(email=f"{local}@{EMAIL_DOMAIN}").first()
        case = next(c for c in OPEN_CASES if c.key == key)
        werknemer = Werknemer.objects.filter(
            organisation=orgs[EMPLOYERS[case.employer]], personnel_number=case.personnel_number
        ).first()
        if user is None or werknemer is None:
            continue
        Werknemer.objects.filter(user=user).exclude(pk=werknemer.pk).update(user=None)
        if werknemer.user_id != user.pk or werknemer.email != user.email:
            Werknemer.objects.filter(pk=werknemer.pk).update(user=user, email=user.email)
        if user.full_name != werknemer.full_name:
            User.objects.filter(pk=user.pk).update(full_name=werknemer.full_name)


def seed_verzuim(*, orgs, fake):
    today = timezone.localdate()
    names = Faker("nl_NL")
    names.seed_instance(SEED + 1)
    rng = random.Random(SEED + 1)  # noqa: S311 — synthetic demo data, not security
    plan = history_plan(today)
    for employer, org_name in enumerate(EMPLOYERS):
        org = orgs[org_name]
        filer = User.objects.get(email=filer_email(org_name))
        _seed_werknemers(org, employer, names, rng, today, filer)
        numbers = personnel_numbers(employer)
        if Ziekmelding.objects.filter(
            organisation=org, werknemer__personnel_number__in=numbers
        ).exists():
            continue
        _seed_history(org, employer, filer, today, plan[employer])
        _seed_open(org, employer, filer, today)
    _link_demo_employee(orgs)
