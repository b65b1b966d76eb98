"""Poortwachter deadline engine (RI-1) with samentelling (ZM-5), over tricky calendars.

Pure tests: no database. Every expected date is computed here from first principles with plain
date arithmetic - "sick day n of an uninterrupted period starting on S is S + (n - 1) days", "the
end of sick week w is sick day 7 * w" - never by calling the function under test. Where a test
relies on a calendar fact (a weekday, a public holiday) it asserts that fact first, using the
`holidays` package directly.
"""

from dataclasses import replace
from datetime import date, timedelta

import holidays
import pytest

from verzuim.poortwachter import (
    DEFAULT_TABLE_PATH,
    DUE_SOON_DAYS,
    SAMENTELLING_DAYS,
    Deadline,
    Period,
    TableError,
    chain_periods,
    compute_deadlines,
    format_date,
    is_working_day,
    load_table,
    sick_day_date,
    sick_days_until,
    week_label,
)

D = timedelta  # D(days=n)
NL_HOLIDAYS = holidays.country_holidays("NL", years=range(2024, 2029))

MON = date(2025, 1, 6)  # a Monday
FRI = date(2025, 1, 3)  # a Friday

# Relapse scenarios (ZM-5). First period: 10 sick days from Monday 03-03-2025, so its last sick
# day is R + 9; the person is fit from R + 10.
R = date(2025, 3, 3)
R_P1 = Period(R, R + D(days=9))


def relapse_after(healthy_days: int) -> tuple[Period, Period]:
    """First period of 10 sick days, then `healthy_days` fit days, then sick again (open)."""
    first_fit_day = R_P1.end + D(days=1)
    return R_P1, Period(first_fit_day + D(days=healthy_days))


def by_ref(deadlines: list[Deadline]) -> dict[tuple[str, int], Deadline]:
    return {(d.key, d.occurrence): d for d in deadlines}


def due_of(periods, key: str, occurrence: int = 1, **kwargs) -> date | None:
    kwargs.setdefault("today", date(2020, 1, 1))
    return by_ref(compute_deadlines(periods, **kwargs))[(key, occurrence)].due


def test_constants_state_the_rules():
    """ZM-5: 4 weeks of samentelling; RI-1: signalled two weeks ahead."""
    assert SAMENTELLING_DAYS == 28
    assert DUE_SOON_DAYS == 14


def test_calendar_premises():
    """The fixed dates these tests use are the weekdays their names claim."""
    assert MON.weekday() == 0
    assert FRI.weekday() == 4
    assert R.weekday() == 0


# --- chain_periods (ZM-5) -------------------------------------------------------------------


def _fit_then_sick(healthy_days: int) -> list[Period]:
    return list(relapse_after(healthy_days))


@pytest.mark.parametrize(
    ("periods", "expected_sizes"),
    [
        pytest.param([Period(MON)], [1], id="one-open-period"),
        pytest.param(
            [Period(MON, MON + D(days=4)), Period(MON + D(days=5))], [2], id="no-fit-day-between"
        ),
        pytest.param(_fit_then_sick(20), [2], id="healthy-20-days-same-case"),
        pytest.param(_fit_then_sick(27), [2], id="healthy-27-days-same-case-boundary"),
        pytest.param(_fit_then_sick(28), [1, 1], id="healthy-28-days-new-case-boundary"),
        pytest.param(_fit_then_sick(30), [1, 1], id="healthy-30-days-new-case"),
        pytest.param(list(reversed(_fit_then_sick(20))), [2], id="unsorted-input-is-sorted"),
        pytest.param(
            [
                Period(MON, MON + D(days=2)),  # fit from MON+3
                Period(MON + D(days=3 + 27), MON + D(days=40)),  # 27 fit days: same case
                Period(MON + D(days=41 + 28)),  # 28 fit days: new case
            ],
            [2, 1],
            id="three-periods-27-then-28",
        ),
    ],
)
def test_chain_periods_groups_by_samentelling(periods, expected_sizes):
    """ZM-5: periods separated by fewer than 28 fit days form one case; 28 or more restart."""
    cases = chain_periods(periods)
    assert [len(case) for case in cases] == expected_sizes
    flat = [p for case in cases for p in case]
    assert flat == sorted(periods, key=lambda p: p.start)


@pytest.mark.parametrize(
    "periods",
    [
        pytest.param(
            [Period(MON, MON + D(days=10)), Period(MON + D(days=10))], id="overlapping-periods"
        ),
        pytest.param([Period(MON), Period(MON + D(days=40))], id="period-after-open-period"),
    ],
)
def test_chain_periods_rejects_inconsistent_input(periods):
    """ZM-5: a sick history with overlaps or an open period in the middle is a caller error."""
    with pytest.raises(ValueError):
        chain_periods(periods)


def test_period_cannot_end_before_it_starts():
    """ZM-5: `end` is the last sick day, never before the first."""
    with pytest.raises(ValueError):
        Period(MON, MON - D(days=1))
    assert Period(MON, MON).days == 1  # one sick day


# --- sick_day_date / sick_days_until (ZM-5) -------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "n", "expected"),
    [
        pytest.param([Period(MON)], 1, MON, id="day-1-is-the-first-day-of-absence"),
        pytest.param([Period(MON)], 42, MON + D(days=41), id="open-period-day-42"),
        pytest.param([Period(MON, MON + D(days=41))], 42, MON + D(days=41), id="last-sick-day"),
        pytest.param([Period(MON, MON + D(days=40))], 42, None, id="case-ends-before-day-n"),
        pytest.param(_fit_then_sick(20), 10, R + D(days=9), id="relapse-20-last-day-of-first"),
        pytest.param(
            _fit_then_sick(20), 11, R + D(days=10 + 20), id="relapse-20-day-11-skips-fit-days"
        ),
        pytest.param(
            # 10 sick days in period 1, so sick day 42 is the 32nd sick day of period 2.
            _fit_then_sick(20),
            42,
            R + D(days=10 + 20) + D(days=31),
            id="relapse-20-day-42-is-32nd-of-new-period",
        ),
        pytest.param(
            _fit_then_sick(27), 42, R + D(days=10 + 27) + D(days=31), id="healthy-27-still-counts"
        ),
        pytest.param(
            _fit_then_sick(28), 42, R + D(days=10 + 28) + D(days=41), id="healthy-28-clock-restarts"
        ),
        pytest.param(
            _fit_then_sick(30), 1, R + D(days=10 + 30), id="relapse-30-day-1-is-new-start"
        ),
    ],
)
def test_sick_day_date_counts_only_sick_days(periods, n, expected):
    """ZM-5: the n-th sick day of the current case; the healthy interval does not count."""
    assert sick_day_date(periods, n) == expected


def test_sick_day_date_is_one_based():
    """RI-1: sick day 1 is the first day of absence; there is no sick day 0."""
    with pytest.raises(ValueError):
        sick_day_date([Period(MON)], 0)


@pytest.mark.parametrize(
    ("periods", "day", "expected"),
    [
        pytest.param([Period(MON)], MON - D(days=1), 0, id="before-the-start"),
        pytest.param([Period(MON)], MON, 1, id="first-day"),
        pytest.param([Period(MON)], MON + D(days=99), 100, id="open-day-100"),
        pytest.param([Period(MON, MON + D(days=29))], MON + D(days=99), 30, id="closed-after-30"),
        pytest.param(_fit_then_sick(20), R + D(days=15), 10, id="during-the-fit-interval"),
        pytest.param(_fit_then_sick(20), R + D(days=30 + 4), 15, id="5-days-into-relapse"),
    ],
)
def test_sick_days_until(periods, day, expected):
    """ZM-5: the current sick day counts the sick days of the case only."""
    assert sick_days_until(periods, day) == expected


# --- Due dates of the one-off deadlines (RI-1 with ZM-5) ------------------------------------

# A partial recovery (say 50% back at work from day 20) leaves the period open: the caller ends a
# period only on full recovery, so the deadlines equal those of the plain case.
PARTIAL = [Period(MON)]
REL20_P2 = relapse_after(20)[1].start  # R + 10 + 20
REL30_P2 = relapse_after(30)[1].start


@pytest.mark.parametrize(
    ("periods", "key", "expected"),
    [
        # Monday start: week w ends on a Sunday, MON + (7w - 1).
        pytest.param([Period(MON)], "ziekmelding_arbodienst", MON + D(days=6), id="mon-week-1"),
        pytest.param([Period(MON)], "ziekmelding_arbodienst", date(2025, 1, 12), id="mon-w1-lit"),
        pytest.param([Period(MON)], "probleemanalyse", MON + D(days=41), id="mon-week-6"),
        pytest.param([Period(MON)], "probleemanalyse", date(2025, 2, 16), id="mon-week-6-literal"),
        pytest.param([Period(MON)], "plan_van_aanpak", MON + D(days=55), id="mon-week-8"),
        pytest.param([Period(MON)], "plan_van_aanpak", date(2025, 3, 2), id="mon-week-8-literal"),
        pytest.param([Period(MON)], "eerstejaarsevaluatie", MON + D(days=363), id="mon-week-52"),
        pytest.param([Period(MON)], "wia_aanvraag", MON + D(days=650), id="mon-week-93"),
        pytest.param([Period(MON)], "einde_wachttijd", MON + D(days=727), id="mon-week-104"),
        pytest.param([Period(MON)], "einde_wachttijd", date(2027, 1, 3), id="mon-w104-literal"),
        # Friday start: week w ends on a Thursday.
        pytest.param([Period(FRI)], "ziekmelding_arbodienst", FRI + D(days=6), id="fri-week-1"),
        pytest.param([Period(FRI)], "probleemanalyse", FRI + D(days=41), id="fri-week-6"),
        pytest.param([Period(FRI)], "probleemanalyse", date(2025, 2, 13), id="fri-week-6-lit"),
        pytest.param([Period(FRI)], "plan_van_aanpak", FRI + D(days=55), id="fri-week-8"),
        # Partial recovery still counts as sick.
        pytest.param(PARTIAL, "probleemanalyse", MON + D(days=41), id="partial-recovery-week-6"),
        pytest.param(PARTIAL, "wia_aanvraag", MON + D(days=650), id="partial-recovery-week-93"),
        # Relapse after 20 fit days: 10 sick days already count; the fit days do not.
        pytest.param(
            relapse_after(20), "ziekmelding_arbodienst", R + D(days=6), id="rel20-week-1-in-first"
        ),
        pytest.param(
            relapse_after(20), "probleemanalyse", REL20_P2 + D(days=42 - 10 - 1), id="rel20-week-6"
        ),
        pytest.param(
            relapse_after(20), "probleemanalyse", date(2025, 5, 3), id="rel20-week-6-literal"
        ),
        pytest.param(
            relapse_after(20), "plan_van_aanpak", REL20_P2 + D(days=56 - 10 - 1), id="rel20-week-8"
        ),
        pytest.param(
            relapse_after(20),
            "einde_wachttijd",
            REL20_P2 + D(days=728 - 10 - 1),
            id="rel20-week-104",
        ),
        # Boundary: 27 fit days still join; 28 restart the clock.
        pytest.param(
            relapse_after(27),
            "probleemanalyse",
            R + D(days=10 + 27) + D(days=42 - 10 - 1),
            id="healthy-27-week-6-counts-first-period",
        ),
        pytest.param(
            relapse_after(28),
            "probleemanalyse",
            R + D(days=10 + 28) + D(days=41),
            id="healthy-28-week-6-restarts",
        ),
        # Relapse after 30 fit days: a new case, the clock restarts.
        pytest.param(
            relapse_after(30), "ziekmelding_arbodienst", REL30_P2 + D(days=6), id="rel30-week-1"
        ),
        pytest.param(
            relapse_after(30), "probleemanalyse", REL30_P2 + D(days=41), id="rel30-week-6"
        ),
    ],
)
def test_due_dates_follow_sick_weeks(periods, key, expected):
    """RI-1 deadlines at the end of sick week w (sick day 7w); ZM-5 samentelling shifts them by
    the sick days only."""
    assert due_of(periods, key) == expected


# --- The 42e-weekmelding: first working day after week 42 (RI-1) ----------------------------


@pytest.mark.parametrize(
    ("periods", "day_after_week_42", "holidays_passed", "expected"),
    [
        pytest.param(
            [Period(MON)], date(2025, 10, 27), [], date(2025, 10, 27), id="monday-start-monday"
        ),
        pytest.param(
            [Period(FRI)], date(2025, 10, 24), [], date(2025, 10, 24), id="friday-start-friday"
        ),
        pytest.param(
            # Started on a Saturday: 42 whole weeks later is a Saturday, so the report moves to
            # Monday.
            [Period(date(2025, 3, 1))],
            date(2025, 12, 20),
            [],
            date(2025, 12, 22),
            id="weekend-saturday-to-monday",
        ),
        pytest.param(
            [Period(date(2025, 7, 7))],
            date(2026, 4, 27),
            [date(2026, 4, 27)],  # Koningsdag, a Monday
            date(2026, 4, 28),
            id="koningsdag-2026-to-tuesday",
        ),
        pytest.param(
            [Period(date(2025, 8, 4))],
            date(2026, 5, 25),
            [date(2026, 5, 25)],  # Tweede pinksterdag
            date(2026, 5, 26),
            id="pinkstermaandag-2026-to-tuesday",
        ),
        pytest.param(
            [Period(date(2025, 3, 6))],
            date(2025, 12, 25),
            [date(2025, 12, 25), date(2025, 12, 26)],  # both Christmas days, then a weekend
            date(2025, 12, 29),
            id="kerstmis-2025-thursday-to-monday",
        ),
        pytest.param(
            [Period(date(2026, 3, 6))],
            date(2026, 12, 25),
            [date(2026, 12, 25)],  # Friday; 26-12 is a Saturday anyway
            date(2026, 12, 28),
            id="kerstmis-2026-friday-to-monday",
        ),
        pytest.param(
            [Period(date(2025, 3, 13))],
            date(2026, 1, 1),
            [date(2026, 1, 1)],
            date(2026, 1, 2),
            id="nieuwjaarsdag-2026-to-friday",
        ),
        pytest.param(
            [Period(date(2024, 7, 15))],
            date(2025, 5, 5),
            [date(2025, 5, 5)],  # Bevrijdingsdag in a lustrum year is a day off
            date(2025, 5, 6),
            id="bevrijdingsdag-lustrum-2025-to-tuesday",
        ),
        pytest.param(
            # Samentelling moves the report onto a weekend: 10 sick days + 20 fit days, the
            # relapse starts on a Wednesday; sick day 294 is the 284th of the new period.
            list(relapse_after(20)),
            REL20_P2 + D(days=294 - 10 - 1) + D(days=1),
            [],
            REL20_P2 + D(days=294 - 10 - 1) + D(days=2),  # Sunday -> Monday
            id="relapse-20-lands-on-sunday",
        ),
    ],
)
def test_42nd_week_report_moves_to_first_working_day(
    periods, day_after_week_42, holidays_passed, expected
):
    """RI-1: the 42e-weekmelding is due on the first working day after week 42; weekends and
    Dutch public holidays (checked against the `holidays` package) push it forward."""
    # Premises, from first principles: for one uninterrupted period, 42 whole weeks after the
    # first sick day is the day after week 42 (same weekday as the start).
    if len(periods) == 1:
        assert periods[0].start + D(days=42 * 7) == day_after_week_42
    for holiday in holidays_passed:
        assert holiday in NL_HOLIDAYS, holiday
        assert holiday.weekday() < 5, "a weekday holiday, else the test proves nothing"
    skipped = (expected - day_after_week_42).days
    for offset in range(skipped):
        skipped_day = day_after_week_42 + D(days=offset)
        assert skipped_day.weekday() >= 5 or skipped_day in NL_HOLIDAYS
    assert expected.weekday() < 5 and expected not in NL_HOLIDAYS

    assert due_of(periods, "melding_42e_week") == expected


@pytest.mark.parametrize(
    ("start", "day_after_week_42", "listed_by_package", "why"),
    [
        pytest.param(
            date(2025, 6, 13),
            date(2026, 4, 3),
            True,
            "Goede vrijdag is listed but is not a general day off",
            id="goede-vrijdag-counts-as-working-day",
        ),
        pytest.param(
            date(2025, 7, 15),
            date(2026, 5, 5),
            False,
            "Bevrijdingsdag is a day off only in lustrum years",
            id="bevrijdingsdag-2026-non-lustrum-is-working-day",
        ),
    ],
)
def test_42nd_week_report_not_moved_on_days_that_are_worked(
    start, day_after_week_42, listed_by_package, why
):
    """RI-1: decided working days - Good Friday always, 5 May outside lustrum years."""
    assert start + D(days=42 * 7) == day_after_week_42
    assert day_after_week_42.weekday() < 5
    assert (day_after_week_42 in NL_HOLIDAYS) is listed_by_package
    assert is_working_day(day_after_week_42), why
    assert due_of([Period(start)], "melding_42e_week") == day_after_week_42


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 4, 1), True, id="ordinary-wednesday"),
        pytest.param(date(2026, 4, 4), False, id="saturday"),
        pytest.param(date(2026, 4, 5), False, id="sunday-eerste-paasdag"),
        pytest.param(date(2026, 4, 6), False, id="tweede-paasdag"),
        pytest.param(date(2026, 4, 3), True, id="goede-vrijdag"),
        pytest.param(date(2026, 5, 14), False, id="hemelvaartsdag"),
        pytest.param(date(2025, 5, 5), False, id="bevrijdingsdag-2025-lustrum"),
        pytest.param(date(2030, 5, 6), True, id="day-after-bevrijdingsdag-2030"),
        pytest.param(date(2030, 5, 5), False, id="bevrijdingsdag-2030-sunday"),
        pytest.param(date(2027, 5, 5), True, id="bevrijdingsdag-2027-non-lustrum"),
        pytest.param(date(2025, 4, 26), False, id="koningsdag-2025-on-saturday"),
        pytest.param(date(2025, 4, 28), True, id="monday-after-koningsdag-sunday-2025"),
    ],
)
def test_is_working_day(day, expected):
    """RI-1: Monday to Friday except Dutch public holidays that are a general day off."""
    assert is_working_day(day) is expected


# --- States around a fixed today (RI-1: signal upcoming and overdue) ------------------------

# Plain case from MON: ziekmelding due MON+6, probleemanalyse MON+41, plan MON+55,
# first evaluation MON+97 (end of week 14), einde wachttijd MON+727.
PA_DUE = MON + D(days=41)


@pytest.mark.parametrize(
    ("today", "completed", "ref", "expected_state"),
    [
        pytest.param(MON + D(days=60), {}, ("probleemanalyse", 1), "overdue", id="overdue"),
        pytest.param(PA_DUE + D(days=1), {}, ("probleemanalyse", 1), "overdue", id="1-day-late"),
        pytest.param(PA_DUE, {}, ("probleemanalyse", 1), "due_soon", id="due-today-is-due-soon"),
        pytest.param(
            PA_DUE - D(days=14), {}, ("probleemanalyse", 1), "due_soon", id="due-in-14-days"
        ),
        pytest.param(PA_DUE - D(days=15), {}, ("probleemanalyse", 1), "open", id="due-in-15-days"),
        pytest.param(
            MON + D(days=60),
            {("probleemanalyse", 1): MON + D(days=30)},
            ("probleemanalyse", 1),
            "done",
            id="done-on-time",
        ),
        pytest.param(
            MON + D(days=60),
            {("probleemanalyse", 1): MON + D(days=50)},
            ("probleemanalyse", 1),
            "done",
            id="done-late-is-still-done",
        ),
        pytest.param(
            MON + D(days=100),
            {("evaluatie_plan", 1): MON + D(days=95)},
            ("evaluatie_plan", 1),
            "done",
            id="evaluation-occurrence-done",
        ),
        pytest.param(MON + D(days=100), {}, ("evaluatie_plan", 2), "open", id="next-evaluation"),
        pytest.param(
            MON + D(days=800),
            {},
            ("einde_wachttijd", 1),
            "done",
            id="einde-wachttijd-never-overdue",
        ),
        pytest.param(
            MON + D(days=727 - 3), {}, ("einde_wachttijd", 1), "due_soon", id="einde-wachttijd-soon"
        ),
    ],
)
def test_states_around_today(today, completed, ref, expected_state):
    """RI-1: done / overdue / due_soon (within 14 days, inclusive) / open around a fixed today."""
    deadlines = by_ref(compute_deadlines([Period(MON)], today=today, completed=completed))
    assert deadlines[ref].state == expected_state
    assert deadlines[ref].completed_on == completed.get(ref)


def test_states_of_a_plain_case_on_one_day():
    """RI-1: on MON+45 the dashboard shows each deadline in the right state."""
    today = MON + D(days=45)
    deadlines = by_ref(
        compute_deadlines(
            [Period(MON)], today=today, completed={("ziekmelding_arbodienst", 1): MON + D(days=1)}
        )
    )
    assert deadlines[("ziekmelding_arbodienst", 1)].state == "done"
    assert deadlines[("probleemanalyse", 1)].state == "overdue"  # due MON+41
    assert deadlines[("plan_van_aanpak", 1)].state == "due_soon"  # due MON+55 = today+10
    assert deadlines[("evaluatie_plan", 1)].state == "open"  # due MON+97
    assert deadlines[("melding_42e_week", 1)].state == "open"


def test_completed_uses_known_keys_only():
    """RI-1: a misspelt completion key would hide a deadline, so it is refused."""
    with pytest.raises(ValueError):
        compute_deadlines([Period(MON)], today=MON, completed={("probleem_analyse", 1): MON})
    with pytest.raises(ValueError):
        compute_deadlines([Period(MON)], today=MON, completed={"probleemanalyse": MON})


def test_deadlines_are_sorted_by_due_date_unreached_last():
    """RI-1: the list reads as a timeline; deadlines the case never reaches come last."""
    deadlines = compute_deadlines([Period(MON, MON + D(days=99))], today=MON + D(days=200))
    dues = [d.due for d in deadlines if d.due is not None]
    assert dues == sorted(dues)
    first_none = next(i for i, d in enumerate(deadlines) if d.due is None)
    assert all(d.due is None for d in deadlines[first_none:])


def test_empty_history_has_no_deadlines():
    """RI-1: no sick period, no deadlines."""
    assert compute_deadlines([], today=MON) == []


# --- Not applicable: case ended, employment ended -------------------------------------------


def test_case_that_ends_before_week_6():
    """RI-1/ZM-5: recovered after 30 sick days - the ziekmelding remains, every later deadline is
    not applicable (its sick day is never reached)."""
    periods = [Period(MON, MON + D(days=29))]  # 30 sick days
    deadlines = by_ref(compute_deadlines(periods, today=MON + D(days=60)))
    assert deadlines[("ziekmelding_arbodienst", 1)].due == MON + D(days=6)
    assert deadlines[("ziekmelding_arbodienst", 1)].state == "overdue"
    later = [d for ref, d in deadlines.items() if ref != ("ziekmelding_arbodienst", 1)]
    assert {d.key for d in later} == {
        "probleemanalyse",
        "plan_van_aanpak",
        "evaluatie_plan",
        "melding_42e_week",
        "eerstejaarsevaluatie",
        "besluit_spoor_2",
        "actueel_oordeel",
        "eindevaluatie",
        "kopie_werknemer",
        "wia_aanvraag",
        "einde_wachttijd",
    }
    for d in later:
        assert d.state == "not_applicable", d.key
        assert d.due is None, d.key
    # Only the next evaluation is listed, not every one up to week 104.
    assert [d.occurrence for d in later if d.key == "evaluatie_plan"] == [1]


def test_case_that_ends_on_the_last_day_of_week_6_keeps_the_probleemanalyse():
    """RI-1: sick day 42 reached exactly - the probleemanalyse applies, week 8 does not."""
    deadlines = by_ref(compute_deadlines([Period(MON, MON + D(days=41))], today=MON))
    assert deadlines[("probleemanalyse", 1)].due == MON + D(days=41)
    assert deadlines[("probleemanalyse", 1)].state != "not_applicable"
    assert deadlines[("plan_van_aanpak", 1)].state == "not_applicable"


@pytest.mark.parametrize(
    ("employment_end", "ref", "expected_state"),
    [
        # Week 10 runs from sick day 64 (MON+63) to sick day 70 (MON+69); employment ends on
        # sick day 67.
        pytest.param(MON + D(days=66), ("plan_van_aanpak", 1), "overdue", id="week-8-still-due"),
        pytest.param(MON + D(days=66), ("evaluatie_plan", 1), "not_applicable", id="week-14-gone"),
        pytest.param(
            MON + D(days=66), ("melding_42e_week", 1), "not_applicable", id="week-42-gone"
        ),
        pytest.param(
            MON + D(days=66), ("einde_wachttijd", 1), "not_applicable", id="week-104-gone"
        ),
        pytest.param(
            MON + D(days=97), ("evaluatie_plan", 1), "overdue", id="ends-on-the-due-date-applies"
        ),
        pytest.param(
            MON + D(days=96), ("evaluatie_plan", 1), "not_applicable", id="ends-day-before-due"
        ),
    ],
)
def test_employment_end_makes_later_deadlines_not_applicable(employment_end, ref, expected_state):
    """RI-1: after the employment ends UWV takes over; deadlines due after the last day of
    employment are not the employer's."""
    deadlines = by_ref(
        compute_deadlines([Period(MON)], today=MON + D(days=100), employment_end=employment_end)
    )
    assert deadlines[ref].state == expected_state
    assert deadlines[ref].due is not None  # the date is still shown


# --- Recurring evaluations (RI-1) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "today", "expected_weeks"),
    [
        pytest.param([Period(MON)], MON - D(days=1), [14], id="before-the-start-only-the-first"),
        pytest.param([Period(MON)], MON + D(days=97), [14], id="due-today-only-the-first"),
        pytest.param([Period(MON)], MON + D(days=98), [14, 20], id="first-overdue-plus-next"),
        pytest.param([Period(MON)], MON + D(days=199), [14, 20, 26, 32], id="sick-day-200"),
        pytest.param(
            [Period(MON)],
            MON + D(days=2000),
            list(range(14, 104 + 1, 6)),
            id="long-after-week-104-none-past-it",
        ),
        pytest.param(
            [Period(MON, MON + D(days=99))], MON + D(days=400), [14, 20], id="closed-after-day-100"
        ),
    ],
)
def test_evaluations_while_nothing_is_recorded(periods, today, expected_weeks):
    """RI-1: with no plan and no evaluation recorded, the plan is due at the end of week 8 and
    each evaluation 6 weeks after the previous due date (weeks 14, 20, ...), listed up to the
    first one not yet overdue, never past week 104; one after a closed case is not applicable."""
    evaluations = [d for d in compute_deadlines(periods, today=today) if d.key == "evaluatie_plan"]
    assert [d.week for d in evaluations] == expected_weeks
    assert [d.occurrence for d in evaluations] == list(range(1, len(expected_weeks) + 1))
    last_sick_day = periods[-1].days  # None while open
    for d in evaluations:
        if last_sick_day is None or 7 * d.week <= last_sick_day:
            assert d.due == MON + D(days=7 * d.week - 1)
        else:
            assert d.due is None and d.state == "not_applicable"


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        pytest.param(
            # Plan made early, on sick day 30: the first evaluation 42 days later (sick day 72),
            # not at week 14 (sick day 98).
            {("plan_van_aanpak", 1): MON + D(days=29)},
            [MON + D(days=29 + 42), MON + D(days=29 + 42 + 42)],
            id="early-plan",
        ),
        pytest.param(
            # Plan on time (sick day 56), first evaluation done late on sick day 120: the second
            # is due 42 days after the actual evaluation, not on the grid (sick day 140).
            {("plan_van_aanpak", 1): MON + D(days=55), ("evaluatie_plan", 1): MON + D(days=119)},
            [MON + D(days=55 + 42), MON + D(days=119 + 42)],
            id="late-evaluation",
        ),
        pytest.param(
            # Evaluations done early each time: every next one counts from the actual one.
            {
                ("plan_van_aanpak", 1): MON + D(days=55),
                ("evaluatie_plan", 1): MON + D(days=80),
                ("evaluatie_plan", 2): MON + D(days=100),
            },
            [MON + D(days=55 + 42), MON + D(days=80 + 42), MON + D(days=100 + 42)],
            id="early-evaluations",
        ),
        pytest.param(
            # Plan late (sick day 70, not recorded before): the evaluation counts from the actual
            # plan.
            {("plan_van_aanpak", 1): MON + D(days=69)},
            [MON + D(days=69 + 42)],
            id="late-plan",
        ),
    ],
)
def test_evaluations_counted_from_the_actual_plan_and_each_actual_evaluation(completed, expected):
    """RI-1: the plan is evaluated at least every 6 weeks, counted from the actual plan (or its
    due date while it is not made) and then from each actual evaluation - never a fixed grid
    (Regeling procesgang art. 5: "ten minste eenmaal per zes weken")."""
    today = MON + D(days=101)
    evaluations = [
        d
        for d in compute_deadlines([Period(MON)], today=today, completed=completed)
        if d.key == "evaluatie_plan"
    ]
    assert [d.due for d in evaluations] == expected
    assert evaluations[-1].state != "done" and evaluations[-1].due >= today


def test_sixteenth_evaluation_is_at_week_104():
    """RI-1: 8 + 16 * 6 = 104 - the last evaluation falls on the end of the wachttijd."""
    evaluations = [
        d
        for d in compute_deadlines([Period(MON)], today=MON + D(days=900))
        if d.key == "evaluatie_plan"
    ]
    assert len(evaluations) == 16
    assert evaluations[-1].week == 104
    assert evaluations[-1].due == MON + D(days=728 - 1)


def test_evaluations_shift_with_samentelling():
    """RI-1/ZM-5: evaluations count sick days of the whole case; the fit days push them later."""
    periods = list(relapse_after(20))
    evaluations = [
        d
        for d in compute_deadlines(periods, today=REL20_P2 + D(days=200))
        if d.key == "evaluatie_plan"
    ]
    # Sick day 98 is the (98 - 10)th day of the relapse.
    assert evaluations[0].due == REL20_P2 + D(days=98 - 10 - 1)
    assert evaluations[1].due == REL20_P2 + D(days=140 - 10 - 1)


@pytest.mark.parametrize(
    ("done_on", "expected_due"),
    [
        pytest.param(None, MON + D(days=55), id="no-analysis-plan-shown-at-week-8"),
        pytest.param(MON + D(days=20), MON + D(days=20 + 14), id="early-analysis"),
        pytest.param(MON + D(days=41), MON + D(days=55), id="analysis-on-time-plan-week-8"),
        pytest.param(MON + D(days=69), MON + D(days=69 + 14), id="late-analysis-plan-2-weeks-on"),
    ],
)
def test_plan_van_aanpak_two_weeks_after_the_probleemanalyse(done_on, expected_due):
    """RI-1: the plan van aanpak is due 2 weeks after the probleemanalyse - also when that was
    legitimately late (Regeling procesgang art. 2 lid 3, art. 4 lid 1); while there is none, the
    end of week 8 is shown."""
    completed = {("probleemanalyse", 1): done_on} if done_on else {}
    today = MON + D(days=70)
    deadline = by_ref(compute_deadlines([Period(MON)], today=today, completed=completed))[
        ("plan_van_aanpak", 1)
    ]
    assert deadline.due == expected_due
    if done_on == MON + D(days=69):
        assert deadline.state == "due_soon"  # not overdue the moment the analysis exists


# --- Windows (RI-1) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "key", "window_start", "due"),
    [
        pytest.param(
            # Week 46 starts on sick day 45 * 7 + 1 = 316; week 52 ends on sick day 364.
            [Period(MON)],
            "eerstejaarsevaluatie",
            MON + D(days=316 - 1),
            MON + D(days=364 - 1),
            id="eerstejaarsevaluatie-weeks-46-52",
        ),
        pytest.param(
            # Week 88 starts on sick day 87 * 7 + 1 = 610; week 93 ends on sick day 651.
            [Period(MON)],
            "wia_aanvraag",
            MON + D(days=610 - 1),
            MON + D(days=651 - 1),
            id="wia-aanvraag-weeks-88-93",
        ),
        pytest.param(
            list(relapse_after(20)),
            "eerstejaarsevaluatie",
            REL20_P2 + D(days=316 - 10 - 1),
            REL20_P2 + D(days=364 - 10 - 1),
            id="eerstejaarsevaluatie-after-relapse",
        ),
        pytest.param(
            [Period(MON)], "probleemanalyse", None, MON + D(days=41), id="no-window-for-others"
        ),
    ],
)
def test_windows(periods, key, window_start, due):
    """RI-1: eerstejaarsevaluatie between weeks 46 and 52; WIA-aanvraag from UWV's letter in
    week 88, at the latest in week 93."""
    deadline = by_ref(compute_deadlines(periods, today=MON))[(key, 1)]
    assert deadline.window_start == window_start
    assert deadline.due == due


# --- The table is data, and the single source (RI-1) ----------------------------------------


@pytest.mark.parametrize(
    ("key", "week", "window_start_week", "responsible", "rule", "completion"),
    [
        pytest.param("ziekmelding_arbodienst", 1, None, "werkgever", "RI-1", "step", id="zm"),
        pytest.param("probleemanalyse", 6, None, "bedrijfsarts", "RI-1", "document", id="pa"),
        pytest.param("plan_van_aanpak", 8, None, "werkgever en werknemer", "RI-1", "document"),
        pytest.param("evaluatie_plan", None, None, "werkgever en werknemer", "RI-1", "document"),
        pytest.param("melding_42e_week", 42, None, "werkgever", "RI-1", "step", id="42e-week"),
        pytest.param("eerstejaarsevaluatie", 52, 46, "werkgever en werknemer", "RI-1", "document"),
        pytest.param("besluit_spoor_2", 52, 46, "werkgever", "RI-1", "step", id="spoor-2"),
        pytest.param("actueel_oordeel", 91, None, "bedrijfsarts", "RI-1", "document"),
        pytest.param("eindevaluatie", 91, None, "werkgever en werknemer", "RI-1", "document"),
        pytest.param("kopie_werknemer", 91, None, "werkgever", "RI-1", "step", id="kopie"),
        pytest.param("wia_aanvraag", 93, 88, "werkgever en werknemer", "RI-1", "step", id="wia"),
        pytest.param("einde_wachttijd", 104, None, "werkgever", "RI-1", "", id="einde"),
        pytest.param("vangnet_ziekmelding_uwv", None, None, "werkgever", "RI-11", "step"),
        pytest.param("ziek_uit_dienst", None, None, "werkgever", "RI-11", "step"),
        pytest.param("hersteldmelding_uwv", None, None, "werkgever", "RI-11", "step"),
    ],
)
def test_shipped_table_states_the_law(key, week, window_start_week, responsible, rule, completion):
    """RI-1, RI-11: the shipped table carries the weeks of the Regeling procesgang and the
    reports UWV requires, each with who completes it and how: a doctor's or a jointly made
    document by recording it, an employer's step with its proof."""
    row = next(r for r in load_table() if r.key == key)
    assert row.week == week
    assert row.window_start_week == window_start_week
    assert row.responsible == responsible
    assert row.rule == rule
    assert row.source and row.label
    assert (row.completion or "") == completion
    assert bool(row.proof) == (completion == "step")
    assert bool(row.document) == (completion == "document")
    if responsible == "bedrijfsarts":
        assert completion == "document"  # the doctor's step is the doctor's record


def test_shipped_table_row_kinds():
    """RI-1, RI-11: evaluations recur every 6 weeks after the plan up to the einde wachttijd; the
    plan follows the probleemanalyse by 2 weeks; the 42nd-week report on the first working day
    after; the Ziektewet reports on sick day 4, on the last day of employment and 2 days after
    recovery; the einde wachttijd moves with a loonsanctie or extension."""
    rows = {r.key: r for r in load_table()}
    evaluatie = rows["evaluatie_plan"]
    assert (evaluatie.after, evaluatie.every_weeks, evaluatie.until) == (
        "plan_van_aanpak",
        6,
        "einde_wachttijd",
    )
    assert rows["plan_van_aanpak"].after_completion == ("probleemanalyse", 2)
    assert rows["melding_42e_week"].adjustment == "first_working_day_after"
    assert (rows["vangnet_ziekmelding_uwv"].day, rows["vangnet_ziekmelding_uwv"].applies_if) == (
        4,
        "vangnet",
    )
    assert rows["ziek_uit_dienst"].on == "employment_end"
    assert (rows["hersteldmelding_uwv"].on, rows["hersteldmelding_uwv"].days) == ("recovery", 2)
    assert rows["einde_wachttijd"].informational and rows["einde_wachttijd"].moved_by_extensions
    assert (
        "loonsanctie" in rows["einde_wachttijd"].note and "52 weken" in rows["einde_wachttijd"].note
    )
    assert load_table(DEFAULT_TABLE_PATH) is load_table()  # cached, one source


def _edited_copy(tmp_path, old: str, new: str):
    text = DEFAULT_TABLE_PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    copy = tmp_path / "poortwachter.toml"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return load_table(copy)


def test_a_change_in_the_law_is_a_change_in_the_table(tmp_path):
    """RI-1: move the probleemanalyse to week 7 in a copy of the table; the engine follows, and
    the shipped table is untouched."""
    table = _edited_copy(
        tmp_path,
        'key = "probleemanalyse"\nlabel = "probleemanalyse"\nweek = 6\n',
        'key = "probleemanalyse"\nlabel = "probleemanalyse"\nweek = 7\n',
    )
    assert due_of([Period(MON)], "probleemanalyse", table=table) == MON + D(days=7 * 7 - 1)
    assert due_of([Period(MON)], "probleemanalyse") == MON + D(days=6 * 7 - 1)
    assert week_label("probleemanalyse", table=table) == "week 7 — probleemanalyse"


def test_evaluation_interval_comes_from_the_table(tmp_path):
    """RI-1: evaluations every 4 weeks instead of 6 in a copy: weeks 12, 16, ..."""
    table = _edited_copy(tmp_path, "every_weeks = 6\n", "every_weeks = 4\n")
    evaluations = [
        d
        for d in compute_deadlines([Period(MON)], today=MON + D(days=100), table=table)
        if d.key == "evaluatie_plan"
    ]
    # Sick day 101: weeks 12 (day 84) and 16 (day 112) -> 12 reached, 16 is the next.
    assert [d.week for d in evaluations] == [12, 16]
    assert evaluations[0].due == MON + D(days=12 * 7 - 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("week = 6\n", "week = 6\nweeks = 6\n", id="unknown-field"),
        pytest.param("week = 6\n", "", id="missing-week"),
        pytest.param("week = 6\n", "week = 0\n", id="week-zero"),
        pytest.param('after = "plan_van_aanpak"', 'after = "plan"', id="after-unknown-row"),
        pytest.param("window_start_week = 46", "window_start_week = 53", id="window-after-due"),
        pytest.param(
            'adjustment = "first_working_day_after"',
            'adjustment = "next_monday"',
            id="unknown-adjustment",
        ),
        pytest.param('key = "wia_aanvraag"', 'key = "eerstejaarsevaluatie"', id="duplicate-key"),
        pytest.param("every_weeks = 6\n", "", id="recurring-row-incomplete"),
        pytest.param('until = "einde_wachttijd"', 'until = "evaluatie_plan"', id="until-recurring"),
        pytest.param('on = "employment_end"', 'on = "birthday"', id="unknown-fact"),
        pytest.param(
            'applies_if = "vangnet"\ncompletion', 'applies_if = "x"\ncompletion', id="cond"
        ),
        pytest.param(
            'completion = "document"\ndocument = "de probleemanalyse',
            'completion = "document"\nnote = "de probleemanalyse',
            id="document-unnamed",
        ),
        pytest.param('proof = "UWV-kenmerk van de aanvraag"\n', "", id="step-without-proof"),
        pytest.param("informational = true\n", "", id="neither-informational-nor-completed"),
        pytest.param("day = 4\n", "day = 4\nweek = 1\n", id="two-ways-of-being-due"),
    ],
)
def test_malformed_table_is_refused(tmp_path, old, new):
    """RI-1: a mistake in the table stops the engine instead of silently dropping a deadline."""
    text = DEFAULT_TABLE_PATH.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / "poortwachter.toml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TableError):
        load_table(copy)


# --- Presentation (DESIGN.md) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        pytest.param("probleemanalyse", "week 6 — probleemanalyse", id="key"),
        pytest.param("ziekmelding_arbodienst", "week 1 — ziekmelding aan arbodienst", id="week-1"),
        pytest.param(
            "eerstejaarsevaluatie", "week 46–52 — eerstejaarsevaluatie", id="window-as-range"
        ),
        pytest.param("evaluatie_plan", "evaluatie plan van aanpak", id="recurring-key-no-week"),
        pytest.param(
            "vangnet_ziekmelding_uwv", "dag 4 — ziekmelding Ziektewet (vangnet) aan UWV", id="day"
        ),
        pytest.param("ziek_uit_dienst", "ziek-uit-dienstmelding aan UWV", id="fact"),
    ],
)
def test_week_label_for_key(subject, expected):
    """RI-1: Poortwachter moments are named by their week."""
    assert week_label(subject) == expected


def test_week_label_for_a_deadline_occurrence():
    """RI-1: an evaluation occurrence carries its own week."""
    third = by_ref(compute_deadlines([Period(MON)], today=MON + D(days=200)))[("evaluatie_plan", 3)]
    assert week_label(third) == "week 26 — evaluatie plan van aanpak"
    assert week_label(replace(third, week=32)) == "week 32 — evaluatie plan van aanpak"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 1, 5), "05-01-2026", id="padded"),
        pytest.param(date(2025, 12, 29), "29-12-2025", id="two-digit"),
    ],
)
def test_format_date(day, expected):
    """Dates are shown as dd-mm-jjjj."""
    assert format_date(day) == expected
