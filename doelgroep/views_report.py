"""Support measures and the k-anonymous inclusion reports (DG-5, DG-7): a page with tables and a
chart, and a CSV — no names, no individual rows; a suppressed number is shown as "<k" and is
never recoverable from the totals beside it (doelgroep/kanon.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from privacy import audit, csv_export
from privacy.models import AuditAction

from . import actions, queries, reports
from .forms import MaatregelForm
from .models import Ondersteuningsmaatregel
from .views import _apply_errors, _posted, gated

SUPPRESSED = "<{k}"


@gated
def maatregel_create(request, pk):
    person = queries.werknemer_for(request.user, pk)
    form = MaatregelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_maatregel(
                by=request.user, werknemer=person, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "De ondersteuningsmaatregel is vastgelegd.")
            return redirect("doelgroep:werknemer", person.pk)
    return render(
        request,
        "doelgroep/form.html",
        {"form": form, "title": f"Ondersteuningsmaatregel — {person.full_name}", "back": person},
    )


@gated
@require_POST
def maatregel_end(request, pk):
    maatregel = Ondersteuningsmaatregel.objects.filter(
        pk=pk, werknemer__in=queries.werknemers_for(request.user), end_on__isnull=True
    ).first()
    if maatregel is None:
        raise Http404
    try:
        actions.end_maatregel(
            by=request.user, maatregel=maatregel, end_on=timezone.localdate(), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De maatregel is beëindigd.")
    return redirect("doelgroep:werknemer", maatregel.werknemer_id)


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _chart(table, width=720, height=240):
    """Bars of the trend table's column totals per year: only published numbers are drawn; a
    suppressed one gets a label instead of a bar."""
    rows = list(table.rows())
    values = [total for _, _, total in rows]  # published row totals only
    top = max([v for v in values if v is not None] + [1])
    pad_left, pad_bottom, pad_top = 40, 30, 10
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    slot = plot_w / max(len(rows), 1)
    bars = []
    for i, ((label, _, _), value) in enumerate(zip(rows, values, strict=True)):
        h = plot_h * (value or 0) / top
        bars.append(
            {
                "x": round(pad_left + i * slot + slot * 0.15, 1),
                "w": round(slot * 0.7, 1),
                "y": round(pad_top + plot_h - h, 1),
                "h": round(h, 1),
                "label": label,
                "label_x": round(pad_left + i * slot + slot / 2, 1),
                "value": value,
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "top": top,
        "axis_y": pad_top + plot_h,
        "pad_left": pad_left,
        "pad_top": pad_top,
    }


def _audit_report(request, detail, action=AuditAction.READ):
    audit.record(
        action,
        "doelgroep.rapportage",
        [request.user.organisation_id],
        subject=None,
        detail=detail,
        request=request,
    )


@gated
def rapportage(request):
    year = _year(request)
    k = reports.k_threshold()
    tables = reports.all_tables(request.user.organisation_id, year, k)
    _audit_report(request, f"inclusie-rapportage {year} (k={k})")
    trend = tables[1][1]
    return render(
        request,
        "doelgroep/rapportage.html",
        {
            "year": year,
            "k": k,
            "tables": tables,
            "chart": _chart(trend),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@gated
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
