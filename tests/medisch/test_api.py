"""The doctor's API (issue 4, item 10): same policy, scoping and audit as the pages; refused to
every other role (MD-2); the advice warning applies (MD-5); content encrypted at rest (MD-3)."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from medisch.actions import dossier as actions
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


# --- Everything the doctor does on pages, through the API (issue 4, item 10) ---------------------
PDF = b"%PDF-1.7\n% api test\n%%EOF\n"
DELIVER_MARKER = "ZZAPIVERSLAG7Q"


@pytest.fixture
def files_root(settings, tmp_path):
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "medical-files")
    return tmp_path


def _audit(subject, object_type):
    return list(
        AuditEvent.objects.filter(subject=subject, object_type=object_type).values_list(
            "action", "detail"
        )
    )


def test_documents_upload_detail_and_download_through_the_api(
    doctor, dossier, bearer_client, files_root
):
    """MD-1, MD-3, SE-7: multipart upload, metadata (never contents) in the dossier detail, the
    decrypted bytes with the page's headers; the same audit entries as the page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = bearer_client(doctor)
    created = client.post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/documents/",
        {
            "title": "Brief specialist",
            "kind": "brief_behandelaar",
            "uploaded_file": SimpleUploadedFile("scan.pdf", PDF),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    doc = created.json()
    assert set(doc) == {"id", "title", "kind", "content_type", "size", "uploaded_at"}
    assert (doc["content_type"], doc["size"]) == ("application/pdf", len(PDF))
    detail = client.get(f"/api/v1/medisch/dossiers/{dossier.pk}/").json()
    assert [d["id"] for d in detail["documents"]] == [doc["id"]]
    assert "api test" not in str(detail)
    download = client.get(f"/api/v1/medisch/documents/{doc['id']}/download/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "no-store"
    assert "attachment" in download["Content-Disposition"]
    assert "scan" not in download["Content-Disposition"]
    assert _audit(dossier.subject, "medisch.document") == [
        ("create", "medisch document toegevoegd"),
        ("export", "medisch document gedownload"),
    ]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"Gewone tekst, geen PDF", "unsupported_file_type"),
        (b"MZ\x90\x00 executable", "unsupported_file_type"),
    ],
)
def test_upload_of_other_types_is_refused_through_the_api(
    doctor, dossier, bearer_client, files_root, payload, code
):
    """MD-1: only PDF, PNG and JPEG (by content, not by name): 400 with a machine code."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from medisch.models import Document

    response = bearer_client(doctor).post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/documents/",
        {"title": "x", "kind": "overig", "uploaded_file": SimpleUploadedFile("a.pdf", payload)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Document.objects.filter(dossier=dossier).exists()


def test_upload_over_the_size_limit_is_refused_through_the_api(
    doctor, dossier, bearer_client, files_root, settings
):
    """MD-1, MD-3: the page's size limit, through the API's in-memory upload handler."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDICAL_UPLOAD_MAX_BYTES = 64
    response = bearer_client(doctor).post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/documents/",
        {
            "title": "x",
            "kind": "overig",
            "uploaded_file": SimpleUploadedFile("a.pdf", PDF + b"0" * 200),
        },
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_correspondence_probleemanalyse_and_verslag_through_the_api(
    doctor, dossier, case, bearer_client
):
    """MD-1, MD-5, SE-7: the page's actions and audit; the probleemanalyse warns like the page."""
    client = bearer_client(doctor)
    base = f"/api/v1/medisch/dossiers/{dossier.pk}"
    today = timezone.localdate().isoformat()
    letter = client.post(
        f"{base}/correspondence/",
        {"direction": "in", "date": today, "counterpart": "Huisarts", "subject": "Brief"},
        format="json",
    )
    assert letter.status_code == 201, letter.content
    analyse = {
        "date": today,
        "medical_part": "Rugklachten na val",
        "limitations": "Vanwege migraine geen beeldschermwerk",
        "capabilities": "Telefonisch werk",
        "expected_duration": "kort",
        "incapacity_percentage": 50,
        "release": True,
    }
    refused = client.post(f"{base}/probleemanalyses/", analyse, format="json")
    assert refused.status_code == 400 and "migraine" in str(refused.json())
    ok = client.post(f"{base}/probleemanalyses/", {**analyse, "confirm_terms": True}, format="json")
    assert ok.status_code == 201, ok.content
    deel = client.post(
        f"{base}/verslagdelen/",
        {"date": today, "text": "Medisch deel", "deliver": True},
        format="json",
    )
    assert deel.status_code == 201 and deel.json()["delivered_at"]
    detail = client.get(f"{base}/").json()
    assert detail["correspondence"][0]["counterpart"] == "Huisarts"
    assert detail["probleemanalyses"][0]["medical_part"] == "Rugklachten na val"
    assert detail["verslagdelen"][0]["text"] == "Medisch deel"
    assert _audit(dossier.subject, "medisch.correspondentie") == [
        ("create", "correspondentie met behandelaar vastgelegd")
    ]
    assert _audit(dossier.subject, "medisch.probleemanalyse") == [
        ("create", "probleemanalyse vastgelegd")
    ]
    assert _audit(dossier.subject, "medisch.reintegratieverslag") == [
        ("create", "medisch deel re-integratieverslag vastgelegd en aan de werknemer gegeven")
    ]


def test_casemanager_reads_exactly_the_delegated_parts_through_the_api(
    doctor, casemanager, dossier, bearer_client, files_root
):
    """MD-4, MD-2, SE-7: the doctor delegates through the API; the casemanager reads exactly the
    delegated part, may not write (403), and loses access at once on revocation (404)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from medisch.actions import documents as actions_documents

    actions_documents.upload_document(
        by=doctor,
        dossier=dossier,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        title="Uitslag",
        kind="uitslag",
    )
    actions.record_consult(by=doctor, dossier=dossier, date=timezone.localdate(), diagnosis="X")
    doctor_api = bearer_client(doctor)
    today = timezone.localdate().isoformat()
    made = doctor_api.post(
        f"/api/v1/medisch/dossiers/{dossier.pk}/delegations/",
        {
            "delegate": casemanager.pk,
            "parts": ["documenten"],
            "valid_from": today,
            "valid_until": today,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    cm = bearer_client(casemanager)
    detail = cm.get(f"/api/v1/medisch/dossiers/{dossier.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert [d["title"] for d in body["documents"]] == ["Uitslag"]
    assert body["consults"] == body["adviezen"] == body["correspondence"] == []
    assert body["probleemanalyses"] == body["verslagdelen"] == body["delegations"] == []
    doc_id = body["documents"][0]["id"]
    assert cm.get(f"/api/v1/medisch/documents/{doc_id}/download/").content == PDF
    refused = cm.post(f"/api/v1/medisch/dossiers/{dossier.pk}/correspondence/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert cm.post(f"/api/v1/medisch/delegations/{made.json()['id']}/revoke/").status_code == 403
    on_behalf = AuditEvent.objects.filter(
        subject=dossier.subject, action="export", object_type="medisch.document"
    ).get()
    assert on_behalf.on_behalf_of == doctor.pseudonym
    revoked = doctor_api.post(f"/api/v1/medisch/delegations/{made.json()['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert cm.get(f"/api/v1/medisch/dossiers/{dossier.pk}/").status_code == 404
    assert cm.get(f"/api/v1/medisch/documents/{doc_id}/download/").status_code == 404
    assert [a for a, _d in _audit(dossier.subject, "medisch.delegatie")] == ["create", "update"]


def test_keuringen_through_the_api(doctor, hr, patient, unassigned_doctor, bearer_client):
    """MD-7, MD-2, SE-7: the assigned doctor lists and records the exam once (409 after);
    another organisation's doctor sees nothing (404)."""
    from medisch.public import request_keuring

    pk = request_keuring(
        by=hr,
        candidate_email=patient.user.email,
        function="Heftruckchauffeur",
        justification="Besturen van een heftruck vereist goed zicht.",
        aspects="Gezichtsvermogen",
    )
    client = bearer_client(doctor)
    listing = client.get("/api/v1/medisch/keuringen/").json()
    assert [k["id"] for k in listing["results"]] == [pk]
    assert "findings" not in listing["results"][0]
    assert (
        client.post(f"/api/v1/medisch/keuringen/{pk}/record/", {}, format="json").status_code == 400
    )
    body = {"findings": "Visus binnen de norm.", "conclusion": "geschikt"}
    recorded = client.post(f"/api/v1/medisch/keuringen/{pk}/record/", body, format="json")
    assert recorded.status_code == 200 and recorded.json()["conclusion"] == "geschikt"
    again = client.post(f"/api/v1/medisch/keuringen/{pk}/record/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_recorded"
    other = bearer_client(unassigned_doctor)
    assert other.get("/api/v1/medisch/keuringen/").json()["results"] == []
    assert (
        other.post(f"/api/v1/medisch/keuringen/{pk}/record/", body, format="json").status_code
        == 404
    )
    kinds = list(
        AuditEvent.objects.filter(object_type="medisch.keuring").values_list("action", "detail")
    )
    assert ("search", "overzicht aanstellingskeuringen") in kinds
    assert ("update", "aanstellingskeuring vastgelegd") in kinds


NEW_ENDPOINTS = [
    ("post", "/api/v1/medisch/dossiers/{d}/documents/"),
    ("post", "/api/v1/medisch/dossiers/{d}/correspondence/"),
    ("post", "/api/v1/medisch/dossiers/{d}/probleemanalyses/"),
    ("post", "/api/v1/medisch/dossiers/{d}/verslagdelen/"),
    ("post", "/api/v1/medisch/dossiers/{d}/delegations/"),
    ("post", "/api/v1/medisch/delegations/1/revoke/"),
    ("post", "/api/v1/medisch/verslagdelen/1/deliver/"),
    ("get", "/api/v1/medisch/documents/1/download/"),
    ("get", "/api/v1/medisch/keuringen/"),
    ("get", "/api/v1/medisch/keuringen/1/"),
    ("post", "/api/v1/medisch/keuringen/1/record/"),
]


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
def test_every_other_role_is_refused_on_the_new_endpoints(role, make_user, bearer_client, dossier):
    """MD-2 through the API: 403 on every new endpoint for every non-medical role."""
    client = bearer_client(make_user(role))
    for method, path in NEW_ENDPOINTS:
        response = getattr(client, method)(path.format(d=dossier.pk))
        assert response.status_code == 403, (method, path, response.status_code)


def test_verslag_part_given_later_reaches_the_employee(
    doctor, patient, dossier, case, verified_client, bearer_client
):
    """RI-4, MD-2, SE-7: a part saved without "Direct aan de werknemer geven" is given later
    (page button, then the API for another part) and appears on the employee's /verzuim/mijn/."""
    from medisch.actions.reintegratie import record_verslag_deel

    def part(text):
        return record_verslag_deel(
            by=doctor,
            dossier=dossier,
            case_id=case.case_id,
            date=timezone.localdate(),
            text=text,
            deliver=False,
        )

    first, second = part(DELIVER_MARKER + "A"), part(DELIVER_MARKER + "B")
    employee = verified_client(patient.user)
    assert DELIVER_MARKER not in employee.get("/verzuim/mijn/").content.decode()
    page = verified_client(doctor)
    dossier_page = page.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert f"/medisch/verslagdelen/{first.pk}/geven/" in dossier_page
    response = page.post(f"/medisch/verslagdelen/{first.pk}/geven/")
    assert (response.status_code, response["Location"]) == (302, f"/medisch/dossiers/{dossier.pk}/")
    mine = employee.get("/verzuim/mijn/").content.decode()
    assert DELIVER_MARKER + "A" in mine and DELIVER_MARKER + "B" not in mine
    given = bearer_client(doctor).post(f"/api/v1/medisch/verslagdelen/{second.pk}/deliver/")
    assert given.status_code == 200 and given.json()["delivered_at"]
    assert DELIVER_MARKER + "B" in employee.get("/verzuim/mijn/").content.decode()
    assert (
        f"/medisch/verslagdelen/{first.pk}/geven/"
        not in page.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    )
    assert (
        _audit(dossier.subject, "medisch.reintegratieverslag").count(
            ("update", "medisch deel re-integratieverslag aan de werknemer gegeven")
        )
        == 2
    )
