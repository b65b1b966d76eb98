"""The dossier's API (MD-1, MD-4, MD-5): list and read dossiers, record consults and advice,
delegate and revoke. Documents and correspondence (`documents`) and the doctor's part of
re-integration (`reintegratie`) are actions on the same dossier route, mixed in from their own
modules."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer
from medisch import policies, queries
from medisch.actions import dossier as dossier_actions
from medisch.forms import AdviesForm, DelegationForm
from medisch.models import Advies, Delegation
from privacy import audit
from privacy.models import AuditAction

from .common import NUMERIC_ID, PERMISSIONS, WRITE_REFUSED, WRITE_RESPONSES, form_invalid, no_case
from .documents import DossierDocumentActions
from .reintegratie import DossierReintegratieActions
from .serializers import (
    MedischAdviesReleaseSerializer,
    MedischAdviesSerializer,
    MedischConsultSerializer,
    MedischDelegationSerializer,
    MedischDossierDetailSerializer,
    MedischDossierSerializer,
)


class DossierViewSet(
    DossierDocumentActions,
    DossierReintegratieActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = PERMISSIONS
    serializer_class = MedischDossierSerializer

    def get_queryset(self):
        return queries.dossiers_visible_to(self.request.user).order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record(
            AuditAction.SEARCH,
            "medisch.dossier",
            [d.pk for d in page],
            detail="lijst medische dossiers (API)",
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _writable(self):
        """The dossier (404 outside the user's scope) if the user may write (else 403)."""
        dossier = self.get_object()
        if not policies.can_write(self.request.user, dossier):
            raise exceptions.PermissionDenied(WRITE_REFUSED["detail"])
        return dossier

    def _form_and_case(self, form_class):
        """(dossier, form, case, refusal): the refusal (400) when the form is invalid or the
        employee has no sick case to record for."""
        dossier = self._writable()
        form = form_class(data=self.request.data)
        if not form.is_valid():
            return dossier, form, None, form_invalid(form)
        case = queries.current_case(self.request.user, dossier)
        return dossier, form, case, (no_case() if case is None else None)

    @extend_schema(responses={200: MedischDossierDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        data = MedischDossierDetailSerializer(dossier, context={"request": request}).data
        # The same audit entry as the page (medisch.views.dossier): every part shown, by id.
        shown = {
            "consult": data["consults"],
            "advies": data["adviezen"],
            "document": data["documents"],
            "correspondentie": data["correspondence"],
            "probleemanalyse": data["probleemanalyses"],
            "verslag": data["verslagdelen"],
        }
        queries.record_dossier_read(
            request,
            dossier,
            {kind: [row["id"] for row in rows] for kind, rows in shown.items()},
            detail="medisch dossier ingezien (API)",
        )
        return Response(data)

    @extend_schema(
        request=MedischConsultSerializer,
        responses={201: MedischConsultSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def consults(self, request, pk=None, **kwargs):
        dossier = self.get_object()
        incoming = MedischConsultSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            consult = dossier_actions.record_consult(
                by=request.user, dossier=dossier, request=request, **incoming.validated_data
            )
        except PermissionDenied:
            return Response(WRITE_REFUSED, status=status.HTTP_403_FORBIDDEN)
        return Response(MedischConsultSerializer(consult).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MedischAdviesSerializer,
        responses={201: MedischAdviesSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def adviezen(self, request, pk=None, **kwargs):
        """MD-5: the same warning as the page: words that look medical need confirm_terms."""
        dossier, form, case, refusal = self._form_and_case(AdviesForm)
        if refusal is not None:
            return refusal
        advies = dossier_actions.record_advies_from_form(
            by=request.user, dossier=dossier, case=case, form=form, request=request
        )
        return Response(MedischAdviesSerializer(advies).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MedischDelegationSerializer,
        responses={201: MedischDelegationSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def delegations(self, request, pk=None, **kwargs):
        """MD-4: delegate parts of the dossier to a casemanager of the organisation."""
        dossier = self._writable()
        form = DelegationForm(data=request.data, casemanagers=queries.casemanagers_for(dossier))
        if not form.is_valid():
            return form_invalid(form)
        delegation = dossier_actions.delegate(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        return Response(
            MedischDelegationSerializer(delegation).data, status=status.HTTP_201_CREATED
        )


class DelegationViewSet(viewsets.GenericViewSet):
    permission_classes = PERMISSIONS
    lookup_value_regex = NUMERIC_ID
    queryset = Delegation.objects.none()
    serializer_class = MedischDelegationSerializer

    @extend_schema(request=None, responses={200: MedischDelegationSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None, **kwargs):
        """MD-4: revoke at once (the doctor's own work)."""
        delegation = queries.delegation_for(request.user, pk)
        dossier_actions.revoke_delegation(by=request.user, delegation=delegation, request=request)
        delegation.refresh_from_db()
        return Response(MedischDelegationSerializer(delegation).data)


class AdviesViewSet(viewsets.GenericViewSet):
    """MD-5: an advice recorded as a concept is released later (the doctor's own work)."""

    permission_classes = PERMISSIONS
    lookup_value_regex = NUMERIC_ID
    queryset = Advies.objects.none()
    serializer_class = MedischAdviesSerializer

    @extend_schema(
        request=MedischAdviesReleaseSerializer,
        responses={200: MedischAdviesSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None, **kwargs):
        """MD-5: release to the employer and the employee (idempotent). Words that look medical
        need `confirm_terms`, as at recording: else 400 with the words at `confirm_terms`."""
        advies = queries.advies_for(request.user, pk)
        incoming = MedischAdviesReleaseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        dossier_actions.release_advies(
            by=request.user,
            advies=advies,
            confirm_terms=incoming.validated_data["confirm_terms"],
            request=request,
        )
        advies.refresh_from_db()
        return Response(MedischAdviesSerializer(advies).data)
