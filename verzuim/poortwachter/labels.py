"""Presentation of Poortwachter moments (DESIGN.md: "week 6 — probleemanalyse", dates as
dd-mm-jjjj)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .compute import Deadline
from .table import TableRow, load_table, occurrence_week


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
        week = occurrence_week(row, 1, rows) if row.recurring else row.week
    weeks = f"{row.window_start_week}–{week}" if row.window_start_week is not None else f"{week}"
    return f"week {weeks} — {row.label}"
