"""RI-1: the plan van aanpak and its evaluations complete their Poortwachter steps through the
real actions; evaluations are counted from the actual plan and each actual evaluation, never from
a fixed grid; the eerstejaars- and eindevaluatie complete their own steps."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from reintegratie.actions import plan as plan_actions
from reintegratie.models import Evaluatie
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.deadlines import deadlines_for
from verzuim.models import DeadlineCompletion

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def case(hr, employer):
    werknemer = WerknemerFactory(organisation=employer)
    return create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=_today() - timedelta(days=20), **ZM_DATA
    )


def _plan(hr, case, drawn_up_on):
    return plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=drawn_up_on,
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Terug naar het eigen werk.",
        advies_ref=None,
    )


def _evaluate(hr, plan, case, kind, date):
    return plan_actions.record_evaluatie(
        by=hr, plan=plan, ziekmelding=case, kind=kind, date=date, outcome="Volgens plan."
    )


def _found(case):
    return {(d.key, d.occurrence): d for d in deadlines_for(case)}


def test_ri1_an_early_plan_puts_the_first_evaluation_6_weeks_after_the_plan(hr, case):
    """RI-1: a plan made early (week 2, before any probleemanalyse) completes its step on the day
    drawn up, and the first evaluation is due 42 days after it - not at a fixed week; an actual
    evaluation then puts the next one 42 days after that evaluation."""
    assert _found(case)[("evaluatie_plan", 1)].due == case.first_day + timedelta(days=55 + 42)
    drawn_up = _today() - timedelta(days=10)
    plan = _plan(hr, case, drawn_up)
    found = _found(case)
    assert found[("plan_van_aanpak", 1)].state == "done"
    assert found[("plan_van_aanpak", 1)].completed_on == drawn_up
    assert found[("evaluatie_plan", 1)].due == drawn_up + timedelta(days=42)
    case.refresh_from_db()
    # The probleemanalyse (sick day 42) is still the case's next deadline.
    assert case.next_deadline_key == "probleemanalyse"

    evaluated = _today() - timedelta(days=3)  # well before the first evaluation was due
    evaluatie = _evaluate(hr, plan, case, "periodiek", evaluated)
    assert (evaluatie.deadline_key, evaluatie.deadline_occurrence) == ("evaluatie_plan", 1)
    found = _found(case)
    assert found[("evaluatie_plan", 1)].state == "done"
    assert found[("evaluatie_plan", 1)].completed_on == evaluated
    assert found[("evaluatie_plan", 2)].due == evaluated + timedelta(days=42)


def test_ri1_eindevaluatie_and_eerstejaarsevaluatie_complete_their_own_steps(hr, case):
    """RI-1: the kind of evaluation decides the step: "eindevaluatie" completes the eindevaluatie
    (week 91), "eerstejaars" the eerstejaarsevaluatie - and each is also an evaluation of the plan,
    so the 6-weekly count runs on from it."""
    plan = _plan(hr, case, _today() - timedelta(days=10))
    _evaluate(hr, plan, case, "eindevaluatie", _today() - timedelta(days=1))
    _evaluate(hr, plan, case, "eerstejaars", _today())
    found = _found(case)
    assert found[("eindevaluatie", 1)].state == "done"
    assert found[("eindevaluatie", 1)].completed_on == _today() - timedelta(days=1)
    assert found[("eerstejaarsevaluatie", 1)].completed_on == _today()
    periodic = DeadlineCompletion.objects.filter(key="evaluatie_plan").order_by("occurrence")
    assert [(c.occurrence, c.completed_on) for c in periodic] == [
        (1, _today() - timedelta(days=1)),
        (2, _today()),
    ]
    assert found[("evaluatie_plan", 3)].due == _today() + timedelta(weeks=6)
    # A second eindevaluatie is recorded as an evaluation but completes nothing more.
    again = _evaluate(hr, plan, case, "eindevaluatie", _today())
    assert again.deadline_key == "" and again.deadline_occurrence is None
    assert DeadlineCompletion.objects.filter(key="eindevaluatie").count() == 1


def test_ri1_evaluation_before_the_plan_date_is_refused(hr, case):
    """RI-1: an evaluation of a plan cannot lie before the plan; nothing is recorded."""
    plan = _plan(hr, case, _today() - timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        _evaluate(hr, plan, case, "periodiek", _today() - timedelta(days=6))
    assert "date" in error.value.message_dict
    assert not Evaluatie.objects.exists()
    assert not DeadlineCompletion.objects.filter(key="evaluatie_plan").exists()


def test_ri1_plan_dated_before_the_case_is_refused(hr, case):
    """RI-1: the plan completes its step with the date drawn up, which cannot lie before the
    case's first sick day - refused at `drawn_up_on`, no plan stored."""
    from reintegratie.models import PlanVanAanpak

    with pytest.raises(ValidationError) as error:
        _plan(hr, case, case.first_day - timedelta(days=1))
    assert "drawn_up_on" in error.value.message_dict
    assert not PlanVanAanpak.objects.exists()
