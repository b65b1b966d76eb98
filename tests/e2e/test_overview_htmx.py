"""Issue 18, item 10 in real Chromium: changing a filter of the verzuimoverzicht swaps the
results through htmx — no page load, the URL follows the filter — under the CSP (no eval, no
inline script)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_overview_filter_swaps_the_results_through_htmx(page, live_server, artifacts_dir):
    employer = OrganisationFactory(name="E2E Werkgever BV")
    user = UserFactory(role=Role.HR, organisation=employer, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)
    today = timezone.localdate()
    create_ziekmelding(
        by=user,
        werknemer=WerknemerFactory(organisation=employer, first_name="Otto", last_name="Open"),
        first_day=today - timedelta(days=10),
        **ZM_DATA,
    )
    closed = create_ziekmelding(
        by=user,
        werknemer=WerknemerFactory(organisation=employer, first_name="Hanna", last_name="Hersteld"),
        first_day=today - timedelta(days=20),
        **ZM_DATA,
    )
    closed.recovered_on = today - timedelta(days=5)
    closed.save(update_fields=["recovered_on"])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    page.goto(_url(live_server, "/verzuim/meldingen/"))
    results = page.locator("#verzuim-resultaten")
    assert "Otto Open" in results.inner_text() and "Hanna Hersteld" not in results.inner_text()
    page.evaluate("() => { window.notReloaded = true; }")

    with page.expect_response(lambda r: "status=closed" in r.url) as swapped:
        page.select_option("select[name='status']", "closed")
    assert swapped.value.request.headers.get("hx-request") == "true"
    page.wait_for_function(
        "() => document.querySelector('#verzuim-resultaten').innerText.includes('Hanna')"
    )
    text = page.locator("#verzuim-resultaten").inner_text()
    assert "Hanna Hersteld" in text and "Otto Open" not in text
    assert page.evaluate("() => window.notReloaded === true")  # swapped, not navigated
    assert "status=closed" in page.url
    assert "status=closed" in page.locator("#verzuim-export").get_attribute("href")
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.screenshot(path=str(artifacts_dir / "overzicht-htmx-filter.png"), full_page=True)
