"""MD-1, MD-2, MD-3, MD-4, SE-7: medical documents (PDF/image uploads) and correspondence with
treating physicians live in the medical module only — type checked by content, size-limited,
encrypted at rest under a random name, never behind a public URL, downloadable only by the
responsible doctor (or a casemanager delegated "documenten"), every access audited without
content."""

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from medisch import uploads
from medisch.actions import documents as actions_documents
from medisch.actions import dossier as actions
from medisch.models import Correspondentie, Document, Dossier, document_storage
from medisch.storage import PublicURLRefused
from privacy.models import AuditEvent
from tests.medisch.conftest import MARKER

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nZZPLAINTEXT-hernia-L5\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 32
ORIGINAL_NAME = "MRI-uitslag hernia Patient.pdf"
TITLE = f"Brief orthopeed {MARKER}"

CORRESPONDENCE = {
    "direction": "uit",
    "date": "2026-11-02",
    "counterpart": "huisarts dr. Jansen",
    "subject": "Verzoek om informatie rugklachten",
    "body": f"Graag uw bevindingen over de lumbago. {MARKER}",
    "consent_reference": "toestemming-2026-014",
}


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    """Encrypted documents go to a temporary MEDICAL_FILES_ROOT, never into var/."""
    root = tmp_path / "medical-files"
    settings.MEDICAL_FILES_ROOT = str(root)
    return root


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def _upload(doctor, dossier, data=PDF, name=ORIGINAL_NAME, **extra):
    return actions_documents.upload_document(
        by=doctor,
        dossier=dossier,
        uploaded_file=SimpleUploadedFile(name, data, content_type="application/pdf"),
        title=extra.pop("title", TITLE),
        kind=extra.pop("kind", "uitslag"),
        **extra,
    )


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post_upload(client, dossier, data, name=ORIGINAL_NAME, content_type="application/pdf"):
    return client.post(
        f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/",
        {
            "title": TITLE,
            "kind": "brief_behandelaar",
            "uploaded_file": SimpleUploadedFile(name, data, content_type=content_type),
        },
    )


# --- Upload ---------------------------------------------------------------------------------


def test_doctor_uploads_a_pdf_md1(doctor, dossier, verified_client, files_root):
    """MD-1, MD-3: the responsible doctor uploads a PDF; it is recorded in the medical dossier
    with the type detected from its content, its size and the SHA-256 of the plaintext."""
    before = Dossier.objects.get(pk=dossier.pk).last_changed_at
    response = _post_upload(verified_client(doctor), dossier, PDF)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/medisch/dossiers/{dossier.pk}/"
    document = Document.objects.get()
    assert document.dossier_id == dossier.pk
    assert document.title == TITLE
    assert document.kind == "brief_behandelaar"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.uploaded_by_id == doctor.pk
    assert len(_stored_files(files_root)) == 1
    assert Dossier.objects.get(pk=dossier.pk).last_changed_at > before  # RT-4 clock


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_allowed_types_are_detected_by_content_md1(doctor, dossier, data, content_type):
    """MD-1: PDF, PNG and JPEG are accepted, the type taken from the magic bytes — a PNG named
    .pdf and sent as application/pdf is stored as image/png."""
    document = _upload(doctor, dossier, data, name="scan.pdf")
    assert document.content_type == content_type


@pytest.mark.parametrize(
    "data",
    [HTML, EXE, b"%PD", b"GIF89a" + b"\x00" * 16],
    ids=["html", "exe", "truncated-pdf", "gif"],
)
def test_pdf_named_file_with_other_content_is_refused_md1(
    doctor, dossier, verified_client, files_root, data
):
    """MD-1 (SE-6): the type is decided by the content, never by the name or the browser's
    Content-Type: HTML or an executable called .pdf is refused with a clear Dutch message;
    nothing is stored."""
    response = _post_upload(verified_client(doctor), dossier, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body
    assert "Dit bestandstype wordt niet aangenomen" in body and "PDF, PNG of JPEG" in body
    assert TITLE in body  # the form comes back filled in
    assert not Document.objects.exists()
    assert _stored_files(files_root) == []
    with pytest.raises(ValidationError) as refused:
        _upload(doctor, dossier, data)
    assert refused.value.code == "type"


def test_empty_file_is_refused_md1(doctor, dossier):
    """MD-1: an empty upload is refused."""
    with pytest.raises(ValidationError):
        _upload(doctor, dossier, b"")
    assert not Document.objects.exists()


def test_oversize_upload_is_refused_md1(doctor, dossier, verified_client, settings, files_root):
    """MD-1: MEDICAL_UPLOAD_MAX_BYTES (default 10 MB) bounds an upload; a bigger file is refused
    with its size and the limit, through the page and through the action alike."""
    assert uploads.DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    settings.MEDICAL_UPLOAD_MAX_BYTES = 2048
    big = PDF + b"0" * 4096
    response = _post_upload(verified_client(doctor), dossier, big)
    body = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in body
    assert "Het bestand is te groot" in body and "2 kB" in body
    with pytest.raises(ValidationError) as refused:
        _upload(doctor, dossier, big)
    assert refused.value.code == "too_large"
    # A file object that does not declare its size is read no further than the limit.
    with pytest.raises(ValidationError):
        uploads.check_upload(ContentFile(big))
    assert not Document.objects.exists() and _stored_files(files_root) == []
    settings.MEDICAL_UPLOAD_MAX_BYTES = len(big)
    assert _upload(doctor, dossier, big).size == len(big)


def test_default_size_limit_without_setting_md1(settings):
    """MD-1: without MEDICAL_UPLOAD_MAX_BYTES the limit is 10 MB."""
    if hasattr(settings, "MEDICAL_UPLOAD_MAX_BYTES"):
        del settings.MEDICAL_UPLOAD_MAX_BYTES
    assert uploads.max_upload_bytes() == 10 * 1024 * 1024


def test_upload_handler_keeps_nothing_beyond_the_limit_md3(settings):
    """MD-3: the upload handler holds the file in memory (no plaintext temporary file) and
    drops the bytes of an oversized file, while keeping its real size for the refusal."""
    settings.MEDICAL_UPLOAD_MAX_BYTES = 10
    handler = uploads.MedicalUploadHandler()
    handler.new_file("uploaded_file", "x.pdf", "application/pdf", 20, None)
    handler.receive_data_chunk(b"%PDF-12345", 0)
    handler.receive_data_chunk(b"6789012345", 10)
    uploaded = handler.file_complete(20)
    assert isinstance(uploaded, InMemoryUploadedFile)
    assert uploaded.size == 20 and uploaded.read() == b""
    with pytest.raises(ValidationError):
        uploads.check_upload(uploaded)


def test_upload_through_the_page_never_becomes_a_temporary_file_md3(
    doctor, dossier, verified_client, settings, monkeypatch
):
    """MD-3: even above FILE_UPLOAD_MAX_MEMORY_SIZE, the page receives the document in memory —
    Django's default would write it to a plaintext temporary file."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16
    seen = []
    original = actions_documents.upload_document

    def spy(**kwargs):
        seen.append(type(kwargs["uploaded_file"]))
        return original(**kwargs)

    monkeypatch.setattr(actions_documents, "upload_document", spy)
    assert _post_upload(verified_client(doctor), dossier, PDF).status_code == 302
    assert seen == [InMemoryUploadedFile]


def test_upload_page_still_checks_csrf_md2(doctor, dossier):
    """MD-2 (SE-8): the upload view sets its upload handler before the body is read, so it is
    exempted from the middleware's CSRF check and checks the token itself."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(doctor)
    session = client.session
    session["otp_device_id"] = doctor.totpdevice_set.get().persistent_id
    session.save()
    assert _post_upload(client, dossier, PDF).status_code == 403
    assert not Document.objects.exists()
    client.get(f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/",
        {
            "title": TITLE,
            "kind": "uitslag",
            "uploaded_file": SimpleUploadedFile("a.pdf", PDF),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and Document.objects.count() == 1


def test_only_the_responsible_doctor_records_documents_and_correspondence_md2(
    doctor, unassigned_doctor, casemanager, dossier
):
    """MD-2, MD-4: uploading and recording correspondence is the responsible doctor's own work —
    not another organisation's doctor, not a casemanager even with a delegation."""
    today = timezone.localdate()
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["documenten", "correspondentie"],
        valid_from=today,
        valid_until=today,
    )
    for user in (unassigned_doctor, casemanager):
        with pytest.raises(PermissionDenied):
            _upload(user, dossier)
        with pytest.raises(PermissionDenied):
            actions_documents.record_correspondence(by=user, dossier=dossier, **CORRESPONDENCE)
    assert not Document.objects.exists() and not Correspondentie.objects.exists()


# --- At rest --------------------------------------------------------------------------------


def test_stored_file_is_ciphertext_under_a_random_name_and_has_no_url_md3(
    doctor, dossier, verified_client, files_root
):
    """MD-3: the bytes on disk are an AES-GCM blob, not the document; the storage name is random
    (no title, no original name); the file is private (0600); there is no public URL (MD-2)."""
    document = _upload(doctor, dossier)
    (path,) = _stored_files(files_root)
    assert path.relative_to(files_root).as_posix() == document.file
    raw = path.read_bytes()
    assert raw.startswith(b"v1:")
    assert b"%PDF" not in raw and b"ZZPLAINTEXT" not in raw
    assert len(raw) > len(PDF)
    name = document.file.lower()
    for leak in ("mri", "hernia", "pdf", "brief", MARKER.lower(), str(dossier.pk) + "/"):
        assert leak not in name
    assert len(Path(document.file).name) == 32  # uuid4 hex
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    storage = document_storage()
    with pytest.raises(PublicURLRefused):
        storage.url(document.file)
    with storage.open(document.file) as handle:
        assert handle.read() == PDF
    page = verified_client(doctor).get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert document.file not in page and "medical-files" not in page
    assert f"/medisch/documenten/{document.pk}/download/" in page
    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT title FROM medisch_document WHERE id = %s", [document.pk])
        (title,) = cursor.fetchone()
    assert title.startswith("v1:") and MARKER not in title and "orthopeed" not in title


def test_deleting_a_document_deletes_its_file_md3(
    doctor, dossier, files_root, django_capture_on_commit_callbacks
):
    """MD-3, RT-6: a deleted document (alone or with its dossier) leaves no file behind."""
    first, second = _upload(doctor, dossier), _upload(doctor, dossier, PNG)
    assert len(_stored_files(files_root)) == 2
    with django_capture_on_commit_callbacks(using="medisch", execute=True):
        first.delete()
    assert len(_stored_files(files_root)) == 1
    with django_capture_on_commit_callbacks(using="medisch", execute=True):
        Dossier.objects.filter(pk=dossier.pk).delete()
    assert _stored_files(files_root) == [] and not Document.objects.filter(pk=second.pk).exists()


def test_correspondence_is_ciphertext_at_rest_md3(doctor, dossier, verified_client):
    """MD-1, MD-3: the doctor records correspondence with a treating physician; counterpart,
    subject and body are AES-GCM tokens in the database (the RI-9 consent reference is a plain
    reference by design)."""
    before = Dossier.objects.get(pk=dossier.pk).last_changed_at
    response = verified_client(doctor).post(
        f"/medisch/dossiers/{dossier.pk}/correspondentie/nieuw/", CORRESPONDENCE
    )
    assert response.status_code == 302
    item = Correspondentie.objects.get()
    with connections["medisch"].cursor() as cursor:
        cursor.execute(
            "SELECT counterpart, subject, body, consent_reference FROM medisch_correspondence "
            "WHERE id = %s",
            [item.pk],
        )
        counterpart, subject, body, consent = cursor.fetchone()
    for token, plain in (
        (counterpart, "huisarts"),
        (subject, "rugklachten"),
        (body, "lumbago"),
        (body, MARKER),
    ):
        assert token.startswith("v1:") and plain not in token
    assert consent == "toestemming-2026-014"
    assert item.counterpart == "huisarts dr. Jansen" and item.body == CORRESPONDENCE["body"]
    assert item.direction == "uit" and item.created_by_id == doctor.pk
    assert Dossier.objects.get(pk=dossier.pk).last_changed_at > before
    page = verified_client(doctor).get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert "Verzoek om informatie rugklachten" in page and "toestemming-2026-014" in page


def test_correspondence_form_refuses_incomplete_input_md1(doctor, dossier, verified_client):
    """MD-1: direction, date, counterpart and subject are required; nothing is saved."""
    response = verified_client(doctor).post(
        f"/medisch/dossiers/{dossier.pk}/correspondentie/nieuw/", {"body": "los"}
    )
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert not Correspondentie.objects.exists()


# --- Download -------------------------------------------------------------------------------


def test_doctor_downloads_the_document_with_safe_headers_md2(doctor, dossier, verified_client):
    """MD-2, SE-7: the responsible doctor gets the exact bytes as an attachment the browser may
    neither sniff nor cache, named without title or original name; the download is audited as
    an export."""
    document = _upload(doctor, dossier)
    response = verified_client(doctor).get(f"/medisch/documenten/{document.pk}/download/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="document-{document.pk}.pdf"'
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Length"] == str(len(PDF))
    headers = json.dumps(dict(response.headers))
    assert "hernia" not in headers and MARKER not in headers and document.file not in headers
    event = AuditEvent.objects.filter(object_type="medisch.document", action="export").get()
    assert event.actor == doctor.pseudonym and event.subject == dossier.subject
    assert event.object_ids == [str(document.pk)] and event.ip_address


def test_image_download_has_its_own_type(doctor, dossier, verified_client):
    """MD-2: a PNG is served as image/png, still as an attachment."""
    document = _upload(doctor, dossier, PNG, name="foto.pdf")
    response = verified_client(doctor).get(f"/medisch/documenten/{document.pk}/download/")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith('.png"')


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
def test_non_medical_roles_are_refused_documents_and_correspondence_md2(
    role, make_user, verified_client, doctor, dossier
):
    """MD-2 layer 1: no employer role, nor the operator, nor the employee gets a document or the
    document/correspondence pages: 403 before any lookup."""
    document = _upload(doctor, dossier)
    client = verified_client(make_user(role))
    for path in (
        f"/medisch/documenten/{document.pk}/download/",
        f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/",
        f"/medisch/dossiers/{dossier.pk}/correspondentie/nieuw/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert PDF not in response.content
    assert _post_upload(client, dossier, PDF).status_code == 403
    assert Document.objects.count() == 1
    assert not AuditEvent.objects.filter(action="export").exists()


def test_doctor_of_another_organisation_gets_404_md2(
    doctor, unassigned_doctor, dossier, verified_client
):
    """MD-2, SE-9: another organisation's doctor cannot download or add — it answers like a
    document that does not exist."""
    document = _upload(doctor, dossier)
    client = verified_client(unassigned_doctor)
    assert client.get(f"/medisch/documenten/{document.pk}/download/").status_code == 404
    assert client.get("/medisch/documenten/999999/download/").status_code == 404
    assert client.get(f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/").status_code == 404
    assert _post_upload(client, dossier, PDF).status_code == 404
    assert client.get(f"/medisch/dossiers/{dossier.pk}/correspondentie/nieuw/").status_code == 404
    assert Document.objects.count() == 1


def test_casemanager_sees_documents_only_with_a_documenten_delegation_md4(
    doctor, casemanager, dossier, verified_client
):
    """MD-4: a casemanager delegated other parts neither sees nor downloads documents (404);
    with "documenten" delegated they do, logged on behalf of the doctor; correspondence stays
    hidden until that part is delegated too; adding stays the doctor's."""
    document = _upload(doctor, dossier)
    actions_documents.record_correspondence(by=doctor, dossier=dossier, **CORRESPONDENCE)
    client = verified_client(casemanager)
    download = f"/medisch/documenten/{document.pk}/download/"
    assert client.get(download).status_code == 404  # no delegation at all
    today = timezone.localdate()
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=today,
        valid_until=today,
    )
    page = client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert "Documenten" not in page and TITLE not in page and download not in page
    assert "huisarts dr. Jansen" not in page
    assert client.get(download).status_code == 404
    delegation = actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["documenten"],
        valid_from=today,
        valid_until=today,
    )
    page = client.get(f"/medisch/dossiers/{dossier.pk}/").content.decode()
    assert TITLE in page and download in page
    assert "huisarts dr. Jansen" not in page  # correspondence is its own part
    response = client.get(download)
    assert response.status_code == 200 and response.content == PDF
    export = AuditEvent.objects.filter(action="export", actor=casemanager.pseudonym).get()
    assert export.on_behalf_of == doctor.pseudonym
    assert client.get(f"/medisch/dossiers/{dossier.pk}/documenten/nieuw/").status_code == 403
    actions.revoke_delegation(by=doctor, delegation=delegation)
    assert client.get(download).status_code == 404  # revocation is immediate


# --- Audit ----------------------------------------------------------------------------------


def test_every_document_access_is_audited_without_content_se7(doctor, dossier, verified_client):
    """SE-7: upload, correspondence, the dossier read listing them and the download are logged
    with the NEN 7513 fields — never the title, the body, the original or the stored name."""
    client = verified_client(doctor)
    assert _post_upload(client, dossier, PDF).status_code == 302
    assert (
        client.post(
            f"/medisch/dossiers/{dossier.pk}/correspondentie/nieuw/", CORRESPONDENCE
        ).status_code
        == 302
    )
    document, item = Document.objects.get(), Correspondentie.objects.get()
    client.get(f"/medisch/dossiers/{dossier.pk}/")
    client.get(f"/medisch/documenten/{document.pk}/download/")
    events = list(AuditEvent.objects.filter(subject=dossier.subject).order_by("pk"))
    kinds = [(e.action, e.object_type) for e in events]
    assert ("create", "medisch.document") in kinds
    assert ("create", "medisch.correspondentie") in kinds
    assert ("export", "medisch.document") in kinds
    read = [e for e in events if e.action == "read" and e.object_type == "medisch.dossier"][-1]
    assert f"document:{document.pk}" in read.object_ids
    assert f"correspondentie:{item.pk}" in read.object_ids
    forbidden = (
        MARKER,
        "orthopeed",
        "hernia",
        "MRI",
        "lumbago",
        "Jansen",
        "rugklachten",
        document.file,
        Path(document.file).name,
    )
    for event in events:
        assert event.actor == doctor.pseudonym
        if event.object_type != "medisch.dossier" or event.action == "read":
            assert event.ip_address  # came in through a request: the access point is kept
        logged = json.dumps(event.object_ids) + event.detail
        for secret in forbidden:
            assert secret.lower() not in logged.lower(), (event.object_type, secret)


def test_documents_never_reach_the_employer_side_md2(
    doctor, hr, patient, case, dossier, verified_client
):
    """MD-2: the marker in a document title and in correspondence appears on no employer page
    of the case, nor on the employee's own page (only who accessed it, AV-6)."""
    _upload(doctor, dossier)
    actions_documents.record_correspondence(by=doctor, dossier=dossier, **CORRESPONDENCE)
    verified_client(doctor).get(f"/medisch/dossiers/{dossier.pk}/")
    pages = {
        hr: [
            f"/verzuim/meldingen/{case.pk}/",
            f"/verzuim/werknemers/{patient.pk}/",
            "/verzuim/meldingen/export.csv?status=all",
        ],
        patient.user: ["/verzuim/mijn/"],
    }
    for user, paths in pages.items():
        client = verified_client(user)
        for path in paths:
            body = client.get(path).content.decode()
            assert MARKER not in body and "orthopeed" not in body, path
