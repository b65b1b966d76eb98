"""End-to-end in real Chromium (issue 3): an HR user files a ziekmelding, the guard refuses a
diagnosis in the notes with everything typed kept (ZM-3), the user fixes it, files it, and sees
the case's Poortwachter deadlines (RI-1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.models import Ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hr_files_ziekmelding_guard_refuses_then_deadlines_show(page, live_server, artifacts_dir):
    """ZM-3 + RI-1 in the browser."""
    employer = OrganisationFactory(name="E2E Werkgever BV")
    user = UserFactory(role=Role.HR, organisation=employer, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)
    werknemer = WerknemerFactory(organisation=employer, first_name="Sanne", last_name="Bosman")

    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")

    page.goto(_url(live_server, "/verzuim/meldingen/nieuw/"))
    assert page.get_by_text("geen medische gegevens", exact=False).first.is_visible()
    first_day = (timezone.localdate() - timedelta(days=3)).isoformat()
    page.select_option("select[name='werknemer']", str(werknemer.pk))
    page.fill("input[name='first_day']", first_day)
    page.fill("input[name='phone']", "06-24681357")
    notes = "Heeft griep, offerte Jansen gaat naar Karin"
    page.fill("textarea[name='lopende_afspraken']", notes)
    _submit(page, "Ziekmelding vastleggen")

    # Refused: the offending word is named, everything typed is still there.
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "griep" in summary.inner_text()
    assert page.input_value("textarea[name='lopende_afspraken']") == notes
    assert page.input_value("input[name='phone']") == "06-24681357"
    assert page.input_value("input[name='first_day']") == first_day
    assert not Ziekmelding.objects.exists()
    page.screenshot(path=str(artifacts_dir / "ziekmelding-guard.png"), full_page=True)

    page.fill("textarea[name='lopende_afspraken']", "Offerte Jansen gaat naar Karin")
    _submit(page, "Ziekmelding vastleggen")

    zm = Ziekmelding.objects.get()
    assert page.url == _url(live_server, f"/verzuim/meldingen/{zm.pk}/")
    timeline = page.locator("#tijdlijn ~ table, section[aria-labelledby='tijdlijn'] table")
    text = timeline.first.inner_text()
    assert "week 6 — probleemanalyse" in text
    assert "week 8 — plan van aanpak" in text
    due = zm.first_day + timedelta(days=41)
    assert due.strftime("%d-%m-%Y") in text
    page.screenshot(path=str(artifacts_dir / "ziekmelding-termijnen.png"), full_page=True)
