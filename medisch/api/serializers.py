"""The medical API's representations (MD-1, MD-4, MD-5, MD-7, RI-2, RI-4). Input is validated
by the pages' forms; the request serializers here describe it for the schema."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from accounts.models import User
from core import limits
from core.limits import LimitedTextSerializer
from medisch import policies, uploads
from medisch.models import (
    ADVICE_FIELDS,
    Advies,
    Consult,
    Correspondentie,
    Delegation,
    Document,
    Dossier,
    Keuring,
    KeuringConclusion,
    Probleemanalyse,
    VerslagMedischDeel,
)


class MedischConsultSerializer(LimitedTextSerializer, serializers.ModelSerializer):
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


class MedischAdviesSerializer(LimitedTextSerializer, serializers.ModelSerializer):
    release = serializers.BooleanField(write_only=True, default=True)
    confirm_terms = serializers.BooleanField(write_only=True, default=False)

    class Meta:
        model = Advies
        fields = ["id", *ADVICE_FIELDS, "kind", "released_at", "release", "confirm_terms"]
        read_only_fields = ["id", "released_at"]


class MedischAdviesReleaseSerializer(serializers.Serializer):
    confirm_terms = serializers.BooleanField(required=False, default=False)


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
    kind = serializers.CharField(max_length=32, help_text="brief_behandelaar, uitslag of overig")
    uploaded_file = serializers.FileField(help_text=f"{uploads.ALLOWED_TYPES_TEXT}, naar inhoud")


class MedischCorrespondenceSerializer(LimitedTextSerializer, serializers.ModelSerializer):
    class Meta:
        model = Correspondentie
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

    medical_part = serializers.CharField(max_length=limits.BY_NAME["medical_part"])

    class Meta(MedischAdviesSerializer.Meta):
        fields = [*MedischAdviesSerializer.Meta.fields, "medical_part"]


class MedischVerslagDeelSerializer(LimitedTextSerializer, serializers.ModelSerializer):
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
    findings = serializers.CharField(max_length=limits.BY_NAME["findings"])
    conclusion = serializers.CharField(max_length=32, help_text="geschikt of niet_geschikt")


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
