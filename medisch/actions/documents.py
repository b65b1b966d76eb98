"""Recording medical documents and correspondence with treating physicians (MD-1): the
responsible doctor's own work (policies.can_write), audited (SE-7) without content, title or
file name. The medical row and its audit row commit together or not at all
(unit.atomic_with_audit)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from medisch import policies, uploads
from medisch.models import Correspondentie, Document, DocumentKind, document_storage
from medisch.retention import touch_dossier
from privacy.models import AuditAction

from .unit import atomic_with_audit, log

CORRESPONDENCE_FIELDS = frozenset(
    {"direction", "counterpart", "date", "subject", "body", "consent_reference"}
)


def upload_document_from_form(*, by, dossier, form, request=None) -> Document | None:
    """The page and the API upload from the same validated DocumentForm. A refusal of the
    content (uploads.check_upload) lands on the form's file field: then None."""
    try:
        return upload_document(by=by, dossier=dossier, request=request, **form.cleaned_data)
    except ValidationError as error:
        form.add_error("uploaded_file", error)
        return None


def upload_document(*, by, dossier, uploaded_file, title, kind, request=None) -> Document:
    """Check the upload by content and size (uploads.check_upload, raises ValidationError),
    store it encrypted under a random name and record it."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    checked = uploads.check_upload(uploaded_file)
    storage = document_storage()
    name = storage.save(uploads.new_storage_name(), ContentFile(checked.data))
    try:
        with atomic_with_audit():
            document = Document.objects.create(
                dossier=dossier,
                title=title,
                kind=kind,
                file=name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by_id=by.pk,
            )
            # RT-4: the dossier's retention runs from its last change.
            touch_dossier(dossier.pk)
            log(
                AuditAction.CREATE,
                "medisch.document",
                document.pk,
                subject=dossier.subject,
                detail="medisch document toegevoegd",
                request=request,
                by=by,
            )
    except BaseException:
        storage.delete(name)  # no row refers to it: leave no orphan behind
        raise
    return document


def record_correspondence(*, by, dossier, request=None, **data) -> Correspondentie:
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    unknown = set(data) - CORRESPONDENCE_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    with atomic_with_audit():
        item = Correspondentie.objects.create(dossier=dossier, created_by_id=by.pk, **data)
        touch_dossier(dossier.pk)
        log(
            AuditAction.CREATE,
            "medisch.correspondentie",
            item.pk,
            subject=dossier.subject,
            detail="correspondentie met behandelaar vastgelegd",
            request=request,
            by=by,
        )
    return item
