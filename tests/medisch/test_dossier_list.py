"""Issue 18, "Also": the doctor's list of medical dossiers — search by name or personnel number,
a filter per client, paginated — scoped as before: a doctor sees only the clients they serve
(SE-9, MD-2); the search term never travels in a URL; the list is audited as a search (SE-7)."""

import pytest

from accounts.models import Assignment
from medisch.actions import dossier as actions
from privacy.models import AuditAction, AuditEvent
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

URL = "/medisch/"


@pytest.fixture
def second_client(doctor):
    """A second employer the doctor serves."""
    org = OrganisationFactory(name="Bakkerij Tweede Klant BV")
    Assignment.objects.create(user=doctor, organisation=org)
    return org


@pytest.fixture
def unserved(db):
    """An employer the doctor does not serve, with an employee of a tell-tale name."""
    org = OrganisationFactory(name="Niet Mijn Klant BV")
    WerknemerFactory(organisation=org, first_name="Verborgen", last_name="Buitenklant")
    return org


@pytest.fixture
def people(employer, second_client):
    """30 employees at the first client (one findable by name), 2 at the second."""
    rows = [
        WerknemerFactory(organisation=employer, first_name="Naam", last_name=f"Aaa{i:02d}")
        for i in range(29)
    ]
    rows.append(
        WerknemerFactory(
            organisation=employer,
            first_name="Zoë",
            last_name="Zoekbaar",
            personnel_number="PN-7741",
        )
    )
    rows += [
        WerknemerFactory(organisation=second_client, first_name="Bert", last_name=f"Bakker{i}")
        for i in range(2)
    ]
    return rows


def _names(response):
    assert response.status_code == 200
    return [w.last_name for w in response.context["page"]]


def test_se9_list_is_paginated(doctor, people, verified_client):
    client = verified_client(doctor)
    first = client.get(URL)
    assert len(_names(first)) == 25
    assert first.context["page"].paginator.count == 32
    assert "Pagina 1 van 2" in first.content.decode()
    second = client.get(URL + "?page=2")
    assert len(_names(second)) == 7
    assert not set(_names(first)) & set(_names(second))


def test_search_by_name_or_personnel_number_kept_out_of_the_url(doctor, people, verified_client):
    """The term is posted and kept in the session (a name is personal data: no URL, no log)."""
    client = verified_client(doctor)
    posted = client.post(URL, {"q": "zoekbaar"})
    assert posted.status_code == 302 and "zoekbaar" not in posted["Location"].lower()
    assert _names(client.get(posted["Location"])) == ["Zoekbaar"]
    client.post(URL, {"q": "PN-7741"})
    assert _names(client.get(URL)) == ["Zoekbaar"]
    client.post(URL, {"q": ""})  # cleared
    assert client.get(URL).context["page"].paginator.count == 32


def test_filter_per_client(doctor, people, second_client, employer, verified_client):
    client = verified_client(doctor)
    page = client.get(URL)
    html = page.content.decode()
    assert 'name="organisatie"' in html and second_client.name in html
    narrowed = client.get(f"{URL}?organisatie={second_client.pk}")
    assert sorted(_names(narrowed)) == ["Bakker0", "Bakker1"]
    # Combined with a search, and the filter kept on the next page's link.
    assert _names(client.get(f"{URL}?organisatie={employer.pk}")).__len__() == 25
    assert (
        f"organisatie={employer.pk}&amp;page=2"
        in client.get(f"{URL}?organisatie={employer.pk}").content.decode()
    )


def test_se9_md2_doctor_sees_only_clients_they_serve(doctor, people, unserved, verified_client):
    """SE-9: neither the list, nor the search, nor the filter with an unserved client's id shows
    that client or its employees."""
    client = verified_client(doctor)
    html = client.get(URL).content.decode()
    assert "Buitenklant" not in html and unserved.name not in html
    assert client.get(f"{URL}?organisatie={unserved.pk}").context["page"].paginator.count == 32
    client.post(URL, {"q": "Buitenklant"})
    assert _names(client.get(URL)) == []
    assert unserved.name not in client.get(f"{URL}?organisatie={unserved.pk}").content.decode()


def test_md4_casemanager_sees_only_delegated_dossiers(doctor, casemanager, people, verified_client):
    from datetime import date

    dossier = actions.open_dossier(by=doctor, werknemer=people[-1])
    actions.open_dossier(by=doctor, werknemer=people[0])
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=date.today(),
        valid_until=date.today(),
    )
    page = verified_client(casemanager).get(URL)
    assert page.status_code == 200
    assert [d.pk for d in page.context["page"]] == [dossier.pk]


def test_se7_the_list_is_audited_as_a_search_of_the_dossiers_shown(doctor, people, verified_client):
    shown = actions.open_dossier(by=doctor, werknemer=people[29])  # Zoë Zoekbaar
    client = verified_client(doctor)
    client.post(URL, {"q": "Zoekbaar"})
    client.get(URL)
    event = AuditEvent.objects.filter(
        action=AuditAction.SEARCH, detail="overzicht medische dossiers"
    ).latest("pk")
    assert event.object_ids == [str(shown.pk)]
    assert "Zoekbaar" not in event.detail
