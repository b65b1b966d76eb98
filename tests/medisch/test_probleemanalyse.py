"""RI-2, RI-4, MD-1, MD-2, MD-5, SE-7: the doctor's probleemanalyse and the medical part of the
re-integratieverslag. The medical parts stay in the medical module (encrypted at rest, MD-3);
the probleemanalyse's employer part is a released advice (MD-5) and marks the Poortwachter step
done (RI-1); the verslag's medical part goes to the employee only, never to the employer."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.utils import timezone

from accounts.roles import Role
from medisch.actions import dossier as actions
from medisch.actions.reintegratie import record_probleemanalyse, record_verslag_deel
from medisch.models import Advies, Probleemanalyse, VerslagMedischDeel
from medisch.public import medical_report_parts_for_employee
from privacy.models import AuditEvent
from tests.medisch.conftest import MARKER
from verzuim.models import DeadlineCompletion

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

PA_MARKER = f"{MARKER}PA"  # in the medical part of the probleemanalyse
VERSLAG_MARKER = f"{MARKER}VS"  # in the delivered medical part of the verslag
DRAFT_MARKER = f"{MARKER}DR"  # in a verslag part not (yet) given to the employee
ADVICE = {
    "limitations": "Niet tillen boven 10 kg",
    "capabilities": "Bureauwerk 4 uur per dag",
    "expected_duration": "middel",
    "incapacity_percentage": 50,
    "adjustments": "Zit-sta-bureau",
}


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def _probleemanalyse(doctor, dossier, case, medical_part=PA_MARKER, release=True):
    return record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=timezone.localdate(),
        medical_part=medical_part,
        release=release,
        **ADVICE,
    )


def _verslag(doctor, dossier, case, text=VERSLAG_MARKER, deliver=True):
    return record_verslag_deel(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=timezone.localdate(),
        text=text,
        deliver=deliver,
    )


def _form(**extra):
    return {
        "date": timezone.localdate().isoformat(),
        "medical_part": f"{PA_MARKER} hernia, rugpijn bij tillen, slaapt slecht",
        **ADVICE,
        "release": "on",
        **extra,
    }


def _deadline_row(page, label="week 6 — probleemanalyse"):
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if label in r]
    assert len(rows) == 1, rows
    return rows[0]


def test_medical_parts_are_ciphertext_at_rest(doctor, dossier, case):
    """MD-1, MD-3 (RI-2, RI-4): the medical part of the probleemanalyse and of the verslag are
    AES-GCM tokens in the medisch database; the ORM reads them back."""
    analyse = _probleemanalyse(doctor, dossier, case)
    deel = _verslag(doctor, dossier, case)
    with connections["medisch"].cursor() as cursor:
        cursor.execute(
            "SELECT medical_part FROM medisch_probleemanalyse WHERE id = %s", [analyse.pk]
        )
        (medical_part,) = cursor.fetchone()
        cursor.execute("SELECT text FROM medisch_verslagmedischdeel WHERE id = %s", [deel.pk])
        (text,) = cursor.fetchone()
    assert medical_part.startswith("v1:") and MARKER not in medical_part
    assert text.startswith("v1:") and MARKER not in text
    assert Probleemanalyse.objects.get(pk=analyse.pk).medical_part == PA_MARKER
    assert VerslagMedischDeel.objects.get(pk=deel.pk).text == VERSLAG_MARKER


def test_doctor_records_probleemanalyse_employer_part_is_released_advice(
    doctor, hr, dossier, case, verified_client
):
    """RI-2, MD-5, RI-1: the doctor's page records the medical part and the employer part (an
    advice); the medical words in the medical part need no confirmation (medical by design);
    the employer's case page shows the released advice, not the medical part, and the
    probleemanalyse deadline as done ("afgerond")."""
    before = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert 'state-done">afgerond' not in _deadline_row(before)
    client = verified_client(doctor)
    url = f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302
    analyse = Probleemanalyse.objects.get()
    assert analyse.case_id == case.case_id and PA_MARKER in analyse.medical_part
    assert analyse.advies.released_at is not None
    assert analyse.advies.limitations == ADVICE["limitations"]
    completion = DeadlineCompletion.objects.get(case_id=case.case_id, key="probleemanalyse")
    assert completion.occurrence == 1 and completion.completed_on == analyse.date
    page = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert "Niet tillen boven 10 kg" in page and "Zit-sta-bureau" in page
    assert MARKER not in page and "hernia" not in page
    assert 'state-done">afgerond' in _deadline_row(page)
    dossier_page = client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert PA_MARKER in dossier_page  # the doctor reads it back in the medical dossier


def test_employer_part_with_medical_words_needs_the_doctors_confirmation(
    doctor, dossier, case, verified_client
):
    """MD-5, RI-2: the AdviesForm's warning applies to the employer part of the
    probleemanalyse; nothing is saved and no deadline is marked until the doctor confirms."""
    client = verified_client(doctor)
    url = f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/"
    data = _form(limitations="Door de hernia niet tillen")
    warned = client.post(url, data)
    assert warned.status_code == 200 and "hernia" in warned.content.decode()
    assert not Probleemanalyse.objects.exists() and not Advies.objects.exists()
    assert not DeadlineCompletion.objects.filter(
        case_id=case.case_id, key="probleemanalyse"
    ).exists()
    confirmed = client.post(url, {**data, "confirm_terms": "on"})
    assert confirmed.status_code == 302
    assert Probleemanalyse.objects.count() == 1 and Advies.objects.count() == 1


def test_markers_never_reach_the_employer_side(
    doctor, hr, make_user, patient, case, dossier, verified_client, bearer_client
):
    """MD-1, MD-2, RI-2, RI-4: with a marker in the medical part of the probleemanalyse and in
    the (delivered) medical part of the verslag, no page, export or API response the employer
    side and the operator can reach contains it — while the released employer part is on the
    employer's case page."""
    _probleemanalyse(doctor, dossier, case)
    _verslag(doctor, dossier, case)
    _verslag(doctor, dossier, case, text=DRAFT_MARKER, deliver=False)
    pages = [
        f"/verzuim/meldingen/{case.pk}/",
        "/verzuim/meldingen/?status=all",
        "/verzuim/meldingen/export.csv?status=all",
        "/verzuim/meldingen/statistiek/",
        f"/verzuim/werknemers/{patient.pk}/",
        "/verzuim/werknemers/",
        "/",
        "/verzuim/mijn/",
    ]
    api = [
        "/api/v1/ziekmeldingen/",
        f"/api/v1/ziekmeldingen/{case.pk}/",
        f"/api/v1/ziekmeldingen/{case.pk}/termijnen/",
        f"/api/v1/werknemers/{patient.pk}/",
    ]
    werkgever = make_user(Role.WERKGEVER)
    seen = 0
    for role in (Role.HR, Role.WERKGEVER, Role.WERKGEVER_BEHEERDER, Role.BEHEERDER):
        user = {Role.HR: hr, Role.WERKGEVER: werkgever}.get(role) or make_user(role)
        client = verified_client(user)
        for path in pages + ["/admin/", "/admin/accounts/user/", "/beheer/gebruikers/"]:
            body = client.get(path).content.decode()
            seen += 1
            assert MARKER not in body, (role, path)
        token_client = bearer_client(user)
        for path in api:
            assert MARKER not in token_client.get(path).content.decode(), (role, path)
        if role in (Role.HR, Role.WERKGEVER):
            case_page = client.get(f"/verzuim/meldingen/{case.pk}/").content.decode()
            assert "Niet tillen boven 10 kg" in case_page, role
    assert seen >= 40
    for event in AuditEvent.objects.all():
        assert MARKER not in json.dumps(event.object_ids) + event.detail


def test_employee_sees_the_delivered_medical_part_employer_does_not(
    doctor, hr, patient, case, dossier, verified_client
):
    """RI-4, MD-2, SE-7: the delivered medical part of the verslag appears on the employee's own
    page (their read is audited); an undelivered one does not; the employer cannot reach it
    (not through /verzuim/mijn/, not through the public function)."""
    _verslag(doctor, dossier, case)
    _verslag(doctor, dossier, case, text=DRAFT_MARKER, deliver=False)
    page = verified_client(patient.user).get("/verzuim/mijn/").content.decode()
    assert "Medisch deel van het re-integratieverslag" in page
    assert VERSLAG_MARKER in page and DRAFT_MARKER not in page
    read = AuditEvent.objects.filter(
        object_type="medisch.reintegratieverslag", action="read", subject=patient.pseudonym
    ).get()
    assert read.actor == patient.user.pseudonym and MARKER not in read.detail
    assert verified_client(hr).get("/verzuim/mijn/").status_code == 404
    assert medical_report_parts_for_employee(hr) == []
    assert medical_report_parts_for_employee(doctor) == []


def test_no_section_without_a_delivered_part(doctor, patient, case, dossier, verified_client):
    """RI-4: an undelivered part is not shown to the employee, and no read is logged."""
    _verslag(doctor, dossier, case, text=DRAFT_MARKER, deliver=False)
    page = verified_client(patient.user).get("/verzuim/mijn/").content.decode()
    assert "Medisch deel van het re-integratieverslag" not in page and DRAFT_MARKER not in page
    assert not AuditEvent.objects.filter(
        object_type="medisch.reintegratieverslag", action="read"
    ).exists()


def test_doctor_writes_the_verslag_part_through_the_page(
    doctor, patient, case, dossier, verified_client
):
    """RI-4: the doctor's form records the part for the current case; "Direct aan de
    werknemer geven" delivers it; an empty post is refused."""
    client = verified_client(doctor)
    url = f"/medisch/dossiers/{dossier.pk}/verslag/nieuw/"
    assert "Direct aan de werknemer geven" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 200 and not VerslagMedischDeel.objects.exists()
    today = timezone.localdate().isoformat()
    assert (
        client.post(url, {"date": today, "text": VERSLAG_MARKER, "deliver": "on"}).status_code
        == 302
    )
    assert client.post(url, {"date": today, "text": DRAFT_MARKER}).status_code == 302
    delivered, draft = (
        VerslagMedischDeel.objects.get(pk=pk)
        for pk in sorted(VerslagMedischDeel.objects.values_list("pk", flat=True))
    )
    assert delivered.delivered_at is not None and delivered.case_id == case.case_id
    assert draft.delivered_at is None
    assert [p.text for p in medical_report_parts_for_employee(patient.user)] == [VERSLAG_MARKER]


def test_writes_are_audited_without_content(doctor, dossier, case, verified_client):
    """SE-7: recording the probleemanalyse and the verslag part is logged (whose data, who,
    which object) without the medical content."""
    client = verified_client(doctor)
    client.post(f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/", _form())
    client.post(
        f"/medisch/dossiers/{dossier.pk}/verslag/nieuw/",
        {"date": timezone.localdate().isoformat(), "text": VERSLAG_MARKER, "deliver": "on"},
    )
    client.get(f"/medisch/dossiers/{dossier.pk}/")
    analyse = Probleemanalyse.objects.get()
    deel = VerslagMedischDeel.objects.get()
    created = AuditEvent.objects.get(object_type="medisch.probleemanalyse", action="create")
    assert created.object_ids == [str(analyse.pk)]
    assert AuditEvent.objects.filter(object_type="medisch.advies", action="create").exists()
    verslag = AuditEvent.objects.get(object_type="medisch.reintegratieverslag", action="create")
    assert verslag.object_ids == [str(deel.pk)]
    read = AuditEvent.objects.filter(object_type="medisch.dossier", action="read").latest("pk")
    assert f"probleemanalyse:{analyse.pk}" in read.object_ids
    assert f"verslag:{deel.pk}" in read.object_ids
    for event in (created, verslag, read):
        assert event.subject == dossier.subject and event.actor == doctor.pseudonym
        assert event.ip_address
    for event in AuditEvent.objects.all():
        text = json.dumps(event.object_ids) + event.detail
        assert MARKER not in text and "hernia" not in text


def test_doctor_of_another_organisation_gets_404(
    unassigned_doctor, doctor, dossier, case, verified_client
):
    """MD-2, SE-9: only the doctor responsible for the employee's organisation."""
    client = verified_client(unassigned_doctor)
    for path in (
        f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/",
        f"/medisch/dossiers/{dossier.pk}/verslag/nieuw/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, _form(text="x", deliver="on")).status_code == 404, path
    with pytest.raises(PermissionDenied):
        _probleemanalyse(unassigned_doctor, dossier, case)
    with pytest.raises(PermissionDenied):
        _verslag(unassigned_doctor, dossier, case)
    assert not Probleemanalyse.objects.exists() and not VerslagMedischDeel.objects.exists()
    assert not DeadlineCompletion.objects.filter(
        case_id=case.case_id, key="probleemanalyse"
    ).exists()


def test_delegated_casemanager_reads_but_does_not_write(
    doctor, casemanager, dossier, case, verified_client
):
    """MD-4, RI-2, RI-4: a casemanager with a "consults" delegation sees the medical parts in
    the dossier; recording them stays the doctor's own work."""
    _probleemanalyse(doctor, dossier, case)
    _verslag(doctor, dossier, case)
    today = timezone.localdate()
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=today,
        valid_until=today,
    )
    client = verified_client(casemanager)
    assert MARKER not in client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["consults"],
        valid_from=today,
        valid_until=today,
    )
    page = client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert PA_MARKER in page and VERSLAG_MARKER in page
    for path in (
        f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/",
        f"/medisch/dossiers/{dossier.pk}/verslag/nieuw/",
    ):
        assert client.get(path).status_code == 403, path
