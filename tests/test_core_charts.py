"""core.charts: the bar geometry the statistics pages (verzuim, doelgroep) draw. No database."""

from core.charts import bar_chart


def test_bars_scale_to_the_highest_value_and_a_missing_value_draws_no_bar():
    """DG-5: a number suppressed for k-anonymity (None) keeps its label but gets no bar."""
    chart = bar_chart([("2025", 10), ("2026", None), ("2027", 5)], width=240, height=140)
    heights = [bar["h"] for bar in chart["bars"]]
    assert chart["top"] == 10
    assert heights == [100.0, 0.0, 50.0]
    assert [bar["label"] for bar in chart["bars"]] == ["2025", "2026", "2027"]
    assert chart["bars"][1]["value"] is None


def test_the_scale_never_drops_below_its_floor():
    """Small percentages are drawn against a scale of at least `floor`, not blown up to full
    height."""
    chart = bar_chart([("jan 26", 0.5)], height=140, floor=1.0)
    assert chart["top"] == 1.0
    assert chart["bars"][0]["h"] == 50.0
