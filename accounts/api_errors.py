"""API errors: JSON with a machine-readable `code`, never a 500 for bad input. Kept apart from
api_auth so DRF's settings can import both without a cycle.

One place for what an action raises: an API view calls the action and lets Django's
ValidationError (400 `invalid` with `fields`) and accounts.errors.Conflict (409 `conflict`)
propagate to `exception_handler`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict


def invalid_response(error: ValidationError, code="invalid") -> Response:
    """400 for an action's ValidationError: per field its messages; an error not bound to a field
    (a plain message or list) under `non_field_errors`. A dict error keeps its keys as raised
    (NON_FIELD_ERRORS stays `__all__`)."""
    fields = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    return Response(
        {"detail": "Ongeldige invoer.", "code": code, "fields": fields},
        status=status.HTTP_400_BAD_REQUEST,
    )


def pk_or_404(value) -> int:
    """A path id that is no number is as unknown as a missing one (404, not 500)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def exception_handler(exc, context):
    """Every error is JSON with a machine-readable `code` (never a 500 for bad input)."""
    # Answered as the views answered them before this handler took over (no set_rollback:
    # ATOMIC_REQUESTS is off and each action is its own transaction).
    if isinstance(exc, ValidationError):
        return invalid_response(exc)
    if isinstance(exc, Conflict):
        return Response(
            {"detail": "Iemand anders heeft dit intussen gewijzigd.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Niet gevonden.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, str):
            response.data["code"] = codes
        elif isinstance(codes, dict):
            response.data = {
                "detail": "Ongeldige invoer.",
                "code": "invalid",
                "fields": response.data,
            }
    return response


# nosemgrep: vk-view-without-policy — handler404, not a route; shows no data
def not_found(request, exception):
    """handler404: a URL under /api/ that no route matches (e.g. an id with a "/" or "." in it)
    answers JSON like every other API error; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Niet gevonden.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


class ErrorSerializer(serializers.Serializer):
    """The shape of every API error: a Dutch `detail`, a machine-readable `code`, and per-field
    messages under `fields` for invalid input."""

    detail = serializers.CharField()
    code = serializers.CharField()
    # Per field a list of messages; for a list or nested field, an object by index or name.
    fields = serializers.DictField(child=serializers.JSONField(), required=False)
