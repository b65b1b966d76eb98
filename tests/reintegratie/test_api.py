"""The re-integration API (/api/v1/reintegratie/): the same policies, scoping, actions and audit as
the pages — RI-3 (plan, optimistic locking, the employee's response), RI-5 (reports: employer
reads only released progress and cooperation), RI-6/RI-8 (per-case, per-view access), RI-10 (no
consultant sees anything before the employee is informed), SE-7 (reads audited), SE-9."""

from datetime import date, timedelta

import pytest

from accounts.roles import Role
from privacy.models import AuditAction, AuditEvent
from reintegratie import policies, queries
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import PlanVanAanpak, ReportStatus, Trajectory, Voortgangsrapportage
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

BASE = "/api/v1/reintegratie"
TODAY = date.today()
# RI-5: exactly what the employer side reads of a report.
EMPLOYER_REPORT_KEYS = {
    "id",
    "trajectory",
    "period_end",
    "attendance",
    "cooperating",
    "cooperation_explanation",
    "progress",
    "next_steps",
    "released_at",
    "employee_remark",  # the employee's reaction goes with the report (issue 18)
}


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def werkgever(make_user):
    return make_user(Role.WERKGEVER)


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS)


@pytest.fixture
def werknemer_user(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def werknemer(employer, werknemer_user):
    return WerknemerFactory(
        organisation=employer, user=werknemer_user, first_name="Anna", last_name="Visser"
    )


@pytest.fixture
def case(hr, werknemer):
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=TODAY - timedelta(days=60),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


@pytest.fixture
def provider(db):
    return OrganisationFactory(kind="reintegratiebedrijf", name="Reïntegratie Noord BV")


@pytest.fixture
def consultant(make_user, provider):
    return make_user(Role.CONSULTANT, organisation=provider)


@pytest.fixture
def colleague(make_user, provider):
    """A consultant of the same company who is not on the trajectory's staff (RI-8)."""
    return make_user(Role.CONSULTANT, organisation=provider)


@pytest.fixture
def trajectory(hr, case, provider, consultant):
    return traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=case,
        provider=provider,
        consultant=consultant,
        category="fysiek",
        data_items=["personalia", "verzuim"],
        start_on=TODAY,
    )


@pytest.fixture
def informed(trajectory, werknemer_user):
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=trajectory)
    trajectory.refresh_from_db()
    return trajectory


def _report(consultant, trajectory, *, to=ReportStatus.CONCEPT, werknemer_user=None):
    report = rapportage_actions.file_report(
        by=consultant,
        trajectory=trajectory,
        period_end=TODAY,
        attendance="aanwezig",
        cooperating=True,
        cooperation_explanation="",
        progress="Werkt drie ochtenden per week op de eigen afdeling.",
        next_steps="Uitbreiden naar vier dagen; gesprek over taken.",
    )
    if to == ReportStatus.CONCEPT:
        return report
    rapportage_actions.share_report(by=consultant, report=report)
    if to == ReportStatus.TER_INZAGE:
        return report
    rapportage_actions.mark_report_seen(by=werknemer_user, report=report)
    report.refresh_from_db()
    return rapportage_actions.release_report(by=consultant, report=report)


@pytest.fixture
def reports(consultant, informed, werknemer_user):
    """One report in each state: concept, ter inzage, vrijgegeven."""
    return {
        state: _report(consultant, informed, to=state, werknemer_user=werknemer_user)
        for state in (ReportStatus.CONCEPT, ReportStatus.TER_INZAGE, ReportStatus.VRIJGEGEVEN)
    }


def _plan_body(case, **overrides):
    return {
        "ziekmelding": case.pk,
        "drawn_up_on": TODAY.isoformat(),
        "casemanager": "J. de Boer",
        "spoor": "eigen_werk",
        "goals": "Terug naar eigen werk in 12 weken, opbouw in uren.",
        **overrides,
    }


def _trajectory_body(case, provider, consultant, **overrides):
    return {
        "ziekmelding": case.pk,
        "provider": provider.pk,
        "consultant": consultant.pk,
        "category": "psychisch",
        "data_items": ["personalia"],
        "start_on": TODAY.isoformat(),
        **overrides,
    }


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- RI-8, RI-10: per-case access ----------------------------------------------------------------


def test_ri8_consultant_not_on_staff_gets_404_and_empty_list(
    bearer_client, colleague, informed, reports
):
    """RI-8: a consultant of the same company who is not on the staff sees nothing of the case —
    not the trajectory, not its reports, not even in a list — and cannot report on it."""
    client = bearer_client(colleague)
    assert client.get(f"{BASE}/trajecten/{informed.pk}/").status_code == 404
    assert _ids(client.get(f"{BASE}/trajecten/")) == set()
    for report in reports.values():
        response = client.get(f"{BASE}/rapportages/{report.pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert _ids(client.get(f"{BASE}/rapportages/")) == set()
    assert _ids(client.get(f"{BASE}/rapportages/?trajectory={informed.pk}")) == set()
    created = client.post(
        f"{BASE}/rapportages/",
        {
            "trajectory": informed.pk,
            "period_end": TODAY.isoformat(),
            "attendance": "aanwezig",
            "cooperating": True,
            "progress": "Goed bezig.",
            "next_steps": "Doorgaan.",
        },
        format="json",
    )
    assert created.status_code == 404
    assert Voortgangsrapportage.objects.count() == 3


def test_ri8_handling_consultant_sees_whole_trajectory_and_shared_data(
    bearer_client, consultant, informed, reports
):
    """RI-8, RI-10: the handling consultant sees all reports and exactly the data passed."""
    client = bearer_client(consultant)
    data = client.get(f"{BASE}/trajecten/{informed.pk}/").json()
    assert data["view"] == policies.CONSULTANT
    assert data["werknemer"] == {
        "name": "Anna Visser",
        "personnel_number": informed.werknemer.personnel_number,
    }
    assert data["data_items"] == ["personalia", "verzuim"]
    assert data["client_number"] == informed.client_number
    assert data["category"] == {"value": "fysiek", "label": "fysiek interventietraject"}
    assert _ids(client.get(f"{BASE}/rapportages/")) == {r.pk for r in reports.values()}
    detail = client.get(f"{BASE}/rapportages/{reports[ReportStatus.CONCEPT].pk}/").json()
    assert detail["status"] == ReportStatus.CONCEPT


def test_ri10_no_consultant_sees_the_trajectory_before_the_employee_is_informed(
    bearer_client, consultant, trajectory, werknemer_user
):
    """RI-10: before the employee has read the aanmelding, even the handling consultant gets
    404 and an empty list; afterwards the trajectory appears."""
    client = bearer_client(consultant)
    assert client.get(f"{BASE}/trajecten/{trajectory.pk}/").status_code == 404
    assert _ids(client.get(f"{BASE}/trajecten/")) == set()
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=trajectory)
    assert client.get(f"{BASE}/trajecten/{trajectory.pk}/").status_code == 200
    assert _ids(client.get(f"{BASE}/trajecten/")) == {trajectory.pk}


def test_se9_hr_of_another_employer_gets_404(
    bearer_client, make_user, other_employer, case, informed, reports
):
    """SE-9, RI-8: HR of another employer reaches nothing of this case, by id or by list."""
    plan = plan_actions.save_plan(
        by=make_user(Role.HR),
        ziekmelding=case,
        version=0,
        drawn_up_on=TODAY,
        casemanager="J. de Boer",
        spoor="eigen_werk",
        goals="Terug naar eigen werk.",
    )
    client = bearer_client(make_user(Role.HR, organisation=other_employer))
    assert client.get(f"{BASE}/plannen/{plan.pk}/").status_code == 404
    assert (
        client.patch(f"{BASE}/plannen/{plan.pk}/", {"version": 1}, format="json").status_code == 404
    )
    assert client.get(f"{BASE}/trajecten/{informed.pk}/").status_code == 404
    released = reports[ReportStatus.VRIJGEGEVEN]
    assert client.get(f"{BASE}/rapportages/{released.pk}/").status_code == 404
    for path in ("plannen", "trajecten", "rapportages"):
        assert _ids(client.get(f"{BASE}/{path}/")) == set()
    assert client.post(f"{BASE}/plannen/", _plan_body(case), format="json").status_code == 404
    body = _trajectory_body(case, informed.provider, informed.staff.get().user)
    assert client.post(f"{BASE}/trajecten/", body, format="json").status_code == 404
    assert Trajectory.objects.count() == 1


# --- RI-3: the plan van aanpak --------------------------------------------------------------------


def test_ri3_two_patches_from_the_same_version_second_gets_409(bearer_client, hr, werkgever, case):
    """RI-3 (optimistic locking): two people save from version 1; the second gets 409 and the
    first one's change is kept."""
    first, second = bearer_client(hr), bearer_client(werkgever)
    created = first.post(f"{BASE}/plannen/", _plan_body(case), format="json")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["version"] == 1
    assert plan["werknemer"] == case.werknemer_id
    url = f"{BASE}/plannen/{plan['id']}/"
    ok = first.patch(url, {"version": 1, "goals": "Eerst halve dagen."}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    assert ok.json()["casemanager"] == "J. de Boer"  # left out of the PATCH, kept
    stale = second.patch(url, {"version": 1, "goals": "Direct volledig."}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert first.get(url).json()["goals"] == "Eerst halve dagen."
    assert PlanVanAanpak.objects.get().versies.count() == 2


def test_ri3_second_plan_for_the_same_case_is_a_conflict(bearer_client, hr, case):
    """RI-3: one plan per case; creating it again answers 409, not a second plan."""
    client = bearer_client(hr)
    assert client.post(f"{BASE}/plannen/", _plan_body(case), format="json").status_code == 201
    again = client.post(f"{BASE}/plannen/", _plan_body(case), format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert PlanVanAanpak.objects.count() == 1


def test_zm3_plan_goals_with_a_medical_term_are_refused(bearer_client, hr, case):
    """ZM-3, RI-3: the action's guard refuses medical terms in the goals: 400 `invalid` naming
    the word at the field; nothing saved."""
    response = bearer_client(hr).post(
        f"{BASE}/plannen/",
        _plan_body(case, goals="Na de hernia eerst rustig opbouwen."),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "hernia" in " ".join(body["fields"]["goals"])
    assert not PlanVanAanpak.objects.exists()


def test_ri3_patch_without_version_is_400(bearer_client, hr, case):
    """RI-3: the version is required (optimistic locking)."""
    client = bearer_client(hr)
    plan = client.post(f"{BASE}/plannen/", _plan_body(case), format="json").json()
    response = client.patch(f"{BASE}/plannen/{plan['id']}/", {"goals": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "version" in response.json()["fields"]


def test_ri3_werknemer_responds_to_the_version_they_read(
    bearer_client, hr, werknemer_user, doctor, case
):
    """RI-3: the employee agrees with version 1 via the API; a stale version answers 409; the
    employee cannot edit the plan, HR cannot respond for them, the doctor only reads."""
    hr_client = bearer_client(hr)  # one token per user: a TOTP code is accepted once
    plan = hr_client.post(f"{BASE}/plannen/", _plan_body(case), format="json").json()
    url = f"{BASE}/plannen/{plan['id']}/"
    client = bearer_client(werknemer_user)
    assert client.get(url).status_code == 200
    agreed = client.post(f"{url}respond/", {"version": 1, "agree": True}, format="json")
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["employee_response"] == "akkoord"
    assert agreed.json()["employee_response_version"] == 1
    stale = client.post(
        f"{url}respond/", {"version": 7, "agree": False, "remark": "Te snel."}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    no_remark = client.post(f"{url}respond/", {"version": 1, "agree": False}, format="json")
    assert no_remark.status_code == 400
    assert "remark" in no_remark.json()["fields"]
    assert client.patch(url, {"version": 1, "goals": "Anders."}, format="json").status_code == 403
    refused = hr_client.post(f"{url}respond/", {"version": 1, "agree": True}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    doctor_client = bearer_client(doctor)
    assert doctor_client.get(url).status_code == 200
    assert doctor_client.patch(url, {"version": 1}, format="json").status_code == 403
    assert PlanVanAanpak.objects.get().employee_response == "akkoord"


# --- RI-5: reports --------------------------------------------------------------------------------


def test_ri5_employer_report_json_has_only_the_allowed_keys(
    bearer_client, hr, doctor, informed, reports
):
    """RI-5: HR (and the doctor, here) read only released reports, and of them only progress and
    cooperation — exactly these keys; concept and ter-inzage reports stay hidden."""
    released = reports[ReportStatus.VRIJGEGEVEN]
    for user in (hr, doctor):
        client = bearer_client(user)
        listed = client.get(f"{BASE}/rapportages/")
        assert _ids(listed) == {released.pk}
        assert set(listed.json()["results"][0]) == EMPLOYER_REPORT_KEYS
        detail = client.get(f"{BASE}/rapportages/{released.pk}/")
        assert detail.status_code == 200
        assert set(detail.json()) == EMPLOYER_REPORT_KEYS
        assert detail.json()["trajectory"] == informed.pk
        for state in (ReportStatus.CONCEPT, ReportStatus.TER_INZAGE):
            assert client.get(f"{BASE}/rapportages/{reports[state].pk}/").status_code == 404
        assert _ids(client.get(f"{BASE}/rapportages/?trajectory={informed.pk}")) == {released.pk}


def test_ri5_werknemer_sees_reports_put_before_them_but_not_concepts(
    bearer_client, werknemer_user, reports
):
    """RI-5: the employee reads what is put before them (and their own remark), never a
    concept."""
    client = bearer_client(werknemer_user)
    expected = {reports[ReportStatus.TER_INZAGE].pk, reports[ReportStatus.VRIJGEGEVEN].pk}
    assert _ids(client.get(f"{BASE}/rapportages/")) == expected
    assert client.get(f"{BASE}/rapportages/{reports[ReportStatus.CONCEPT].pk}/").status_code == 404


def test_ri5_release_before_the_employee_saw_it_is_400(bearer_client, consultant, informed):
    """RI-5: a report goes to the employer only after the employee has read it."""
    report = _report(consultant, informed, to=ReportStatus.TER_INZAGE)
    response = bearer_client(consultant).post(f"{BASE}/rapportages/{report.pk}/release/")
    assert response.status_code == 400
    assert response.json()["code"] == "not_seen_by_employee"
    report.refresh_from_db()
    assert report.released_at is None
    assert report.status == ReportStatus.TER_INZAGE


def test_ri5_report_flow_through_the_api(bearer_client, consultant, werknemer_user, hr, informed):
    """RI-5: consultant files (201) and shares; the employee marks it seen with a remark; the
    consultant releases; only then does HR read it. HR cannot file, share or release."""
    staff = bearer_client(consultant)
    created = staff.post(
        f"{BASE}/rapportages/",
        {
            "trajectory": informed.pk,
            "period_end": TODAY.isoformat(),
            "attendance": "deels",
            "cooperating": True,
            "progress": "Werkt drie ochtenden per week op de eigen afdeling.",
            "next_steps": "Uitbreiden naar vier dagen.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == ReportStatus.CONCEPT
    employer = bearer_client(hr)
    assert _ids(employer.get(f"{BASE}/rapportages/")) == set()
    shared = staff.post(f"{BASE}/rapportages/{pk}/share/")
    assert shared.status_code == 200
    assert shared.json()["status"] == ReportStatus.TER_INZAGE
    employee = bearer_client(werknemer_user)
    seen = employee.post(f"{BASE}/rapportages/{pk}/seen/", {"remark": "Klopt zo."}, format="json")
    assert seen.status_code == 200, seen.content
    assert seen.json()["employee_seen_at"] is not None
    assert staff.post(f"{BASE}/rapportages/{pk}/seen/").status_code == 403
    released = staff.post(f"{BASE}/rapportages/{pk}/release/")
    assert released.status_code == 200, released.content
    assert released.json()["status"] == ReportStatus.VRIJGEGEVEN
    assert _ids(employer.get(f"{BASE}/rapportages/")) == {pk}
    for step in ("share", "release"):
        assert employer.post(f"{BASE}/rapportages/{pk}/{step}/").status_code == 403
    body = {"trajectory": informed.pk, "period_end": TODAY.isoformat(), "attendance": "aanwezig"}
    body |= {"cooperating": True, "progress": "x", "next_steps": "y"}
    assert employer.post(f"{BASE}/rapportages/", body, format="json").status_code == 403


def test_ri5_report_with_a_medical_term_is_refused(bearer_client, consultant, informed):
    """RI-5, ZM-3: no diagnosis in a report the employer may read: 400 naming the field."""
    response = bearer_client(consultant).post(
        f"{BASE}/rapportages/",
        {
            "trajectory": informed.pk,
            "period_end": TODAY.isoformat(),
            "attendance": "aanwezig",
            "cooperating": True,
            "progress": "Na de hernia eerst rustig opbouwen.",
            "next_steps": "Doorgaan.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()["fields"]
    assert not Voortgangsrapportage.objects.exists()


def test_ri5_ri8_report_list_equals_the_union_of_reports_for_view(
    make_user, hr, doctor, consultant, colleague, werknemer_user, informed, reports
):
    """RI-5, RI-8: the list's single queryset equals the per-trajectory rule of the pages."""
    administratief = make_user(Role.CONSULTANT, organisation=informed.provider)
    traject_actions.assign_staff(
        by=consultant, trajectory=informed, user=administratief, function="administratief"
    )
    for user in (hr, doctor, consultant, colleague, werknemer_user, administratief):
        expected = set()
        for trajectory in queries.trajectories_visible_to(user):
            view = policies.trajectory_view(user, trajectory)
            expected |= set(queries.reports_for_view(trajectory, view).values_list("pk", flat=True))
        assert set(queries.reports_visible_to(user).values_list("pk", flat=True)) == expected, (
            user.role
        )


# --- RI-6, RI-10: trajectories per view and commissioning -----------------------------------------


def test_ri6_employer_view_has_no_client_number_and_nothing_medical(
    bearer_client, hr, doctor, informed
):
    """RI-6, RI-8: HR and the doctor see the generic category, status and the data passed —
    never the client number (no client-number-to-name mapping)."""
    for user, view in ((hr, policies.EMPLOYER), (doctor, policies.DOCTOR)):
        data = bearer_client(user).get(f"{BASE}/trajecten/{informed.pk}/").json()
        assert data["view"] == view
        assert "client_number" not in data
        assert data["data_items"] == ["personalia", "verzuim"]
        assert data["werknemer"] == {"id": informed.werknemer_id}
        assert data["category"]["label"] == "fysiek interventietraject"
        assert data["provider"] == "Reïntegratie Noord BV"


def test_ri6_ri8_administratief_gets_the_client_number_and_a_name_only_if_invoiced_by_name(
    bearer_client, make_user, consultant, informed
):
    """RI-6, RI-8: the administrative employee sees what invoicing needs: the client number;
    the name only when invoices carry it; never the shared data or reports."""
    administratief = make_user(Role.CONSULTANT, organisation=informed.provider)
    traject_actions.assign_staff(
        by=consultant, trajectory=informed, user=administratief, function="administratief"
    )
    client = bearer_client(administratief)
    data = client.get(f"{BASE}/trajecten/{informed.pk}/").json()
    assert data["view"] == policies.ADMINISTRATIEF
    assert data["client_number"] == informed.client_number
    assert "werknemer" not in data
    assert "data_items" not in data
    Trajectory.objects.filter(pk=informed.pk).update(invoice_by_client_number=False)
    data = client.get(f"{BASE}/trajecten/{informed.pk}/").json()
    assert data["werknemer"] == {"name": "Anna Visser"}
    assert _ids(client.get(f"{BASE}/rapportages/")) == set()


def test_ri10_bedrijfsarts_can_commission_a_trajectory(
    bearer_client, doctor, case, provider, consultant
):
    """RI-10: the assigned bedrijfsarts commissions (201); the company sees nothing yet."""
    response = bearer_client(doctor).post(
        f"{BASE}/trajecten/", _trajectory_body(case, provider, consultant), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["view"] == policies.DOCTOR
    assert data["commissioner_kind"] == "bedrijfsarts"
    assert data["status"] == "aangemeld"
    assert data["category"] == {"value": "psychisch", "label": "psychisch interventietraject"}
    assert "client_number" not in data
    assert bearer_client(consultant).get(f"{BASE}/trajecten/{data['id']}/").status_code == 404


def test_ri10_werkgever_who_is_not_hr_cannot_commission(
    bearer_client, werkgever, case, provider, consultant
):
    """RI-10, SE-2: a werkgever (not HR) gets 403; nothing is created."""
    response = bearer_client(werkgever).post(
        f"{BASE}/trajecten/", _trajectory_body(case, provider, consultant), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Trajectory.objects.exists()


def test_ri10_commission_refuses_a_consultant_of_another_company(
    bearer_client, hr, case, provider, make_user
):
    """RI-10: the consultant must belong to the chosen company: 400 at the field."""
    stranger = make_user(
        Role.CONSULTANT, organisation=OrganisationFactory(kind="reintegratiebedrijf")
    )
    response = bearer_client(hr).post(
        f"{BASE}/trajecten/", _trajectory_body(case, provider, stranger), format="json"
    )
    assert response.status_code == 400
    assert "consultant" in response.json()["fields"]
    assert not Trajectory.objects.exists()


# --- SE-7: reads are audited; SE-2: 4xx never 500 -------------------------------------------------


def test_se7_every_read_through_the_api_is_audited(bearer_client, hr, case, informed, reports):
    """SE-7: lists and details write READ entries per object, with the employee's pseudonym."""
    client = bearer_client(hr)
    plan = client.post(f"{BASE}/plannen/", _plan_body(case), format="json").json()
    before = AuditEvent.objects.filter(action=AuditAction.READ).count()
    released = reports[ReportStatus.VRIJGEGEVEN]
    for path in (
        "plannen/",
        f"plannen/{plan['id']}/",
        "trajecten/",
        f"trajecten/{informed.pk}/",
        "rapportages/",
        f"rapportages/{released.pk}/",
    ):
        assert client.get(f"{BASE}/{path}").status_code == 200
    events = AuditEvent.objects.filter(action=AuditAction.READ).order_by("pk")[before:]
    seen = {(e.object_type, tuple(e.object_ids)) for e in events}
    assert seen == {
        ("reintegratie.planvanaanpak", (str(plan["id"]),)),
        ("reintegratie.trajectory", (str(informed.pk),)),
        ("reintegratie.voortgangsrapportage", (str(released.pk),)),
    }
    assert len(events) == 6
    assert {e.subject for e in events} == {case.werknemer.pseudonym}
    assert all(e.detail.endswith("(API)") for e in events)


def test_se2_bad_input_is_answered_with_json_4xx_never_500(bearer_client, hr, consultant, case):
    """SE-2: unknown or malformed ids are 404 JSON; a bad body or filter is 400 JSON; a role that
    may never do this gets 403 JSON before its body is read."""
    client = bearer_client(hr)
    for path in ("plannen/abc/", "trajecten/abc/", "rapportages/abc/", "plannen/999999/"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    for path in ("plannen/", "trajecten/"):
        response = client.post(f"{BASE}/{path}", {}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
    assert (
        client.post(
            f"{BASE}/plannen/", _plan_body(case, ziekmelding=999999), format="json"
        ).status_code
        == 404
    )
    assert client.get(f"{BASE}/rapportages/?trajectory=abc").status_code == 400
    staff = bearer_client(consultant)
    assert staff.post(f"{BASE}/plannen/", {}, format="json").status_code == 403
    assert staff.post(f"{BASE}/trajecten/", {}, format="json").status_code == 403
    assert client.post(f"{BASE}/rapportages/", {}, format="json").status_code == 403
    assert client.put(f"{BASE}/plannen/1/", {}, format="json").status_code == 405
