"""Issue 18, item 6: a progress report as HR receives it (RI-5) and the period it covers.

- The employee's reaction goes with the report: HR reads it on the trajectory page, in the
  re-integratiedossier and in the API; it passed the ZM-3 guard that applies to every text the
  employer side reads, so a reaction naming a diagnosis never reaches HR.
- A report's period ends today at the latest: the page, the API and the action refuse a later
  date with a Dutch message at the field.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import Voortgangsrapportage
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Ziekmelding

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

REMARK = "Klopt, maar ik wil de opbouw graag wat rustiger."
FUTURE_MESSAGE = "De rapportageperiode kan niet na vandaag eindigen"


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def company(db):
    return OrganisationFactory(kind="reintegratiebedrijf", name="Re-integratie Oost BV")


@pytest.fixture
def consultant(make_user, company):
    return make_user(Role.CONSULTANT, organisation=company, full_name="Carla Consultant")


@pytest.fixture
def werknemer_user(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def trajectory(hr, employer, werknemer_user, company, consultant):
    werknemer = WerknemerFactory(organisation=employer, user=werknemer_user)
    zm = create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=30),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=zm,
        provider=company,
        consultant=consultant,
        category="fysiek",
        data_items=["personalia"],
        start_on=timezone.localdate(),
    )
    traject_actions.acknowledge_trajectory(by=werknemer_user, trajectory=trajectory)
    trajectory.refresh_from_db()
    return trajectory


def _report(consultant, trajectory, **extra):
    data = {
        "period_end": timezone.localdate(),
        "attendance": "aanwezig",
        "cooperating": True,
        "cooperation_explanation": "",
        "progress": "Werkt drie ochtenden per week op de eigen afdeling.",
        "next_steps": "Uitbreiden naar vier ochtenden.",
        **extra,
    }
    return rapportage_actions.file_report(by=consultant, trajectory=trajectory, **data)


@pytest.fixture
def released(consultant, trajectory, werknemer_user, verified_client):
    """Filed, put before the employee, read with a remark on the employee's own page, released."""
    report = _report(consultant, trajectory)
    rapportage_actions.share_report(by=consultant, report=report)
    response = verified_client(werknemer_user).post(
        reverse("reintegratie:mijn_report_seen", args=[report.pk]), {"remark": REMARK}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    return rapportage_actions.release_report(by=consultant, report=report)


# --- The employee's reaction reaches HR (RI-5, ZM-3) ---------------------------------------------


def test_ri5_hr_reads_the_employees_remark_with_the_report_on_the_trajectory_page(
    verified_client, hr, released
):
    """RI-5: the employee page promises the reaction goes with the report; HR's page shows it."""
    page = verified_client(hr).get(
        reverse("reintegratie:trajectory", args=[released.trajectory_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reactie van de werknemer" in html
    assert REMARK in html


def test_ri5_hr_reads_the_employees_remark_in_the_reintegratiedossier(
    verified_client, hr, released
):
    zm = Ziekmelding.objects.get(case_id=released.trajectory.case_id)
    page = verified_client(hr).get(reverse("reintegratie:dossier", args=[zm.pk]))
    assert page.status_code == 200
    assert REMARK in page.content.decode()


def test_ri5_hr_gets_the_employees_remark_in_the_api(bearer_client, hr, released):
    client = bearer_client(hr)
    detail = client.get(f"/api/v1/reintegratie/rapportages/{released.pk}/")
    assert detail.status_code == 200
    assert detail.json()["employee_remark"] == REMARK
    listed = client.get("/api/v1/reintegratie/rapportages/")
    assert [r["employee_remark"] for r in listed.json()["results"]] == [REMARK]
    # Only what RI-5 allows besides it: no state of the employee's reading, no staff fields.
    assert "employee_seen_at" not in detail.json() and "status" not in detail.json()


def test_ri5_a_report_read_without_remark_says_so_to_hr(
    verified_client, hr, consultant, trajectory, werknemer_user
):
    report = _report(consultant, trajectory)
    rapportage_actions.share_report(by=consultant, report=report)
    rapportage_actions.mark_report_seen(by=werknemer_user, report=report)
    report.refresh_from_db()
    rapportage_actions.release_report(by=consultant, report=report)
    page = verified_client(hr).get(reverse("reintegratie:trajectory", args=[trajectory.pk]))
    assert "De werknemer heeft geen reactie gegeven." in page.content.decode()


def test_zm3_ri5_a_remark_with_a_medical_term_is_refused_and_never_reaches_hr(
    verified_client, bearer_client, hr, consultant, trajectory, werknemer_user
):
    """ZM-3: the employer side reads the remark, so the medical-term guard refuses it on the
    employee's page (the words named, the text kept) and in the API; the report stays unread
    and so cannot be released to HR."""
    report = _report(consultant, trajectory)
    rapportage_actions.share_report(by=consultant, report=report)
    medical = "Door mijn hernia kan ik nog niet tillen."
    page = verified_client(werknemer_user).post(
        reverse("reintegratie:mijn_report_seen", args=[report.pk]), {"remark": medical}, follow=True
    )
    html = page.content.decode()
    assert "hernia" in html
    api = bearer_client(werknemer_user).post(
        f"/api/v1/reintegratie/rapportages/{report.pk}/seen/", {"remark": medical}, format="json"
    )
    assert api.status_code == 400
    report.refresh_from_db()
    assert report.employee_seen_at is None and report.employee_remark == ""
    with pytest.raises(ValidationError):
        rapportage_actions.release_report(by=consultant, report=report)
    hr_page = verified_client(hr).get(reverse("reintegratie:trajectory", args=[trajectory.pk]))
    assert "hernia" not in hr_page.content.decode()


# --- The period of a report is not in the future (RI-5) ------------------------------------------


def test_ri5_action_refuses_a_period_ending_after_today(consultant, trajectory):
    with pytest.raises(ValidationError) as refused:
        _report(consultant, trajectory, period_end=timezone.localdate() + timedelta(days=1))
    assert FUTURE_MESSAGE in refused.value.message_dict["period_end"][0]
    assert not Voortgangsrapportage.objects.filter(trajectory=trajectory).exists()


def test_ri5_action_accepts_a_period_ending_today(consultant, trajectory):
    assert _report(consultant, trajectory).period_end == timezone.localdate()


def test_ri5_page_refuses_a_future_period_at_the_field_and_keeps_the_text(
    verified_client, consultant, trajectory
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = verified_client(consultant).post(
        reverse("reintegratie:report_create", args=[trajectory.pk]),
        {
            "period_end": tomorrow,
            "attendance": "aanwezig",
            "cooperating": "ja",
            "cooperation_explanation": "",
            "progress": "Getypte voortgang blijft staan.",
            "next_steps": "Volgende stap.",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert FUTURE_MESSAGE in form.errors["period_end"][0]
    html = response.content.decode()
    assert "Getypte voortgang blijft staan." in html and tomorrow in html
    assert f'max="{timezone.localdate().isoformat()}"' in html
    assert not Voortgangsrapportage.objects.filter(trajectory=trajectory).exists()


def test_ri5_api_refuses_a_future_period_with_a_field_error(bearer_client, consultant, trajectory):
    response = bearer_client(consultant).post(
        "/api/v1/reintegratie/rapportages/",
        {
            "trajectory": trajectory.pk,
            "period_end": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "attendance": "aanwezig",
            "cooperating": True,
            "progress": "Voortgang.",
            "next_steps": "Volgende stap.",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert FUTURE_MESSAGE in body["fields"]["period_end"][0]
    assert not Voortgangsrapportage.objects.filter(trajectory=trajectory).exists()
