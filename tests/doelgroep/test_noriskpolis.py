"""DG-3, DG-4: the no-riskpolis question only after more than two months of employment; the
56+/52-weeks-WW category with its 13-week waiting time, except for hires in 2018-2019."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from doelgroep.actions.noriskpolis import (
    noriskpolis_question_allowed_from,
    pays_only_after_13_weeks,
    record_noriskpolis,
)
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import NoRiskPolis


@pytest.mark.parametrize(
    ("start", "first_allowed"),
    [
        (date(2026, 1, 15), date(2026, 3, 16)),
        (date(2026, 12, 31), date(2027, 3, 1)),  # 28 Feb + 1 day
        (date(2024, 12, 31), date(2025, 3, 1)),
        (date(2023, 12, 31), date(2024, 3, 1)),  # leap year: 29 Feb + 1 day
        (date(2026, 6, 1), date(2026, 8, 2)),
    ],
)
def test_dg3_question_allowed_only_after_more_than_two_months(start, first_allowed):
    assert noriskpolis_question_allowed_from(start) == first_allowed


@pytest.mark.parametrize(
    ("category", "hired", "waits_13_weeks"),
    [
        (False, date(2016, 5, 1), False),
        (True, date(2017, 12, 31), True),
        (True, date(2018, 1, 1), False),
        (True, date(2019, 6, 30), False),
        (True, date(2019, 12, 31), False),
        (True, date(2020, 1, 1), True),
        (True, date(2025, 3, 1), True),
        (False, date(2019, 1, 1), False),
    ],
)
def test_dg3_56_plus_waiting_time_with_2018_2019_exception(category, hired, waits_13_weeks):
    assert (
        pays_only_after_13_weeks(category_56_plus_ww=category, employment_start=hired)
        == waits_13_weeks
    )


@pytest.fixture
def signed_hr(make_user):
    hr = make_user("hr")
    sign_statement(by=hr)
    return hr


@pytest.mark.django_db
@pytest.mark.parametrize(("days_employed", "allowed"), [(30, False), (61, None), (62, True)])
def test_dg3_form_refuses_earlier_with_the_date_from_which_it_may(
    signed_hr, employer, days_employed, allowed
):
    from tests.verzuim.factories import WerknemerFactory

    today = date.today()
    werknemer = WerknemerFactory(
        organisation=employer, employment_start=today - timedelta(days=days_employed)
    )
    first = noriskpolis_question_allowed_from(werknemer.employment_start)
    if allowed is None:
        allowed = today >= first
    if allowed:
        record_noriskpolis(by=signed_hr, werknemer=werknemer, asked_on=today, applies=True)
        assert NoRiskPolis.objects.get(werknemer=werknemer).applies is True
    else:
        with pytest.raises(ValidationError) as error:
            record_noriskpolis(by=signed_hr, werknemer=werknemer, asked_on=today, applies=True)
        assert f"{first:%d-%m-%Y}" in error.value.message_dict["asked_on"][0]
        assert not NoRiskPolis.objects.exists()


@pytest.mark.django_db
def test_dg4_wia_decision_only_during_employment_and_category_needs_the_polis(signed_hr, employer):
    from tests.verzuim.factories import WerknemerFactory

    werknemer = WerknemerFactory(organisation=employer, employment_start=date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        record_noriskpolis(
            by=signed_hr,
            werknemer=werknemer,
            asked_on=date(2020, 6, 1),
            applies=False,
            category_56_plus_ww=True,
            wia_decision_on=date(2019, 1, 1),
        )
    assert set(error.value.message_dict) == {"category_56_plus_ww", "wia_decision_on"}
    polis = record_noriskpolis(
        by=signed_hr,
        werknemer=werknemer,
        asked_on=date(2020, 6, 1),
        applies=True,
        category_56_plus_ww=True,
        wia_decision_on=date(2024, 2, 1),
    )
    assert polis.wia_decision_on == date(2024, 2, 1)
