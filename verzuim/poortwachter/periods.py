"""Sick periods and samentelling (ZM-5): which periods form one case, and the calendar date of
the n-th sick day of that case. Pure functions, no database.

Two periods form one case when fewer than 28 healthy days lie between them, whatever the cause
(art. 7:629 lid 10 BW; Ziektewet art. 29 lid 4), and when they lie directly before and after
pregnancy and birth leave (Wazo art. 3:1 lid 2 en 3), unless the incapacity cannot reasonably be
held to come from the same cause - a yes/no the bedrijfsarts decides (``Leave.same_cause``; not
decided yet means joined, as the law joins unless the cause differs). "Directly" is read as:
the last sick day is the day before the leave starts and the next first sick day is the day
after it ends. The leave days themselves are not sick days and do not count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: ZM-5: a healthy interval of fewer than this many days joins two periods into one case.
SAMENTELLING_DAYS = 28

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """One uninterrupted sick period: ``start`` is the first sick day, ``end`` the LAST sick day
    (inclusive, i.e. the day before full recovery); ``None`` while the employee is still sick."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"sick period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int | None:
        """Number of sick days in the period; ``None`` while it is open."""
        return None if self.end is None else (self.end - self.start).days + 1


@dataclass(frozen=True)
class Leave:
    """Pregnancy and birth leave (Wazo) from ``start`` to ``end`` inclusive. ``same_cause`` is the
    bedrijfsarts's yes/no on whether the sickness after the leave has the same cause as the
    sickness before it; ``None`` while undecided (joined, as the law reads)."""

    start: date
    end: date
    same_cause: bool | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"leave ends ({self.end}) before it starts ({self.start})")

    def joins(self, before: Period, after: Period) -> bool:
        """ZM-5: ``before`` ends the day before this leave and ``after`` starts the day after it,
        and the doctor has not said the cause differs."""
        return (
            self.same_cause is not False
            and before.end is not None
            and before.end + _ONE_DAY == self.start
            and after.start == self.end + _ONE_DAY
        )


def chain_periods(periods: Iterable[Period], leaves: Iterable[Leave] = ()) -> list[list[Period]]:
    """Group sick periods into cases by samentelling (ZM-5), oldest first.

    The healthy interval between two periods is the number of days the person was fit:
    ``(new.start - (prev.end + 1 day)).days``. A new period continues the previous case when
    that interval is LESS than ``SAMENTELLING_DAYS``: 27 fit days → same case, 28 → new case
    (the clock restarts). A Wazo leave between two periods joins them (``Leave.joins``).
    Periods may be given in any order; overlapping periods, or a period after one that is still
    open, are a caller error (``ValueError``).
    """
    leaves = tuple(leaves)
    cases: list[list[Period]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if not cases:
            cases.append([period])
            continue
        prev = cases[-1][-1]
        if prev.end is None:
            raise ValueError(f"period from {period.start} follows a period that is still open")
        if period.start <= prev.end:
            raise ValueError(f"period from {period.start} overlaps the one ending {prev.end}")
        healthy_days = (period.start - (prev.end + _ONE_DAY)).days
        if healthy_days < SAMENTELLING_DAYS or any(lv.joins(prev, period) for lv in leaves):
            cases[-1].append(period)
        else:
            cases.append([period])
    return cases


def current_case(periods: Iterable[Period], leaves: Iterable[Leave] = ()) -> list[Period]:
    cases = chain_periods(periods, leaves)
    return cases[-1] if cases else []


def nth_sick_day(case: Sequence[Period], n: int) -> date | None:
    if n < 1:
        raise ValueError(f"sick days are counted from 1, not {n}")
    for period in case:
        length = period.days
        if length is None or n <= length:
            return period.start + timedelta(days=n - 1)
        n -= length
    return None


def sick_day_date(periods: Iterable[Period], n: int, leaves: Iterable[Leave] = ()) -> date | None:
    """Calendar date of the ``n``-th sick day (1-based) of the current case.

    The periods are chained first (ZM-5) and the count runs in the most recent case: an earlier
    case separated by 28 or more healthy days no longer counts. Only sick days count; the healthy
    interval is skipped. ``None`` when the case ends (all periods closed) before day ``n``.
    """
    return nth_sick_day(current_case(periods, leaves), n)


def case_sick_days_until(case: Sequence[Period], day: date) -> int:
    total = 0
    for period in case:
        last = day if period.end is None else min(period.end, day)
        if last >= period.start:
            total += (last - period.start).days + 1
    return total


def sick_days_until(periods: Iterable[Period], day: date, leaves: Iterable[Leave] = ()) -> int:
    """Number of sick days of the current case on or before ``day`` (0 before it starts)."""
    return case_sick_days_until(current_case(periods, leaves), day)


def last_sick_day(case: Sequence[Period]) -> date | None:
    """The case's last sick day; ``None`` while it runs."""
    return case[-1].end if case else None
