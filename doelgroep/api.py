"""Doelgroep API under /api/v1/doelgroep/ (DG-1..6, DG-8, SE-7, SE-9): the same gate
(doelgroep.policies), scoping (doelgroep.queries), actions and audit as the pages.

- DG-6: every endpoint sits behind `DoelgroepGate`: a role that needs the administration AND a
  current, unwithdrawn signature under the confidentiality statement. Otherwise 403 with the
  reason (where to sign) and code `confidentiality_statement_required`, or
  `doelgroep_role_refused` for a role that may not sign at all.
- DG-1, DG-2: only whether someone is in the register, when and how it was checked; the BSN is
  accepted on input (11-proef in the action) but only ever returned masked.
- DG-3, DG-4: the no-riskpolis yes/no, the 56+/52-weeks-WW category, a WIA decision date.
- DG-5: support measures, and the inclusion report as k-anonymous tables (null = suppressed).
- DG-8: only whether a VOG was provided, and when.

Nothing here has a field for the reason of registration, sickness or benefit history,
ethnicity or criminal history (tests/doelgroep/test_schema.py scans these serializers).

Errors are JSON with a `code` (accounts.api_errors): 404 for missing and forbidden alike,
403 for the gate, 400 `invalid` with `fields` (the actions' ValidationError propagates to
accounts.api_errors.exception_handler).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import IsVerified
from accounts.api_errors import ErrorSerializer, pk_or_404
from privacy import audit
from privacy.models import AuditAction

from . import actions, policies, queries, reports
from .models import (
    CheckedVia,
    NoRiskPolis,
    Ondersteuningsmaatregel,
    Registercheck,
    Vog,
)

GATE_CODE = "confidentiality_statement_required"
ROLE_CODE = "doelgroep_role_refused"
READ_AUDIT_DETAIL = "doelgroepgegevens ingezien (API)"
FIRST_REPORT_YEAR = 2000

READ_ERRORS = {403: ErrorSerializer, 404: ErrorSerializer}
WRITE_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class DoelgroepGate(IsVerified):
    """DG-6 on every endpoint: verified (SE-1), a role that needs the administration, and a
    current signature under the confidentiality statement. The 403 says why and where to
    sign (the reason from policies.gate_refusal)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        reason = policies.gate_refusal(request.user)
        if reason is None:
            return True
        code = GATE_CODE if policies.may_sign(request.user) else ROLE_CODE
        raise exceptions.PermissionDenied(detail=reason, code=code)


# --- Serializers (read) ---------------------------------------------------------------------------


class RegistercheckSerializer(serializers.ModelSerializer):
    """DG-1, DG-2: whether, when and how — never the reason, never the full BSN."""

    bsn_masked = serializers.CharField(
        read_only=True, help_text="Alleen de laatste drie cijfers (DG-2)."
    )

    class Meta:
        model = Registercheck
        fields = ["in_register", "checked_on", "checked_via", "bsn_masked"]
        read_only_fields = fields


class NoRiskPolisSerializer(serializers.ModelSerializer):
    """DG-3, DG-4: yes/no, the one category the law requires, a WIA decision date."""

    pays_only_after_13_weeks = serializers.SerializerMethodField(
        help_text="De polis keert pas na 13 weken ziekte uit (56+ met 52 weken WW, DG-3)."
    )

    class Meta:
        model = NoRiskPolis
        fields = [
            "asked_on",
            "applies",
            "category_56_plus_ww",
            "pays_only_after_13_weeks",
            "wia_decision_on",
        ]
        read_only_fields = fields

    def get_pays_only_after_13_weeks(self, polis) -> bool:
        return actions.pays_only_after_13_weeks(
            category_56_plus_ww=polis.category_56_plus_ww,
            employment_start=polis.werknemer.employment_start,
        )


class VogSerializer(serializers.ModelSerializer):
    """DG-8: only whether a VOG was provided, and when."""

    class Meta:
        model = Vog
        fields = ["provided", "provided_on"]
        read_only_fields = fields


class MaatregelSerializer(serializers.ModelSerializer):
    """DG-5: a support measure (read, and the body of POST .../maatregelen/)."""

    class Meta:
        model = Ondersteuningsmaatregel
        fields = ["kind", "start_on", "end_on"]


class DoelgroepWerknemerSerializer(serializers.Serializer):
    """A werknemer as the doelgroep administration sees them (DG-1..5, DG-8). A part not
    recorded yet is null."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    department = serializers.CharField(read_only=True)
    registercheck = RegistercheckSerializer(read_only=True, allow_null=True)
    noriskpolis = NoRiskPolisSerializer(read_only=True, allow_null=True)
    vog = VogSerializer(read_only=True, allow_null=True)
    maatregelen = MaatregelSerializer(source="ondersteuningsmaatregelen", many=True, read_only=True)


# --- Serializers (write) --------------------------------------------------------------------------


class RegistercheckInputSerializer(serializers.Serializer):
    """DG-1, DG-2: the BSN only when checked via the BSN; it is validated (11-proef), stored
    encrypted and never returned."""

    in_register = serializers.BooleanField()
    checked_on = serializers.DateField()
    checked_via = serializers.ChoiceField(choices=CheckedVia.choices)
    bsn = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=16,
        write_only=True,
        help_text="Alleen bij controle via het BSN; versleuteld opgeslagen, daarna alleen "
        "gemaskeerd getoond (DG-2).",
    )


class NoRiskPolisInputSerializer(serializers.Serializer):
    """DG-3: asked only after more than two months of employment; yes/no."""

    asked_on = serializers.DateField()
    applies = serializers.BooleanField()
    category_56_plus_ww = serializers.BooleanField(required=False, default=False)
    wia_decision_on = serializers.DateField(required=False, allow_null=True, default=None)


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
        werknemer = queries.werknemer_for(request.user, pk_or_404(pk))
        incoming = RegistercheckInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        check = actions.record_registercheck(
            by=request.user, werknemer=werknemer, request=request, **incoming.validated_data
        )
        return Response(RegistercheckSerializer(check).data)

    @extend_schema(
        request=NoRiskPolisInputSerializer,
        responses={200: NoRiskPolisSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def noriskpolis(self, request, pk=None):
        """DG-3, DG-4: record whether the no-riskpolis applies (only after more than two months
        of employment)."""
        werknemer = queries.werknemer_for(request.user, pk_or_404(pk))
        incoming = NoRiskPolisInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        polis = actions.record_noriskpolis(
            by=request.user, werknemer=werknemer, request=request, **incoming.validated_data
        )
        return Response(NoRiskPolisSerializer(polis).data)

    @extend_schema(
        request=MaatregelSerializer,
        responses={201: MaatregelSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def maatregelen(self, request, pk=None):
        """DG-5: add a support measure."""
        werknemer = queries.werknemer_for(request.user, pk_or_404(pk))
        incoming = MaatregelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        maatregel = actions.add_maatregel(
            by=request.user, werknemer=werknemer, request=request, **incoming.validated_data
        )
        return Response(MaatregelSerializer(maatregel).data, status=status.HTTP_201_CREATED)


# --- The inclusion report (DG-5, DG-7) ------------------------------------------------------------


class ReportRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Afdeling, jaar of land — nooit een naam.")
    cells = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(
        allow_null=True, help_text="null: onderdrukt of niet gepubliceerd."
    )


class ReportTableSerializer(serializers.Serializer):
    """A k-anonymous count table: a number is null where it is suppressed (DG-5)."""

    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    grand_total = serializers.IntegerField(allow_null=True)
    row_totals_published = serializers.BooleanField(
        help_text="Onwaar: deze tabel publiceert geen rijtotalen (total en grand_total null)."
    )
    k = serializers.IntegerField(help_text="Drempel: kleinere aantallen worden onderdrukt.")


def table_data(title, table) -> dict:
    published = table.show_row_totals
    return {
        "title": title,
        "columns": list(table.col_labels),
        "rows": [
            {"label": label, "cells": cells, "total": total if published else None}
            for label, cells, total in table.rows()
        ],
        "column_totals": table.col_totals(),
        "grand_total": table.grand_total if published else None,
        "row_totals_published": published,
        "k": table.k,
    }


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
