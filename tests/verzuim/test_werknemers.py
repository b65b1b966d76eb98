"""Werknemers: create, edit, end employment, CSV import that imports nothing until the file is
clean (issue 3)."""

import pytest

from accounts.roles import Role
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db

HEADER = "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;afdeling\n"


def _csv(*rows):
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_import_page_shows_problems_and_keeps_database_clean(hr, verified_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(hr)
    upload = SimpleUploadedFile(
        "w.csv", _csv("1001;Anna;;01-02-1980;01-03-2020;"), content_type="text/csv"
    )
    response = client.post("/verzuim/werknemers/import/", {"file": upload})
    assert response.status_code == 200
    assert "Niets geïmporteerd" in response.content.decode()
    assert not Werknemer.objects.exists()


def test_create_edit_and_end_employment_through_pages(hr, verified_client, employer):
    client = verified_client(hr)
    data = {
        "first_name": "Els",
        "last_name": "Visser",
        "personnel_number": "77",
        "date_of_birth": "1985-04-04",
        "employment_start": "2019-09-01",
        "email": "",
        "phone": "",
        "address": "",
        "postcode": "",
        "city": "",
        "employment_end": "",
        "department": "Verkoop",
    }
    bad = client.post("/verzuim/werknemers/nieuw/", {**data, "employment_start": "1980-01-01"})
    assert bad.status_code == 200 and "Visser" in bad.content.decode()  # kept
    ok = client.post("/verzuim/werknemers/nieuw/", data)
    assert ok.status_code == 302
    werknemer = Werknemer.objects.get(personnel_number="77")
    assert werknemer.organisation == employer
    edit = client.post(
        f"/verzuim/werknemers/{werknemer.pk}/",
        {**data, "department": "Inkoop", "version": werknemer.version},
    )
    assert edit.status_code == 302
    stale = client.post(
        f"/verzuim/werknemers/{werknemer.pk}/", {**data, "department": "Oud", "version": 1}
    )
    assert stale.status_code == 200 and "intussen gewijzigd" in stale.content.decode()
    end = client.post(f"/verzuim/werknemers/{werknemer.pk}/uit-dienst/", {"end_date": "2026-12-31"})
    assert end.status_code == 302
    werknemer.refresh_from_db()
    assert werknemer.department == "Inkoop" and str(werknemer.employment_end) == "2026-12-31"


def test_werkgever_beheerder_cannot_manage_employees(make_user, verified_client, werknemer):
    """SE-2: the employer's account admin manages accounts, not sick leave."""
    client = verified_client(make_user(Role.WERKGEVER_BEHEERDER))
    assert client.get("/verzuim/werknemers/").status_code == 403
    assert client.get(f"/verzuim/werknemers/{werknemer.pk}/").status_code == 404
