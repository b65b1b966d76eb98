"""Progress reports in the API (RI-5): the company files a concept, puts it before the employee
and releases it to the employer only after the employee has read it; the employer side (and the
doctor, whose fuller report lives in the medical dossier) reads only released reports, and of
them only progress and cooperation."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer, invalid_response, pk_or_404
from accounts.errors import require
from core import limits
from privacy import audit
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE
from privacy.models import AuditAction
from reintegratie import policies, queries
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.models import Attendance, Voortgangsrapportage

from ._common import READ_ERRORS, WRITE_ERRORS

# RI-5: what the employer side (and the doctor, here) reads of a released report — exactly this.
EMPLOYER_REPORT_FIELDS = (
    "id",
    "trajectory",
    "period_end",
    "attendance",
    "cooperating",
    "cooperation_explanation",
    "progress",
    "next_steps",
    "released_at",
    # The employee's reaction goes with the report (RI-5: the employee page promises it); it
    # passed the ZM-3 guard when the employee wrote it.
    "employee_remark",
)
REPORT_STATE_FIELDS = ("status", "shared_with_employee_at", "employee_seen_at")
STAFF_REPORT_FIELDS = (*EMPLOYER_REPORT_FIELDS, *REPORT_STATE_FIELDS, "created_at")
WERKNEMER_REPORT_FIELDS = (*EMPLOYER_REPORT_FIELDS, *REPORT_STATE_FIELDS)


class ReportSerializer(serializers.Serializer):
    """A progress report as one view sees it (RI-5): the employer side only the released
    progress and cooperation; the employee and the handling staff also its state."""

    id = serializers.IntegerField()
    trajectory = serializers.IntegerField(source="trajectory_id")
    period_end = serializers.DateField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    cooperating = serializers.BooleanField()
    cooperation_explanation = serializers.CharField(allow_blank=True)
    progress = serializers.CharField()
    next_steps = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(required=False)
    shared_with_employee_at = serializers.DateTimeField(required=False, allow_null=True)
    employee_seen_at = serializers.DateTimeField(required=False, allow_null=True)
    employee_remark = serializers.CharField(required=False, allow_blank=True)
    created_at = serializers.DateTimeField(required=False)


def report_fields(view) -> tuple:
    if policies.may(view, "all_reports"):
        return STAFF_REPORT_FIELDS
    if policies.may(view, "own_reports"):
        return WERKNEMER_REPORT_FIELDS
    return EMPLOYER_REPORT_FIELDS


def _render_report(report, view):
    fields = report_fields(view)
    rendered = ReportSerializer(report).data
    return {name: rendered[name] for name in fields}


class ReportCreateSerializer(serializers.Serializer):
    trajectory = serializers.IntegerField()
    period_end = serializers.DateField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    cooperating = serializers.BooleanField()
    cooperation_explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.BY_NAME["cooperation_explanation"],
        help_text=NO_MEDICAL_DATA_NOTICE,
    )
    progress = serializers.CharField(
        max_length=limits.BY_NAME["progress"], help_text=NO_MEDICAL_DATA_NOTICE
    )
    next_steps = serializers.CharField(
        max_length=limits.BY_NAME["next_steps"], help_text=NO_MEDICAL_DATA_NOTICE
    )


class ReportSeenSerializer(serializers.Serializer):
    remark = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.BY_NAME["remark"],
        help_text=NO_MEDICAL_DATA_NOTICE,
    )


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """RI-5: the company files a concept, puts it before the employee, and releases it to the
    employer only after the employee has read it."""

    queryset = Voortgangsrapportage.objects.none()  # scoped in get_queryset
    serializer_class = ReportSerializer

    def get_queryset(self):
        return (
            queries.reports_visible_to(self.request.user)
            .select_related("trajectory__werknemer", "trajectory__parent")
            .order_by("-period_end", "-pk")
        )

    @extend_schema(
        parameters=[OpenApiParameter("trajectory", int, description="alleen van dit traject")],
        responses={200: ReportSerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        trajectory = request.query_params.get("trajectory")
        if trajectory is not None:
            try:
                rows = rows.filter(trajectory_id=int(trajectory))
            except ValueError:
                raise ValidationError({"trajectory": "Geef het id van een traject."}) from None
        page = self.paginate_queryset(rows)
        views = {}
        for report in page:
            if report.trajectory_id not in views:
                views[report.trajectory_id] = policies.trajectory_view(
                    request.user, report.trajectory
                )
        audit.record_reads(
            page,
            object_type="reintegratie.voortgangsrapportage",
            subject_of=lambda r: r.trajectory.werknemer.pseudonym,
            detail="lijst voortgangsrapportages (API)",
            request=request,
        )
        return self.get_paginated_response(
            [_render_report(r, views[r.trajectory_id]) for r in page]
        )

    def _report(self):
        report, view = queries.report_for(self.request.user, pk_or_404(self.kwargs["pk"]))
        report = Voortgangsrapportage.objects.select_related(
            "trajectory__werknemer", "trajectory__provider"
        ).get(pk=report.pk)
        return report, view

    @extend_schema(responses={200: ReportSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        report, view = self._report()
        audit.record(
            AuditAction.READ,
            "reintegratie.voortgangsrapportage",
            [report.pk],
            subject=report.trajectory.werknemer.pseudonym,
            detail="voortgangsrapportage ingezien (API)",
            request=request,
        )
        return Response(_render_report(report, view))

    @extend_schema(
        request=ReportCreateSerializer, responses={201: ReportSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """RI-5: a concept report by the handling consultant or the substitute."""
        require(policies.is_consultant(request.user))
        incoming = ReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        trajectory, view = queries.trajectory_for(request.user, data.pop("trajectory"))
        require(policies.can_report(view))
        report = rapportage_actions.file_report(
            by=request.user, trajectory=trajectory, request=request, **data
        )
        return Response(_render_report(report, view), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReportSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None, **kwargs):
        """RI-5: put the concept before the employee (repeating it changes nothing)."""
        report, view = self._report()
        require(policies.can_report(view))
        rapportage_actions.share_report(by=request.user, report=report, request=request)
        report.refresh_from_db()
        return Response(_render_report(report, view))

    @extend_schema(request=None, responses={200: ReportSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None, **kwargs):
        """RI-5: release to the employer; 400 `not_seen_by_employee` before the employee read
        it."""
        report, view = self._report()
        require(policies.can_report(view))
        try:
            report = rapportage_actions.release_report(
                by=request.user, report=report, request=request
            )
        except ValidationError as error:
            code = "not_seen_by_employee" if report.employee_seen_at is None else "invalid"
            return invalid_response(error, code)
        return Response(_render_report(report, view))

    @extend_schema(request=ReportSeenSerializer, responses={200: ReportSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def seen(self, request, pk=None, **kwargs):
        """RI-5: the employee has read the report (with an optional remark); only then may it be
        released. Repeating it changes nothing."""
        report, view = self._report()
        require(policies.is_employee(request.user))
        incoming = ReportSeenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rapportage_actions.mark_report_seen(
            by=request.user, report=report, request=request, **incoming.validated_data
        )
        report.refresh_from_db()
        return Response(_render_report(report, view))
