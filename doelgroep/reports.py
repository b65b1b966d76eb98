"""Inclusion reports (DG-5, DG-7): counts and trends per organisation, department and period —
never a name, never an individual row, every table k-anonymous (core/kanon.py) with the
threshold from the DOELGROEP_K setting (default 5).

Cells count distinct people; margins are the sums of their cells (so the relations a reader can
use are exactly the ones kanon.py protects against)."""

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from core import charts
from core.kanon import Table, k_threshold, suppress
from verzuim.models import Werknemer

from .models import Geboorteland, MaatregelKind, Ondersteuningsmaatregel, Registercheck

NO_DEPARTMENT = "(geen afdeling)"


def _overlapping(start: date, end: date):
    return Q(start_on__lte=end) & (Q(end_on__isnull=True) | Q(end_on__gte=start))


def _departments(organisation_id) -> list[str]:
    names = set(
        Werknemer.objects.filter(organisation_id=organisation_id).values_list(
            "department", flat=True
        )
    )
    return sorted({name or NO_DEPARTMENT for name in names})


def measures_by_department(organisation_id, year: int, k=None) -> Table:
    """Rows: departments; columns: kinds of support measure; cells: people with such a measure
    at some time in `year`."""
    k = k or k_threshold()
    departments = _departments(organisation_id)
    kinds = list(MaatregelKind)
    people = defaultdict(set)
    rows = Ondersteuningsmaatregel.objects.filter(
        _overlapping(date(year, 1, 1), date(year, 12, 31)), organisation_id=organisation_id
    ).values_list("werknemer__department", "kind", "werknemer_id")
    for department, kind, werknemer_id in rows:
        people[(department or NO_DEPARTMENT, kind)].add(werknemer_id)
    cells = [[len(people[(d, kind.value)]) for kind in kinds] for d in departments]
    return suppress(departments, [kind.label for kind in kinds], cells, k)


def measures_trend(organisation_id, years: list[int], k=None) -> Table:
    """Rows: years; columns: kinds of support measure (the trend)."""
    k = k or k_threshold()
    kinds = list(MaatregelKind)
    cells = []
    for year in years:
        people = defaultdict(set)
        for kind, werknemer_id in Ondersteuningsmaatregel.objects.filter(
            _overlapping(date(year, 1, 1), date(year, 12, 31)), organisation_id=organisation_id
        ).values_list("kind", "werknemer_id"):
            people[kind].add(werknemer_id)
        cells.append([len(people[kind.value]) for kind in kinds])
    return suppress([str(y) for y in years], [kind.label for kind in kinds], cells, k)


def register_by_department(organisation_id, k=None, today=None) -> Table:
    """Employees in the doelgroepregister per department (current employees only)."""
    k = k or k_threshold()
    today = today or timezone.localdate()
    departments = _departments(organisation_id)
    counts = defaultdict(int)
    for department in Registercheck.objects.filter(
        Q(werknemer__employment_end__isnull=True) | Q(werknemer__employment_end__gte=today),
        organisation_id=organisation_id,
        in_register=True,
        werknemer__isnull=False,
    ).values_list("werknemer__department", flat=True):
        counts[department or NO_DEPARTMENT] += 1
    cells = [[counts[d]] for d in departments]
    return suppress(departments, ["in het doelgroepregister"], cells, k, show_row_totals=False)


def voorkeursbeleid_statistics(organisation_id, k=None) -> Table:
    """DG-7: countries of birth of employees (not parents), without names, suppressed alike."""
    k = k or k_threshold()
    counts = defaultdict(int)
    for country in Geboorteland.objects.filter(
        werknemer__organisation_id=organisation_id
    ).values_list("self_country", flat=True):
        counts[country.strip().capitalize()] += 1
    countries = sorted(counts)
    return suppress(
        countries, ["werknemers"], [[counts[c]] for c in countries], k, show_row_totals=False
    )


def all_tables(organisation_id, year: int, k=None) -> list[tuple[str, Table]]:
    years = list(range(year - 4, year + 1))
    return [
        (
            f"Ondersteuningsmaatregelen per afdeling in {year}",
            measures_by_department(organisation_id, year, k),
        ),
        (
            f"Ondersteuningsmaatregelen per jaar ({years[0]}–{years[-1]})",
            measures_trend(organisation_id, years, k),
        ),
        (
            "Werknemers in het doelgroepregister per afdeling",
            register_by_department(organisation_id, k),
        ),
        ("Geboorteland (voorkeursbeleid)", voorkeursbeleid_statistics(organisation_id, k)),
    ]


def report_charts(tables) -> dict:
    """The report's charts (core/charts.py), from the tables of `all_tables` as published: the
    trend (people with a measure per year, the row totals) and the register per department. A
    suppressed number is null: no bar, "<k" in the table."""
    trend, register = tables[1][1], tables[2][1]
    return {
        "trend": charts.from_table(trend, totals=True, label="mensen met een maatregel"),
        "register": charts.from_table(register),
    }
