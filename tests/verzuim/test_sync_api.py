"""Issue 23, the sync API for HR and payroll systems (verzuim/api/sync.py) and its machine account
(the sync token, verzuim/actions/koppeling.py): a page of employees previewed (`dry_run`) and
applied all or nothing, one employee by personnel number (PUT/PATCH), the same data twice changes
nothing, the mass-change guard answers 409 until confirmed, changes to employees with an open
case are flagged (RT-1, RI-1), every lookup stays inside the caller's organisation (SE-9), the
sync token is issued only in a session verified with a second factor and bound to its device
(SE-1) and reaches the sync endpoints only, the audit log names the token's user (SE-7), and the
endpoints are rate limited.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from privacy.models import AuditEvent
from tests.security.matrix._base import PATTERNS
from tests.verzuim.factories import WerknemerFactory, staff_by_number
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.api.sync import SyncThrottle
from verzuim.models import Werknemer, WerknemerSync

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/werknemers/sync/"


def one(number, **extra):
    return {
        "personnel_number": number,
        "first_name": "Anna",
        "last_name": f"Werknemer {number}",
        "date_of_birth": "1980-02-01",
        "employment_start": "2020-03-01",
        "department": "Productie",
        **extra,
    }


def nummer(number):
    return f"/api/v1/werknemers/nummer/{number}/"


@pytest.fixture
def api(hr, bearer_client):
    return bearer_client(hr)


def sync_token_for(user, verified_client) -> str:
    response = verified_client(user).post(
        reverse("verzuim:sync_tokens"), {"action": "issue", "label": "AFAS"}
    )
    assert response.status_code == 200
    return re.search(r'<code id="sync-token"[^>]*>([^<]+)</code>', response.content.decode())[1]


def test_dry_run_answers_the_changes_and_changes_nothing(hr, employer, api):
    WerknemerFactory(organisation=employer, personnel_number="1001", department="Productie")
    before = Werknemer.objects.get(personnel_number="1001").version
    response = api.post(
        SYNC,
        {"werknemers": [one("1001", department="Logistiek"), one("1002")], "dry_run": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["applied"] is False and body["sync"] is None
    assert body["created"] == ["1002"]
    assert body["changed"][0]["personnel_number"] == "1001"
    assert body["changed"][0]["changes"]["department"] == {"old": "Productie", "new": "Logistiek"}
    assert set(staff_by_number(employer)) == {"1001"}
    assert Werknemer.objects.get(personnel_number="1001").version == before
    assert not WerknemerSync.objects.exists()


def test_se7_apply_creates_and_changes_with_a_summary_and_audit_rows_by_the_caller(
    hr, employer, api
):
    WerknemerFactory(organisation=employer, personnel_number="1001", department="Productie")
    response = api.post(
        SYNC, {"werknemers": [one("1001", department="Logistiek"), one("1002")]}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applied"] is True and body["created"] == ["1002"] and body["errors"] == []
    staff = staff_by_number(employer)
    assert staff["1001"].department == "Logistiek" and staff["1002"].last_name == "Werknemer 1002"
    summary = WerknemerSync.objects.get(pk=body["sync"])
    assert (summary.source, summary.status, summary.by, summary.organisation) == (
        "api",
        "toegepast",
        hr,
        employer,
    )
    assert (summary.created_count, summary.changed_count) == (1, 1)
    changed = AuditEvent.objects.get(detail__startswith="werknemer gewijzigd via sync")
    assert changed.actor == hr.pseudonym and changed.subject == staff["1001"].pseudonym


def test_the_same_page_twice_changes_nothing_the_second_time(hr, employer, api):
    page = {"werknemers": [one("1001"), one("1002", email="b@example.org")]}
    assert api.post(SYNC, page, format="json").status_code == 200
    versions = {n: w.version for n, w in staff_by_number(employer).items()}
    written = AuditEvent.objects.filter(object_type="verzuim.werknemer").count()
    syncs = WerknemerSync.objects.count()
    again = api.post(SYNC, page, format="json").json()
    assert (again["created"], again["changed"], again["unchanged"]) == ([], [], 2)
    # Nothing written, not even a summary (an HR system may poll often).
    assert (again["applied"], again["sync"]) == (False, None)
    assert WerknemerSync.objects.count() == syncs
    assert {n: w.version for n, w in staff_by_number(employer).items()} == versions
    assert AuditEvent.objects.filter(object_type="verzuim.werknemer").count() == written


def test_put_creates_then_replaces_and_the_same_put_twice_is_no_change(hr, employer, api):
    data = {k: v for k, v in one("2001", email="a@example.org").items() if k != "personnel_number"}
    created = api.put(nummer("2001"), data, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["created"] is True
    werknemer = staff_by_number(employer)["2001"]
    assert werknemer.email == "a@example.org"

    again = api.put(nummer("2001"), data, format="json")
    assert again.status_code == 200
    assert again.json()["changed"] is False and again.json()["sync"] is None
    werknemer.refresh_from_db()
    version = werknemer.version

    # A replacement clears what it no longer sends (email) and changes what differs.
    replaced = dict(data, department="Logistiek")
    del replaced["email"]
    answer = api.put(nummer("2001"), replaced, format="json")
    assert answer.status_code == 200 and answer.json()["changed"] is True
    assert answer.json()["changes"]["email"] == {"old": "a@example.org", "new": ""}
    werknemer.refresh_from_db()
    assert (werknemer.email, werknemer.department) == ("", "Logistiek")
    assert werknemer.version == version + 1


def test_put_without_the_required_fields_is_400_per_field(hr, employer, api):
    response = api.put(nummer("2002"), {"first_name": "Anna"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"last_name", "date_of_birth", "employment_start"} <= set(body["fields"])
    assert not Werknemer.objects.exists()


def test_a_personnel_number_in_the_url_is_checked_like_one_in_the_body(hr, api):
    too_long = api.put(nummer("x" * 33), {}, format="json")
    assert too_long.status_code == 400
    assert "personnel_number" in too_long.json()["fields"]
    # A NUL never reaches the database (accounts.input_guard answers first).
    nul = api.patch(nummer("P%001"), {"department": "X"}, format="json")
    assert nul.status_code == 400 and nul.json()["code"] == "invalid_characters"


def test_patch_of_an_unknown_number_is_404_and_of_a_known_one_changes_only_what_it_sends(
    hr, employer, api
):
    missing = api.patch(nummer("9999"), {"department": "X"}, format="json")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert not Werknemer.objects.exists()

    werknemer = WerknemerFactory(
        organisation=employer, personnel_number="3001", email="c@example.org"
    )
    response = api.patch(nummer("3001"), {"department": "Inkoop"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["changes"] == {"department": {"old": "Logistiek", "new": "Inkoop"}}
    werknemer.refresh_from_db()
    assert (werknemer.department, werknemer.email) == ("Inkoop", "c@example.org")

    bad = api.patch(nummer("3001"), {"employment_end": "2000-01-01"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_errors_are_answered_by_index_and_field_and_nothing_is_applied(hr, employer, api):
    page = {
        "werknemers": [
            one("4001"),
            one("4002", date_of_birth="1980-02-30"),
            one("4003", email="geen-adres"),
            one("4001"),
        ]
    }
    response = api.post(SYNC, page, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["applied"] is False
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (1, "date_of_birth"),
        (2, "email"),
        (3, "personnel_number"),
    ]
    assert not Werknemer.objects.exists() and not WerknemerSync.objects.exists()


def test_mass_leaving_answers_409_until_confirmed(hr, employer, api):
    for n in range(10):
        WerknemerFactory(organisation=employer, personnel_number=f"50{n:02d}")
    leavers = [
        one(f"50{n:02d}", employment_start="2020-01-01", employment_end="2026-12-31")
        for n in range(3)
    ]
    for row in leavers:  # keep the names and birth dates as they are
        current = staff_by_number(employer)[row["personnel_number"]]
        row.update(
            first_name=current.first_name,
            last_name=current.last_name,
            date_of_birth=current.date_of_birth.isoformat(),
            department=current.department,
        )
    dry = api.post(SYNC, {"werknemers": leavers, "dry_run": True}, format="json")
    assert dry.status_code == 200 and len(dry.json()["confirmation_required"]) == 1

    refused = api.post(SYNC, {"werknemers": leavers}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "confirmation_required" and refused.json()["reasons"]
    assert not Werknemer.objects.filter(employment_end__isnull=False).exists()

    confirmed = api.post(SYNC, {"werknemers": leavers, "confirm": True}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["applied"] is True
    assert Werknemer.objects.filter(employment_end__isnull=False).count() == 3
    assert WerknemerSync.objects.get(pk=confirmed.json()["sync"]).confirmed is True


def test_rt1_ri1_a_change_to_an_employee_with_an_open_case_is_flagged(hr, employer, api):
    ill = WerknemerFactory(organisation=employer, personnel_number="6001")
    WerknemerFactory(organisation=employer, personnel_number="6002")
    create_ziekmelding(
        by=hr,
        werknemer=ill,
        first_day=timezone.localdate() - timedelta(days=3),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    rows = [
        {**one(n), "last_name": w.last_name, "first_name": w.first_name, "department": "Inkoop"}
        for n, w in staff_by_number(employer).items()
    ]
    body = api.post(SYNC, {"werknemers": rows, "dry_run": True}, format="json").json()
    flags = {c["personnel_number"]: c["open_case"] for c in body["changed"]}
    assert flags == {"6001": True, "6002": False}
    patched = api.patch(nummer("6001"), {"department": "Verkoop"}, format="json").json()
    assert patched["open_case"] is True


def test_se9_a_foreign_number_creates_in_the_callers_organisation_and_leaves_the_other_alone(
    hr, employer, other_employer, api
):
    foreign = WerknemerFactory(organisation=other_employer, personnel_number="7001")
    version = foreign.version
    assert api.patch(nummer("7001"), {"department": "X"}, format="json").status_code == 404
    body = api.post(SYNC, {"werknemers": [one("7001")]}, format="json").json()
    assert body["created"] == ["7001"] and body["changed"] == []
    assert Werknemer.objects.get(organisation=employer, personnel_number="7001")
    foreign.refresh_from_db()
    assert (foreign.version, foreign.department, foreign.organisation) == (
        version,
        "Logistiek",
        other_employer,
    )
    put = api.put(
        nummer("7001"),
        {k: v for k, v in one("7001", department="Y").items() if k != "personnel_number"},
        format="json",
    )
    assert put.status_code == 200
    foreign.refresh_from_db()
    assert foreign.department == "Logistiek" and foreign.version == version


def test_roles_that_do_not_manage_werknemers_are_refused(make_user, bearer_client, employer):
    doctor = bearer_client(make_user(Role.BEDRIJFSARTS))
    assert doctor.post(SYNC, {"werknemers": [one("1")]}, format="json").status_code == 403
    assert doctor.put(nummer("1"), one("1"), format="json").status_code == 403
    assert not Werknemer.objects.exists()


def test_se1_se7_the_sync_token_reaches_only_the_sync_endpoints_and_acts_as_its_issuer(
    hr, employer, verified_client
):
    raw = sync_token_for(hr, verified_client)
    token = ApiToken.objects.get(scope=ApiToken.Scope.WERKNEMERS_SYNC)
    assert token.user == hr and token.device_id == hr.totpdevice_set.get().persistent_id
    assert token.expires_at > timezone.now() + timedelta(days=89)
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path in ("/api/v1/werknemers/", "/api/v1/me/", "/api/v1/ziekmeldingen/"):
        refused = machine.get(path)
        assert refused.status_code == 403 and refused.json()["code"] == "token_scope", path
    assert machine.post(SYNC, {"werknemers": [one("8001")]}, format="json").status_code == 200
    created = staff_by_number(employer)["8001"]
    event = AuditEvent.objects.get(object_type="verzuim.werknemer", subject=created.pseudonym)
    assert event.actor == hr.pseudonym
    assert machine.patch(nummer("8001"), {"city": "Utrecht"}, format="json").status_code == 200

    # Revoked on the page: refused as every revoked token is.
    page = verified_client(hr)
    response = page.post(reverse("verzuim:sync_tokens"), {"action": "revoke", "token": token.pk})
    assert response.status_code == 302
    assert machine.post(SYNC, {"werknemers": [one("8002")]}, format="json").status_code == 401


def test_se1_a_sync_token_is_issued_only_in_a_verified_session(
    hr, make_user, other_employer, verified_client, unverified_client
):
    response = unverified_client(hr).post(
        reverse("verzuim:sync_tokens"), {"action": "issue", "label": "AFAS"}
    )
    assert response.status_code == 403 and response.json()["code"] == "otp_required"
    assert not ApiToken.objects.exists()
    # A colleague at another employer can neither see nor revoke this organisation's token.
    sync_token_for(hr, verified_client)
    token = ApiToken.objects.get()
    outsider = verified_client(make_user(Role.HR, organisation=other_employer))
    assert "AFAS" not in outsider.get(reverse("verzuim:sync_tokens")).content.decode()
    revoke = outsider.post(reverse("verzuim:sync_tokens"), {"action": "revoke", "token": token.pk})
    assert revoke.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_normal_token_also_works_on_the_sync_endpoints(hr, api):
    assert api.get("/api/v1/werknemers/").status_code == 200
    assert (
        api.post(SYNC, {"werknemers": [one("1")], "dry_run": True}, format="json").status_code
        == 200
    )


def test_the_sync_endpoints_are_rate_limited(hr, api, monkeypatch):
    monkeypatch.setattr(SyncThrottle, "THROTTLE_RATES", {"werknemer_sync": "2/min"})
    page = {"werknemers": [one("1")], "dry_run": True}
    assert [api.post(SYNC, page, format="json").status_code for _ in range(2)] == [200, 200]
    limited = api.post(SYNC, page, format="json")
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
    assert api.patch(nummer("1"), {}, format="json").status_code == 429


def test_se1_the_sync_token_is_refused_on_every_other_api_route(hr, verified_client):
    """Deny by default: every API route but the sync ones answers 403 token_scope (the token
    endpoint itself authenticates nobody and is left out)."""
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Bearer {sync_token_for(hr, verified_client)}")
    allowed = {"api:werknemer-sync", "api:werknemer-nummer", "api:token"}
    checked = 0
    for pattern in PATTERNS:
        skip = pattern.name in allowed or pattern.is_format_suffix  # ".json": the same view
        if not pattern.route.startswith("api/") or skip:
            continue
        path = "/" + re.sub(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)", "1", pattern.route)
        path = path.replace("$", "").replace("^", "").replace("\\.", ".").replace("/?", "")
        response = machine.get(path)
        assert response.status_code == 403, (path, response.status_code)
        if "json" in response.headers["Content-Type"]:  # the docs pages answer in their own
            assert response.json()["code"] == "token_scope", path
        checked += 1
    assert checked > 20
