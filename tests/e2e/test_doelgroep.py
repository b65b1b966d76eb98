"""End-to-end in real Chromium (DG-5, DG-6, SE-7): an HR user signs the confidentiality statement,
records a support measure, opens the inclusion report and sees small cells suppressed — on the
page and in the CSV, without a single name — and every step is in the audit log."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.roles import Role
from doelgroep.models import Geheimhoudingsverklaring, MaatregelKind, Ondersteuningsmaatregel
from privacy.models import AuditEvent
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.factories import WerknemerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

K = 5  # DOELGROEP_K default
SUPPRESSED = f"<{K}"
# Distinctive names, so "no name on the page" cannot pass by accident or fail on a common word.
PRODUCTIE = [
    ("Anouk", "Zwaanswijk"),
    ("Bastiaan", "Verbruggen"),
    ("Cornelia", "Heemskerk"),
    ("Diederik", "Oosterhuis"),
    ("Evelien", "Grootendorst"),
    ("Frederik", "Lammerink"),
    ("Gerdien", "Wijnbergen"),
    ("Hendrik", "Kuipersma"),
]
LOGISTIEK = [("Ingeborg", "Vossenberg"), ("Joost", "Terpstra")]


def _login(page, live_server, user, device):
    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    assert urlsplit(page.url).path == "/", page.url


def _path(page):
    return urlsplit(page.url).path


def _follow(page, name, role="link"):
    with page.expect_navigation(wait_until="load"):
        page.get_by_role(role, name=name, exact=True).click()


@pytest.fixture
def scenario(db):
    employer = OrganisationFactory(name="E2E Werkgever Doelgroep BV")
    hr = UserFactory(
        role=Role.HR, organisation=employer, full_name="Hanna Rietveld", password=PASSWORD
    )
    device = TOTPDeviceFactory(user=hr)
    productie = [
        WerknemerFactory(organisation=employer, department="Productie", first_name=f, last_name=n)
        for f, n in PRODUCTIE
    ]
    logistiek = [
        WerknemerFactory(organisation=employer, department="Logistiek", first_name=f, last_name=n)
        for f, n in LOGISTIEK
    ]
    start = date(timezone.localdate().year, 1, 2)
    for person in productie[:5]:
        Ondersteuningsmaatregel.objects.create(
            werknemer=person,
            organisation=employer,
            kind=MaatregelKind.BEGELEIDING,
            start_on=start,
            recorded_by=hr,
        )
    assert not Geheimhoudingsverklaring.objects.filter(user=hr).exists()
    return {"hr": hr, "device": device, "people": productie + logistiek, "logistiek": logistiek}


def _report_table(page, year):
    """The first report table as {row label: {column label: text}} ("totaal" included)."""
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=f"Ondersteuningsmaatregelen per afdeling in {year}")
    )
    table = section.locator("table.report")
    columns = [t.strip() for t in table.locator("thead th").all_inner_texts()][1:]
    result = {}
    for row in table.locator("tbody tr, tfoot tr").all():
        label = row.locator("th").inner_text().strip()
        values = [t.strip() for t in row.locator("td").all_inner_texts()]
        result[label] = dict(zip(columns, values, strict=True))
    return columns, result


def test_dg6_dg5_sign_statement_record_measure_and_report_suppresses_small_cells(
    page, live_server, scenario, tmp_path
):
    hr, people = scenario["hr"], scenario["people"]
    year = timezone.localdate().year
    _login(page, live_server, hr, scenario["device"])

    # DG-6: no access before signing; the 403 page says why and where to sign.
    response = page.goto(_url(live_server, "/doelgroep/"))
    assert response.status == 403
    assert "Geen toegang" in page.get_by_role("heading", level=1).inner_text()
    reason = page.get_by_role("alert").inner_text()
    assert "geheimhoudingsverklaring nog niet ondertekend" in reason, reason
    _follow(page, "Naar de geheimhoudingsverklaring", role="button")
    assert _path(page) == "/doelgroep/verklaring/"
    page.get_by_label("Ik heb de verklaring gelezen en onderteken haar").check()
    _submit(page, "Ondertekenen")
    assert _path(page) == "/doelgroep/", page.url
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Doelgroepadministratie"
    assert "U hebt de geheimhoudingsverklaring ondertekend." in page.locator("body").inner_text()
    assert Geheimhoudingsverklaring.objects.filter(user=hr, withdrawn_at__isnull=True).count() == 1

    # DG-5: a support measure for a Logistiek employee, through the form.
    mover = scenario["logistiek"][0]
    page.goto(_url(live_server, f"/doelgroep/werknemers/{mover.pk}/"))
    assert mover.full_name in page.get_by_role("heading", level=1).inner_text()
    _follow(page, "Maatregel toevoegen")
    assert _path(page) == f"/doelgroep/werknemers/{mover.pk}/maatregelen/nieuw/"
    page.select_option("select[name='kind']", label="scholing")
    today = timezone.localdate()
    page.fill("input[name='start_on']", today.isoformat())
    _submit(page, "Opslaan")
    assert _path(page) == f"/doelgroep/werknemers/{mover.pk}/", page.url
    measures = page.locator("section[aria-labelledby='maatregelen']").inner_text()
    assert f"scholing: vanaf {today:%d-%m-%Y}" in measures, measures
    assert Ondersteuningsmaatregel.objects.filter(werknemer=mover, kind="scholing").exists()

    # DG-5: the report, reached from the overview.
    page.goto(_url(live_server, "/doelgroep/"))
    _follow(page, "Inclusie-rapportage")
    assert _path(page) == "/doelgroep/rapportage/"
    assert page.get_by_role("heading", level=1).inner_text().strip() == (
        f"Inclusie-rapportage {year}"
    )
    columns, table = _report_table(page, year)
    body = page.locator("body").inner_text()
    html = page.content()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"inclusie-{year}.csv"
    csv_path = tmp_path / download.suggested_filename
    download.save_as(csv_path)
    csv_text = csv_path.read_text(encoding="utf-8")

    # SE-7: the signature and the report views are in the audit log.
    assert AuditEvent.objects.filter(object_type="doelgroep.geheimhoudingsverklaring").exists()
    assert AuditEvent.objects.filter(object_type="doelgroep.rapportage", action="read").exists()
    assert AuditEvent.objects.filter(object_type="doelgroep.rapportage", action="export").exists()

    # No name anywhere: not on the page (text or markup), not in the CSV.
    for person in people:
        for text in (person.first_name, person.last_name):
            assert text not in html, text
            assert text not in csv_text, text
    assert SUPPRESSED in csv_text, csv_text

    # The small cell is suppressed, and so is enough around it that it cannot be recomputed:
    # the Logistiek row total and the scholing column total are hidden too, and the Logistiek
    # row holds more than one hidden cell.
    assert "persoonlijke begeleiding" in columns and "scholing" in columns, columns
    assert set(table) >= {"Logistiek", "Productie", "totaal"}, table
    logistiek = table["Logistiek"]
    assert logistiek["scholing"] == SUPPRESSED, table
    assert logistiek["totaal"] == SUPPRESSED, table
    assert sum(value == SUPPRESSED for value in logistiek.values()) >= 3, table
    assert table["totaal"]["scholing"] == SUPPRESSED, table
    assert SUPPRESSED in body
    for row in table.values():
        for value in row.values():
            assert value == SUPPRESSED or int(value) >= K, table

    # Published: five people in Productie with personal guidance (≥ k).
    assert table["Productie"]["persoonlijke begeleiding"] == "5", table
