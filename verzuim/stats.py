"""Absence statistics per month for the employer overview (no medical data, SE-4):
verzuimpercentage, meldingsfrequentie and average duration, plus a server-drawn SVG chart (no
third-party request, SE-8).

Definitions (documented on the page): verzuimpercentage = sick calendar days × current absence
percentage ÷ employed calendar days; meldingsfrequentie = new sick reports ÷ headcount; average
duration = calendar days of the periods that ended in the month. The percentage uses each
report's current absence percentage for the whole month (partial recoveries are not spread
over the days: a known simplification).
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from core import charts

from .models import Werknemer, Ziekmelding


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


def monthly(organisation_ids, *, today: date, months: int = 12) -> list[MonthStats]:
    span = _months(today, months)
    lo = span[0]
    hi = date(today.year, today.month, monthrange(today.year, today.month)[1])
    employees = list(
        Werknemer.objects.filter(organisation__in=organisation_ids, employment_start__lte=hi)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=lo))
        .values_list("employment_start", "employment_end")
    )
    cases = list(
        Ziekmelding.objects.filter(organisation__in=organisation_ids, first_day__lte=hi)
        .filter(Q(recovered_on__isnull=True) | Q(recovered_on__gt=lo))
        .values_list("first_day", "recovered_on", "percentage")
    )
    result = []
    for first in span:
        last = date(first.year, first.month, monthrange(first.year, first.month)[1])
        last = min(last, today)
        employed_days = sum(_overlap(s, e or last, first, last) for s, e in employees)
        headcount = sum(1 for s, e in employees if s <= last and (e is None or e >= first))
        sick_days = sum(
            _overlap(f, (r - timedelta(days=1)) if r else last, first, last) * p / 100
            for f, r, p in cases
        )
        new = sum(1 for f, _, _ in cases if first <= f <= last)
        ended = [(r - f).days for f, r, _ in cases if r and first <= r <= last]
        result.append(
            MonthStats(
                month=first,
                verzuimpercentage=round(100 * sick_days / employed_days, 1)
                if employed_days
                else 0.0,
                meldingsfrequentie=round(new / headcount, 2) if headcount else 0.0,
                gemiddelde_duur=round(sum(ended) / len(ended), 1) if ended else None,
                meldingen=new,
                headcount=headcount,
            )
        )
    return result


MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def bar_chart(stats: list[MonthStats], *, width=720, height=240) -> dict:
    """Geometry for a bar chart of verzuimpercentage, drawn by the template as inline SVG."""
    points = [(f"{MONTHS_NL[s.month.month - 1]} {s.month:%y}", s.verzuimpercentage) for s in stats]
    return charts.bar_chart(points, width=width, height=height, floor=1.0)
