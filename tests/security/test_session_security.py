"""SE-8: login throttling/lockout, session expiry, secure cookies, strict security headers and no
third-party resources in any page."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from tests.conftest import totp_code
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
ROOT = Path(settings.BASE_DIR)


def _password_step(client, email, password):
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_lockout_after_repeated_failures_even_with_the_right_password(client):
    """SE-8: after AXES_FAILURE_LIMIT wrong passwords the pair is locked; the Dutch lockout page
    is shown and the right password does not get in."""
    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, user.email, "fout-wachtwoord-123")
    response = _password_step(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "token-otp_token" not in response.content.decode()


def test_lockout_message_is_identical_for_unknown_users(client):
    """SE-8: no user enumeration — an unknown address is locked out with the same page."""
    user = UserFactory(role=Role.HR)
    pages = []
    for email in (user.email, "bestaat-niet@t.example"):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = _password_step(client, email, "fout-wachtwoord-123")
        pages.append((response.status_code, response.content.decode()))
    assert pages[0][0] == pages[1][0] == 429
    assert pages[0][1] == pages[1][1]


def test_wrong_password_message_does_not_reveal_whether_account_exists(client):
    """SE-8: the same error text for an existing and a non-existing e-mail address."""
    user = UserFactory(role=Role.HR)
    known = _password_step(client, user.email, "fout-wachtwoord-123").content.decode()
    unknown = _password_step(client, "niemand@t.example", "fout-wachtwoord-123").content.decode()
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731 - typed input differs
    assert strip(known) == strip(unknown)


def test_lockout_cools_off(client):
    """SE-8: the lock is temporary (AXES_COOLOFF_TIME), not permanent."""
    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, user.email, "fout-wachtwoord-123")
    assert _password_step(client, user.email, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = _password_step(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "token-otp_token" in response.content.decode()


def test_token_endpoint_locks_out_too(api_client):
    """SE-8: the API's password check counts towards the same lockout."""
    user = UserFactory(role=Role.HR)
    device = TOTPDeviceFactory(user=user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            "/api/v1/auth/token/",
            {"username": user.email, "password": "fout", "otp": "000000"},
            format="json",
        )
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": user.email, "password": PASSWORD, "otp": totp_code(device)},
        format="json",
    )
    assert response.status_code in (403, 429)
    assert response.json()["code"] in ("locked_out", "throttled")
    assert "token" not in response.json()


def test_idle_session_expires_after_30_minutes(make_user, verified_client):
    """SE-8: 30 minutes without a request ends the session."""
    client = verified_client(make_user(Role.HR))
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_active_session_ends_after_12_hours(make_user, verified_client):
    """SE-8: even an active session ends 12 hours after login."""
    client = verified_client(make_user(Role.HR))
    start = timezone.now()
    assert client.get("/").status_code == 200
    step = timedelta(minutes=20)
    moment = start
    while moment < start + timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS - 1200):
        moment += step
        with time_machine.travel(moment):
            assert client.get("/").status_code == 200, moment - start
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS + 60)):
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_security_headers_on_pages(make_user, verified_client, client):
    """SE-8: CSP without unsafe-inline, X-Frame-Options DENY, Referrer-Policy, nosniff."""
    for response in (client.get(LOGIN), verified_client(make_user(Role.HR)).get("/")):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_are_strict():
    """SE-8: run the settings module as production and read what it decides."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "VK_ENVIRONMENT": "production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://u@127.0.0.1/x"),
        "ALLOWED_HOSTS": "verzuim.example",
    }
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "True", "True", "False"]


def test_check_deploy_is_clean_under_production_settings():
    """SE-8/SE-6: `manage.py check --deploy --fail-level WARNING` passes in production mode."""
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "VK_ENVIRONMENT": "production",
        "MEDICAL_ENCRYPTION_KEYS": "prod1:" + "A" * 43,
        "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
        "ALLOWED_HOSTS": "verzuim.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


THIRD_PARTY = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.I)


def test_no_template_or_stylesheet_loads_a_third_party_resource():
    """SE-8: every CSS/JS file is vendored under static/; no page references another origin."""
    offenders = []
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js"} and path.is_file():
                text = path.read_text(errors="ignore")
                for match in THIRD_PARTY.finditer(text):
                    offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_no_inline_script_or_style_in_templates():
    """SE-8: the CSP forbids inline code, so no template may rely on it."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)", text) or " style=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
