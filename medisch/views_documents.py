"""Pages for medical documents and correspondence with treating physicians (MD-1). Same gates as
medisch/views.py (MD-2 layer 1): `medical_view` first, then the dossier through medisch.queries
(another organisation's dossier answers 404) and medisch.policies (writing is the responsible
doctor's; reading a document needs the doctor or a delegation that includes "documenten", MD-4).

A document has no URL of its own (PublicURLRefused): its bytes leave only through
`document_download`, as an attachment that the browser may not sniff or cache, and every
download is audited as an export (SE-7)."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from privacy import audit
from privacy.models import AuditAction

from . import actions_documents, policies, queries, uploads
from .forms_documents import CorrespondenceForm, DocumentForm
from .models_documents import Document, document_storage
from .views import _on_behalf, _posted, _writable, medical_view


class DocumentIntegrityError(Exception):
    """The decrypted bytes are not the bytes that were uploaded: never serve them."""


@csrf_exempt  # CSRF is checked by csrf_protect on _document_form, after the handler is set
@medical_view
def document_upload(request, pk):
    dossier = _writable(request, pk)
    # Before anything reads the body: the upload stays in memory (never a plaintext temporary
    # file, MD-3) and nothing beyond the size limit is kept.
    request.upload_handlers = [uploads.MedicalUploadHandler(request)]
    return _document_form(request, dossier)


@csrf_protect
def _document_form(request, dossier):
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            actions_documents.upload_document(
                by=request.user,
                dossier=dossier,
                uploaded_file=form.cleaned_data["uploaded_file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("uploaded_file", error)
        else:
            messages.success(request, "Het document is versleuteld opgeslagen.")
            return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/document_form.html", {"form": form, "dossier": dossier})


def document_for(user, pk) -> Document:
    """The document `pk` if the user may read it (page and API alike); else Http404."""
    document = (
        Document.objects.filter(pk=pk, dossier__in=queries.dossiers_visible_to(user))
        .select_related("dossier")
        .first()
    )
    # A document outside the user's delegated parts answers like a missing one (SE-9).
    if document is None or not policies.can_read_part(user, document.dossier, "documenten"):
        raise Http404
    return document


# nosemgrep: vk-view-without-policy — helper; callers check (@medical_view, IsMedicalRole)
def document_response(request, document) -> HttpResponse:
    """The decrypted, hash-checked bytes as an audited attachment (page and API alike)."""
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
        on_behalf_of=_on_behalf(request, dossier),
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


@medical_view
def document_download(request, pk):
    return document_response(request, document_for(request.user, pk))


@medical_view
def correspondence_create(request, pk):
    dossier = _writable(request, pk)
    form = CorrespondenceForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions_documents.record_correspondence(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        messages.success(request, "De correspondentie is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/correspondence_form.html", {"form": form, "dossier": dossier})
