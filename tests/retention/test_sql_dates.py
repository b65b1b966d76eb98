"""RT-1..RT-6 (issue 20): the purge and the dry run compute the retention dates of a whole chunk
in the database (each category's `SqlDates`, the periods from the rule table's `Period.sql`); the
saves keep computing them in Python (`compute`). Both must give the same date and rule for every
record — at month ends and leap days, for open and closed cases and samentelling chains, for the
eigenrisicodrager (RT-2, RT-3, ties included), with the extension's starting day (RT-5), across
midnight in Amsterdam and in UTC. And the purge never deletes on a stale stored date (RT-6)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import DateField, Value

from accounts.models import EigenrisicodragerPeriode, Organisation
from accounts.roles import Role
from doelgroep.actions.registratie import create_kandidaat, record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import CheckedVia, Geheimhoudingsverklaring, Kandidaat, Registercheck
from doelgroep.synthetic import synthetic_bsns
from medisch.actions import dossier as medisch_actions
from medisch.models import Dossier, Keuring, TrajectNotitie
from reintegratie.models import Machtiging, PlanVanAanpak, Trajectory
from retention import registry
from retention.models import LegalHold, RetentionExtension
from retention.purge import dry_run
from retention.rules import RULES
from tests.retention.builders import (
    at,
    employee,
    keuring,
    provider_with_consultant,
    purge_on,
    trajectory,
)
from verzuim.models import Werknemer, Ziekmelding
from verzuim.retention import wia_window_day

pytestmark = pytest.mark.django_db

# Month ends, leap days and the days around them: where "N months later" has to clamp.
EDGES = [
    date(2020, 2, 29),
    date(2023, 1, 31),
    date(2023, 2, 28),
    date(2023, 8, 31),
    date(2023, 12, 31),
    date(2024, 1, 31),
    date(2024, 2, 29),
    date(2024, 3, 31),
    date(2024, 4, 30),
    date(2024, 6, 15),
]


def sql_answers(cat) -> dict:
    """{pk: (keep_until, rule, extension start)} as the database computes them."""
    sql = cat.sql()
    start = sql.extension_start or Value(None, output_field=DateField())
    rows = cat.model._default_manager.annotate(_d=sql.keep_until, _r=sql.rule, _s=start)
    return {pk: (d, r, s) for pk, d, r, s in rows.values_list("pk", "_d", "_r", "_s")}


def python_answers(cat) -> dict:
    roots = cat.model._default_manager.all()
    if cat.model is Ziekmelding:  # its employee and employer in the same query
        roots = roots.select_related("werknemer", "organisation")
    return {
        root.pk: (*cat.compute(root), cat.extension_start(root) if cat.extension_start else None)
        for root in roots
    }


def assert_agree(*keys, at_least=1):
    """Python and SQL answer the same for every record of each category; the last one's
    answers."""
    for key in keys:
        cat = registry.category(key)
        python = python_answers(cat)
        assert len(python) >= at_least, key
        assert sql_answers(cat) == python, key
    return python


def ziekmelding(werknemer, first_day, recovered_on=None, case_id=None, *, save=True):
    """A sick report straight on the model; save=False: unsaved, for one bulk_create (no
    post_save: the stored date stays empty, which these tests do not read)."""
    zm = Ziekmelding(
        werknemer=werknemer,
        organisation=werknemer.organisation,
        first_day=first_day,
        recovered_on=recovered_on,
        phone="06-12345678",
        **({"case_id": case_id} if case_id else {}),
    )
    if save:
        zm.save()
    return zm


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR, device=False)


def test_rt6_every_category_has_its_dates_in_sql():
    """RT-6: every registered category gives the purge its dates in SQL (else the purge falls
    back to building every record in Python: correct, but far slower; bench/README.md)."""
    assert [c.key for c in registry.categories() if c.sql is None] == []


def test_rt6_sql_and_python_agree_on_every_rule_period_at_month_ends_and_leap_days(employer):
    """RT-1..RT-6: `Period.sql` (PostgreSQL) equals `Period.after` for every period and maximum
    extension of the rule table, from every month end and leap day in EDGES."""
    periods = {rule.period for rule in RULES.values()}
    periods |= {rule.max_extension for rule in RULES.values() if rule.max_extension}
    cases = [(p, start) for p in sorted(periods, key=str) for start in EDGES]
    annotations = {f"d{i}": p.sql(Value(start)) for i, (p, start) in enumerate(cases)}
    (got,) = (
        Organisation.objects.filter(pk=employer.pk).annotate(**annotations).values(*annotations)
    )
    assert [got[f"d{i}"] for i in range(len(cases))] == [p.after(s) for p, s in cases]


def test_rt6_sql_and_python_agree_rt1_rt2_rt3_verzuim_cases_and_employees(employer):
    """RT-1, RT-2, RT-3: employed or not (employment ending at a month end or on a leap day),
    an open case, a closed one, a samentelling chain ending open or closed, at an ordinary
    employer and at an eigenrisicodrager ZW, WGA or both — and a tie between the 2 years after
    the employment and the 5 after the absence (the rule key of Python's max())."""
    orgs = [employer]
    for zw, wga in ((True, False), (False, True), (True, True)):
        org = Organisation.objects.create(name=f"ERD {zw} {wga}", kind="werkgever")
        for kind, on in (("zw", zw), ("wga", wga)):
            if on:
                EigenrisicodragerPeriode.objects.create(organisation=org, kind=kind)
        orgs.append(org)
    zms = []
    for org in orgs:
        for end in (None, date(2023, 1, 31), date(2024, 2, 29)):
            w = employee(org, employment_start=date(2015, 1, 1), employment_end=end)
            first = ziekmelding(w, date(2020, 1, 6), date(2020, 2, 29), save=False)
            other = ziekmelding(w, date(2022, 5, 2), date(2022, 5, 31), save=False)
            zms += [
                ziekmelding(w, date(2019, 1, 7), date(2019, 2, 28), save=False),  # on its own
                first,
                ziekmelding(w, date(2020, 3, 9), None, first.case_id, save=False),  # chain, open
                other,
                ziekmelding(w, date(2022, 6, 13), date(2022, 8, 31), other.case_id, save=False),
            ]
        # The tie: 2 years after 31 March 2024 = 5 years after 31 March 2021, the last day of
        # an absence whose day back is 1 April.
        w = employee(org, employment_start=date(2015, 1, 1), employment_end=date(2024, 3, 31))
        zms.append(ziekmelding(w, date(2021, 3, 1), date(2021, 4, 1), save=False))
    Ziekmelding.objects.bulk_create(zms)
    assert_agree("verzuim.ziekmelding", at_least=64)
    assert_agree("verzuim.werknemer", at_least=16)


def test_rt6_sql_and_python_agree_rt2_rt3_periods_and_the_wia_application(employer):
    """RT-2, RT-3 (issue 24): the eigenrisicodrager period that covered the absence, not today's
    status — a period that ended before the absence, one that began after it, one that overlaps
    only its first or last day; and at a WGA employer, a case one day short of the WIA
    application's window, one that reached it, and a samentelling chain adding up to it."""
    window = wia_window_day()
    first = date(2020, 1, 6)
    zms = []
    periods = [
        (date(2000, 1, 1), date(2020, 1, 5)),  # ended the day before the absence began
        (date(2020, 3, 1), None),  # began the day after the absence's last day
        (date(2000, 1, 1), date(2020, 1, 6)),  # ends on the first sick day
        (date(2020, 2, 29), None),  # begins on the last sick day (day back: 1 March)
        (None, None),
    ]
    for index, (start, end) in enumerate(periods):
        org = Organisation.objects.create(name=f"ERD periode {index}", kind="werkgever")
        for kind in ("zw", "wga"):
            EigenrisicodragerPeriode.objects.create(
                organisation=org, kind=kind, start=start, end=end
            )
        w = employee(org, employment_start=date(2015, 1, 1), employment_end=date(2020, 6, 30))
        zms.append(ziekmelding(w, first, date(2020, 3, 1), save=False))
        # At the WGA employers: one day short of the window, and just into it.
        for days in (window - 1, window):
            w = employee(org, employment_start=date(2015, 1, 1), employment_end=date(2023, 1, 31))
            zms.append(ziekmelding(w, first, first + timedelta(days=days), save=False))
        # A chain that adds up to the window with a healthy gap in between.
        w = employee(org, employment_start=date(2015, 1, 1), employment_end=date(2023, 1, 31))
        a = ziekmelding(w, first, first + timedelta(days=300), save=False)
        b_start = first + timedelta(days=320)
        zms += [
            a,
            ziekmelding(w, b_start, b_start + timedelta(days=window - 300), a.case_id, save=False),
        ]
    Ziekmelding.objects.bulk_create(zms)
    answers = assert_agree("verzuim.ziekmelding", at_least=25)
    rules = {rule for _, rule, _ in answers.values()}
    assert {"eigenrisicodrager_wga", "eigenrisicodrager_zw", "verzuimadministratie"} <= rules


def test_rt6_sql_and_python_agree_rt1_reintegratiedossier_by_case(hr, employer):
    """RT-1: the re-integratiedossier's date from its case — recovered, recovered after the
    employment ended (that end completes it), still open with and without an employment end,
    a chain; a case that is gone keeps the stored date."""
    plans, zms = [], []
    for end, periods in (
        (None, [(date(2023, 1, 2), date(2023, 1, 31))]),
        (date(2023, 2, 28), [(date(2023, 1, 2), date(2024, 2, 29))]),
        (date(2024, 2, 29), [(date(2023, 1, 2), None)]),
        (None, [(date(2023, 1, 2), None)]),
        (date(2025, 1, 31), [(date(2023, 1, 2), date(2023, 3, 31)), (date(2023, 4, 17), None)]),
        (None, [(date(2023, 1, 2), date(2023, 3, 31)), (date(2023, 4, 17), date(2023, 8, 31))]),
    ):
        w = employee(employer, employment_start=date(2015, 1, 1), employment_end=end)
        first = ziekmelding(w, *periods[0], save=False)
        zms += [first] + [ziekmelding(w, *p, first.case_id, save=False) for p in periods[1:]]
        plans.append(
            PlanVanAanpak(
                case_id=first.case_id,
                werknemer=w,
                organisation=employer,
                drawn_up_on=date(2023, 2, 1),
                casemanager="C",
                spoor="eigen_werk",
                goals="G",
            )
        )
    Ziekmelding.objects.bulk_create(zms)
    PlanVanAanpak.objects.bulk_create(plans)
    gone = plans[0]
    PlanVanAanpak.objects.filter(pk=gone.pk).update(keep_until=date(2030, 1, 31))
    Ziekmelding.objects.filter(case_id=gone.case_id).delete()
    assert_agree("reintegratie.plan", at_least=6)
    assert sql_answers(registry.category("reintegratie.plan"))[gone.pk][0] == date(2030, 1, 31)


def test_rt6_sql_and_python_agree_rt4_medical_dossiers_keuringen_and_notes(hr, make_user, employer):
    """RT-4: 20 years (40 with occupational exposure) after the last change, 6 months after the
    keuring was requested — counted from the date in Amsterdam, also just after midnight there
    (still the day before in UTC) and on a leap day."""
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    moments = [
        datetime(2024, 2, 28, 23, 30, tzinfo=UTC),  # 29 Feb 00:30 in Amsterdam
        datetime(2023, 8, 31, 21, 59, tzinfo=UTC),  # 31 Aug 23:59 (summer time)
        datetime(2023, 12, 31, 23, 0, tzinfo=UTC),  # 1 Jan 00:00 (winter time)
        datetime(2024, 6, 15, 12, 0, tzinfo=UTC),
    ]
    candidate = make_user(Role.WERKNEMER, organisation=employer, device=False)
    for i, moment in enumerate(moments):
        with at(moment.date()):
            dossier = medisch_actions.open_dossier(by=doctor, werknemer=employee(employer))
        Dossier.objects.filter(pk=dossier.pk).update(
            last_changed_at=moment, occupational_exposure=bool(i % 2)
        )
        exam = keuring(hr, candidate, moment.date())
        Keuring.objects.filter(pk=exam.pk).update(requested_at=moment)
        note = TrajectNotitie.objects.create(
            werknemer_id=1,
            organisation_id=employer.pk,
            trajectory_id=1,
            provider_name="R",
            kind=TrajectNotitie.Kind.RAPPORT,
            text="synthetisch",
            created_by_id=doctor.pk,
        )
        TrajectNotitie.objects.filter(pk=note.pk).update(created_at=moment)
    assert_agree("medisch.dossier", "medisch.keuring", "medisch.trajectnotitie", at_least=4)


def test_rt6_sql_and_python_agree_rt5_trajectories_and_machtigingen(hr, make_user, employer):
    """RT-5: 2 years after the trajectory ends (none while it runs), the extension counted from
    its end; a machtiging from its revocation (the UTC date, as Python's .date()) or the end of
    its validity."""
    provider, consultant = provider_with_consultant(make_user)
    w = employee(employer)
    zm = ziekmelding(w, date(2023, 1, 2))
    for end in (None, date(2024, 2, 29), date(2023, 8, 31)):
        trajectory(hr, zm, provider, consultant, date(2023, 2, 1), end_on=end)
    for revoked in (None, datetime(2024, 2, 29, 23, 30, tzinfo=UTC)):
        Machtiging.objects.create(
            werknemer=w,
            requester_name="R",
            party="huisarts",
            data_description="brief",
            purpose="traject",
            valid_from=date(2023, 1, 31),
            valid_until=date(2023, 8, 31),
            text_version="1",
            full_text="synthetisch",
            revoked_at=revoked,
        )
    assert_agree("reintegratie.traject", at_least=3)
    assert_agree("reintegratie.machtiging", at_least=2)


def test_rt6_sql_and_python_agree_rt1_rt6_doelgroep_checks_applicants_and_statements(hr, employer):
    """RT-6 ('sollicitant': 1 month after the register check, or after the applicant was entered
    when never checked) and RT-1 ('doelgroepadministratie': 2 years after the employment ends;
    a confidentiality statement 2 years after it was withdrawn)."""
    sign_statement(by=hr)
    bsns = synthetic_bsns()
    for day in (date(2024, 1, 31), date(2023, 12, 31)):
        with at(day):
            checked = create_kandidaat(by=hr, name="Sol Licitant", reference="Vac 1")
            create_kandidaat(by=hr, name="Nog Niet", reference="Vac 2")
            record_registercheck(
                by=hr,
                kandidaat=checked,
                in_register=True,
                checked_on=day,
                checked_via=CheckedVia.BSN,
                bsn=next(bsns),
            )
    for end in (None, date(2024, 2, 29)):
        with at(date(2022, 3, 31)):
            record_registercheck(
                by=hr,
                werknemer=employee(employer, employment_end=end),
                in_register=False,
                checked_on=date(2022, 3, 31),
                checked_via=CheckedVia.BSN,
                bsn=next(bsns),
            )
    Kandidaat.objects.filter(registercheck__isnull=True).update(
        created_at=datetime(2024, 1, 31, 23, 30, tzinfo=UTC)
    )
    # One statement withdrawn just before midnight UTC on a leap day, one still current.
    withdrawn = Geheimhoudingsverklaring.objects.get(user=hr)
    Geheimhoudingsverklaring.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=datetime(2024, 2, 29, 23, 30, tzinfo=UTC)
    )
    Geheimhoudingsverklaring.objects.create(
        user=hr, organisation=employer, text_version=withdrawn.text_version, text=withdrawn.text
    )
    assert Registercheck.objects.count() == 4
    assert_agree("doelgroep.registercheck", at_least=4)
    assert_agree("doelgroep.sollicitant", at_least=4)
    assert_agree("doelgroep.geheimhoudingsverklaring", at_least=2)


def test_rt6_stale_early_stored_date_keeps_the_record_and_is_corrected(employer):
    """RT-6: a stored date that is stale and too early (its starting event moved without the
    date being recomputed: QuerySet.update sends no post_save) deletes nothing — neither the dry
    run nor the purge counts it — and the purge writes the right date back."""
    w = employee(employer, employment_start=date(2015, 1, 1), employment_end=date(2024, 2, 29))
    Werknemer.objects.filter(pk=w.pk).update(
        employment_end=date(2025, 12, 31), keep_until=date(2026, 2, 28)
    )
    with at(date(2026, 6, 1)):
        assert {r.key: r.count for r in dry_run()}["verzuim.werknemer"] == 0
    run = purge_on(date(2026, 6, 1))
    assert run.counts.get("verzuim.werknemer", 0) == 0
    assert Werknemer.objects.get(pk=w.pk).keep_until == date(2027, 12, 31)


def test_rt5_rt6_sql_dates_honour_extension_cap_and_hold(hr, make_user, employer):
    """RT-5, RT-6 through the SQL path: an extension beyond 4 years after the trajectory's end
    is honoured only up to that day; a legal hold keeps the record past it."""
    provider, consultant = provider_with_consultant(make_user)
    zm = ziekmelding(employee(employer), date(2020, 1, 6))
    capped = trajectory(hr, zm, provider, consultant, date(2020, 2, 3), end_on=date(2020, 2, 29))
    held = trajectory(hr, zm, provider, consultant, date(2020, 2, 3), end_on=date(2020, 2, 29))
    RetentionExtension.objects.create(
        category="reintegratie.traject",
        object_id=capped.pk,
        reason="Terugval waarschijnlijk.",
        extended_until=date(2030, 1, 1),
    )
    LegalHold.objects.create(
        category="reintegratie.traject",
        object_id=held.pk,
        reason="Procedure.",
        until=date(2030, 1, 1),
    )
    # 4 years after 29 Feb 2020 is 29 Feb 2024 (a leap year again): kept that day, gone after.
    with at(date(2024, 2, 29)):
        assert {r.key: r.count for r in dry_run()}["reintegratie.traject"] == 0
    run = purge_on(date(2024, 3, 1))
    assert run.counts["reintegratie.traject"] == 1
    assert not Trajectory.objects.filter(pk=capped.pk).exists()
    assert Trajectory.objects.filter(pk=held.pk).exists()
