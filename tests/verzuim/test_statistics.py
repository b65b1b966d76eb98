"""The verzuim statistics page: per month, per duration class and per department, its charts'
data handed to Chart.js through json_script (core/charts.py) — and DG-5 applied to absence: a
small department shows no number, since a department of three reveals who was sick."""

import json
import re
from datetime import date, timedelta

import pytest
import time_machine

from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim import stats
from verzuim.actions import ziekmelding as ziekmelding_actions

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
SPAN_START = date(2025, 12, 1)  # the first of the 12 months up to TODAY
URL = "/verzuim/meldingen/statistiek/"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _sick(hr, werknemer, first_day, recovered_on=None):
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=first_day, **ZM_DATA
    )
    if recovered_on:
        ziekmelding_actions.record_herstel(
            by=hr, ziekmelding=zm, kind="volledig", date=recovered_on
        )
    return zm


@pytest.fixture
def company(hr, employer):
    """Directie 3 people (one sick), Kantoor 5 (one sick for long), Logistiek 6 (two short)."""
    staff = {
        name: [WerknemerFactory(organisation=employer, department=name) for _ in range(size)]
        for name, size in (("Directie", 3), ("Kantoor", 5), ("Logistiek", 6))
    }
    _sick(hr, staff["Directie"][0], TODAY - timedelta(days=10))  # open, 11 days: middellang
    _sick(hr, staff["Kantoor"][0], TODAY - timedelta(days=200))  # open, 201 days: lang
    _sick(hr, staff["Logistiek"][0], TODAY - timedelta(days=60), TODAY - timedelta(days=50))
    _sick(hr, staff["Logistiek"][1], TODAY - timedelta(days=100), TODAY - timedelta(days=97))
    return staff


def _blocks(html: str) -> dict:
    """Every json_script block of the page: {id: data}."""
    return {
        found.group(1): json.loads(found.group(2))
        for found in re.finditer(
            r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S
        )
    }


def test_dg5_statistics_page_hands_chart_data_to_json_script_with_small_departments_null(
    hr, verified_client, company
):
    """DG-5 (k = 5): Directie (3 people) is suppressed, and Kantoor (5) with it — otherwise its
    headcount would follow from the total. Only Logistiek shows its numbers, in the chart data
    and in the table; Directie's sick employee is nowhere to be read."""
    response = verified_client(hr).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    blocks = _blocks(html)
    assert set(blocks) == {
        "grafiek-verzuimpercentage",
        "grafiek-meldingsfrequentie",
        "grafiek-duurklassen",
        "grafiek-afdelingen",
    }
    for chart_id in blocks:  # every block has its canvas, and charts.js is loaded
        assert f'data-chart="{chart_id}"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/charts.js" in html

    departments = blocks["grafiek-afdelingen"]
    assert departments["labels"] == ["Directie", "Kantoor", "Logistiek"]
    employed_days = 6 * ((TODAY - SPAN_START).days + 1)
    expected = round(100 * (10 + 3) / employed_days, 1)
    assert departments["datasets"][0]["data"] == [None, None, expected]
    assert departments["suppressed"] == "<5"
    rows = {d.name: d for d in response.context["departments"]}
    assert rows["Directie"].suppressed and rows["Kantoor"].suppressed
    assert rows["Directie"].meldingen is None and rows["Directie"].verzuimpercentage is None
    assert (rows["Logistiek"].headcount, rows["Logistiek"].meldingen) == (6, 2)
    directie_row = re.search(r"<tr><th scope=\"row\">Directie</th>(.*?)</tr>", html).group(1)
    assert re.sub(r"<[^>]+>", "", directie_row) == "&lt;5"  # no number, only the marker

    # No Dutch decimal comma in any number handed to the charts.
    for chart_id, data in blocks.items():
        for dataset in data["datasets"]:
            assert all(v is None or isinstance(v, (int, float)) for v in dataset["data"]), chart_id
    raw = "".join(re.findall(r'type="application/json">(.*?)</script>', html, re.S))
    assert not re.search(r"\d,\d", raw), raw


def test_monthly_percentage_frequency_and_duration_classes(hr, verified_client, company):
    """The month charts follow the table; the duration classes count the ended periods of the
    12 months and the open ones by their days so far (kort 1–7, middellang 8–42, lang 43+)."""
    blocks = _blocks(verified_client(hr).get(URL).content.decode())
    percentage, frequency = (
        blocks["grafiek-verzuimpercentage"],
        blocks["grafiek-meldingsfrequentie"],
    )
    assert percentage["labels"][0] == "dec 25" and percentage["labels"][-1] == "nov 26"
    assert len(percentage["labels"]) == 12 and percentage["unit"] == "%"
    assert frequency["type"] == "line"
    months = stats.monthly([hr.organisation_id], today=TODAY)
    assert percentage["datasets"][0]["data"] == [m.verzuimpercentage for m in months]
    assert frequency["datasets"][0]["data"] == [m.meldingsfrequentie for m in months]
    # August 2026: 14 employees, one new report (Logistiek, 15-08, recovered 18-08).
    august = months[8]
    assert august.month == date(2026, 8, 1)
    assert august.meldingen == 1 and august.headcount == 14
    assert august.meldingsfrequentie == round(1 / 14, 2)
    # Sick days in August: Logistiek 15–17 Aug (3), Kantoor from 7 May (all 31 days).
    assert august.verzuimpercentage == round(100 * (3 + 31) / (14 * 31), 1)

    durations = blocks["grafiek-duurklassen"]
    assert durations["labels"] == [label for label, _, _ in stats.DURATION_CLASSES]
    assert durations["stacked"] is True
    ended, running = (d["data"] for d in durations["datasets"])
    assert ended == [1, 1, 0]  # 3 days (kort), 10 days (middellang)
    assert running == [0, 1, 1]  # 11 days so far (middellang), 201 (lang)


@pytest.mark.parametrize(
    ("days", "label"),
    [(1, "kort"), (7, "kort"), (8, "middellang"), (42, "middellang"), (43, "lang"), (400, "lang")],
)
def test_duration_class_boundaries(days, label):
    assert stats.DURATION_CLASSES[stats.duration_class(days)][0].startswith(label + " ")


def test_dg5_a_company_of_large_departments_shows_them_all(hr, verified_client, employer):
    for name in ("Inkoop", "Verkoop"):
        for _ in range(5):
            WerknemerFactory(organisation=employer, department=name)
    data = _blocks(verified_client(hr).get(URL).content.decode())["grafiek-afdelingen"]
    assert data["labels"] == ["Inkoop", "Verkoop"]
    assert data["datasets"][0]["data"] == [0.0, 0.0]
