"""Poortwachter deadline engine: pure functions over sick periods, no models, no database.

Rules enforced here:

- **RI-1** Poortwachter deadlines (ziekmelding aan arbodienst, probleemanalyse, plan van aanpak,
  evaluaties, 42e-weekmelding, eerstejaarsevaluatie, WIA-aanvraag, einde wachttijd). The weeks
  live in ``poortwachter.toml`` next to this module - the one place a change in the law is made;
  this module contains no week numbers of its own.
- **ZM-5** Samentelling: sick periods separated by fewer than ``SAMENTELLING_DAYS`` (28) healthy
  days form one case, and every deadline counts only the sick days of that case; the healthy
  interval does not count.

Counting conventions (the tests in ``tests/verzuim/test_poortwachter.py`` pin each of them):

- A ``Period`` runs from its first sick day to its LAST sick day, both inclusive; ``end=None``
  means still sick. Partial recovery is still absence: the caller ends a period only on full
  recovery.
- Sick day 1 is the first day of absence. Week *w* ends on sick day ``w * 7``; that day's
  calendar date is the deadline. A window that opens "in week *w*" opens on sick day
  ``(w - 1) * 7 + 1``.
- The 42e-weekmelding is due on the first working day after the last calendar day of week 42
  (``is_working_day``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

import holidays
from dateutil.easter import easter  # python-dateutil is a dependency of `holidays`

__all__ = [
    "DEFAULT_TABLE_PATH",
    "DUE_SOON_DAYS",
    "SAMENTELLING_DAYS",
    "STATES",
    "Deadline",
    "Period",
    "TableError",
    "TableRow",
    "chain_periods",
    "compute_deadlines",
    "format_date",
    "is_working_day",
    "load_table",
    "next_working_day",
    "sick_day_date",
    "sick_days_until",
    "week_label",
]

#: ZM-5: a healthy interval of fewer than this many days joins two periods into one case.
SAMENTELLING_DAYS = 28
#: A deadline within this many days from today (inclusive) is signalled as "due_soon".
DUE_SOON_DAYS = 14

DEFAULT_TABLE_PATH = Path(__file__).with_name("poortwachter.toml")

STATES = ("done", "overdue", "due_soon", "open", "not_applicable")

FIRST_WORKING_DAY_AFTER = "first_working_day_after"
_ADJUSTMENTS = frozenset({FIRST_WORKING_DAY_AFTER})
_ONE_DAY = timedelta(days=1)


# --- Periods and samentelling (ZM-5) --------------------------------------------------------


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


def chain_periods(periods: Iterable[Period]) -> list[list[Period]]:
    """Group sick periods into cases by samentelling (ZM-5), oldest first.

    The healthy interval between two periods is the number of days the person was fit:
    ``(new.start - (prev.end + 1 day)).days``. A new period continues the previous case when
    that interval is LESS than ``SAMENTELLING_DAYS``: 27 fit days → same case, 28 → new case
    (the clock restarts). Periods may be given in any order; overlapping periods, or a period
    after one that is still open, are a caller error (``ValueError``).
    """
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
        if healthy_days < SAMENTELLING_DAYS:
            cases[-1].append(period)
        else:
            cases.append([period])
    return cases


def _current_case(periods: Iterable[Period]) -> list[Period]:
    cases = chain_periods(periods)
    return cases[-1] if cases else []


def _nth_sick_day(case: Sequence[Period], n: int) -> date | None:
    if n < 1:
        raise ValueError(f"sick days are counted from 1, not {n}")
    for period in case:
        length = period.days
        if length is None or n <= length:
            return period.start + timedelta(days=n - 1)
        n -= length
    return None


def sick_day_date(periods: Iterable[Period], n: int) -> date | None:
    """Calendar date of the ``n``-th sick day (1-based) of the current case.

    The periods are chained first (ZM-5) and the count runs in the most recent case: an earlier
    case separated by 28 or more healthy days no longer counts. Only sick days count; the healthy
    interval is skipped. ``None`` when the case ends (all periods closed) before day ``n``.
    """
    return _nth_sick_day(_current_case(periods), n)


def _sick_days_until(case: Sequence[Period], day: date) -> int:
    total = 0
    for period in case:
        last = day if period.end is None else min(period.end, day)
        if last >= period.start:
            total += (last - period.start).days + 1
    return total


def sick_days_until(periods: Iterable[Period], day: date) -> int:
    """Number of sick days of the current case on or before ``day`` (0 before it starts)."""
    return _sick_days_until(_current_case(periods), day)


# --- Working days ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[date]:
    """Dutch public holidays that are a general day off, as the ``holidays`` package lists them
    (category PUBLIC, no region), except Good Friday.

    - Good Friday is listed by the package but is not a general day off (nor an Atw holiday), so
      it counts as a working day.
    - Liberation Day (5 May) is listed only in lustrum years (2025, 2030, ...), as most CAOs give
      it off; we follow the package. The Algemene termijnenwet names 5 May every year, so in a
      non-lustrum year our 42e-weekmelding date can be one day EARLIER than an Atw reading:
      the conservative side (a report made early is never late).
    - Koningsdag on a Sunday is moved to the Saturday by the package; weekends never count anyway.
    """
    listed = holidays.country_holidays("NL", years=year)
    good_friday = easter(year) - timedelta(days=2)
    return frozenset(day for day in listed if day != good_friday)


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a Dutch public holiday that is a general day off (``_days_off``)."""
    return d.weekday() < 5 and d not in _days_off(d.year)


def next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += _ONE_DAY
    return d


# --- The deadline table (data, RI-1) --------------------------------------------------------


class TableError(ValueError):
    """The deadline table file is malformed."""


@dataclass(frozen=True)
class TableRow:
    """One row of ``poortwachter.toml``; see the comment at the top of that file."""

    key: str
    label: str
    responsible: str
    rule: str
    source: str
    week: int | None = None
    window_start_week: int | None = None
    adjustment: str | None = None
    latest_after: tuple[str, int] | None = None  # (key, weeks)
    after: str | None = None
    every_weeks: int | None = None
    until_week: int | None = None
    informational: bool = False
    note: str = ""

    @property
    def recurring(self) -> bool:
        return self.after is not None


_REQUIRED = ("key", "label", "responsible", "rule", "source")
_OPTIONAL = (
    "week",
    "window_start_week",
    "adjustment",
    "latest_after",
    "after",
    "every_weeks",
    "until_week",
    "informational",
    "note",
)
_RECURRING = ("after", "every_weeks", "until_week")


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _parse_row(raw: dict[str, Any], where: str, known: Mapping[str, TableRow]) -> TableRow:
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise TableError(f"{where}: unknown field(s) {sorted(unknown)}")
    for name in _REQUIRED:
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise TableError(f"{where}: '{name}' must be a non-empty string")
    if raw["key"] in known:
        raise TableError(f"{where}: duplicate key '{raw['key']}'")
    for name in ("week", "window_start_week", "every_weeks", "until_week"):
        if name in raw and not _positive_int(raw[name]):
            raise TableError(f"{where}: '{name}' must be a positive whole number of weeks")

    recurring = [name for name in _RECURRING if name in raw]
    if recurring:
        if len(recurring) != len(_RECURRING):
            raise TableError(f"{where}: a recurring row needs all of {list(_RECURRING)}")
        if "week" in raw:
            raise TableError(f"{where}: a recurring row takes its week from 'after', not 'week'")
        anchor = known.get(raw["after"]) if isinstance(raw["after"], str) else None
        if anchor is None or anchor.week is None:
            raise TableError(f"{where}: 'after' must name an earlier row with a week")
    elif "week" not in raw:
        raise TableError(f"{where}: 'week' is required")

    if "window_start_week" in raw and raw["window_start_week"] > raw.get("week", 0):
        raise TableError(f"{where}: 'window_start_week' lies after 'week'")
    if "adjustment" in raw and raw["adjustment"] not in _ADJUSTMENTS:
        raise TableError(f"{where}: unknown adjustment {raw['adjustment']!r}")
    if "informational" in raw and not isinstance(raw["informational"], bool):
        raise TableError(f"{where}: 'informational' must be true or false")
    if "note" in raw and not isinstance(raw["note"], str):
        raise TableError(f"{where}: 'note' must be a string")

    fields = dict(raw)
    if "latest_after" in raw:
        spec = raw["latest_after"]
        if (
            not isinstance(spec, dict)
            or set(spec) != {"key", "weeks"}
            or spec["key"] not in known
            or not isinstance(spec["weeks"], int)
            or spec["weeks"] < 0
        ):
            raise TableError(f"{where}: 'latest_after' must be {{key = <earlier row>, weeks = n}}")
        fields["latest_after"] = (spec["key"], spec["weeks"])
    return TableRow(**fields)


@lru_cache(maxsize=16)
def _load_table(path: Path) -> tuple[TableRow, ...]:
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise TableError(f"{path}: {exc}") from exc
    if set(data) != {"deadline"} or not isinstance(data["deadline"], list):
        raise TableError(f"{path}: expected only [[deadline]] rows")
    rows: dict[str, TableRow] = {}
    for i, raw in enumerate(data["deadline"], start=1):
        row = _parse_row(raw, f"{path} row {i} ({raw.get('key', '?')})", rows)
        rows[row.key] = row
    return tuple(rows.values())


def load_table(path: str | PathLike[str] | None = None) -> tuple[TableRow, ...]:
    """The rows of the deadline table (default: ``poortwachter.toml`` beside this module),
    validated, in file order. Read once per resolved path and process (cached)."""
    return _load_table(Path(path if path is not None else DEFAULT_TABLE_PATH).resolve())


# --- Deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One Poortwachter moment of a case.

    ``due`` is ``None`` when the case ended before the deadline's sick day. ``occurrence`` is 1
    for one-off rows and 1, 2, ... for recurring ones (evaluaties). ``state`` is one of
    ``STATES``.
    """

    key: str
    label: str
    week: int
    due: date | None
    window_start: date | None
    state: str
    responsible: str
    rule: str
    occurrence: int = 1
    completed_on: date | None = None
    informational: bool = False
    note: str = ""
    source: str = ""


def _occurrence_week(row: TableRow, k: int, rows: Mapping[str, TableRow]) -> int:
    """Week of the k-th occurrence of a recurring row: k intervals after its anchor row."""
    return rows[row.after].week + k * row.every_weeks


def _occurrences(
    row: TableRow, rows: Mapping[str, TableRow], current_sick_day: int
) -> Iterator[tuple[int, int]]:
    """(occurrence, week) pairs for a row. A recurring row yields every occurrence whose sick day
    has been reached, plus the next one, never past ``until_week``."""
    if not row.recurring:
        yield 1, row.week
        return
    k = 1
    while (week := _occurrence_week(row, k, rows)) <= row.until_week:
        yield k, week
        if week * 7 > current_sick_day:
            return
        k += 1


def _state(
    *,
    due: date | None,
    completed_on: date | None,
    informational: bool,
    today: date,
    employment_end: date | None,
) -> str:
    if completed_on is not None:
        return "done"
    if due is None:
        return "not_applicable"  # the case ended before this sick day
    if employment_end is not None and employment_end < due:
        return "not_applicable"  # after the employment ends UWV takes over
    if due < today:
        # An informational moment (einde wachttijd) asks nothing of anyone: once passed, it is
        # reached, never overdue.
        return "done" if informational else "overdue"
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "open"


def compute_deadlines(
    periods: Iterable[Period],
    *,
    today: date,
    completed: Mapping[tuple[str, int], date] | None = None,
    employment_end: date | None = None,
    table: Sequence[TableRow] | None = None,
) -> list[Deadline]:
    """Every Poortwachter deadline of the current case (RI-1, ZM-5), sorted by due date.

    - ``periods``: the sick periods; they are chained (``chain_periods``) and the most recent
      case is the one computed.
    - ``completed``: ``{(key, occurrence): completion date}``; occurrence is 1 for one-off rows.
      An unknown key is a ``ValueError`` (a typo would otherwise hide a deadline).
    - ``employment_end``: last day of employment; a deadline due after it is ``not_applicable``.
    - ``table``: rows from ``load_table(path)``; default the shipped table.

    States: ``done`` (a completion is recorded - wins over everything else), ``not_applicable``
    (case ended before the sick day, or employment ended before the due date), ``overdue``
    (due < today), ``due_soon`` (today <= due <= today + ``DUE_SOON_DAYS``), ``open`` (later).
    Deadlines without a due date (not reached) sort last.
    """
    case = _current_case(periods)
    if not case:
        return []
    rows = {row.key: row for row in (load_table() if table is None else table)}
    completed = dict(completed or {})
    for ref in completed:
        if not (isinstance(ref, tuple) and len(ref) == 2 and ref[0] in rows):
            raise ValueError(f"completed: expected (key, occurrence) of a table row, got {ref!r}")

    current_sick_day = _sick_days_until(case, today)
    deadlines: list[Deadline] = []
    for row in rows.values():
        for occurrence, week in _occurrences(row, rows, current_sick_day):
            due = _nth_sick_day(case, week * 7)
            if due is not None and row.adjustment == FIRST_WORKING_DAY_AFTER:
                due = next_working_day(due + _ONE_DAY)
            if due is not None and row.latest_after is not None:
                ref_key, weeks = row.latest_after
                ref_done = completed.get((ref_key, 1))
                if ref_done is not None:
                    due = min(due, ref_done + timedelta(weeks=weeks))
            window_start = (
                _nth_sick_day(case, (row.window_start_week - 1) * 7 + 1)
                if row.window_start_week is not None
                else None
            )
            completed_on = completed.get((row.key, occurrence))
            deadlines.append(
                Deadline(
                    key=row.key,
                    label=row.label,
                    week=week,
                    due=due,
                    window_start=window_start,
                    state=_state(
                        due=due,
                        completed_on=completed_on,
                        informational=row.informational,
                        today=today,
                        employment_end=employment_end,
                    ),
                    responsible=row.responsible,
                    rule=row.rule,
                    occurrence=occurrence,
                    completed_on=completed_on,
                    informational=row.informational,
                    note=row.note,
                    source=row.source,
                )
            )
    order = {key: i for i, key in enumerate(rows)}
    deadlines.sort(
        key=lambda d: (d.due is None, d.due or date.max, d.week, order[d.key], d.occurrence)
    )
    return deadlines


# --- Presentation helpers (DESIGN.md: "week 6 — probleemanalyse", dates as dd-mm-jjjj) --------


def format_date(d: date) -> str:
    """``dd-mm-jjjj``, e.g. ``05-01-2026``."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def week_label(key_or_deadline: str | Deadline, table: Sequence[TableRow] | None = None) -> str:
    """``"week 6 — probleemanalyse"``; a window reads ``"week 46–52 — eerstejaarsevaluatie"``.

    For a ``Deadline`` the week is that occurrence's; for the key of a recurring row it is the
    first occurrence's week.
    """
    rows = {row.key: row for row in (load_table() if table is None else table)}
    if isinstance(key_or_deadline, Deadline):
        row, week = rows[key_or_deadline.key], key_or_deadline.week
    else:
        row = rows[key_or_deadline]
        week = _occurrence_week(row, 1, rows) if row.recurring else row.week
    weeks = f"{row.window_start_week}–{week}" if row.window_start_week is not None else f"{week}"
    return f"week {weeks} — {row.label}"
