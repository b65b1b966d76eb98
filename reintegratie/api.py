"""Re-integration API: plans van aanpak, trajectories and progress reports, with the same policies
(reintegratie.policies), scoping (reintegratie.queries, verzuim.queries), actions and audit (SE-7)
as the pages.

- RI-3: the plan is saved with optimistic locking (409 `conflict` on a stale version); the
  employee responds to the version they read.
- RI-5: the employer side (and the doctor, whose fuller report lives in the medical dossier)
  reads only released reports, and of them only progress and cooperation.
- RI-6, RI-8: a trajectory is serialized per view (policies.trajectory_view): each view gets only
  its parts; no view gets anything medical, the employer never the client number.
- RI-10: a consultant sees nothing before the employee has been informed (queries).

Errors are JSON with a `code` (accounts.api_errors): 404 for missing and forbidden alike, 403
for a role that may never do this, 400 `invalid` with `fields`, 409 `conflict` (the actions'
ValidationError and Conflict propagate to accounts.api_errors.exception_handler).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer, invalid_response, pk_or_404
from accounts.models import Assignment, Organisation, User
from accounts.roles import OrganisationKind, Role
from privacy import audit
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE
from privacy.models import AuditAction
from verzuim import queries as verzuim_queries

from . import actions, policies, queries
from .models import (
    Activiteit,
    Attendance,
    Category,
    DataItem,
    PlanVanAanpak,
    ReportStatus,
    Spoor,
    Trajectory,
    TrajectoryStaff,
    Voortgangsrapportage,
)

READ_ERRORS = {404: ErrorSerializer}
WRITE_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}

# Roles that could ever pass the per-case check of the action; any other role gets 403 before
# its body is read (the action still decides per case). Mirrors policies.can_commission.
COMMISSIONER_ROLES = policies.DOSSIER_ROLES | {Role.BEDRIJFSARTS}


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


# --- Plan van aanpak (RI-3) -----------------------------------------------------------------------


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
    goals = serializers.CharField(help_text=NO_MEDICAL_DATA_NOTICE)
    advies_ref = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Id van een vrijgegeven advies van de bedrijfsarts bij dit verzuim (RI-3).",
    )


class PlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="De versie die u bewerkte (optimistisch slot).")
    drawn_up_on = serializers.DateField(required=False)
    casemanager = serializers.CharField(
        max_length=200, required=False, help_text=NO_MEDICAL_DATA_NOTICE
    )
    spoor = serializers.ChoiceField(choices=Spoor.choices, required=False)
    goals = serializers.CharField(required=False, help_text=NO_MEDICAL_DATA_NOTICE)
    advies_ref = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class PlanResponseSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="De versie van het plan die u las.")
    agree = serializers.BooleanField()
    remark = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=NO_MEDICAL_DATA_NOTICE
    )


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
        _deny_unless(request.user.role in policies.PLAN_ROLES)
        incoming = PlanCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ziekmelding = verzuim_queries.ziekmelding_for(request.user, data.pop("ziekmelding"))
        _deny_unless(policies.can_edit_plan(request.user, ziekmelding.organisation_id))
        plan = actions.save_plan(
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
        _deny_unless(policies.can_edit_plan(request.user, plan.organisation_id))
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
        data = {name: getattr(plan, name) for name in actions.PLAN_FIELDS}
        data.update(changes)
        plan = actions.save_plan(
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
        _deny_unless(request.user.role == Role.WERKNEMER)
        incoming = PlanResponseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        plan = actions.respond_to_plan(
            by=request.user, plan=plan, request=request, **incoming.validated_data
        )
        plan = PlanVanAanpak.objects.prefetch_related("activiteiten").get(pk=plan.pk)
        return Response(self.get_serializer(plan).data)


# --- Trajectories (RI-5..8, RI-10) ----------------------------------------------------------------


class ChoiceValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class SharedWerknemerSerializer(serializers.Serializer):
    """Only what the view may know of the person (RI-8, RI-10): the employer side and the
    employee get the id; the handling staff what the aanmelding passed; the administrative
    employee the name only when invoices carry it (RI-6)."""

    id = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False)
    personnel_number = serializers.CharField(required=False)
    department = serializers.CharField(required=False)


class TrajectorySerializer(serializers.Serializer):
    """A trajectory as one view sees it: a key outside the view is absent, never null. Render
    with `trajectory_data(trajectory, view, user)`."""

    id = serializers.IntegerField()
    view = serializers.ChoiceField(
        choices=[
            policies.EMPLOYER,
            policies.DOCTOR,
            policies.CONSULTANT,
            policies.VERVANGER,
            policies.ADMINISTRATIEF,
            policies.WERKNEMER,
        ],
        help_text="Welk deel van het traject u mag zien (RI-8).",
    )
    category = ChoiceValueSerializer(help_text="Algemene omschrijving van het traject (RI-6).")
    provider = serializers.CharField(help_text="Naam van het re-integratiebedrijf.")
    status = serializers.CharField()
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True)
    commissioner_kind = serializers.CharField()
    employee_informed_at = serializers.DateTimeField(allow_null=True)
    data_items = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Welke gegevens bij de aanmelding zijn meegegeven (RI-10).",
    )
    werknemer = SharedWerknemerSerializer(required=False)
    client_number = serializers.CharField(required=False)


def trajectory_data(trajectory, view, user) -> dict:
    """RI-6, RI-8, RI-10: the values `view` may see of `trajectory`; nothing medical exists here.
    The employer side never receives the client number, so it cannot map one to a name."""
    data = {
        "id": trajectory.pk,
        "view": view,
        "category": {"value": trajectory.category, "label": trajectory.get_category_display()},
        "provider": trajectory.provider.name,
        "status": trajectory.status,
        "start_on": trajectory.start_on,
        "end_on": trajectory.end_on,
        "commissioner_kind": trajectory.commissioner_kind,
        "employee_informed_at": trajectory.employee_informed_at,
    }
    werknemer = trajectory.werknemer
    shared = {}
    if view == policies.ADMINISTRATIEF:
        if not trajectory.invoice_by_client_number:
            shared["name"] = werknemer.full_name
    else:
        data["data_items"] = list(trajectory.data_items)
    if policies.may(view, "shared_data"):
        if DataItem.PERSONALIA in trajectory.data_items:
            shared["name"] = werknemer.full_name
            shared["personnel_number"] = werknemer.personnel_number
        if DataItem.FUNCTIE in trajectory.data_items:
            shared["department"] = werknemer.department
    # The employer's HR, the doctor and the employee know the person already; a company that
    # subcontracted (RI-7, also the EMPLOYER view) learns nothing new here.
    if view == policies.DOCTOR or view == policies.WERKNEMER:
        shared["id"] = werknemer.pk
    if view == policies.EMPLOYER and user.role == Role.HR:
        shared["id"] = werknemer.pk
    if shared:
        data["werknemer"] = shared
    if policies.can_invoice(view):
        data["client_number"] = trajectory.client_number
    return data


def _render_trajectory(trajectory, view, user):
    return TrajectorySerializer(trajectory_data(trajectory, view, user)).data


class TrajectoryCreateSerializer(serializers.Serializer):
    ziekmelding = serializers.IntegerField(help_text="Id van de ziekmelding (het verzuimgeval).")
    provider = serializers.IntegerField(help_text="Id van het re-integratiebedrijf.")
    consultant = serializers.IntegerField(help_text="Id van de behandelend consultant.")
    category = serializers.ChoiceField(choices=Category.choices)
    data_items = serializers.ListField(
        child=serializers.ChoiceField(choices=DataItem.choices),
        allow_empty=True,
        help_text="Alleen wat het traject nodig heeft (RI-10); de werknemer ziet het vooraf.",
    )
    start_on = serializers.DateField()


class TrajectoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """RI-8: per case, per view. A consultant who is not on the trajectory's staff, or who is
    before the employee was informed (RI-10), gets 404 and an empty list."""

    queryset = Trajectory.objects.none()  # scoped in get_queryset
    serializer_class = TrajectorySerializer

    def get_queryset(self):
        return (
            queries.trajectories_visible_to(self.request.user)
            .select_related("werknemer", "provider", "parent")
            .order_by("-start_on", "-pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = []
        for trajectory in page:
            view = policies.trajectory_view(request.user, trajectory)
            if view is not None:
                shown.append((trajectory, view))
        audit.record_reads(
            [t for t, _ in shown],
            object_type="reintegratie.trajectory",
            subject_of=lambda t: t.werknemer.pseudonym,
            detail="lijst re-integratietrajecten (API)",
            request=request,
        )
        return self.get_paginated_response(
            [_render_trajectory(t, view, request.user) for t, view in shown]
        )

    @extend_schema(responses={200: TrajectorySerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        trajectory, view = queries.trajectory_for(request.user, pk_or_404(kwargs["pk"]))
        audit.record(
            AuditAction.READ,
            "reintegratie.trajectory",
            [trajectory.pk],
            subject=trajectory.werknemer.pseudonym,
            detail="re-integratietraject ingezien (API)",
            request=request,
        )
        return Response(_render_trajectory(trajectory, view, request.user))

    @extend_schema(
        request=TrajectoryCreateSerializer,
        responses={201: TrajectorySerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """RI-10: the aanmelding by HR or the assigned bedrijfsarts. The company sees nothing
        until the employee has read which data goes to whom."""
        _deny_unless(request.user.role in COMMISSIONER_ROLES)
        incoming = TrajectoryCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ziekmelding = verzuim_queries.ziekmelding_for(request.user, data.pop("ziekmelding"))
        _deny_unless(policies.can_commission(request.user, ziekmelding.organisation_id))
        provider = Organisation.objects.filter(
            pk=data.pop("provider"), kind=OrganisationKind.REINTEGRATIEBEDRIJF
        ).first()
        consultant = User.objects.filter(pk=data.pop("consultant")).first()
        trajectory = actions.commission_trajectory(
            by=request.user,
            ziekmelding=ziekmelding,
            provider=provider,
            consultant=consultant,
            request=request,
            **data,
        )
        view = policies.trajectory_view(request.user, trajectory)
        return Response(
            _render_trajectory(trajectory, view, request.user), status=status.HTTP_201_CREATED
        )


# --- Voortgangsrapportages (RI-5) -----------------------------------------------------------------

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
)
REPORT_STATE_FIELDS = ("status", "shared_with_employee_at", "employee_seen_at", "employee_remark")
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


def reports_visible_to(user):
    """RI-5, RI-8: every report the user may read — the union of queries.reports_for_view over
    queries.trajectories_visible_to(user) — as one queryset. Kept equal to that union by
    tests/reintegratie/test_api.py; it belongs in reintegratie/queries.py."""
    rows = Voortgangsrapportage.objects.all()
    if not (user.is_authenticated and user.is_active):
        return rows.none()
    released = Q(released_at__isnull=False)
    if user.role == Role.HR:
        return rows.filter(released, trajectory__organisation_id=user.organisation_id)
    if user.role == Role.BEDRIJFSARTS:
        doctor_orgs = Assignment.objects.filter(user=user).values("organisation_id")
        return rows.filter(released, trajectory__organisation_id__in=doctor_orgs)
    if user.role == Role.WERKNEMER:
        return rows.filter(trajectory__werknemer__user=user).exclude(status=ReportStatus.CONCEPT)
    if user.role == Role.CONSULTANT:
        mine = TrajectoryStaff.objects.filter(user=user)
        handling = mine.filter(function__in=(policies.CONSULTANT, policies.VERVANGER))
        on_staff = Trajectory.objects.filter(
            pk__in=mine.values("trajectory_id"), employee_informed_at__isnull=False
        )
        # RI-7: a subcontract is read like an employer, unless one is on its own staff too.
        subcontracted = Trajectory.objects.filter(
            parent_id__in=handling.values("trajectory_id")
        ).exclude(pk__in=on_staff.values("pk"))
        return rows.filter(
            Q(trajectory__in=on_staff.filter(pk__in=handling.values("trajectory_id")))
            | Q(released, trajectory__in=subcontracted)
        )
    return rows.none()


class ReportCreateSerializer(serializers.Serializer):
    trajectory = serializers.IntegerField()
    period_end = serializers.DateField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    cooperating = serializers.BooleanField()
    cooperation_explanation = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=NO_MEDICAL_DATA_NOTICE
    )
    progress = serializers.CharField(help_text=NO_MEDICAL_DATA_NOTICE)
    next_steps = serializers.CharField(help_text=NO_MEDICAL_DATA_NOTICE)


class ReportSeenSerializer(serializers.Serializer):
    remark = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=NO_MEDICAL_DATA_NOTICE
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
            reports_visible_to(self.request.user)
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
        _deny_unless(request.user.role == Role.CONSULTANT)
        incoming = ReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        trajectory, view = queries.trajectory_for(request.user, data.pop("trajectory"))
        _deny_unless(policies.can_report(view))
        report = actions.file_report(
            by=request.user, trajectory=trajectory, request=request, **data
        )
        return Response(_render_report(report, view), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReportSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None, **kwargs):
        """RI-5: put the concept before the employee (repeating it changes nothing)."""
        report, view = self._report()
        _deny_unless(policies.can_report(view))
        actions.share_report(by=request.user, report=report, request=request)
        report.refresh_from_db()
        return Response(_render_report(report, view))

    @extend_schema(request=None, responses={200: ReportSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None, **kwargs):
        """RI-5: release to the employer; 400 `not_seen_by_employee` before the employee read
        it."""
        report, view = self._report()
        _deny_unless(policies.can_report(view))
        try:
            report = actions.release_report(by=request.user, report=report, request=request)
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
        _deny_unless(request.user.role == Role.WERKNEMER)
        incoming = ReportSeenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        actions.mark_report_seen(
            by=request.user, report=report, request=request, **incoming.validated_data
        )
        report.refresh_from_db()
        return Response(_render_report(report, view))
