"""core.charts: the chart data both statistics pages (verzuim, doelgroep) hand to Chart.js through
json_script. No database."""

import json
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.html import json_script

from core import charts, kanon


def _json(block: str):
    return json.loads(block.split(">", 1)[1].rsplit("</script>", 1)[0])


def test_values_leave_as_json_numbers_with_a_dot_never_a_dutch_comma():
    """The old SVG carried `x="48,4"` under the Dutch locale; the JSON block never localises."""
    chart = charts.chart(
        ["jan 26", "feb 26"],
        [charts.series("Verzuimpercentage", [48.4, Decimal("3.25")])],
        unit="%",
        decimals=1,
    )
    with translation.override("nl"):
        block = str(json_script(chart, "grafiek"))
    assert "48.4" in block and "3.25" in block
    assert "48,4" not in block and "3,25" not in block
    data = _json(block)
    assert data["datasets"][0]["data"] == [48.4, 3.25]
    assert data["labels"] == ["jan 26", "feb 26"]
    assert data["type"] == "bar" and data["unit"] == "%" and data["decimals"] == 1


def test_a_suppressed_value_is_null():
    chart = charts.chart(["a", "b"], [charts.series("n", [7, None])], suppressed="<5")
    data = _json(str(json_script(chart, "x")))
    assert data["datasets"][0]["data"] == [7, None]
    assert data["suppressed"] == "<5"


def test_one_value_per_label_and_numbers_only():
    with pytest.raises(ValueError):
        charts.chart(["a", "b"], [charts.series("n", [1])])
    with pytest.raises(TypeError):
        charts.series("n", ["4,5"])
    with pytest.raises(TypeError):
        charts.series("n", [True])


def test_dg5_a_k_anonymous_table_draws_only_its_published_numbers():
    """DG-5: a cell or row total hidden by core.kanon is null in the chart, never its value."""
    table = kanon.suppress(["2025", "2026"], ["x", "y"], [[6, 2], [7, 8]], 5)
    per_column = charts.from_table(table)
    assert per_column["labels"] == ["2025", "2026"]
    assert [d["label"] for d in per_column["datasets"]] == ["x", "y"]
    x, y = (d["data"] for d in per_column["datasets"])
    assert y[0] is None  # 2 < 5
    for shown, row in zip([x, y], zip(*table.cells, strict=True), strict=True):
        assert all(v is None or v == true for v, true in zip(shown, row, strict=True))
    assert per_column["stacked"] is True and per_column["suppressed"] == "<5"
    totals = charts.from_table(table, totals=True, label="totaal")
    assert totals["datasets"] == [
        {"label": "totaal", "data": [table.shown(("row", 0)), table.shown(("row", 1))]}
    ]
    assert totals["datasets"][0]["data"][0] is None  # the row with the hidden 2


def test_dg5_one_column_register_per_department_keeps_the_large_departments():
    """The register per department (one column, no totals column) used to hide every bar."""
    table = kanon.suppress(["A", "B", "C"], ["n"], [[10], [2], [8]], 5, show_row_totals=False)
    chart = charts.from_table(table)
    assert chart["datasets"] == [{"label": "n", "data": [10, None, None]}]
    assert chart["stacked"] is False
