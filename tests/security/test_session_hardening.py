"""SE-1 and SE-8, hardened to ASVS 5.0 level 2 (issue 7, item 6): a new session key at login,
a disabled account's sessions end at once, a TOTP code works once, changing the second factor or
the e-mail address needs the password and a code again, a password reset never skips the second
factor, pages carry `Cache-Control: no-store`, and no personal data travels in a URL."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import REAUTH_AT
from accounts.roles import Role
from privacy.models import AuditEvent
from tests.conftest import totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def _login(client, user, code):
    client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": PASSWORD},
    )
    return client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": code})


def _sessions_of(user) -> list[str]:
    return [
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]


def test_login_gives_a_new_session_key(make_user, client):
    """SE-8 (ASVS 7.2.4): the session key the browser had before login (the login wizard's own
    session) is replaced at login and no longer exists, so a planted key is worthless."""
    user = make_user(Role.HR)
    client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": PASSWORD},
    )
    before = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=before).exists()
    response = client.post(
        LOGIN,
        {
            "login_view-current_step": "token",
            "token-otp_token": totp_code(user.totpdevice_set.get()),
        },
    )
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get("/").status_code == 200


def test_a_totp_code_is_accepted_once(make_user):
    """SE-1 (ASVS 6.5.1): the code that logged in cannot log in again, not even in another
    browser within the same 30-second window."""
    user = make_user(Role.HR)
    code = totp_code(user.totpdevice_set.get())
    first = Client()
    assert _login(first, user, code).status_code == 302
    second = Client()
    response = _login(second, user, code)
    assert response.status_code == 200
    assert "token-otp_token" in response.content.decode()  # back at the code step
    assert second.get("/").status_code == 302


def test_blocking_an_account_ends_all_its_sessions_and_tokens_at_once(
    make_user, verified_client, bearer_client
):
    """SE-3/SE-8 (ASVS 7.4.2): when the beheerder blocks an account, every session of it is
    deleted at that moment (not on its next request) and its API tokens stop working."""
    beheerder = make_user(Role.BEHEERDER)
    target = make_user(Role.HR)
    laptop, phone = verified_client(target), verified_client(target)
    api = bearer_client(target)
    bystander = make_user(Role.HR)
    other = verified_client(bystander)
    assert len(_sessions_of(target)) == 2 and api.get("/api/v1/me/").status_code == 200

    response = verified_client(beheerder).post(
        f"/beheer/gebruikers/{target.pk}/actief/", {"active": "0"}
    )
    assert response.status_code == 302
    assert _sessions_of(target) == []
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert api.get("/api/v1/me/").status_code == 401
    assert other.get("/").status_code == 200  # nobody else is affected
    assert AuditEvent.objects.filter(
        detail="account geblokkeerd", subject=target.pseudonym
    ).exists()
    # Unblocking does not bring the old sessions back; the password and code are needed anew.
    verified_client(beheerder).post(f"/beheer/gebruikers/{target.pk}/actief/", {"active": "1"})
    assert laptop.get("/").status_code == 302


def test_deactivation_by_any_path_ends_the_sessions(make_user, verified_client):
    """SE-8: the admin site or a shell that clears is_active has the same effect as the page."""
    target = make_user(Role.WERKNEMER)
    client = verified_client(target)
    target.is_active = False
    target.save()
    assert _sessions_of(target) == []
    assert client.get("/").status_code == 302


def test_werkgever_beheerder_blocks_own_hr_but_not_a_doctor_or_another_employer(
    make_user, verified_client, other_employer
):
    """SE-3/SE-9: whoever may issue an account may block it — nothing more."""
    admin = verified_client(make_user(Role.WERKGEVER_BEHEERDER))
    hr = make_user(Role.HR)
    doctor = make_user(Role.BEDRIJFSARTS)
    foreign_hr = make_user(Role.HR, organisation=other_employer)
    assert admin.post(f"/beheer/gebruikers/{hr.pk}/actief/", {"active": "0"}).status_code == 302
    assert admin.post(f"/beheer/gebruikers/{doctor.pk}/actief/", {"active": "0"}).status_code in (
        403,
        404,
    )
    assert (
        admin.post(f"/beheer/gebruikers/{foreign_hr.pk}/actief/", {"active": "0"}).status_code
        == 404
    )
    hr.refresh_from_db(), doctor.refresh_from_db(), foreign_hr.refresh_from_db()
    assert (hr.is_active, doctor.is_active, foreign_hr.is_active) == (False, True, True)


def _reauth(client, user, code=None, password=PASSWORD, next_url="/account/e-mailadres/"):
    return client.post(
        f"/account/bevestigen/?next={next_url}",
        {"password": password, "otp_token": code or totp_code(user.totpdevice_set.get())},
    )


def test_changing_the_email_address_needs_password_and_code_again(
    make_user, verified_client, mailoutbox
):
    """SE-1 (ASVS 7.5.1): a verified session alone cannot change the login address; a wrong
    password or a backup code is refused; the proof is spent by the change; the old address is
    told and the user's other sessions end."""
    user = make_user(Role.HR)
    client, elsewhere = verified_client(user), verified_client(user)
    new = "nieuw-adres@test.verzuimkluis.example"

    response = client.post("/account/e-mailadres/", {"email": new})
    assert response.status_code == 302
    assert response["Location"] == "/account/bevestigen/?next=/account/e-mailadres/"

    wrong = _reauth(client, user, password="niet-mijn-wachtwoord")
    assert wrong.status_code == 200 and "onjuist" in wrong.content.decode()
    assert REAUTH_AT not in client.session

    from accounts.actions import regenerate_backup_codes

    backup = regenerate_backup_codes(user)[0]
    assert _reauth(client, user, code=backup).status_code == 200  # a backup code is not enough

    proved = _reauth(client, user)
    assert proved.status_code == 302 and proved["Location"] == "/account/e-mailadres/"
    done = client.post("/account/e-mailadres/", {"email": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.email == new
    assert [m.to for m in mailoutbox] == [[mailoutbox[0].to[0]]] and mailoutbox[0].to[0] != new
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # the other session ended
    # The proof was spent: a second change asks for password and code again.
    again = client.post("/account/e-mailadres/", {"email": "nog-een@test.verzuimkluis.example"})
    assert again.status_code == 302 and again["Location"].startswith("/account/bevestigen/")


def test_email_change_keeps_input_and_says_why(make_user, verified_client):
    """A taken address is refused at the field, with what was typed kept."""
    user = make_user(Role.HR)
    taken = make_user(Role.HR).email
    client = verified_client(user)
    _reauth(client, user)
    response = client.post("/account/e-mailadres/", {"email": taken})
    assert response.status_code == 200
    body = response.content.decode()
    assert "al in gebruik" in body and f'value="{taken}"' in body


def test_replacing_the_authenticator_needs_reauth_and_a_code_of_the_new_app(
    make_user, verified_client
):
    """SE-1 (ASVS 6.4.x, 7.5.1): the old device works until the new one is confirmed with its
    own code; afterwards only the new one does, and the confirming code cannot log in again."""
    user = make_user(Role.BEDRIJFSARTS)
    old = user.totpdevice_set.get()
    old_key = old.key
    client = verified_client(user)
    assert client.get("/account/2fa/vervangen/")["Location"].startswith("/account/bevestigen/")
    assert _reauth(client, user, next_url="/account/2fa/vervangen/").status_code == 302

    page = client.get("/account/2fa/vervangen/")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode())[1]
    assert client.get("/account/2fa/qr/").status_code == 200  # the QR of that secret
    new_totp = TOTP(b32decode(secret))

    wrong = client.post("/account/2fa/vervangen/", {"otp_token": totp_code(old)})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=user).key == old_key  # still the old one

    code = f"{new_totp.token():06d}"
    done = client.post("/account/2fa/vervangen/", {"otp_token": code})
    assert done.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.key != old_key and device.confirmed
    assert client.get("/").status_code == 200  # the session moved to the new device
    assert _login(Client(), user, code).status_code == 200  # confirming code is spent
    assert AuditEvent.objects.filter(detail="authenticator-app vervangen").exists()


def test_password_reset_never_skips_the_second_factor(make_user, client, mailoutbox):
    """SE-1 (ASVS 6.4.3): the reset link sets a password and nothing else — no login, no
    re-authentication proof, and the next login still asks for the code; sessions opened
    before the reset end (the session hash changes with the password)."""
    user = make_user(Role.HR)
    before = Client()
    assert _login(before, user, totp_code(user.totpdevice_set.get())).status_code == 302
    client.post("/account/wachtwoord-vergeten/", {"email": user.email})
    link = re.search(r"http://[^/]+(/account/wachtwoord-instellen/\S+)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    new = "een-heel-nieuw-wachtwoord-42"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.get("/").status_code == 302
    assert REAUTH_AT not in client.session
    assert client.get("/account/e-mailadres/").status_code == 302
    assert before.get("/").status_code == 302
    response = client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.email, "auth-password": new},
    )
    assert "token-otp_token" in response.content.decode()
    assert client.get("/").status_code == 302


def _plain_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


@pytest.mark.parametrize("role", [Role.HR, Role.BEDRIJFSARTS, Role.WERKNEMER, Role.BEHEERDER])
def test_every_page_says_no_store(role, make_user, verified_client):
    """SE-8 (ASVS 14.3.2): no page this application renders may be kept by a browser or proxy
    cache — every parameterless route that answers, for each kind of user."""
    client = verified_client(make_user(role))
    checked = 0
    for route, _pattern in _plain_routes():
        if "<" in route or "(?P" in route or route.startswith(("admin", "static")):
            continue
        path = "/" + route.replace("^", "").replace("$", "").replace("\\", "")
        response = client.get(path)
        if response.status_code >= 500:
            raise AssertionError(f"{path}: {response.status_code}")
        assert "no-store" in response.get("Cache-Control", ""), path
        checked += 1
    assert checked > 30


# Path converters that can carry personal data: free text. int, uuid and these carry none: the
# password-reset pair (the base64 of a numeric id and a signed token), an output format, and a
# Poortwachter deadline key from verzuim/poortwachter.toml, and the name of a special part of an
# access request's export ("doelgroep", AV-3). The admin site (platform operator only)
# addresses objects by numeric id.
# report / kind: a fixed vocabulary (the four reports to UWV, the document kinds), 404 otherwise.
# personnel_number: the employer's own key of an employee in the HR system's sync API (issue 23,
# `PUT/PATCH /api/v1/werknemers/nummer/<personnel_number>/`) — an identifier the HR system
# already holds, never a name; machine to machine, so no browser history or referrer, and the
# proxy's access log writes the route without it (deploy/nginx.conf, tests/test_proxy.py).
ALLOWED_STRING_PARAMS = {
    "uidb64",
    "token",
    "format",
    "fmt",
    "key",
    "part",
    "report",
    "kind",
    "personnel_number",
}


def test_no_personal_data_in_urls(make_user, verified_client):
    """SE-8 (ASVS 14.2.1): no route takes free text (a name, an e-mail address, a BSN) as a path
    parameter, no GET form asks for typed text, and searching by name keeps the name out of the
    URL (it goes in the POST body and stays in the session)."""
    free_text = []
    for route, pattern in _plain_routes():
        if route.startswith("admin/"):
            continue
        for name, converter in getattr(pattern.pattern, "converters", {}).items():
            if type(converter).__name__ not in ("IntConverter", "UUIDConverter"):
                if name not in ALLOWED_STRING_PARAMS:
                    free_text.append(f"{route}: <{name}>")
        if "(?P<" in route:
            for name, allowed in re.findall(r"\(\?P<(\w+)>([^)]*)\)", route):
                if allowed == "[0-9]+":  # digits only: a number, never free text
                    continue
                if name not in ALLOWED_STRING_PARAMS and name not in ("pk", "path"):
                    free_text.append(f"{route}: (?P<{name}>)")
    assert free_text == []

    hr = make_user(Role.HR)
    client = verified_client(hr)
    for path in ("/verzuim/meldingen/", "/verzuim/werknemers/", "/doelgroep/rapportage/"):
        body = client.get(path).content.decode()
        for form in re.findall(r'<form[^>]*method="get".*?</form>', body, re.S | re.I):
            typed = re.findall(r'<input[^>]*type="(?:text|search|email|tel)"', form)
            assert typed == [], f"{path}: a GET form asks for typed text: {typed}"
    searched = client.post("/verzuim/werknemers/", {"q": "Jansen"})
    assert searched.status_code == 302 and "Jansen" not in searched["Location"]
    assert 'value="Jansen"' in client.get(searched["Location"]).content.decode()
    # A name in the query string is ignored, so an old bookmark cannot search through the URL.
    assert 'value="Jansen"' in client.get("/verzuim/werknemers/?q=Anders").content.decode()
