"""Issue 18, the re-integration worklists on the dashboard (reintegratie/panels.py): the
consultant's progress reports due and employees' remarks to answer (RI-5, RI-8, RI-10); the
employer's plans the employee disagreed with, plan activities due and newly released reports
(RI-3, RI-5) — with links that open, nothing of another consultant or employer (SE-9). That HR's
dashboard shows nothing medical (MD-2): tests/medisch/test_worklist.py."""

import re
from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from accounts.roles import OrganisationKind, Role
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.panels import consultant_worklist, employer_worklist
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def employee(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def wn(employer, employee):
    return WerknemerFactory(
        organisation=employer, user=employee, first_name="Roos", last_name="Rapport"
    )


@pytest.fixture
def zm(hr, wn):
    return create_ziekmelding(
        by=hr,
        werknemer=wn,
        first_day=TODAY - timedelta(days=70),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


@pytest.fixture
def plan(hr, zm):
    return plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=0,
        drawn_up_on=TODAY - timedelta(days=10),
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Binnen acht weken weer volledig het eigen werk doen.",
        advies_ref=None,
    )


@pytest.fixture
def company(db):
    return OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF, name="Werkfit BV")


@pytest.fixture
def consultant(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company)


@pytest.fixture
def trajectory(hr, zm, company, consultant, employee):
    """Running for 40 days without a report: the first is due within 14 days (6 weeks)."""
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=zm,
        provider=company,
        consultant=consultant,
        category="fysiek",
        data_items=["personalia"],
        start_on=TODAY - timedelta(days=40),
    )
    traject_actions.acknowledge_trajectory(by=employee, trajectory=trajectory)
    trajectory.refresh_from_db()
    return trajectory


def _report(consultant, trajectory, period_end=TODAY):
    return rapportage_actions.file_report(
        by=consultant,
        trajectory=trajectory,
        period_end=period_end,
        attendance="aanwezig",
        cooperating=True,
        cooperation_explanation="",
        progress="Werkt drie ochtenden per week.",
        next_steps="Opbouwen naar vier dagen.",
    )


def _groups(panel, user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    result = panel(request)
    if result is None:
        return None
    return {g.title: g for g in result[1]["groups"]}


def _texts(group):
    return [i.text for i in group.items]


def _links_open(client, name):
    page = client.get("/").content.decode()
    section = page.split(f'id="werklijst-{name}"', 1)[1].split("Werklijst vernieuwen", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', section)
    for link in links:
        assert client.get(link).status_code == 200, link
    return links


def test_ri5_consultant_report_due_until_filed(consultant, trajectory, verified_client):
    """RI-5: a running trajectory without a report for 6 weeks waits for its consultant, linked
    to the report form; filing one takes it off."""
    group = _groups(consultant_worklist, consultant)["Voortgangsrapportage te maken"]
    assert _texts(group) == [f"fysiek interventietraject ({trajectory.client_number})"]
    assert group.items[0].due == trajectory.start_on + timedelta(weeks=6)
    assert group.items[0].url == f"/reintegratie/trajecten/{trajectory.pk}/rapportages/nieuw/"
    assert _links_open(verified_client(consultant), "reintegratie-consultant")
    _report(consultant, trajectory)
    assert _groups(consultant_worklist, consultant)["Voortgangsrapportage te maken"].count == 0


def test_ri5_employee_remark_waits_for_the_consultant_until_released(
    consultant, employee, trajectory
):
    """RI-5: the employee's remark on a shared report waits for the consultant until the
    report is released."""
    report = _report(consultant, trajectory)
    rapportage_actions.share_report(by=consultant, report=report)
    report.refresh_from_db()
    rapportage_actions.mark_report_seen(by=employee, report=report, remark="Klopt niet helemaal.")
    group = _groups(consultant_worklist, consultant)["Reacties van werknemers op een rapportage"]
    assert group.count == 1
    assert group.items[0].url == f"/reintegratie/trajecten/{trajectory.pk}/#rapportages"
    report.refresh_from_db()
    rapportage_actions.release_report(by=consultant, report=report)
    group = _groups(consultant_worklist, consultant)["Reacties van werknemers op een rapportage"]
    assert group.count == 0


def test_ri8_ri10_no_trajectory_of_a_colleague_or_before_the_employee_was_informed(
    make_user, company, consultant, hr, zm, trajectory
):
    """RI-8: a colleague at the same company sees nothing of this trajectory; RI-10: nor does
    the handling consultant of one the employee has not yet read about."""
    colleague = make_user(Role.CONSULTANT, organisation=company)
    assert all(g.count == 0 for g in _groups(consultant_worklist, colleague).values())
    other = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=zm,
        provider=company,
        consultant=colleague,
        category="coaching",
        data_items=["personalia"],
        start_on=TODAY - timedelta(days=60),
    )
    assert all(g.count == 0 for g in _groups(consultant_worklist, colleague).values())
    assert other.client_number not in str(_groups(consultant_worklist, consultant))


def test_ri3_employer_sees_disagreed_plan_and_own_activities(
    hr, make_user, employee, plan, verified_client
):
    """RI-3: a plan version the employee did not agree with, and the employer's own activities
    due, wait for HR and werkgever, linked to the plan page."""
    plan_actions.add_activity(
        by=hr, plan=plan, description="Werkplek aanpassen", owner="werkgever", due_on=TODAY
    )
    plan.refresh_from_db()
    plan_actions.respond_to_plan(
        by=employee, plan=plan, version=plan.version, agree=False, remark="Te snel opgebouwd."
    )
    for user in (hr, make_user(Role.WERKGEVER)):
        groups = _groups(employer_worklist, user)
        assert _texts(groups["Plan van aanpak: werknemer niet akkoord"]) == ["Roos Rapport"]
        activities = groups["Activiteiten van de werkgever in het plan van aanpak"]
        assert _texts(activities) == ["Roos Rapport: Werkplek aanpassen"]
    _links_open(verified_client(hr), "reintegratie-werkgever")


def test_ri5_hr_reads_newly_released_reports(hr, consultant, employee, trajectory, verified_client):
    """RI-5: a report released to the employer is new to read for HR (who keeps the dossier);
    a report not yet released is not on HR's list."""
    report = _report(consultant, trajectory)
    rapportage_actions.share_report(by=consultant, report=report)
    title = "Voortgangsrapportages vrijgegeven (laatste 14 dagen)"
    assert _groups(employer_worklist, hr)[title].count == 0
    report.refresh_from_db()
    rapportage_actions.mark_report_seen(by=employee, report=report)
    report.refresh_from_db()
    rapportage_actions.release_report(by=consultant, report=report)
    group = _groups(employer_worklist, hr)[title]
    assert _texts(group) == ["Roos Rapport"]
    _links_open(verified_client(hr), "reintegratie-werkgever")


def test_se9_other_employer_sees_nothing(make_user, other_employer, employee, plan):
    """SE-9: HR of another employer sees none of this employer's plans."""
    plan_actions.respond_to_plan(
        by=employee, plan=plan, version=plan.version, agree=False, remark="Te snel opgebouwd."
    )
    stranger = make_user(Role.HR, organisation=other_employer)
    assert all(g.count == 0 for g in _groups(employer_worklist, stranger).values())


def test_employee_sees_only_what_waits_for_themself(make_user, employer, hr, plan, rf):
    """RI-3, SE-9: the plan version waiting for Roos is on her dashboard, not on a colleague's
    (nor anybody's but the employee's: the panel is theirs)."""
    from reintegratie.panels import employee_panel

    colleague = make_user(Role.WERKNEMER)
    WerknemerFactory(organisation=employer, user=colleague)
    request = rf.get("/")
    request.user = plan.werknemer.user
    assert employee_panel(request)[1]["plans"] == 1
    request.user = colleague
    assert employee_panel(request)[1] == {"plans": 0, "notices": 0, "reports": 0, "machtigingen": 0}
    request.user = hr
    assert employee_panel(request) is None
