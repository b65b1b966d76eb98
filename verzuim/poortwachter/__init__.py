"""Poortwachter deadline engine: pure functions over sick periods, no models, no database.

Rules enforced here:

- **RI-1** Poortwachter deadlines (ziekmelding aan arbodienst, probleemanalyse, plan van aanpak
  2 weeks after the probleemanalyse, evaluaties counted from the actual plan and each actual
  evaluation, 42e-weekmelding, eerstejaarsevaluatie and the spoor-2 decision, week 91,
  WIA-aanvraag, einde wachttijd moved by a loonsanctie or extension). The weeks live in
  ``verzuim/poortwachter.toml`` beside this package - the one place a change in the law is made;
  this package contains no week numbers of its own.
- **RI-11** The other reports to UWV: the Ziektewet (vangnet) ziekmelding, the
  ziek-uit-dienstmelding on the last day of employment, the hersteldmelding in a vangnet case.
- **ZM-5** Samentelling: sick periods separated by fewer than ``SAMENTELLING_DAYS`` (28) healthy
  days, or directly around a Wazo leave unless the bedrijfsarts says the cause differs, form one
  case, and every deadline counts only the sick days of that case; the healthy interval and the
  leave do not count.

Counting conventions (the tests in ``tests/verzuim/test_poortwachter.py`` pin each of them):

- A ``Period`` runs from its first sick day to its LAST sick day, both inclusive; ``end=None``
  means still sick. Partial recovery is still absence: the caller ends a period only on full
  recovery.
- Sick day 1 is the first day of absence. Week *w* ends on sick day ``w * 7``; that day's
  calendar date is the deadline. A window that opens "in week *w*" opens on sick day
  ``(w - 1) * 7 + 1``.
- The 42e-weekmelding is due on the first working day after the last calendar day of week 42
  (``is_working_day``).

The engine in rooms: ``periods`` (samentelling, sick-day counting), ``working_days``, ``table``
(loading and validating the TOML table), ``compute`` (deadlines and their states) and ``labels``
(presentation). Other modules import the public names from ``verzuim.poortwachter``.
"""

from .compute import (
    DUE_SOON_DAYS,
    EXTENSION_KINDS,
    STATES,
    Deadline,
    WageExtension,
    compute_deadlines,
    next_open,
)
from .labels import format_date, week_label
from .periods import (
    SAMENTELLING_DAYS,
    Leave,
    Period,
    chain_periods,
    sick_day_date,
    sick_days_until,
)
from .table import DEFAULT_TABLE_PATH, TableError, TableRow, load_table
from .working_days import is_working_day, next_working_day

__all__ = [
    "DEFAULT_TABLE_PATH",
    "DUE_SOON_DAYS",
    "EXTENSION_KINDS",
    "SAMENTELLING_DAYS",
    "STATES",
    "Deadline",
    "Leave",
    "Period",
    "TableError",
    "TableRow",
    "WageExtension",
    "chain_periods",
    "compute_deadlines",
    "format_date",
    "is_working_day",
    "load_table",
    "next_open",
    "next_working_day",
    "sick_day_date",
    "sick_days_until",
    "week_label",
]
