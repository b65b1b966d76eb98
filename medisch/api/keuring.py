"""The aanstellingskeuring through the API, the doctor's side (MD-7): exams of the organisations
the user is the assigned bedrijfsarts for (SE-9), read and recorded as on the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_errors import ErrorSerializer
from medisch import queries
from medisch.actions import keuring as keuring_actions
from medisch.forms import KeuringRecordForm
from medisch.models import Keuring
from privacy.models import AuditAction

from .common import NUMERIC_ID, PERMISSIONS, WRITE_RESPONSES, form_invalid
from .serializers import MedischKeuringRecordSerializer, MedischKeuringSerializer


class KeuringViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """MD-7: exams of the organisations the user is the assigned bedrijfsarts for (SE-9)."""

    permission_classes = PERMISSIONS
    lookup_value_regex = NUMERIC_ID
    queryset = Keuring.objects.none()
    serializer_class = MedischKeuringSerializer

    def get_queryset(self):
        return queries.keuringen_visible_to(self.request.user).defer("findings").order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # SE-7: as the page, a search over medical data, one entry per person shown.
        queries.record_keuring_reads(
            page,
            detail="overzicht aanstellingskeuringen",
            action=AuditAction.SEARCH,
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: MedischKeuringSerializer, 404: ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        keuring = queries.keuring_for(request.user, kwargs.get("pk"))
        queries.record_keuring_request_read(keuring, request)
        return Response(self.get_serializer(keuring).data)

    @extend_schema(
        request=MedischKeuringRecordSerializer,
        responses={200: MedischKeuringSerializer, 409: ErrorSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None, **kwargs):
        """MD-7: record the exam once; 409 `already_recorded` after that."""
        keuring = queries.keuring_for(request.user, pk)
        already = Response(
            {"detail": "Deze keuring is al vastgelegd.", "code": "already_recorded"},
            status=status.HTTP_409_CONFLICT,
        )
        if keuring.examined_at is not None:
            return already
        form = KeuringRecordForm(data=request.data)
        if not form.is_valid():
            return form_invalid(form)
        if not keuring_actions.record_keuring(
            by=request.user, keuring=keuring, request=request, **form.cleaned_data
        ):
            return already
        keuring.refresh_from_db()
        return Response(self.get_serializer(keuring).data)
