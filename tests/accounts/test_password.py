"""Password reset by e-mail and password change (issue 2); no user enumeration (SE-8)."""

import re

import pytest

from accounts.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_password_reset_by_mail_then_login_still_needs_second_factor(make_user, client, mailoutbox):
    """SE-1/SE-8: a reset link sets a new password; the second factor is still required."""
    user = make_user(Role.HR)
    response = client.post("/account/wachtwoord-vergeten/", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"http://[^/]+(/account/wachtwoord-instellen/\S+)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "een-heel-nieuw-wachtwoord-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/").status_code == 302  # not logged in by the reset


def test_password_reset_does_not_reveal_unknown_addresses(client, mailoutbox):
    """SE-8: an unknown address gets the same answer and no mail."""
    response = client.post("/account/wachtwoord-vergeten/", {"email": "niemand@t.example"})
    assert response.status_code == 302
    assert response.url == "/account/wachtwoord-vergeten/verstuurd/"
    assert mailoutbox == []


def test_password_change_keeps_typed_input_on_error(make_user, verified_client):
    """A wrong old password returns the form with a Dutch error at the field."""
    user = make_user(Role.HR)
    client = verified_client(user)
    response = client.post(
        "/account/wachtwoord/",
        {"old_password": "fout", "new_password1": "kort", "new_password2": "kort"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Controleer de invoer" in body and 'class="errorlist"' in body
    ok = client.post(
        "/account/wachtwoord/",
        {
            "old_password": PASSWORD,
            "new_password1": "nieuw-lang-wachtwoord-7",
            "new_password2": "nieuw-lang-wachtwoord-7",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nieuw-lang-wachtwoord-7")


def test_passwords_are_hashed_with_argon2id_and_old_hashes_upgrade(make_user, settings):
    """SE-8 (ASVS 11.4.2): production hashes with Argon2id at OWASP's parameters; a PBKDF2 hash
    from before still logs in and is rehashed to Argon2id at that login."""
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings
    from django.contrib.auth.hashers import make_password

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "VK_ENVIRONMENT": "production",
        "MEDICAL_ENCRYPTION_KEYS": "prod1:" + "A" * 43,
        "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
        "ALLOWED_HOSTS": "verzuim.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import "
            "settings; print(','.join(settings.PASSWORD_HASHERS))",
        ],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    production = printed.split(",")
    assert production[0] == "accounts.hashers.Argon2idHasher"
    settings.PASSWORD_HASHERS = production
    user = make_user(Role.HR)
    user.password = make_password("oud-wachtwoord-van-vroeger", hasher="pbkdf2_sha256")
    user.save()
    assert user.check_password("oud-wachtwoord-van-vroeger")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("oud-wachtwoord-van-vroeger")
    assert not user.check_password("iets-anders-12345")
