"""RI-1, RI-11, ZM-3: completing and undoing Poortwachter steps (verzuim.actions.termijnen) through
the action, the pages and the API; who may undo (every role, on a case with a DONE step - the
global authorization matrix only sees the undo URL with an open step); the UWV reports of RI-11
(vangnet ziekmelding, hersteldmelding, ziek uit dienst) and the one stored next deadline."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import escape

from accounts.roles import Role
from privacy.models import AuditEvent
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import termijnen
from verzuim.actions import werknemer as werknemer_actions
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.deadlines import deadlines_for, next_open
from verzuim.models import DeadlineCompletion, Ziekmelding

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)  # a Monday
FORTY_TWO = "melding_42e_week"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _file(hr, werknemer, first_day, **overrides):
    return ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=first_day, **{**ZM_DATA, **overrides}
    )


def _states(zm):
    return {(d.key, d.occurrence): d for d in deadlines_for(zm)}


def _stored(zm):
    """The case's stored next deadline (on its latest period)."""
    latest = Ziekmelding.objects.filter(case_id=zm.case_id).order_by("-first_day").first()
    return latest.next_deadline_key, latest.next_deadline_on


@pytest.fixture
def long_case(hr, werknemer):
    """Sick 290 days: the 42nd-week report is the next deadline once the probleemanalyse and the
    plan are recorded (the plan 10 days ago, so the first evaluation is 32 days away)."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=290))
    termijnen.complete_by_document(
        by=hr,
        case_id=zm.case_id,
        key="probleemanalyse",
        completed_on=zm.first_day + timedelta(days=30),
        proof="probleemanalyse van de bedrijfsarts",
    )
    termijnen.complete_by_document(
        by=hr,
        case_id=zm.case_id,
        key="plan_van_aanpak",
        completed_on=TODAY - timedelta(days=10),
        proof="plan van aanpak, versie 1",
    )
    zm.refresh_from_db()
    return zm


def _complete(hr, zm, key=FORTY_TWO, occurrence=1, **overrides):
    kwargs = {
        "completed_on": TODAY - timedelta(days=1),
        "proof": "UWV-kenmerk 2026-42-0001",
        "confirmed": True,
        **overrides,
    }
    return termijnen.complete_step(by=hr, ziekmelding=zm, key=key, occurrence=occurrence, **kwargs)


# --- RI-1: completing a step ----------------------------------------------------------------


def test_ri1_complete_step_records_date_proof_and_who_is_audited_and_moves_next_deadline(
    hr, long_case
):
    """RI-1: marking the 42nd-week report done records the date it was done, what proves it and
    who; it is audited (SE-7) and the stored next deadline moves on at once."""
    forty_two = _states(long_case)[(FORTY_TWO, 1)]
    assert forty_two.state == "due_soon"
    assert _stored(long_case) == (FORTY_TWO, forty_two.due)

    completion = _complete(hr, long_case)

    completion.refresh_from_db()
    assert completion.completed_on == TODAY - timedelta(days=1)
    assert completion.proof == "UWV-kenmerk 2026-42-0001"
    assert completion.completed_by == hr and completion.undone_at is None
    done = _states(long_case)[(FORTY_TWO, 1)]
    assert done.state == "done" and done.completed_on == TODAY - timedelta(days=1)
    event = AuditEvent.objects.get(
        object_type="verzuim.ziekmelding",
        action="update",
        detail__startswith="termijn afgerond: week 42 — 42e-weekmelding",
    )
    assert event.actor == hr.pseudonym and event.subject == long_case.werknemer.pseudonym
    assert "UWV-kenmerk" not in event.detail  # no content in the log
    # The next deadline is now the first evaluation: 6 weeks after the plan (10 days ago).
    assert _stored(long_case) == ("evaluatie_plan", TODAY + timedelta(days=32))
    assert _stored(long_case)[0] == next_open(deadlines_for(long_case)).key


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"completed_on": TODAY + timedelta(days=1)}, "completed_on"),
        ({"completed_on": TODAY - timedelta(days=291)}, "completed_on"),  # before sick day 1
        ({"completed_on": None}, "completed_on"),
        ({"proof": "   "}, "proof"),
        ({"confirmed": False}, "confirmed"),
    ],
    ids=["future", "before-first-sick-day", "no-date", "empty-proof", "not-confirmed"],
)
def test_ri1_completion_refused_at_the_field_nothing_saved(hr, long_case, overrides, field):
    """RI-1: the date is not after today and not before the case; proof and confirmation are
    required - each refusal is keyed on its own field and nothing is stored."""
    before = DeadlineCompletion.objects.count()
    with pytest.raises(ValidationError) as error:
        _complete(hr, long_case, **overrides)
    assert field in error.value.message_dict
    assert DeadlineCompletion.objects.count() == before
    assert _states(long_case)[(FORTY_TWO, 1)].state == "due_soon"


def test_ri1_first_sick_day_itself_is_a_valid_completion_date(hr, werknemer):
    """RI-1 boundary: the case's first sick day is allowed (only BEFORE the case is refused)."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=2), vangnet=True)
    _complete(hr, zm, key="vangnet_ziekmelding_uwv", completed_on=zm.first_day)
    assert _states(zm)[("vangnet_ziekmelding_uwv", 1)].completed_on == zm.first_day


def test_zm3_proof_with_a_medical_term_is_refused(hr, long_case):
    """ZM-3: the proof is free text the employer side reads - no medical terms."""
    with pytest.raises(ValidationError) as error:
        _complete(hr, long_case, proof="UWV gemeld, hernia")
    assert "proof" in error.value.message_dict
    assert not DeadlineCompletion.objects.filter(key=FORTY_TWO).exists()


@pytest.mark.parametrize(
    "key, document",
    [
        ("probleemanalyse", "de probleemanalyse van de bedrijfsarts"),
        ("plan_van_aanpak", "het plan van aanpak"),
        ("evaluatie_plan", "een evaluatie bij het plan van aanpak"),
        ("actueel_oordeel", "het actueel oordeel van de bedrijfsarts"),
    ],
)
def test_ri1_document_step_cannot_be_marked_done_by_the_employer(
    hr, werknemer, key, document, verified_client, bearer_client
):
    """RI-1: a step completed by a document (the doctor's, or the plan and its evaluations) is
    refused by complete_step with a message naming the document, has no page (404), and the
    API answers 400 with a machine-readable code and the field."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=100))
    with pytest.raises(ValidationError) as error:
        _complete(hr, zm, key=key)
    assert document in " ".join(error.value.message_dict["key"])

    client = verified_client(hr)
    url = f"/verzuim/meldingen/{zm.pk}/termijnen/{key}/1/afgerond/"
    assert client.get(url).status_code == 404
    body = {
        "completed_on": (TODAY - timedelta(days=1)).isoformat(),
        "proof": "x",
        "confirmed": "on",
    }
    assert client.post(url, body).status_code == 404

    response = bearer_client(hr).post(
        f"/api/v1/ziekmeldingen/{zm.pk}/termijnen/{key}/1/afronden/",
        {**body, "confirmed": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert document in " ".join(response.json()["fields"]["key"])
    assert not DeadlineCompletion.objects.filter(key=key).exists()


def test_ri1_ri11_step_not_applicable_is_refused(hr, werknemer, verified_client, bearer_client):
    """RI-11: the vangnet ziekmelding is not asked when no vangnet provision applies - refused by
    the action, no page, 400 from the API."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=2), vangnet=False)
    assert ("vangnet_ziekmelding_uwv", 1) not in _states(zm)
    with pytest.raises(ValidationError) as error:
        _complete(hr, zm, key="vangnet_ziekmelding_uwv", completed_on=TODAY)
    assert "niet aan de orde" in " ".join(error.value.message_dict["key"])
    url = f"/verzuim/meldingen/{zm.pk}/termijnen/vangnet_ziekmelding_uwv/1/afgerond/"
    assert verified_client(hr).get(url).status_code == 404
    response = bearer_client(hr).post(
        f"/api/v1/ziekmeldingen/{zm.pk}/termijnen/vangnet_ziekmelding_uwv/1/afronden/",
        {"completed_on": TODAY.isoformat(), "proof": "UWV-1", "confirmed": True},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not DeadlineCompletion.objects.filter(key="vangnet_ziekmelding_uwv").exists()


def test_ri1_step_already_done_is_refused(hr, long_case, verified_client):
    """RI-1: a step already done is not completed twice (action, and no page for it)."""
    _complete(hr, long_case)
    with pytest.raises(ValidationError) as error:
        _complete(hr, long_case, proof="tweede kenmerk")
    assert "al afgerond" in " ".join(error.value.message_dict["key"])
    assert DeadlineCompletion.objects.filter(key=FORTY_TWO).count() == 1
    url = f"/verzuim/meldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/afgerond/"
    assert verified_client(hr).get(url).status_code == 404
    # The filing itself completed the report to the arbodienst (RI-1 week 1).
    with pytest.raises(ValidationError):
        _complete(hr, long_case, key="ziekmelding_arbodienst")


def test_ri1_complete_step_page_flow(hr, long_case, verified_client):
    """RI-1 on the page: the form asks date, proof and confirmation; a refused save comes back
    with the typed proof; a valid one redirects to the case and the step is done."""
    client = verified_client(hr)
    url = f"/verzuim/meldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/afgerond/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="completed_on"' in html and 'name="proof"' in html and 'name="confirmed"' in html
    refused = client.post(url, {"completed_on": TODAY.isoformat(), "proof": "UWV-77"})
    assert refused.status_code == 200 and "UWV-77" in refused.content.decode()
    future = client.post(
        url,
        {
            "completed_on": (TODAY + timedelta(days=2)).isoformat(),
            "proof": "UWV-77",
            "confirmed": "on",
        },
    )
    assert future.status_code == 200 and "toekomst" in future.content.decode()
    assert not DeadlineCompletion.objects.filter(key=FORTY_TWO).exists()
    done = client.post(
        url, {"completed_on": TODAY.isoformat(), "proof": "UWV-77", "confirmed": "on"}
    )
    assert done.status_code == 302 and done.url == f"/verzuim/meldingen/{long_case.pk}/"
    completion = DeadlineCompletion.objects.get(key=FORTY_TWO)
    assert (completion.completed_on, completion.proof, completion.completed_by) == (
        TODAY,
        "UWV-77",
        hr,
    )


def test_ri1_complete_step_api_flow(hr, long_case, bearer_client):
    """RI-1 through the API: the deadlines list says how each step is completed; POST afronden
    answers the deadlines after the change."""
    client = bearer_client(hr)
    listed = {
        t["key"]: t for t in client.get(f"/api/v1/ziekmeldingen/{long_case.pk}/termijnen/").json()
    }
    assert listed[FORTY_TWO]["completion"] == "step"
    assert listed["probleemanalyse"]["completion"] == "document"
    assert listed["einde_wachttijd"]["completion"] == ""
    assert (
        listed["probleemanalyse"]["completed_on"]
        == (long_case.first_day + timedelta(days=30)).isoformat()
    )
    url = f"/api/v1/ziekmeldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/afronden/"
    unconfirmed = client.post(
        url, {"completed_on": TODAY.isoformat(), "proof": "UWV-9", "confirmed": False}, "json"
    )
    assert unconfirmed.status_code == 400 and "confirmed" in unconfirmed.json()["fields"]
    response = client.post(
        url, {"completed_on": TODAY.isoformat(), "proof": "UWV-9", "confirmed": True}, "json"
    )
    assert response.status_code == 200, response.content
    after = {(t["key"], t["occurrence"]): t for t in response.json()}
    assert after[(FORTY_TWO, 1)]["state"] == "done"
    assert after[(FORTY_TWO, 1)]["completed_on"] == TODAY.isoformat()


# --- RI-1: undoing a completion --------------------------------------------------------------


def test_ri1_undo_reopens_the_step_keeps_the_row_and_is_audited(hr, long_case):
    """RI-1: undo with a reason - the step is open again, the completion row is kept with who
    undid it, when and why, it is audited, and the next deadline is back."""
    completion = _complete(hr, long_case)
    assert _stored(long_case)[0] == "evaluatie_plan"

    termijnen.undo_completion(
        by=hr, ziekmelding=long_case, key=FORTY_TWO, occurrence=1, reason="Verkeerde werknemer."
    )

    completion.refresh_from_db()
    assert completion.undone_at is not None and completion.undone_by == hr
    assert completion.undo_reason == "Verkeerde werknemer."
    assert _states(long_case)[(FORTY_TWO, 1)].state == "due_soon"
    assert _stored(long_case)[0] == FORTY_TWO
    event = AuditEvent.objects.get(detail__startswith="afronding ongedaan gemaakt")
    assert event.actor == hr.pseudonym and event.subject == long_case.werknemer.pseudonym
    assert "Verkeerde" not in event.detail  # no content in the log
    # Undone, the step can be completed again (the kept row does not block it).
    _complete(hr, long_case, proof="UWV-kenmerk juist")
    assert DeadlineCompletion.objects.filter(key=FORTY_TWO).count() == 2
    assert _states(long_case)[(FORTY_TWO, 1)].state == "done"


@pytest.mark.parametrize(
    "reason, field", [("", "reason"), ("   ", "reason"), ("Zij heeft een burn-out", "reason")]
)
def test_ri1_zm3_undo_needs_a_reason_without_medical_terms(hr, long_case, reason, field):
    """RI-1: a reason is required; ZM-3: it may not hold a medical term. Nothing changes."""
    _complete(hr, long_case)
    with pytest.raises(ValidationError) as error:
        termijnen.undo_completion(
            by=hr, ziekmelding=long_case, key=FORTY_TWO, occurrence=1, reason=reason
        )
    assert field in error.value.message_dict
    assert DeadlineCompletion.objects.get(key=FORTY_TWO).undone_at is None


def test_ri1_undo_of_a_document_step_or_an_open_step_is_refused(hr, long_case):
    """RI-1: a document's completion is not undone by the employer; an open step has nothing to
    undo."""
    with pytest.raises(ValidationError) as error:
        termijnen.undo_completion(
            by=hr, ziekmelding=long_case, key="probleemanalyse", occurrence=1, reason="Fout."
        )
    assert "probleemanalyse" in " ".join(error.value.message_dict["key"])
    assert DeadlineCompletion.objects.get(key="probleemanalyse").undone_at is None
    with pytest.raises(ValidationError) as error:
        termijnen.undo_completion(
            by=hr, ziekmelding=long_case, key=FORTY_TWO, occurrence=1, reason="Fout."
        )
    assert "niet (meer) afgerond" in " ".join(error.value.message_dict["key"])


def test_ri1_undo_page_flow(hr, long_case, verified_client):
    """RI-1 on the page: the case page links "Ongedaan maken" for the done step; the form asks a
    reason; a medical term comes back with the text kept; a valid reason redirects."""
    _complete(hr, long_case)
    client = verified_client(hr)
    url = f"/verzuim/meldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/ongedaan/"
    case_page = client.get(f"/verzuim/meldingen/{long_case.pk}/").content.decode()
    assert url in case_page
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    medical = client.post(url, {"reason": "Ze is overspannen, verkeerd gemeld"})
    assert medical.status_code == 200
    assert "Ze is overspannen, verkeerd gemeld" in medical.content.decode()
    assert DeadlineCompletion.objects.get(key=FORTY_TWO).undone_at is None
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    done = client.post(url, {"reason": "Kenmerk hoorde bij een ander dossier."})
    assert done.status_code == 302 and done.url == f"/verzuim/meldingen/{long_case.pk}/"
    assert DeadlineCompletion.objects.get(key=FORTY_TWO).undo_reason.startswith("Kenmerk")
    # Undone, the step is open again: no undo page, the complete page is back.
    assert client.get(url).status_code == 404
    assert (
        client.get(
            f"/verzuim/meldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/afgerond/"
        ).status_code
        == 200
    )


def test_ri1_undo_api_flow(hr, long_case, bearer_client):
    """RI-1 through the API: POST ongedaan with a reason; without one 400 at `reason`."""
    _complete(hr, long_case)
    client = bearer_client(hr)
    url = f"/api/v1/ziekmeldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/ongedaan/"
    missing = client.post(url, {"reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    medical = client.post(url, {"reason": "ivm depressie"}, format="json")
    assert medical.status_code == 400 and "reason" in medical.json()["fields"]
    response = client.post(url, {"reason": "Dubbel vastgelegd."}, format="json")
    assert response.status_code == 200, response.content
    after = {(t["key"], t["occurrence"]): t for t in response.json()}
    assert after[(FORTY_TWO, 1)]["state"] != "done"
    assert after[(FORTY_TWO, 1)]["completed_on"] is None
    document = client.post(
        f"/api/v1/ziekmeldingen/{long_case.pk}/termijnen/probleemanalyse/1/ongedaan/",
        {"reason": "Fout."},
        format="json",
    )
    assert document.status_code == 400 and document.json()["code"] == "invalid"


# Who may undo a DONE step: hr and werkgever of the employer; the doctor and the casemanager read
# the case but may not (403); everyone else does not see the case at all (404).
UNDO_EXPECTED = {
    Role.HR: "ok",
    Role.WERKGEVER: "ok",
    Role.BEDRIJFSARTS: 403,
    Role.CASEMANAGER: 403,
    Role.BEHEERDER: 404,
    Role.WERKGEVER_BEHEERDER: 404,
    Role.CONSULTANT: 404,
    Role.WERKNEMER: 404,
    "hr-other-employer": 404,
}


def test_undo_expectations_cover_every_role():
    """RI-1, SE-2: the per-role undo tests below name every role there is."""
    assert set(Role) <= set(UNDO_EXPECTED)


def _actor(make_user, other_employer, who):
    if who == "hr-other-employer":
        return make_user(Role.HR, organisation=other_employer)
    return make_user(who)


@pytest.mark.parametrize("who", list(UNDO_EXPECTED), ids=str)
def test_ri1_se9_undo_a_done_step_per_role_page(
    who, make_user, other_employer, hr, long_case, verified_client
):
    """RI-1, SE-2, SE-9: the undo page of a DONE step, per role."""
    _complete(hr, long_case)
    user = _actor(make_user, other_employer, who)
    client = verified_client(user)
    url = f"/verzuim/meldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/ongedaan/"
    expected = UNDO_EXPECTED[who]
    get = client.get(url)
    post = client.post(url, {"reason": "Verkeerd dossier."})
    completion = DeadlineCompletion.objects.get(key=FORTY_TWO)
    if expected == "ok":
        assert get.status_code == 200
        assert post.status_code == 302
        assert completion.undone_at is not None and completion.undone_by == user
    else:
        assert (get.status_code, post.status_code) == (expected, expected)
        assert completion.undone_at is None


@pytest.mark.parametrize("who", list(UNDO_EXPECTED), ids=str)
def test_ri1_se9_undo_a_done_step_per_role_api(
    who, make_user, other_employer, hr, long_case, bearer_client
):
    """RI-1, SE-2, SE-9: the API's undo of a DONE step, per role."""
    _complete(hr, long_case)
    user = _actor(make_user, other_employer, who)
    response = bearer_client(user).post(
        f"/api/v1/ziekmeldingen/{long_case.pk}/termijnen/{FORTY_TWO}/1/ongedaan/",
        {"reason": "Verkeerd dossier."},
        format="json",
    )
    completion = DeadlineCompletion.objects.get(key=FORTY_TWO)
    if UNDO_EXPECTED[who] == "ok":
        assert response.status_code == 200, response.content
        assert completion.undone_by == user
    else:
        assert response.status_code == UNDO_EXPECTED[who], response.content
        assert completion.undone_at is None


def test_ri1_the_employee_of_the_case_cannot_undo(make_user, hr, werknemer, verified_client):
    """RI-1: the employee sees their own case but completes or undoes nothing (403)."""
    werknemer.user = make_user(Role.WERKNEMER)
    werknemer.save(update_fields=["user"])
    zm = _file(hr, werknemer, TODAY - timedelta(days=2), vangnet=True)
    _complete(hr, zm, key="vangnet_ziekmelding_uwv", completed_on=TODAY)
    client = verified_client(werknemer.user)
    url = f"/verzuim/meldingen/{zm.pk}/termijnen/vangnet_ziekmelding_uwv/1/ongedaan/"
    assert client.post(url, {"reason": "Fout."}).status_code == 403
    with pytest.raises(PermissionDenied):
        termijnen.undo_completion(
            by=werknemer.user,
            ziekmelding=zm,
            key="vangnet_ziekmelding_uwv",
            occurrence=1,
            reason="Fout.",
        )
    assert DeadlineCompletion.objects.get(key="vangnet_ziekmelding_uwv").undone_at is None


def test_ri1_another_employers_hr_cannot_complete_through_the_action(
    make_user, other_employer, long_case
):
    """SE-9 in the action layer: HR of another employer is refused even when called directly."""
    stranger = make_user(Role.HR, organisation=other_employer)
    with pytest.raises(PermissionDenied):
        _complete(stranger, long_case)
    assert not DeadlineCompletion.objects.filter(key=FORTY_TWO).exists()


# --- RI-11: the other reports to UWV ---------------------------------------------------------


def test_ri11_vangnet_ziekmelding_due_on_sick_day_4_completed_with_uwv_reference(hr, werknemer):
    """RI-11: with a vangnet provision the Ziektewet ziekmelding to UWV is its own row, due on
    sick day 4; completing it records the UWV reference and moves the next deadline on."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=1), vangnet=True)
    row = _states(zm)[("vangnet_ziekmelding_uwv", 1)]
    assert row.due == zm.first_day + timedelta(days=3)
    assert row.state == "due_soon" and row.completion == "step"
    assert _stored(zm) == ("vangnet_ziekmelding_uwv", zm.first_day + timedelta(days=3))
    _complete(hr, zm, key="vangnet_ziekmelding_uwv", completed_on=TODAY, proof="ZW-2026-0042")
    completion = DeadlineCompletion.objects.get(case_id=zm.case_id, key="vangnet_ziekmelding_uwv")
    assert completion.proof == "ZW-2026-0042" and completion.completed_on == TODAY
    assert _stored(zm) == ("probleemanalyse", zm.first_day + timedelta(days=41))


def test_ri11_recovery_of_a_vangnet_case_asks_the_hersteldmelding_on_the_dashboard(
    hr, werknemer, verified_client
):
    """RI-11: full recovery of a vangnet case makes the hersteldmelding to UWV (within 2 days)
    the case's stored next deadline, shown in HR's dashboard panel although the case is closed;
    completing it clears it."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=20), vangnet=True)
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=TODAY)
    zm.refresh_from_db()
    assert not zm.is_open
    assert (zm.next_deadline_key, zm.next_deadline_on) == (
        "hersteldmelding_uwv",
        TODAY + timedelta(days=2),
    )
    assert zm.next_deadline_label == "hersteldmelding aan UWV (Ziektewet)"
    dashboard = verified_client(hr).get("/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "hersteldmelding aan UWV (Ziektewet)" in html
    assert f"/verzuim/meldingen/{zm.pk}/" in html
    assert (TODAY + timedelta(days=2)).strftime("%d-%m-%Y") in html
    _complete(hr, zm, key="hersteldmelding_uwv", completed_on=TODAY, proof="ZW-herstel-7")
    zm.refresh_from_db()
    assert zm.next_deadline_on is None and zm.next_deadline_key == ""
    assert "hersteldmelding aan UWV" not in verified_client(hr).get("/").content.decode()


def test_ri11_no_hersteldmelding_without_vangnet(hr, werknemer):
    """RI-11: the hersteldmelding to UWV is only asked in a vangnet case."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=20), vangnet=False)
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=TODAY)
    zm.refresh_from_db()
    assert ("hersteldmelding_uwv", 1) not in _states(zm)
    assert zm.next_deadline_on is None


def test_ri11_ending_employment_during_sickness_asks_ziek_uit_dienst_on_the_last_day(hr, werknemer):
    """RI-11: employment ending while the case runs creates the ziek-uit-dienstmelding, due on
    the last day of employment; later deadlines are no longer asked of the employer."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=20))
    assert ("ziek_uit_dienst", 1) not in _states(zm)
    werknemer_actions.end_employment(
        by=hr, werknemer=werknemer, end_date=TODAY + timedelta(days=10)
    )
    zm.refresh_from_db()
    found = _states(zm)
    assert found[("ziek_uit_dienst", 1)].due == TODAY + timedelta(days=10)
    assert found[("ziek_uit_dienst", 1)].completion == "step"
    assert found[("probleemanalyse", 1)].state == "not_applicable"  # due after the last day
    assert _stored(zm) == ("ziek_uit_dienst", TODAY + timedelta(days=10))
    _complete(hr, zm, key="ziek_uit_dienst", completed_on=TODAY, proof="UWV-ZUD-3")
    assert _states(zm)[("ziek_uit_dienst", 1)].state == "done"


def test_ri11_ziek_uit_dienst_also_after_the_42nd_week_report(hr, long_case):
    """RI-11: the ziek-uit-dienstmelding is asked also when the 42nd-week report was made."""
    _complete(hr, long_case)
    werknemer = long_case.werknemer
    werknemer.refresh_from_db()
    werknemer_actions.end_employment(by=hr, werknemer=werknemer, end_date=TODAY + timedelta(days=5))
    found = _states(long_case)
    row = found[("ziek_uit_dienst", 1)]
    assert row.due == TODAY + timedelta(days=5) and row.state == "due_soon"
    # RI-1: sick ten weeks or longer, the eindevaluatie moves to the last day as well; the stored
    # next deadline is that day.
    assert found[("eindevaluatie", 1)].due == TODAY + timedelta(days=5)
    assert _stored(long_case)[1] == TODAY + timedelta(days=5)


def test_ri1_case_page_shows_afronden_only_for_open_step_rows(hr, long_case, verified_client):
    """RI-1 on the case page: "Afronden" links only step rows; a done step shows who and the
    proof and "Ongedaan maken"; an informational row has no action."""
    _complete(hr, long_case)
    html = verified_client(hr).get(f"/verzuim/meldingen/{long_case.pk}/").content.decode()
    links = set(re.findall(r"/termijnen/([a-z0-9_]+)/\d+/afgerond/", html))
    assert links, "some step must be open"
    step_keys = {
        d.key for d in deadlines_for(long_case) if d.completion == "step" and d.state != "done"
    }
    assert links <= step_keys
    assert {"probleemanalyse", "plan_van_aanpak", "evaluatie_plan", "einde_wachttijd"}.isdisjoint(
        links
    )
    assert FORTY_TWO not in links
    assert f"/termijnen/{FORTY_TWO}/1/ongedaan/" in html
    assert "UWV-kenmerk 2026-42-0001" in html and escape(hr.full_name) in html
