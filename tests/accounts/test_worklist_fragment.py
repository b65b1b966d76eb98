"""Issue 18, items 2 and 10: the dashboard's worklists and their htmx refresh (/werklijst/,
accounts.views.worklist): each worklist refreshes alone, asked of its own policy (SE-2); the
operator's breaches (AV-4) wait on their dashboard; htmx runs under the CSP (no eval, no inline
styles). The medical worklists: tests/medisch/test_worklist.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from privacy.models import Datalek, RiskLevel
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _breach(operator, **fields):
    return Datalek.objects.create(
        title=fields.pop("title", "Synthetisch datalek"),
        description="Een lijst per ongeluk naar de verkeerde ontvanger.",
        discovered_at=fields.pop("discovered_at", timezone.now() - timedelta(hours=10)),
        categories="verzuimgegevens",
        recorded_by=operator,
        **fields,
    )


def test_dashboard_loads_htmx_under_the_csp_and_wraps_each_worklist(make_user, verified_client):
    """Item 10: htmx from our own static files (script-src 'self', no CDN), eval off and no
    inline indicator styles (the CSP has neither unsafe-eval nor unsafe-inline), and each
    worklist refreshable through hx-get with a plain link as fallback."""
    response = verified_client(make_user(Role.HR)).get("/")
    page = response.content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2[^"]*\.js"', page)
    csp = response["Content-Security-Policy"]
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert '"allowEval":false' in page and '"includeIndicatorStyles":false' in page
    assert 'id="werklijst-verzuim-termijnen"' in page
    assert 'hx-get="/werklijst/?paneel=verzuim-termijnen"' in page
    assert 'hx-get="/werklijst/?paneel=reintegratie-werkgever"' in page


def test_fragment_refreshes_one_worklist_without_the_page_around_it(make_user, verified_client):
    response = verified_client(make_user(Role.HR)).get(
        "/werklijst/?paneel=verzuim-termijnen", **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="werklijst" id="werklijst-verzuim-termijnen">')
    assert "<html" not in html and "werklijst-reintegratie-werkgever" not in html


def test_without_htmx_the_worklists_come_as_a_whole_page(make_user, verified_client):
    """Opened directly (a bookmark, a new tab) /werklijst/ is a page of its own with a title
    and the site around it, not a bare fragment."""
    html = verified_client(make_user(Role.HR)).get("/werklijst/").content.decode()
    assert "<html" in html and "<title>Werklijst" in html
    assert 'id="werklijst-verzuim-termijnen"' in html


def test_se2_a_worklist_of_another_role_answers_404(make_user, verified_client):
    """SE-2: each worklist asks its own policy; another role's, or an unknown one, is 404."""
    employee = make_user(Role.WERKNEMER)
    WerknemerFactory(organisation=employee.organisation, user=employee)
    client = verified_client(employee)
    for name in ("privacy-datalekken", "medisch", "verzuim-termijnen", "bestaat-niet"):
        assert client.get(f"/werklijst/?paneel={name}", **HTMX).status_code == 404, name
    assert client.get("/werklijst/?paneel=reintegratie-mijn", **HTMX).status_code == 200
    operator = verified_client(make_user(Role.BEHEERDER))
    assert operator.get("/werklijst/?paneel=reintegratie-werkgever").status_code == 404
    assert operator.get("/werklijst/?paneel=privacy-datalekken").status_code == 200


def test_se2_role_without_a_worklist_is_refused(make_user, verified_client):
    """SE-2: the werkgever-beheerder manages users and has no worklist: 403."""
    client = verified_client(make_user(Role.WERKGEVER_BEHEERDER))
    assert client.get("/werklijst/").status_code == 403


def test_av4_open_breaches_wait_for_the_operator_with_their_clock(make_user, verified_client):
    """AV-4: a breach not yet notified to the AP (or of high risk, persons not yet informed)
    waits with its 72-hour deadline; one assessed as no risk, or handled, does not."""
    operator = make_user(Role.BEHEERDER)
    open_breach = _breach(operator, title="Lijst verkeerd verstuurd")
    _breach(operator, title="Geen risico", risk=RiskLevel.NONE)
    _breach(operator, title="Al gemeld", risk=RiskLevel.RISK, ap_notified_at=timezone.now())
    informing = _breach(
        operator,
        title="Hoog risico",
        risk=RiskLevel.HIGH,
        ap_notified_at=timezone.now(),
    )
    client = verified_client(operator)
    html = client.get("/werklijst/?paneel=privacy-datalekken", **HTMX).content.decode()
    assert "Lijst verkeerd verstuurd" in html and "Hoog risico" in html
    assert "Geen risico" not in html and "Al gemeld" not in html
    assert "om te melden aan de AP" in html
    deadline = timezone.localtime(open_breach.discovered_at + timedelta(hours=72))
    assert f"uiterlijk {deadline:%d-%m-%Y}" in html
    for breach in (open_breach, informing):
        link = f"/beheer/datalekken/{breach.pk}/"
        assert f'href="{link}"' in html
        assert client.get(link).status_code == 200
    # Nobody else sees the breaches.
    hr_page = verified_client(make_user(Role.HR)).get("/").content.decode()
    assert "Lijst verkeerd verstuurd" not in hr_page


def test_dg6_statement_to_sign_waits_for_hr_until_signed(make_user, verified_client):
    """DG-6: HR who has not signed the confidentiality statement finds it on the dashboard,
    linked to the page where it is signed; once signed it is gone. Not for other roles."""
    from doelgroep.actions.verklaring import sign_statement

    hr = make_user(Role.HR)
    client = verified_client(hr)
    page = client.get("/").content.decode()
    assert 'href="/doelgroep/verklaring/"' in page and "Geheimhoudingsverklaring" in page
    assert client.get("/doelgroep/verklaring/").status_code == 200
    sign_statement(by=hr)
    assert "Geheimhoudingsverklaring" not in client.get("/").content.decode()
    consultant_page = verified_client(make_user(Role.CONSULTANT)).get("/").content.decode()
    assert "Geheimhoudingsverklaring" not in consultant_page
