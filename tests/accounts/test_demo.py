"""SE-5: demo data is synthetic, and seed_demo is idempotent with the documented interface."""

import json

import pytest
from django.core.management import call_command

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def credentials_path(tmp_path, settings):
    settings.DEMO_CREDENTIALS_PATH = tmp_path / "demo-credentials.json"
    return settings.DEMO_CREDENTIALS_PATH


def test_seed_demo_writes_one_user_per_role_and_is_idempotent(credentials_path):
    """SE-5 / DESIGN.md interface: one user per role, two employers, running twice changes
    nothing."""
    call_command("seed_demo")
    first = json.loads(credentials_path.read_text())
    counts = (User.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo")
    second = json.loads(credentials_path.read_text())
    assert first == second
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )
    assert sorted(row["role"] for row in first) == sorted(Role.values)
    assert all(
        set(row) == {"role", "username", "password", "totp_secret", "organisation"} for row in first
    )
    assert Organisation.objects.filter(kind=OrganisationKind.WERKGEVER).count() >= 2


def test_demo_users_log_in_with_password_and_totp(credentials_path, client):
    """SE-1 + SE-5: every demo user gets in with the printed password and TOTP secret."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    call_command("seed_demo")
    for row in json.loads(credentials_path.read_text()):
        client.logout()
        client.post(
            "/account/login/",
            {
                "login_view-current_step": "auth",
                "auth-username": row["username"],
                "auth-password": row["password"],
            },
        )
        code = f"{TOTP(b32decode(row['totp_secret'])).token():06d}"
        response = client.post(
            "/account/login/", {"login_view-current_step": "token", "token-otp_token": code}
        )
        assert response.status_code == 302, row["role"]
        assert client.get("/").status_code == 200, row["role"]


def test_demo_data_is_marked_synthetic_and_uses_reserved_domains(credentials_path):
    """SE-5: no real people — every record flagged synthetic, e-mail on the reserved .example
    TLD (RFC 2606)."""
    call_command("seed_demo")
    assert not User.objects.filter(is_synthetic=False).exists()
    assert not Organisation.objects.filter(is_synthetic=False).exists()
    assert all(u.email.endswith(".example") for u in User.objects.all())


def test_seed_demo_and_demo_code_refuse_outside_demo(settings):
    """SE-5: the demo helpers refuse in production / on a real database."""
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    settings.PRODUCTION = False
    settings.EMBEDDED_DATABASE = False
    with pytest.raises(CommandError):
        call_command("demo_code", role="hr")
    assert settings.DEMO_CREDENTIALS_PATH
