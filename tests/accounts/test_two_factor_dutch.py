"""Issue 18 item 6: the two-factor pages speak Dutch. django-otp's "Invalid token. Please make
sure you have entered it correctly." under the label "Token", the backup step's "Token" and
"(default)", the device's name, on Mijn account are gone (SE-1)."""

import pytest

from accounts.forms import OTP_ERROR_MESSAGES
from accounts.roles import Role
from tests.conftest import totp_code
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
ENGLISH = ("Invalid token", "Token", "Please", "Entered token", "(default)")


def _password_step(client, user):
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": PASSWORD},
    )


def _no_english(body):
    for text in ENGLISH:
        assert text not in body, text


def test_wrong_code_gets_a_dutch_message_under_a_dutch_label(client):
    user = UserFactory(role=Role.HR)
    device = TOTPDeviceFactory(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    page = _password_step(client, user).content.decode()
    assert "Code uit uw authenticator-app" in page
    _no_english(page)
    response = client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in body
    _no_english(body)


def test_backup_step_is_dutch(client):
    user = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=user)
    _password_step(client, user)
    client.post(LOGIN, {"wizard_goto_step": "backup", "login_view-current_step": "token"})
    response = client.post(
        LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "fout1234"}
    )
    body = response.content.decode()
    assert "Reservecode" in body
    assert OTP_ERROR_MESSAGES["invalid_token"] in body
    _no_english(body)


def test_enrolment_wrong_code_is_dutch(make_user, unverified_client):
    user = make_user(Role.HR, device=False)
    client = unverified_client(user)
    page = client.get("/account/2fa/instellen/").content.decode()
    assert "Code uit uw authenticator-app" in page
    response = client.post(
        "/account/2fa/instellen/",
        {"setup_view-current_step": "generator", "generator-token": "123456"},
    )
    body = response.content.decode()
    assert OTP_ERROR_MESSAGES["invalid_token"] in body
    _no_english(body)


def test_mijn_account_shows_no_default_device_name(make_user, verified_client):
    user = make_user(Role.HR)
    user.totpdevice_set.update(name="default")
    body = verified_client(user).get("/account/").content.decode()
    assert "Authenticator-app: <strong>actief</strong>" in body
    assert "default" not in body
