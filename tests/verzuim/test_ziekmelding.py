"""Ziekmelding and herstelmelding (ZM-1, ZM-3, ZM-5), with validation in Dutch, audit (SE-7),
samentelling and the medical-term guard on pages and API."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.errors import Conflict
from privacy.models import AuditEvent
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import DeadlineCompletion, Ziekmelding

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(date(2026, 11, 23), tick=False):
        yield


def _file(hr, werknemer, first_day, **overrides):
    return ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=first_day, **{**ZM_DATA, **overrides}
    )


def test_filing_stores_only_zm1_items_and_is_audited(hr, werknemer):
    """ZM-1 + SE-7: the report is stored with its items and written to the audit log."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=2), vangnet=True)
    assert zm.is_open and zm.vangnet is True and zm.percentage == 100
    event = AuditEvent.objects.get(object_type="verzuim.ziekmelding", action="create")
    assert event.subject == werknemer.pseudonym and event.actor == hr.pseudonym
    assert "Piet" not in str(vars(event))  # no content in the log
    # Filing here is the report to the arbodienst (RI-1 week 1): done.
    assert DeadlineCompletion.objects.filter(
        case_id=zm.case_id, key="ziekmelding_arbodienst"
    ).exists()


def test_unknown_fields_cannot_be_stored(hr, werknemer):
    """ZM-2: the action refuses anything beyond the ZM-1 items, e.g. a diagnosis."""
    with pytest.raises(ValidationError):
        _file(hr, werknemer, TODAY, diagnose="griep")
    assert not Ziekmelding.objects.exists()


@pytest.mark.parametrize(
    "first_day, message",
    [
        (TODAY + timedelta(days=1), "toekomst"),
        (date(2019, 12, 31), "indienstdatum"),
    ],
)
def test_first_day_validation(hr, werknemer, first_day, message):
    """Sensible validation in Dutch: not in the future, not before employment."""
    with pytest.raises(ValidationError) as error:
        _file(hr, werknemer, first_day)
    assert message in str(error.value.message_dict["first_day"])


def test_no_second_open_case(hr, werknemer):
    """No second open case for the same person."""
    _file(hr, werknemer, TODAY - timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        _file(hr, werknemer, TODAY)
    assert "open ziekmelding" in str(error.value)
    assert Ziekmelding.objects.count() == 1


def test_partial_recovery_keeps_case_open(hr, werknemer):
    """ZM-5: partial recovery keeps the case open at the new percentage."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=10))
    ziekmelding_actions.record_herstel(
        by=hr,
        ziekmelding=zm,
        kind="gedeeltelijk",
        date=TODAY - timedelta(days=2),
        absence_percentage=50,
    )
    zm.refresh_from_db()
    assert zm.is_open and zm.percentage == 50
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=TODAY)
    zm.refresh_from_db()
    assert not zm.is_open and zm.recovered_on == TODAY
    assert zm.next_deadline_on is None


@pytest.mark.parametrize(
    "healthy_days, continues", [(20, True), (27, True), (28, False), (30, False)]
)
def test_samentelling_within_28_days(hr, werknemer, healthy_days, continues):
    """ZM-5: a new report less than 28 days after full recovery continues the case; the
    Poortwachter clock counts only sick days."""
    first = _file(hr, werknemer, TODAY - timedelta(days=60))
    recovered = TODAY - timedelta(days=60 - 10)  # 10 sick days
    ziekmelding_actions.record_herstel(by=hr, ziekmelding=first, kind="volledig", date=recovered)
    second = _file(hr, werknemer, recovered + timedelta(days=healthy_days))
    assert (second.case_id == first.case_id) is continues
    from verzuim.deadlines import deadlines_for

    probleemanalyse = next(d for d in deadlines_for(second) if d.key == "probleemanalyse")
    if continues:
        # 42 sick days in all: 10 in the first period, 32 in the second.
        assert probleemanalyse.due == second.first_day + timedelta(days=31)
    else:
        assert probleemanalyse.due == second.first_day + timedelta(days=41)


def test_recovery_date_validation(hr, werknemer):
    """ZM-5: recovery after the first day, not in the future; partial needs a percentage."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=5))
    for kwargs, field in [
        ({"kind": "volledig", "date": TODAY - timedelta(days=5)}, "date"),
        ({"kind": "volledig", "date": TODAY + timedelta(days=1)}, "date"),
        ({"kind": "gedeeltelijk", "date": TODAY, "absence_percentage": None}, "absence_percentage"),
    ]:
        with pytest.raises(ValidationError) as error:
            ziekmelding_actions.record_herstel(by=hr, ziekmelding=zm, **kwargs)
        assert field in error.value.message_dict


def test_stale_edit_is_refused(hr, werknemer):
    """Optimistic locking: a save based on an old version is a conflict, not an overwrite."""
    zm = _file(hr, werknemer, TODAY)
    ziekmelding_actions.update_ziekmelding(by=hr, ziekmelding=zm, version=zm.version, percentage=60)
    with pytest.raises(Conflict):
        ziekmelding_actions.update_ziekmelding(by=hr, ziekmelding=zm, version=1, percentage=70)
    zm.refresh_from_db()
    assert zm.percentage == 60


def test_page_refuses_medical_terms_and_keeps_typed_input(hr, werknemer, verified_client):
    """ZM-3 on the page: the offending words are named and every typed value comes back."""
    client = verified_client(hr)
    page = client.get("/verzuim/meldingen/nieuw/").content.decode()
    assert "geen medische gegevens" in page.lower()
    post = {
        "werknemer": werknemer.pk,
        "first_day": TODAY.isoformat(),
        **ZM_DATA,
        "phone": "06-99887766",
        "lopende_afspraken": "Heeft een hernia, project X overdragen",
    }
    response = client.post("/verzuim/meldingen/nieuw/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "hernia" in body and "Medische gegevens" in body
    assert "Heeft een hernia, project X overdragen" in body  # text kept
    assert "06-99887766" in body
    assert not Ziekmelding.objects.exists()
    post["lopende_afspraken"] = "Project X overdragen aan Karin."
    ok = client.post("/verzuim/meldingen/nieuw/", post)
    assert ok.status_code == 302
    assert Ziekmelding.objects.get().lopende_afspraken == "Project X overdragen aan Karin."


def test_api_refuses_medical_terms(hr, werknemer, bearer_client):
    """ZM-3 through the API: 400 with the field error naming the word."""
    client = bearer_client(hr)
    body = {
        "werknemer": werknemer.pk,
        "first_day": TODAY.isoformat(),
        **ZM_DATA,
        "lopende_afspraken": "is overspannen",
    }
    response = client.post("/api/v1/ziekmeldingen/", body, format="json")
    assert response.status_code == 400
    assert "overspannen" in str(response.json())
    assert not Ziekmelding.objects.exists()
    body["lopende_afspraken"] = "Klantbezoeken verplaatsen."
    ok = client.post("/api/v1/ziekmeldingen/", body, format="json")
    assert ok.status_code == 201, ok.content
    zm_id = ok.json()["id"]
    edit = client.patch(
        f"/api/v1/ziekmeldingen/{zm_id}/",
        {"version": 1, "lopende_afspraken": "slikt antidepressiva"},
        format="json",
    )
    assert edit.status_code == 400


def test_api_herstel_and_deadlines(hr, werknemer, bearer_client):
    """ZM-5 + RI-1 through the API."""
    client = bearer_client(hr)
    created = client.post(
        "/api/v1/ziekmeldingen/",
        {
            "werknemer": werknemer.pk,
            "first_day": (TODAY - timedelta(days=20)).isoformat(),
            **ZM_DATA,
        },
        format="json",
    ).json()
    termijnen = client.get(f"/api/v1/ziekmeldingen/{created['id']}/termijnen/").json()
    assert {t["key"] for t in termijnen} >= {"probleemanalyse", "plan_van_aanpak"}
    herstel = client.post(
        f"/api/v1/ziekmeldingen/{created['id']}/herstel/",
        {"kind": "volledig", "date": TODAY.isoformat()},
        format="json",
    )
    assert herstel.status_code == 201 and herstel.json()["status"] == "hersteld"
    stale = client.patch(
        f"/api/v1/ziekmeldingen/{created['id']}/",
        {"version": created["version"], "percentage": 50},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
