"""The k-anonymous inclusion reports (DG-5, DG-7): a page with tables and a chart, and a CSV —
no names, no individual rows; a suppressed number is shown as "<k" and is never recoverable from
the totals beside it (core/kanon.py)."""

from django.shortcuts import render
from django.utils import timezone

from accounts.gates import gate
from doelgroep import policies, reports
from privacy import audit, csv_export
from privacy.models import AuditAction

from .common import render_gate

SUPPRESSED = "<{k}"


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _audit_report(request, detail, action=AuditAction.READ):
    audit.record(
        action,
        "doelgroep.rapportage",
        [request.user.organisation_id],
        subject=None,
        detail=detail,
        request=request,
    )


@gate(policies.gate_refusal, refusal=render_gate)
def rapportage(request):
    year = _year(request)
    k = reports.k_threshold()
    tables = reports.all_tables(request.user.organisation_id, year, k)
    _audit_report(request, f"inclusie-rapportage {year} (k={k})")
    return render(
        request,
        "doelgroep/rapportage.html",
        {
            "year": year,
            "k": k,
            "tables": tables,
            "charts": reports.report_charts(tables),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@gate(policies.gate_refusal, refusal=render_gate)
def rapportage_csv(request):
    year = _year(request)
    k = reports.k_threshold()
    marker = SUPPRESSED.format(k=k)
    _audit_report(request, f"inclusie-rapportage {year} geëxporteerd (k={k})", AuditAction.EXPORT)

    def show(value):
        return marker if value is None else value

    def rows():
        for title, table in reports.all_tables(request.user.organisation_id, year, k):
            yield [title]
            yield ["", *table.col_labels, *(["totaal"] if table.show_row_totals else [])]
            for label, cells, total in table.rows():
                extra = [show(total)] if table.show_row_totals else []
                yield [label, *[show(v) for v in cells], *extra]
            yield [
                "totaal",
                *[show(v) for v in table.col_totals()],
                *([show(table.grand_total)] if table.show_row_totals else []),
            ]
            yield []
        yield [f"{marker}: aantal kleiner dan {k} of aanvullend onderdrukt (DG-5)"]

    # SE-6: row labels are departments and countries typed by users; the shared writer
    # neutralises one that starts like a formula.
    return csv_export.csv_response(f"inclusie-{year}.csv", None, rows())
