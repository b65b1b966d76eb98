"""The doctor's API (issue 4, item 10): same policy, scoping and audit as the pages; refused to
every other role (MD-2); the advice warning applies (MD-5); content encrypted at rest (MD-3)."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from medisch import actions
from privacy.models import AuditEvent

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def test_doctor_records_and_reads_a_consult_through_the_api(doctor, dossier, bearer_client):
    """MD-1 + SE-7: a consult via the API, read back, every step audited."""
    client = bearer_client(doctor)
    created = client.post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/consults/",
        {
            "date": timezone.localdate().isoformat(),
            "anamnesis": "Schouderklachten",
            "findings": "",
            "diagnosis": "Tendinitis",
            "diagnosis_code": "L92",
            "policy": "Rust",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    detail = client.get(f"/api/v1/medisch/dossiers/{dossier.pk}/").json()
    assert detail["consults"][0]["diagnosis"] == "Tendinitis"
    kinds = set(
        AuditEvent.objects.filter(subject=dossier.subject).values_list("action", "object_type")
    )
    assert {("create", "medisch.consult"), ("read", "medisch.dossier")} <= kinds


@pytest.mark.parametrize(
    "role",
    [
        Role.HR,
        Role.WERKGEVER,
        Role.WERKGEVER_BEHEERDER,
        Role.BEHEERDER,
        Role.CONSULTANT,
        Role.WERKNEMER,
    ],
)
def test_every_other_role_is_refused(role, make_user, bearer_client, dossier):
    """MD-2 through the API: 403 for list, detail and writes."""
    client = bearer_client(make_user(role))
    assert client.get("/api/v1/medisch/dossiers/").status_code == 403
    assert client.get(f"/api/v1/medisch/dossiers/{dossier.pk}/").status_code == 403
    assert (
        client.post(
            f"/api/v1/medisch/dossiers/{dossier.pk}/consults/", {}, format="json"
        ).status_code
        == 403
    )


def test_advice_with_medical_words_needs_confirmation_through_the_api(
    doctor, dossier, case, bearer_client
):
    """MD-5: the API warns like the page does."""
    client = bearer_client(doctor)
    body = {
        "date": timezone.localdate().isoformat(),
        "limitations": "Vanwege migraine geen beeldschermwerk",
        "capabilities": "Telefonisch werk",
        "expected_duration": "kort",
        "incapacity_percentage": 30,
        "adjustments": "",
        "release": True,
    }
    refused = client.post(f"/api/v1/medisch/dossiers/{dossier.pk}/adviezen/", body, format="json")
    assert refused.status_code == 400 and "migraine" in str(refused.json())
    ok = client.post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/adviezen/",
        {**body, "confirm_terms": True},
        format="json",
    )
    assert ok.status_code == 201
