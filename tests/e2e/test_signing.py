"""End-to-end in real Chromium (RI-12): HR signs the plan van aanpak's version through the
re-authentication step (password and a TOTP code again, in a session already signed in), sees
the signature with its check code as valid, and checks that code on the verify page."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.roles import Role
from reintegratie import signing
from reintegratie.actions import plan as plan_actions
from reintegratie.models import Ondertekening
from tests.e2e.test_enrolment import PASSWORD, _device_code, _submit
from tests.e2e.test_reintegratie import _login, _person
from tests.factories import OrganisationFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ri12_hr_signs_a_plan_version_after_reauthentication(page, live_server):
    employer = OrganisationFactory(name="E2E Werkgever Ondertekening BV")
    hr, device = _person(Role.HR, employer, "Hanna Handtekening")
    werknemer = WerknemerFactory(organisation=employer, first_name="Wout", last_name="Tekenaar")
    case = create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=timezone.localdate() - timedelta(days=40), **ZM_DATA
    )
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=timezone.localdate(),
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Over zes weken weer halve dagen in het eigen werk.",
        advies_ref=None,
    )

    _login(page, live_server, hr, device)
    page.goto(f"{live_server.url}/reintegratie/meldingen/{case.pk}/plan/")
    page.get_by_role("button", name="Versie 1 ondertekenen").click()
    page.get_by_role("link", name="Bevestigen en ondertekenen").click()
    assert urlsplit(page.url).path == "/account/bevestigen/"
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    # The login spent this time step's code; the next step's code is the one the app shows next.
    page.get_by_label("Code uit uw authenticator-app").fill(_device_code(device, drift=1))
    _submit(page, "Bevestigen")
    assert urlsplit(page.url).path == f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    page.get_by_role(
        "radio", name="Akkoord: ik onderteken dit document voor gezien en akkoord", exact=True
    ).check()
    _submit(page, "Ondertekenen")

    assert urlsplit(page.url).path == f"/reintegratie/meldingen/{case.pk}/plan/"
    signature = Ondertekening.objects.get()
    code = signing.show_code(signature.check_code)
    table = page.locator(".signatures-table")
    assert "Hanna Handtekening" in table.inner_text() and code in table.inner_text()
    assert "geldig" in table.inner_text()
    assert page.get_by_role("button", name="Versie 1 ondertekenen").count() == 0

    page.goto(f"{live_server.url}/reintegratie/verifieren/")
    page.get_by_label("Controlecode").fill(code.lower())
    _submit(page, "Controleren")
    result = page.locator("#uitkomst").locator("..").inner_text()
    assert "geldig" in result and "ongeldig" not in result and "Hanna" not in result
