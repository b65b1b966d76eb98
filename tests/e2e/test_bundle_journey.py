"""End-to-end in real Chromium (RI-12, RI-4, DG-2), issue 19's journey: a case at sick week 91
lacks only the plan's signatures and the bedrijfsarts's actueel oordeel. HR and the employee sign
the plan van aanpak after re-authentication (password and a fresh TOTP code), the bedrijfsarts
records and releases an actueel oordeel in the medical module, HR makes the re-integratieverslag
for UWV from the completeness page, the employee downloads their copy from their portal — every
page carries their name, full BSN and "pagina X van Y" — and HR sees that download as the
receipt.

The rest of the case (probleemanalyse, evaluations, eerstejaarsevaluatie, eindevaluatie, the
employer's verslag and its signatures, the BSN) is set up in Python with the builder of
tests/reintegratie/test_completeness.py, dated from the real today: the live server cannot run
on frozen time.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from pypdf import PdfReader

import tests.reintegratie.test_completeness as completeness_builder
from accounts.models import Assignment
from accounts.roles import OrganisationKind, Role
from doelgroep.synthetic import synthetic_bsns
from reintegratie import bundle as bundles
from reintegratie.actions import documenten as documenten_actions
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import ondertekening as sign_actions
from reintegratie.models import PlanVanAanpak, Reintegratieverslag, Verslagbundel
from tests.e2e.test_enrolment import PASSWORD, _device_code, _submit, _url
from tests.e2e.test_medisch import _click_link_button, _new_page
from tests.e2e.test_reintegratie import _login, _person
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BSN = next(synthetic_bsns())  # the unissued test range (SE-5)
EMPLOYEE = "Vera Verslag"
ADVICE_LIMITATIONS = "Niet langer dan twee uur achtereen staan"
AGREE = "Akkoord: ik onderteken dit document voor gezien en akkoord"


@pytest.fixture
def scenario(db, monkeypatch):
    """Week 91, complete except the actueel oordeel and the signatures of the plan's newest
    version; every evaluation and the employer's verslag signed by HR and the employee."""
    # The builder dates everything from its module's TODAY; the live server runs on real time.
    monkeypatch.setattr(completeness_builder, "TODAY", timezone.localdate())
    employer = OrganisationFactory(name="E2E Werkgever Bundel BV")
    arbodienst = OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="E2E Arbo Bundel")
    hr = _person(Role.HR, employer, "Hanna Bundel")
    employee = _person(Role.WERKNEMER, employer, EMPLOYEE)
    doctor = _person(Role.BEDRIJFSARTS, arbodienst, "Bram Oordeel")
    Assignment.objects.create(user=doctor[0], organisation=employer)
    werknemer = WerknemerFactory(
        organisation=employer, user=employee[0], first_name="Vera", last_name="Verslag"
    )
    zm = completeness_builder.build(
        hr[0], doctor[0], werknemer, skip={"actueel_oordeel"}, sign=False
    )
    plan = PlanVanAanpak.objects.get(case_id=zm.case_id)
    verslag = Reintegratieverslag.objects.get(case_id=zm.case_id)
    dossier_actions.give_verslag(by=hr[0], verslag=verslag)
    for document in [*plan.evaluaties.all(), verslag]:
        for signer in (hr[0], employee[0]):
            sign_actions.sign(
                by=signer,
                document=document,
                agreed=True,
                request=completeness_builder._proof(signer),
            )
    documenten_actions.record_uwv_bsn(by=hr[0], werknemer=werknemer, bsn=BSN)
    return {
        "hr": hr,
        "employee": employee,
        "doctor": doctor,
        "werknemer": werknemer,
        "zm": zm,
        "plan": plan,
    }


def _sign_after_reauthentication(page, live_server, device, plan):
    """RI-12: the signing page asks password and a fresh code first, then the form."""
    assert urlsplit(page.url).path == f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    assert page.get_by_role("button", name="Ondertekenen", exact=True).count() == 0
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Bevestigen en ondertekenen").click()
    url = urlsplit(page.url)
    assert url.path == "/account/bevestigen/" and "doel=ondertekenen" in url.query, page.url
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    # The login spent this time step's code; the next step's code is the one the app shows next.
    page.get_by_label("Code uit uw authenticator-app").fill(_device_code(device, drift=1))
    _submit(page, "Bevestigen")
    assert urlsplit(page.url).path == f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    page.get_by_role("radio", name=AGREE, exact=True).check()
    _submit(page, "Ondertekenen")
    assert "is ondertekend. Controlecode:" in page.locator("body").inner_text()


def _doctor_gives_actueel_oordeel(page, live_server, doctor, device, werknemer):
    """RI-12 (the doctor's part): an actueel oordeel, released to employer and employee."""
    _login(page, live_server, doctor, device)
    page.goto(_url(live_server, "/medisch/"))
    row = page.get_by_role("row").filter(has_text=werknemer.personnel_number)
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("link", name="Openen", exact=True).click()
    dossier_url = page.url
    _click_link_button(page, "Advies aan werkgever")
    page.fill("input[name='date']", timezone.localdate().isoformat())
    page.select_option("select[name='kind']", "actueel_oordeel")
    page.fill("textarea[name='limitations']", ADVICE_LIMITATIONS)
    page.fill("textarea[name='capabilities']", "Zittend werk, vier uur per dag")
    page.select_option("select[name='expected_duration']", "lang")
    page.fill("input[name='incapacity_percentage']", "50")
    assert page.get_by_label("Direct vrijgeven aan werkgever en werknemer").is_checked()
    _submit(page, "Advies opslaan")
    assert page.url == dossier_url, page.locator(".error-summary, .errorlist").all_inner_texts()
    advice = page.locator("section[aria-labelledby='adviezen'] article").filter(
        has_text=ADVICE_LIMITATIONS
    )
    heading = advice.get_by_role("heading", level=3).inner_text()
    assert heading.startswith("Actueel oordeel (re-integratieverslag)"), heading
    assert advice.locator(".badge", has_text="vrijgegeven").is_visible()


def test_ri12_hr_and_employee_sign_doctor_judges_hr_makes_bundle_employee_downloads_copy(
    page, browser, live_server, scenario
):
    """RI-12: the bundle can be made only once the plan is signed by both and the actueel
    oordeel is there; HR makes it from the completeness page; the employee's copy is in their
    portal and their first download is the receipt HR sees. RI-4: the medical part is not in it.
    DG-2: every page of the PDF carries the employee's name and full BSN."""
    zm, plan, werknemer = scenario["zm"], scenario["plan"], scenario["werknemer"]
    hr, hr_device = scenario["hr"]
    employee, employee_device = scenario["employee"]
    lacking = bundles.lacking(zm)
    assert len(lacking) == 2, lacking  # the plan's signatures and the actueel oordeel
    assert any(line.startswith("Actueel oordeel") for line in lacking), lacking

    # 1. HR signs the plan's newest version after re-authentication ...
    hr_page = page
    _login(hr_page, live_server, hr, hr_device)
    hr_page.goto(_url(live_server, f"/reintegratie/meldingen/{zm.pk}/volledigheid/"))
    assert hr_page.get_by_role("button", name="Maak het re-integratieverslag voor UWV").count() == 0
    hr_page.goto(_url(live_server, f"/reintegratie/meldingen/{zm.pk}/plan/"))
    with hr_page.expect_navigation(wait_until="load"):
        hr_page.get_by_role("button", name=f"Versie {plan.version} ondertekenen").click()
    _sign_after_reauthentication(hr_page, live_server, hr_device, plan)

    # ... and so does the employee, from their portal.
    context, employee_page = _new_page(browser, live_server)
    try:
        _login(employee_page, live_server, employee, employee_device)
        employee_page.goto(_url(live_server, "/reintegratie/mijn/"))
        with employee_page.expect_navigation(wait_until="load"):
            employee_page.get_by_role("button", name=f"Versie {plan.version} ondertekenen").click()
        _sign_after_reauthentication(employee_page, live_server, employee_device, plan)
        assert urlsplit(employee_page.url).path == "/reintegratie/mijn/"

        # 2. The bedrijfsarts records and releases the actueel oordeel.
        doctor_context, doctor_page = _new_page(browser, live_server)
        try:
            _doctor_gives_actueel_oordeel(doctor_page, live_server, *scenario["doctor"], werknemer)
        finally:
            doctor_context.close()
        assert bundles.lacking(zm) == []

        # 3. HR makes the bundle from the completeness page.
        hr_page.goto(_url(live_server, f"/reintegratie/meldingen/{zm.pk}/volledigheid/"))
        # About 25 documents rendered and merged: more than a click's usual 15 s on a busy CI.
        _submit(hr_page, "Maak het re-integratieverslag voor UWV", timeout=90_000)
        made = Verslagbundel.objects.get(case_id=zm.case_id)
        assert urlsplit(hr_page.url).path == f"/reintegratie/bundels/{made.pk}/"
        body = hr_page.locator("main").inner_text()
        assert "nog niet gedownload door de werknemer" in body
        assert "Dit verslag is gemaakt van de documenten zoals ze nu zijn." in body
        assert BSN not in body  # DG-2: the page shows the BSN masked; only the PDF holds it
        assert made.received_at is None

        # 4. The employee finds the copy in their portal and downloads it.
        employee_page.goto(_url(live_server, "/reintegratie/mijn/"))
        with employee_page.expect_navigation(wait_until="load"):
            employee_page.get_by_role(
                "link", name=re.compile(r"^Re-integratieverslag voor UWV van ")
            ).click()
        assert urlsplit(employee_page.url).path == f"/reintegratie/bundels/{made.pk}/"
        with employee_page.expect_download() as download_info:
            employee_page.get_by_role(
                "link", name="Download het re-integratieverslag (PDF)"
            ).click()
        download = download_info.value
        assert download.failure() is None
        assert download.suggested_filename == f"re-integratieverslag-uwv-{made.pk}.pdf"
        with open(download.path(), "rb") as handle:
            data = handle.read()
    finally:
        context.close()

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == made.pages > 1
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert EMPLOYEE in text, (number, text[:300])
        assert f"BSN {BSN}" in text, (number, text[:300])
        assert re.search(r"pagina \d+ van \d+", text), (number, text[-300:])
    everything = " ".join(texts)
    # RI-4: the doctor's medical information goes to the employee only, never into the bundle.
    assert completeness_builder.MARKER not in everything
    assert ADVICE_LIMITATIONS in everything  # the actueel oordeel's employer part is in it

    made.refresh_from_db()
    assert made.received_at is not None
    hr_page.goto(_url(live_server, f"/reintegratie/bundels/{made.pk}/"))
    assert "gedownload door de werknemer op" in hr_page.locator("main").inner_text()
    assert "nog niet gedownload" not in hr_page.locator("main").inner_text()
