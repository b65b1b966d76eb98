"""End-to-end in real Chromium (issue 23): an HR officer keeps the staff list in step with the HR
system — the second month's file is uploaded, the preview shows the hire, the change (old → new),
the missing employee with an open case flagged (RT-1, RI-1), and applying it asks first what to
do with the missing employee, keeping the choice and date typed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Werknemer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;afdeling"


def test_rt1_ri1_hr_previews_and_applies_the_months_staff_file(
    page, live_server, artifacts_dir, tmp_path
):
    employer = OrganisationFactory(name="E2E Werkgever BV")
    user = UserFactory(role=Role.HR, organisation=employer, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)
    people = {
        "1001": ("Anna", "de Vries", "Productie"),
        "1002": ("Bram", "Jansen", "Productie"),
        "1003": ("Cor", "Bakker", "Logistiek"),
    }
    for number, (first, last, department) in people.items():
        WerknemerFactory(
            organisation=employer,
            personnel_number=number,
            first_name=first,
            last_name=last,
            department=department,
            date_of_birth=date(1980, 2, 1),
            employment_start=date(2020, 3, 1),
        )
    create_ziekmelding(
        by=user,
        werknemer=Werknemer.objects.get(personnel_number="1003"),
        first_day=timezone.localdate() - timedelta(days=2),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    staff_file = tmp_path / "personeel-december.csv"
    staff_file.write_text(
        "\r\n".join(
            [
                HEADER,
                "1001;Anna;de Vries;01-02-1980;01-03-2020;Productie",
                "1002;Bram;Jansen;01-02-1980;01-03-2020;Logistiek",
                "1004;Dirk;Smit;02-02-1985;01-12-2026;Winkels",
            ]
        )
        + "\r\n",
        encoding="utf-8",
    )

    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    page.goto(_url(live_server, "/verzuim/werknemers/import/"))
    page.set_input_files("input[name='file']", str(staff_file))
    _submit(page, "Controleren")

    body = page.locator("main").inner_text()
    assert "Voorbeeld: werknemers bijwerken" in body
    assert "Nieuw (1)" in body and "Dirk Smit" in body
    assert "afdeling: Productie → Logistiek" in body
    assert "Niet meer in het bestand (1)" in body and "Cor Bakker" in body
    assert page.locator(".badge", has_text="open verzuim").count() == 1
    page.screenshot(path=str(artifacts_dir / "hr-sync-voorbeeld.png"), full_page=True)

    # Applying without a choice for the missing employee: asked at the field, nothing applied.
    _submit(page, "Toepassen")
    assert "Kies wat er met deze werknemers gebeurt." in page.locator("main").inner_text()
    assert not Werknemer.objects.filter(personnel_number="1004").exists()
    page.check("input[name='missing_action'][value='uit_dienst']")
    page.fill("input[name='end_date']", "2026-12-31")
    _submit(page, "Toepassen")

    assert "Synchronisatie toegepast" in page.locator("main").inner_text()
    assert Werknemer.objects.get(personnel_number="1004").department == "Winkels"
    assert Werknemer.objects.get(personnel_number="1002").department == "Logistiek"
    assert Werknemer.objects.get(personnel_number="1003").employment_end == date(2026, 12, 31)
    page.screenshot(path=str(artifacts_dir / "hr-sync-toegepast.png"), full_page=True)
