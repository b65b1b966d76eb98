"""The employee's own re-integration page (/reintegratie/mijn/): RI-3 (responding to a plan
version), RI-10 (the notice before an aanmelding), RI-5 (reports read before release), RI-9/AV-2
(machtigingen), RI-4 (the doctor's medical part of the verslag, directly to the employee)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from medisch.actions import dossier as medisch_actions
from medisch.actions.reintegratie import record_verslag_deel
from privacy.models import AuditEvent
from reintegratie import queries
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import machtigingen as machtiging_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import (
    EmployeeResponse,
    Machtiging,
    MachtigingStatus,
    PlanVanAanpak,
    PlanVersie,
    ReportStatus,
)
from reintegratie.panels import employee_panel
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = pytest.mark.django_db

MIJN = "/reintegratie/mijn/"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def employee(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def wn(employer, employee):
    return WerknemerFactory(organisation=employer, user=employee, first_name="Wim")


@pytest.fixture
def zm(hr, wn):
    return create_ziekmelding(
        by=hr,
        werknemer=wn,
        first_day=date.today() - timedelta(days=60),
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
        drawn_up_on=date.today() - timedelta(days=10),
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Binnen acht weken weer volledig het eigen werk doen.",
        advies_ref=None,
    )


@pytest.fixture
def company(db):
    return OrganisationFactory(
        kind=OrganisationKind.REINTEGRATIEBEDRIJF, name="Werkfit Coaching BV"
    )


@pytest.fixture
def consultant(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company)


@pytest.fixture
def trajectory(hr, zm, company, consultant):
    return traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=zm,
        provider=company,
        consultant=consultant,
        category="fysiek",
        data_items=["personalia", "functie"],
        start_on=date.today(),
    )


@pytest.fixture
def informed_trajectory(employee, trajectory):
    traject_actions.acknowledge_trajectory(by=employee, trajectory=trajectory)
    trajectory.refresh_from_db()
    return trajectory


@pytest.fixture
def shared_report(consultant, informed_trajectory):
    report = rapportage_actions.file_report(
        by=consultant,
        trajectory=informed_trajectory,
        period_end=date.today(),
        attendance="aanwezig",
        cooperating=True,
        cooperation_explanation="Komt alle afspraken na.",
        progress="Werkt nu drie ochtenden per week op de afdeling.",
        next_steps="Volgende maand opbouwen naar vier dagen.",
    )
    rapportage_actions.share_report(by=consultant, report=report)
    report.refresh_from_db()
    return report


def _machtiging(consultant, trajectory, **overrides):
    data = {
        "party": "huisarts Dr. Jansen",
        "data_description": "de brief van de specialist over het herstel",
        "purpose": "het traject afstemmen op wat u aankunt",
        "valid_from": date.today(),
        "valid_until": date.today() + timedelta(days=90),
        **overrides,
    }
    return machtiging_actions.request_machtiging(by=consultant, trajectory=trajectory, **data)


@pytest.fixture
def machtiging(consultant, informed_trajectory):
    return _machtiging(consultant, informed_trajectory)


@pytest.fixture
def other_employee(make_user, employer):
    user = make_user(Role.WERKNEMER)
    WerknemerFactory(organisation=employer, user=user)
    return user


# --- access ---------------------------------------------------------------------------------------


def test_only_the_werknemer_with_a_record_gets_the_page(
    make_user, employee, wn, hr, verified_client
):
    """SE-2, SE-9: the page is the employee's own; every other role, and a werknemer login without
    an employee record, gets 404."""
    assert verified_client(employee).get(MIJN).status_code == 200
    for role in (Role.HR, Role.WERKGEVER, Role.BEDRIJFSARTS, Role.CONSULTANT, Role.BEHEERDER):
        assert verified_client(make_user(role)).get(MIJN).status_code == 404, role
    assert verified_client(make_user(Role.WERKNEMER)).get(MIJN).status_code == 404


def test_post_views_refuse_get(employee, wn, plan, verified_client):
    """SE-2: the state-changing routes of the page are POST only (405 on GET)."""
    client = verified_client(employee)
    for path in (
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/",
        "/reintegratie/mijn/trajecten/1/gelezen/",
        "/reintegratie/mijn/rapportages/1/gelezen/",
        "/reintegratie/mijn/machtigingen/1/besluit/",
        "/reintegratie/mijn/machtigingen/1/intrekken/",
    ):
        assert client.get(path).status_code == 405, path


def test_page_view_is_audited(employee, wn, verified_client):
    """SE-7: reading the own re-integration page is logged under the employee's pseudonym."""
    verified_client(employee).get(MIJN)
    event = AuditEvent.objects.get(object_type="reintegratie.mijn")
    assert event.action == "read" and event.subject == wn.pseudonym
    assert event.object_ids == [str(wn.pk)] and event.detail == "eigen re-integratiepagina"


def test_verzuim_page_links_to_reintegratie_page(employee, wn, verified_client):
    """RI-3, RI-4: the employee finds the re-integration page from their own verzuim page."""
    page = verified_client(employee).get("/verzuim/mijn/").content.decode()
    assert 'href="/reintegratie/mijn/"' in page


# --- RI-3: plan van aanpak ------------------------------------------------------------------------


def test_ri3_plan_shows_only_the_referenced_advice(
    make_user, hr, zm, wn, employee, verified_client
):
    """RI-3: the plan shows the doctor's limitations and capabilities by reference (the advice
    with plan.advies_ref), not another advice; goals, casemanager, activities and version."""
    doctor = make_user(Role.BEDRIJFSARTS)
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=wn)
    common = {
        "date": date.today(),
        "expected_duration": "middel",
        "incapacity_percentage": 50,
        "adjustments": "",
    }
    old = medisch_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        release=True,
        limitations="OUDADVIES beperking",
        capabilities="OUDADVIES mogelijkheid",
        **common,
    )
    new = medisch_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        release=True,
        limitations="Niet tillen boven 10 kg",
        capabilities="Bureauwerk 4 uur per dag",
        **common,
    )
    assert old.pk != new.pk
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=0,
        drawn_up_on=date.today(),
        casemanager="Carla Casemanager",
        spoor="aangepast_werk",
        goals="Opbouwen in aangepast werk.",
        advies_ref=new.pk,
    )
    plan_actions.add_activity(
        by=hr,
        plan=plan,
        description="Gesprek over aanpassing werkplek",
        owner="samen",
        due_on=date.today() + timedelta(days=7),
    )
    page = verified_client(employee).get(MIJN).content.decode()
    assert "Niet tillen boven 10 kg" in page and "Bureauwerk 4 uur per dag" in page
    assert "OUDADVIES" not in page
    assert "Opbouwen in aangepast werk." in page and "Carla Casemanager" in page
    assert "Gesprek over aanpassing werkplek" in page and "werkgever en werknemer" in page
    due = (date.today() + timedelta(days=7)).strftime("%d-%m-%Y")
    assert due in page
    assert "versie 2" in page  # the activity made a new version
    assert 'name="version" value="2"' in page


def test_ri3_employee_agrees_with_the_version(employee, wn, plan, verified_client):
    """RI-3: the employee agrees with the version they read; the response names that version."""
    client = verified_client(employee)
    response = client.post(
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/", {"version": 1, "response": "akkoord"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.employee_response == EmployeeResponse.AGREED
    assert plan.employee_response_version == 1 and plan.response_is_current
    page = client.get(MIJN).content.decode()
    assert "gereageerd op versie 1" in page


def test_ri3_disagreement_needs_a_remark(employee, wn, plan, verified_client):
    """RI-3: disagreeing requires a remark; without one the form returns with the error at the
    field and nothing is recorded; with one it is recorded."""
    client = verified_client(employee)
    url = f"/reintegratie/mijn/plan/{plan.pk}/reactie/"
    refused = client.post(url, {"version": 1, "response": "niet_akkoord", "remark": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f'id="plan{plan.pk}_remark_error"' in page
    assert "Schrijf kort waarmee u het niet eens bent." in page
    plan.refresh_from_db()
    assert plan.employee_response == EmployeeResponse.PENDING
    ok = client.post(
        url,
        {"version": 1, "response": "niet_akkoord", "remark": "Acht weken is te kort voor mij."},
    )
    assert ok.status_code == 302
    plan.refresh_from_db()
    assert plan.employee_response == EmployeeResponse.DISAGREED
    assert plan.employee_remark == "Acht weken is te kort voor mij."


def test_ri3_zm3_medical_term_in_remark_refused_at_the_field(employee, wn, plan, verified_client):
    """RI-3, ZM-3: the employer reads the remark, so a medical term is refused at the field,
    naming the word, and everything typed comes back."""
    remark = "Door mijn hernia lukt het tillen nog niet."
    response = verified_client(employee).post(
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/",
        {"version": 1, "response": "niet_akkoord", "remark": remark},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="plan{plan.pk}_remark_error"' in page and "hernia" in page
    assert remark in page  # kept
    assert f'id="plan{plan.pk}_response_1" checked' in page  # "niet akkoord" still chosen
    plan.refresh_from_db()
    assert plan.employee_response == EmployeeResponse.PENDING and plan.employee_remark == ""


def test_ri3_stale_version_shows_conflict_and_new_version_without_overwrite(
    hr, zm, employee, wn, plan, verified_client
):
    """RI-3: when the plan changed while the employee read it, their response to the old version
    is refused with a clear message, the new version is shown, the remark is kept, nothing is
    overwritten — and every version of the plan is kept (PlanVersie)."""
    plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=1,
        drawn_up_on=plan.drawn_up_on,
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="NIEUWE DOELEN: eerst halve dagen.",
        advies_ref=None,
    )
    remark = "Ik wil eerst met de casemanager praten over de planning."
    response = verified_client(employee).post(
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/",
        {"version": 1, "response": "niet_akkoord", "remark": remark},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "gewijzigd terwijl u het las" in page and "versie 2" in page
    assert "NIEUWE DOELEN: eerst halve dagen." in page
    assert remark in page
    assert 'name="version" value="2"' in page
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.employee_response == EmployeeResponse.PENDING
    assert plan.employee_response_version is None and plan.employee_remark == ""
    versions = PlanVersie.objects.filter(plan=plan).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["goals"] == "Binnen acht weken weer volledig het eigen werk doen."
    assert versions[1].snapshot["goals"] == "NIEUWE DOELEN: eerst halve dagen."


def test_ri3_response_to_old_version_is_no_longer_current(
    hr, zm, employee, wn, plan, verified_client
):
    """RI-3: a response belongs to a version; after a new version the employee is asked again."""
    client = verified_client(employee)
    client.post(
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/", {"version": 1, "response": "akkoord"}
    )
    plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=1,
        drawn_up_on=plan.drawn_up_on,
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Gewijzigde doelen.",
        advies_ref=None,
    )
    plan.refresh_from_db()
    assert not plan.response_is_current
    page = client.get(MIJN).content.decode()
    assert "reageerde eerder op versie 1" in page


def test_ri3_someone_elses_plan_is_404(other_employee, plan, verified_client):
    """RI-3, SE-9: another employee cannot respond to this plan (404), nothing changes."""
    response = verified_client(other_employee).post(
        f"/reintegratie/mijn/plan/{plan.pk}/reactie/", {"version": 1, "response": "akkoord"}
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.employee_response == EmployeeResponse.PENDING


# --- RI-10: the notice before the aanmelding ------------------------------------------------------


def test_ri10_notice_lists_data_and_company_before_the_company_sees_anything(
    employee, wn, trajectory, consultant, verified_client
):
    """RI-10: before acknowledgement the employee sees exactly which data goes to which company;
    the company's consultant cannot open the trajectory until the employee has read it."""
    page = verified_client(employee).get(MIJN).content.decode()
    assert "Werkfit Coaching BV" in page
    assert "naam, geboortedatum en contactgegevens" in page
    assert "afdeling en functie" in page
    assert "fysiek interventietraject" in page
    assert "advies van de bedrijfsarts (functionele beperkingen" not in page  # not passed
    assert "Ik heb dit gelezen" in page
    assert trajectory not in queries.trajectories_visible_to(consultant)
    consultant_client = verified_client(consultant)
    assert consultant_client.get(f"/reintegratie/trajecten/{trajectory.pk}/").status_code == 404

    response = verified_client(employee).post(
        f"/reintegratie/mijn/trajecten/{trajectory.pk}/gelezen/"
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.employee_informed_at is not None and trajectory.status == "lopend"
    assert trajectory in queries.trajectories_visible_to(consultant)
    page = verified_client(employee).get(MIJN).content.decode()
    assert "Ik heb dit gelezen" not in page
    assert "Werkfit Coaching BV" in page and "lopend" in page


def test_ri10_someone_elses_notice_is_404(other_employee, trajectory, verified_client):
    """RI-10, SE-9: only the employee concerned can acknowledge the notice."""
    response = verified_client(other_employee).post(
        f"/reintegratie/mijn/trajecten/{trajectory.pk}/gelezen/"
    )
    assert response.status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.employee_informed_at is None


# --- RI-5: reports read before release ------------------------------------------------------------


def test_ri5_employee_reads_report_before_it_goes_to_the_employer(
    employee, wn, consultant, shared_report, verified_client
):
    """RI-5: the report put before the employee shows all its fields; release to the employer is
    refused until the employee has read it, and succeeds afterwards."""
    client = verified_client(employee)
    page = client.get(MIJN).content.decode()
    assert "Werkt nu drie ochtenden per week op de afdeling." in page
    assert "Volgende maand opbouwen naar vier dagen." in page
    assert "Komt alle afspraken na." in page and "alle afspraken nagekomen" in page
    assert "pas naar uw werkgever nadat u haar hebt gelezen" in page
    assert "Ik heb deze rapportage gelezen" in page
    with pytest.raises(ValidationError):
        rapportage_actions.release_report(by=consultant, report=shared_report)
    shared_report.refresh_from_db()
    assert shared_report.released_at is None

    response = client.post(
        f"/reintegratie/mijn/rapportages/{shared_report.pk}/gelezen/",
        {"remark": "Klopt, ik merk vooruitgang."},
    )
    assert response.status_code == 302
    shared_report.refresh_from_db()
    assert shared_report.employee_seen_at is not None
    assert shared_report.employee_remark == "Klopt, ik merk vooruitgang."
    rapportage_actions.release_report(by=consultant, report=shared_report)
    shared_report.refresh_from_db()
    assert shared_report.status == ReportStatus.VRIJGEGEVEN and shared_report.released_at
    page = client.get(MIJN).content.decode()
    assert "Ik heb deze rapportage gelezen" not in page
    assert "vrijgegeven aan de werkgever" in page


def test_ri5_concept_reports_are_not_shown(
    employee, wn, consultant, informed_trajectory, verified_client
):
    """RI-5: a concept the company has not put before the employee does not appear."""
    rapportage_actions.file_report(
        by=consultant,
        trajectory=informed_trajectory,
        period_end=date.today(),
        attendance="deels",
        cooperating=True,
        cooperation_explanation="",
        progress="CONCEPTTEKST voortgang",
        next_steps="verder",
    )
    assert "CONCEPTTEKST" not in verified_client(employee).get(MIJN).content.decode()


def test_ri5_zm3_medical_term_in_report_remark_refused(
    employee, wn, shared_report, verified_client
):
    """RI-5, ZM-3: the employee's reaction goes to the employer with the report, so medical terms
    are refused at the field and the text is kept; the report stays unread."""
    remark = "Na de fysiotherapie gaat het beter."
    response = verified_client(employee).post(
        f"/reintegratie/mijn/rapportages/{shared_report.pk}/gelezen/", {"remark": remark}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="rapport{shared_report.pk}_remark_error"' in page and remark in page
    shared_report.refresh_from_db()
    assert shared_report.employee_seen_at is None


def test_ri5_someone_elses_report_is_404(other_employee, shared_report, verified_client):
    """RI-5, SE-9: another employee cannot mark this report as read."""
    response = verified_client(other_employee).post(
        f"/reintegratie/mijn/rapportages/{shared_report.pk}/gelezen/"
    )
    assert response.status_code == 404
    shared_report.refresh_from_db()
    assert shared_report.employee_seen_at is None


# --- RI-9, AV-2: machtigingen ---------------------------------------------------------------------


def test_av2_full_text_shown_give_and_revoke_with_immediate_effect(
    employee, wn, consultant, machtiging, verified_client
):
    """AV-2, RI-9: the full text, party, data and period are shown; giving puts the machtiging
    in force; withdrawing ends it at once, after which nothing may be requested with it."""
    client = verified_client(employee)
    page = client.get(MIJN).content.decode()
    assert machtiging.full_text in page
    assert "huisarts Dr. Jansen" in page
    assert "de brief van de specialist over het herstel" in page
    assert machtiging.valid_until.strftime("%d-%m-%Y") in page
    assert "geen nadelige gevolgen" in page
    assert 'name="decision" value="geven"' in page and 'value="weigeren"' in page

    url = f"/reintegratie/mijn/machtigingen/{machtiging.pk}/"
    assert client.post(url + "besluit/", {"decision": "geven"}).status_code == 302
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.GEGEVEN and machtiging.in_force
    assert machtiging.decided_at is not None
    machtiging_actions.use_machtiging(
        by=consultant, machtiging=machtiging
    )  # allowed while in force
    assert "Intrekken" in client.get(MIJN).content.decode()

    assert client.post(url + "intrekken/").status_code == 302
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.INGETROKKEN and machtiging.revoked_at
    assert not machtiging.in_force
    with pytest.raises(ValidationError):
        machtiging_actions.use_machtiging(by=consultant, machtiging=machtiging)
    assert "ingetrokken" in client.get(MIJN).content.decode()


def test_av2_refusing_records_it_and_nothing_may_be_requested(
    employee, wn, consultant, machtiging, verified_client
):
    """AV-2: refusing is recorded with its time, the machtiging is never in force, and the
    page tells the employee that refusing has no adverse consequence."""
    client = verified_client(employee)
    response = client.post(
        f"/reintegratie/mijn/machtigingen/{machtiging.pk}/besluit/",
        {"decision": "weigeren"},
        follow=True,
    )
    assert "geen nadelige gevolgen" in response.content.decode()
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.GEWEIGERD and not machtiging.in_force
    with pytest.raises(ValidationError):
        machtiging_actions.use_machtiging(by=consultant, machtiging=machtiging)
    # A decision cannot be posted twice.
    client.post(f"/reintegratie/mijn/machtigingen/{machtiging.pk}/besluit/", {"decision": "geven"})
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.GEWEIGERD


def test_av2_invalid_decision_changes_nothing(employee, wn, machtiging, verified_client):
    """AV-2: only an explicit 'geven' gives consent."""
    verified_client(employee).post(
        f"/reintegratie/mijn/machtigingen/{machtiging.pk}/besluit/", {"decision": "ja"}
    )
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.GEVRAAGD


def test_av2_expired_machtiging_is_verlopen_and_not_in_force(
    employee, wn, consultant, informed_trajectory, verified_client
):
    """AV-2, RI-9: a given machtiging whose period has ended shows as 'verlopen' and is not in
    force."""
    expired = _machtiging(
        consultant,
        informed_trajectory,
        valid_from=date.today() - timedelta(days=60),
        valid_until=date.today() - timedelta(days=1),
    )
    client = verified_client(employee)
    client.post(f"/reintegratie/mijn/machtigingen/{expired.pk}/besluit/", {"decision": "geven"})
    expired.refresh_from_db()
    assert expired.status == MachtigingStatus.GEGEVEN
    assert expired.state_label == "verlopen" and not expired.in_force
    assert "verlopen" in client.get(MIJN).content.decode()


def test_av2_another_employee_gets_404_on_someone_elses_machtiging(
    other_employee, machtiging, verified_client, employee
):
    """AV-2, SE-9: another employee can neither decide nor withdraw this machtiging (404)."""
    client = verified_client(other_employee)
    url = f"/reintegratie/mijn/machtigingen/{machtiging.pk}/"
    assert client.post(url + "besluit/", {"decision": "geven"}).status_code == 404
    machtiging.refresh_from_db()
    assert machtiging.status == MachtigingStatus.GEVRAAGD
    machtiging_actions.decide_machtiging(by=employee, machtiging=machtiging, give=True)
    assert client.post(url + "intrekken/").status_code == 404
    machtiging.refresh_from_db()
    assert machtiging.in_force
    assert machtiging.full_text not in client.get(MIJN).content.decode()


# --- RI-4: re-integratieverslag ------------------------------------------------------------------


def test_ri4_employee_sees_the_doctors_medical_part_and_hr_gets_no_page(
    make_user, hr, zm, wn, employee, verified_client
):
    """RI-4: the doctor's medical part of the re-integratieverslag reaches the employee directly;
    an HR user of the same employer gets no page of it."""
    doctor = make_user(Role.BEDRIJFSARTS)
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=wn)
    text = "MEDISCHDEEL7Q: het herstel verloopt volgens verwachting."
    record_verslag_deel(
        by=doctor, dossier=dossier, case_id=zm.case_id, date=date.today(), text=text, deliver=True
    )
    page = verified_client(employee).get(MIJN).content.decode()
    assert text in page
    assert "Uw werkgever kan het niet inzien" in page
    hr_client = verified_client(hr)
    assert hr_client.get(MIJN).status_code == 404
    for path in ("/verzuim/mijn/", f"/verzuim/meldingen/{zm.pk}/"):
        response = hr_client.get(path)
        assert "MEDISCHDEEL7Q" not in response.content.decode(), path


def test_ri4_undelivered_medical_part_is_not_shown(make_user, zm, wn, employee, verified_client):
    """RI-4: only a part the doctor has delivered reaches the employee."""
    doctor = make_user(Role.BEDRIJFSARTS)
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=wn)
    record_verslag_deel(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        date=date.today(),
        text="NOGNIETGEGEVEN",
        deliver=False,
    )
    assert "NOGNIETGEGEVEN" not in verified_client(employee).get(MIJN).content.decode()


def test_ri4_copy_of_the_employers_verslag_is_linked_once_given(
    hr, zm, wn, employee, plan, verified_client
):
    """RI-4: the employee gets a copy of the employer's part; the page links it with the date
    it was given, and not before."""
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=zm)
    client = verified_client(employee)
    assert f"/reintegratie/verslagen/{verslag.pk}/" not in client.get(MIJN).content.decode()
    dossier_actions.give_verslag(by=hr, verslag=verslag)
    page = client.get(MIJN).content.decode()
    assert f'href="/reintegratie/verslagen/{verslag.pk}/"' in page
    assert timezone.localdate().strftime("%d-%m-%Y") in page


# --- Dashboard panel ------------------------------------------------------------------------------


def test_panel_shows_what_waits_for_the_employee(
    employee, wn, plan, consultant, shared_report, trajectory, verified_client, rf
):
    """RI-3, RI-5, RI-10, AV-2: the dashboard tells the employee what needs their attention and
    links to the page."""
    _machtiging(consultant, shared_report.trajectory)
    # A second, not yet acknowledged aanmelding.
    traject_actions.commission_trajectory(
        by=plan.created_by,
        ziekmelding=wn.ziekmeldingen.get(),
        provider=trajectory.provider,
        consultant=consultant,
        category="coaching",
        data_items=["personalia"],
        start_on=date.today(),
    )
    request = rf.get("/")
    request.user = employee
    template, context = employee_panel(request)
    assert template == "reintegratie/_panel_mijn.html"
    assert context == {"plans": 1, "notices": 1, "reports": 1, "machtigingen": 1}
    page = verified_client(employee).get("/").content.decode()
    assert 'href="/reintegratie/mijn/"' in page and "Dit wacht op u" in page


def test_panel_only_for_werknemer(make_user, hr, employee, wn, plan, rf):
    """SE-2: the panel is the employee's; after responding the plan no longer waits."""
    request = rf.get("/")
    request.user = hr
    assert employee_panel(request) is None
    plan_actions.respond_to_plan(by=employee, plan=plan, version=plan.version, agree=True)
    request.user = employee
    _, context = employee_panel(request)
    assert context["plans"] == 0


def test_page_query_count_is_bounded(
    employee, wn, plan, shared_report, machtiging, verified_client, django_assert_max_num_queries
):
    """SE-9 hygiene: the page does not run a query per row."""
    for i in range(3):
        rapportage_actions.file_report(
            by=shared_report.created_by,
            trajectory=shared_report.trajectory,
            period_end=date.today() - timedelta(days=i + 1),
            attendance="aanwezig",
            cooperating=True,
            cooperation_explanation="",
            progress=f"voortgang {i}",
            next_steps="verder",
        )
    client = verified_client(employee)
    # 24: one of them reads the signatures of the plan's versions and evaluations at once, one
    # the employee's re-integratieverslagen for UWV (RI-12).
    with django_assert_max_num_queries(24):
        assert client.get(MIJN).status_code == 200
    assert Machtiging.objects.count() == 1 and PlanVanAanpak.objects.count() == 1
