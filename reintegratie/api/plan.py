"""The plan van aanpak in the API (RI-3): werkgever and HR draw it up and save versions with
optimistic locking (409 `conflict` on a stale version); the assigned bedrijfsarts reads it; the
employee responds to the version they read."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer, pk_or_404
from accounts.errors import require
from core import limits
from privacy import audit
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE
from privacy.models import AuditAction
from reintegratie import policies, queries, signing
from reintegratie.actions import plan as plan_actions
from reintegratie.models import (
    Activiteit,
    DocumentKind,
    EvaluatieKind,
    PlanVanAanpak,
    Spoor,
    Zienswijze,
)
from verzuim import queries as verzuim_queries

from ._common import READ_ERRORS, WRITE_ERRORS


class ActiviteitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Activiteit
        fields = ["id", "description", "owner", "due_on", "done_on"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    activiteiten = ActiviteitSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVanAanpak
        fields = [
            "id",
            "case_id",
            "werknemer",
            "drawn_up_on",
            "casemanager",
            "spoor",
            "goals",
            "advies_ref",
            "activiteiten",
            "version",
            "employee_response",
            "employee_remark",
            "employee_response_version",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    ziekmelding = serializers.IntegerField(help_text="Id van de ziekmelding (het verzuimgeval).")
    drawn_up_on = serializers.DateField()
    casemanager = serializers.CharField(max_length=200, help_text=NO_MEDICAL_DATA_NOTICE)
    spoor = serializers.ChoiceField(choices=Spoor.choices)
    goals = serializers.CharField(
        max_length=limits.BY_NAME["goals"], help_text=NO_MEDICAL_DATA_NOTICE
    )
    advies_ref = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        # RI-3 (named in words in the text people read)
        help_text="Id van een vrijgegeven advies van de bedrijfsarts bij dit verzuim.",
    )


class PlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="De versie die u bewerkte (optimistisch slot).")
    drawn_up_on = serializers.DateField(required=False)
    casemanager = serializers.CharField(
        max_length=200, required=False, help_text=NO_MEDICAL_DATA_NOTICE
    )
    spoor = serializers.ChoiceField(choices=Spoor.choices, required=False)
    goals = serializers.CharField(
        required=False, max_length=limits.BY_NAME["goals"], help_text=NO_MEDICAL_DATA_NOTICE
    )
    advies_ref = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class PlanResponseSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="De versie van het plan die u las.")
    agree = serializers.BooleanField()
    remark = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.BY_NAME["remark"],
        help_text=NO_MEDICAL_DATA_NOTICE,
    )


EVALUATIE_FIELDS = (
    "id",
    "kind",
    "date",
    "outcome",
    "plan_adjusted",
    "activities_done",
    "result",
    "spoor",
    "spoor_reason",
    "ad_onderzoek",
    "ad_onderzoek_on",
)


class PlanVersionDocumentSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    saved_at = serializers.DateTimeField(read_only=True)
    summary = serializers.CharField(read_only=True)
    snapshot = serializers.JSONField(read_only=True)
    pdf = serializers.CharField(read_only=True, help_text="De PDF van deze versie (download).")


class EvaluatieDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=EvaluatieKind.choices, read_only=True)
    date = serializers.DateField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    plan_adjusted = serializers.BooleanField(read_only=True)
    activities_done = serializers.CharField(read_only=True)
    result = serializers.CharField(read_only=True)
    spoor = serializers.CharField(read_only=True)
    spoor_reason = serializers.CharField(read_only=True)
    ad_onderzoek = serializers.BooleanField(read_only=True)
    ad_onderzoek_on = serializers.DateField(allow_null=True, read_only=True)
    pdf = serializers.CharField(read_only=True, help_text="De PDF van deze evaluatie (download).")


class ZienswijzeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zienswijze
        fields = ["id", "document_kind", "document_id", "document_version", "text", "created_at"]
        read_only_fields = fields


class PlanDocumentsSerializer(serializers.Serializer):
    """RI-12: the plan's versions, evaluations and the employee's zienswijzen."""

    versies = PlanVersionDocumentSerializer(many=True, read_only=True)
    evaluaties = EvaluatieDocumentSerializer(many=True, read_only=True)
    zienswijzen = ZienswijzeSerializer(many=True, read_only=True)


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """RI-3: werkgever and HR draw the plan up; the assigned bedrijfsarts reads it; the employee
    reads it and responds."""

    queryset = PlanVanAanpak.objects.none()  # scoped in get_queryset
    serializer_class = PlanSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            queries.plans_visible_to(self.request.user)
            .select_related("werknemer")
            .prefetch_related("activiteiten")
            .order_by("-updated_at", "-pk")
        )

    def _plan(self):
        plan = queries.plan_for(self.request.user, pk_or_404(self.kwargs["pk"]))
        return (
            PlanVanAanpak.objects.prefetch_related("activiteiten")
            .select_related("werknemer")
            .get(pk=plan.pk)
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_reads(
            page,
            object_type="reintegratie.planvanaanpak",
            subject_of=lambda plan: plan.werknemer.pseudonym,
            detail="lijst plannen van aanpak (API)",
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: PlanSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        plan = self._plan()
        audit.record(
            AuditAction.READ,
            "reintegratie.planvanaanpak",
            [plan.pk],
            subject=plan.werknemer.pseudonym,
            detail="plan van aanpak ingezien (API)",
            request=request,
        )
        return Response(self.get_serializer(plan).data)

    @extend_schema(
        request=PlanCreateSerializer,
        responses={201: PlanSerializer, 409: ErrorSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """RI-3: draw up the plan of a case. 409 `conflict` when the case has one already."""
        require(policies.draws_up_plans(request.user))
        incoming = PlanCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ziekmelding = verzuim_queries.ziekmelding_for(request.user, data.pop("ziekmelding"))
        require(policies.can_edit_plan(request.user, ziekmelding.organisation_id))
        plan = plan_actions.save_plan(
            by=request.user, ziekmelding=ziekmelding, version=0, request=request, **data
        )
        plan = PlanVanAanpak.objects.prefetch_related("activiteiten").get(pk=plan.pk)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer, 409: ErrorSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        """RI-3: save a new version; `version` is the one you edited (409 `conflict` if stale)."""
        plan = self._plan()
        require(policies.can_edit_plan(request.user, plan.organisation_id))
        incoming = PlanUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        version = changes.pop("version")
        ziekmelding = (
            verzuim_queries.ziekmeldingen_visible_to(request.user)
            .select_related("werknemer")
            .filter(case_id=plan.case_id)
            .order_by("-first_day", "-pk")
            .first()
        )
        if ziekmelding is None:
            raise PermissionDenied
        # The action saves the whole plan: what the PATCH leaves out stays as it is.
        data = {name: getattr(plan, name) for name in plan_actions.PLAN_FIELDS}
        data.update(changes)
        plan = plan_actions.save_plan(
            by=request.user, ziekmelding=ziekmelding, version=version, request=request, **data
        )
        plan = PlanVanAanpak.objects.prefetch_related("activiteiten").get(pk=plan.pk)
        return Response(self.get_serializer(plan).data)

    @extend_schema(
        request=PlanResponseSerializer,
        responses={200: PlanSerializer, 409: ErrorSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None, **kwargs):
        """RI-3: the employee agrees with, or records disagreement with, the version they read
        (409 `conflict` when the plan changed since)."""
        plan = self._plan()
        require(policies.is_employee(request.user))
        incoming = PlanResponseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        plan = plan_actions.respond_to_plan(
            by=request.user, plan=plan, request=request, **incoming.validated_data
        )
        plan = PlanVanAanpak.objects.prefetch_related("activiteiten").get(pk=plan.pk)
        return Response(self.get_serializer(plan).data)

    @extend_schema(responses={200: PlanDocumentsSerializer, **READ_ERRORS})
    @action(detail=True, methods=["get"])
    def documenten(self, request, pk=None, **kwargs):
        """RI-12: the plan's documents as structured records — every version (bijstelling) as
        it stood, every evaluation (the eerstejaars- and eindevaluatie with what UWV asks of
        them), the employee's zienswijzen — each with the URL of its PDF (a download). The
        readers of the plan versions: werkgever, HR, the assigned bedrijfsarts, the employee."""
        plan = self._plan()
        require(policies.can_read_plan_versions(request.user, plan))
        versies = list(plan.versies.order_by("number"))
        evaluaties = list(plan.evaluaties.order_by("date", "pk"))
        audit.record(
            AuditAction.READ,
            "reintegratie.planvanaanpak",
            [plan.pk],
            subject=plan.werknemer.pseudonym,
            detail="documenten van het plan van aanpak ingezien (API)",
            request=request,
        )
        zienswijzen = Zienswijze.objects.filter(
            document_kind=DocumentKind.PLAN, document_id=plan.pk
        ) | Zienswijze.objects.filter(
            document_kind=DocumentKind.EVALUATIE, document_id__in=[e.pk for e in evaluaties]
        )
        return Response(
            PlanDocumentsSerializer(
                {
                    "versies": [
                        {
                            "number": v.number,
                            "saved_at": v.saved_at,
                            "summary": v.summary,
                            "snapshot": v.snapshot,
                            "pdf": reverse(
                                "reintegratie:plan_version_pdf", args=[plan.pk, v.number]
                            ),
                        }
                        for v in versies
                    ],
                    "evaluaties": [
                        {
                            **{f: getattr(e, f) for f in EVALUATIE_FIELDS},
                            "pdf": reverse("reintegratie:evaluatie_pdf", args=[e.pk]),
                        }
                        for e in evaluaties
                    ],
                    "zienswijzen": list(zienswijzen.order_by("created_at", "pk")),
                }
            ).data
        )

    @extend_schema(request=None, responses={403: ErrorSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="ondertekenen")
    def sign(self, request, pk=None, **kwargs):
        """RI-12: signing is not possible through the API. A signature needs a fresh proof of
        password and TOTP (accounts/reauth.py), which a bearer token cannot give: whoever may
        sign gets 403 `reauthentication_required` with the page to sign on (`url`); anyone else
        403 or 404 like every other request. Nothing is stored."""
        plan = self._plan()
        require(signing.signer_role(request.user, signing.describe(plan)) is not None)
        return Response(
            {
                "detail": "Ondertekenen kan alleen in de browser, nadat u opnieuw uw wachtwoord "
                "en een code uit uw authenticator-app hebt ingevoerd.",
                "code": "reauthentication_required",
                "url": reverse("reintegratie:sign_plan", args=[plan.pk]),
            },
            status=status.HTTP_403_FORBIDDEN,
        )
