"""The doctor's API (issue 4, item 10): the same policy (medisch.policies), scoping
(medisch.queries), actions and audit as the pages. Only the medical roles get past
`IsMedicalRole`; every employer-side role and the operator get 403 (MD-2, layer 1)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_auth import IsVerified
from accounts.api_errors import ErrorSerializer
from privacy import audit
from privacy.models import AuditAction

from . import actions, policies, queries
from .forms import AdviesForm
from .models import Advies, Consult, Dossier


class IsMedicalRole(permissions.BasePermission):
    message = "Alleen voor de bedrijfsarts en gedelegeerde casemanagers."

    def has_permission(self, request, view):
        return policies.may_enter(request.user)


class MedischConsultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consult
        fields = [
            "id",
            "date",
            "anamnesis",
            "findings",
            "diagnosis",
            "diagnosis_code",
            "policy",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class MedischAdviesSerializer(serializers.ModelSerializer):
    release = serializers.BooleanField(write_only=True, default=True)
    confirm_terms = serializers.BooleanField(write_only=True, default=False)

    class Meta:
        model = Advies
        fields = [
            "id",
            "date",
            "limitations",
            "capabilities",
            "expected_duration",
            "incapacity_percentage",
            "adjustments",
            "released_at",
            "release",
            "confirm_terms",
        ]
        read_only_fields = ["id", "released_at"]


class MedischDossierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "werknemer", "organisation", "opened_at", "last_changed_at"]


class MedischDossierDetailSerializer(MedischDossierSerializer):
    consults = serializers.SerializerMethodField()
    adviezen = serializers.SerializerMethodField()

    class Meta(MedischDossierSerializer.Meta):
        fields = [*MedischDossierSerializer.Meta.fields, "consults", "adviezen"]

    @extend_schema(responses=MedischConsultSerializer(many=True))
    def get_consults(self, obj) -> list:
        if not policies.can_read_part(self.context["request"].user, obj, "consults"):
            return []
        return MedischConsultSerializer(obj.consults.all(), many=True).data

    @extend_schema(responses=MedischAdviesSerializer(many=True))
    def get_adviezen(self, obj) -> list:
        if not policies.can_read_part(self.context["request"].user, obj, "adviezen"):
            return []
        return MedischAdviesSerializer(obj.adviezen.all(), many=True).data


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsVerified, IsMedicalRole]
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

    @extend_schema(responses=MedischDossierDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        audit.record(
            AuditAction.READ,
            "medisch.dossier",
            [dossier.pk],
            subject=dossier.subject,
            detail="medisch dossier ingezien (API)",
            request=request,
        )
        return Response(MedischDossierDetailSerializer(dossier, context={"request": request}).data)

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
            consult = actions.record_consult(
                by=request.user, dossier=dossier, request=request, **incoming.validated_data
            )
        except PermissionDenied:
            return Response(
                {
                    "detail": "Alleen de verantwoordelijke bedrijfsarts.",
                    "code": "permission_denied",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        return Response(MedischConsultSerializer(consult).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MedischAdviesSerializer,
        responses={201: MedischAdviesSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def adviezen(self, request, pk=None, **kwargs):
        """MD-5: the same warning as the page: words that look medical need confirm_terms."""
        dossier = self.get_object()
        if not policies.can_write(request.user, dossier):
            return Response(
                {
                    "detail": "Alleen de verantwoordelijke bedrijfsarts.",
                    "code": "permission_denied",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        form = AdviesForm(data=request.data)
        if not form.is_valid():
            return Response(
                {
                    "detail": "Ongeldige invoer.",
                    "code": "invalid",
                    "fields": form.errors.get_json_data(),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        case = queries.current_case(request.user, dossier)
        if case is None:
            return Response(
                {"detail": "Geen verzuimmelding voor dit dossier.", "code": "no_case"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("release", "confirm_terms")}
        advies = actions.record_advies(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            release=form.cleaned_data["release"],
            request=request,
            **data,
        )
        return Response(MedischAdviesSerializer(advies).data, status=status.HTTP_201_CREATED)
