"""MD-5, MD-2: a released advice tells HR of the employer — in the app and by an e-mail that
carries nothing of the advice, no name and no medical word; a concept tells no one; the
notification is once per advice however often medisch.notifications.advice_released is called
(the later release of a concept calls it too). See tests/accounts/test_notifications.py for the
other events."""

import pytest
from django.utils import timezone

from accounts.models import Notification, NotificationKind
from accounts.roles import Role
from config.celery import app
from medisch.actions import dossier as actions
from medisch.actions.reintegratie import deliver_verslag_deel, record_verslag_deel
from medisch.models import Advies
from medisch.notifications import advice_released
from privacy.medical_guard import find_medical_terms
from tests.medisch.conftest import MARKER

pytestmark = pytest.mark.django_db
SITE = "https://verzuim.test.example"


@pytest.fixture
def eager(settings):
    settings.SITE_URL = SITE
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def others(make_user, other_employer):
    return [
        make_user(Role.HR, organisation=other_employer, device=False),
        make_user(Role.WERKGEVER, device=False),
        make_user(Role.CASEMANAGER, device=False),
        make_user(Role.BEHEERDER, device=False),
    ]


def _advice_form(release):
    data = {
        "date": timezone.localdate().isoformat(),
        "limitations": f"Door de hernia niet tillen {MARKER}",
        "capabilities": f"Bureauwerk {MARKER}",
        "expected_duration": "kort",
        "incapacity_percentage": 40,
        "adjustments": "",
        "confirm_terms": "on",
    }
    if release:
        data["release"] = "on"
    return data


def test_md5_released_advice_tells_hr_of_the_employer_and_no_one_else(
    eager,
    doctor,
    hr,
    patient,
    case,
    others,
    verified_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """MD-5, MD-2: released through the doctor's page, the advice is one message to HR of the
    employer, linking to the case page; its e-mail holds no advice text, no name, no medical
    word. HR of another employer, the werkgever, the casemanager and the operator get nothing."""
    dossier = actions.open_dossier(by=doctor, werknemer=patient)
    client = verified_client(doctor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/medisch/dossiers/{dossier.pk}/advies/nieuw/", _advice_form(release=True)
        )
    assert response.status_code == 302
    rows = Notification.objects.filter(kind=NotificationKind.ADVIES)
    assert [r.recipient_id for r in rows] == [hr.pk]
    assert rows[0].link == f"/verzuim/meldingen/{case.pk}/"
    assert MARKER not in rows[0].text and "hernia" not in rows[0].text
    assert not Notification.objects.filter(recipient__in=others).exists()
    (mail,) = mailoutbox
    text = f"{mail.subject}\n{mail.body}"
    assert mail.to == [hr.email] and f"{SITE}/verzuim/meldingen/{case.pk}/" in mail.body
    for word in (MARKER, patient.first_name, patient.last_name, patient.personnel_number):
        assert word not in text
    assert find_medical_terms(text) == []


def test_md5_concept_advice_tells_no_one_and_a_release_tells_hr_once(
    eager,
    doctor,
    hr,
    patient,
    case,
    verified_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """MD-5: a concept stays with the doctor — no message; the doctor releasing it later on the
    release page tells HR once, and a second release (the API, already released) tells no one
    again; a direct call of the hook after that adds nothing either."""
    dossier = actions.open_dossier(by=doctor, werknemer=patient)
    client = verified_client(doctor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/medisch/dossiers/{dossier.pk}/advies/nieuw/", _advice_form(release=False))
    advies = Advies.objects.get()
    assert advies.released_at is None
    assert not Notification.objects.filter(kind=NotificationKind.ADVIES).exists()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/medisch/adviezen/{advies.pk}/vrijgeven/", {"confirm_terms": "on"})
    assert response.status_code == 302
    advies.refresh_from_db()
    assert advies.released_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.release_advies(by=doctor, advies=advies, confirm_terms=True) is False
        advice_released(advies)
    assert list(
        Notification.objects.filter(kind=NotificationKind.ADVIES).values_list(
            "recipient_id", flat=True
        )
    ) == [hr.pk]
    assert [m.to for m in mailoutbox] == [[hr.email]]


def test_ri4_medical_verslag_part_tells_only_the_employee_once_given(
    eager,
    doctor,
    hr,
    patient,
    case,
    others,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """RI-4, MD-2: the doctor's part of the re-integratieverslag, recorded without giving it,
    tells no one; given later (twice: the second changes nothing), it tells the employee once —
    not HR — and the e-mail carries none of its text and no medical word."""
    dossier = actions.open_dossier(by=doctor, werknemer=patient)
    with django_capture_on_commit_callbacks(execute=True):
        deel = record_verslag_deel(
            by=doctor,
            dossier=dossier,
            case_id=case.case_id,
            date=timezone.localdate(),
            text=f"Hernia L5 {MARKER}",
            deliver=False,
        )
    assert not Notification.objects.filter(kind=NotificationKind.LEZEN).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_verslag_deel(by=doctor, deel=deel)
        assert not deliver_verslag_deel(by=doctor, deel=deel)
    assert list(
        Notification.objects.filter(kind=NotificationKind.LEZEN).values_list(
            "recipient_id", flat=True
        )
    ) == [patient.user_id]
    (mail,) = mailoutbox
    assert mail.to == [patient.user.email]
    text = f"{mail.subject}\n{mail.body}"
    assert MARKER not in text and patient.last_name not in text
    assert find_medical_terms(text) == []
