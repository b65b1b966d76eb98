"""End-to-end in real Chromium (RI-3, RI-5, RI-10): HR draws up a plan van aanpak that refers to
the doctor's advice and the employee agrees with it in their portal; HR commissions a coaching
trajectory, the employee reads what goes to the company, the company's consultant files a
progress report, and HR sees it only after the employee has read it."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.models import Assignment
from accounts.roles import OrganisationKind, Role
from reintegratie.models import PlanVanAanpak, Trajectory, Voortgangsrapportage
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.e2e.test_medisch import LIMITATIONS, _doctor_records_consult_and_advice, _new_page
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOALS = "Over zes weken weer vier uur per dag in het eigen werk"
PROGRESS = "Drie coachingsgesprekken gevoerd; de opbouw loopt volgens afspraak"
COMPANY = "E2E Re-integratie Nieuwe Kansen"


def _login(page, live_server, user, device):
    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    assert urlsplit(page.url).path == "/", page.url


def _person(role, organisation, name):
    user = UserFactory(role=role, organisation=organisation, full_name=name, password=PASSWORD)
    return user, TOTPDeviceFactory(user=user)


@pytest.fixture
def scenario(db):
    employer = OrganisationFactory(name="E2E Werkgever Re-integratie BV")
    arbodienst = OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="E2E Arbo")
    company = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF, name=COMPANY)
    hr = _person(Role.HR, employer, "Hanna Rietveld")
    employee = _person(Role.WERKNEMER, employer, "Wim Wouters")
    consultant = _person(Role.CONSULTANT, company, "Carla Coach")
    doctor = _person(Role.BEDRIJFSARTS, arbodienst, "Bram Arts")
    Assignment.objects.create(user=doctor[0], organisation=employer)
    werknemer = WerknemerFactory(
        organisation=employer, user=employee[0], first_name="Wim", last_name="Wouters"
    )
    case = create_ziekmelding(
        by=hr[0],
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=40),
        **ZM_DATA,
    )
    return {
        "hr": hr,
        "employee": employee,
        "consultant": consultant,
        "doctor": doctor,
        "werknemer": werknemer,
        "case": case,
    }


def test_ri3_ri5_plan_agreed_and_report_read_by_employee_before_hr_sees_it(
    page, browser, live_server, scenario
):
    case = scenario["case"]
    # MD-5: the doctor records and releases an advice in the medical module (through its pages).
    context, doctor_page = _new_page(browser, live_server)
    try:
        _doctor_records_consult_and_advice(
            doctor_page, live_server, *scenario["doctor"], scenario["werknemer"]
        )
    finally:
        context.close()
    hr_page = page
    _login(hr_page, live_server, *scenario["hr"])

    # RI-3: HR draws up the plan; the doctor's limitations appear by reference.
    hr_page.goto(_url(live_server, f"/verzuim/meldingen/{case.pk}/"))
    with hr_page.expect_navigation(wait_until="load"):
        hr_page.get_by_role("link", name="plan van aanpak").click()
    hr_page.fill("input[name='casemanager']", "Hanna Rietveld")
    hr_page.get_by_label("eigen werk, aangepast").check()
    hr_page.fill("textarea[name='goals']", GOALS)
    _submit(hr_page, "Opslaan")
    assert "Plan van aanpak opgeslagen (versie 1)" in hr_page.content()
    assert LIMITATIONS in hr_page.locator("section[aria-labelledby='beperkingen']").inner_text()
    plan = PlanVanAanpak.objects.get(case_id=case.case_id)

    # RI-10: HR commissions a trajectory with only the data it needs.
    hr_page.goto(_url(live_server, f"/reintegratie/meldingen/{case.pk}/trajecten/nieuw/"))
    hr_page.select_option("select[name='provider']", label=COMPANY)
    consultant_user = scenario["consultant"][0]
    hr_page.select_option("select[name='consultant']", value=str(consultant_user.pk))
    hr_page.get_by_label("coaching", exact=True).check()
    hr_page.get_by_label("naam, geboortedatum en contactgegevens").check()
    _submit(hr_page, "Traject aanmelden")
    trajectory = Trajectory.objects.get(case_id=case.case_id)
    assert trajectory.employee_informed_at is None

    # The employee agrees with version 1 and reads what goes to which company.
    context, employee_page = _new_page(browser, live_server)
    try:
        _login(employee_page, live_server, *scenario["employee"])
        employee_page.goto(_url(live_server, "/reintegratie/mijn/"))
        body = employee_page.locator("main").inner_text()
        assert GOALS in body and LIMITATIONS in body
        assert COMPANY in body and "naam, geboortedatum en contactgegevens" in body
        employee_page.get_by_label("Ik ga akkoord met deze versie van het plan").check()
        _submit(employee_page, f"Reactie op versie {plan.version} versturen")
        plan.refresh_from_db()
        assert plan.employee_response == "akkoord" and plan.employee_response_version == 1
        _submit(employee_page, "Ik heb dit gelezen")
        trajectory.refresh_from_db()
        assert trajectory.employee_informed_at is not None

        hr_page.goto(_url(live_server, f"/reintegratie/meldingen/{case.pk}/plan/"))
        assert "akkoord met versie 1" in hr_page.locator("main").inner_text()

        # RI-5: the consultant files a report and puts it before the employee.
        consultant_context, consultant_page = _new_page(browser, live_server)
        try:
            _login(consultant_page, live_server, *scenario["consultant"])
            consultant_page.goto(_url(live_server, f"/reintegratie/trajecten/{trajectory.pk}/"))
            with consultant_page.expect_navigation(wait_until="load"):
                consultant_page.get_by_role("link", name="Voortgangsrapportage opstellen").click()
            consultant_page.fill("input[name='period_end']", timezone.localdate().isoformat())
            consultant_page.get_by_label("alle afspraken nagekomen").check()
            consultant_page.locator("input[name='cooperating'][value='ja']").check()
            consultant_page.fill("textarea[name='progress']", PROGRESS)
            consultant_page.fill("textarea[name='next_steps']", "Gesprek met de leidinggevende")
            _submit(consultant_page, "Opslaan als concept")
            _submit(consultant_page, "Ter inzage aan de werknemer")
            _submit(consultant_page, "Vrijgeven aan de opdrachtgever")
            assert "nog niet gelezen" in consultant_page.locator("main").inner_text()
            report = Voortgangsrapportage.objects.get(trajectory=trajectory)
            assert report.released_at is None

            # HR does not see it yet.
            hr_page.goto(_url(live_server, f"/reintegratie/trajecten/{trajectory.pk}/"))
            assert PROGRESS not in hr_page.content()

            # The employee reads it first.
            employee_page.goto(_url(live_server, "/reintegratie/mijn/"))
            assert PROGRESS in employee_page.locator("main").inner_text()
            _submit(employee_page, "Ik heb deze rapportage gelezen")
            report.refresh_from_db()
            assert report.employee_seen_at is not None

            # Now the consultant releases it and HR sees progress and cooperation.
            consultant_page.goto(_url(live_server, f"/reintegratie/trajecten/{trajectory.pk}/"))
            _submit(consultant_page, "Vrijgeven aan de opdrachtgever")
            report.refresh_from_db()
            assert report.released_at is not None
        finally:
            consultant_context.close()
    finally:
        context.close()
    hr_page.goto(_url(live_server, f"/reintegratie/trajecten/{trajectory.pk}/"))
    assert PROGRESS in hr_page.locator("main").inner_text()
