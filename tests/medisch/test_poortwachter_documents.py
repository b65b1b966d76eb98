"""RI-1, ZM-5, MD-5: the doctor's Poortwachter steps are completed by the doctor's record, never by
an employer button; the doctor's yes/no on the cause of sickness around a Wazo leave joins or
splits the periods into cases, and the employer learns only whether they are joined."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from medisch.actions import dossier as dossier_actions
from medisch.actions.reintegratie import record_probleemanalyse, record_wazo_oordeel
from medisch.models import WazoOordeel
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.deadlines import deadlines_for
from verzuim.models import DeadlineCompletion, Ziekmelding

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

ADVICE = {
    "limitations": "Niet tillen boven 10 kg",
    "capabilities": "Bureauwerk 4 uur per dag",
    "expected_duration": "middel",
    "incapacity_percentage": 50,
    "adjustments": "",
}


def _today():
    return timezone.localdate()


@pytest.fixture
def dossier(doctor, patient):
    return dossier_actions.open_dossier(by=doctor, werknemer=patient)


def _row(page, label):
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if label in r]
    assert len(rows) == 1, rows
    return rows[0]


def _state(zm, key):
    return next(d for d in deadlines_for(zm) if d.key == key)


# --- RI-1: the doctor's steps ----------------------------------------------------------------


def test_ri1_employer_page_has_no_button_for_the_doctors_steps(hr, case, verified_client):
    """RI-1: the employer's case page offers no "Afronden" for the probleemanalyse or the actueel
    oordeel - it says which record of the bedrijfsarts completes them - and no complete page
    exists for them."""
    client = verified_client(hr)
    page = client.get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    analyse = _row(page, "week 6 — probleemanalyse")
    assert "wordt afgerond door de probleemanalyse van de bedrijfsarts" in analyse
    assert "Afronden" not in analyse and "/afgerond/" not in analyse
    oordeel = _row(page, "week 91 — actueel oordeel bedrijfsarts")
    assert "wordt afgerond door het actueel oordeel van de bedrijfsarts" in oordeel
    assert "Afronden" not in oordeel and "/afgerond/" not in oordeel
    # A step row, by contrast, has its button.
    assert "Afronden" in _row(page, "42e-weekmelding aan UWV")
    for key in ("probleemanalyse", "actueel_oordeel"):
        url = f"/verzuim/meldingen/{case.pk}/termijnen/{key}/1/afgerond/"
        assert client.get(url).status_code == 404


def test_ri1_the_doctors_probleemanalyse_completes_the_step_with_its_date(
    doctor, dossier, hr, case, verified_client
):
    """RI-1: recording the probleemanalyse (medical module) marks the step done, dated the day of
    the probleemanalyse, by the doctor; the employer's page then shows it done without the
    "wordt afgerond door" text; the plan is due 2 weeks after it."""
    made_on = _today() - timedelta(days=2)
    record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=made_on,
        medical_part="Medisch deel.",
        release=True,
        **ADVICE,
    )
    completion = DeadlineCompletion.objects.get(case_id=case.case_id, key="probleemanalyse")
    assert completion.completed_on == made_on and completion.completed_by == doctor
    assert _state(case, "probleemanalyse").state == "done"
    assert _state(case, "plan_van_aanpak").due == made_on + timedelta(weeks=2)
    case.refresh_from_db()
    assert (case.next_deadline_key, case.next_deadline_on) == (
        "plan_van_aanpak",
        made_on + timedelta(weeks=2),
    )
    page = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    analyse = _row(page, "week 6 — probleemanalyse")
    assert 'state-done">afgerond' in analyse and "wordt afgerond door" not in analyse
    assert "Ongedaan maken" not in analyse  # the employer cannot undo the doctor's record
    with pytest.raises(ValidationError):
        termijnen.undo_completion(
            by=hr, ziekmelding=case, key="probleemanalyse", occurrence=1, reason="Fout."
        )
    assert DeadlineCompletion.objects.get(key="probleemanalyse").undone_at is None


def test_ri1_an_advice_of_kind_actueel_oordeel_completes_the_actueel_oordeel(
    doctor, dossier, case, hr, verified_client
):
    """RI-1, week 91: the doctor's advice of kind "actueel oordeel" completes that step; an
    ordinary advice does not."""
    dossier_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        date=_today() - timedelta(days=3),
        **ADVICE,
    )
    assert not DeadlineCompletion.objects.filter(key="actueel_oordeel").exists()
    dossier_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        kind="actueel_oordeel",
        date=_today() - timedelta(days=1),
        **ADVICE,
    )
    completion = DeadlineCompletion.objects.get(case_id=case.case_id, key="actueel_oordeel")
    assert completion.completed_on == _today() - timedelta(days=1)
    assert completion.completed_by == doctor
    assert _state(case, "actueel_oordeel").state == "done"
    # A second actueel oordeel leaves the completed step as it is.
    dossier_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        kind="actueel_oordeel",
        date=_today(),
        **ADVICE,
    )
    assert DeadlineCompletion.objects.filter(key="actueel_oordeel").count() == 1
    page = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert 'state-done">afgerond' in _row(page, "actueel oordeel bedrijfsarts")


# --- ZM-5: Wazo leave and the doctor's same-cause yes/no -------------------------------------


@pytest.fixture
def around_leave(hr, patient):
    """A period ending the day before a 16-week leave and one starting the day after it, joined
    (the doctor has not decided): (before, after, verlof)."""
    today = _today()
    before = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=patient, first_day=today - timedelta(days=200), **ZM_DATA
    )
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=before, kind="volledig", date=today - timedelta(days=150)
    )
    before.refresh_from_db()
    verlof = termijnen.record_verlof(
        by=hr,
        werknemer=patient,
        start=before.recovered_on,  # the last sick day is the day before the leave
        end=today - timedelta(days=39),
    )
    after = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=patient, first_day=verlof.end + timedelta(days=1), **ZM_DATA
    )
    assert after.case_id == before.case_id  # samentelling, undecided = joined
    return before, after, verlof


def _fresh(*zms):
    return [Ziekmelding.objects.get(pk=zm.pk) for zm in zms]


def test_zm5_doctor_says_the_cause_differs_the_periods_become_two_cases(
    doctor, dossier, hr, around_leave, verified_client
):
    """ZM-5: the doctor's "different cause" splits the periods: the later one gets its own case,
    its clock restarts, and the next deadline of both cases is refreshed; the employer's page
    says only "wordt niet samengeteld"."""
    before, after, verlof = around_leave
    joined = _fresh(after)[0]
    # Joined: the probleemanalyse (sick day 42) fell in the first period, long overdue.
    assert (joined.next_deadline_key, joined.next_deadline_on) == (
        "probleemanalyse",
        before.first_day + timedelta(days=41),
    )

    record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=False, date=_today()
    )

    before, after = _fresh(before, after)
    assert after.case_id != before.case_id
    assert Ziekmelding.objects.filter(case_id=before.case_id).count() == 1
    # The later case starts its own clock: sick day 42 counted from its first day.
    assert (after.next_deadline_key, after.next_deadline_on) == (
        "probleemanalyse",
        after.first_day + timedelta(days=41),
    )
    assert _state(after, "melding_42e_week").due > after.first_day + timedelta(days=292)
    # The earlier case has ended (no vangnet): nothing more is asked.
    assert before.next_deadline_on is None and before.next_deadline_key == ""
    # Filing the later period was its report to the arbodienst: not overdue in its own case.
    assert _state(after, "ziekmelding_arbodienst").state == "done"

    page = verified_client(hr).get(f"/verzuim/meldingen/{after.pk}/").content.decode()
    assert "wordt niet samengeteld (oordeel bedrijfsarts)" in page
    assert "samengeteld met" not in page
    for word in ("oorzaak", "zelfde", "reden"):
        assert word not in page.lower()


def test_zm5_doctor_same_cause_keeps_or_rejoins_the_periods(
    doctor, dossier, hr, around_leave, verified_client
):
    """ZM-5: "same cause" keeps the periods joined; after a "different cause", a corrected "same
    cause" joins them again under the first period's case."""
    before, after, verlof = around_leave
    record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=True, date=_today()
    )
    assert _fresh(after)[0].case_id == before.case_id
    record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=False, date=_today()
    )
    assert _fresh(after)[0].case_id != before.case_id
    record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=True, date=_today()
    )
    before, after = _fresh(before, after)
    assert after.case_id == before.case_id
    assert WazoOordeel.objects.count() == 1  # one judgement per leave, corrected in place
    assert (after.next_deadline_key, after.next_deadline_on) == (
        "probleemanalyse",
        before.first_day + timedelta(days=41),
    )
    assert before.next_deadline_on is None
    page = verified_client(hr).get(f"/verzuim/meldingen/{after.pk}/").content.decode()
    assert "wordt samengeteld" in page and "wordt niet samengeteld" not in page


def test_zm5_doctors_page_records_the_yes_no(doctor, dossier, around_leave, verified_client):
    """ZM-5 through the doctor's page: "nee" splits, "ja" joins, anything else changes nothing."""
    before, after, verlof = around_leave
    client = verified_client(doctor)
    url = f"/medisch/dossiers/{dossier.pk}/verlof/{verlof.pk}/oordeel/"
    assert client.post(url, {"same_cause": "misschien"}).status_code == 302
    assert not WazoOordeel.objects.exists()
    assert client.post(url, {"same_cause": "nee"}).status_code == 302
    assert _fresh(after)[0].case_id != before.case_id
    assert client.post(url, {"same_cause": "ja"}).status_code == 302
    assert _fresh(after)[0].case_id == before.case_id


def test_zm5_the_employer_cannot_give_the_doctors_judgement(
    hr, dossier, around_leave, verified_client
):
    """ZM-5, MD-2: the same-cause yes/no is the doctor's - the employer's call of the action is
    refused and the doctor's URL answers 403/404; the periods stay joined."""
    before, after, verlof = around_leave
    with pytest.raises(PermissionDenied):
        record_wazo_oordeel(
            by=hr, dossier=dossier, verlof_id=verlof.pk, same_cause=False, date=_today()
        )
    response = verified_client(hr).post(
        f"/medisch/dossiers/{dossier.pk}/verlof/{verlof.pk}/oordeel/", {"same_cause": "nee"}
    )
    assert response.status_code in (403, 404)
    assert not WazoOordeel.objects.exists()
    assert _fresh(after)[0].case_id == before.case_id


def test_zm5_a_leave_of_another_employee_is_refused(doctor, dossier, hr, employer):
    """ZM-5: the doctor judges only a leave of the dossier's own employee."""
    from tests.verzuim.factories import WerknemerFactory

    other = WerknemerFactory(organisation=employer)
    verlof = termijnen.record_verlof(
        by=hr, werknemer=other, start=_today() - timedelta(days=10), end=_today()
    )
    with pytest.raises(ValidationError) as error:
        record_wazo_oordeel(
            by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=False, date=_today()
        )
    assert "verlof" in error.value.message_dict
    assert not WazoOordeel.objects.exists()
