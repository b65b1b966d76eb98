"""End-to-end in Chromium (SE-8, issue 18 item 5): before the idle timeout a dialog offers
"Blijf ingelogd", which renews the session; a form sent after the session ended is not sent — the
page keeps what was typed and says, in Dutch, how to log in again in a new tab. Nothing typed is
stored in the browser (nothing typed in localStorage or sessionStorage)."""

from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session

from accounts.roles import Role
from tests.e2e.test_enrolment import CSP_LISTENER, _device_code, _password_step, _submit
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FORM = "/verzuim/meldingen/nieuw/"
TYPED = "Overdracht van de planning aan Piet; klant X belt vrijdag terug."


def test_idle_warning_keeps_the_session_and_an_expired_one_keeps_the_form(
    page, live_server, settings
):
    settings.SESSION_COOKIE_AGE = 123  # the warning comes 120 s before: after 3 s
    user = UserFactory(role=Role.HR)
    device = TOTPDeviceFactory(user=user)
    page.add_init_script(CSP_LISTENER)
    _password_step(page, live_server, user, password=PASSWORD)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    page.goto(f"{live_server.url}{FORM}")

    dialog = page.locator("dialog#sessie-waarschuwing")
    dialog.wait_for(state="visible", timeout=15_000)
    assert "Uw sessie verloopt bijna" in dialog.inner_text()
    assert "uitgelogd" in dialog.inner_text()
    with page.expect_response(lambda r: r.url.endswith("/account/sessie/")) as answer:
        page.get_by_role("button", name="Blijf ingelogd").click()
    assert answer.value.status == 200
    assert answer.value.request.method == "POST"
    dialog.wait_for(state="hidden")

    page.fill("textarea[name='lopende_afspraken']", TYPED)
    Session.objects.all().delete()  # the session ends meanwhile (timeout, logout elsewhere)
    page.get_by_role("button", name="Ziekmelding vastleggen").click()

    alert = page.locator("main form .session-expired[role=alert]")
    alert.wait_for(state="visible")
    assert "Uw sessie is verlopen; er is niets verstuurd." in alert.inner_text()
    link = alert.get_by_role("link")
    assert link.get_attribute("target") == "_blank"
    assert urlsplit(link.get_attribute("href")).path == "/account/login/"
    assert urlsplit(page.url).path == FORM
    assert page.input_value("textarea[name='lopende_afspraken']") == TYPED
    # Nothing typed is kept in the browser (htmx keeps only the current path there).
    stored = page.evaluate(
        "() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => s[k]))"
    )
    assert not [value for value in stored if TYPED in value]
    assert page.evaluate("() => localStorage.length") == 0
    assert page.evaluate("() => window.__cspViolations") == []
