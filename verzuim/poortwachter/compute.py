"""The deadline computation (RI-1, ZM-5): every Poortwachter moment of the current case with its
due date and state, from the sick periods and the table. Pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .periods import Period, case_sick_days_until, current_case, nth_sick_day
from .table import FIRST_WORKING_DAY_AFTER, TableRow, load_table, occurrence_week
from .working_days import next_working_day

#: A deadline within this many days from today (inclusive) is signalled as "due_soon".
DUE_SOON_DAYS = 14

STATES = ("done", "overdue", "due_soon", "open", "not_applicable")


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


def _occurrences(
    row: TableRow, rows: Mapping[str, TableRow], current_sick_day: int
) -> Iterator[tuple[int, int]]:
    """(occurrence, week) pairs for a row. A recurring row yields every occurrence whose sick day
    has been reached, plus the next one, never past ``until_week``."""
    if not row.recurring:
        yield 1, row.week
        return
    k = 1
    while (week := occurrence_week(row, k, rows)) <= row.until_week:
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
    case = current_case(periods)
    if not case:
        return []
    rows = {row.key: row for row in (load_table() if table is None else table)}
    completed = dict(completed or {})
    for ref in completed:
        if not (isinstance(ref, tuple) and len(ref) == 2 and ref[0] in rows):
            raise ValueError(f"completed: expected (key, occurrence) of a table row, got {ref!r}")

    current_sick_day = case_sick_days_until(case, today)
    deadlines: list[Deadline] = []
    for row in rows.values():
        for occurrence, week in _occurrences(row, rows, current_sick_day):
            due = nth_sick_day(case, week * 7)
            if due is not None and row.adjustment == FIRST_WORKING_DAY_AFTER:
                due = next_working_day(due + timedelta(days=1))
            if due is not None and row.latest_after is not None:
                ref_key, weeks = row.latest_after
                ref_done = completed.get((ref_key, 1))
                if ref_done is not None:
                    due = min(due, ref_done + timedelta(weeks=weeks))
            window_start = (
                nth_sick_day(case, (row.window_start_week - 1) * 7 + 1)
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
