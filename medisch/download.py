"""The one way a medical document's bytes leave the module (MD-1, MD-3, SE-7), for the page and
the API alike: decrypted, checked against the hash taken at upload, audited as an export, and
sent as an attachment the browser may neither sniff nor cache. The caller has found the document
through queries.document_for (SE-9, MD-4)."""

import hashlib

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from privacy import audit
from privacy.models import AuditAction

from . import uploads
from .models import document_storage
from .queries import on_behalf_of


class DocumentIntegrityError(Exception):
    """The decrypted bytes are not the bytes that were uploaded: never serve them."""


def document_response(request, document) -> HttpResponse:
    """The decrypted, hash-checked bytes as an audited attachment."""
    dossier = document.dossier
    with document_storage().open(document.file) as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentIntegrityError(f"document {document.pk}: content does not match its hash")
    audit.record(
        AuditAction.EXPORT,
        "medisch.document",
        [document.pk],
        subject=dossier.subject,
        detail="medisch document gedownload",
        request=request,
        on_behalf_of=on_behalf_of(request.user, dossier),
    )
    # One response from memory: AES-GCM authenticates the whole blob before any byte is
    # released, so the storage decrypts it at once anyway (and the size limit bounds it).
    response = HttpResponse(data, content_type=document.content_type)
    # Neither the title nor the uploaded name: both may be medical.
    name = f"document-{document.pk}.{uploads.extension_for(document.content_type)}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
