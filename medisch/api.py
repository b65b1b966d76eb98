"""The doctor's API (issue 4, item 10): the same policy (medisch.policies), scoping
(medisch.queries), actions and audit as the pages. Only the medical roles get past
`IsMedicalRole`; every employer-side role and the operator get 403 (MD-2, layer 1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api_auth import IsVerified
from accounts.api_errors import ErrorSerializer
from accounts.models import User
from accounts.roles import Role
from privacy import audit
from privacy.models import AuditAction

from . import (
    actions,
    actions_documents,
    actions_keuring,
    actions_reintegratie,
    policies,
    queries,
    uploads,
)
from .forms import AdviesForm, DelegationForm
from .forms_documents import CorrespondenceForm, DocumentForm
from .models import Advies, Consult, Delegation, Dossier
from .models_documents import Correspondence, Document
from .models_keuring import Keuring, KeuringConclusion
from .models_reintegratie import Probleemanalyse, VerslagMedischDeel
from .views import _on_behalf
from .views_documents import document_for, document_response
from .views_keuring import KeuringRecordForm, keuring_for, keuringen_visible_to
from .views_reintegratie import ProbleemanalyseForm, VerslagMedischDeelForm, verslag_deel_for

WRITE_REFUSED = {"detail": "Alleen de verantwoordelijke bedrijfsarts.", "code": "permission_denied"}
NO_CASE = {"detail": "Geen verzuimmelding voor dit dossier.", "code": "no_case"}
# The hand-written lookups (document_for, keuring_for, ...) take the id as the pages' <int:pk>
# does: anything else is no route (JSON 404), never a ValueError.
NUMERIC_ID = r"[0-9]+"
WRITE_RESPONSES = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _invalid(form, code="invalid"):
    return Response(
        {"detail": "Ongeldige invoer.", "code": code, "fields": form.errors.get_json_data()},
        status=status.HTTP_400_BAD_REQUEST,
    )


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


class MedischDocumentSerializer(serializers.ModelSerializer):
    """Metadata only: the bytes leave through documents/{id}/download/ (audited)."""

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class MedischDocumentUploadSerializer(serializers.Serializer):
    """The multipart upload (schema only; validated by DocumentForm like the page)."""

    title = serializers.CharField(max_length=300)
    kind = serializers.CharField(help_text="brief_behandelaar, uitslag of overig")
    uploaded_file = serializers.FileField(help_text=f"{uploads.ALLOWED_TYPES_TEXT}, naar inhoud")


class MedischCorrespondenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correspondence
        fields = [
            "id",
            "direction",
            "date",
            "counterpart",
            "subject",
            "body",
            "consent_reference",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class MedischProbleemanalyseSerializer(serializers.ModelSerializer):
    """RI-2: the medical part; `advies` is the employer part (an advice, MD-5)."""

    advies_released_at = serializers.DateTimeField(
        source="advies.released_at", read_only=True, allow_null=True
    )

    class Meta:
        model = Probleemanalyse
        fields = ["id", "date", "medical_part", "advies", "advies_released_at", "created_at"]
        read_only_fields = fields


class MedischProbleemanalyseRequestSerializer(MedischAdviesSerializer):
    """Schema of the request: the medical part plus the advice fields (ProbleemanalyseForm)."""

    medical_part = serializers.CharField()

    class Meta(MedischAdviesSerializer.Meta):
        fields = [*MedischAdviesSerializer.Meta.fields, "medical_part"]


class MedischVerslagDeelSerializer(serializers.ModelSerializer):
    deliver = serializers.BooleanField(
        write_only=True, default=False, help_text="Direct aan de werknemer geven."
    )

    class Meta:
        model = VerslagMedischDeel
        fields = ["id", "date", "text", "delivered_at", "created_at", "deliver"]
        read_only_fields = ["id", "delivered_at", "created_at"]


class MedischDelegationSerializer(serializers.ModelSerializer):
    parts = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Delegation
        fields = ["id", "delegate", "parts", "valid_from", "valid_until", "revoked_at"]
        read_only_fields = ["id", "revoked_at"]
        extra_kwargs = {"delegate": {"queryset": User.objects.none()}}


class MedischKeuringSerializer(serializers.ModelSerializer):
    """MD-7, the doctor's view of a requested exam (never the findings here)."""

    # "" until the exam is recorded.
    conclusion = serializers.ChoiceField(
        choices=KeuringConclusion.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Keuring
        fields = [
            "id",
            "organisation",
            "candidate",
            "function",
            "justification",
            "aspects",
            "requested_at",
            "examined_at",
            "conclusion",
        ]
        read_only_fields = fields


class MedischKeuringRecordSerializer(serializers.Serializer):
    findings = serializers.CharField()
    conclusion = serializers.CharField(help_text="geschikt of niet_geschikt")


class MedischDossierDetailSerializer(MedischDossierSerializer):
    """Each part only when policies.can_read_part allows it (MD-4), as on the page."""

    consults = serializers.SerializerMethodField()
    adviezen = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    correspondence = serializers.SerializerMethodField()
    probleemanalyses = serializers.SerializerMethodField()
    verslagdelen = serializers.SerializerMethodField()
    delegations = serializers.SerializerMethodField()

    class Meta(MedischDossierSerializer.Meta):
        fields = [
            *MedischDossierSerializer.Meta.fields,
            "consults",
            "adviezen",
            "documents",
            "correspondence",
            "probleemanalyses",
            "verslagdelen",
            "delegations",
        ]

    def _may(self, obj, part):
        return policies.can_read_part(self.context["request"].user, obj, part)

    @extend_schema(responses=MedischConsultSerializer(many=True))
    def get_consults(self, obj) -> list:
        if not self._may(obj, "consults"):
            return []
        return MedischConsultSerializer(obj.consults.all(), many=True).data

    @extend_schema(responses=MedischAdviesSerializer(many=True))
    def get_adviezen(self, obj) -> list:
        if not self._may(obj, "adviezen"):
            return []
        return MedischAdviesSerializer(obj.adviezen.all(), many=True).data

    @extend_schema(responses=MedischDocumentSerializer(many=True))
    def get_documents(self, obj) -> list:
        if not self._may(obj, "documenten"):
            return []
        return MedischDocumentSerializer(obj.documents.all(), many=True).data

    @extend_schema(responses=MedischCorrespondenceSerializer(many=True))
    def get_correspondence(self, obj) -> list:
        if not self._may(obj, "correspondentie"):
            return []
        return MedischCorrespondenceSerializer(obj.correspondence.all(), many=True).data

    @extend_schema(responses=MedischProbleemanalyseSerializer(many=True))
    def get_probleemanalyses(self, obj) -> list:
        if not self._may(obj, "consults"):  # as on the page: the medical part goes with consults
            return []
        rows = obj.probleemanalyses.select_related("advies")
        return MedischProbleemanalyseSerializer(rows, many=True).data

    @extend_schema(responses=MedischVerslagDeelSerializer(many=True))
    def get_verslagdelen(self, obj) -> list:
        if not self._may(obj, "consults"):
            return []
        return MedischVerslagDeelSerializer(obj.verslag_delen.all(), many=True).data

    @extend_schema(responses=MedischDelegationSerializer(many=True))
    def get_delegations(self, obj) -> list:
        if not policies.can_write(self.context["request"].user, obj):
            return []
        return MedischDelegationSerializer(obj.delegations.all(), many=True).data


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

    def initialize_request(self, request, *args, **kwargs):
        # MD-3, as on the page: before anything reads the body, a document upload stays in
        # memory (never a plaintext temporary file) and nothing beyond the size limit is kept.
        if request.method == "POST" and self.action_map.get("post") == "documents":
            request.upload_handlers = [uploads.MedicalUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    def _writable(self):
        """The dossier (404 outside the user's scope) if the user may write (else 403)."""
        dossier = self.get_object()
        if not policies.can_write(self.request.user, dossier):
            raise exceptions.PermissionDenied(WRITE_REFUSED["detail"])
        return dossier

    @extend_schema(responses={200: MedischDossierDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        data = MedischDossierDetailSerializer(dossier, context={"request": request}).data
        # The same audit entry as the page (medisch.views.dossier): every part shown, by id.
        ids = [f"consult:{c['id']}" for c in data["consults"]]
        ids += [f"advies:{a['id']}" for a in data["adviezen"]]
        ids += [f"document:{d['id']}" for d in data["documents"]]
        ids += [f"correspondentie:{c['id']}" for c in data["correspondence"]]
        ids += [f"probleemanalyse:{p['id']}" for p in data["probleemanalyses"]]
        ids += [f"verslag:{v['id']}" for v in data["verslagdelen"]]
        audit.record(
            AuditAction.READ,
            "medisch.dossier",
            [dossier.pk, *ids],
            subject=dossier.subject,
            detail="medisch dossier ingezien (API)",
            request=request,
            on_behalf_of=_on_behalf(request, dossier),
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
            try:
                document = actions_documents.upload_document(
                    by=request.user,
                    dossier=dossier,
                    uploaded_file=form.cleaned_data["uploaded_file"],
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("uploaded_file", error)
            else:
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
        return _invalid(form, code)

    @extend_schema(
        request=MedischCorrespondenceSerializer,
        responses={201: MedischCorrespondenceSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def correspondence(self, request, pk=None, **kwargs):
        """MD-1: a letter or message to or from a treating physician."""
        dossier = self._writable()
        form = CorrespondenceForm(data=request.data)
        if not form.is_valid():
            return _invalid(form)
        item = actions_documents.record_correspondence(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        return Response(MedischCorrespondenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MedischProbleemanalyseRequestSerializer,
        responses={201: MedischProbleemanalyseSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def probleemanalyses(self, request, pk=None, **kwargs):
        """RI-2, MD-5: the same warning as the page on the employer part (confirm_terms)."""
        dossier = self._writable()
        form = ProbleemanalyseForm(data=request.data)
        if not form.is_valid():
            return _invalid(form)
        case = queries.current_case(request.user, dossier)
        if case is None:
            return Response(NO_CASE, status=status.HTTP_400_BAD_REQUEST)
        analyse = actions_reintegratie.record_probleemanalyse_from_form(
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
        dossier = self._writable()
        form = VerslagMedischDeelForm(data=request.data)
        if not form.is_valid():
            return _invalid(form)
        case = queries.current_case(request.user, dossier)
        if case is None:
            return Response(NO_CASE, status=status.HTTP_400_BAD_REQUEST)
        deel = actions_reintegratie.record_verslag_deel(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            date=form.cleaned_data["date"],
            text=form.cleaned_data["text"],
            deliver=form.cleaned_data["deliver"],
            request=request,
        )
        return Response(MedischVerslagDeelSerializer(deel).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MedischDelegationSerializer,
        responses={201: MedischDelegationSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def delegations(self, request, pk=None, **kwargs):
        """MD-4: delegate parts of the dossier to a casemanager of the organisation."""
        dossier = self._writable()
        casemanagers = User.objects.filter(
            role=Role.CASEMANAGER,
            is_active=True,
            assignments__organisation_id=dossier.organisation_id,
        )
        form = DelegationForm(data=request.data, casemanagers=casemanagers)
        if not form.is_valid():
            return _invalid(form)
        delegation = actions.delegate(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        return Response(
            MedischDelegationSerializer(delegation).data, status=status.HTTP_201_CREATED
        )


class DocumentViewSet(viewsets.GenericViewSet):
    """MD-1, MD-3, SE-7: a document's bytes, exactly as the page serves them."""

    permission_classes = [IsVerified, IsMedicalRole]
    lookup_value_regex = NUMERIC_ID
    queryset = Document.objects.none()  # the lookup is views_documents.document_for
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
        return document_response(request, document_for(request.user, pk))


class DelegationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsVerified, IsMedicalRole]
    lookup_value_regex = NUMERIC_ID
    queryset = Delegation.objects.none()
    serializer_class = MedischDelegationSerializer

    @extend_schema(request=None, responses={200: MedischDelegationSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None, **kwargs):
        """MD-4: revoke at once (the doctor's own work)."""
        delegation = (
            Delegation.objects.filter(pk=pk, dossier__in=queries.dossiers_visible_to(request.user))
            .select_related("dossier")
            .first()
        )
        if delegation is None:
            raise exceptions.NotFound("Niet gevonden.")
        actions.revoke_delegation(by=request.user, delegation=delegation, request=request)
        delegation.refresh_from_db()
        return Response(MedischDelegationSerializer(delegation).data)


class VerslagDeelViewSet(viewsets.GenericViewSet):
    permission_classes = [IsVerified, IsMedicalRole]
    lookup_value_regex = NUMERIC_ID
    queryset = VerslagMedischDeel.objects.none()
    serializer_class = MedischVerslagDeelSerializer

    @extend_schema(request=None, responses={200: MedischVerslagDeelSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None, **kwargs):
        """RI-4: give a part saved without `deliver` to the employee after all (idempotent)."""
        deel = verslag_deel_for(request.user, pk)
        actions_reintegratie.deliver_verslag_deel(by=request.user, deel=deel, request=request)
        deel.refresh_from_db()
        return Response(MedischVerslagDeelSerializer(deel).data)


class KeuringViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """MD-7: exams of the organisations the user is the assigned bedrijfsarts for (SE-9)."""

    permission_classes = [IsVerified, IsMedicalRole]
    lookup_value_regex = NUMERIC_ID
    queryset = Keuring.objects.none()
    serializer_class = MedischKeuringSerializer

    def get_queryset(self):
        return keuringen_visible_to(self.request.user).defer("findings").order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # SE-7: as the page, a search over medical data, one entry per person shown.
        audit.record_reads(
            page,
            object_type="medisch.keuring",
            subject_of=lambda k: k.subject,
            detail="overzicht aanstellingskeuringen",
            action=AuditAction.SEARCH,
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: MedischKeuringSerializer, 404: ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        keuring = keuring_for(request.user, kwargs.get("pk"))
        audit.record(
            AuditAction.READ,
            "medisch.keuring",
            [keuring.pk],
            subject=keuring.subject,
            detail="aanvraag aanstellingskeuring ingezien",
            request=request,
        )
        return Response(self.get_serializer(keuring).data)

    @extend_schema(
        request=MedischKeuringRecordSerializer,
        responses={200: MedischKeuringSerializer, 409: ErrorSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None, **kwargs):
        """MD-7: record the exam once; 409 `already_recorded` after that."""
        keuring = keuring_for(request.user, pk)
        already = Response(
            {"detail": "Deze keuring is al vastgelegd.", "code": "already_recorded"},
            status=status.HTTP_409_CONFLICT,
        )
        if keuring.examined_at is not None:
            return already
        form = KeuringRecordForm(data=request.data)
        if not form.is_valid():
            return _invalid(form)
        if not actions_keuring.record_keuring(
            by=request.user, keuring=keuring, request=request, **form.cleaned_data
        ):
            return already
        keuring.refresh_from_db()
        return Response(self.get_serializer(keuring).data)
