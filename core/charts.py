"""Chart data for the statistics pages (verzuim statistics, doelgroep report): plain dicts that a
template hands to the page with `{{ chart|json_script:"id" }}` and `static/js/charts.js` draws
with Chart.js (vendored under `static/vendor/chartjs/`, no CDN, SE-8; no inline script, CSP).

One code path for both pages: the views build their charts here and the templates include
`core/_chart.html`. Numbers leave as JSON numbers (a dot, never a Dutch decimal comma); a number
suppressed for k-anonymity (DG-5, `core/kanon.py`) leaves as null, so Chart.js draws no bar for
it and the table beside the chart shows "<k". The table stays the accessible fallback: the chart
is one picture (`role="img"` with a label), the table holds every number.
"""

from decimal import Decimal

BAR, LINE = "bar", "line"


def number(value) -> int | float | None:
    """A JSON-safe number: None stays None (suppressed or unknown), ints stay ints, everything
    else (float, Decimal) becomes a float."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a chart value is a number, not a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        return float(value)
    raise TypeError(f"a chart value is a number, not {type(value).__name__}")


def series(label: str, values) -> dict:
    """One dataset: its legend label and one value per chart label (None where suppressed)."""
    return {"label": str(label), "data": [number(v) for v in values]}


def chart(labels, datasets, *, kind=BAR, unit="", stacked=False, suppressed="", decimals=0) -> dict:
    """The data block for one chart: `labels` along the x axis, `datasets` from `series()`.
    `unit` is appended to the numbers on the axis and in the tooltip ("%"), `decimals` is how
    many the tooltip shows, `suppressed` is the text for a suppressed value ("<5")."""
    labels = [str(label) for label in labels]
    datasets = list(datasets)
    for dataset in datasets:
        if len(dataset["data"]) != len(labels):
            raise ValueError(f"dataset {dataset['label']!r}: one value per label")
    return {
        "type": kind,
        "labels": labels,
        "datasets": datasets,
        "unit": unit,
        "stacked": bool(stacked),
        "suppressed": suppressed,
        "decimals": int(decimals),
    }


def from_table(table, *, totals=False, label="totaal", stacked=True) -> dict:
    """A k-anonymous table (`core.kanon.Table`) as a bar chart: its rows along the x axis and one
    dataset per column (`totals=False`), or one dataset of the row totals (`totals=True`). Only
    published numbers are drawn; a suppressed one is null."""
    rows = list(table.rows())
    labels = [row_label for row_label, _, _ in rows]
    if totals:
        datasets = [series(label, [total for _, _, total in rows])]
    else:
        datasets = [
            series(column, [cells[c] for _, cells, _ in rows])
            for c, column in enumerate(table.col_labels)
        ]
    return chart(
        labels,
        datasets,
        stacked=stacked and len(datasets) > 1,
        suppressed=f"<{table.k}",
    )
