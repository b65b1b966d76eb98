"""SE-6: characters PostgreSQL refuses (a NUL, an unpaired surrogate) are refused where they come
in — a 400 for a URL, a Dutch message for the search box, the import line, the form field —
and never reach the database as a 500 (accounts/input_guard.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.input_guard import has_bad_chars
from accounts.viewhelpers import SEARCH_SESSION_KEY
from tests.verzuim.factories import WerknemerFactory
from verzuim import hr_sync
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db

HEADER = "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;afdeling"


def _parameterless_routes(patterns=None, prefix=""):
    """Every route without a path parameter (the admin aside), as a concrete path."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from _parameterless_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
            path = "/" + route.replace("$", "").replace("\\", "")
            if not path.startswith("/admin/"):
                yield path


def test_has_bad_chars():
    """SE-6: NUL and unpaired surrogates are caught; ordinary text, tabs, accents are not."""
    assert has_bad_chars("a\x00b") and has_bad_chars("\ud800")
    assert not has_bad_chars("Zoë de Vries\tAfdeling 3 – €")


def test_api_query_string_with_nul_is_a_400_not_a_500(hr, bearer_client):
    """SE-6: `?q=%00` on the employee API was a 500 (psycopg refuses NUL)."""
    client = bearer_client(hr)
    response = client.get("/api/v1/werknemers/?q=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"
    assert client.get("/api/v1/werknemers/?q=de%20Vries").status_code == 200


def test_every_parameterless_url_refuses_nul_in_its_query_string(hr, verified_client):
    """SE-6: for every route of the project (pages and API), a NUL in the query string — as a
    value or a name — is a 400, never a 500 or a pass to the view."""
    client = verified_client(hr)
    paths = sorted(set(_parameterless_routes()))
    assert len(paths) > 40, paths
    for path in paths:
        for query in ("q=%00", "page=1%00", "%00=1"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query, response.status_code)


def test_search_box_refuses_nul_and_the_list_and_export_keep_working(hr, verified_client):
    """SE-6: a search term with a NUL was kept in the session and made the overview and its
    export answer 500 until the search was cleared. Now it is refused with a Dutch message."""
    client = verified_client(hr)
    response = client.post("/verzuim/meldingen/", {"q": "Jan\x00sen"}, follow=True)
    assert response.status_code == 200
    assert "niet is toegestaan" in response.content.decode()
    assert not has_bad_chars(str(client.session.get(SEARCH_SESSION_KEY, {})))
    assert client.get("/verzuim/meldingen/export.csv").status_code == 200


def test_a_nul_search_kept_by_an_older_session_is_dropped(hr, verified_client):
    """SE-6: a session that already holds such a term (kept before the check) works again."""
    client = verified_client(hr)
    session = client.session
    session[SEARCH_SESSION_KEY] = {"ziekmeldingen": "Jan\x00sen"}
    session.save()
    assert client.get("/verzuim/meldingen/").status_code == 200
    assert client.get("/verzuim/meldingen/export.csv").status_code == 200
    assert "ziekmeldingen" not in client.session.get(SEARCH_SESSION_KEY, {})


def test_csv_import_with_nul_reports_the_line_and_imports_nothing(hr, employer):
    """SE-6: a NUL in an imported file is reported at its line; nothing is imported."""
    content = "\n".join(
        [
            HEADER,
            "1001;Anna;de Vries;01-02-1980;01-03-2020;Productie",
            "1002;Bram;Jan\x00sen;01-01-1990;01-01-2021;",
        ]
    ).encode()
    rows, problems = hr_sync.read_csv(content)
    assert rows == [] and [p.line for p in problems] == [3]
    assert "niet is toegestaan" in problems[0].reason
    assert not Werknemer.objects.filter(organisation=employer).exists()


def test_form_field_with_nul_gets_a_field_message_and_keeps_the_input(
    hr, employer, verified_client
):
    """SE-6: a page form answers at the field (Django's null-character validator) and comes
    back with what was typed; nothing is saved."""
    werknemer = WerknemerFactory(organisation=employer, department="Productie")
    response = verified_client(hr).post(
        f"/verzuim/werknemers/{werknemer.pk}/",
        {
            "version": werknemer.version,
            "personnel_number": werknemer.personnel_number,
            "first_name": werknemer.first_name,
            "last_name": werknemer.last_name,
            "date_of_birth": werknemer.date_of_birth.isoformat(),
            "employment_start": werknemer.employment_start.isoformat(),
            "department": "Inpak\x00",
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    werknemer.refresh_from_db()
    assert werknemer.department == "Productie"


def test_api_body_with_nul_gets_a_field_error(hr, bearer_client):
    """SE-6: a JSON body with a NUL in a text field is a 400 naming the field."""
    response = bearer_client(hr).post(
        "/api/v1/werknemers/",
        {
            "personnel_number": "X1\x00",
            "first_name": "Anna",
            "last_name": "de Vries",
            "date_of_birth": "1980-02-01",
            "employment_start": "2020-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "personnel_number" in response.json()["fields"]
