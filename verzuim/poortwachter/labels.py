"""Presentation of Poortwachter moments (DESIGN.md: "week 6 — probleemanalyse", dates as
dd-mm-jjjj)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .compute import Deadline
from .table import TableRow, load_table


def format_date(d: date) -> str:
    """``dd-mm-jjjj``, e.g. ``05-01-2026``."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def week_label(key_or_deadline: str | Deadline, table: Sequence[TableRow] | None = None) -> str:
    """``"week 6 — probleemanalyse"``; a window reads ``"week 46–52 — eerstejaarsevaluatie"``.

    For a ``Deadline`` the week is the one its due date falls in (an evaluation counted from
    the last one, a plan moved by a late probleemanalyse); a moment tied to a fact of the case
    (end of employment, recovery) has no week and reads as its label. For the key of a row
    without a fixed week the label alone is given.
    """
    rows = {row.key: row for row in (load_table() if table is None else table)}
    if isinstance(key_or_deadline, Deadline):
        row, week = rows[key_or_deadline.key], key_or_deadline.week
        if row.on is not None:
            return row.label
    else:
        row = rows[key_or_deadline]
        week = row.week
        if week is None:
            return row.label if row.day is None else f"dag {row.day} — {row.label}"
    if row.day is not None:
        return f"dag {row.day} — {row.label}"
    weeks = f"{row.window_start_week}–{week}" if row.window_start_week is not None else f"{week}"
    return f"week {weeks} — {row.label}"
