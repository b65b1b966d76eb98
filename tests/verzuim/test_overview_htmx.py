"""Issue 18, item 10: the verzuimoverzicht's filters through htmx — a changed filter swaps only
the results (and the export link of that selection); without htmx the form is an ordinary GET
and the whole page comes back. Scoped and audited the same either way (SE-9, SE-7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from privacy.models import AuditEvent
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import ziekmelding as ziekmelding_actions

pytestmark = pytest.mark.django_db

URL = "/verzuim/meldingen/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cases(hr, employer, other_employer, make_user):
    today = timezone.localdate()
    open_wn = WerknemerFactory(organisation=employer, first_name="Otto", last_name="Open")
    closed_wn = WerknemerFactory(organisation=employer, first_name="Hanna", last_name="Hersteld")
    foreign_wn = WerknemerFactory(
        organisation=other_employer, first_name="Vera", last_name="Vreemd"
    )
    ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=open_wn, first_day=today - timedelta(days=10), **ZM_DATA
    )
    closed = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=closed_wn, first_day=today - timedelta(days=20), **ZM_DATA
    )
    closed.recovered_on = today - timedelta(days=5)
    closed.save(update_fields=["recovered_on"])
    other_hr = make_user(Role.HR, organisation=other_employer)
    ziekmelding_actions.create_ziekmelding(
        by=other_hr, werknemer=foreign_wn, first_day=today - timedelta(days=20), **ZM_DATA
    )


def test_page_has_htmx_filters_with_a_plain_get_fallback(hr, cases, verified_client):
    page = verified_client(hr).get(URL).content.decode()
    form = page.split('class="filters"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in page.split('class="filters"', 1)[0].rsplit("<form", 1)[1]
    assert 'hx-get="/verzuim/meldingen/"' in form and 'hx-target="#verzuim-resultaten"' in form
    assert "<html" in page and 'id="verzuim-resultaten"' in page


def test_htmx_filter_swaps_only_the_filtered_results(hr, cases, verified_client):
    """Status "hersteld" through htmx: only the results fragment, the recovered case alone, the
    export link of this selection out of band; the response varies on HX-Request."""
    response = verified_client(hr).get(URL, {"status": "closed"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.startswith('<div id="verzuim-resultaten">')
    assert "Hanna Hersteld" in html and "Otto Open" not in html
    assert "1 verzuimmelding gevonden" in html
    assert 'id="verzuim-export"' in html and 'hx-swap-oob="true"' in html
    assert "/verzuim/meldingen/export.csv?status=closed" in html
    assert "HX-Request" in response["Vary"]


def test_plain_get_and_history_restore_get_the_whole_page(hr, cases, verified_client):
    client = verified_client(hr)
    plain = client.get(URL, {"status": "closed"}).content.decode()
    assert "<html" in plain and "Hanna Hersteld" in plain and "Otto Open" not in plain
    restore = client.get(
        URL, {"status": "closed"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    ).content.decode()
    assert "<html" in restore


def test_se9_se7_htmx_results_are_scoped_and_audited(hr, cases, verified_client):
    """SE-9: another employer's case never appears; SE-7: each row shown is logged — one entry
    for the page view naming both rows shown."""
    before = AuditEvent.objects.count()
    html = verified_client(hr).get(URL, {"status": "all"}, **HTMX).content.decode()
    assert "Vera Vreemd" not in html
    assert "Otto Open" in html and "Hanna Hersteld" in html
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.latest("pk")
    assert len(event.object_ids) == 2 and len(event.subjects) == 2
