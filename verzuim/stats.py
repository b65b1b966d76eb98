"""Absence statistics for the employer overview (no medical data, SE-4): per month, per duration
class and per department, with the chart data for the page (core/charts.py, drawn by Chart.js).

Definitions (the Nationale Verzuimstatistiek / Vernet ones, documented on the page):
- verzuimpercentage = sick calendar days × the report's absence percentage ÷ calendar days in
  employment × 100 (each report's current percentage counts for the whole period: partial
  recoveries are not spread over the days, a known simplification);
- meldingsfrequentie = new ziekmeldingen ÷ employees (those employed on some day of the period);
  per month on the monthly chart, per year (the 12 months) per department;
- average duration = calendar days of the periods that ended in the month;
- duration classes by calendar days: kort 1–7, middellang 8–42, lang 43 or more — for the
  periods that ended in the 12 months, and apart from them the open ones by their days so far.

Per department (DG-5 applied to absence, "a department of three reveals who was sick"): the
departments' headcounts form a one-column k-anonymous table (core/kanon.py, the same k as the
doelgroep reports); a department whose headcount is suppressed — below k, or hidden so that it
cannot be worked out from the total — shows no number at all.
"""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from core import charts, kanon

from .models import Werknemer, Ziekmelding

NO_DEPARTMENT = "(geen afdeling)"
DURATION_CLASSES = (
    ("kort (1–7 dagen)", 1, 7),
    ("middellang (8–42 dagen)", 8, 42),
    ("lang (43 dagen of meer)", 43, None),
)


@dataclass
class MonthStats:
    month: date
    verzuimpercentage: float
    meldingsfrequentie: float
    gemiddelde_duur: float | None
    meldingen: int
    headcount: int


def _months(until: date, count: int):
    year, month = until.year, until.month
    result = []
    for _ in range(count):
        result.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


def _overlap(start, end, lo, hi):
    start, end = max(start, lo), min(end, hi)
    return max(0, (end - start).days + 1)


@dataclass
class DurationClass:
    label: str
    afgesloten: int
    lopend: int


@dataclass
class DepartmentStats:
    """One department over the whole span; the numbers are None where it is suppressed."""

    name: str
    headcount: int | None
    verzuimpercentage: float | None
    meldingsfrequentie: float | None
    meldingen: int | None

    @property
    def suppressed(self) -> bool:
        return self.headcount is None


@dataclass
class Overview:
    months: list[MonthStats]
    durations: list[DurationClass]
    departments: list[DepartmentStats]
    k: int
    charts: dict = field(default_factory=dict)


def _percentage(sick_days, employed_days) -> float:
    return round(100 * sick_days / employed_days, 1) if employed_days else 0.0


def _sick_days(cases, first, last) -> float:
    return sum(
        _overlap(f, (r - timedelta(days=1)) if r else last, first, last) * p / 100
        for _, f, r, p in cases
    )


def duration_class(days: int) -> int:
    """The index in DURATION_CLASSES of a period of `days` calendar days."""
    for i, (_, low, high) in enumerate(DURATION_CLASSES):
        if days >= low and (high is None or days <= high):
            return i
    return 0  # a period of 0 days cannot exist (recovered_on > first_day), counted as kort


def overview(organisation_ids, *, today: date, months: int = 12, k: int | None = None) -> Overview:
    """All statistics of the page in two queries (employees, reports), whatever the numbers."""
    k = k or kanon.k_threshold()
    span = _months(today, months)
    lo = span[0]
    hi = date(today.year, today.month, monthrange(today.year, today.month)[1])
    employees = list(
        Werknemer.objects.filter(organisation__in=organisation_ids, employment_start__lte=hi)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=lo))
        .values_list("department", "employment_start", "employment_end")
    )
    cases = list(
        Ziekmelding.objects.filter(organisation__in=organisation_ids, first_day__lte=hi)
        .filter(Q(recovered_on__isnull=True) | Q(recovered_on__gt=lo))
        .values_list("werknemer__department", "first_day", "recovered_on", "percentage")
    )
    result = Overview(
        months=_monthly(employees, cases, span, today),
        durations=_durations(cases, lo, today),
        departments=_departments(employees, cases, lo, today, k),
        k=k,
    )
    result.charts = _charts(result)
    return result


def monthly(organisation_ids, *, today: date, months: int = 12) -> list[MonthStats]:
    return overview(organisation_ids, today=today, months=months).months


def _monthly(employees, cases, span, today) -> list[MonthStats]:
    result = []
    for first in span:
        last = date(first.year, first.month, monthrange(first.year, first.month)[1])
        last = min(last, today)
        employed_days = sum(_overlap(s, e or last, first, last) for _, s, e in employees)
        headcount = sum(1 for _, s, e in employees if s <= last and (e is None or e >= first))
        new = sum(1 for _, f, _, _ in cases if first <= f <= last)
        ended = [(r - f).days for _, f, r, _ in cases if r and first <= r <= last]
        result.append(
            MonthStats(
                month=first,
                verzuimpercentage=_percentage(_sick_days(cases, first, last), employed_days),
                meldingsfrequentie=round(new / headcount, 2) if headcount else 0.0,
                gemiddelde_duur=round(sum(ended) / len(ended), 1) if ended else None,
                meldingen=new,
                headcount=headcount,
            )
        )
    return result


def _durations(cases, lo, today) -> list[DurationClass]:
    ended, running = [0] * len(DURATION_CLASSES), [0] * len(DURATION_CLASSES)
    for _, f, r, _ in cases:
        if r is not None and lo <= r <= today:
            ended[duration_class((r - f).days)] += 1
        elif (r is None or r > today) and f <= today:
            running[duration_class((today - f).days + 1)] += 1
    return [
        DurationClass(label, ended[i], running[i])
        for i, (label, _, _) in enumerate(DURATION_CLASSES)
    ]


def _departments(employees, cases, lo, today, k) -> list[DepartmentStats]:
    staff, sick = defaultdict(list), defaultdict(list)
    for department, s, e in employees:
        if s <= today:
            staff[department or NO_DEPARTMENT].append((department, s, e))
    for case in cases:
        sick[case[0] or NO_DEPARTMENT].append(case)
    names = sorted(staff)
    # DG-5: the headcounts as a one-column k-anonymous table; a hidden headcount hides the
    # department's every number (its percentage and reports would tell who was sick).
    table = kanon.suppress(
        names, ["werknemers"], [[len(staff[n])] for n in names], k, show_row_totals=False
    )
    result = []
    for name, (_, (headcount,), _) in zip(names, table.rows(), strict=True):
        if headcount is None:
            result.append(DepartmentStats(name, None, None, None, None))
            continue
        employed_days = sum(_overlap(s, e or today, lo, today) for _, s, e in staff[name])
        new = sum(1 for _, f, _, _ in sick[name] if lo <= f <= today)
        result.append(
            DepartmentStats(
                name,
                headcount,
                _percentage(_sick_days(sick[name], lo, today), employed_days),
                round(new / headcount, 2),
                new,
            )
        )
    return result


MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _charts(result: Overview) -> dict:
    """The page's four charts (core/charts.py); a suppressed department is null."""
    labels = [f"{MONTHS_NL[m.month.month - 1]} {m.month:%y}" for m in result.months]
    marker = f"<{result.k}"
    return {
        "percentage": charts.chart(
            labels,
            [charts.series("Verzuimpercentage", [m.verzuimpercentage for m in result.months])],
            unit="%",
            decimals=1,
        ),
        "frequentie": charts.chart(
            labels,
            [charts.series("Meldingsfrequentie", [m.meldingsfrequentie for m in result.months])],
            kind=charts.LINE,
            decimals=2,
        ),
        "duur": charts.chart(
            [d.label for d in result.durations],
            [
                charts.series("afgesloten", [d.afgesloten for d in result.durations]),
                charts.series("nog lopend", [d.lopend for d in result.durations]),
            ],
            stacked=True,
        ),
        "afdeling": charts.chart(
            [d.name for d in result.departments],
            [charts.series("Verzuimpercentage", [d.verzuimpercentage for d in result.departments])],
            unit="%",
            decimals=1,
            suppressed=marker,
        ),
    }
