"""The doctor's part of re-integration through the API (RI-2, RI-4): the probleemanalyse and the
medical part of the re-integratieverslag on the dossier's route (mixed into
api.dossier.DossierViewSet), and giving a recorded part to the employee after all."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from medisch import queries
from medisch.actions import reintegratie as reintegratie_actions
from medisch.forms import ProbleemanalyseForm, VerslagMedischDeelForm
from medisch.models import VerslagMedischDeel

from .common import NUMERIC_ID, PERMISSIONS, WRITE_RESPONSES
from .serializers import (
    MedischProbleemanalyseRequestSerializer,
    MedischProbleemanalyseSerializer,
    MedischVerslagDeelSerializer,
)


# dossiers/{id}/probleemanalyses/ and dossiers/{id}/verslagdelen/ (the doctor's own work;
# `_writable` and `_form_and_case` are DossierViewSet's). No docstring: see api.documents.
class DossierReintegratieActions:
    @extend_schema(
        request=MedischProbleemanalyseRequestSerializer,
        responses={201: MedischProbleemanalyseSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def probleemanalyses(self, request, pk=None, **kwargs):
        """RI-2, MD-5: the same warning as the page on the employer part (confirm_terms)."""
        dossier, form, case, refusal = self._form_and_case(ProbleemanalyseForm)
        if refusal is not None:
            return refusal
        analyse = reintegratie_actions.record_probleemanalyse_from_form(
            by=request.user, dossier=dossier, case=case, form=form, request=request
        )
        return Response(
            MedischProbleemanalyseSerializer(analyse).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=MedischVerslagDeelSerializer,
        responses={201: MedischVerslagDeelSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def verslagdelen(self, request, pk=None, **kwargs):
        """RI-4: the medical part of the re-integratieverslag; `deliver` gives it to the
        employee at once (else later: verslagdelen/{id}/deliver/)."""
        dossier, form, case, refusal = self._form_and_case(VerslagMedischDeelForm)
        if refusal is not None:
            return refusal
        deel = reintegratie_actions.record_verslag_deel(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            request=request,
            **form.cleaned_data,
        )
        return Response(MedischVerslagDeelSerializer(deel).data, status=status.HTTP_201_CREATED)


class VerslagDeelViewSet(viewsets.GenericViewSet):
    permission_classes = PERMISSIONS
    lookup_value_regex = NUMERIC_ID
    queryset = VerslagMedischDeel.objects.none()
    serializer_class = MedischVerslagDeelSerializer

    @extend_schema(request=None, responses={200: MedischVerslagDeelSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None, **kwargs):
        """RI-4: give a part saved without `deliver` to the employee after all (idempotent)."""
        deel = queries.verslag_deel_for(request.user, pk)
        reintegratie_actions.deliver_verslag_deel(by=request.user, deel=deel, request=request)
        deel.refresh_from_db()
        return Response(MedischVerslagDeelSerializer(deel).data)
