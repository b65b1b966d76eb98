"""Verzuim API: werknemers, ziekmeldingen and herstelmeldingen, with the same actions, guard and
scoping as the pages (ZM-1..3, ZM-5, SE-9). No attribute for diagnosis, cause or treatment
exists (ZM-2).

The actions' ValidationError (400 `invalid`) and Conflict (409 `conflict`) are answered by
accounts.api_errors.exception_handler."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer
from accounts.errors import require
from core.validators import validate_phone
from privacy import audit
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE, validate_no_medical_terms
from privacy.models import AuditAction
from verzuim import deadlines, policies, queries
from verzuim.actions import termijnen
from verzuim.actions import werknemer as werknemer_actions
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import (
    WERKNEMER_DATA_FIELDS,
    ZIEKMELDING_ZM1_FIELDS,
    ExpectedDuration,
    HerstelKind,
    Werknemer,
    Ziekmelding,
)


class WerknemerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Werknemer
        fields = ["id", "organisation", *WERKNEMER_DATA_FIELDS, "version"]
        read_only_fields = ["id", "organisation", "version"]


class WerknemerUpdateSerializer(WerknemerSerializer):
    version = serializers.IntegerField()

    class Meta(WerknemerSerializer.Meta):
        read_only_fields = ["id", "organisation"]
        extra_kwargs = {f: {"required": False} for f in WERKNEMER_DATA_FIELDS}


# List, read, create and change (PATCH); never replace (PUT) or delete. Reading one record is
# audited (SE-7) under the employee's pseudonym: `audit_object_type`, `audit_detail`, `subject_of`.
# nosemgrep: vk-view-without-policy — an abstract base; each subclass scopes get_queryset
class _EditableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    audit_object_type = ""
    audit_detail = ""

    def subject_of(self, obj):
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record(
            AuditAction.READ,
            self.audit_object_type,
            [obj.pk],
            subject=self.subject_of(obj),
            detail=self.audit_detail,
            request=request,
        )
        return Response(self.get_serializer(obj).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class WerknemerViewSet(_EditableViewSet):
    serializer_class = WerknemerSerializer
    audit_object_type = "verzuim.werknemer"
    audit_detail = "werknemer ingezien (API)"

    def subject_of(self, obj):
        return obj.pseudonym

    def get_queryset(self):
        rows = queries.werknemers_visible_to(self.request.user)
        if not policies.can_view_werknemers(self.request.user):
            rows = rows.none()
        q = self.request.query_params.get("q", "").strip()
        if q:
            rows = rows.filter(queries.werknemer_search(q))
        return rows.order_by("last_name", "first_name", "pk")

    @extend_schema(parameters=[OpenApiParameter("q", str, description="naam of personeelsnummer")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={201: WerknemerSerializer, 400: ErrorSerializer, 403: ErrorSerializer})
    def create(self, request, *args, **kwargs):
        require(policies.can_manage_werknemers(request.user))
        incoming = WerknemerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        werknemer = werknemer_actions.create_werknemer(
            by=request.user,
            organisation=request.user.organisation,
            request=request,
            **incoming.validated_data,
        )
        return Response(WerknemerSerializer(werknemer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WerknemerUpdateSerializer,
        responses={200: WerknemerSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        werknemer = self.get_object()
        require(policies.can_manage_werknemers(request.user))
        incoming = WerknemerUpdateSerializer(werknemer, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": "Verplicht (optimistische vergrendeling)."})
        werknemer = werknemer_actions.update_werknemer(
            by=request.user, werknemer=werknemer, version=version, request=request, **data
        )
        return Response(WerknemerSerializer(werknemer).data)


class ZiekmeldingSerializer(serializers.ModelSerializer):
    werknemer = serializers.PrimaryKeyRelatedField(queryset=Werknemer.objects.none())
    lopende_afspraken = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        validators=[validate_no_medical_terms],
        help_text=NO_MEDICAL_DATA_NOTICE,
    )
    expected_duration = serializers.ChoiceField(choices=ExpectedDuration.choices, required=False)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Ziekmelding
        fields = [
            "id",
            "werknemer",
            *ZIEKMELDING_ZM1_FIELDS,
            "recovered_on",
            "status",
            "adapted_work_since",
            "next_deadline_on",
            "next_deadline_key",
            "next_deadline_label",
            "version",
        ]
        read_only_fields = [
            "id",
            "recovered_on",
            "status",
            "adapted_work_since",
            "next_deadline_on",
            "next_deadline_key",
            "next_deadline_label",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["werknemer"].queryset = queries.werknemers_visible_to(request.user)

    def get_status(self, obj) -> str:
        return "open" if obj.is_open else "hersteld"


class ZiekmeldingUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    percentage = serializers.IntegerField(min_value=1, max_value=100, required=False)
    phone = serializers.CharField(max_length=32, required=False, validators=[validate_phone])
    care_address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    expected_duration = serializers.ChoiceField(choices=ExpectedDuration.choices, required=False)
    lopende_afspraken = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        validators=[validate_no_medical_terms],
        help_text=NO_MEDICAL_DATA_NOTICE,
    )
    vangnet = serializers.BooleanField(required=False)
    arbeidsongeval = serializers.BooleanField(required=False)
    regres = serializers.BooleanField(required=False)


class HerstelSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HerstelKind.choices)
    date = serializers.DateField()
    absence_percentage = serializers.IntegerField(min_value=1, max_value=99, required=False)


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    week = serializers.IntegerField()
    occurrence = serializers.IntegerField()
    due = serializers.DateField(allow_null=True)
    window_start = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    responsible = serializers.CharField()
    rule = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    completion = serializers.CharField(
        help_text='"step": af te ronden met datum en bewijs (POST .../afronden/); "document": '
        "wordt afgerond door het document vast te leggen; leeg: ter informatie."
    )
    proof = serializers.CharField(help_text="Wat de uitvoering van een stap aantoont.")
    document = serializers.CharField(help_text="Het document dat de stap afrondt.")


class StepCompletionSerializer(serializers.Serializer):
    """RI-1: the date the step was done, what proves it, and the confirmation."""

    completed_on = serializers.DateField()
    proof = serializers.CharField(max_length=200, help_text=NO_MEDICAL_DATA_NOTICE)
    confirmed = serializers.BooleanField()


class UndoCompletionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=NO_MEDICAL_DATA_NOTICE)


class ZiekmeldingViewSet(_EditableViewSet):
    serializer_class = ZiekmeldingSerializer
    audit_object_type = "verzuim.ziekmelding"
    audit_detail = "ziekmelding ingezien (API)"

    def subject_of(self, obj):
        return obj.werknemer.pseudonym

    def get_queryset(self):
        rows = queries.ziekmeldingen_visible_to(self.request.user).select_related("werknemer")
        state = self.request.query_params.get("status")
        if state == "open":
            rows = rows.filter(recovered_on__isnull=True)
        elif state == "hersteld":
            rows = rows.filter(recovered_on__isnull=False)
        return rows.order_by("-first_day", "-pk")

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=["open", "hersteld"])])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_reads(
            page,
            object_type="verzuim.ziekmelding",
            subject_of=lambda zm: zm.werknemer.pseudonym,
            detail="lijst (API)",
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={201: ZiekmeldingSerializer, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        require(policies.can_file_ziekmelding(request.user))
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        werknemer = data.pop("werknemer")
        zm = ziekmelding_actions.create_ziekmelding(
            by=request.user, werknemer=werknemer, request=request, **data
        )
        return Response(self.get_serializer(zm).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ZiekmeldingUpdateSerializer,
        responses={200: ZiekmeldingSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        zm = self.get_object()
        require(policies.can_file_ziekmelding(request.user))
        incoming = ZiekmeldingUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        zm = ziekmelding_actions.update_ziekmelding(
            by=request.user, ziekmelding=zm, version=version, request=request, **data
        )
        return Response(self.get_serializer(zm).data)

    @extend_schema(
        request=HerstelSerializer, responses={201: ZiekmeldingSerializer, 400: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def herstel(self, request, pk=None, **kwargs):
        """Herstelmelding (ZM-5): full or partial recovery."""
        zm = self.get_object()
        require(policies.can_file_ziekmelding(request.user))
        incoming = HerstelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ziekmelding_actions.record_herstel(
            by=request.user, ziekmelding=zm, request=request, **incoming.validated_data
        )
        zm.refresh_from_db()
        return Response(self.get_serializer(zm).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DeadlineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def termijnen(self, request, pk=None, **kwargs):
        """The case's Poortwachter deadlines with their state (RI-1, RI-11)."""
        zm = self.get_object()
        return Response(DeadlineSerializer(deadlines.deadlines_for(zm), many=True).data)

    @extend_schema(
        request=StepCompletionSerializer,
        responses={200: DeadlineSerializer(many=True), 400: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"termijnen/(?P<key>[a-z0-9_]+)/(?P<occurrence>[0-9]+)/afronden",
        pagination_class=None,
    )
    def termijn_afronden(self, request, key, occurrence, pk=None, **kwargs):
        """RI-1, RI-11: mark a step done (date, proof, confirmation); the case's deadlines
        after the change. A document's step answers 400: record the document instead."""
        zm = self.get_object()
        require(policies.can_file_ziekmelding(request.user))
        incoming = StepCompletionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        termijnen.complete_step(
            by=request.user,
            ziekmelding=zm,
            key=key,
            occurrence=int(occurrence),
            request=request,
            **incoming.validated_data,
        )
        return Response(DeadlineSerializer(deadlines.deadlines_for(zm), many=True).data)

    @extend_schema(
        request=UndoCompletionSerializer,
        responses={200: DeadlineSerializer(many=True), 400: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"termijnen/(?P<key>[a-z0-9_]+)/(?P<occurrence>[0-9]+)/ongedaan",
        pagination_class=None,
    )
    def termijn_ongedaan(self, request, key, occurrence, pk=None, **kwargs):
        """RI-1: undo a step's completion, with a reason."""
        zm = self.get_object()
        require(policies.can_file_ziekmelding(request.user))
        incoming = UndoCompletionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        termijnen.undo_completion(
            by=request.user,
            ziekmelding=zm,
            key=key,
            occurrence=int(occurrence),
            reason=incoming.validated_data["reason"],
            request=request,
        )
        return Response(DeadlineSerializer(deadlines.deadlines_for(zm), many=True).data)
