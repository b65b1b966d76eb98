"""SE-1: TOTP two-factor authentication is mandatory on every route, with enrolment at first
login and ten one-time backup codes; no bypass through pages, admin or API."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from accounts.roles import Role
from tests.conftest import totp_code
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
SETUP = "/account/2fa/instellen/"


def _password_step(client, user, password=PASSWORD):
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": password},
    )


def test_password_alone_does_not_log_in_a_user_with_a_device(client):
    """SE-1: after the password step the user is not logged in until the TOTP step."""
    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    response = _password_step(client, user)
    assert response.status_code == 200
    assert "token-otp_token" in response.content.decode()
    assert client.get("/").status_code == 302
    assert client.get("/").url.startswith(LOGIN)


def test_password_and_current_totp_code_reach_dashboard(client):
    """SE-1: password + current TOTP code logs in verified."""
    user = UserFactory(role=Role.HR)
    device = TOTPDeviceFactory(user=user)
    _password_step(client, user)
    response = client.post(
        LOGIN, {"login_view-current_step": "token", "token-otp_token": totp_code(device)}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_totp_code_is_refused(client):
    """SE-1: a wrong code leaves the user logged out."""
    user = UserFactory(role=Role.HR)
    device = TOTPDeviceFactory(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    _password_step(client, user)
    response = client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": wrong})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_backup_code_logs_in_once_only(client):
    """SE-1: a backup code works exactly once."""
    from accounts.actions import regenerate_backup_codes

    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    code = regenerate_backup_codes(user)[0]
    _password_step(client, user)
    client.post(LOGIN, {"wizard_goto_step": "backup", "login_view-current_step": "token"})
    response = client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()


def test_first_login_goes_to_enrolment_and_nothing_else_is_reachable(client):
    """SE-1: a user without a device is sent to enrolment; until verified only enrolment and
    logout are reachable."""
    user = UserFactory(role=Role.HR)
    response = _password_step(client, user)
    assert response.status_code == 302
    for path in ("/", "/account/", "/beheer/gebruikers/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(SETUP), path
    assert client.get(SETUP).status_code == 200
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "otp_required"


def test_enrolment_shows_secret_and_qr_then_ten_backup_codes(client):
    """SE-1: enrolment renders the QR locally, shows the secret as text, and hands out ten
    one-time backup codes once."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    user = UserFactory(role=Role.WERKNEMER)
    _password_step(client, user)
    page = client.get(SETUP).content.decode()
    assert 'id="totp-secret"' in page
    secret = page.split('id="totp-secret">', 1)[1].split("<", 1)[0].strip()
    qr = client.get("/account/2fa/qr/")
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    code = f"{TOTP(b32decode(secret)).token():06d}"
    response = client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": code})
    assert response.status_code == 302
    assert response.url == "/account/ingesteld/"
    page = client.get("/account/ingesteld/").content.decode()
    codes = StaticToken.objects.filter(device__user=user)
    assert codes.count() == 10
    assert all(c.token in page for c in codes)
    # Shown once: the second visit does not show (or regenerate) them.
    again = client.get("/account/ingesteld/").content.decode()
    assert not any(c.token in again for c in codes)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/").status_code == 200


def test_session_with_device_but_unverified_is_sent_back_to_login(unverified_client):
    """SE-1: a session that skipped the second factor (e.g. forced login) gets nothing."""
    user = UserFactory(role=Role.BEDRIJFSARTS)
    TOTPDeviceFactory(user=user)
    client = unverified_client(user)
    response = client.get("/account/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    # Enrolment cannot be used to replace the existing device either.
    client = unverified_client(user)
    assert client.get(SETUP).url.startswith(LOGIN)


def test_admin_requires_second_factor(unverified_client, verified_client):
    """SE-1: the admin site is not reachable without 2FA, even for the operator."""
    operator = UserFactory(role=Role.BEHEERDER)
    TOTPDeviceFactory(user=operator)
    assert unverified_client(operator).get("/admin/").status_code == 302
    assert verified_client(operator).get("/admin/").status_code == 200


def test_api_refuses_session_without_second_factor(unverified_client):
    """SE-1: the API answers 403 to a password-only session."""
    user = UserFactory(role=Role.HR)
    response = unverified_client(user).get("/api/v1/organisations/")
    assert response.status_code == 403


def test_background_requests_of_unverified_users_get_403_not_redirect(unverified_client):
    """SE-1 (LIBRARIES.md): htmx/asset requests must not be redirected into the wizard."""
    user = UserFactory(role=Role.HR)
    response = unverified_client(user).get("/account/", HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def test_regenerating_backup_codes_replaces_the_old_ones(verified_client):
    """SE-1: mijn account regenerates ten new codes; the old ones stop working."""
    from accounts.actions import regenerate_backup_codes

    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    old = regenerate_backup_codes(user)
    client = verified_client(user)
    # New codes are a new second factor: password and a live code first (ASVS 7.5.1).
    asked = client.post("/account/reservecodes/")
    assert asked.status_code == 302
    assert asked["Location"] == "/account/bevestigen/?next=/account/"
    assert not set(old) ^ set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    proof = {"password": PASSWORD, "otp_token": totp_code(user.totpdevice_set.get())}
    assert client.post("/account/bevestigen/?next=/account/", proof).status_code == 302
    response = client.post("/account/reservecodes/")
    assert response.status_code == 200
    new = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10
    assert not set(old) & set(new)
    assert all(code in response.content.decode() for code in new)
