"""Trajectories in the API (RI-6, RI-8, RI-10): a trajectory is serialized per view
(policies.trajectory_view) and each view gets only its parts — nothing medical, the employer
never the client number; the aanmelding by HR or the assigned doctor; a consultant sees nothing
before the employee has been informed (queries)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.api_errors import pk_or_404
from accounts.errors import require
from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from privacy import audit
from privacy.models import AuditAction
from reintegratie import policies, queries
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import Category, DataItem, Trajectory
from verzuim import queries as verzuim_queries

from ._common import READ_ERRORS, WRITE_ERRORS


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
        # RI-8 (named in words in the text people read)
        help_text="Welk deel van het traject u mag zien.",
    )
    # RI-6 (named in words in the text people read)
    category = ChoiceValueSerializer(help_text="Algemene omschrijving van het traject.")
    provider = serializers.CharField(help_text="Naam van het re-integratiebedrijf.")
    status = serializers.CharField()
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True)
    commissioner_kind = serializers.CharField()
    employee_informed_at = serializers.DateTimeField(allow_null=True)
    data_items = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        # RI-10 (named in words in the text people read)
        help_text="Welke gegevens bij de aanmelding zijn meegegeven.",
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
    if view == policies.EMPLOYER and policies.keeps_dossiers(user):
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
        # RI-10 (named in words in the text people read)
        help_text="Alleen wat het traject nodig heeft; de werknemer ziet het vooraf.",
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
        require(policies.may_commission(request.user))
        incoming = TrajectoryCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ziekmelding = verzuim_queries.ziekmelding_for(request.user, data.pop("ziekmelding"))
        require(policies.can_commission(request.user, ziekmelding.organisation_id))
        provider = Organisation.objects.filter(
            pk=data.pop("provider"), kind=OrganisationKind.REINTEGRATIEBEDRIJF
        ).first()
        consultant = User.objects.filter(pk=data.pop("consultant")).first()
        trajectory = traject_actions.commission_trajectory(
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
