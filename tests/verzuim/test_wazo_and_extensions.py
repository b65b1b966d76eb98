"""ZM-5 and RI-1 on the employer side: "hersteld in aangepast of passend werk" keeps the case and
its clock running; Wazo leave joins the periods around it (samentelling) while the doctor has not
split them (the doctor's part: tests/medisch/test_poortwachter_documents.py); a loonsanctie or a
voluntary extension moves the einde wachttijd."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.deadlines import deadlines_for
from verzuim.models import Verlof, WachttijdVerlenging, Ziekmelding

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _file(hr, werknemer, first_day, **overrides):
    return ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=first_day, **{**ZM_DATA, **overrides}
    )


def _due(zm, key, occurrence=1):
    return next(d for d in deadlines_for(zm) if (d.key, d.occurrence) == (key, occurrence))


# --- ZM-5: hersteld in aangepast of passend werk ---------------------------------------------


def test_zm5_adapted_work_keeps_the_case_open_and_the_clock_running(hr, werknemer):
    """ZM-5: working all hours in adapted work is not recovery - the case stays open
    (recovered_on None, adapted_work_since set) and every deadline keeps running: the einde
    wachttijd stays at sick day 728 and the next deadline does not move."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=30))
    before = (zm.next_deadline_key, zm.next_deadline_on)
    assert before == ("probleemanalyse", zm.first_day + timedelta(days=41))

    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=zm, kind="aangepast_werk", date=TODAY - timedelta(days=5)
    )

    zm.refresh_from_db()
    assert zm.is_open and zm.recovered_on is None
    assert zm.adapted_work_since == TODAY - timedelta(days=5)
    assert (zm.next_deadline_key, zm.next_deadline_on) == before
    assert _due(zm, "einde_wachttijd").due == zm.first_day + timedelta(days=727)
    assert _due(zm, "melding_42e_week").state == "open"
    assert zm.herstelmeldingen.get().kind == "aangepast_werk"
    # A later full recovery closes the case.
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=TODAY)
    zm.refresh_from_db()
    assert not zm.is_open and zm.recovered_on == TODAY
    assert zm.next_deadline_on is None
    assert _due(zm, "einde_wachttijd").state == "not_applicable"


def test_zm5_adapted_work_through_the_herstel_page(hr, werknemer, verified_client):
    """ZM-5 on the page: the herstel form offers the kind; the case page then reads "hersteld in
    aangepast of passend werk" and still offers "Herstel melden"."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=30))
    client = verified_client(hr)
    form = client.get(f"/verzuim/meldingen/{zm.pk}/herstel/").content.decode()
    assert 'value="aangepast_werk"' in form
    response = client.post(
        f"/verzuim/meldingen/{zm.pk}/herstel/",
        {"kind": "aangepast_werk", "date": (TODAY - timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 302
    zm.refresh_from_db()
    assert zm.is_open and zm.adapted_work_since == TODAY - timedelta(days=2)
    page = client.get(f"/verzuim/meldingen/{zm.pk}/").content.decode()
    assert "hersteld in aangepast of passend werk per 21-11-2026" in page
    assert f"/verzuim/meldingen/{zm.pk}/herstel/" in page
    # A later full recovery through the same form closes it.
    response = client.post(
        f"/verzuim/meldingen/{zm.pk}/herstel/", {"kind": "volledig", "date": TODAY.isoformat()}
    )
    assert response.status_code == 302
    zm.refresh_from_db()
    assert zm.recovered_on == TODAY and not zm.is_open
    page = client.get(f"/verzuim/meldingen/{zm.pk}/").content.decode()
    assert "hersteld</span> per 23-11-2026" in page


def test_zm5_partial_recovery_after_adapted_work_shows_the_new_percentage(
    hr, werknemer, verified_client
):
    """ZM-5: after adapted work, a partial recovery report (sick again for part of the hours)
    is what the case page shows - the new percentage, not "hersteld in aangepast werk"."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=30))
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=zm, kind="aangepast_werk", date=TODAY - timedelta(days=10)
    )
    ziekmelding_actions.record_herstel(
        by=hr,
        ziekmelding=zm,
        kind="gedeeltelijk",
        date=TODAY - timedelta(days=2),
        absence_percentage=40,
    )
    zm.refresh_from_db()
    assert zm.is_open and zm.percentage == 40
    page = verified_client(hr).get(f"/verzuim/meldingen/{zm.pk}/").content.decode()
    assert "40% verzuim sinds" in page
    assert "hersteld in aangepast of passend werk per" not in page


# --- ZM-5: Wazo leave (employer side) --------------------------------------------------------


@pytest.fixture
def before_leave(hr, werknemer):
    """A sick period that ended (full recovery) the day the leave starts."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=200))
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=zm, kind="volledig", date=TODAY - timedelta(days=150)
    )
    zm.refresh_from_db()
    return zm


LEAVE_START = TODAY - timedelta(days=150)
LEAVE_END = TODAY - timedelta(days=39)  # 16 weeks: far more than 28 days


def test_zm5_sickness_directly_around_wazo_leave_is_one_case(hr, werknemer, before_leave):
    """ZM-5: a period ending the day before the leave and one starting the day after it are one
    case (the doctor has not said the cause differs); the leave days are not sick days."""
    termijnen.record_verlof(by=hr, werknemer=werknemer, start=LEAVE_START, end=LEAVE_END)
    after = _file(hr, werknemer, LEAVE_END + timedelta(days=1))
    assert after.case_id == before_leave.case_id
    # 50 sick days before the leave: sick day 51 is the first day after it, so the 42nd-week
    # report (sick day 294) is due 243 sick days later, not counting the 112 leave days.
    forty_two = _due(after, "melding_42e_week").due
    assert forty_two >= after.first_day + timedelta(days=243)
    assert forty_two <= after.first_day + timedelta(days=247)  # the working-day adjustment
    # The case's next deadline lives on its latest period, the earlier one carries none.
    before_leave.refresh_from_db()
    after.refresh_from_db()
    assert before_leave.next_deadline_on is None
    assert after.next_deadline_key == "probleemanalyse"  # long overdue: sick day 42 was before
    assert after.next_deadline_on == before_leave.first_day + timedelta(days=41)


def test_zm5_without_the_leave_the_periods_are_separate_cases(hr, werknemer, before_leave):
    """ZM-5 control: the same dates without a recorded leave are 111 healthy days apart."""
    after = _file(hr, werknemer, LEAVE_END + timedelta(days=1))
    assert after.case_id != before_leave.case_id


def test_zm5_leave_recorded_after_the_second_report_rechains(
    hr, werknemer, before_leave, verified_client
):
    """ZM-5: recording the leave after both periods are filed joins them at once (rechain), and
    the employer's page says only that they are added together."""
    after = _file(hr, werknemer, LEAVE_END + timedelta(days=1))
    assert after.case_id != before_leave.case_id
    client = verified_client(hr)
    response = client.post(
        f"/verzuim/meldingen/{after.pk}/verlof/",
        {"start": LEAVE_START.isoformat(), "end": LEAVE_END.isoformat()},
    )
    assert response.status_code == 302
    after.refresh_from_db()
    assert after.case_id == before_leave.case_id
    page = client.get(f"/verzuim/meldingen/{after.pk}/").content.decode()
    assert "wordt samengeteld" in page and "wordt niet samengeteld" not in page
    assert "samengeteld met 1 eerdere periode" in page


def test_zm5_leave_validation(hr, werknemer, make_user, other_employer):
    """ZM-5: a leave ending before it starts or overlapping another is refused; only the
    employer of the employee records it."""
    with pytest.raises(ValidationError) as error:
        termijnen.record_verlof(by=hr, werknemer=werknemer, start=TODAY, end=TODAY - timedelta(1))
    assert "end" in error.value.message_dict
    termijnen.record_verlof(by=hr, werknemer=werknemer, start=LEAVE_START, end=LEAVE_END)
    with pytest.raises(ValidationError) as error:
        termijnen.record_verlof(
            by=hr, werknemer=werknemer, start=LEAVE_END, end=LEAVE_END + timedelta(days=3)
        )
    assert "start" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        termijnen.record_verlof(
            by=make_user(Role.HR, organisation=other_employer),
            werknemer=werknemer,
            start=TODAY,
            end=TODAY,
        )
    assert Verlof.objects.count() == 1


# --- RI-1: loonsanctie and voluntary extension -----------------------------------------------


@pytest.fixture
def case(hr, werknemer):
    return _file(hr, werknemer, TODAY - timedelta(days=30))


def _extension(hr, case, **overrides):
    end_of_waiting = case.first_day + timedelta(days=727)
    kwargs = {
        "kind": "loonsanctie",
        "decided_on": TODAY,
        "start": end_of_waiting + timedelta(days=1),
        "end": end_of_waiting + timedelta(days=364),
        "reference": "UWV-LS-2026-1",
        **overrides,
    }
    return termijnen.record_verlenging(by=hr, ziekmelding=case, **kwargs)


def test_ri1_loonsanctie_moves_the_einde_wachttijd_to_its_end(hr, case):
    """RI-1: a loonsanctie of exactly 52 weeks is accepted and moves the einde wachttijd to its
    last day; the WIA application is not moved by it."""
    wia_before = _due(case, "wia_aanvraag").due
    ext = _extension(hr, case)
    assert _due(case, "einde_wachttijd").due == ext.end
    assert _due(case, "wia_aanvraag").due == wia_before


def test_ri1_voluntary_extension_moves_einde_wachttijd_and_the_wia_application(hr, case):
    """RI-1: a voluntary extension moves the einde wachttijd and the WIA application to at the
    latest 11 weeks before the extended end (art. 64 lid 3 WIA)."""
    ext = _extension(hr, case, kind="verlenging", reference="afspraak 12-11-2026")
    assert _due(case, "einde_wachttijd").due == ext.end
    assert _due(case, "wia_aanvraag").due == ext.end - timedelta(weeks=11)


EINDE = TODAY - timedelta(days=30) + timedelta(days=727)  # the case fixture's sick day 728


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"end": EINDE + timedelta(days=365)}, "end"),  # 52 weeks and a day
        ({"end": EINDE}, "end"),  # before its start
        ({"reference": "  "}, "reference"),
        ({"decided_on": TODAY + timedelta(days=1)}, "decided_on"),
        ({"reference": "ivm hernia"}, "reference"),  # ZM-3
    ],
    ids=["loonsanctie-over-52-weeks", "end-before-start", "no-reference", "future-decision", "zm3"],
)
def test_ri1_extension_refused_at_the_field(hr, case, overrides, field):
    """RI-1: a loonsanctie lasts at most 52 weeks; a reference is required; the decision is not in
    the future - each refused at its field, nothing stored, the einde wachttijd unchanged."""
    assert _due(case, "einde_wachttijd").due == EINDE
    with pytest.raises(ValidationError) as error:
        _extension(hr, case, **overrides)
    assert field in error.value.message_dict
    assert not WachttijdVerlenging.objects.exists()
    assert _due(case, "einde_wachttijd").due == EINDE


def test_ri1_voluntary_extension_may_last_longer_than_52_weeks(hr, case):
    """RI-1: the 52-week limit is the loonsanctie's; a voluntary extension is agreed freely."""
    ext = _extension(hr, case, kind="verlenging", end=date(2030, 1, 31))
    assert _due(case, "einde_wachttijd").due == ext.end


def test_ri1_extension_through_the_page(hr, case, verified_client):
    """RI-1 on the page: the form records a loonsanctie; the case page lists it and the moved
    einde wachttijd; a loonsanctie over 52 weeks comes back with the error at its field."""
    client = verified_client(hr)
    url = f"/verzuim/meldingen/{case.pk}/verlenging/"
    assert client.get(url).status_code == 200
    post = {
        "kind": "loonsanctie",
        "decided_on": TODAY.isoformat(),
        "start": (EINDE + timedelta(days=1)).isoformat(),
        "end": (EINDE + timedelta(days=365)).isoformat(),  # 52 weeks and a day
        "reference": "UWV-LS-9",
    }
    refused = client.post(url, post)
    assert refused.status_code == 200
    assert "52 weken" in refused.content.decode() and "UWV-LS-9" in refused.content.decode()
    assert not WachttijdVerlenging.objects.exists()
    last = EINDE + timedelta(days=364)
    done = client.post(url, {**post, "end": last.isoformat()})
    assert done.status_code == 302
    assert _due(case, "einde_wachttijd").due == last
    page = client.get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert "kenmerk UWV-LS-9" in page and last.strftime("%d-%m-%Y") in page


def test_ri1_extension_is_per_case_and_refreshes_every_period(hr, werknemer):
    """RI-1 + ZM-5: the extension belongs to the case (case_id), so it holds for a later period
    joined by samentelling; the stored next deadline is on the latest period only."""
    first = _file(hr, werknemer, TODAY - timedelta(days=40))
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=first, kind="volledig", date=TODAY - timedelta(days=20)
    )
    second = _file(hr, werknemer, TODAY - timedelta(days=10))
    assert second.case_id == first.case_id
    ext = _extension(hr, first, kind="verlenging", end=date(2030, 6, 30))
    assert _due(second, "einde_wachttijd").due == ext.end
    assert Ziekmelding.objects.get(pk=first.pk).next_deadline_on is None
    assert Ziekmelding.objects.get(pk=second.pk).next_deadline_on is not None
