"""Documents and correspondence through the API (MD-1, MD-3, SE-7): upload and record on the
dossier's route (mixed into api.dossier.DossierViewSet), and a document's bytes exactly as the
page serves them (medisch.download)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer
from medisch import queries, uploads
from medisch.actions import documents as document_actions
from medisch.download import document_response
from medisch.forms import CorrespondentieForm, DocumentForm
from medisch.models import Document

from .common import NUMERIC_ID, PERMISSIONS, WRITE_RESPONSES, form_invalid
from .serializers import (
    MedischCorrespondenceSerializer,
    MedischDocumentSerializer,
    MedischDocumentUploadSerializer,
)


# dossiers/{id}/documents/ and dossiers/{id}/correspondence/ (the doctor's own work). No
# docstring: drf-spectacular would take it as the description of the dossier routes.
class DossierDocumentActions:
    def initialize_request(self, request, *args, **kwargs):
        # MD-3, as on the page: before anything reads the body, a document upload stays in
        # memory (never a plaintext temporary file) and nothing beyond the size limit is kept.
        if request.method == "POST" and self.action_map.get("post") == "documents":
            request.upload_handlers = [uploads.MedicalUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": MedischDocumentUploadSerializer},
        responses={201: MedischDocumentSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None, **kwargs):
        """MD-1, MD-3: upload a PDF, PNG or JPEG (by content); 400 `unsupported_file_type` or
        `file_too_large` otherwise."""
        dossier = self._writable()
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            document = document_actions.upload_document_from_form(
                by=request.user, dossier=dossier, form=form, request=request
            )
            if document is not None:
                return Response(
                    MedischDocumentSerializer(document).data, status=status.HTTP_201_CREATED
                )
        file_codes = {e.code for e in form.errors.as_data().get("uploaded_file", [])}
        code = (
            "unsupported_file_type"
            if "type" in file_codes
            else "file_too_large"
            if "too_large" in file_codes
            else "invalid"
        )
        return form_invalid(form, code)

    @extend_schema(
        request=MedischCorrespondenceSerializer,
        responses={201: MedischCorrespondenceSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def correspondence(self, request, pk=None, **kwargs):
        """MD-1: a letter or message to or from a treating physician."""
        dossier = self._writable()
        form = CorrespondentieForm(data=request.data)
        if not form.is_valid():
            return form_invalid(form)
        item = document_actions.record_correspondence(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        return Response(MedischCorrespondenceSerializer(item).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(viewsets.GenericViewSet):
    """MD-1, MD-3, SE-7: a document's bytes, exactly as the page serves them."""

    permission_classes = PERMISSIONS
    lookup_value_regex = NUMERIC_ID
    queryset = Document.objects.none()  # the lookup is queries.document_for
    serializer_class = MedischDocumentSerializer

    @extend_schema(
        responses={
            # The stored type, sniffed from the content at upload (uploads.SIGNATURES).
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY, description="PDF, PNG of JPEG, als bijlage"
                )
                for _magic, media_type, _ext in uploads.SIGNATURES
            },
            404: ErrorSerializer,
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        return document_response(request, queries.document_for(request.user, pk))
