"""Issue 18, item 6: a concept advice released later (MD-5, SE-7, RI-9).

Until now only "direct vrijgeven" at recording released an advice; a concept stayed a concept.
`medisch.actions.dossier.release_advies` is the one way an advice crosses to the employer side:
the doctor's page (with confirmation), the API, and recording with "direct vrijgeven" all go
through it. Only a released advice reaches the employer and the employee.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from medisch.actions import dossier as actions
from medisch.models import Advies
from medisch.public import released_advice
from privacy.models import AuditAction, AuditEvent, DataFlow, LegalBasis

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

LIMITATIONS = "Niet tillen boven 10 kg; geen nachtdiensten."


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def _concept(doctor, dossier, case, **extra):
    data = {
        "date": timezone.localdate(),
        "limitations": LIMITATIONS,
        "capabilities": "Bureauwerk, vier uur per dag.",
        "expected_duration": "kort",
        "incapacity_percentage": 50,
        "adjustments": "Zit-sta-bureau.",
        **extra,
    }
    return actions.record_advies(
        by=doctor, dossier=dossier, case_id=case.case_id, release=False, **data
    )


def _release_events(advies):
    return AuditEvent.objects.filter(
        object_type="medisch.advies",
        action=AuditAction.UPDATE,
        object_ids__contains=[str(advies.pk)],
        detail="advies aan werkgever vrijgegeven",
    )


def _flows(advies):
    return DataFlow.objects.filter(object_type="medisch.advies", object_id=str(advies.pk))


def test_md5_concept_is_not_seen_by_the_employer_until_the_doctor_releases_it_on_the_page(
    doctor, hr, patient, case, dossier, verified_client
):
    """MD-5: a concept stays in the medical module; the doctor sees exactly what will be read,
    confirms, and only then HR reads it on the case page. The release is audited (SE-7) and
    recorded as a flow on the Poortwachter basis (RI-9)."""
    advies = _concept(doctor, dossier, case)
    hr_client = verified_client(hr)
    assert LIMITATIONS not in hr_client.get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert released_advice(case.case_id, subject=patient.pseudonym) == []

    doctor_client = verified_client(doctor)
    dossier_page = doctor_client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert f"/medisch/adviezen/{advies.pk}/vrijgeven/" in dossier_page
    confirm = doctor_client.get(f"/medisch/adviezen/{advies.pk}/vrijgeven/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert LIMITATIONS in html and "Vrijgeven aan werkgever en werknemer" in html
    advies.refresh_from_db()
    assert advies.released_at is None  # opening the confirmation releases nothing

    done = doctor_client.post(f"/medisch/adviezen/{advies.pk}/vrijgeven/")
    assert done.status_code == 302 and done["Location"] == f"/medisch/dossiers/{dossier.pk}/"
    advies.refresh_from_db()
    assert advies.released_at is not None
    assert _release_events(advies).get().actor == doctor.pseudonym
    flow = _flows(advies).get()
    assert flow.legal_basis == LegalBasis.POORTWACHTER
    assert LIMITATIONS in hr_client.get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert [a.id for a in released_advice(case.case_id, subject=patient.pseudonym)] == [advies.pk]


def test_md5_releasing_twice_changes_nothing(doctor, case, dossier, verified_client):
    advies = _concept(doctor, dossier, case)
    assert actions.release_advies(by=doctor, advies=advies) is True
    first = Advies.objects.get(pk=advies.pk).released_at
    response = verified_client(doctor).post(
        f"/medisch/adviezen/{advies.pk}/vrijgeven/", follow=True
    )
    assert "Dit advies was al vrijgegeven." in response.content.decode()
    assert actions.release_advies(by=doctor, advies=advies) is False
    assert Advies.objects.get(pk=advies.pk).released_at == first
    assert _release_events(advies).count() == 1 and _flows(advies).count() == 1


def test_md5_medical_words_must_be_confirmed_before_release(
    doctor, patient, case, dossier, verified_client
):
    """MD-5: the same warning as at recording: words that look medical are named and the
    doctor confirms; without confirmation the advice stays a concept."""
    advies = _concept(doctor, dossier, case, adjustments="Rekening houden met de hernia.")
    client = verified_client(doctor)
    url = f"/medisch/adviezen/{advies.pk}/vrijgeven/"
    page = client.get(url).content.decode()
    assert "hernia" in page and 'name="confirm_terms"' in page
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "hernia" in refused.context["form"].errors["confirm_terms"][0]
    advies.refresh_from_db()
    assert advies.released_at is None and not _release_events(advies).exists()
    with pytest.raises(ValidationError):
        actions.release_advies(by=doctor, advies=advies)
    assert client.post(url, {"confirm_terms": "on"}).status_code == 302
    advies.refresh_from_db()
    assert advies.released_at is not None


def test_md5_warning_uses_the_zm3_guard_with_its_word_forms(doctor, case, dossier):
    """MD-5, issue 21: the advice's warning is the ZM-3 guard (privacy.medical_guard), so what
    it learned is flagged here too: a diminutive ("operatietje"), a body part with what it
    stops ("knie niet belasten"), an informal word ("psych"). A functional limitation without
    a body part stays unflagged."""
    advies = _concept(
        doctor,
        dossier,
        case,
        limitations="Na het operatietje: zijn knie niet belasten.",
        adjustments="Opbouw afstemmen met de psych.",
    )
    assert actions.flagged_terms(advies) == ["knie niet belasten", "operatietje", "psych"]
    with pytest.raises(ValidationError):
        actions.release_advies(by=doctor, advies=advies)
    assert actions.flagged_terms(_concept(doctor, dossier, case)) == []


def test_md5_only_the_responsible_doctor_releases(
    doctor, unassigned_doctor, casemanager, case, dossier, verified_client
):
    """MD-2, MD-4: a doctor of another organisation gets 404; a casemanager who may read the
    advice under a delegation may not release it (403); the action refuses both."""
    advies = _concept(doctor, dossier, case)
    today = timezone.localdate()
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=today,
        valid_until=today,
    )
    url = f"/medisch/adviezen/{advies.pk}/vrijgeven/"
    assert verified_client(unassigned_doctor).post(url).status_code == 404
    assert verified_client(casemanager).get(url).status_code == 403
    assert verified_client(casemanager).post(url).status_code == 403
    for user in (unassigned_doctor, casemanager):
        with pytest.raises(PermissionDenied):
            actions.release_advies(by=user, advies=advies)
    advies.refresh_from_db()
    assert advies.released_at is None


def test_md5_release_through_the_api(doctor, unassigned_doctor, case, dossier, bearer_client):
    """MD-5: POST /api/v1/medisch/adviezen/{id}/release/: 400 with the words at confirm_terms,
    200 with released_at once confirmed, 404 outside the doctor's organisations."""
    advies = _concept(doctor, dossier, case, limitations="Geen medicatie tijdens het rijden.")
    url = f"/api/v1/medisch/adviezen/{advies.pk}/release/"
    assert bearer_client(unassigned_doctor).post(url, {}, format="json").status_code == 404
    client = bearer_client(doctor)
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert "medicatie" in refused.json()["fields"]["confirm_terms"][0]
    released = client.post(url, {"confirm_terms": True}, format="json")
    assert released.status_code == 200
    assert released.json()["id"] == advies.pk and released.json()["released_at"]
    assert _release_events(advies).count() == 1


def test_md5_direct_release_at_recording_goes_through_the_same_action(doctor, case, dossier):
    """The notification of a released advice hooks into release_advies: "direct vrijgeven"
    must pass there too (one audit row of the release, one flow)."""
    advies = actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        date=timezone.localdate(),
        limitations=LIMITATIONS,
        capabilities="Bureauwerk.",
        expected_duration="kort",
        incapacity_percentage=50,
    )
    assert advies.released_at is not None
    assert _release_events(advies).count() == 1 and _flows(advies).count() == 1
