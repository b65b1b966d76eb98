"""SE-5: the demo data is synthetic, idempotent and of a real customer's shape (issue 18, item 8):
three employers, 66 employees, two years of history, open cases at every Poortwachter stage, the
demo users matching their records, the medical module sealed off from the demo HR user.

The demo is seeded ONCE for the module, in one transaction on both database aliases that is
rolled back at the end (the pattern of tests/security/conftest.py); each test runs in
savepoints inside it, so a second seed inside a test leaves nothing behind.
"""

import io
import json
from base64 import b32decode
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import EMAIL_DOMAIN, EMPLOYERS, SERVES, current_code
from accounts.models import Assignment, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.scoping import employer_organisation_ids
from doelgroep.models import Registercheck
from doelgroep.synthetic import is_synthetic_bsn
from medisch import policies as medisch_policies
from medisch import queries as medisch_queries
from medisch.models import Advies, Consult, Probleemanalyse
from medisch.public import released_advice
from privacy.models import AuditEvent
from reintegratie import queries as reintegratie_queries
from reintegratie.models import PlanVanAanpak, Voortgangsrapportage
from verzuim import deadlines
from verzuim import queries as verzuim_queries
from verzuim.demo import DEMO_EMPLOYEE_CASE, OPEN_CASES, STAGE_WEEKS, open_case
from verzuim.models import DeadlineCompletion, Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])
ALIASES = ("default", "medisch")


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Organisation,
            Werknemer,
            Ziekmelding,
            DeadlineCompletion,
            AuditEvent,
            Consult,
            Advies,
            PlanVanAanpak,
            Voortgangsrapportage,
            Registercheck,
        )
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, with Faker's ssn() made to fail (SE-5: BSNs only from the
    synthetic range); returns the printed credentials and the counts after the first run."""
    path = tmp_path_factory.mktemp("demo") / "demo-credentials.json"
    files = tmp_path_factory.mktemp("medical-files")
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_CREDENTIALS_PATH=path, MEDICAL_FILES_ROOT=str(files)),
        ExitStack() as stack,
    ):
        for alias in ALIASES:
            stack.enter_context(transaction.atomic(using=alias))
        try:
            with mock.patch(
                "faker.providers.ssn.nl_NL.Provider.ssn",
                side_effect=AssertionError("Faker ssn() in demo data (SE-5)"),
            ):
                call_command("seed_demo")
            yield {
                "credentials": json.loads(path.read_text()),
                "extra": json.loads(path.with_name("demo-credentials-extra.json").read_text()),
                "counts": _counts(),
                "path": path,
            }
        finally:
            for alias in ALIASES:
                transaction.set_rollback(True, using=alias)
    for alias in ALIASES:
        connections[alias].close()


@pytest.fixture
def credentials_path(seeded, settings):
    settings.DEMO_CREDENTIALS_PATH = seeded["path"]
    return seeded["path"]


def _user(local) -> User:
    return User.objects.get(email=f"{local}@{EMAIL_DOMAIN}")


def _orgs() -> dict:
    return {o.name: o for o in Organisation.objects.all()}


def test_seed_demo_is_idempotent(seeded, credentials_path):
    """SE-5 / DESIGN.md interface: running the seed a second time changes no count and writes
    the same credentials."""
    call_command("seed_demo")
    assert _counts() == seeded["counts"]
    assert json.loads(credentials_path.read_text()) == seeded["credentials"]
    extra = credentials_path.with_name("demo-credentials-extra.json")
    assert json.loads(extra.read_text()) == seeded["extra"]


def test_one_login_per_role_and_one_hr_login_per_employer(seeded):
    """DESIGN.md interface: demo-credentials.json holds exactly one user per role; the HR users
    of the other employers are in demo-credentials-extra.json, in the same shape."""
    rows, extra = seeded["credentials"], seeded["extra"]
    assert sorted(row["role"] for row in rows) == sorted(Role.values)
    assert all(
        set(row) == {"role", "username", "password", "totp_secret", "organisation"}
        for row in rows + extra
    )
    hr_employers = [row["organisation"] for row in rows + extra if row["role"] == Role.HR]
    assert sorted(hr_employers) == sorted(EMPLOYERS)


def test_demo_users_log_in_with_password_and_totp(seeded, client):
    """SE-1 + SE-5: every demo user gets in with the printed password and TOTP secret."""
    for row in seeded["credentials"] + seeded["extra"]:
        client.logout()
        client.post(
            "/account/login/",
            {
                "login_view-current_step": "auth",
                "auth-username": row["username"],
                "auth-password": row["password"],
            },
        )
        code = f"{TOTP(b32decode(row['totp_secret'])).token():06d}"
        response = client.post(
            "/account/login/", {"login_view-current_step": "token", "token-otp_token": code}
        )
        assert response.status_code == 302, row["role"]
        assert client.get("/").status_code == 200, row["role"]


def test_demo_data_is_marked_synthetic_and_uses_reserved_domains(seeded):
    """SE-5: no real people — every record flagged synthetic, e-mail on the reserved .example
    TLD (RFC 2606)."""
    assert not User.objects.filter(is_synthetic=False).exists()
    assert not Organisation.objects.filter(is_synthetic=False).exists()
    assert not Werknemer.objects.filter(is_synthetic=False).exists()
    assert all(u.email.endswith(".example") for u in User.objects.all())
    assert all(e.endswith(".example") for e in Werknemer.objects.values_list("email", flat=True))


def test_bsns_come_from_the_synthetic_range_not_faker(seeded):
    """SE-5, DG-2: the seed ran with Faker's ssn() failing, and every stored BSN is in the
    range never issued to a person."""
    bsns = [c.bsn for c in Registercheck.objects.all() if c.bsn]
    assert bsns
    assert all(is_synthetic_bsn(bsn) for bsn in bsns)


def test_three_employers_of_different_size_with_departments(seeded):
    """Issue 18 item 8: at least 3 employers and 60 employees, in departments."""
    employers = Organisation.objects.filter(kind=OrganisationKind.WERKGEVER)
    assert employers.count() >= 3
    sizes = Counter(Werknemer.objects.values_list("organisation_id", flat=True))
    assert sum(sizes.values()) >= 60
    assert len(set(sizes.values())) == len(sizes) >= 3  # every employer its own size
    for org in employers:
        departments = Counter(
            Werknemer.objects.filter(organisation=org).values_list("department", flat=True)
        )
        assert len(departments) >= 2
        assert min(departments.values()) >= 5  # DG-5: no department small enough to point at one


def test_two_years_of_closed_cases_spread_over_every_month(seeded):
    """Statistics per month mean something: closed cases start in every 30-day window of the
    last two years, with short, medium and long durations."""
    today = timezone.localdate()
    closed = list(Ziekmelding.objects.filter(recovered_on__isnull=False))
    assert min(z.first_day for z in closed) <= today - timedelta(days=700)
    windows = {(today - z.first_day).days // 30 for z in closed}
    assert set(range(1, 24)) <= windows
    classes = Counter(
        "kort" if days < 7 else "middellang" if days < 42 else "lang"
        for days in ((z.recovered_on - z.first_day).days for z in closed)
    )
    assert set(classes) == {"kort", "middellang", "lang"}
    assert min(classes.values()) >= 5


def test_closed_history_keeps_what_the_actions_keep(seeded):
    """RI-1, RT-1, SE-7: the bulk-inserted closed cases carry what create_ziekmelding and
    record_herstel would have left: one filing completion dated the first day, the next
    deadline the engine computes, the retention date the registry computes, herstelmeldingen
    ending in full recovery, audit rows in an unbroken chain; leavers' cases end in service."""
    from privacy.audit import verify
    from verzuim.retention import ziekmelding_keep_until

    closed = list(
        Ziekmelding.objects.filter(recovered_on__isnull=False).select_related(
            "werknemer", "organisation"
        )
    )
    filings = Counter(
        (c.case_id, c.completed_on)
        for c in DeadlineCompletion.objects.filter(key="ziekmelding_arbodienst")
    )
    logged = Counter(
        pk
        for ids in AuditEvent.objects.filter(object_type="verzuim.ziekmelding").values_list(
            "object_ids", flat=True
        )
        for pk in ids
    )
    for zm in closed:
        assert Ziekmelding.objects.filter(case_id=zm.case_id).count() == 1  # no samentelling
        assert filings[(zm.case_id, zm.first_day)] == 1
        expected = deadlines.next_deadline_fields(deadlines.deadlines_for(zm), [zm])
        assert {field: getattr(zm, field) for field in expected} == expected
        assert zm.keep_until == ziekmelding_keep_until(zm)[0]
        last = zm.herstelmeldingen.order_by("date").last()
        assert (last.kind, last.date) == ("volledig", zm.recovered_on)
        assert logged[str(zm.pk)] >= 3  # filed, its completion, its recovery
        end = zm.werknemer.employment_end
        assert end is None or zm.recovered_on <= end
    assert any(zm.keep_until for zm in closed)  # the leavers' cases have a retention date
    assert not list(verify())


def test_open_cases_at_every_poortwachter_stage(seeded):
    """RI-1: open cases in sick week 2, 7, 20, 45 and 90 at the demo HR user's employer, a
    vangnet case and one in adapted work; the stored next deadline is the engine's."""
    today = timezone.localdate()
    orgs = _orgs()
    hr = _user("hr")
    for key, week in STAGE_WEEKS.items():
        case = open_case(orgs, key)
        assert case.organisation_id == hr.organisation_id, key
        assert (today - case.first_day).days // 7 + 1 == week, key
        upcoming = deadlines.next_open(deadlines.deadlines_for(case))
        assert case.next_deadline_key == upcoming.key, key
    assert open_case(orgs, "vangnet").vangnet
    assert open_case(orgs, "aangepast_werk").adapted_work_since is not None
    states = Counter(
        d.state
        for c in OPEN_CASES
        for d in deadlines.deadlines_for(open_case(orgs, c.key))
        if d.state != "not_applicable"
    )
    assert states["done"] >= 20 and states["overdue"] >= 2 and states["open"] >= 20


def test_open_cases_carry_the_documents_of_their_stage(seeded):
    """Consults, advice released and in concept, probleemanalyse, plan van aanpak in versions,
    evaluations, trajectories with progress reports in every state."""
    orgs = _orgs()
    week20, week90 = open_case(orgs, "week20"), open_case(orgs, "week90")
    for case in (week20, week90):
        assert Consult.objects.filter(dossier__werknemer_id=case.werknemer_id).count() >= 4
        assert Probleemanalyse.objects.filter(case_id=case.case_id).exists()
        plan = PlanVanAanpak.objects.get(case_id=case.case_id)
        assert plan.versies.count() >= 2 and plan.evaluaties.count() >= 2
        assert plan.activiteiten.filter(done_on__isnull=False).exists()
        assert Voortgangsrapportage.objects.filter(trajectory__case_id=case.case_id).exists()
    assert Advies.objects.filter(case_id=week20.case_id, released_at__isnull=True).exists()
    assert Advies.objects.filter(case_id=week20.case_id, released_at__isnull=False).exists()
    assert set(Voortgangsrapportage.objects.values_list("status", flat=True)) == {
        "concept",
        "ter_inzage",
        "vrijgegeven",
    }
    completed = set(
        DeadlineCompletion.objects.filter(case_id=week90.case_id).values_list("key", flat=True)
    )
    assert {"melding_42e_week", "eerstejaarsevaluatie", "besluit_spoor_2"} <= completed


def test_demo_employee_login_is_their_own_employee_record(seeded):
    """Issue 18: the demo werknemer's name and e-mail are their employee record's, and what they
    see is their own open case, plan and trajectory."""
    employee = _user("werknemer")
    record = Werknemer.objects.get(user=employee)
    assert employee.full_name == record.full_name
    assert employee.email == record.email
    own = open_case(_orgs(), DEMO_EMPLOYEE_CASE)
    assert own.werknemer_id == record.pk
    visible = verzuim_queries.ziekmeldingen_visible_to(employee)
    assert own in visible and {z.werknemer_id for z in visible} == {record.pk}
    assert {p.case_id for p in reintegratie_queries.plans_visible_to(employee)} == {own.case_id}
    assert reintegratie_queries.trajectories_visible_to(employee).filter(case_id=own.case_id)


def test_ri12_demo_case_at_week_91_has_a_complete_signed_bundle_in_the_employees_portal(seeded):
    """Issue 19: the demo case at week 91 is complete (every part present, every employer
    document signed by HR and the employee), its re-integratieverslag for UWV is made from the
    documents as they are and sits in the portal of its employee's own login."""
    from pypdf import PdfReader

    from reintegratie import bundle as bundles
    from reintegratie import completeness
    from reintegratie.models import Verslagbundel

    case = open_case(_orgs(), "week91")
    assert (timezone.localdate() - case.first_day).days // 7 + 1 == 91
    checked = completeness.check(case)
    assert checked.complete, checked.lacking
    signable = [part for part in checked.parts if part.signable]
    assert signable and all(part.signed for part in signable)
    made = Verslagbundel.objects.get(case_id=case.case_id)
    assert bundles.is_current(made, case)
    assert bundles.wia_requirement(case, timezone.localdate()) == []
    employee = _user("werknemer-wia")
    assert Werknemer.objects.get(user=employee).pk == case.werknemer_id
    assert list(reintegratie_queries.bundles_visible_to(employee)) == [made]
    pages = PdfReader(io.BytesIO(Verslagbundel.objects.get(pk=made.pk).pdf())).pages
    assert len(pages) == made.pages
    assert all(f"BSN {case.werknemer.bsn}" in page.extract_text() for page in pages)
    assert DeadlineCompletion.objects.filter(
        case_id=case.case_id, key="kopie_werknemer", undone_at__isnull=True
    ).exists()


def test_each_login_serves_the_right_employers(seeded):
    """SE-9: the HR logins see their own employer's people only; the doctor, casemanager and
    consultant serve the employers SERVES names; the consultant sees their trajectories."""
    orgs = _orgs()
    for local, employer in (("hr", 0), ("hr-installatie", 1), ("hr-zorg", 2)):
        seen = verzuim_queries.werknemers_visible_to(_user(local))
        assert set(seen.values_list("organisation_id", flat=True)) == {orgs[EMPLOYERS[employer]].pk}
    for local, served in SERVES.items():
        assert set(
            Assignment.objects.filter(user=_user(local)).values_list(
                "organisation__name", flat=True
            )
        ) == set(served)
    doctor = _user("bedrijfsarts")
    doctor_sees = set(
        medisch_queries.dossiers_visible_to(doctor).values_list("organisation_id", flat=True)
    )
    assert doctor_sees == {orgs[name].pk for name in EMPLOYERS}
    assert medisch_queries.dossiers_visible_to(_user("casemanager")).exists()  # MD-4 delegated
    consultant_sees = reintegratie_queries.trajectories_visible_to(_user("consultant"))
    assert {t.organisation_id for t in consultant_sees} == {
        orgs[name].pk for name in SERVES["consultant"]
    }
    operator_sees = set(employer_organisation_ids(_user("beheerder")).values_list("pk", flat=True))
    assert {orgs[name].pk for name in EMPLOYERS} <= operator_sees
    assert {
        w.organisation_id for w in verzuim_queries.werknemers_visible_to(_user("werkgever"))
    } == {orgs[EMPLOYERS[0]].pk}


def test_demo_hr_sees_no_medical_record(seeded):
    """MD-2, MD-5: with consults, probleemanalyses and concept advice in the demo, the HR user
    reaches no dossier, and through the employer's side only released advice of their own
    cases."""
    hr = _user("hr")
    assert not medisch_policies.may_enter(hr)
    assert not medisch_queries.dossiers_visible_to(hr).exists()
    concept = set(Advies.objects.filter(released_at__isnull=True).values_list("pk", flat=True))
    assert concept
    shown = set()
    for case in verzuim_queries.ziekmeldingen_visible_to(hr).filter(recovered_on__isnull=True):
        shown |= {a.id for a in released_advice(case.case_id, subject=case.werknemer.pseudonym)}
    assert shown and not shown & concept


def test_demo_code_gives_the_code_of_a_role_or_of_a_named_login(seeded, settings):
    """`make code ROLE=hr` and `make code ROLE=hr-zorg`: the current code of that demo user."""
    settings.PRODUCTION, settings.EMBEDDED_DATABASE = False, True
    for role, local in (("hr", "hr"), ("hr-zorg", "hr-zorg"), ("bedrijfsarts", "bedrijfsarts")):
        device = TOTPDevice.objects.get(user=_user(local), name="default")
        out, before = StringIO(), current_code(device)
        call_command("demo_code", role=role, stdout=out)
        # The 30-second step may turn between the two readings.
        assert out.getvalue().strip() in {before, current_code(device)}, role


def test_seed_demo_and_demo_code_refuse_outside_demo(settings):
    """SE-5: the demo helpers refuse in production / on a real database."""
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    settings.PRODUCTION = False
    settings.EMBEDDED_DATABASE = False
    with pytest.raises(CommandError):
        call_command("demo_code", role="hr")
    assert settings.DEMO_CREDENTIALS_PATH


def test_ri12_demo_plans_are_signed_validly_by_hr(seeded):
    """RI-12: every demo plan's newest version carries a valid employer signature (and the demo
    employee's own plan theirs too), with a check code."""
    plans = list(PlanVanAanpak.objects.select_related("werknemer"))
    assert plans
    for plan in plans:
        missing = reintegratie_queries.unsigned_roles(plan)
        assert "werkgever" not in missing, plan
        if plan.werknemer.user_id:
            assert missing == [], plan
