"""Working days for the 42e-weekmelding (RI-1): Monday to Friday, not a Dutch public holiday
that is a general day off."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.easter import easter  # python-dateutil is a dependency of `holidays`

_ONE_DAY = timedelta(days=1)


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
