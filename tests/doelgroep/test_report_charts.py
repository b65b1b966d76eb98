"""The inclusion report's charts (DG-5): their data goes to Chart.js through json_script
(core/charts.py), only published numbers — and the register per department (one column, no
totals column) keeps its large departments, which the old suppression hid with the small one."""

import json
import re
from datetime import date, timedelta

import pytest

from accounts.roles import Role
from doelgroep import reports
from doelgroep.actions.maatregelen import add_maatregel
from doelgroep.actions.registratie import record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import CheckedVia, MaatregelKind
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(make_user):
    hr = make_user(Role.HR)
    sign_statement(by=hr)
    return hr


def _blocks(html: str) -> dict:
    return {
        found.group(1): json.loads(found.group(2))
        for found in re.finditer(
            r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S
        )
    }


def test_dg5_register_per_department_keeps_large_departments_in_table_and_chart(
    signed, employer, verified_client
):
    """Productie 7 and Magazijn 6 in the register, Kantine 2: Kantine is suppressed and one more
    department with it (else it follows from the total); the third stays published. Before the
    fix of core/kanon.py every department was hidden."""
    start = date.today() - timedelta(days=400)
    for department, size in (("Kantine", 2), ("Magazijn", 6), ("Productie", 7)):
        for _ in range(size):
            person = WerknemerFactory(
                organisation=employer, department=department, employment_start=start
            )
            record_registercheck(
                by=signed,
                werknemer=person,
                in_register=True,
                checked_on=date.today(),
                checked_via=CheckedVia.LOONHEFFINGENNUMMER,
            )
    table = reports.register_by_department(employer.pk, k=5)
    assert [cells for _, cells, _ in table.rows()] == [[None], [None], [7]]
    assert table.col_totals() == [15]

    html = verified_client(signed).get("/doelgroep/rapportage/").content.decode()
    blocks = _blocks(html)
    assert set(blocks) == {"grafiek-trend", "grafiek-register"}
    register = blocks["grafiek-register"]
    assert register["labels"] == ["Kantine", "Magazijn", "Productie"]
    assert register["datasets"][0]["data"] == [None, None, 7]
    assert register["suppressed"] == "<5"
    assert 'data-chart="grafiek-register"' in html and "<svg" not in html


def test_dg5_trend_chart_is_the_published_row_totals(signed, employer, verified_client):
    """The trend chart draws the trend table's published row totals, nothing else. Six people
    with every kind of measure this year: this year's total is published; the empty years are
    hidden (zero is a number below k, DG-5). With one kind only, the row would say that no one
    had any other kind, so its total is hidden too (core/kanon.py, step 3)."""
    year = date.today().year
    people = [
        WerknemerFactory(organisation=employer, department="Productie", last_name=f"Naam{i}")
        for i in range(6)
    ]
    for person in people:
        for kind in MaatregelKind:
            add_maatregel(by=signed, werknemer=person, kind=kind, start_on=date(year, 1, 2))
    html = verified_client(signed).get("/doelgroep/rapportage/").content.decode()
    trend = _blocks(html)["grafiek-trend"]
    years = list(range(year - 4, year + 1))
    assert trend["labels"] == [str(y) for y in years]
    data = trend["datasets"][0]["data"]
    table = reports.measures_trend(employer.pk, years, k=5)
    assert data == [row_total for _, _, row_total in table.rows()]
    assert data[-1] == 6 * len(MaatregelKind)
    assert all(v is None for v in data[:-1])
    assert not any(p.last_name in html for p in people)


def test_dg5_a_year_with_one_kind_only_keeps_its_total_hidden(signed, employer, verified_client):
    """DG-5: six people with begeleiding only: publishing 6 under a total of 6 would say that
    nobody had any other measure — the zeros beneath a published total. The chart shows none."""
    year = date.today().year
    for i in range(6):
        person = WerknemerFactory(organisation=employer, last_name=f"Naam{i}")
        add_maatregel(by=signed, werknemer=person, kind="begeleiding", start_on=date(year, 1, 2))
    html = verified_client(signed).get("/doelgroep/rapportage/").content.decode()
    assert _blocks(html)["grafiek-trend"]["datasets"][0]["data"] == [None] * 5
