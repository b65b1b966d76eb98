"""The doelgroep endpoints (DG-1..6, DG-8): the werknemers of the user's organisation with
their doelgroep data and the writes on them, and the k-anonymous inclusion report. Every
endpoint behind `DoelgroepGate` (DG-6); every read audited (SE-7)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_errors import ErrorSerializer, pk_or_404
from doelgroep import queries, reports
from doelgroep.actions import maatregelen as maatregel_actions
from doelgroep.actions import noriskpolis as noriskpolis_actions
from doelgroep.actions import registratie
from privacy import audit
from privacy.models import AuditAction

from .permissions import DoelgroepGate
from .serializers import (
    DoelgroepWerknemerSerializer,
    MaatregelSerializer,
    NoRiskPolisInputSerializer,
    NoRiskPolisSerializer,
    RegistercheckInputSerializer,
    RegistercheckSerializer,
    ReportTableSerializer,
    table_data,
)

READ_AUDIT_DETAIL = "doelgroepgegevens ingezien (API)"
FIRST_REPORT_YEAR = 2000

READ_ERRORS = {403: ErrorSerializer, 404: ErrorSerializer}
WRITE_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


# --- Werknemers -----------------------------------------------------------------------------------


class WerknemerViewSet(viewsets.ReadOnlyModelViewSet):
    """The werknemers of the user's organisation with their doelgroep data (SE-9: another
    organisation's werknemer is 404). Every read is audited (SE-7)."""

    permission_classes = [DoelgroepGate]
    serializer_class = DoelgroepWerknemerSerializer

    def get_queryset(self):
        return (
            queries.werknemers_for(self.request.user)
            .select_related("registercheck", "noriskpolis", "vog")
            .prefetch_related("ondersteuningsmaatregelen")
            .order_by("last_name", "first_name", "pk")
        )

    def _werknemer(self):
        werknemer = self.get_queryset().filter(pk=pk_or_404(self.kwargs["pk"])).first()
        if werknemer is None:
            raise Http404
        return werknemer

    def _audit(self, rows):
        audit.record_reads(
            rows,
            object_type="doelgroep.werknemer",
            subject_of=lambda werknemer: werknemer.pseudonym,
            detail=READ_AUDIT_DETAIL,
            request=self.request,
        )

    def _write(self, pk, incoming_class, save, outgoing_class, status_code=status.HTTP_200_OK):
        """A write on one werknemer: 404 unless visible (SE-9), the body validated (400), the
        action (`save`), the result."""
        werknemer = queries.werknemer_for(self.request.user, pk_or_404(pk))
        incoming = incoming_class(data=self.request.data)
        incoming.is_valid(raise_exception=True)
        saved = save(
            by=self.request.user,
            werknemer=werknemer,
            request=self.request,
            **incoming.validated_data,
        )
        return Response(outgoing_class(saved).data, status=status_code)

    @extend_schema(responses={200: DoelgroepWerknemerSerializer(many=True), 403: ErrorSerializer})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self._audit(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: DoelgroepWerknemerSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        werknemer = self._werknemer()
        self._audit([werknemer])
        return Response(self.get_serializer(werknemer).data)

    @extend_schema(
        request=RegistercheckInputSerializer,
        responses={200: RegistercheckSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def registercheck(self, request, pk=None):
        """DG-1, DG-2: record whether the werknemer is in the doelgroepregister."""
        return self._write(
            pk,
            RegistercheckInputSerializer,
            registratie.record_registercheck,
            RegistercheckSerializer,
        )

    @extend_schema(
        request=NoRiskPolisInputSerializer,
        responses={200: NoRiskPolisSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def noriskpolis(self, request, pk=None):
        """DG-3, DG-4: record whether the no-riskpolis applies (only after more than two months
        of employment)."""
        return self._write(
            pk,
            NoRiskPolisInputSerializer,
            noriskpolis_actions.record_noriskpolis,
            NoRiskPolisSerializer,
        )

    @extend_schema(
        request=MaatregelSerializer,
        responses={201: MaatregelSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def maatregelen(self, request, pk=None):
        """DG-5: add a support measure."""
        return self._write(
            pk,
            MaatregelSerializer,
            maatregel_actions.add_maatregel,
            MaatregelSerializer,
            status_code=status.HTTP_201_CREATED,
        )


class RapportageView(APIView):
    """DG-5, DG-7: the inclusion report of the user's organisation: counts only, no names,
    every table k-anonymous (null = suppressed). Audited like the page (SE-7)."""

    permission_classes = [DoelgroepGate]

    @extend_schema(
        operation_id="v1_doelgroep_rapportage_list",
        parameters=[
            OpenApiParameter(
                "jaar", int, description="Het jaar (standaard het huidige); vanaf 2000."
            )
        ],
        responses={
            200: ReportTableSerializer(many=True),
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    def get(self, request):
        today = timezone.localdate()
        raw = request.query_params.get("jaar")
        if raw is None or raw == "":
            year = today.year
        elif raw.isdigit() and FIRST_REPORT_YEAR <= int(raw) <= today.year:
            year = int(raw)
        else:
            raise ValidationError(
                {"jaar": f"Geef een jaar van {FIRST_REPORT_YEAR} tot en met {today.year}."}
            )
        k = reports.k_threshold()
        tables = reports.all_tables(request.user.organisation_id, year, k)
        audit.record(
            AuditAction.READ,
            "doelgroep.rapportage",
            [request.user.organisation_id],
            subject=None,
            detail=f"inclusie-rapportage {year} (k={k}) (API)",
            request=request,
        )
        return Response(
            ReportTableSerializer([table_data(t, table) for t, table in tables], many=True).data
        )
