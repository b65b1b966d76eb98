"""End-to-end in real Chromium: the bedrijfsarts records a consult and an advice in the sealed
medical module; the employer sees only the released advice, never the consult, and cannot enter
medisch/ at all (MD-2, MD-5); the employee sees who read their medical data (AV-6, SE-7)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.utils import timezone

from accounts.models import Assignment
from accounts.roles import OrganisationKind, Role
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONSULT_MARKER = "ZZCONSULT"
ANAMNESIS = f"Knieklachten na val {CONSULT_MARKER}"
DIAGNOSIS = "Meniscusletsel"
POLICY = "Verwijzing fysiotherapie, controle over vier weken"
LIMITATIONS = "Geen knielend werk"
CAPABILITIES = "Administratief werk 4 uur per dag"
ADJUSTMENTS = "Bureau op de begane grond"
DURATION_LABEL = "zes weken tot drie maanden"  # medisch ExpectedDuration.MEDIUM ("middel")


def _login(page, live_server, user, device):
    """Password step, then the TOTP code (SE-1); lands on the dashboard."""
    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    assert page.url == _url(live_server, "/"), page.url


def _new_page(browser, live_server):
    """A second browser context (own cookies), set up like the `page` fixture."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


def _click_link_button(page, name):
    """Links styled as buttons (role="button") that navigate."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=name, exact=True).click()


@pytest.fixture
def scenario(db):
    employer = OrganisationFactory(name="E2E Werkgever Medisch BV")
    arbodienst = OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="E2E Arbodienst")
    hr = UserFactory(
        role=Role.HR, organisation=employer, full_name="Henk Roelofs", password=PASSWORD
    )
    doctor = UserFactory(
        role=Role.BEDRIJFSARTS,
        organisation=arbodienst,
        full_name="Anouk Verhoeven",
        password=PASSWORD,
    )
    Assignment.objects.create(user=doctor, organisation=employer)
    employee_user = UserFactory(
        role=Role.WERKNEMER, organisation=employer, full_name="Pieter Pander", password=PASSWORD
    )
    werknemer = WerknemerFactory(
        organisation=employer, user=employee_user, first_name="Pieter", last_name="Pander"
    )
    case = create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=10),
        **ZM_DATA,
    )
    return {
        "hr": (hr, TOTPDeviceFactory(user=hr)),
        "doctor": (doctor, TOTPDeviceFactory(user=doctor)),
        "employee": (employee_user, TOTPDeviceFactory(user=employee_user)),
        "werknemer": werknemer,
        "case": case,
    }


def _doctor_records_consult_and_advice(page, live_server, doctor, device, werknemer):
    """MD-5 (doctor's side): a consult and a released advice in work terms."""
    _login(page, live_server, doctor, device)
    page.goto(_url(live_server, "/medisch/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Medische dossiers"
    row = page.get_by_role("row").filter(has_text=werknemer.personnel_number)
    assert werknemer.full_name in row.inner_text()
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("button", name="Dossier aanleggen", exact=True).click()
    assert "/medisch/dossiers/" in page.url
    dossier_url = page.url
    assert werknemer.full_name in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("Nog geen consulten.").is_visible()

    _click_link_button(page, "Consult vastleggen")
    assert page.get_by_role("heading", level=1).inner_text() == "Consult vastleggen"
    page.fill("input[name='date']", timezone.localdate().isoformat())
    page.fill("textarea[name='anamnesis']", ANAMNESIS)
    page.fill("textarea[name='findings']", "Zwelling mediaal, pijn bij hurken")
    page.fill("textarea[name='diagnosis']", DIAGNOSIS)
    page.fill("input[name='diagnosis_code']", "L87")
    page.fill("textarea[name='policy']", POLICY)
    _submit(page, "Consult opslaan")
    assert page.url == dossier_url
    consults = page.locator("section[aria-labelledby='consulten']").inner_text()
    assert CONSULT_MARKER in consults and DIAGNOSIS in consults

    _click_link_button(page, "Advies aan werkgever")
    assert page.get_by_role("heading", level=1).inner_text() == "Advies aan de werkgever"
    page.fill("input[name='date']", timezone.localdate().isoformat())
    page.fill("textarea[name='limitations']", LIMITATIONS)
    page.fill("textarea[name='capabilities']", CAPABILITIES)
    page.select_option("select[name='expected_duration']", "middel")
    page.fill("input[name='incapacity_percentage']", "50")
    page.fill("textarea[name='adjustments']", ADJUSTMENTS)
    release = page.get_by_label("Direct vrijgeven aan werkgever en werknemer")
    assert release.is_checked()  # left as it is: released at once
    _submit(page, "Advies opslaan")
    assert page.url == dossier_url, page.locator(".error-summary, .errorlist").all_inner_texts()

    advice = page.locator("section[aria-labelledby='adviezen']")
    advice_text = advice.inner_text()
    assert LIMITATIONS in advice_text and CAPABILITIES in advice_text
    assert ADJUSTMENTS in advice_text and "50%" in advice_text
    assert advice.locator(".badge", has_text="vrijgegeven").is_visible()
    assert CONSULT_MARKER in page.locator("section[aria-labelledby='consulten']").inner_text()
    return urlsplit(dossier_url).path


def _assert_stored_sealed():
    """MD-2/MD-3 under the hood: one consult, stored encrypted, readable only through the
    medisch connection; one released advice."""
    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT anamnesis, diagnosis FROM medisch_consult")
        rows = cursor.fetchall()
        assert len(rows) == 1
        anamnesis, diagnosis = rows[0]
        assert CONSULT_MARKER not in anamnesis and DIAGNOSIS not in diagnosis
        cursor.execute("SELECT count(*) FROM medisch_advies WHERE released_at IS NOT NULL")
        assert cursor.fetchone()[0] == 1


def test_consult_stays_sealed_advice_crosses_and_employee_sees_access(
    page, browser, live_server, artifacts_dir, scenario
):
    """MD-2 + MD-5 + AV-6 + SE-7 in the browser: the doctor records a consult and a released
    advice; HR sees the advice on the case page but nothing of the consult and is refused
    medisch/ (403); the employee sees the advice and that the doctor read the dossier."""
    doctor, doctor_device = scenario["doctor"]
    hr, hr_device = scenario["hr"]
    employee, employee_device = scenario["employee"]
    werknemer, case = scenario["werknemer"], scenario["case"]

    # 1. The doctor (MD-5).
    dossier_path = _doctor_records_consult_and_advice(
        page, live_server, doctor, doctor_device, werknemer
    )
    page.screenshot(path=str(artifacts_dir / "medisch-dossier.png"), full_page=True)
    _assert_stored_sealed()

    # 2. HR in a browser context of its own (MD-2, MD-5).
    context, hr_page = _new_page(browser, live_server)
    try:
        _login(hr_page, live_server, hr, hr_device)
        hr_page.goto(_url(live_server, f"/verzuim/meldingen/{case.pk}/"))
        assert werknemer.full_name in hr_page.get_by_role("heading", level=1).inner_text()
        advice = hr_page.locator("section[aria-labelledby='advies']").inner_text()
        assert LIMITATIONS in advice and CAPABILITIES in advice and ADJUSTMENTS in advice
        assert DURATION_LABEL in advice and "50%" in advice
        html = hr_page.content()
        for secret in (CONSULT_MARKER, DIAGNOSIS, "Knieklachten", "fysiotherapie"):
            assert secret not in html, secret
        hr_page.screenshot(path=str(artifacts_dir / "medisch-hr-case.png"), full_page=True)

        for path in ("/medisch/", dossier_path):
            response = hr_page.goto(_url(live_server, path))
            assert response.status == 403, (path, response.status)
            assert CONSULT_MARKER not in hr_page.content()
    finally:
        context.close()

    # 3. The employee (AV-6, SE-7).
    context, own_page = _new_page(browser, live_server)
    try:
        _login(own_page, live_server, employee, employee_device)
        own_page.goto(_url(live_server, "/verzuim/mijn/"))
        section = own_page.locator("section[aria-labelledby='inzage']")
        heading = section.get_by_role("heading", level=2).inner_text()
        assert heading == "Wie heeft mijn medische gegevens ingezien?"
        doctor_reads = (
            section.get_by_role("row")
            .filter(has_text=doctor.full_name)
            .filter(has_text="medisch dossier ingezien")
        )
        assert doctor_reads.count() >= 1, section.inner_text()
        assert doctor_reads.first.is_visible()
        own_advice = own_page.locator("section[aria-labelledby='advies']").inner_text()
        assert LIMITATIONS in own_advice and CAPABILITIES in own_advice
        own_page.screenshot(
            path=str(artifacts_dir / "medisch-werknemer-inzage.png"), full_page=True
        )
    finally:
        context.close()
