"""End-to-end in real Chromium: the statistics charts draw (Chart.js, vendored) on both pages —
verzuim statistics and the doelgroep report — under the strict CSP, with no console error and no
CSP violation; small departments stay suppressed (DG-5). One login, two pages."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.roles import Role
from doelgroep.actions.verklaring import sign_statement
from tests.e2e.test_enrolment import PASSWORD, _device_code, _password_step, _submit, _url
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import ziekmelding as ziekmelding_actions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records every CSP violation the page reports, before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

# Per canvas: whether Chart.js made a chart of it and how many pixels it painted.
DRAWN = """
() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const ctx = canvas.getContext("2d");
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) painted++; }
  return {id: canvas.dataset.chart, chart: Boolean(window.Chart && window.Chart.getChart(canvas)),
          painted, width: canvas.width};
})
"""


@pytest.fixture
def scenario(db):
    employer = OrganisationFactory(name="E2E Werkgever Grafieken BV")
    hr = UserFactory(role=Role.HR, organisation=employer, password=PASSWORD)
    device = TOTPDeviceFactory(user=hr)
    sign_statement(by=hr)  # DG-6: the report needs the signed statement
    today = timezone.localdate()
    logistiek = [WerknemerFactory(organisation=employer, department="Logistiek") for _ in range(6)]
    for _ in range(5):
        WerknemerFactory(organisation=employer, department="Productie")
    WerknemerFactory(organisation=employer, department="Directie")
    WerknemerFactory(organisation=employer, department="Directie")
    for person, days in ((logistiek[0], 40), (logistiek[1], 12)):
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=person, first_day=today - timedelta(days=days), **ZM_DATA
        )
    return hr, device


def _drawn(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((c) => window.Chart && window.Chart.getChart(c))"
    )
    return {c["id"]: c for c in page.evaluate(DRAWN)}


def test_charts_draw_on_both_statistics_pages_without_console_errors_or_csp_violations(
    page, live_server, scenario
):
    hr, device = scenario
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_LISTENER)
    _password_step(page, live_server, hr)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    assert urlsplit(page.url).path == "/", page.url

    page.goto(_url(live_server, "/verzuim/meldingen/statistiek/"))
    charts = _drawn(page)
    assert set(charts) == {
        "grafiek-verzuimpercentage",
        "grafiek-meldingsfrequentie",
        "grafiek-duurklassen",
        "grafiek-afdelingen",
    }
    for chart in charts.values():
        assert chart["chart"] and chart["width"] > 0 and chart["painted"] > 500, chart
    # DG-5: Directie (2 people) is null in the drawn chart's data, and Productie (5) with it, so
    # that Directie does not follow from the total; Logistiek (6) is drawn.
    drawn = page.evaluate(
        "() => window.Chart.getChart("
        "document.querySelector(\"[data-chart='grafiek-afdelingen']\")).data"
    )
    assert drawn["labels"] == ["Directie", "Logistiek", "Productie"], drawn
    values = drawn["datasets"][0]["data"]
    assert values[0] is None and values[1] is not None and values[2] is None, values
    ticks = page.evaluate(
        "() => window.Chart.getChart(document.querySelector(\"[data-chart='grafiek-afdelingen']\"))"
        ".scales.x.ticks.map((t) => t.label)"
    )
    assert ticks == ["Directie (<5)", "Logistiek", "Productie (<5)"], ticks
    # The table stays beside the chart (the accessible fallback).
    assert page.get_by_role("table", name="Cijfers per afdeling over 12 maanden").is_visible()
    assert page.get_by_role("img", name="Verzuimpercentage per maand").count() == 1
    violations = page.evaluate("() => window.__cspViolations")

    page.goto(_url(live_server, "/doelgroep/rapportage/"))
    charts = _drawn(page)
    assert set(charts) == {"grafiek-trend", "grafiek-register"}
    for chart in charts.values():
        assert chart["chart"] and chart["painted"] > 500, chart
    violations += page.evaluate("() => window.__cspViolations")

    assert violations == [], violations
    assert errors == [], errors
