"""Pages for medical documents and correspondence with treating physicians (MD-1). Same gates as
the dossier pages (MD-2 layer 1): `gate(policies.may_enter)` first, then the dossier through
medisch.queries (another organisation's dossier answers 404) and medisch.policies (writing is the
responsible doctor's; reading a document needs the doctor or a delegation that includes
"documenten", MD-4).

A document has no URL of its own (PublicURLRefused): its bytes leave only through
`document_download` (medisch.download.document_response), as an attachment that the browser may
not sniff or cache, and every download is audited as an export (SE-7)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from accounts.gates import gate
from accounts.viewhelpers import posted
from medisch import policies, queries, uploads
from medisch.actions import documents as document_actions
from medisch.download import document_response
from medisch.forms import CorrespondentieForm, DocumentForm


@csrf_exempt  # CSRF is checked by csrf_protect on _document_form, after the handler is set
@gate(policies.may_enter)
def document_upload(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    # Before anything reads the body: the upload stays in memory (never a plaintext temporary
    # file, MD-3) and nothing beyond the size limit is kept.
    request.upload_handlers = [uploads.MedicalUploadHandler(request)]
    return _document_form(request, dossier)


@csrf_protect
def _document_form(request, dossier):
    submitted = request.method == "POST"
    form = DocumentForm(request.POST if submitted else None, request.FILES if submitted else None)
    if (
        submitted
        and form.is_valid()
        and document_actions.upload_document_from_form(
            by=request.user, dossier=dossier, form=form, request=request
        )
    ):
        messages.success(request, "Het document is versleuteld opgeslagen.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/document_form.html", {"form": form, "dossier": dossier})


@gate(policies.may_enter)
def document_download(request, pk):
    return document_response(request, queries.document_for(request.user, pk))


@gate(policies.may_enter)
def correspondence_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    form = CorrespondentieForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        document_actions.record_correspondence(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        messages.success(request, "De correspondentie is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/correspondence_form.html", {"form": form, "dossier": dossier})
