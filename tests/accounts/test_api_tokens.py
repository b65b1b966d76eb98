"""SE-1 on the API: tokens only with the second factor; they expire, can be revoked, die with a
2FA reset; the schema and every endpoint deny by default."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import ApiToken
from accounts.roles import Role
from tests.conftest import totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


def test_token_requires_password_and_second_factor(api_client, hr):
    """SE-1: no token without a valid TOTP code, whatever the password."""
    device = hr.totpdevice_set.get()
    for body in (
        {"username": hr.email, "password": PASSWORD},
        {"username": hr.email, "password": PASSWORD, "otp": "000000"},
        {"username": hr.email, "password": "verkeerd", "otp": totp_code(device)},
    ):
        response = api_client.post(TOKEN, body, format="json")
        assert response.status_code == 400, body
        assert "code" in response.json() and "token" not in response.json()
    assert not ApiToken.objects.exists()
    # django-otp throttles a device for a moment after a wrong code (1 s, doubling).
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        ok = api_client.post(
            TOKEN,
            {"username": hr.email, "password": PASSWORD, "otp": totp_code(device)},
            format="json",
        )
    assert ok.status_code == 201
    assert set(ok.json()) == {"token", "expires"}
    # Only a hash is stored.
    assert not ApiToken.objects.filter(key_hash=ok.json()["token"]).exists()


def test_user_without_device_gets_no_token(api_client, make_user):
    """SE-1: a user who never enrolled cannot obtain a token."""
    user = make_user(Role.HR, device=False)
    response = api_client.post(
        TOKEN, {"username": user.email, "password": PASSWORD, "otp": "123456"}, format="json"
    )
    assert response.status_code == 400


def test_backup_code_works_for_a_token_once(api_client, hr):
    """SE-1: a backup code is a valid second factor, once."""
    from accounts.actions import regenerate_backup_codes

    code = regenerate_backup_codes(hr)[0]
    body = {"username": hr.email, "password": PASSWORD, "otp": code}
    assert api_client.post(TOKEN, body, format="json").status_code == 201
    assert api_client.post(TOKEN, body, format="json").status_code == 400


def test_token_expires(bearer_client, hr):
    """SE-1: tokens expire (default 8 h)."""
    client = bearer_client(hr)
    assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + settings.API_TOKEN_LIFETIME + timedelta(minutes=1)):
        response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_can_be_revoked(bearer_client, hr):
    """SE-1: a revoked token stops working at once."""
    client = bearer_client(hr)
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_second_factor_reset_kills_tokens(bearer_client, hr, make_user, verified_client):
    """SE-1: after the operator resets someone's 2FA, their tokens are dead."""
    client = bearer_client(hr)
    operator = make_user(Role.BEHEERDER)
    verified_client(operator).post(f"/beheer/gebruikers/{hr.pk}/2fa-herstellen/")
    assert client.get("/api/v1/me/").status_code == 401


def test_garbage_authorization_headers_are_401_not_500(api_client):
    """API errors are 4xx with a code, never a 500."""
    for header in ("Bearer", "Bearer a b", "Bearer \u00e9\u00e9", "Bearer onzin"):
        api_client.credentials(HTTP_AUTHORIZATION=header)
        response = api_client.get("/api/v1/me/")
        assert response.status_code == 401, header
        assert "code" in response.json()


def test_schema_and_endpoints_deny_anonymous(api_client):
    """SE-1/SE-2: deny by default, the schema included; only token issuance is open."""
    for path in ("/api/schema/", "/api/v1/me/", "/api/v1/organisations/", "/api/v1/accounts/"):
        assert api_client.get(path).status_code in (401, 403), path


def test_schema_is_served_to_a_verified_user(bearer_client, hr):
    """The OpenAPI 3 schema describes the bearer scheme."""
    response = bearer_client(hr).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/auth/token/" in schema["paths"]


def test_bad_input_is_a_400_with_field_errors(bearer_client, make_user):
    """Bad input to the API gets a machine-readable 400, not a 500."""
    admin = make_user(Role.WERKGEVER_BEHEERDER)
    response = bearer_client(admin).post(
        "/api/v1/accounts/", {"email": "geen-email"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "email" in body["fields"]
