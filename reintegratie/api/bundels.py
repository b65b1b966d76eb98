"""The re-integratieverslag for UWV in the API (RI-12): HR of the organisation makes it for a
case (400 with what is lacking while the verslag is incomplete) and lists and reads what each
bundle holds; the employee reads their own copies. `pdf` is the file itself — the employee's
first download is their receipt, like in the portal. Views parse and check;
reintegratie.actions.bundel changes state."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from accounts.api_errors import pk_or_404
from accounts.errors import require
from privacy.models import AuditAction
from reintegratie import bundle as bundles
from reintegratie import policies, queries
from reintegratie.actions import bundel as bundle_actions
from reintegratie.models import Verslagbundel
from reintegratie.viewhelpers import log_read
from verzuim import queries as verzuim_queries

from ._common import READ_ERRORS, WRITE_ERRORS


class BundelPartSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    first_page = serializers.IntegerField(read_only=True)
    page_count = serializers.IntegerField(read_only=True)


class BundelSerializer(serializers.ModelSerializer):
    parts = BundelPartSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Verslagbundel
        fields = [
            "id",
            "case_id",
            "werknemer",
            "made_at",
            "received_at",
            "pages",
            "size",
            "sha256",
            "parts",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj) -> str:
        return f"/api/v1/reintegratie/bundels/{obj.pk}/pdf/"


class BundelCreateSerializer(serializers.Serializer):
    ziekmelding = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class PdfOrJsonNegotiation(DefaultContentNegotiation):
    """The PDF download is asked for with `Accept: application/pdf`, which no renderer of the API
    names: errors then answer JSON instead of 406 (the file itself is no rendered response)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            if "application/pdf" not in request.META.get("HTTP_ACCEPT", ""):
                raise
            return renderers[0], renderers[0].media_type


class BundelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BundelSerializer
    content_negotiation_class = PdfOrJsonNegotiation

    def get_queryset(self):
        return queries.bundles_visible_to(self.request.user).order_by("-made_at", "-pk")

    def _bundle(self) -> Verslagbundel:
        found = self.get_queryset().filter(pk=pk_or_404(self.kwargs["pk"])).first()
        if found is None:
            raise Http404
        return found

    def _audit(self, bundle, detail, action=AuditAction.READ):
        log_read(
            self.request,
            "reintegratie.verslagbundel",
            [bundle.pk],
            bundle.werknemer,
            detail,
            action,
        )

    @extend_schema(responses={200: BundelSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        bundle = self._bundle()
        self._audit(bundle, "re-integratieverslag voor UWV ingezien (API)")
        return Response(self.get_serializer(bundle).data)

    @extend_schema(
        request=BundelCreateSerializer, responses={201: BundelSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """RI-12: make the re-integratieverslag for UWV of a case (HR). 400 lists what is
        lacking; the employee receives the copy in their portal."""
        require(policies.keeps_dossiers(request.user))
        incoming = BundelCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ziekmelding = verzuim_queries.ziekmelding_for(
            request.user, incoming.validated_data["ziekmelding"]
        )
        bundle = bundle_actions.make_bundle(
            by=request.user, ziekmelding=ziekmelding, request=request
        )
        return Response(self.get_serializer(bundle).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **READ_ERRORS})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None, **kwargs):
        """The PDF (never cached: it carries the full BSN, DG-2). The employee's first download
        is recorded as their receipt."""
        bundle = self._bundle()
        if policies.is_own_employee(request.user, bundle.werknemer):
            bundle_actions.record_receipt(by=request.user, bundle=bundle, request=request)
        self._audit(bundle, "re-integratieverslag voor UWV gedownload (API)", AuditAction.EXPORT)
        return bundles.pdf_response(bundle)
