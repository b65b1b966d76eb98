"""Issue 24: retention to the day for the eigenrisicodrager (RT-2, RT-3, RT-6), each point proven
by time travel — the purge run the day before a record's last day, on it, and the day after
(`kept_until`).

1. RT-3 narrowed: the WGA term of 10 years holds only for a case that led to a WIA application
   (sick into the application's window, week 88 of the Poortwachter table, from which the engine
   offers the application step) or still runs; a shorter absence follows RT-1/RT-2 like any
   other.
2. The 5- and 10-year terms count from the last day of absence (recovered_on − 1), not from the
   day back at work.
3. The employer's eigenrisicodrager periods (from–to): the period that covered the absence
   decides, not today's status.
"""

from datetime import date, timedelta

import pytest

from accounts.roles import Role
from retention import registry
from retention.purge import purge
from tests.retention.builders import (
    day_after,
    day_before,
    employee,
    end_employment_on_model,
    erd,
    purge_on,
    sick,
)
from verzuim.models import Ziekmelding
from verzuim.retention import wia_window_day

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

FIRST = date(2021, 1, 4)


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR, device=False)


def rule_of(zm) -> tuple:
    """The stored date and the rule that gave it (the registry's own computation)."""
    computed = registry.category("verzuim.ziekmelding").compute(zm)
    assert computed[0] == zm.keep_until, (computed, zm.keep_until)
    return computed


def exists(pk) -> bool:
    return Ziekmelding.objects.filter(pk=pk).exists()


def kept_until(pk, last_day: date):
    """RT-6: kept by the purge the day before and on its last day, gone the day after."""
    for day in (day_before(last_day), last_day):
        purge_on(day)
        assert exists(pk), f"removed on {day}, kept until {last_day}"
    purge_on(day_after(last_day))
    assert not exists(pk), f"survived past {last_day}"


def case(hr, employer, sick_days: int, employment_end: date):
    werknemer = employee(employer, employment_start=date(2015, 1, 5))
    zm = sick(hr, werknemer, FIRST, recovered_on=FIRST + timedelta(days=sick_days))
    end_employment_on_model(werknemer, employment_end)
    zm.refresh_from_db()
    return zm


def test_rt3_rt6_a_short_absence_at_a_wga_employer_follows_rt1(hr, employer):
    """RT-3: 80 sick days can carry no WGA risk: two years after the employment ends, as at any
    employer — not ten years after the absence."""
    erd(employer, "wga")
    zm = case(hr, employer, 80, date(2021, 6, 30))
    assert rule_of(zm) == (date(2023, 6, 30), "verzuimadministratie")
    kept_until(zm.pk, date(2023, 6, 30))


def test_rt3_rt6_the_wia_windows_first_day_decides(hr, employer):
    """RT-3: one sick day short of the WIA application's window (sick day 610, week 88): RT-1;
    on it: ten years after the last day of absence."""
    erd(employer, "wga")
    window = wia_window_day()
    assert window == 610
    short = case(hr, employer, window - 1, date(2022, 12, 31))
    reached = case(hr, employer, window, date(2022, 12, 31))
    last_day = FIRST + timedelta(days=window - 1)  # the day before the day back
    assert short.keep_until == date(2024, 12, 31)
    assert reached.keep_until == date(last_day.year + 10, last_day.month, last_day.day)
    assert rule_of(reached)[1] == "eigenrisicodrager_wga"
    kept_until(short.pk, date(2024, 12, 31))
    kept_until(reached.pk, reached.keep_until)


def test_rt2_rt6_counted_from_the_last_day_of_absence(hr, employer):
    """RT-2: back at work on 1 March 2021, last day of absence 28 February: kept through
    28 February 2026, gone on 1 March 2026 (the day back would have kept it a day longer)."""
    erd(employer, "zw")
    werknemer = employee(employer, employment_start=date(2015, 1, 5))
    zm = sick(hr, werknemer, date(2021, 1, 4), recovered_on=date(2021, 3, 1))
    end_employment_on_model(werknemer, date(2021, 3, 31))
    zm.refresh_from_db()
    assert rule_of(zm) == (date(2026, 2, 28), "eigenrisicodrager_zw")
    kept_until(zm.pk, date(2026, 2, 28))


def test_rt2_rt6_the_period_that_covered_the_absence_decides_not_todays_status(hr, employer):
    """RT-2: eigenrisicodrager ZW from 2018 to mid-2021: the absence of early 2021 keeps its five
    years although the employer no longer is one; an absence after the period ended follows RT-1;
    so does one before a later period began."""
    erd(employer, "zw", start=date(2018, 1, 1), end=date(2021, 6, 30))
    erd(employer, "zw", start=date(2023, 1, 1), end=date(2023, 12, 31))
    assert not employer.eigenrisicodrager_on("zw")  # today's status
    covered = case(hr, employer, 56, date(2021, 3, 31))  # last day 28 Feb 2021
    after = employee(employer, employment_start=date(2015, 1, 5))
    not_covered = sick(hr, after, date(2021, 9, 6), recovered_on=date(2021, 10, 4))
    end_employment_on_model(after, date(2021, 10, 31))
    not_covered.refresh_from_db()
    assert rule_of(covered) == (date(2026, 2, 28), "eigenrisicodrager_zw")
    assert rule_of(not_covered) == (date(2023, 10, 31), "verzuimadministratie")
    kept_until(not_covered.pk, date(2023, 10, 31))
    kept_until(covered.pk, date(2026, 2, 28))


def test_rt2_rt6_a_period_recorded_later_recomputes_the_dates_of_the_absences_it_covers(
    hr, employer
):
    """RT-6: the periods are entered after the fact (an employer's history): saving one moves the
    dates of the absences it covers, and removing it moves them back."""
    zm = case(hr, employer, 56, date(2021, 3, 31))
    assert zm.keep_until == date(2023, 3, 31)
    period = erd(employer, "zw", start=date(2020, 1, 1), end=date(2021, 12, 31))
    zm.refresh_from_db()
    assert zm.keep_until == date(2026, 2, 28)
    purge(today=day_after(date(2023, 3, 31)))
    assert exists(zm.pk)
    period.delete()
    zm.refresh_from_db()
    assert zm.keep_until == date(2023, 3, 31)
