"""Issue 15, items 3 and 4.

SE-1: every path that mints a second factor — backup codes or a TOTP device — needs fresh
re-authentication (password and a current code at /account/bevestigen/), the first enrolment's
own completion page included once that enrolment is over. Only the session that has just
confirmed a new device in the setup wizard gets its first ten codes without it, once.

SE-8: a password change, a password reset, blocking the account and the operator's 2FA reset
each revoke every API token of the account at once (sessions already end).
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.actions import regenerate_backup_codes
from accounts.models import ApiToken
from accounts.reauth import REAUTH_AT
from accounts.roles import Role
from privacy.models import AuditEvent
from tests.conftest import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
SETUP = "/account/2fa/instellen/"
ENROLLED = "/account/ingesteld/"
REAUTH_FOR_ENROLLED = f"/account/bevestigen/?next={ENROLLED}"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord-42"


def _codes_of(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def _reauth(client, user, next_url=ENROLLED):
    return client.post(
        f"/account/bevestigen/?next={next_url}",
        {"password": PASSWORD, "otp_token": totp_code(user.totpdevice_set.get())},
    )


def _enrol_in_wizard(client, user):
    """First login of an account without a device: password, then the setup wizard with a code
    of the secret it shows. Returns the wizard's final response."""
    client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": PASSWORD},
    )
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="totp-secret">\s*([A-Z2-7]+)\s*<', page)[1]
    code = f"{TOTP(b32decode(secret)).token():06d}"
    return client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": code})


# --- SE-1: minting backup codes or a device needs re-authentication ------------------------


@pytest.mark.parametrize("history", ["all_codes_used", "never_had_codes"])
def test_se1_enrolled_page_mints_no_backup_codes_without_reauthentication(
    history, make_user, verified_client
):
    """SE-1: a verified session of an account without backup codes left gets no new codes from
    /account/ingesteld/ — it is sent to /account/bevestigen/ like /account/reservecodes/; after
    the password and a live code it gets ten, the proof is spent, and a reload mints nothing."""
    user = make_user(Role.HR)
    if history == "all_codes_used":
        regenerate_backup_codes(user)
        StaticToken.objects.filter(device__user=user).delete()  # all ten used to log in
    client = verified_client(user)

    response = client.get(ENROLLED)
    assert response.status_code == 302
    assert response["Location"] == REAUTH_FOR_ENROLLED
    assert _codes_of(user) == set()
    # Reaching the page through the setup wizard's "already enrolled" redirect is no way round.
    client.get(SETUP, follow=True)
    assert _codes_of(user) == set()

    assert _reauth(client, user).status_code == 302
    shown = client.get(ENROLLED)
    assert shown.status_code == 200
    codes = _codes_of(user)
    assert len(codes) == 10 and all(code in shown.content.decode() for code in codes)
    assert REAUTH_AT not in client.session  # the proof is spent by the codes it allowed

    again = client.get(ENROLLED)
    assert again.status_code == 200
    assert _codes_of(user) == codes and not any(c in again.content.decode() for c in codes)


def test_se1_enrolled_page_needs_reauthentication_in_another_session_of_a_new_account(
    make_user, client, verified_client
):
    """SE-1: only the session that confirmed the new device may see the first codes without
    re-authentication; a second session of the same (just enrolled) account may not."""
    user = UserFactory(role=Role.WERKNEMER)
    assert _enrol_in_wizard(client, user)["Location"] == ENROLLED
    other = verified_client(user)
    response = other.get(ENROLLED)
    assert response.status_code == 302 and response["Location"] == REAUTH_FOR_ENROLLED
    assert _codes_of(user) == set()
    # The enrolling session still gets its ten, once.
    assert client.get(ENROLLED).status_code == 200
    assert len(_codes_of(user)) == 10


def test_se1_fresh_enrolment_still_shows_the_first_ten_codes_once(client):
    """SE-1: the legitimate first enrolment — right after confirming a new device in the setup
    wizard, this session is shown ten codes once; a later visit shows none and, once they are
    used up, mints no new ones without re-authentication."""
    user = UserFactory(role=Role.WERKNEMER)
    response = _enrol_in_wizard(client, user)
    assert response.status_code == 302 and response["Location"] == ENROLLED

    page = client.get(ENROLLED)
    assert page.status_code == 200
    codes = _codes_of(user)
    assert len(codes) == 10 and all(code in page.content.decode() for code in codes)

    again = client.get(ENROLLED)
    assert again.status_code == 200 and not any(c in again.content.decode() for c in codes)
    assert _codes_of(user) == codes

    StaticToken.objects.filter(device__user=user).delete()  # later: every code used
    later = client.get(ENROLLED)
    assert later.status_code == 302 and later["Location"] == REAUTH_FOR_ENROLLED
    assert _codes_of(user) == set()


def test_se1_fresh_enrolment_of_an_account_whose_old_codes_are_used_up_needs_reauthentication(
    client,
):
    """SE-1: 'first codes' means the account never had a backup-code device. Should one be left
    over with its codes used up (unconfirmed, so the wizard still runs), even the session that
    has just enrolled re-authenticates before new codes are minted."""
    user = UserFactory(role=Role.WERKNEMER)
    StaticDevice.objects.create(user=user, name="backup", confirmed=False)
    assert _enrol_in_wizard(client, user)["Location"] == ENROLLED
    response = client.get(ENROLLED)
    assert response.status_code == 302 and response["Location"] == REAUTH_FOR_ENROLLED
    assert _codes_of(user) == set()


def test_se1_setup_wizard_cannot_add_a_device_to_an_enrolled_account(make_user, verified_client):
    """SE-1: a verified session cannot enrol a second TOTP device through the first-login
    wizard by POSTing to it (a GET already redirects); a new device is only had through
    /account/2fa/vervangen/, which asks for the password and a code first."""
    user = make_user(Role.HR)
    client = verified_client(user)

    probe = client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": "0"})
    secret = re.search(r'id="totp-secret">\s*([A-Z2-7]+)\s*<', probe.content.decode())
    if secret:  # what the flaw allowed: confirm the secret shown with a code of its own
        code = f"{TOTP(b32decode(secret[1])).token():06d}"
        client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": code})
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert secret is None and probe.status_code == 302


# --- SE-8: every token of the account ends with a password change, reset, block, 2FA reset -----


def _assert_all_revoked(user):
    tokens = ApiToken.objects.filter(user=user)
    assert tokens.exists() and not tokens.filter(revoked_at__isnull=True).exists()


def test_se8_password_change_revokes_every_api_token(make_user, verified_client, bearer_client):
    """SE-8: changing the password on /account/wachtwoord/ revokes all the account's API tokens
    at once (audited); someone else's token keeps working, and a token asked with the new
    password works."""
    user = make_user(Role.HR)
    first, second = bearer_client(user), _second_token_client(user)
    bystander = bearer_client(make_user(Role.HR))
    assert first.get("/api/v1/me/").status_code == 200

    response = verified_client(user).post(
        "/account/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert first.get("/api/v1/me/").status_code == 401
    assert second.get("/api/v1/me/").status_code == 401
    _assert_all_revoked(user)
    assert bystander.get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(
        subject=user.pseudonym, detail__startswith="wachtwoord gewijzigd"
    ).exists()
    # A token asked afterwards with the new password (and a backup code: this time step's TOTP
    # code is spent) works.
    backup = regenerate_backup_codes(user)[0]
    fresh = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.email, "password": NEW_PASSWORD, "otp": backup},
        format="json",
    )
    assert fresh.status_code == 201
    later = APIClient()
    later.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh.json()['token']}")
    assert later.get("/api/v1/me/").status_code == 200


def _second_token_client(user):
    """A second live token of `user` (one TOTP code buys one token per time step)."""
    _token, raw = ApiToken.issue(user, user.totpdevice_set.get(), label="tweede")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_se8_password_reset_confirm_revokes_every_api_token(
    make_user, client, bearer_client, mailoutbox
):
    """SE-8: setting a new password through the reset link revokes all the account's API tokens
    at once (audited) — the stolen-password case the reset exists for."""
    user = make_user(Role.HR)
    api = bearer_client(user)
    assert api.get("/api/v1/me/").status_code == 200

    client.post("/account/wachtwoord-vergeten/", {"email": user.email})
    link = re.search(r"http://[^/]+(/account/wachtwoord-instellen/\S+)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert api.get("/api/v1/me/").status_code == 401
    _assert_all_revoked(user)
    assert AuditEvent.objects.filter(
        subject=user.pseudonym, detail__startswith="wachtwoord opnieuw ingesteld"
    ).exists()


def test_se8_password_set_by_any_path_revokes_tokens_but_a_hash_upgrade_does_not(
    make_user, bearer_client
):
    """SE-8: the revocation sits on the model, so `manage.py changepassword` or a shell has the
    same effect as the pages; a hash upgrade at login (same password) is not a change."""
    from django.contrib.auth.hashers import make_password

    user = make_user(Role.WERKNEMER)
    api = bearer_client(user)
    outdated = make_password(PASSWORD, salt="zout", hasher="md5")  # too short a salt: upgraded
    type(user).objects.filter(pk=user.pk).update(password=outdated)
    assert _reloaded(user).check_password(PASSWORD)  # rehashes and saves the password field
    assert _reloaded(user).password != outdated
    assert api.get("/api/v1/me/").status_code == 200  # the upgrade revoked nothing

    changed = _reloaded(user)
    changed.set_password(NEW_PASSWORD)
    changed.save()
    assert api.get("/api/v1/me/").status_code == 401
    _assert_all_revoked(user)


def _reloaded(user):
    return type(user).objects.get(pk=user.pk)


def test_se8_blocking_an_account_revokes_every_api_token(make_user, verified_client, bearer_client):
    """SE-8: blocking revokes the tokens (not only refuses them while blocked): unblocking does
    not bring them back."""
    operator = verified_client(make_user(Role.BEHEERDER))
    user = make_user(Role.HR)
    api = bearer_client(user)
    assert (
        operator.post(f"/beheer/gebruikers/{user.pk}/actief/", {"active": "0"}).status_code == 302
    )
    assert api.get("/api/v1/me/").status_code == 401
    _assert_all_revoked(user)
    assert (
        operator.post(f"/beheer/gebruikers/{user.pk}/actief/", {"active": "1"}).status_code == 302
    )
    assert api.get("/api/v1/me/").status_code == 401


def test_se8_operator_second_factor_reset_revokes_every_api_token(
    make_user, verified_client, bearer_client
):
    """SE-8: the operator's 2FA reset revokes every token of the account at once (not only
    orphans them by removing the device), and audits the reset."""
    operator = verified_client(make_user(Role.BEHEERDER))
    user = make_user(Role.HR)
    api = bearer_client(user)
    response = operator.post(f"/beheer/gebruikers/{user.pk}/2fa-herstellen/")
    assert response.status_code == 302
    assert api.get("/api/v1/me/").status_code == 401
    _assert_all_revoked(user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        subject=user.pseudonym, detail="tweestapsverificatie hersteld door beheerder"
    ).exists()


def test_se8_replacing_the_authenticator_or_the_email_address_revokes_every_api_token(
    make_user, verified_client
):
    """SE-8: tokens issued under the old authenticator app, or the old login address, end with
    it — marked revoked at once (not merely refused), so /account/ no longer lists them."""
    user = make_user(Role.HR)
    _second_token_client(user)  # no TOTP code spent: the re-authentication needs it
    client = verified_client(user)
    assert _reauth(client, user, next_url="/account/2fa/vervangen/").status_code == 302
    page = client.get("/account/2fa/vervangen/").content.decode()
    new_totp = TOTP(b32decode(re.search(r'id="totp-secret">([A-Z2-7]+)<', page)[1]))
    done = client.post("/account/2fa/vervangen/", {"otp_token": f"{new_totp.token():06d}"})
    assert done.status_code == 302
    _assert_all_revoked(user)

    other = make_user(Role.HR)
    _second_token_client(other)
    client = verified_client(other)
    assert _reauth(client, other, next_url="/account/e-mailadres/").status_code == 302
    moved = client.post("/account/e-mailadres/", {"email": "verhuisd@test.verzuimkluis.example"})
    assert moved.status_code == 302
    _assert_all_revoked(other)
