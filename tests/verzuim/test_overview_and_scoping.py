"""The employer overview (filters, search, pagination, statistics, CSV export) and SE-9: a user
of organisation A sees nothing of organisation B through pages, API, search, export or e-mail.
List pages keep a constant number of queries as the data grows."""

from datetime import date, timedelta

import pytest
import time_machine

from accounts.roles import Role
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.tasks import send_deadline_signals

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def two_orgs(hr, make_user, werknemer, foreign_werknemer, other_employer):
    other_hr = make_user(Role.HR, organisation=other_employer)
    ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=35), **ZM_DATA
    )
    foreign = ziekmelding_actions.create_ziekmelding(
        by=other_hr, werknemer=foreign_werknemer, first_day=TODAY - timedelta(days=36), **ZM_DATA
    )
    return foreign


def test_pages_search_and_export_show_only_own_organisation(
    hr, verified_client, two_orgs, foreign_werknemer
):
    """SE-9 through pages, search and export."""
    client = verified_client(hr)
    searched = foreign_werknemer.last_name  # echoed in the search box, so not the marker
    outsider = foreign_werknemer.personnel_number
    for path, term in (
        ("/verzuim/meldingen/", None),
        ("/verzuim/meldingen/", searched),
        ("/verzuim/meldingen/", outsider),
        ("/verzuim/meldingen/export.csv", None),
        ("/verzuim/werknemers/", None),
        ("/verzuim/werknemers/", searched),
        ("/verzuim/meldingen/statistiek/", None),
        ("/", None),
    ):
        if term is not None:
            # The search term travels in the POST body, never in the URL.
            searched_response = client.post(path, {"q": term})
            assert searched_response.status_code == 302
            assert term not in searched_response["Location"]
            path = searched_response["Location"]
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode().replace(f'value="{outsider}"', "")
        assert outsider not in body, path
        if term is not None:
            client.post(path, {"q": ""})
    assert client.get(f"/verzuim/meldingen/{two_orgs.pk}/").status_code == 404
    assert client.get(f"/verzuim/werknemers/{foreign_werknemer.pk}/").status_code == 404
    assert (
        client.post(
            f"/verzuim/meldingen/{two_orgs.pk}/herstel/",
            {"kind": "volledig", "date": TODAY.isoformat()},
        ).status_code
        == 404
    )


def test_api_shows_only_own_organisation(hr, bearer_client, two_orgs, foreign_werknemer):
    """SE-9 through the API."""
    client = bearer_client(hr)
    listed = client.get("/api/v1/ziekmeldingen/").json()["results"]
    assert two_orgs.pk not in [z["id"] for z in listed] and len(listed) == 1
    assert client.get(f"/api/v1/ziekmeldingen/{two_orgs.pk}/").status_code == 404
    assert (
        client.get(f"/api/v1/werknemers/?q={foreign_werknemer.last_name}").json()["results"] == []
    )
    filed = client.post(
        "/api/v1/ziekmeldingen/",
        {"werknemer": foreign_werknemer.pk, "first_day": TODAY.isoformat(), **ZM_DATA},
        format="json",
    )
    assert filed.status_code == 400  # the other organisation's employee does not exist here


def test_signal_emails_go_to_own_hr_only(hr, two_orgs, foreign_werknemer, mailoutbox):
    """SE-9 through e-mail: each organisation's HR hears only about its own people."""
    send_deadline_signals(TODAY.isoformat())
    own = [m for m in mailoutbox if m.to == [hr.email]]
    assert own and all(foreign_werknemer.last_name not in m.body for m in own)


def test_filters_and_pagination(hr, verified_client, employer):
    """The overview filters by status, department and deadline state, and paginates."""
    for n in range(30):
        w = WerknemerFactory(organisation=employer, department="Productie" if n % 2 else "Kantoor")
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=w, first_day=TODAY - timedelta(days=n), **ZM_DATA
        )
    client = verified_client(hr)
    first = client.get("/verzuim/meldingen/").content.decode()
    assert "Pagina 1 van 2" in first
    productie = client.get("/verzuim/meldingen/?department=Productie&status=open")
    assert productie.content.decode().count("<tr>") - 1 == 15
    overdue = client.get("/verzuim/meldingen/?deadline=overdue").content.decode()
    assert "Geen verzuimmeldingen gevonden" in overdue  # all reported on time, none overdue yet


def test_department_filter_and_search_stay_within_the_organisation(
    hr, verified_client, employer, other_employer, make_user
):
    """The department choices are the organisation's own (distinct, sorted); the department
    filter and the name search match only its own employees' cases, also when an employee of
    another organisation has the same department and name (the filters join the employees of
    the user's organisations only)."""
    other_hr = make_user(Role.HR, organisation=other_employer)
    own = [
        WerknemerFactory(
            organisation=employer, department=d, first_name="Anna", last_name="Zoekmaar"
        )
        for d in ("Productie", "Kantoor", "Productie", "")
    ]
    foreign = [
        WerknemerFactory(
            organisation=other_employer, department=d, first_name="Anna", last_name="Zoekmaar"
        )
        for d in ("Productie", "Geheim")
    ]
    for n, w in enumerate(own):
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=w, first_day=TODAY - timedelta(days=n + 1), **ZM_DATA
        )
    for w in foreign:
        ziekmelding_actions.create_ziekmelding(
            by=other_hr, werknemer=w, first_day=TODAY - timedelta(days=1), **ZM_DATA
        )
    client = verified_client(hr)
    page = client.get("/verzuim/meldingen/?status=all&department=Productie")
    assert page.context["form"].fields["department"].choices == [
        ("", "Alle"),
        ("Kantoor", "Kantoor"),
        ("Productie", "Productie"),
    ]
    assert [zm.werknemer_id for zm in page.context["page"]] == [own[0].pk, own[2].pk]
    assert client.post("/verzuim/meldingen/", {"q": "zoekmaar"}).status_code == 302
    found = client.get("/verzuim/meldingen/?status=all")
    assert [zm.werknemer_id for zm in found.context["page"]] == [w.pk for w in own]
    both = client.get("/verzuim/meldingen/?status=all&department=Kantoor")
    assert [zm.werknemer_id for zm in both.context["page"]] == [own[1].pk]


def test_list_pages_keep_a_constant_number_of_queries(
    hr, verified_client, employer, django_assert_max_num_queries
):
    """Query counts do not grow with the data (no query per row)."""
    client = verified_client(hr)

    def fill(n):
        for _ in range(n):
            w = WerknemerFactory(organisation=employer)
            ziekmelding_actions.create_ziekmelding(
                by=hr, werknemer=w, first_day=TODAY - timedelta(days=3), **ZM_DATA
            )

    fill(3)
    counts = {}
    for path in (
        "/verzuim/meldingen/",
        "/verzuim/meldingen/?status=all&department=Logistiek",
        "/verzuim/meldingen/?status=all&deadline=overdue",
        "/verzuim/werknemers/",
        "/",
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        counts[path] = len(ctx)
    fill(20)
    for path, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(path)


def test_statistics_and_export(hr, verified_client, werknemer):
    """Statistics per month and the CSV export carry only administration (SE-4)."""
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=TODAY - timedelta(days=10),
        **{**ZM_DATA, "lopende_afspraken": "Sleutels bij de receptie"},
    )
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=zm, kind="volledig", date=TODAY - timedelta(days=2)
    )
    client = verified_client(hr)
    stats = client.get("/verzuim/meldingen/statistiek/").content.decode()
    assert 'data-chart="grafiek-verzuimpercentage"' in stats and "Verzuimpercentage" in stats
    export = client.get("/verzuim/meldingen/export.csv?status=all").content.decode()
    assert werknemer.personnel_number in export
    assert "Sleutels" not in export  # free text is not exported
