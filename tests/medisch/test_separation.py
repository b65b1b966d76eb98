"""MD-1, MD-2, MD-3, MD-4, MD-5, SE-7, AV-6: the medical module is sealed from the employer at
every layer — application, database role, encryption at rest, audit."""

import json

import pytest
from django.db import connections, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.html import escape

from accounts.roles import Role
from medisch.actions import dossier as actions
from medisch.models import Advies, Consult, Dossier
from privacy.models import AuditEvent
from tests.medisch.conftest import MARKER

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

CONSULT = {
    "date": "2026-11-01",
    "anamnesis": "Rugklachten sinds tillen",
    "findings": "",
    "diagnosis": "Lumbago",
    "diagnosis_code": "L03",
    "policy": "Fysiotherapie",
}


def _consult(doctor, dossier, **extra):
    return actions.record_consult(by=doctor, dossier=dossier, **{**CONSULT, **extra})


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def test_default_role_cannot_select_a_medical_table(dossier, doctor):
    """MD-2 layer 2: the application's database role has no privilege on medical tables."""
    _consult(doctor, dossier)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT anamnesis FROM medisch_consult")
    assert "permission denied" in str(error.value)
    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM medisch_consult")
        assert cursor.fetchone()[0] == 1


def test_medical_models_are_routed_to_the_medisch_alias(dossier):
    """MD-2 layer 2: the ORM reads medical tables through the medisch connection only."""
    assert Dossier.objects.all().db == "medisch"
    with pytest.raises(DatabaseError), transaction.atomic():
        list(Consult.objects.using("default").all())


def test_free_text_is_ciphertext_at_rest(dossier, doctor):
    """MD-3: the stored column holds AES-GCM tokens, not the text."""
    consult = _consult(doctor, dossier)
    with connections["medisch"].cursor() as cursor:
        cursor.execute(
            "SELECT anamnesis, diagnosis FROM medisch_consult WHERE id = %s", [consult.pk]
        )
        anamnesis, diagnosis = cursor.fetchone()
    assert anamnesis.startswith("v1:") and "Rugklachten" not in anamnesis
    assert "Lumbago" not in diagnosis
    assert Consult.objects.get(pk=consult.pk).anamnesis == "Rugklachten sinds tillen"


def test_medical_models_are_not_on_the_admin_site():
    """MD-2: the operator's admin lists no medical model."""
    from django.contrib import admin

    assert not [m for m in admin.site._registry if m._meta.app_label == "medisch"]


@pytest.mark.parametrize(
    "role",
    [
        Role.WERKGEVER,
        Role.HR,
        Role.WERKGEVER_BEHEERDER,
        Role.BEHEERDER,
        Role.CONSULTANT,
        Role.WERKNEMER,
    ],
)
def test_non_medical_roles_are_refused_every_medisch_page(
    role, make_user, verified_client, dossier, patient
):
    """MD-2 layer 1: no employer-side role (nor the operator) enters medisch/."""
    client = verified_client(make_user(role))
    for path in (
        "/medisch/",
        f"/medisch/dossiers/{dossier.pk}/",
        f"/medisch/dossiers/{dossier.pk}/consult/nieuw/",
        f"/medisch/dossiers/{dossier.pk}/advies/nieuw/",
        f"/medisch/dossiers/{dossier.pk}/delegaties/nieuw/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/medisch/werknemers/{patient.pk}/dossier/").status_code == 403


def test_doctor_of_another_organisation_cannot_open_the_dossier(
    unassigned_doctor, verified_client, dossier
):
    """MD-2: only the doctor responsible for the employee's organisation."""
    client = verified_client(unassigned_doctor)
    assert client.get(f"/medisch/dossiers/{dossier.pk}/").status_code == 404


def test_marker_never_reaches_the_employer_side(
    doctor, hr, make_user, patient, case, dossier, verified_client, bearer_client, mailoutbox
):
    """MD-2 exhaustively: a unique marker in every medical field of the case; every page, API
    response, export and e-mail the employer side and the operator can reach for that case is
    rendered and must not contain it."""
    _consult(
        doctor,
        dossier,
        **{
            k: f"{MARKER} {k}"
            for k in ("anamnesis", "findings", "diagnosis", "diagnosis_code", "policy")
        },
    )
    actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=False,
        date=timezone.localdate(),
        limitations=MARKER,
        capabilities=MARKER,
        expected_duration="kort",
        incapacity_percentage=50,
        adjustments=MARKER,
    )  # a draft: never released
    from verzuim.tasks import send_deadline_signals

    send_deadline_signals()
    werkgever = make_user(Role.WERKGEVER)
    pages = [
        f"/verzuim/meldingen/{case.pk}/",
        "/verzuim/meldingen/?status=all",
        "/verzuim/meldingen/export.csv?status=all",
        "/verzuim/meldingen/statistiek/",
        f"/verzuim/werknemers/{patient.pk}/",
        "/verzuim/werknemers/",
        "/",
        f"/verzuim/meldingen/{case.pk}/wijzigen/",
        f"/verzuim/meldingen/{case.pk}/herstel/",
    ]
    api = [
        "/api/v1/ziekmeldingen/",
        f"/api/v1/ziekmeldingen/{case.pk}/",
        f"/api/v1/ziekmeldingen/{case.pk}/termijnen/",
        f"/api/v1/werknemers/{patient.pk}/",
        "/api/v1/werknemers/",
        "/api/v1/me/",
        "/api/schema/",
    ]
    seen = 0
    for role in (
        Role.HR,
        Role.WERKGEVER,
        Role.WERKGEVER_BEHEERDER,
        Role.BEHEERDER,
        Role.CONSULTANT,
    ):
        user = {Role.HR: hr, Role.WERKGEVER: werkgever}.get(role) or make_user(role)
        client = verified_client(user)
        for path in pages + ["/admin/", "/admin/accounts/user/", "/beheer/gebruikers/"]:
            body = client.get(path).content.decode()
            seen += 1
            assert MARKER not in body, (role, path)
        token_client = bearer_client(user)
        for path in api:
            body = token_client.get(path).content.decode()
            assert MARKER not in body, (role, path)
    for mail in mailoutbox:
        assert MARKER not in mail.body and MARKER not in mail.subject
    for event in AuditEvent.objects.all():
        assert MARKER not in json.dumps(event.object_ids) + event.detail
    assert seen > 40


def test_released_advice_is_what_crosses(doctor, hr, patient, case, dossier, verified_client):
    """MD-5: only the released advice appears on the employer's case page; the consult does
    not; the read of the advice is audited."""
    _consult(doctor, dossier)
    actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        date=timezone.localdate(),
        limitations="Niet tillen boven 10 kg",
        capabilities="Bureauwerk 4 uur per dag",
        expected_duration="middel",
        incapacity_percentage=50,
        adjustments="Zit-sta-bureau",
    )
    page = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/").content.decode()
    assert "Niet tillen boven 10 kg" in page and "Zit-sta-bureau" in page
    assert "Lumbago" not in page and "Rugklachten" not in page
    assert AuditEvent.objects.filter(
        object_type="medisch.advies", action="read", subject=patient.pseudonym
    ).exists()


def test_advice_with_medical_words_needs_the_doctors_confirmation(
    doctor, case, dossier, verified_client
):
    """MD-5: the doctor is warned before anything like a diagnosis is released."""
    client = verified_client(doctor)
    data = {
        "date": timezone.localdate().isoformat(),
        "limitations": "Door de hernia niet tillen",
        "capabilities": "Bureauwerk",
        "expected_duration": "kort",
        "incapacity_percentage": 40,
        "adjustments": "",
        "release": "on",
    }
    warned = client.post(f"/medisch/dossiers/{dossier.pk}/advies/nieuw/", data)
    assert warned.status_code == 200 and "hernia" in warned.content.decode()
    assert not Advies.objects.exists()
    confirmed = client.post(
        f"/medisch/dossiers/{dossier.pk}/advies/nieuw/", {**data, "confirm_terms": "on"}
    )
    assert confirmed.status_code == 302 and Advies.objects.count() == 1


def test_delegation_shows_exactly_the_delegated_part_and_revocation_is_immediate(
    doctor, casemanager, dossier, case, verified_client
):
    """MD-4: the casemanager sees only what was delegated; revoking ends it at once; the
    delegation and the casemanager's reads (on behalf of the doctor) are audited."""
    _consult(doctor, dossier)
    client = verified_client(casemanager)
    assert client.get(f"/medisch/dossiers/{dossier.pk}/").status_code == 404
    today = timezone.localdate()
    delegation = actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=today,
        valid_until=today,
    )
    page = client.get(f"/medisch/dossiers/{dossier.pk}/")
    assert page.status_code == 200
    assert "Lumbago" not in page.content.decode() and "Adviezen" in page.content.decode()
    read = AuditEvent.objects.filter(actor=casemanager.pseudonym, action="read").latest("pk")
    assert read.on_behalf_of == doctor.pseudonym
    assert client.get(f"/medisch/dossiers/{dossier.pk}/consult/nieuw/").status_code == 403
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["consults"],
        valid_from=today,
        valid_until=today,
    )
    assert "Lumbago" in client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    actions.revoke_delegation(by=doctor, delegation=delegation)
    for other in dossier.delegations.all():
        actions.revoke_delegation(by=doctor, delegation=other)
    assert client.get(f"/medisch/dossiers/{dossier.pk}/").status_code == 404
    assert AuditEvent.objects.filter(object_type="medisch.delegatie").count() == 4


def test_employee_sees_who_read_their_medical_data(doctor, patient, dossier, verified_client):
    """AV-6 + SE-7: the doctor's read appears on the employee's own page, with name and kind
    of access; the employer cannot see that page."""
    verified_client(doctor).get(f"/medisch/dossiers/{dossier.pk}/")
    page = verified_client(patient.user).get("/verzuim/mijn/").content.decode()
    assert escape(doctor.full_name) in page and "medisch dossier ingezien" in page


def test_every_medical_access_is_audited_with_nen7513_fields(doctor, dossier, verified_client):
    """SE-7: reads and writes of medical data are logged, without the content."""
    client = verified_client(doctor)
    client.post(f"/medisch/dossiers/{dossier.pk}/consult/nieuw/", {**CONSULT})
    client.get(f"/medisch/dossiers/{dossier.pk}/")
    events = list(AuditEvent.objects.filter(subject=dossier.subject).order_by("pk"))
    kinds = [(e.action, e.object_type) for e in events]
    assert ("create", "medisch.dossier") in kinds and ("create", "medisch.consult") in kinds
    assert ("read", "medisch.dossier") in kinds
    for event in events:
        assert event.actor == doctor.pseudonym
        if event.object_type == "medisch.consult" or event.action == "read":
            assert event.ip_address  # came in through a request: the access point is kept
        assert "Lumbago" not in event.detail and "Rugklachten" not in event.detail
