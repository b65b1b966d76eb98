"""The verzuimoverzicht: the employer's (and the doctor's) list of sick reports with its filters,
its CSV export and the monthly statistics (SE-9: scoped by queries; SE-7: every row shown or
exported is audited; SE-4: the export carries only the ZM-1 administration)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from accounts.gates import gate
from accounts.scoping import employer_organisation_ids
from accounts.viewhelpers import search_term
from core.pagination import EstimatedCountPaginator
from privacy import audit, csv_export
from privacy.models import AuditAction
from verzuim import policies, queries, stats
from verzuim.forms import OverviewFilterForm
from verzuim.poortwachter import format_date


def _filtered_cases(request, q):
    user = request.user
    base = queries.ziekmeldingen_visible_to(user)
    werknemers = queries.werknemers_visible_to(user)
    # DISTINCT in the database (an index scan on organisation, department), not every
    # employee's row in Python.
    departments = list(
        werknemers.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    form = OverviewFilterForm(request.GET or None, departments=departments)
    rows = base.select_related("werknemer")
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "open"
    if status == "open":
        rows = rows.filter(recovered_on__isnull=True)
    elif status == "closed":
        rows = rows.filter(recovered_on__isnull=False)
    if data.get("department") or q:
        # Filters on the employee: scope the joined employees too, so the join starts from this
        # employer's employees (index on organisation) instead of every employee in the database
        # with that department or name. The cases are the employer's, so are their employees.
        rows = rows.filter(werknemer__organisation__in=employer_organisation_ids(user))
    if data.get("department"):
        rows = rows.filter(werknemer__department=data["department"])
    today = timezone.localdate()
    if data.get("deadline") == "overdue":
        rows = rows.filter(next_deadline_on__lt=today)
    elif data.get("deadline") == "due_soon":
        rows = rows.filter(
            next_deadline_on__gte=today, next_deadline_on__lte=today + timezone.timedelta(days=14)
        )
    if q:
        rows = rows.filter(queries.werknemer_search(q, prefix="werknemer__"))
    return form, rows.order_by("-first_day", "-pk")


@gate(policies.can_read_cases)
def ziekmelding_list(request):
    q, searched = search_term(request, "ziekmeldingen")
    if searched:
        return searched
    form, rows = _filtered_cases(request, q)
    # Filtered on the employee (a name, a department): PostgreSQL finds every match before it
    # can order them, so the count comes with the page's keys instead of a second pass of the
    # same filter (issue 20, item 2; core/pagination.py).
    by_employee = bool(q) or bool(form.is_valid() and form.cleaned_data.get("department"))
    page = EstimatedCountPaginator(rows, queries.PAGE_SIZE, count_with_page=by_employee).get_page(
        request.GET.get("page")
    )
    audit.record_reads(
        page.object_list,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="verzuimoverzicht" + (" (zoekopdracht)" if q else ""),
        action=AuditAction.SEARCH if q else AuditAction.READ,
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Item 10 (issue 18): a filter changed through htmx gets only the results; a history restore
    # (back button, htmx keeps no page copies) and every plain GET the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request,
        "verzuim/_overzicht_resultaten.html" if partial else "verzuim/ziekmelding_list.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_file": policies.can_file_ziekmelding(request.user),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


CSV_HEADER = [
    "personeelsnummer",
    "naam",
    "afdeling",
    "eerste verzuimdag",
    "verzuimpercentage",
    "verwachte duur",
    "status",
    "hersteld per",
    "volgende termijn",
    "termijndatum",
]


@gate(policies.can_read_cases)
def ziekmelding_export(request):
    """SE-4: the export carries only the ZM-1 administration, never medical data."""
    q, _ = search_term(request, "ziekmeldingen")
    _, rows = _filtered_cases(request, q)
    rows = list(rows)
    audit.record_reads(
        rows,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="verzuimoverzicht geëxporteerd",
        action=AuditAction.EXPORT,
        request=request,
    )
    # SE-6: the shared writer neutralises a name or department that starts like a formula.
    return csv_export.csv_response(
        "verzuimoverzicht.csv",
        CSV_HEADER,
        (
            [
                zm.werknemer.personnel_number,
                zm.werknemer.full_name,
                zm.werknemer.department,
                format_date(zm.first_day),
                zm.percentage,
                zm.get_expected_duration_display(),
                "open" if zm.is_open else "hersteld",
                format_date(zm.recovered_on) if zm.recovered_on else "",
                zm.next_deadline_label,
                format_date(zm.next_deadline_on) if zm.next_deadline_on else "",
            ]
            for zm in rows
        ),
    )


@gate(policies.can_read_cases)
def ziekmelding_stats(request):
    """Per month, per duration class and per department (small departments suppressed, DG-5);
    the charts get their data through json_script (core/charts.py, static/js/charts.js)."""
    today = timezone.localdate()
    overview = stats.overview(employer_organisation_ids(request.user), today=today)
    return render(
        request,
        "verzuim/ziekmelding_stats.html",
        {
            "months": overview.months,
            "durations": overview.durations,
            "departments": overview.departments,
            "k": overview.k,
            "charts": overview.charts,
        },
    )
