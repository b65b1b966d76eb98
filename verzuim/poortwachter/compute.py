"""The deadline computation (RI-1, RI-11, ZM-5): every Poortwachter moment of the current case
with its due date and state, from the facts recorded - the sick periods, Wazo leave, the
completions (with their dates), the end of employment, vangnet yes/no and extensions of the
wage-payment period - and the table. Pure functions, no database."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .periods import (
    Leave,
    Period,
    case_sick_days_until,
    current_case,
    last_sick_day,
    nth_sick_day,
)
from .table import (
    EMPLOYMENT_END,
    EXTENSION_KINDS,
    FIRST_WORKING_DAY_AFTER,
    RECOVERY,
    VANGNET,
    TableRow,
    load_table,
)
from .working_days import next_working_day

#: A deadline within this many days from today (inclusive) is signalled as "due_soon".
DUE_SOON_DAYS = 14

STATES = ("done", "overdue", "due_soon", "open", "not_applicable")


_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WageExtension:
    """A period the wage payment continues past the 104 weeks (RI-1): a loonsanctie UWV imposed
    (art. 25 lid 9 WIA, at most 52 weeks) or a voluntary extension employer and employee agreed
    (art. 24 WIA). The wage payment runs through ``end``."""

    kind: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in EXTENSION_KINDS:
            raise ValueError(f"unknown extension kind {self.kind!r}")
        if self.end < self.start:
            raise ValueError(f"extension ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Deadline:
    """One Poortwachter moment of a case.

    ``due`` is ``None`` when the case ended before the deadline. ``occurrence`` is 1 for one-off
    rows and 1, 2, ... for recurring ones (evaluaties). ``week`` is the sick week the due date
    falls in. ``state`` is one of ``STATES``. ``completion`` is "document" (completed by recording
    that document), "step" (marked done with date and proof) or "" (informational).
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
    completion: str = ""
    document: str = ""
    proof: str = ""


@dataclass(frozen=True)
class _Facts:
    case: list[Period]
    today: date
    completed: Mapping[tuple[str, int], date]
    employment_end: date | None
    vangnet: bool
    extensions: tuple[WageExtension, ...]

    @property
    def ended(self) -> date | None:
        return last_sick_day(self.case)

    def sick_day(self, n: int) -> date | None:
        return nth_sick_day(self.case, n)

    def week_of(self, due: date | None, fallback: int = 1) -> int:
        if due is None:
            return fallback
        return max(1, math.ceil(case_sick_days_until(self.case, due) / 7))

    def after_end(self, due: date) -> bool:
        """The case ended (full recovery) before ``due``."""
        return self.ended is not None and due > self.ended


def _applies(row: TableRow, facts: _Facts) -> bool:
    if row.applies_if == VANGNET and not facts.vangnet:
        return False
    if row.on == EMPLOYMENT_END:
        end = facts.employment_end
        return end is not None and end >= facts.case[0].start and not facts.after_end(end)
    if row.on == RECOVERY:
        return facts.ended is not None
    return True


def _fixed_due(row: TableRow, facts: _Facts) -> date | None:
    """Due date of a one-off row; ``None`` when the case ended before it."""
    if row.on == EMPLOYMENT_END:
        return facts.employment_end
    if row.on == RECOVERY:
        return facts.ended + _ONE_DAY + timedelta(days=row.days)
    due = facts.sick_day(row.first_sick_day)
    if row.after_completion is not None:
        ref_key, weeks = row.after_completion
        ref_done = facts.completed.get((ref_key, 1))
        if ref_done is not None:
            due = ref_done + timedelta(weeks=weeks)
            if facts.after_end(due):
                return None
    if due is not None and row.adjustment == FIRST_WORKING_DAY_AFTER:
        due = next_working_day(due + _ONE_DAY)
    if due is not None and row.moved_by_extensions:
        due = max([due] + [ext.end for ext in facts.extensions])
    shift = _extension_shift(row, facts, due)
    if shift:
        due += shift
    if due is not None and row.employment_end_after_weeks is not None:
        end = facts.employment_end
        if (
            end is not None
            and end < due
            and end >= facts.case[0].start
            and not facts.after_end(end)
            and case_sick_days_until(facts.case, end) >= row.employment_end_after_weeks * 7
        ):
            due = end
    return due


def _extension_shift(row: TableRow, facts: _Facts, due: date | None) -> timedelta:
    """How far an extension of the given kind moves the row (``before_extended_end``): to
    ``weeks`` before the extended end, when that is later than the row's own date."""
    if due is None or row.before_extended_end is None:
        return timedelta(0)
    kind, weeks = row.before_extended_end
    ends = [ext.end for ext in facts.extensions if ext.kind == kind]
    if not ends:
        return timedelta(0)
    return max(timedelta(0), max(ends) - timedelta(weeks=weeks) - due)


def _recurring_dues(
    row: TableRow, facts: _Facts, anchor: date | None, until: date | None
) -> Iterator[tuple[int, date | None, int]]:
    """(occurrence, due, week) of a recurring row, each counted from the previous occurrence's
    completion (or due date while it is not completed), the first from the anchor row's. An
    occurrence after the end of a closed case is given once, without a date (not applicable),
    its week counted on from the last one."""
    if anchor is None:
        yield 1, None, row.every_weeks  # the case ended before the anchor
        return
    k, previous = 1, anchor
    while True:
        due = previous + timedelta(weeks=row.every_weeks)
        if until is not None and due > until:
            return
        if facts.after_end(due):
            yield k, None, facts.week_of(previous) + row.every_weeks
            return
        yield k, due, facts.week_of(due)
        done = facts.completed.get((row.key, k))
        if done is None and due >= facts.today:
            return
        k, previous = k + 1, done or due


def _state(*, due, completed_on, informational, today, employment_end, on) -> str:
    if completed_on is not None:
        return "done"
    if due is None:
        return "not_applicable"  # the case ended before this moment
    if employment_end is not None and employment_end < due and on != RECOVERY:
        return "not_applicable"  # after the employment ends UWV takes over
    if due < today:
        # An informational moment (einde wachttijd) asks nothing of anyone: once passed, it is
        # reached, never overdue.
        return "done" if informational else "overdue"
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "open"


def _deadline(
    row: TableRow, facts: _Facts, *, occurrence: int, due, week: int, shift=timedelta(0)
) -> Deadline:
    window_start = (
        facts.sick_day((row.window_start_week - 1) * 7 + 1)
        if row.window_start_week is not None
        else None
    )
    if window_start is not None:
        window_start += shift
    completed_on = facts.completed.get((row.key, occurrence))
    return Deadline(
        key=row.key,
        label=row.label,
        week=week,
        due=due,
        window_start=window_start,
        state=_state(
            due=due,
            completed_on=completed_on,
            informational=row.informational,
            today=facts.today,
            employment_end=facts.employment_end,
            on=row.on,
        ),
        responsible=row.responsible,
        rule=row.rule,
        occurrence=occurrence,
        completed_on=completed_on,
        informational=row.informational,
        note=row.note,
        source=row.source,
        completion=row.completion or "",
        document=row.document,
        proof=row.proof,
    )


def compute_deadlines(
    periods: Iterable[Period],
    *,
    today: date,
    completed: Mapping[tuple[str, int], date] | None = None,
    employment_end: date | None = None,
    vangnet: bool = False,
    leaves: Iterable[Leave] = (),
    extensions: Iterable[WageExtension] = (),
    table: Sequence[TableRow] | None = None,
) -> list[Deadline]:
    """Every Poortwachter deadline of the current case (RI-1, RI-11, ZM-5), sorted by due date.

    - ``periods``: the sick periods; they are chained (``chain_periods``, with ``leaves``) and the
      most recent case is the one computed.
    - ``completed``: ``{(key, occurrence): completion date}``; occurrence is 1 for one-off rows.
      An unknown key is a ``ValueError`` (a typo would otherwise hide a deadline).
    - ``employment_end``: last day of employment; a deadline due after it is ``not_applicable``,
      and the ziek-uit-dienstmelding is due on it when it falls while the case runs.
    - ``vangnet``: the employer marked that a Ziektewet vangnet provision applies (RI-11 rows).
    - ``leaves``: Wazo leave with the doctor's same-cause yes/no (ZM-5).
    - ``extensions``: loonsanctie / voluntary extension, moving the einde wachttijd.
    - ``table``: rows from ``load_table(path)``; default the shipped table.

    States: ``done`` (a completion is recorded - wins over everything else), ``not_applicable``
    (case ended before the moment, or employment ended before the due date), ``overdue``
    (due < today), ``due_soon`` (today <= due <= today + ``DUE_SOON_DAYS``), ``open`` (later).
    Deadlines without a due date sort last.
    """
    case = current_case(periods, leaves)
    if not case:
        return []
    rows = {row.key: row for row in (load_table() if table is None else table)}
    completed = dict(completed or {})
    for ref in completed:
        if not (isinstance(ref, tuple) and len(ref) == 2 and ref[0] in rows):
            raise ValueError(f"completed: expected (key, occurrence) of a table row, got {ref!r}")
    facts = _Facts(
        case=case,
        today=today,
        completed=completed,
        employment_end=employment_end,
        vangnet=vangnet,
        extensions=tuple(extensions),
    )

    dues: dict[str, date | None] = {}
    deadlines: list[Deadline] = []
    for row in rows.values():  # one-off rows first: recurring rows count from them
        if row.recurring or not _applies(row, facts):
            continue
        due = dues[row.key] = _fixed_due(row, facts)
        moved = (
            row.after_completion is not None and (row.after_completion[0], 1) in completed
        ) or (row.moved_by_extensions and bool(facts.extensions))
        week = facts.week_of(due, row.week or 1) if moved or row.week is None else row.week
        shift = _extension_shift(row, facts, facts.sick_day(row.first_sick_day or 1))
        deadlines.append(_deadline(row, facts, occurrence=1, due=due, week=week, shift=shift))
    for row in rows.values():
        if not row.recurring:
            continue
        anchor = completed.get((row.after, 1)) or dues.get(row.after)
        for occurrence, due, week in _recurring_dues(row, facts, anchor, dues.get(row.until)):
            deadlines.append(_deadline(row, facts, occurrence=occurrence, due=due, week=week))

    order = {key: i for i, key in enumerate(rows)}
    deadlines.sort(key=lambda d: (d.due is None, d.due or date.max, order[d.key], d.occurrence))
    return deadlines


def next_open(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The case's next deadline to act on (RI-1): the earliest overdue, due-soon or open moment
    that asks something of someone. The one definition every page, list and signal uses."""
    pending = [
        d
        for d in deadlines
        if d.state in ("overdue", "due_soon", "open") and d.due and not d.informational
    ]
    return min(pending, key=lambda d: d.due) if pending else None
