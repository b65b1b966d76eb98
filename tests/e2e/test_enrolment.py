"""End-to-end in real Chromium: first-login TOTP enrolment, login with a second factor (SE-1)
and no third-party requests or CSP violations on the login page and dashboard (SE-8)."""

import base64
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGIN = "/account/login/"
SETUP = "/account/2fa/instellen/"
ENROLLED = "/account/ingesteld/"
DASHBOARD = "/"
PASSWORD = "Paarse-olifant-fietst-42"

# Collects CSP violations with the offending resource; init scripts are injected over the
# DevTools protocol, so the policy (no inline scripts) does not block this one.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({
    directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber,
  });
});
"""


def _url(live_server, path):
    return f"{live_server.url}{path}"


def _path(page):
    return urlsplit(page.url).path


def _submit(page, button, timeout=None):
    """Click a submit button and wait for the resulting page (redirects included); `timeout`
    (ms) for a step that does heavy work on the server, e.g. a PDF of a whole case."""
    with page.expect_navigation(wait_until="load", timeout=timeout):
        page.get_by_role("button", name=button, exact=True).click()


def _code_from_secret(secret: str) -> str:
    """What an authenticator app shows for the base32 secret on the enrolment page."""
    secret = "".join(secret.split()).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def _device_code(device, drift=0) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{token.token():0{device.digits}d}"


def _wrong_code(device) -> str:
    """A six-digit code that is not valid in any step the device accepts (tolerance 1)."""
    valid = {_device_code(device, drift) for drift in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _password_step(page, live_server, user, password=PASSWORD):
    page.goto(_url(live_server, LOGIN))
    page.fill("input[name='auth-username']", user.email)
    page.fill("input[name='auth-password']", password)
    _submit(page, "Volgende")


def _assert_pico_styled(page):
    """The vendored Pico CSS and app.css are loaded and applied (not an unstyled page)."""
    sheets = page.evaluate("() => [...document.styleSheets].map((s) => s.href || '')")
    assert any(href.endswith("/static/vendor/pico/pico.min.css") for href in sheets), sheets
    assert any(href.endswith("/static/css/app.css") for href in sheets), sheets
    pico_font = page.evaluate(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--pico-font-family').trim()"
    )
    assert pico_font, "Pico CSS custom properties are not applied"


def _assert_dashboard(page, live_server, user):
    assert page.url == _url(live_server, DASHBOARD)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().strip() == f"Welkom, {user.full_name}"
    # The verified navigation (with "Mijn account") only renders for a verified session.
    assert page.get_by_role("link", name="Mijn account").is_visible()


def test_new_user_enrols_totp_and_reaches_dashboard(page, live_server, artifacts_dir):
    """SE-1: first login → enrolment with QR + secret → TOTP code → 10 backup codes →
    dashboard greeting the user by name."""
    user = UserFactory(role=Role.HR, password=PASSWORD)
    assert not TOTPDevice.objects.filter(user=user).exists()

    _password_step(page, live_server, user)
    assert page.url == _url(live_server, SETUP)
    assert page.get_by_role("heading", level=1).inner_text() == "Tweestapsverificatie instellen"

    qr = page.locator(".qr img")
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "QR code did not load"
    secret = page.locator("#totp-secret").inner_text().strip()
    assert len(secret) == 32, secret  # 20-byte key, base32
    _assert_pico_styled(page)
    page.screenshot(path=str(artifacts_dir / "enrolment-setup.png"), full_page=True)

    page.fill("input[name='generator-token']", _code_from_secret(secret))
    _submit(page, "Bevestigen")

    assert page.url == _url(live_server, ENROLLED)
    codes = page.locator("ul.codes li").all_inner_texts()
    assert len(codes) == 10, codes
    assert len(set(codes)) == 10 and all(code.strip() for code in codes)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.name == "default"
    assert StaticToken.objects.filter(device__user=user).count() == 10

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Verder naar het overzicht").click()
    _assert_dashboard(page, live_server, user)
    _assert_pico_styled(page)
    page.screenshot(path=str(artifacts_dir / "enrolment-dashboard.png"), full_page=True)


def test_enrolled_user_logs_in_with_password_and_totp(page, live_server):
    """SE-1: an enrolled user needs password and the current TOTP code."""
    user = UserFactory(role=Role.HR, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)

    _password_step(page, live_server, user)
    assert page.url == _url(live_server, LOGIN)
    token_field = page.locator("input[name='token-otp_token']")
    assert token_field.is_visible()

    token_field.fill(_device_code(device))
    _submit(page, "Inloggen")
    _assert_dashboard(page, live_server, user)


def test_wrong_totp_code_keeps_user_logged_out(page, live_server):
    """SE-1: a wrong code shows an error on the login page and does not log the user in."""
    user = UserFactory(role=Role.HR, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)

    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _wrong_code(device))
    _submit(page, "Inloggen")

    assert page.url == _url(live_server, LOGIN)
    assert page.locator(".error-summary[role='alert']").is_visible()
    assert page.locator("input[name='token-otp_token']").is_visible()

    page.goto(_url(live_server, DASHBOARD))
    assert _path(page) == LOGIN
    assert urlsplit(page.url).query == "next=/"
    assert page.locator("input[name='auth-username']").is_visible()
    assert page.get_by_role("link", name="Mijn account").count() == 0


@dataclass
class PageTraffic:
    """Everything one page load asked the network for, and what the console complained about."""

    requests: list = field(default_factory=list)
    bad_responses: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    def attach(self, page):
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "response",
            lambda response: (
                self.bad_responses.append((response.status, response.url))
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "requestfailed",
            lambda request: self.failed.append((request.url, request.failure)),
        )
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{message.text} @ {message.location}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))

    def csp_errors(self):
        return [text for text in self.console_errors if "Content Security Policy" in text]

    def clear(self):
        for bucket in (self.requests, self.bad_responses, self.failed, self.console_errors):
            bucket.clear()


def _settle(page):
    page.wait_for_load_state("networkidle")
    time.sleep(0.2)  # let late console messages (CSP reports are asynchronous) arrive


def _assert_same_origin_and_clean(page, live_server, traffic, label):
    origin = urlsplit(live_server.url)
    network = [url for url in traffic.requests if not url.startswith(("data:", "blob:"))]
    assert network, f"{label}: no requests recorded"
    foreign = [
        url
        for url in network
        if (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
    ]
    assert not foreign, f"{label}: third-party requests {foreign}"
    # The page's own stylesheets were among them (the listener really saw the subresources).
    assert any(url.endswith("/static/vendor/pico/pico.min.css") for url in network), network

    # A violation is both an event (with the blocked resource) and a "Refused to ..." error.
    violations = page.evaluate("() => window.__cspViolations || []")
    refused = [text for text in traffic.csp_errors() if "violates" in text or "Refused" in text]
    assert not violations and not refused, (
        f"{label}: CSP violations {violations} / console {refused}"
    )
    assert not traffic.bad_responses, f"{label}: error responses {traffic.bad_responses}"
    assert not traffic.failed, f"{label}: failed requests {traffic.failed}"
    others = [text for text in traffic.console_errors if text not in traffic.csp_errors()]
    assert not others, f"{label}: console errors {others}"


def test_login_and_dashboard_load_only_own_origin_without_csp_violations(page, live_server):
    """SE-8: the login page and dashboard request nothing from another origin and raise no
    Content Security Policy violations (all scripts/styles vendored, no inline code)."""
    user = UserFactory(role=Role.HR, password=PASSWORD)
    device = TOTPDeviceFactory(user=user)
    page.add_init_script(CSP_LISTENER)
    traffic = PageTraffic()
    traffic.attach(page)

    response = page.goto(_url(live_server, LOGIN))
    assert "content-security-policy" in response.headers
    _settle(page)
    _assert_same_origin_and_clean(page, live_server, traffic, "login page")
    _assert_pico_styled(page)

    page.fill("input[name='auth-username']", user.email)
    page.fill("input[name='auth-password']", PASSWORD)
    _submit(page, "Volgende")
    page.fill("input[name='token-otp_token']", _device_code(device))
    traffic.clear()
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="Inloggen", exact=True).click()
    assert "content-security-policy" in navigation.value.headers
    _settle(page)
    _assert_dashboard(page, live_server, user)
    _assert_same_origin_and_clean(page, live_server, traffic, "dashboard")
    _assert_pico_styled(page)


def test_content_security_policy_is_accepted_by_the_browser(page, live_server):
    """SE-8: Chromium accepts the policy as sent (no ignored or invalid sources)."""
    traffic = PageTraffic()
    traffic.attach(page)
    page.goto(_url(live_server, LOGIN))
    _settle(page)
    assert not traffic.csp_errors(), traffic.csp_errors()
