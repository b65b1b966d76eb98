"""RI-1: one source for a case's next deadline. After every fact that moves it - a step done or
undone, the doctor's probleemanalyse, the plan, an evaluation, the end of employment, a
loonsanctie, recovery in adapted work, full recovery of a vangnet case (RI-11), Wazo leave with
the doctor's judgement (ZM-5) - the case page, the HR dashboard, the overview's column and its
"termijn verlopen" filter, the daily signals and the API all show the same next deadline,
recomputed from scratch by the engine, and it was stored in the same transaction as the change
(no task run in between)."""

import re
from datetime import date, timedelta

import pytest
import time_machine

from accounts.roles import Role
from medisch.actions import dossier as medisch_dossier
from medisch.actions import reintegratie as medisch_reintegratie
from reintegratie.actions import plan as plan_actions
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim import deadlines
from verzuim.actions import termijnen
from verzuim.actions import werknemer as werknemer_actions
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import DeadlineCompletion, DeadlineSignal, Ziekmelding
from verzuim.poortwachter import DUE_SOON_DAYS, format_date, week_label
from verzuim.tasks import send_deadline_signals

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS)  # assigned to `employer` (tests/conftest.py)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _latest(zm) -> Ziekmelding:
    return (
        Ziekmelding.objects.filter(case_id=Ziekmelding.objects.get(pk=zm.pk).case_id)
        .select_related("werknemer")
        .order_by("-first_day")
        .first()
    )


def assert_one_next_deadline(zm, client, api_client):
    """Every place that shows the case's next deadline shows the engine's answer."""
    latest = _latest(zm)
    chain = list(Ziekmelding.objects.filter(case_id=latest.case_id))
    expected = deadlines.next_open(deadlines.deadlines_for(latest, chain=chain), chain)
    label = week_label(expected) if expected else ""
    due = expected.due if expected else None

    # Stored on the case's latest period (written in the transaction of the change).
    assert (latest.next_deadline_on, latest.next_deadline_key, latest.next_deadline_label) == (
        due,
        expected.key if expected else "",
        label,
    )
    # The case page.
    page = _text(client.get(f"/verzuim/meldingen/{latest.pk}/").content.decode())
    shown = re.search(r"Volgende termijn: (geen|.*? — \d\d-\d\d-\d{4})", page)
    assert shown, page[:500]
    assert shown.group(1).strip() == (f"{label} — {format_date(due)}" if expected else "geen")
    # The overview's column, with every case shown.
    listing = _text(client.get("/verzuim/meldingen/?status=all").content.decode())
    if expected:
        assert f"{label} — {format_date(due)}" in listing
    # Its "termijn verlopen" filter.
    overdue = _text(client.get("/verzuim/meldingen/?status=all&deadline=overdue").content.decode())
    assert (latest.werknemer.last_name in overdue) == bool(due and due < TODAY)
    # The HR dashboard: due within 14 days or overdue.
    dashboard = _text(client.get("/").content.decode())
    listed = bool(due and due <= TODAY + timedelta(days=DUE_SOON_DAYS))
    assert (label in dashboard and format_date(due) in dashboard) == listed if due else True
    # The API: the case and its deadlines.
    body = api_client.get(f"/api/v1/ziekmeldingen/{latest.pk}/").json()
    assert (body["next_deadline_on"], body["next_deadline_key"], body["next_deadline_label"]) == (
        due.isoformat() if due else None,
        expected.key if expected else "",
        label,
    )
    listed_deadlines = api_client.get(f"/api/v1/ziekmeldingen/{latest.pk}/termijnen/").json()
    pending = [
        d
        for d in listed_deadlines
        if d["state"] in ("overdue", "due_soon", "open") and d["due"] and d["completion"]
    ]
    if latest.recovered_on is None:
        first = min(pending, key=lambda d: d["due"]) if pending else None
        assert (first["due"] if first else None) == (due.isoformat() if due else None)
    # The daily signals recompute it and agree (the stored value does not move), and signal it
    # when it is due soon or overdue.
    send_deadline_signals(TODAY.isoformat())
    again = _latest(zm)
    assert (again.next_deadline_on, again.next_deadline_key) == (
        latest.next_deadline_on,
        latest.next_deadline_key,
    )
    if expected and expected.state in ("due_soon", "overdue"):
        assert DeadlineSignal.objects.filter(
            case_id=latest.case_id, key=expected.key, occurrence=expected.occurrence
        ).exists()
    return expected


def test_ri1_every_fact_moves_the_one_next_deadline_everywhere(
    make_user, employer, verified_client, doctor
):
    """RI-1, RI-11, ZM-5: walk a vangnet case through every fact that moves its next deadline
    and check every place that shows it after each one."""
    hr = make_user(Role.HR)
    client = api = verified_client(hr)  # the API takes the verified session too
    werknemer = WerknemerFactory(organisation=employer, last_name="Volgorde")
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=TODAY - timedelta(days=50),
        **{**ZM_DATA, "vangnet": True},
    )
    # Filed 50 days in: the Ziektewet ziekmelding (sick day 4) is the oldest open step.
    first = assert_one_next_deadline(zm, client, api)
    assert (first.key, first.state) == ("vangnet_ziekmelding_uwv", "overdue")

    termijnen.complete_step(
        by=hr,
        ziekmelding=zm,
        key="vangnet_ziekmelding_uwv",
        occurrence=1,
        completed_on=TODAY - timedelta(days=47),
        proof="UWV-kenmerk ZW-1",
        confirmed=True,
    )
    assert assert_one_next_deadline(zm, client, api).key == "probleemanalyse"

    termijnen.undo_completion(
        by=hr, ziekmelding=zm, key="vangnet_ziekmelding_uwv", occurrence=1, reason="Verkeerd."
    )
    assert assert_one_next_deadline(zm, client, api).key == "vangnet_ziekmelding_uwv"
    termijnen.complete_step(
        by=hr,
        ziekmelding=zm,
        key="vangnet_ziekmelding_uwv",
        occurrence=1,
        completed_on=TODAY - timedelta(days=47),
        proof="UWV-kenmerk ZW-1",
        confirmed=True,
    )

    # The doctor's probleemanalyse, late on sick day 49: the plan is due 2 weeks after it.
    dossier = medisch_dossier.open_dossier(by=doctor, werknemer=werknemer)
    medisch_reintegratie.record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        date=TODAY - timedelta(days=2),
        medical_part="Medisch deel.",
        release=True,
        limitations="Niet tillen.",
        capabilities="Zittend werk.",
        expected_duration="middel",
        incapacity_percentage=100,
        adjustments="",
    )
    nxt = assert_one_next_deadline(zm, client, api)
    assert (nxt.key, nxt.due) == ("plan_van_aanpak", TODAY - timedelta(days=2) + timedelta(weeks=2))

    # The plan, made today: the first evaluation 6 weeks after it.
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=0,
        drawn_up_on=TODAY,
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Terug naar het eigen werk.",
        advies_ref=None,
    )
    nxt = assert_one_next_deadline(zm, client, api)
    assert (nxt.key, nxt.occurrence, nxt.due) == ("evaluatie_plan", 1, TODAY + timedelta(weeks=6))

    # An early evaluation: the next one counts from it.
    plan_actions.record_evaluatie(
        by=hr, plan=plan, ziekmelding=zm, kind="periodiek", date=TODAY, outcome="Gaat goed."
    )
    nxt = assert_one_next_deadline(zm, client, api)
    assert (nxt.key, nxt.occurrence, nxt.due) == ("evaluatie_plan", 2, TODAY + timedelta(weeks=6))

    # Employment ends in 5 days: the ziek-uit-dienstmelding on the last day comes first.
    werknemer.refresh_from_db()
    werknemer_actions.end_employment(by=hr, werknemer=werknemer, end_date=TODAY + timedelta(days=5))
    nxt = assert_one_next_deadline(zm, client, api)
    assert (nxt.key, nxt.due) == ("ziek_uit_dienst", TODAY + timedelta(days=5))
    werknemer.refresh_from_db()
    werknemer_actions.update_werknemer(
        by=hr, werknemer=werknemer, version=werknemer.version, employment_end=None
    )
    assert assert_one_next_deadline(zm, client, api).key == "evaluatie_plan"

    # A loonsanctie moves the einde wachttijd; the next deadline stays the evaluation.
    termijnen.record_verlenging(
        by=hr,
        ziekmelding=zm,
        kind="loonsanctie",
        decided_on=TODAY,
        start=TODAY,
        end=TODAY + timedelta(weeks=52) - timedelta(days=1),
        reference="UWV-beschikking 7",
    )
    assert assert_one_next_deadline(zm, client, api).key == "evaluatie_plan"

    # Recovery in adapted work keeps the clock running: nothing moves.
    zm.refresh_from_db()
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="aangepast_werk", date=TODAY)
    assert assert_one_next_deadline(zm, client, api).key == "evaluatie_plan"

    # Full recovery of a vangnet case: the hersteldmelding to UWV within 2 days (RI-11) is the
    # closed case's next deadline.
    zm.refresh_from_db()
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=TODAY)
    nxt = assert_one_next_deadline(zm, client, api)
    assert (nxt.key, nxt.due) == ("hersteldmelding_uwv", TODAY + timedelta(days=2))
    termijnen.complete_step(
        by=hr,
        ziekmelding=zm,
        key="hersteldmelding_uwv",
        occurrence=1,
        completed_on=TODAY,
        proof="UWV-kenmerk HM-1",
        confirmed=True,
    )
    assert assert_one_next_deadline(zm, client, api) is None


def test_zm5_wazo_leave_and_the_doctors_judgement_move_the_next_deadline_everywhere(
    make_user, employer, verified_client, doctor
):
    """ZM-5, RI-1: sickness directly before and after a Wazo leave is one case - its next
    deadline counts the sick days of both periods - until the doctor says the cause differs;
    then the period after the leave starts a case of its own. Everywhere agrees each time."""
    hr = make_user(Role.HR)
    client = api = verified_client(hr)  # the API takes the verified session too
    werknemer = WerknemerFactory(
        organisation=employer,
        last_name="Verlof",
        employment_start=TODAY - timedelta(days=2000),
    )
    leave_start = TODAY - timedelta(days=120)
    leave_end = TODAY - timedelta(days=11)
    before = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=leave_start - timedelta(days=30), **ZM_DATA
    )
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=before, kind="volledig", date=leave_start
    )  # last sick day: the day before the leave
    termijnen.record_verlof(by=hr, werknemer=werknemer, start=leave_start, end=leave_end)
    after = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=leave_end + timedelta(days=1), **ZM_DATA
    )
    after.refresh_from_db()
    before.refresh_from_db()
    assert after.case_id == before.case_id  # joined: 30 + 10 sick days so far
    joined = assert_one_next_deadline(after, client, api)
    # Sick day 42 (probleemanalyse) is the 12th day after the leave.
    assert (joined.key, joined.due) == ("probleemanalyse", leave_end + timedelta(days=12))
    assert "wordt samengeteld" in client.get(f"/verzuim/meldingen/{after.pk}/").content.decode()

    dossier = medisch_dossier.open_dossier(by=doctor, werknemer=werknemer)
    verlof = werknemer.verloven.get()
    medisch_reintegratie.record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=False, date=TODAY
    )
    after.refresh_from_db()
    before.refresh_from_db()
    assert after.case_id != before.case_id  # split: the period after the leave starts anew
    split = assert_one_next_deadline(after, client, api)
    # A new case from leave_end + 1: week 1 was filed, the probleemanalyse on its sick day 42.
    assert (split.key, split.due) == ("probleemanalyse", leave_end + timedelta(days=42))
    assert assert_one_next_deadline(before, client, api) is None  # closed, nothing after it
    page = client.get(f"/verzuim/meldingen/{after.pk}/").content.decode()
    assert "wordt niet samengeteld" in page

    medisch_reintegratie.record_wazo_oordeel(
        by=doctor, dossier=dossier, verlof_id=verlof.pk, same_cause=True, date=TODAY
    )
    split_case = after.case_id
    after.refresh_from_db()
    before.refresh_from_db()
    assert after.case_id == before.case_id
    rejoined = assert_one_next_deadline(after, client, api)
    assert (rejoined.key, rejoined.due) == (joined.key, joined.due)
    # RT-6: the split-off case left no records behind that no purge would reach.
    assert not DeadlineCompletion.objects.filter(case_id=split_case).exists()
    assert not DeadlineSignal.objects.filter(case_id=split_case).exists()


def test_ri11_editing_vangnet_on_the_case_moves_the_next_deadline(
    make_user, employer, verified_client
):
    """RI-11, RI-1: marking an existing case "vangnet" on its edit form adds the Ziektewet
    ziekmelding (sick day 4) - the stored next deadline follows in the same change, and the page,
    lists and API agree; unmarking it takes the report away again."""
    hr = make_user(Role.HR)
    client = api = verified_client(hr)
    werknemer = WerknemerFactory(organisation=employer, last_name="Vangnetwijziging")
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=10), **ZM_DATA
    )
    before = assert_one_next_deadline(zm, client, api)
    assert before.key != "vangnet_ziekmelding_uwv"
    zm = ziekmelding_actions.update_ziekmelding(
        by=hr, ziekmelding=zm, version=zm.version, vangnet=True
    )
    marked = assert_one_next_deadline(zm, client, api)
    assert (marked.key, marked.state) == ("vangnet_ziekmelding_uwv", "overdue")
    zm = ziekmelding_actions.update_ziekmelding(
        by=hr, ziekmelding=zm, version=zm.version, vangnet=False
    )
    assert assert_one_next_deadline(zm, client, api).key == before.key
