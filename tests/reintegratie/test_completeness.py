"""RI-12, RI-1: the completeness and freshness of a case's re-integratieverslag
(reintegratie/completeness.py): cases built to miss each part in turn, a gap of more than 6 weeks
between evaluations as the deadline engine counts it, an actueel oordeel older than the limit UWV
applies (settings.ACTUEEL_OORDEEL_MAX_AGE_DAYS), a complete case; the page per role (the doctor
sees the medical part's presence as yes/no only, nobody its content); HR's dashboard from week 40
and not before; recording the WIA application refused while the verslag is incomplete (page and
API) and allowed once it is complete.

Sources: Beleidsregels vorm- en herkenbaarheidsvereisten reïntegratieverslagen (BWBR0015184)
art. 2 lid 2 (the parts); Regeling procesgang eerste en tweede ziektejaar art. 5-7 (the
evaluations at least every 6 weeks, the eerstejaarsevaluatie, the eindevaluatie);
poortwachtersloket.nl "WIA-aanvraag" (the actueel oordeel made shortly before the application).
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from accounts.reauth import REAUTH_AT
from accounts.roles import Role
from doelgroep.synthetic import synthetic_bsns
from medisch.actions import dossier as medisch_actions
from medisch.actions.reintegratie import record_probleemanalyse, record_verslag_deel
from reintegratie import completeness
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import ondertekening as sign_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.models import PlanVanAanpak, Reintegratieverslag
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import DeadlineCompletion

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)  # a Monday
MARKER = "QXMEDISCH77"  # the medical part's text: never on any page
WIA = "wia_aanvraag"
ADVICE = {
    "limitations": "Niet langer dan 2 uur achtereen staan.",
    "capabilities": "Zittend werk, 4 uur per dag.",
    "expected_duration": "lang",
    "incapacity_percentage": 50,
    "adjustments": "",
}
ALL_PARTS = (
    "probleemanalyse",
    "plan_van_aanpak",
    "evaluaties",
    "eerstejaarsevaluatie",
    "actueel_oordeel",
    "eindevaluatie",
    "verslag_werkgever",
)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def werkgever(make_user):
    return make_user(Role.WERKGEVER)


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS)  # assigned to `employer`


@pytest.fixture
def werknemer(employer, make_user):
    return WerknemerFactory(
        organisation=employer,
        user=make_user(Role.WERKNEMER),
        first_name="Vera",
        last_name="Verslag",
    )


def _proof(user):
    """A request whose session has just proved password and code (the signing page's step)."""
    request = RequestFactory().post("/")
    request.user, request.session = user, SessionStore()
    request.session[REAUTH_AT] = int(timezone.now().timestamp())
    return request


def sign_everything(zm, hr, werknemer):
    """RI-12: HR and the employee sign the plan's newest version, every evaluation and the
    verslag (whose copy the employee has been given first)."""
    documents = []
    plan = PlanVanAanpak.objects.filter(case_id=zm.case_id).first()
    if plan is not None:
        documents += [plan, *plan.evaluaties.all()]
    verslag = Reintegratieverslag.objects.filter(case_id=zm.case_id).first()
    if verslag is not None:
        dossier_actions.give_verslag(by=hr, verslag=verslag)
        documents.append(verslag)
    for document in documents:
        for signer in (hr, werknemer.user):
            sign_actions.sign(by=signer, document=document, agreed=True, request=_proof(signer))


def build(
    hr,
    doctor,
    werknemer,
    *,
    week=91,
    skip=(),
    evaluation_days=35,
    gap_after=None,
    oordeel_age=10,
    sign=True,
):
    """A case sick `week` weeks today with every part of the verslag, except those in `skip`.
    Evaluations every `evaluation_days` days from the plan; `gap_after` (a day number) leaves one
    gap of 50 days there. With `sign`, HR and the employee sign every employer document."""
    first_day = TODAY - timedelta(weeks=week) + timedelta(days=1)
    zm = create_ziekmelding(by=hr, werknemer=werknemer, first_day=first_day, **ZM_DATA)
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    if "probleemanalyse" not in skip:
        record_probleemanalyse(
            by=doctor,
            dossier=dossier,
            case_id=zm.case_id,
            date=first_day + timedelta(days=30),
            medical_part=f"Medisch deel {MARKER}",
            release=True,
            **ADVICE,
        )
    record_verslag_deel(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        date=TODAY - timedelta(days=5),
        text=f"Medische informatie {MARKER}",
        deliver=False,
    )
    if "plan_van_aanpak" not in skip:
        plan = plan_actions.save_plan(
            by=hr,
            ziekmelding=zm,
            version=0,
            drawn_up_on=first_day + timedelta(days=50),
            casemanager="Carla Casemanager",
            spoor="aangepast_werk",
            goals="Terug in aangepast eigen werk.",
        )
        special = {}
        if week >= 52 and "eerstejaarsevaluatie" not in skip:
            special[first_day + timedelta(days=340)] = "eerstejaars"
        if week >= 88 and "eindevaluatie" not in skip:
            special[TODAY - timedelta(days=3)] = "eindevaluatie"
        days = []
        day = plan.drawn_up_on
        while True:
            step = 50 if gap_after is not None and (day - first_day).days >= gap_after else 0
            day = day + timedelta(days=step or evaluation_days)
            if step:
                gap_after = None
            if day > TODAY:
                break
            days.append(day)
        when = sorted(
            {d: "periodiek" for d in days if "evaluaties" not in skip} | special,
        )
        kinds = {d: "periodiek" for d in days} | special
        for day in when:
            plan_actions.record_evaluatie(
                by=hr,
                plan=plan,
                ziekmelding=zm,
                kind=kinds[day],
                date=day,
                outcome="Afspraken besproken en vastgelegd.",
                plan_adjusted=day == days[0] if days else False,
            )
    if "actueel_oordeel" not in skip:
        medisch_actions.record_advies(
            by=doctor,
            dossier=dossier,
            case_id=zm.case_id,
            release=True,
            kind="actueel_oordeel",
            date=TODAY - timedelta(days=oordeel_age),
            **ADVICE,
        )
    if "verslag_werkgever" not in skip:
        dossier_actions.generate_verslag(by=hr, ziekmelding=zm)
    if sign:
        sign_everything(zm, hr, werknemer)
    zm.refresh_from_db()
    return zm


def _parts(zm):
    return {part.key: part for part in completeness.check(zm).parts}


# --- The check itself --------------------------------------------------------------------------


def test_ri12_complete_case_lacks_nothing(hr, doctor, werknemer):
    """RI-12: a week-91 case with every part, evaluations within 6 weeks (RI-1) and a recent
    actueel oordeel is complete; every part says "aanwezig"."""
    zm = build(hr, doctor, werknemer)
    result = completeness.check(zm)
    assert result.sick_week == 91
    assert [p.key for p in result.parts] == list(ALL_PARTS)
    assert {p.key: p.status for p in result.parts} == dict.fromkeys(ALL_PARTS, "present")
    assert result.lacking == [] and result.complete
    assert completeness.is_complete(zm)


@pytest.mark.parametrize("missing", ALL_PARTS)
def test_ri12_each_missing_part_is_named(hr, doctor, werknemer, missing):
    """RI-12: a case built without one part is not complete, and the list says exactly which part
    and what is lacking of it."""
    zm = build(hr, doctor, werknemer, skip={missing})
    result = completeness.check(zm)
    part = {p.key: p for p in result.parts}[missing]
    assert part.status != completeness.PRESENT and part.blocks
    assert not result.complete
    assert any(line.startswith(part.label + ":") for line in result.lacking)
    assert part.detail  # what exactly: never just the name
    if missing not in ("plan_van_aanpak", "evaluaties"):
        # Nothing else is reported missing for the lack of this one part.
        assert [p.key for p in result.parts if p.blocks] == [missing]


def test_ri1_evaluation_gap_now_is_stale_and_blocks(hr, doctor, werknemer):
    """RI-1: more than 6 weeks since the last evaluation (the engine's open occurrence is
    overdue) makes the evaluations stale - the verslag is incomplete until one is held."""
    zm = build(hr, doctor, werknemer, week=30, evaluation_days=35)
    # The last evaluation 35-day steps from day 51: the latest is recent; move on 8 weeks.
    with time_machine.travel(TODAY + timedelta(weeks=8), tick=False):
        part = _parts(zm)["evaluaties"]
        assert part.status == completeness.STALE and part.blocks
        assert "meer dan 6 weken" in part.detail
        assert any("Evaluaties" in line for line in completeness.lacking(zm))


def test_ri1_past_evaluation_gap_is_shown_but_cannot_block(hr, doctor, werknemer):
    """RI-1: a gap of more than 6 weeks in the past (an evaluation held after its due date) is
    shown as stale with both dates, but it cannot be repaired, so it does not block."""
    zm = build(hr, doctor, werknemer, gap_after=200)
    part = _parts(zm)["evaluaties"]
    assert part.status == completeness.STALE and not part.blocks
    assert "meer dan 6 weken" in part.notes[0] and "gehouden op" in part.notes[0]
    assert completeness.is_complete(zm)


def test_ri12_actueel_oordeel_older_than_the_setting_is_stale(hr, doctor, werknemer, settings):
    """RI-12: an actueel oordeel older than ACTUEEL_OORDEEL_MAX_AGE_DAYS is stale and blocks;
    the limit is a setting."""
    settings.ACTUEEL_OORDEEL_MAX_AGE_DAYS = 91
    zm = build(hr, doctor, werknemer, oordeel_age=92)
    part = _parts(zm)["actueel_oordeel"]
    assert part.status == completeness.STALE and part.blocks
    assert "ouder dan 91 dagen" in part.detail
    settings.ACTUEEL_OORDEEL_MAX_AGE_DAYS = 120
    assert _parts(zm)["actueel_oordeel"].status == completeness.PRESENT


def test_ri12_verslag_made_before_a_later_evaluation_is_stale(hr, doctor, werknemer):
    """RI-12: the employer's part made before the last evaluation is out of date."""
    zm = build(hr, doctor, werknemer)
    plan = zm.werknemer.plannen.get()
    with time_machine.travel(datetime.combine(TODAY, time(15)), tick=False):
        plan_actions.record_evaluatie(
            by=hr,
            plan=plan,
            ziekmelding=zm,
            kind="periodiek",
            date=TODAY,
            outcome="Nog een gesprek.",
        )
        part = _parts(zm)["verslag_werkgever"]
    assert part.status == completeness.STALE and part.blocks


def test_ri12_unsigned_employer_documents_block_and_the_doctors_are_not_theirs_to_sign(
    hr, doctor, werknemer
):
    """RI-12: every part present but nothing signed: each employer document blocks the verslag
    (the signing module answers, queries.unsigned_roles); the doctor's documents are not signed
    by employer and employee. Signed by both, the same case is complete."""
    zm = build(hr, doctor, werknemer, sign=False)
    parts = _parts(zm)
    assert parts["plan_van_aanpak"].signed is False and parts["plan_van_aanpak"].blocks
    assert parts["actueel_oordeel"].signed_label == "niet van toepassing"
    assert not completeness.is_complete(zm)
    sign_everything(zm, hr, werknemer)
    assert completeness.is_complete(zm)


# --- The page per role --------------------------------------------------------------------------


def _url(zm):
    return f"/reintegratie/meldingen/{zm.pk}/volledigheid/"


def test_ri12_page_for_hr_lists_what_is_missing_with_links(hr, doctor, werknemer, verified_client):
    """RI-12: HR sees every part in plain Dutch, exactly what is missing and where it is made;
    nothing medical, not even whether the medical part exists (RI-4)."""
    zm = build(hr, doctor, werknemer, skip={"eindevaluatie"})
    html = verified_client(hr).get(_url(zm)).content.decode()
    assert "Niet compleet" in html and "Eindevaluatie: nog niet vastgelegd" in html
    assert f'href="/reintegratie/meldingen/{zm.pk}/plan/#evaluaties"' in html
    assert f'href="/reintegratie/meldingen/{zm.pk}/dossier/"' in html
    assert "ontbreekt" in html and "aanwezig" in html
    assert "Medische informatie" not in html and MARKER not in html


def test_ri12_page_for_werkgever_has_no_dossier_link(
    hr, werkgever, doctor, werknemer, verified_client
):
    """RI-12: the werkgever sees the list; the verslag is HR's, so no link to the dossier."""
    zm = build(hr, doctor, werknemer)
    html = verified_client(werkgever).get(_url(zm)).content.decode()
    assert "Compleet" in html
    assert "/dossier/" not in html and "Medische informatie" not in html and MARKER not in html


def test_ri12_page_for_doctor_shows_medical_part_as_yes_no(hr, doctor, werknemer, verified_client):
    """RI-4, RI-12: the bedrijfsarts sees whether the medical part exists - yes/no, never its
    text - and is pointed to the medical dossier for the doctor's parts."""
    zm = build(hr, doctor, werknemer, skip={"actueel_oordeel"})
    html = verified_client(doctor).get(_url(zm)).content.decode()
    assert "Medische informatie" in html and MARKER not in html
    assert 'href="/medisch/"' in html
    assert "Actueel oordeel van de bedrijfsarts: de bedrijfsarts heeft nog geen" in html


# --- HR's dashboard from week 40 -----------------------------------------------------------------


def test_ri12_hr_dashboard_item_from_week_40_not_before(hr, doctor, werknemer, verified_client):
    """RI-12: an incomplete case appears on HR's dashboard from sick week 40 with "n onderdelen
    ontbreken" and a link to its completeness page; in week 39 it does not."""
    zm = build(hr, doctor, werknemer, week=39)
    html = verified_client(hr).get("/").content.decode()
    assert completeness.check(zm).sick_week == 39 and _url(zm) not in html
    with time_machine.travel(TODAY + timedelta(weeks=1), tick=False):
        html = verified_client(hr).get("/").content.decode()
        lacking = completeness.check(zm).lacking_count
    assert lacking > 1
    assert _url(zm) in html and f"week 40: {lacking} onderdelen ontbreken" in html


def test_ri12_complete_case_is_not_on_hr_dashboard(hr, doctor, werknemer, verified_client):
    """RI-12: a complete case past week 40 asks nothing of HR: it is not on the worklist."""
    zm = build(hr, doctor, werknemer)
    assert completeness.is_complete(zm)
    assert _url(zm) not in verified_client(hr).get("/").content.decode()


# --- The WIA application requires a complete verslag (page and API) -----------------------------


def _wia_page(zm):
    return f"/verzuim/meldingen/{zm.pk}/termijnen/{WIA}/1/afgerond/"


WIA_POST = {"completed_on": TODAY.isoformat(), "proof": "UWV-WIA-1234", "confirmed": "on"}


def test_ri12_wia_step_refused_on_the_page_while_incomplete(hr, doctor, werknemer, verified_client):
    """RI-12: the WIA application cannot be recorded while the verslag lacks a part: the form
    comes back with what was typed and the list of what is missing at the field."""
    zm = build(hr, doctor, werknemer, skip={"eindevaluatie"})
    response = verified_client(hr).post(_wia_page(zm), WIA_POST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "UWV-WIA-1234" in html and "Eindevaluatie: nog niet vastgelegd" in html
    assert not DeadlineCompletion.objects.filter(key=WIA).exists()


def test_ri12_wia_step_refused_through_the_api_while_incomplete(
    hr, doctor, werknemer, bearer_client
):
    """RI-12: the API refuses the same way: 400, the list at the field."""
    zm = build(hr, doctor, werknemer, oordeel_age=120)
    url = f"/api/v1/ziekmeldingen/{zm.pk}/termijnen/{WIA}/1/afronden/"
    response = bearer_client(hr).post(
        url, {"completed_on": TODAY.isoformat(), "proof": "UWV-9", "confirmed": True}, "json"
    )
    assert response.status_code == 400
    assert "Actueel oordeel" in " ".join(response.json()["fields"]["confirmed"])
    assert not DeadlineCompletion.objects.filter(key=WIA).exists()


@pytest.mark.parametrize("via", ["page", "api"])
def test_ri12_wia_step_allowed_when_complete(
    hr, doctor, werknemer, verified_client, bearer_client, via
):
    """RI-12: a complete verslag, made into the bundle for UWV, lets the WIA application be
    recorded, on the page and through the API."""
    from reintegratie.actions import bundel as bundle_actions
    from reintegratie.actions import documenten as document_actions

    zm = build(hr, doctor, werknemer)
    document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn=next(synthetic_bsns()))
    zm.werknemer.refresh_from_db()
    bundle_actions.make_bundle(by=hr, ziekmelding=zm)
    if via == "page":
        response = verified_client(hr).post(_wia_page(zm), WIA_POST)
        assert response.status_code == 302
    else:
        response = bearer_client(hr).post(
            f"/api/v1/ziekmeldingen/{zm.pk}/termijnen/{WIA}/1/afronden/",
            {"completed_on": TODAY.isoformat(), "proof": "UWV-9", "confirmed": True},
            "json",
        )
        assert response.status_code == 200, response.content
    assert DeadlineCompletion.objects.filter(key=WIA, undone_at__isnull=True).count() == 1


def test_ri12_an_unsigned_employer_document_blocks_once_signing_answers(
    hr, doctor, werknemer, monkeypatch
):
    """RI-12: once is_signed_by_both is wired to the signing module, an employer document that
    employer and employee have not both signed makes the verslag incomplete, and says so; the
    doctor's documents are not theirs to sign."""
    zm = build(hr, doctor, werknemer)
    monkeypatch.setattr(completeness, "is_signed_by_both", lambda document: False)
    result = completeness.check(zm)
    blocking = {p.key for p in result.parts if p.blocks}
    assert blocking == set(ALL_PARTS) - {"probleemanalyse", "actueel_oordeel"}
    assert all("nog niet ondertekend" in line for line in result.lacking)
    monkeypatch.setattr(completeness, "is_signed_by_both", lambda document: True)
    assert completeness.is_complete(zm)
    assert {p.signed_label for p in completeness.check(zm).parts} == {
        "ondertekend door werkgever en werknemer",
        "niet van toepassing",
    }


def test_ri12_wia_requirement_reaches_verzuim_through_its_registry(hr, doctor, werknemer):
    """RI-12: re-integratie hooks the completeness check into the WIA step through verzuim's
    registry (verzuim imports no re-integratie): the action itself refuses, whoever calls it."""
    from django.core.exceptions import ValidationError

    from verzuim.actions import termijnen

    zm = build(hr, doctor, werknemer, skip={"verslag_werkgever"})
    with pytest.raises(ValidationError) as refused:
        termijnen.complete_step(
            by=hr,
            ziekmelding=zm,
            key=WIA,
            occurrence=1,
            completed_on=TODAY,
            proof="UWV-WIA-1",
            confirmed=True,
        )
    assert "Re-integratieverslag (deel werkgever)" in refused.value.message_dict["confirmed"][0]
    # Another step is not held up by the verslag.
    assert termijnen._lacking(zm, "kopie_werknemer", TODAY) == []
