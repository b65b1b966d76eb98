"""Recording medical documents and correspondence with treating physicians (MD-1): the
responsible doctor's own work (policies.can_write), audited (SE-7) without content, title or
file name. The medical row and its audit row commit together or not at all
(actions.atomic_with_audit)."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from privacy import audit
from privacy.models import AuditAction

from . import policies, uploads
from .actions import atomic_with_audit
from .models_documents import Correspondence, Document, DocumentKind, document_storage
from .retention import touch_dossier

CORRESPONDENCE_FIELDS = frozenset(
    {"direction", "counterpart", "date", "subject", "body", "consent_reference"}
)


def _log(action, object_type, ids, dossier, request, detail, *, by):
    audit.record(
        action, object_type, ids, subject=dossier.subject, detail=detail, request=request, actor=by
    )


def _touch(dossier):
    # RT-4: the dossier's retention runs from its last change.
    touch_dossier(dossier.pk)


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
            _touch(dossier)
            _log(
                AuditAction.CREATE,
                "medisch.document",
                [document.pk],
                dossier,
                request,
                "medisch document toegevoegd",
                by=by,
            )
    except BaseException:
        storage.delete(name)  # no row refers to it: leave no orphan behind
        raise
    return document


def record_correspondence(*, by, dossier, request=None, **data) -> Correspondence:
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    unknown = set(data) - CORRESPONDENCE_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    with atomic_with_audit():
        item = Correspondence.objects.create(dossier=dossier, created_by_id=by.pk, **data)
        _touch(dossier)
        _log(
            AuditAction.CREATE,
            "medisch.correspondentie",
            [item.pk],
            dossier,
            request,
            "correspondentie met behandelaar vastgelegd",
            by=by,
        )
    return item
