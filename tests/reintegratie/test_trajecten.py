"""Trajectories at re-integration companies, through the pages (RI-5..10, ZM-3, AV-2).

Every test drives the real views with verified clients; state the employee controls (reading an
aanmelding or a report, giving or revoking a machtiging) is set through the same actions the
employee's own pages call.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from privacy.models import AuditEvent, DataFlow, LegalBasis
from reintegratie.actions import machtigingen as machtiging_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import (
    DataItem,
    Factuur,
    Machtiging,
    ReportStatus,
    Trajectory,
    TrajectoryStaff,
    Voortgangsrapportage,
)
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

CONCEPT_TEXT = "Conceptvoortgang: nog niet met de werknemer besproken."
RELEASED_TEXT = "Vrijgegeven voortgang: werkt twee ochtenden per week."
DOCTOR_NOTE_TEXT = "Geheime notitie: nekhernia, fysiotherapie twee keer per week."


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def company(db):
    return OrganisationFactory(kind="reintegratiebedrijf", name="Re-integratie Noord BV")


@pytest.fixture
def other_company(db):
    return OrganisationFactory(kind="reintegratiebedrijf", name="Loopbaan Zuid BV")


@pytest.fixture
def consultant(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company, full_name="Carla Consultant")


@pytest.fixture
def vervanger(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company, full_name="Victor Vervanger")


@pytest.fixture
def administratief(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company, full_name="Anja Administratie")


@pytest.fixture
def colleague(make_user, company):
    """A consultant of the same company who is not on the trajectory (RI-8)."""
    return make_user(Role.CONSULTANT, organisation=company, full_name="Kees Collega")


@pytest.fixture
def sub_consultant(make_user, other_company):
    return make_user(Role.CONSULTANT, organisation=other_company, full_name="Sanne Onderaannemer")


@pytest.fixture
def werknemer_user(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def werknemer(employer, werknemer_user):
    return WerknemerFactory(
        organisation=employer,
        user=werknemer_user,
        first_name="Jantine",
        last_name="Zwaluwstaart",
        email="jantine@example.test",
    )


@pytest.fixture
def zm(hr, werknemer):
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=20),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


def _commission_data(provider, consultant, **extra):
    return {
        "provider": provider.pk,
        "consultant": consultant.pk,
        "category": "fysiek",
        "data_items": ["personalia", "verzuim"],
        "start_on": timezone.localdate().isoformat(),
        **extra,
    }


@pytest.fixture
def trajectory(verified_client, hr, zm, company, consultant):
    """Commissioned by HR through the page; the employee has not read it yet."""
    response = verified_client(hr).post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant),
    )
    assert response.status_code == 302
    return Trajectory.objects.get(case_id=zm.case_id, parent__isnull=True)


@pytest.fixture
def informed(trajectory, werknemer_user):
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=trajectory)
    trajectory.refresh_from_db()
    return trajectory


@pytest.fixture
def staffed(informed, verified_client, consultant, vervanger, administratief):
    """The handling consultant names a vervanger and an administratief through the page."""
    client = verified_client(consultant)
    url = reverse("reintegratie:staff_assign", args=[informed.pk])
    assert client.post(url, {"user": vervanger.pk, "function": "vervanger"}).status_code == 302
    assert (
        client.post(url, {"user": administratief.pk, "function": "administratief"}).status_code
        == 302
    )
    return informed


def _report_data(**extra):
    return {
        "period_end": timezone.localdate().isoformat(),
        "attendance": "aanwezig",
        "cooperating": "ja",
        "cooperation_explanation": "",
        "progress": RELEASED_TEXT,
        "next_steps": "Uitbreiden naar drie ochtenden.",
        **extra,
    }


def _file_report(client, trajectory, **extra):
    response = client.post(
        reverse("reintegratie:report_create", args=[trajectory.pk]), _report_data(**extra)
    )
    assert response.status_code == 302, response.content.decode()
    return Voortgangsrapportage.objects.filter(trajectory=trajectory).latest("pk")


def _released_report(client, trajectory, werknemer_user, text=RELEASED_TEXT):
    report = _file_report(client, trajectory, progress=text)
    client.post(reverse("reintegratie:report_share", args=[report.pk]))
    report.refresh_from_db()
    rapportage_actions.mark_report_seen(by=werknemer_user, report=report)
    client.post(reverse("reintegratie:report_release", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.VRIJGEGEVEN
    return report


# --- RI-10: the aanmelding ----------------------------------------------------------------------


def test_ri10_hr_commissions_and_company_sees_nothing_before_employee_is_informed(
    verified_client, trajectory, consultant, werknemer_user
):
    """RI-10: the handling consultant sees neither the trajectory nor its data until the employee
    has read which data goes to which company — not on the page, the list or the dashboard."""
    assert trajectory.commissioner_kind == "werkgever"
    assert trajectory.data_items == ["personalia", "verzuim"]
    assert TrajectoryStaff.objects.get(trajectory=trajectory).user == consultant
    client = verified_client(consultant)
    detail = reverse("reintegratie:trajectory", args=[trajectory.pk])
    assert client.get(detail).status_code == 404
    assert (
        client.get(reverse("reintegratie:report_create", args=[trajectory.pk])).status_code == 404
    )
    assert (
        trajectory.client_number
        not in client.get(reverse("reintegratie:trajectories")).content.decode()
    )
    assert (
        trajectory.client_number not in client.get(reverse("accounts:dashboard")).content.decode()
    )

    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=trajectory)

    page = client.get(detail)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jantine Zwaluwstaart" in html  # personalia were passed
    assert "17-05-1980" in html  # dates shown d-m-Y
    assert "Logistiek" not in html  # functie was not passed (RI-10: only what was agreed)
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert trajectory.client_number in dashboard
    assert "behandelend consultant" in dashboard


def test_ri10_create_page_explains_and_keeps_input_on_error(
    verified_client, hr, zm, company, other_company, sub_consultant
):
    """RI-10: the page says the employee is told beforehand; a consultant of another company is
    refused at the field and what was chosen stays."""
    client = verified_client(hr)
    url = reverse("reintegratie:trajectory_create", args=[zm.pk])
    page = client.get(url).content.decode()
    assert "De werknemer krijgt vooraf precies te zien welke gegevens" in page
    response = client.post(url, _commission_data(company, sub_consultant, category="coaching"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Kies een consultant van dit re-integratiebedrijf." in form.errors["consultant"]
    assert form.data["category"] == "coaching"
    assert form["category"].value() == "coaching"
    assert not Trajectory.objects.exists()


def test_ri10_no_data_items_refused_at_field(verified_client, hr, zm, company, consultant):
    """RI-10: the aanmelding names the data the trajectory needs."""
    response = verified_client(hr).post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant, data_items=[]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["data_items"]
    assert not Trajectory.objects.exists()


def test_ri10_commission_denied_for_other_roles_and_other_employers(
    verified_client, make_user, zm, other_employer, company, consultant
):
    """RI-10, SE-9: only HR (or the assigned doctor) commissions; another employer gets 404."""
    url = reverse("reintegratie:trajectory_create", args=[zm.pk])
    werkgever = make_user(Role.WERKGEVER)
    assert verified_client(werkgever).get(url).status_code == 403
    assert (
        verified_client(werkgever).post(url, _commission_data(company, consultant)).status_code
        == 403
    )
    foreign_hr = make_user(Role.HR, organisation=other_employer)
    assert verified_client(foreign_hr).get(url).status_code == 404
    assert not Trajectory.objects.exists()


def test_ri10_hr_records_paper_notice_for_employee_without_login(
    verified_client, hr, employer, company, consultant
):
    """RI-10: an employee without a login is informed on paper; HR records it, then the company
    sees the trajectory."""
    werknemer = WerknemerFactory(organisation=employer)
    zm = create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=5),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    client = verified_client(hr)
    client.post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant),
    )
    t = Trajectory.objects.get(case_id=zm.case_id)
    detail = reverse("reintegratie:trajectory", args=[t.pk])
    assert "Werknemer is geïnformeerd" in client.get(detail).content.decode()
    url = reverse("reintegratie:trajectory_informed", args=[t.pk])
    assert client.get(url).status_code == 405
    assert verified_client(consultant).post(url).status_code == 404
    assert client.post(url).status_code == 302
    t.refresh_from_db()
    assert t.employee_informed_at is not None and t.status == "lopend"
    assert verified_client(consultant).get(detail).status_code == 200


def test_ri10_paper_notice_refused_when_employee_has_login(verified_client, hr, trajectory):
    """RI-10: an employee with a login reads the aanmelding themself."""
    response = verified_client(hr).post(
        reverse("reintegratie:trajectory_informed", args=[trajectory.pk]), follow=True
    )
    assert "eigen account" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.employee_informed_at is None


# --- RI-8: per-case access -------------------------------------------------------------------


def test_ri8_only_the_trajectory_staff_open_the_dossier_each_their_part(
    verified_client, staffed, consultant, vervanger, administratief, colleague, werknemer_user
):
    """RI-8: the handling consultant, the vervanger and the administratief open the trajectory,
    the administratief without reports or shared data; a colleague of the same company who is not
    on it gets 404 on the page, the report pages and the invoice."""
    _released_report(verified_client(consultant), staffed, werknemer_user)
    concept = _file_report(verified_client(consultant), staffed, progress=CONCEPT_TEXT)
    response = verified_client(administratief).post(
        reverse("reintegratie:invoice_create", args=[staffed.pk]),
        {"date": timezone.localdate().isoformat(), "amount": "450.00", "hours": "6"},
    )
    assert response.status_code == 302
    factuur = Factuur.objects.get(trajectory=staffed)
    detail = reverse("reintegratie:trajectory", args=[staffed.pk])

    for user in (consultant, vervanger):
        html = verified_client(user).get(detail).content.decode()
        assert RELEASED_TEXT in html and CONCEPT_TEXT in html
        assert "Jantine Zwaluwstaart" in html
        assert staffed.client_number in html

    admin_page = verified_client(administratief).get(detail)
    assert admin_page.status_code == 200
    html = admin_page.content.decode()
    assert staffed.client_number in html
    assert factuur.number in html
    assert RELEASED_TEXT not in html and CONCEPT_TEXT not in html
    assert "Jantine Zwaluwstaart" not in html  # invoices by client number (default)
    assert "Voortgangsrapportage opstellen" not in html
    assert (
        verified_client(administratief)
        .get(reverse("reintegratie:report_create", args=[staffed.pk]))
        .status_code
        == 403
    )
    assert (
        verified_client(administratief)
        .post(reverse("reintegratie:report_share", args=[concept.pk]))
        .status_code
        == 404
    )

    other = verified_client(colleague)
    assert other.get(detail).status_code == 404
    assert other.get(reverse("reintegratie:report_create", args=[staffed.pk])).status_code == 404
    assert other.post(reverse("reintegratie:report_share", args=[concept.pk])).status_code == 404
    assert other.post(reverse("reintegratie:report_release", args=[concept.pk])).status_code == 404
    assert other.get(reverse("reintegratie:invoice", args=[factuur.pk])).status_code == 404
    assert other.get(reverse("reintegratie:invoice_create", args=[staffed.pk])).status_code == 404
    assert (
        other.get(reverse("reintegratie:doctor_note_create", args=[staffed.pk])).status_code == 404
    )
    listing = other.get(reverse("reintegratie:trajectories")).content.decode()
    assert staffed.client_number not in listing
    concept.refresh_from_db()
    assert concept.status == ReportStatus.CONCEPT


def test_ri8_administratief_sees_name_only_when_invoices_carry_it(
    verified_client, staffed, administratief
):
    """RI-8, RI-6: the administratief sees the name only when invoices use it."""
    Trajectory.objects.filter(pk=staffed.pk).update(invoice_by_client_number=False)
    html = (
        verified_client(administratief)
        .get(reverse("reintegratie:trajectory", args=[staffed.pk]))
        .content.decode()
    )
    assert "Jantine Zwaluwstaart" in html


def test_ri8_staff_assignment_by_handling_consultant_only(
    verified_client, informed, consultant, vervanger, colleague, sub_consultant
):
    """RI-8: only the handling consultant names staff, only from their own company; GET is 405."""
    url = reverse("reintegratie:staff_assign", args=[informed.pk])
    assert verified_client(consultant).get(url).status_code == 405
    response = verified_client(consultant).post(
        url, {"user": sub_consultant.pk, "function": "vervanger"}
    )
    assert response.status_code == 200
    assert response.context["staff_form"].errors["user"]
    assert (
        verified_client(colleague)
        .post(url, {"user": colleague.pk, "function": "vervanger"})
        .status_code
        == 404
    )
    verified_client(consultant).post(url, {"user": vervanger.pk, "function": "vervanger"})
    assert (
        verified_client(vervanger)
        .post(url, {"user": colleague.pk, "function": "administratief"})
        .status_code
        == 403
    )
    assert set(informed.staff.values_list("user_id", "function")) == {
        (consultant.pk, "consultant"),
        (vervanger.pk, "vervanger"),
    }


def test_ri8_list_is_scoped_and_closed_to_other_roles(
    verified_client, make_user, staffed, hr, werknemer_user, other_employer
):
    """RI-8, SE-9: HR sees its own trajectories; other employers and roles without trajectories
    see none or get 403 (the employee uses /reintegratie/mijn/)."""
    url = reverse("reintegratie:trajectories")
    html = verified_client(hr).get(url).content.decode()
    assert "fysiek interventietraject" in html and "Jantine Zwaluwstaart" in html
    foreign = verified_client(make_user(Role.HR, organisation=other_employer)).get(url)
    assert "Jantine Zwaluwstaart" not in foreign.content.decode()
    assert verified_client(werknemer_user).get(url).status_code == 403
    own = verified_client(werknemer_user).get(reverse("reintegratie:trajectory", args=[staffed.pk]))
    assert own.status_code == 200 and staffed.client_number not in own.content.decode()
    assert verified_client(make_user(Role.WERKGEVER)).get(url).status_code == 403
    assert (
        verified_client(make_user(Role.HR, organisation=other_employer))
        .get(reverse("reintegratie:trajectory", args=[staffed.pk]))
        .status_code
        == 404
    )


def test_ri8_every_trajectory_read_is_audited(verified_client, informed, consultant):
    """RI-8, SE-7: opening a trajectory writes to the audit log."""
    before = AuditEvent.objects.filter(object_type="reintegratie.trajectory").count()
    verified_client(consultant).get(reverse("reintegratie:trajectory", args=[informed.pk]))
    event = AuditEvent.objects.filter(object_type="reintegratie.trajectory").order_by("-pk")[0]
    assert AuditEvent.objects.filter(object_type="reintegratie.trajectory").count() == before + 1
    assert event.detail == "traject ingezien"
    assert str(event.subject) == str(informed.werknemer.pseudonym)


# --- RI-5: what the employer learns -------------------------------------------------------------


def test_ri5_employer_sees_only_released_reports_after_employee_read_them(
    verified_client, informed, consultant, hr, werknemer_user
):
    """RI-5: release is refused before the employee has seen the report; the employer sees only
    released reports, with the allowed fields, and never what went to the doctor."""
    client = verified_client(consultant)
    report = _file_report(client, informed)
    response = client.post(reverse("reintegratie:report_release", args=[report.pk]), follow=True)
    assert "nog niet gelezen" in response.content.decode()
    report.refresh_from_db()
    assert report.released_at is None

    client.post(reverse("reintegratie:report_share", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.TER_INZAGE
    client.post(reverse("reintegratie:report_release", args=[report.pk]))
    report.refresh_from_db()
    assert report.released_at is None  # shared, but not yet read

    rapportage_actions.mark_report_seen(by=werknemer_user, report=report, remark="Klopt.")
    client.post(reverse("reintegratie:report_release", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.VRIJGEGEVEN
    assert DataFlow.objects.filter(
        object_type="reintegratie.voortgangsrapportage",
        object_id=str(report.pk),
        legal_basis=LegalBasis.POORTWACHTER,
    ).exists()

    _file_report(client, informed, progress=CONCEPT_TEXT)
    note = client.post(
        reverse("reintegratie:doctor_note_create", args=[informed.pk]),
        {"kind": "voorstel", "text": DOCTOR_NOTE_TEXT},
    )
    assert note.status_code == 302

    html = verified_client(hr).get(reverse("reintegratie:trajectory", args=[informed.pk]))
    html = html.content.decode()
    assert RELEASED_TEXT in html
    assert CONCEPT_TEXT not in html
    assert "nekhernia" not in html and "gedetailleerd trajectvoorstel" not in html
    # Issue 18: the employee's reaction goes with the released report, as their page promises.
    assert "Klopt." in html
    assert informed.client_number not in html
    assert "Voortgangsrapportage opstellen" not in html
    # The company's own page lists the note by kind and date only.
    own = client.get(reverse("reintegratie:trajectory", args=[informed.pk])).content.decode()
    assert "Gedetailleerd trajectvoorstel" in own
    assert "nekhernia" not in own


def test_ri5_employer_cannot_share_or_release(verified_client, informed, consultant, hr):
    """RI-5: only the company's own staff put a report before the employee or release it."""
    report = _file_report(verified_client(consultant), informed)
    # A concept is not even visible to the employer: 404, not 403.
    assert (
        verified_client(hr).post(reverse("reintegratie:report_share", args=[report.pk])).status_code
        == 404
    )
    assert (
        verified_client(hr)
        .get(reverse("reintegratie:report_create", args=[informed.pk]))
        .status_code
        == 403
    )
    assert (
        verified_client(consultant)
        .get(reverse("reintegratie:report_share", args=[report.pk]))
        .status_code
        == 405
    )


def test_zm3_medical_term_in_report_refused_at_the_field_with_text_kept(
    verified_client, informed, consultant
):
    """ZM-3, RI-5: a medical term in the report's free text is refused at the field, naming the
    word; everything typed comes back."""
    client = verified_client(consultant)
    url = reverse("reintegratie:report_create", args=[informed.pk])
    page = client.get(url).content.decode()
    assert "Vul hier geen medische gegevens in" in page
    assert "naar de bedrijfsarts" in page
    text = "Herstel van de hernia gaat langzaam; oefent thuis."
    response = client.post(url, _report_data(progress=text))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "hernia" in " ".join(errors["progress"])
    html = response.content.decode()
    assert text in html
    assert "Uitbreiden naar drie ochtenden." in html
    assert not Voortgangsrapportage.objects.exists()


def test_ri5_cooperation_needs_an_explicit_choice(verified_client, informed, consultant):
    """RI-5: whether the employee cooperates is an explicit yes/no, and "no" is explained."""
    client = verified_client(consultant)
    url = reverse("reintegratie:report_create", args=[informed.pk])
    data = _report_data()
    del data["cooperating"]
    response = client.post(url, data)
    assert response.context["form"].errors["cooperating"] == ["Kies ja of nee."]
    response = client.post(url, _report_data(cooperating="nee"))
    assert response.context["form"].errors["cooperation_explanation"]
    assert not Voortgangsrapportage.objects.exists()
    _file_report(client, informed, cooperating="nee", cooperation_explanation="Twee keer niet.")
    assert Voortgangsrapportage.objects.get().cooperating is False


# --- RI-6: invoices -------------------------------------------------------------------------


def test_ri6_invoice_is_generic_confidential_and_by_client_number(
    verified_client, staffed, administratief, hr, colleague
):
    """RI-6: the invoice names the generic category, the client number instead of the name, is
    marked VERTROUWELIJK and is not cached; the employer may read it, a colleague may not."""
    response = verified_client(administratief).post(
        reverse("reintegratie:invoice_create", args=[staffed.pk]),
        {"date": timezone.localdate().isoformat(), "amount": "1250.50", "hours": "10.5"},
    )
    factuur = Factuur.objects.get(trajectory=staffed)
    assert response["Location"] == reverse("reintegratie:invoice", args=[factuur.pk])
    url = reverse("reintegratie:invoice", args=[factuur.pk])
    for user in (administratief, hr):
        page = verified_client(user).get(url)
        assert page.status_code == 200
        assert page["Cache-Control"] == "no-store"
        html = page.content.decode()
        assert "VERTROUWELIJK" in html
        assert "fysiek interventietraject" in html
        assert staffed.client_number in html
        assert "Jantine" not in html and "Zwaluwstaart" not in html
        assert "1250" in html
    reads = AuditEvent.objects.filter(object_type="reintegratie.factuur", action="read")
    assert reads.count() == 2
    assert verified_client(colleague).get(url).status_code == 404
    assert (
        verified_client(hr)
        .get(reverse("reintegratie:invoice_create", args=[staffed.pk]))
        .status_code
        == 403
    )


def test_ri6_invoice_amount_is_validated_at_field(verified_client, staffed, administratief):
    """RI-6: a negative amount is refused at the field."""
    response = verified_client(administratief).post(
        reverse("reintegratie:invoice_create", args=[staffed.pk]),
        {"date": timezone.localdate().isoformat(), "amount": "-5", "hours": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Factuur.objects.exists()


# --- RI-7: subcontracting -----------------------------------------------------------------------


def test_ri7_subcontractor_reports_to_the_company_like_to_an_employer(
    verified_client, informed, consultant, other_company, sub_consultant, werknemer_user
):
    """RI-7: a company that subcontracts passes no more data than it got, and sees the
    subcontract like an employer: released reports only, never a concept."""
    client = verified_client(consultant)
    url = reverse("reintegratie:subcontract_create", args=[informed.pk])
    refused = client.post(
        url, _commission_data(other_company, sub_consultant, data_items=["personalia", "advies"])
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["data_items"]
    assert (
        client.post(
            url, _commission_data(other_company, sub_consultant, data_items=["verzuim"])
        ).status_code
        == 302
    )
    sub = Trajectory.objects.get(parent=informed)
    assert sub.commissioner_kind == "reintegratiebedrijf"
    sub_client = verified_client(sub_consultant)
    sub_detail = reverse("reintegratie:trajectory", args=[sub.pk])
    assert sub_client.get(sub_detail).status_code == 404  # RI-10 for the subcontractor too

    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=sub)
    assert sub_client.get(sub_detail).status_code == 200
    _released_report(sub_client, sub, werknemer_user)
    _file_report(sub_client, sub, progress=CONCEPT_TEXT)

    page = client.get(sub_detail)
    assert page.status_code == 200
    assert page.context["view"] == "employer"
    html = page.content.decode()
    assert RELEASED_TEXT in html
    assert CONCEPT_TEXT not in html
    assert sub.client_number not in html
    assert "Voortgangsrapportage opstellen" not in html
    # The subcontractor does not see the commissioning company's trajectory.
    parent_detail = reverse("reintegratie:trajectory", args=[informed.pk])
    assert sub_client.get(parent_detail).status_code == 404
    # Nor may the commissioning company write on the subcontract.
    assert client.get(reverse("reintegratie:report_create", args=[sub.pk])).status_code == 403


# --- RI-9: machtigingen -------------------------------------------------------------------------


def _request_machtiging(client, trajectory, **extra):
    today = timezone.localdate()
    data = {
        "party": "Huisartsenpraktijk De Linde",
        "data_description": "Gegevens over de belastbaarheid",
        "purpose": "Het traject afstemmen op wat de werknemer kan",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        **extra,
    }
    response = client.post(reverse("reintegratie:machtiging_create", args=[trajectory.pk]), data)
    assert response.status_code == 302, response.content.decode()
    return Machtiging.objects.filter(trajectory=trajectory).latest("pk")


def test_ri9_machtiging_used_only_while_in_force(
    verified_client, informed, consultant, werknemer_user, hr
):
    """RI-9, AV-2: the data may be requested only on a given machtiging — not before it is
    given, not after revocation, not after expiry — and each use is a data flow recorded on the
    consent basis with the machtiging named."""
    client = verified_client(consultant)
    m = _request_machtiging(client, informed)
    use = reverse("reintegratie:machtiging_use", args=[m.pk])
    assert client.get(use).status_code == 405
    refused = client.post(use, follow=True).content.decode()
    assert "niet (meer) van kracht" in refused
    assert not DataFlow.objects.filter(legal_basis=LegalBasis.TOESTEMMING).exists()

    machtiging_actions.decide_machtiging(by=werknemer_user, machtiging=m, give=True)
    page = client.get(reverse("reintegratie:trajectory", args=[informed.pk])).content.decode()
    assert "Gegevens opvragen" in page and "gegeven" in page
    assert verified_client(hr).post(use).status_code == 404  # the employer never sees it
    assert client.post(use).status_code == 302
    flow = DataFlow.objects.get(legal_basis=LegalBasis.TOESTEMMING)
    assert flow.consent_ref == f"machtiging:{m.pk}"
    assert flow.object_type == "reintegratie.machtiging"

    machtiging_actions.revoke_machtiging(by=werknemer_user, machtiging=m)
    assert "niet (meer) van kracht" in client.post(use, follow=True).content.decode()
    assert DataFlow.objects.filter(legal_basis=LegalBasis.TOESTEMMING).count() == 1

    expired = _request_machtiging(client, informed, party="Ziekenhuis Noord")
    machtiging_actions.decide_machtiging(by=werknemer_user, machtiging=expired, give=True)
    past = timezone.localdate() - timedelta(days=10)
    Machtiging.objects.filter(pk=expired.pk).update(
        valid_from=past - timedelta(days=30), valid_until=past
    )
    page = client.get(reverse("reintegratie:trajectory", args=[informed.pk])).content.decode()
    assert "verlopen" in page
    response = client.post(reverse("reintegratie:machtiging_use", args=[expired.pk]), follow=True)
    assert "niet (meer) van kracht" in response.content.decode()
    assert DataFlow.objects.filter(legal_basis=LegalBasis.TOESTEMMING).count() == 1


def test_ri9_machtiging_must_be_specific(verified_client, informed, consultant):
    """RI-9, AV-2: a machtiging names its period; more than a year is refused at the field."""
    today = timezone.localdate()
    response = verified_client(consultant).post(
        reverse("reintegratie:machtiging_create", args=[informed.pk]),
        {
            "party": "Huisarts",
            "data_description": "Belastbaarheid",
            "purpose": "Traject",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=400)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"]
    assert response.context["form"].data["party"] == "Huisarts"
    assert not Machtiging.objects.exists()


# --- The doctor, the list's cost, the full aanmelding ----------------------------------------


def test_ri5_doctor_commissions_and_reads_like_the_employer(
    verified_client, make_user, zm, company, consultant, werknemer_user
):
    """RI-5, RI-10: the assigned bedrijfsarts commissions a trajectory and reads its released
    reports only; the fuller report reaches the doctor in the medical dossier instead."""
    doctor = make_user(Role.BEDRIJFSARTS)
    client = verified_client(doctor)
    response = client.post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant, category="psychisch"),
    )
    assert response.status_code == 302
    t = Trajectory.objects.get(case_id=zm.case_id)
    assert t.commissioner_kind == "bedrijfsarts"
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=t)
    _released_report(verified_client(consultant), t, werknemer_user)
    _file_report(verified_client(consultant), t, progress=CONCEPT_TEXT)
    html = client.get(reverse("reintegratie:trajectory", args=[t.pk])).content.decode()
    assert RELEASED_TEXT in html and CONCEPT_TEXT not in html
    assert "psychisch interventietraject" in html
    assert t.client_number not in html


def test_ri10_company_sees_exactly_the_agreed_data(
    verified_client, hr, zm, company, consultant, werknemer_user
):
    """RI-10: the company sees the agreed absence data, department, released advice and plan —
    and no personalia when those were not agreed."""
    client = verified_client(hr)
    client.post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant, data_items=["verzuim", "functie", "advies", "plan"]),
    )
    t = Trajectory.objects.get(case_id=zm.case_id)
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=t)
    html = (
        verified_client(consultant)
        .get(reverse("reintegratie:trajectory", args=[t.pk]))
        .content.decode()
    )
    assert "Logistiek" in html
    assert zm.first_day.strftime("%d-%m-%Y") in html
    assert "Nog geen vrijgegeven advies." in html
    assert "Er is nog geen plan van aanpak." in html
    assert "Zwaluwstaart" not in html and "jantine@example.test" not in html


def test_ri10_acknowledging_an_aanmelding_with_every_data_item(
    verified_client, hr, zm, company, consultant, werknemer_user
):
    """RI-10: an aanmelding with every data item can be acknowledged and opened."""
    verified_client(hr).post(
        reverse("reintegratie:trajectory_create", args=[zm.pk]),
        _commission_data(company, consultant, data_items=[i for i, _ in DataItem.choices]),
    )
    t = Trajectory.objects.get(case_id=zm.case_id)
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=t)
    html = (
        verified_client(consultant)
        .get(reverse("reintegratie:trajectory", args=[t.pk]))
        .content.decode()
    )
    assert "jantine@example.test" in html and "Logistiek" in html


def test_ri8_list_query_count_is_bounded(
    verified_client, hr, consultant, employer, company, django_assert_max_num_queries
):
    """RI-8, SE-9: the list does not query per row."""
    for _ in range(6):
        werknemer = WerknemerFactory(organisation=employer)
        zm = create_ziekmelding(
            by=hr,
            werknemer=werknemer,
            first_day=timezone.localdate() - timedelta(days=3),
            phone="06-12345678",
            expected_duration="onbekend",
            lopende_afspraken="",
        )
        t = traject_actions.commission_trajectory(
            by=hr,
            ziekmelding=zm,
            provider=company,
            consultant=consultant,
            category="coaching",
            data_items=["verzuim"],
            start_on=timezone.localdate(),
        )
        Trajectory.objects.filter(pk=t.pk).update(employee_informed_at=timezone.now())
    for user in (hr, consultant):
        client = verified_client(user)
        client.get(reverse("reintegratie:trajectories"))  # warm the session
        with django_assert_max_num_queries(15):
            response = client.get(reverse("reintegratie:trajectories"))
        assert len(response.context["items"]) == 6


def test_ri8_dashboard_panel_shows_function_per_trajectory(
    verified_client, staffed, vervanger, colleague, hr
):
    """RI-8: the consultant's dashboard lists the trajectories they are on, with their function;
    a colleague's dashboard shows nothing of it, and HR gets no consultant panel."""
    html = verified_client(vervanger).get(reverse("accounts:dashboard")).content.decode()
    assert staffed.client_number in html and "vervanger" in html
    html = verified_client(colleague).get(reverse("accounts:dashboard")).content.decode()
    assert staffed.client_number not in html
    assert "U bent op geen traject ingezet." in html
    assert (
        "Mijn trajecten"
        not in verified_client(hr).get(reverse("accounts:dashboard")).content.decode()
    )
