"""API errors: JSON with a machine-readable `code`, never a 500 for bad input. Kept apart from
api_auth so DRF's settings can import both without a cycle."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Every error is JSON with a machine-readable `code` (never a 500 for bad input)."""
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
