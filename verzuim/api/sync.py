"""The sync API for HR and payroll systems (issue 23): one employee by personnel number (PUT
creates or replaces, PATCH changes what it sends) and a page of up to 1000 employees with the
import page's preview/apply semantics (`dry_run`), all through verzuim/hr_sync.py — the same
plan, guard, audit rows (SE-7), retention dates and Poortwachter deadlines (RT-1, RI-1) as the
file. Keyed on the personnel number within the caller's organisation only (SE-9): a number that
exists elsewhere is unknown here. Callable with the user's session or token, or with the HR
system's sync token (ApiToken scope "werknemers-sync", `sync_token_allowed`); rate limited per
user (throttle scope `werknemer_sync`, API_SYNC_THROTTLE). Idempotent: sending the same data
again plans nothing and changes nothing."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.api_errors import ErrorSerializer
from accounts.errors import require
from verzuim import hr_sync, policies
from verzuim.models import WERKNEMER_DATA_FIELDS, Werknemer, WerknemerSync

MAX_PAGE = 1000
SYNC_FIELDS = (
    "personnel_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "employment_start",
    "employment_end",
    "department",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
)
assert set(SYNC_FIELDS) == set(WERKNEMER_DATA_FIELDS)  # noqa: S101 - one list, two orders


class SyncWerknemerSerializer(serializers.ModelSerializer):
    """One employee as the HR system sends it (the model's own limits and validators); an
    optional field sent empty or null is cleared."""

    class Meta:
        model = Werknemer
        fields = list(SYNC_FIELDS)
        extra_kwargs = {
            "employment_end": {"required": False, "allow_null": True},
            **{
                f: {"required": False, "allow_blank": True, "allow_null": True}
                for f in ("department", "email", "phone", "address", "postcode", "city")
            },
        }


class SyncOneSerializer(SyncWerknemerSerializer):
    """PUT/PATCH body: the personnel number is the URL's."""

    class Meta(SyncWerknemerSerializer.Meta):
        fields = [f for f in SYNC_FIELDS if f != "personnel_number"]


class FieldChangeSerializer(serializers.Serializer):
    old = serializers.JSONField(read_only=True, allow_null=True)
    new = serializers.JSONField(read_only=True, allow_null=True)


class SyncChangeSerializer(serializers.Serializer):
    personnel_number = serializers.CharField(read_only=True)
    open_case = serializers.BooleanField(
        read_only=True,
        help_text="De werknemer heeft een open verzuimmelding: bewaartermijnen en "
        "Poortwachter-termijnen kunnen verschuiven.",
    )
    changes = serializers.DictField(child=FieldChangeSerializer(), read_only=True)


class SyncErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        read_only=True, help_text="positie in `werknemers` (0 = eerste)"
    )
    field = serializers.CharField(read_only=True, help_text="veldnaam; leeg: de hele werknemer")
    message = serializers.CharField(read_only=True)


class SyncRequestSerializer(serializers.Serializer):
    # Each item is checked on its own (SyncWerknemerSerializer) so its errors carry its index.
    werknemers = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_PAGE
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="true: alleen tonen wat er zou veranderen; niets wordt opgeslagen"
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text="bevestigt een grote wijziging (meer dan HR_SYNC_GUARD_SHARE van het personeel "
        "uit dienst of met een andere naam)",
    )


class SyncRequestSchema(SyncRequestSerializer):
    """The request as documented: the items with their fields."""

    werknemers = SyncWerknemerSerializer(many=True)


class SyncResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(read_only=True)
    applied = serializers.BooleanField(read_only=True)
    created = serializers.ListField(child=serializers.CharField(), read_only=True)
    changed = SyncChangeSerializer(many=True, read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    errors = SyncErrorSerializer(many=True, read_only=True)
    confirmation_required = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="redenen om `confirm` te sturen"
    )
    sync = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="id van de vastgelegde synchronisatie"
    )


class SyncInvalidSerializer(ErrorSerializer):
    """400: the body itself is wrong (`fields`, as every API error), or employees in the page are
    (`errors` by index, with what the valid ones would do); nothing was applied."""

    dry_run = serializers.BooleanField(required=False)
    applied = serializers.BooleanField(required=False)
    created = serializers.ListField(child=serializers.CharField(), required=False)
    changed = SyncChangeSerializer(many=True, required=False)
    unchanged = serializers.IntegerField(required=False)
    errors = SyncErrorSerializer(many=True, required=False)
    confirmation_required = serializers.ListField(child=serializers.CharField(), required=False)
    sync = serializers.IntegerField(required=False, allow_null=True)


class ConfirmationRequiredSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class SyncOneResultSerializer(serializers.Serializer):
    personnel_number = serializers.CharField(read_only=True)
    created = serializers.BooleanField(read_only=True)
    changed = serializers.BooleanField(read_only=True)
    open_case = serializers.BooleanField(read_only=True)
    changes = serializers.DictField(child=FieldChangeSerializer(), read_only=True)
    sync = serializers.IntegerField(read_only=True, allow_null=True)


class SyncThrottle(ScopedRateThrottle):
    """Per user (the sync token's user too), scope `werknemer_sync` (API_SYNC_THROTTLE)."""


def _confirmation_required(reasons):
    return Response(
        {
            "detail": "Grote wijziging: stuur `confirm: true` om door te gaan.",
            "code": "confirmation_required",
            "reasons": reasons,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _changes(change: hr_sync.Change) -> dict:
    return {f.field: {"old": f.old, "new": f.new} for f in change.changes}


class _SyncView(APIView):
    sync_token_allowed = True  # accounts.api_auth: the HR system's token reaches these views
    throttle_classes = [SyncThrottle]
    throttle_scope = "werknemer_sync"

    def organisation(self):
        require(policies.can_manage_werknemers(self.request.user))
        return self.request.user.organisation


EXAMPLE_EMPLOYEE = {
    "first_name": "Sanne",
    "last_name": "de Vries",
    "date_of_birth": "1988-04-12",
    "employment_start": "2019-09-01",
    "employment_end": None,
    "department": "Logistiek",
    "email": "s.devries@werkgever.example",
    "phone": "06-12345678",
    "address": "Stationsstraat 1",
    "postcode": "1234 AB",
    "city": "Utrecht",
}


# nosemgrep: vk-view-without-policy — _SyncView.organisation() checks can_manage_werknemers
class WerknemerByNumberView(_SyncView):
    """One employee by personnel number, in the caller's organisation."""

    http_method_names = ["put", "patch", "options"]

    @extend_schema(
        operation_id="werknemers_nummer_replace",
        request=SyncOneSerializer,
        responses={
            200: SyncOneResultSerializer,
            201: SyncOneResultSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("Werknemer volledig", value=EXAMPLE_EMPLOYEE, request_only=True),
            OpenApiExample(
                "Ongewijzigd (tweede keer dezelfde PUT)",
                value={
                    "personnel_number": "P1001",
                    "created": False,
                    "changed": False,
                    "open_case": False,
                    "changes": {},
                    "sync": None,
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
        description="Maakt de werknemer aan (201) of vervangt zijn gegevens (200); een "
        "optioneel veld dat ontbreekt wordt leeggemaakt. Dezelfde PUT nogmaals verandert niets "
        '(`"changed": false`).',
    )
    def put(self, request, personnel_number):
        return self._sync(request, personnel_number, partial=False)

    @extend_schema(
        operation_id="werknemers_nummer_update",
        request=SyncOneSerializer(partial=True),
        responses={
            200: SyncOneResultSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "Uit dienst",
                value={"employment_end": "2026-12-31"},
                request_only=True,
            ),
            OpenApiExample(
                "Gewijzigd, met open verzuim",
                value={
                    "personnel_number": "P1001",
                    "created": False,
                    "changed": True,
                    "open_case": True,
                    "changes": {"employment_end": {"old": None, "new": "2026-12-31"}},
                    "sync": 17,
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
        description="Wijzigt alleen de meegestuurde velden; 404 als het personeelsnummer in "
        "uw organisatie niet bestaat.",
    )
    def patch(self, request, personnel_number):
        return self._sync(request, personnel_number, partial=True)

    def _sync(self, request, number, *, partial):
        organisation = self.organisation()
        # The URL's number is input like the body's: the same limits (length, no NUL) first.
        try:
            number = SyncWerknemerSerializer().fields["personnel_number"].run_validation(number)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"personnel_number": error.detail}) from None
        exists = Werknemer.objects.filter(
            organisation=organisation, personnel_number=number
        ).exists()
        if partial and not exists:
            raise exceptions.NotFound("Niet gevonden.")
        incoming = SyncOneSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if not partial:  # a replacement: what it does not send is cleared
            data = {f: data.get(f) for f in SyncOneSerializer.Meta.fields}
        rows = [hr_sync.Incoming(0, {"personnel_number": number, **data})]
        plan = hr_sync.plan_sync(organisation=organisation, rows=rows, complete=False)
        if plan.problems:
            raise ValidationError(
                {p.field or "non_field_errors": [p.reason] for p in plan.problems}
            )
        summary = None
        if plan.created or plan.changed:
            try:
                plan, summary = hr_sync.apply_sync(
                    by=request.user,
                    organisation=organisation,
                    rows=rows,
                    complete=False,
                    source=WerknemerSync.Source.API,
                    request=request,
                )
            except hr_sync.ConfirmationRequired as refusal:  # not for one employee; kept safe
                return _confirmation_required(refusal.reasons)
        change = plan.changed[0] if plan.changed else None
        return Response(
            {
                "personnel_number": number,
                "created": bool(plan.created),
                "changed": bool(plan.created or plan.changed),
                "open_case": bool(change and change.open_case),
                "changes": _changes(change) if change else {},
                "sync": summary.pk if summary else None,
            },
            status=status.HTTP_201_CREATED if plan.created else status.HTTP_200_OK,
        )


MONTHLY_EXAMPLE = {
    "werknemers": [
        {"personnel_number": "P1001", **EXAMPLE_EMPLOYEE, "department": "Inkoop"},
        {
            "personnel_number": "P1002",
            "first_name": "Ahmed",
            "last_name": "Bakker",
            "date_of_birth": "1979-01-30",
            "employment_start": "2015-03-01",
            "employment_end": "2026-12-31",
        },
        {
            "personnel_number": "P1050",
            "first_name": "Lotte",
            "last_name": "Jansen",
            "date_of_birth": "1999-07-05",
            "employment_start": "2026-12-01",
        },
    ],
    "dry_run": False,
    "confirm": False,
}


# nosemgrep: vk-view-without-policy — _SyncView.organisation() checks can_manage_werknemers
class WerknemerSyncView(_SyncView):
    """A page of employees from the HR system: preview (`dry_run`) or apply, all or nothing."""

    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="werknemers_sync",
        request=SyncRequestSchema,
        responses={
            200: SyncResultSerializer,
            400: SyncInvalidSerializer,
            409: ConfirmationRequiredSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("Maandelijkse wijzigingen", value=MONTHLY_EXAMPLE, request_only=True),
            OpenApiExample(
                "Eerst een proefrun",
                value={**MONTHLY_EXAMPLE, "dry_run": True},
                request_only=True,
            ),
            OpenApiExample(
                "Resultaat",
                value={
                    "dry_run": True,
                    "applied": False,
                    "created": ["P1050"],
                    "changed": [
                        {
                            "personnel_number": "P1001",
                            "open_case": False,
                            "changes": {"department": {"old": "Logistiek", "new": "Inkoop"}},
                        },
                        {
                            "personnel_number": "P1002",
                            "open_case": True,
                            "changes": {"employment_end": {"old": None, "new": "2026-12-31"}},
                        },
                    ],
                    "unchanged": 0,
                    "errors": [],
                    "confirmation_required": [],
                    "sync": None,
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Fout in de pagina (niets toegepast)",
                value={
                    "detail": "Ongeldige invoer.",
                    "code": "invalid",
                    "dry_run": False,
                    "applied": False,
                    "created": [],
                    "changed": [],
                    "unchanged": 2,
                    "errors": [
                        {"index": 2, "field": "date_of_birth", "message": "Ongeldige datum."}
                    ],
                    "confirmation_required": [],
                    "sync": None,
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Bevestiging nodig",
                value={
                    "detail": "Grote wijziging: stuur `confirm: true` om door te gaan.",
                    "code": "confirmation_required",
                    "reasons": ["12 van de 80 werknemers in dienst gaan uit dienst (meer dan 10%)"],
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
        description="Tot 1000 werknemers per aanroep, op personeelsnummer binnen uw organisatie; "
        "een pagina is niet het hele personeelsbestand (wie ontbreekt blijft ongemoeid). Met "
        "`dry_run` ziet u wat er zou veranderen; zonder wordt alles of niets toegepast. Meer dan "
        "HR_SYNC_GUARD_SHARE van het personeel uit dienst of hernoemd vraagt `confirm: true` "
        "(anders 409). `open_case` markeert werknemers met een open verzuimmelding.",
    )
    def post(self, request):
        organisation = self.organisation()
        body = SyncRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dry_run, confirm = body.validated_data["dry_run"], body.validated_data["confirm"]
        rows, errors = [], []
        for index, item in enumerate(body.validated_data["werknemers"]):
            one = SyncWerknemerSerializer(data=item)
            if one.is_valid():
                rows.append(hr_sync.Incoming(index, dict(one.validated_data)))
                continue
            for name, messages in one.errors.items():
                field = "" if name == "non_field_errors" else name
                errors += [{"index": index, "field": field, "message": str(m)} for m in messages]
        plan = hr_sync.plan_sync(organisation=organisation, rows=rows, complete=False)
        errors += [{"index": p.line, "field": p.field, "message": p.reason} for p in plan.problems]
        errors.sort(key=lambda e: e["index"])
        reasons = plan.guard(end_missing=False)
        summary = None
        if errors:
            answer = self._answer(plan, dry_run=dry_run, errors=errors, reasons=reasons)
            answer = {"detail": "Ongeldige invoer.", "code": "invalid", **answer}
            return Response(answer, status=status.HTTP_400_BAD_REQUEST)
        # A page that changes nothing writes nothing, not even a summary: an HR system that
        # polls often would otherwise leave one row per poll.
        if not dry_run and (plan.created or plan.changed):
            if reasons and not confirm:
                return _confirmation_required(reasons)
            try:
                plan, summary = hr_sync.apply_sync(
                    by=request.user,
                    organisation=organisation,
                    rows=rows,
                    complete=False,
                    source=WerknemerSync.Source.API,
                    confirm=confirm,
                    request=request,
                )
            except hr_sync.ConfirmationRequired as refusal:  # changed between plan and lock
                return _confirmation_required(refusal.reasons)
        return Response(self._answer(plan, dry_run=dry_run, reasons=reasons, summary=summary))

    @staticmethod
    def _answer(plan, *, dry_run, reasons, errors=(), summary=None) -> dict:
        return {
            "dry_run": dry_run,
            "applied": summary is not None,
            "created": [row.data["personnel_number"] for row in plan.created],
            "changed": [
                {
                    "personnel_number": c.personnel_number,
                    "open_case": c.open_case,
                    "changes": _changes(c),
                }
                for c in plan.changed
            ],
            "unchanged": plan.unchanged,
            "errors": list(errors),
            "confirmation_required": reasons,
            "sync": summary.pk if summary else None,
        }
