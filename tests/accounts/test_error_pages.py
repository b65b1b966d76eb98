"""Issue 18 item 5: every error a person can meet is a Dutch page in the site's layout with a way
back — 400, 403 (saying why), 404, 405, 413, a failed CSRF check and 500 — never Django's bare
or English page ("Meer informatie is beschikbaar met DEBUG=True"). Under /api/ the same errors
are JSON with a machine-readable code. SE-8: the session's keep-alive address and the idle
warning's data on every signed-in page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from accounts import error_pages
from accounts.roles import Role

pytestmark = pytest.mark.django_db

WAY_BACK = "Naar het overzicht"


def _page(response, status):
    assert response.status_code == status, response.status_code
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert WAY_BACK in body
    assert "DEBUG" not in body
    assert "Forbidden" not in body and "Not Found" not in body
    return body


@pytest.fixture
def hr_client(make_user, verified_client):
    return verified_client(make_user(Role.HR))


def test_404_is_a_dutch_page_with_a_way_back(hr_client):
    body = _page(hr_client.get("/bestaat-niet/"), 404)
    assert "Niet gevonden" in body


def test_403_says_why_the_role_may_not_open_the_page(make_user, verified_client):
    client = verified_client(make_user(Role.WERKNEMER))
    body = _page(client.get("/beheer/gebruikers/"), 403)
    assert "Geen toegang" in body
    assert "niet de rol of de toewijzing" in body


def test_403_shows_the_reason_the_code_gave():
    """accounts.errors.require(allowed, reason): the reason reaches the page."""
    from accounts.errors import require

    request = RequestFactory().get("/verzuim/")
    request.user = None
    with pytest.raises(PermissionDenied) as raised:
        require(False, "Alleen de bedrijfsarts van deze werkgever mag dit advies zien.")
    response = error_pages.permission_denied(request, raised.value)
    body = _page(response, 403)
    assert "Alleen de bedrijfsarts van deze werkgever mag dit advies zien." in body


def test_405_on_a_post_only_address_is_a_page(hr_client):
    response = hr_client.get("/account/uitloggen/")
    body = _page(response, 405)
    assert "Dit adres opent geen pagina" in body
    assert response["Allow"] == "POST, OPTIONS"


def test_405_under_api_stays_json(hr_client):
    response = hr_client.delete("/api/v1/auth/token/")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_too_many_fields_is_a_dutch_400(hr_client):
    data = {f"veld{i}": "x" for i in range(1200)}
    body = _page(hr_client.post("/account/bevestigen/", data), 400)
    assert "Ongeldig verzoek" in body


def test_too_large_request_is_413_with_a_page_and_nothing_saved(hr_client, settings):
    """A body above DATA_UPLOAD_MAX_MEMORY_SIZE: Django's RequestDataTooBig (a 400 by default)
    answered 413 with a page saying what happened."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    response = hr_client.post("/account/bevestigen/", {"email": "x" * (100 * 1024)})
    body = _page(response, 413)
    assert "Te veel tekst" in body
    assert "0,0625 MB" in body
    assert "niets opgeslagen" in body


def test_too_large_api_request_is_413_json(hr_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = hr_client.post(
        "/api/v1/auth/token/", {"username": "x" * 4096}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_request_size_limit_is_deliberate(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024


def test_csrf_failure_is_a_dutch_page(make_user):
    """A missing CSRF cookie: Django's page is English and ends with a DEBUG=True hint."""
    client = Client(enforce_csrf_checks=True)
    body = _page(client.post("/account/login/", {"auth-username": "a@example.test"}), 403)
    assert "Formulier verlopen" in body
    assert "Uw invoer is niet opgeslagen" in body


def test_500_is_a_dutch_page_in_the_layout():
    request = RequestFactory().get("/verzuim/")
    body = _page(error_pages.server_error(request), 500)
    assert "Er ging iets mis" in body


def test_500_under_api_is_json():
    response = error_pages.server_error(RequestFactory().get("/api/v1/ziekmeldingen/"))
    assert response.status_code == 500
    assert b'"code": "server_error"' in response.content


# --- SE-8: the idle warning ------------------------------------------------------------------


def test_signed_in_page_carries_the_idle_warning_script(hr_client, settings):
    body = hr_client.get("/").content.decode()
    assert 'src="/static/js/session-timeout.js"' in body
    assert f'data-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert 'data-session-url="/account/sessie/"' in body
    assert "nonce=" in body


def test_login_page_has_no_idle_warning():
    body = Client().get("/account/login/").content.decode()
    assert "session-timeout.js" not in body


def test_keep_alive_renews_the_session_and_hands_the_csrf_token(hr_client, settings):
    response = hr_client.post("/account/sessie/")
    assert response.status_code == 200
    state = response.json()
    assert state["seconds_left"] == settings.SESSION_COOKIE_AGE
    assert state["csrf_token"]
    assert hr_client.get("/account/sessie/").json()["seconds_left"] > 0


def test_keep_alive_counts_down_to_the_absolute_limit(hr_client, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 600
    assert hr_client.post("/account/sessie/").json()["seconds_left"] <= 600


def test_keep_alive_needs_the_csrf_token(make_user, verified_client):
    client = verified_client(make_user(Role.HR))
    client.handler.enforce_csrf_checks = True
    response = client.post("/account/sessie/")
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()


def test_expired_session_gets_no_json_but_the_login_redirect():
    """What the script reads as "expired": the login redirect, never a 200."""
    response = Client().get("/account/sessie/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_idle_warning_data_only_for_a_verified_session(make_user):
    """An error page rendered before django-otp's middleware ran (no `is_verified`) still
    renders: the context processor simply gives no idle warning."""
    from accounts.context_processors import session_timeout

    request = RequestFactory().get("/")
    request.user = make_user(Role.HR)
    request.session = {}
    assert session_timeout(request) == {}
    request.user.is_verified = lambda: True
    assert session_timeout(request)["session_seconds_left"] > 0
