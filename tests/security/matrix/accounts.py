"""SE-2 matrix rows: login and enrolment, the account pages, user management (SE-3, SE-9),
the accounts API and the API schema/docs, and the admin site (the group rule and a
representative set of admin pages with exact rows)."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import ApiToken, EmailPreference, Notification, User
from accounts.roles import Role
from tests.security.conftest import ACTORS, ANONYMOUS, UNENROLLED, UNVERIFIED, rolled_back
from tests.security.matrix._base import (
    ADMIN_GROUP,
    ADMIN_LOGIN,
    API,
    CREATED,
    FORBIDDEN,
    FORM_ERROR,
    INVALID,
    LOGIN,
    LOGIN_URL,
    METHOD,
    NO_CONTENT,
    NOTFOUND,
    OK,
    PAGE,
    PATTERNS,
    POSTED,
    PUBLIC,
    REFUSED,
    ROLES,
    SETUP,
    SIGNIN,
    STAFF,
    Check,
    assert_no_leak,
    assert_outcome,
    build_path,
    matrix_tests,
    path_values,
    row,
)

pytestmark = pytest.mark.django_db

ENROLLED = "redirect:/account/ingesteld/"
ACCOUNT = "redirect:/account/"
USERS = "redirect:/beheer/gebruikers/"

# --- State probes for state-changing requests --------------------------------------------------
NEW_EMAIL = "nieuwe.arts@test.verzuimkluis.example"


def _devices(user) -> int:
    return TOTPDevice.objects.filter(user=user).count() if user else 0


def colleague_devices(world, user):
    return _devices(world.colleague)


def outsider_devices(world, user):
    return _devices(world.outsider)


def own_devices(world, user):
    return _devices(user)


def colleague_active(world, user):
    return User.objects.get(pk=world.colleague.pk).is_active


def outsider_active(world, user):
    return User.objects.get(pk=world.outsider.pk).is_active


def self_active(world, user):
    return user is None or User.objects.get(pk=user.pk).is_active


def block(world, user):
    return {"active": "0"}


def outsider_token_revoked(world, user):
    return ApiToken.objects.get(pk=world.outsider_token.pk).revoked_at is not None


def new_account_exists(world, user):
    return User.objects.filter(email=NEW_EMAIL).exists()


def own_backup_codes(world, user):
    return sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def issue_doctor(world, user):
    """SE-3: a bedrijfsarts login in an organisation the caller sees (its own)."""
    organisation = user.organisation_id if user and user.organisation_id else world.employer.pk
    return {
        "full_name": "Nieuwe Arts",
        "email": NEW_EMAIL,
        "role": Role.BEDRIJFSARTS.value,
        "organisation": organisation,
    }


def others_unread(world, user):
    """Unread messages of everyone but the actor: /berichten/gelezen/ marks only one's own."""
    rows = Notification.objects.filter(read_at__isnull=True)
    return rows.exclude(recipient=user).count() if user else rows.count()


def someone_elses_message(world, user):
    other = Notification.objects.exclude(recipient=user) if user else Notification.objects
    return {"id": other.order_by("pk").values_list("pk", flat=True).first()}


def others_email_preferences(world, user):
    rows = EmailPreference.objects.all()
    return sorted((rows.exclude(user=user) if user else rows).values_list("user", "kind", "send"))


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Login and enrolment (django-two-factor-auth, our templates) -----------------------
    "two_factor:login": (Check(row(PUBLIC, OK, unverified=OK, unenrolled=OK), rules="SE-1"),),
    "two_factor:setup": (
        # A session whose user already has a device is ended, not offered a second device.
        Check(row(PAGE, ENROLLED, unenrolled=OK), rules="SE-1"),
    ),
    # No QR secret in these sessions (it is set by the setup wizard): nothing to show.
    "two_factor:qr": (Check(row(PAGE, NOTFOUND, unverified=NOTFOUND, unenrolled=NOTFOUND)),),
    # --- Account pages ----------------------------------------------------------------------------
    "accounts:dashboard": (Check(row(PAGE, OK)),),
    "accounts:account": (Check(row(PAGE, OK)),),
    # Issue 18: the dashboard's worklists as an htmx fragment, for every role that has one.
    "accounts:worklist": (Check(row(PAGE, OK, werkgever_beheerder=FORBIDDEN)),),
    # The matrix users have no backup codes and did not just enrol: ten new codes are a new
    # second factor, so re-authentication first (issue 15) — and none are made here.
    "accounts:enrolled": (
        Check(
            row(PAGE, "redirect:/account/bevestigen/?next=/account/ingesteld/"),
            state=own_backup_codes,
            rules="SE-1",
        ),
    ),
    # New backup codes are a new second factor: re-authentication first (ASVS 7.5.1).
    "accounts:backup_codes": (
        Check(row(PAGE, METHOD)),
        Check(
            row(POSTED, "redirect:/account/bevestigen/?next=/account/"),
            method="POST",
            state=own_backup_codes,
            rules="SE-1",
        ),
    ),
    "accounts:revoke_token": (
        Check(row(PAGE, METHOD), target="outsider_token"),
        # Someone else's token: silently nothing (the query is limited to one's own tokens).
        Check(
            row(POSTED, ACCOUNT),
            method="POST",
            label="POST-outsider-token",
            target="outsider_token",
            state=outsider_token_revoked,
            rules="SE-9",
        ),
    ),
    "accounts:logout": (
        Check(row(PAGE, METHOD, unverified=METHOD, unenrolled=METHOD)),
        Check(
            row(
                {ANONYMOUS: LOGIN},
                f"redirect:{LOGIN_URL}",
                unverified=f"redirect:{LOGIN_URL}",
                unenrolled=f"redirect:{LOGIN_URL}",
            ),
            method="POST",
        ),
    ),
    # The idle warning's session address (issue 18 item 5, SE-8): any signed-in, verified
    # account; GET asks, POST ("Blijf ingelogd", CSRF-protected) renews.
    "accounts:session": (
        Check(row(PAGE, OK), rules="SE-8"),
        Check(row(POSTED, OK), method="POST", rules="SE-8"),
    ),
    # Changing how one logs in needs password + code again (ASVS 7.5.1): the pages send a
    # verified session to the re-authentication page first; a wrong proof is a form error.
    "accounts:reauth": (
        Check(row(PAGE, OK), rules="SE-1"),
        Check(row(POSTED, FORM_ERROR), method="POST", rules="SE-1"),
    ),
    "accounts:change_email": (
        Check(row(PAGE, "redirect:/account/bevestigen/?next=/account/e-mailadres/"), rules="SE-1"),
        Check(
            row(POSTED, "redirect:/account/bevestigen/?next=/account/e-mailadres/"),
            method="POST",
            data=lambda world, user: {"email": "nieuw@test.verzuimkluis.example"},
            state=lambda world, user: user and User.objects.get(pk=user.pk).email,
            rules="SE-1",
        ),
    ),
    "accounts:replace_device": (
        Check(
            row(PAGE, "redirect:/account/bevestigen/?next=/account/2fa/vervangen/"), rules="SE-1"
        ),
        Check(
            row(POSTED, "redirect:/account/bevestigen/?next=/account/2fa/vervangen/"),
            method="POST",
            state=own_devices,
            rules="SE-1",
        ),
    ),
    "accounts:password_change": (Check(row(PAGE, OK)),),
    "accounts:password_change_done": (Check(row(PAGE, OK)),),
    "accounts:password_reset": (Check(row(PUBLIC, OK)),),
    "accounts:password_reset_done": (Check(row(PUBLIC, OK)),),
    "accounts:password_reset_confirm": (Check(row(PUBLIC, OK)),),
    "accounts:password_reset_complete": (Check(row(PUBLIC, OK)),),
    # --- Messages (issue 18): every user their own, nobody else's ---------------------------
    "accounts:berichten": (Check(row(PAGE, OK), rules="SE-9"),),
    "accounts:berichten_gelezen": (
        Check(row(PAGE, METHOD)),
        Check(
            row(POSTED, "redirect:/berichten/"),
            method="POST",
            label="POST-someone-elses",
            data=someone_elses_message,
            state=others_unread,
            rules="SE-9",
        ),
        Check(
            row(POSTED, "redirect:/berichten/"),
            method="POST",
            label="POST-all",
            state=others_unread,
            rules="SE-9",
        ),
    ),
    "accounts:berichten_voorkeuren": (
        Check(row(PAGE, OK)),
        Check(
            row(POSTED, "redirect:/berichten/voorkeuren/"),
            method="POST",
            state=others_email_preferences,
            rules="SE-9",
        ),
    ),
    # --- User management (SE-3, SE-9) -------------------------------------------------------
    "accounts:users": (
        Check(row(PAGE, FORBIDDEN, beheerder=OK, werkgever_beheerder=OK), rules="SE-3 SE-9"),
    ),
    "accounts:issue_account": (
        Check(row(PAGE, FORBIDDEN, beheerder=OK, werkgever_beheerder=OK), rules="SE-3"),
        # A doctor's login: only the platform operator issues it.
        Check(
            row(POSTED, FORBIDDEN, beheerder=USERS, werkgever_beheerder=FORM_ERROR),
            method="POST",
            label="POST-issue-bedrijfsarts",
            data=issue_doctor,
            state=new_account_exists,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-3",
        ),
    ),
    "accounts:reset_second_factor": (
        Check(row(PAGE, METHOD)),
        # Same organisation: visible to the werkgever-beheerder but not theirs to reset.
        Check(
            row(POSTED, NOTFOUND, beheerder=USERS, werkgever_beheerder=FORBIDDEN),
            method="POST",
            label="POST-colleague",
            state=colleague_devices,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-1 SE-9",
        ),
        Check(
            row(POSTED, NOTFOUND, beheerder=USERS),
            method="POST",
            label="POST-outsider",
            target="outsider",
            state=outsider_devices,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-1 SE-9",
        ),
        # Nobody resets their own second factor this way, the operator included.
        Check(
            row(POSTED, FORBIDDEN),
            method="POST",
            label="POST-self",
            target="self",
            state=own_devices,
            rules="SE-1",
        ),
    ),
    # Blocking an account (ends its sessions at once): who may issue it, never oneself. The
    # colleague is an employee: the werkgever-beheerder issues only werkgever and HR accounts.
    "accounts:set_active": (
        Check(row(PAGE, METHOD)),
        Check(
            row(POSTED, NOTFOUND, beheerder=USERS, werkgever_beheerder=FORBIDDEN),
            method="POST",
            label="POST-colleague",
            data=block,
            state=colleague_active,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-3 SE-9",
        ),
        Check(
            row(POSTED, NOTFOUND, beheerder=USERS),
            method="POST",
            label="POST-outsider",
            target="outsider",
            data=block,
            state=outsider_active,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-3 SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN),
            method="POST",
            label="POST-self",
            target="self",
            data=block,
            state=self_active,
            rules="SE-3",
        ),
    ),
    # --- API (DRF: IsVerified by default) ---------------------------------------------------------
    "api:token": (
        Check(row(API, METHOD, anonymous=METHOD), rules="SE-1"),
        Check(row(API, INVALID, anonymous=INVALID), method="POST", rules="SE-1"),
    ),
    "api:token-revoke": (
        Check(
            row(API, INVALID),  # a session cannot revoke "its" token
            method="POST",
            bearer=dict.fromkeys(ROLES, NO_CONTENT),
            rules="SE-1",
        ),
    ),
    "api:me": (Check(row(API, OK)),),
    "api:organisation-list": (Check(row(API, OK), rules="SE-9"),),
    "api:organisation-detail": (
        Check(row(API, OK), label="own", target="employer", rules="SE-9"),
        Check(
            row(API, NOTFOUND, beheerder=OK),
            label="other",
            target="other_employer",
            rules="SE-9",
        ),
    ),
    "api:account-list": (
        Check(row(API, OK), rules="SE-9"),
        Check(
            row(API, REFUSED, beheerder=CREATED),
            method="POST",
            label="POST-issue-bedrijfsarts",
            data=issue_doctor,
            state=new_account_exists,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="SE-3",
        ),
    ),
    "api:account-detail": (
        Check(
            row(API, NOTFOUND, beheerder=OK, werkgever_beheerder=OK),
            label="colleague",
            rules="SE-9",
        ),
        Check(row(API, NOTFOUND, beheerder=OK), label="outsider", target="outsider", rules="SE-9"),
    ),
    "schema": (Check(row(API, OK), rules="SE-1"),),
    "api-docs": (Check(row(API, OK), rules="SE-1"),),
    # --- Admin: the group rule, then a representative set with exact rows -------------------------
    # Only the operator (is_staff) is let in; everyone else is sent to the admin login.
    ADMIN_GROUP: (
        Check(
            row(
                {ANONYMOUS: SIGNIN, UNVERIFIED: LOGIN, UNENROLLED: SETUP},
                ADMIN_LOGIN,
                beheerder=STAFF,
            ),
            rules="SE-1 SE-2",
        ),
    ),
    "admin:index": (Check(row({**PAGE, ANONYMOUS: ADMIN_LOGIN}, ADMIN_LOGIN, beheerder=OK)),),
    "admin:app_list": (Check(row({**PAGE, ANONYMOUS: ADMIN_LOGIN}, ADMIN_LOGIN, beheerder=OK)),),
    "admin:accounts_user_changelist": (Check(row(PAGE, ADMIN_LOGIN, beheerder=OK)),),
    "admin:accounts_user_change": (Check(row(PAGE, ADMIN_LOGIN, beheerder=OK)),),
    # Accounts are deactivated, never deleted through the admin.
    "admin:accounts_user_delete": (Check(row(PAGE, ADMIN_LOGIN, beheerder=FORBIDDEN)),),
    "admin:accounts_organisation_changelist": (Check(row(PAGE, ADMIN_LOGIN, beheerder=OK)),),
    "admin:accounts_organisation_add": (Check(row(PAGE, ADMIN_LOGIN, beheerder=OK)),),
    # django.contrib.sites is registered but outside the operator's ADMIN_APPS.
    "admin:sites_site_changelist": (Check(row(PAGE, ADMIN_LOGIN, beheerder=FORBIDDEN)),),
    "admin:password_change": (
        Check(row({**PAGE, ANONYMOUS: ADMIN_LOGIN}, ADMIN_LOGIN, beheerder=OK)),
    ),
    "admin:jsi18n": (Check(row({**PAGE, ANONYMOUS: ADMIN_LOGIN}, ADMIN_LOGIN, beheerder=OK)),),
    # The admin login is two-factor's: it forwards to the site login page.
    "admin:login": (Check(row(PAGE, f"redirect:{LOGIN_URL}?next=/")),),
    "admin:logout": (
        Check(row({**PAGE, ANONYMOUS: ADMIN_LOGIN}, "redirect:/admin/", beheerder=METHOD)),
    ),
}


# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)


ADMIN_REPRESENTATIVE = {key for key in EXPECTED if key.startswith("admin:") and key != ADMIN_GROUP}


@pytest.mark.parametrize("actor", ACTORS)
def test_admin_group_rule_holds_for_every_admin_pattern(client_for, world, actor):
    """SE-2, SE-1: every pattern of the admin site (including the unnamed redirect and
    catch-all ones) answers by the admin group rule — or by its own exact row — for this
    actor: only the verified operator gets in."""
    user = world.user(actor)
    failures = []
    for pattern in PATTERNS:
        if pattern.key != ADMIN_GROUP:
            continue
        rows = EXPECTED.get(pattern.name) or EXPECTED[ADMIN_GROUP]
        check = rows[0]
        path = build_path(pattern, path_values(world, check.target, user))
        with rolled_back():  # each request on the fresh World: an unverified one is logged out
            response = client_for(actor).get(path)
        try:
            assert_outcome(response, check.outcomes[actor], path)
            assert_no_leak(response, world, actor, check.outcomes[actor], path)
        except AssertionError as error:
            failures.append(f"{pattern.route} ({pattern.name}): {error}")
    assert not failures, "\n".join(failures)


def test_leak_probes_are_meaningful(client_for, world):
    """SE-9: the strings the matrix looks for do appear where they may — the operator sees the
    other organisation's user, the werkgever-beheerder sees the colleague but not the outsider."""
    body = client_for(Role.BEHEERDER).get("/beheer/gebruikers/").content.decode()
    assert world.outsider.email in body and world.colleague.email in body
    body = client_for(Role.WERKGEVER_BEHEERDER).get("/beheer/gebruikers/").content.decode()
    assert world.colleague.email in body and world.outsider.email not in body
    listing = client_for(Role.WERKGEVER).get("/api/v1/accounts/").json()
    assert [row["id"] for row in listing["results"]] == [world.user(Role.WERKGEVER).pk]


def test_revoked_or_unknown_bearer_token_is_unauthenticated(client_for, world):
    """SE-1: a token that was revoked, or never issued, gets 401 on every API route."""
    client = client_for(Role.HR, "bearer")
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    for path in ("/api/v1/me/", "/api/v1/accounts/", "/api/v1/organisations/"):
        response = client.get(path)
        assert response.status_code == 401, (path, response.status_code)
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert stranger.get("/api/v1/me/").status_code == 401


def test_second_factor_reset_by_operator_kills_the_targets_tokens(client_for, world):
    """SE-1, SE-3: the operator's reset removes the outsider's device and their API token no
    longer authenticates; an employer's admin trying the same changes nothing."""
    werkgever_beheerder = client_for(Role.WERKGEVER_BEHEERDER)
    path = f"/beheer/gebruikers/{world.outsider.pk}/2fa-herstellen/"
    assert werkgever_beheerder.post(path).status_code == 404
    assert TOTPDevice.objects.filter(user=world.outsider).exists()
    response = client_for(Role.BEHEERDER).post(path)
    assert (response.status_code, response.headers["Location"]) == (302, "/beheer/gebruikers/")
    assert not TOTPDevice.objects.filter(user=world.outsider).exists()
    world.outsider_token.refresh_from_db()
    assert world.outsider_token.revoked_at is not None


def test_message_probes_are_meaningful(client_for, world):
    """SE-9: the World holds unread messages of more than one user (its ziekmelding tells the
    doctor, its plan the employee), so "someone else's message" is a real one; an actor's own
    message is on their list and on no other actor's."""
    recipients = set(
        Notification.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)
    )
    assert len(recipients) >= 2
    actors = {world.user(role).pk: role for role in ROLES}
    mine = Notification.objects.filter(recipient__in=actors).order_by("pk").first()
    assert mine is not None, sorted(recipients)
    owner = actors[mine.recipient_id]
    assert mine.text in client_for(owner).get("/berichten/").content.decode()
    for role in ROLES:
        if role != owner:
            assert mine.text not in client_for(role).get("/berichten/").content.decode(), role
