"""API errors: JSON with a machine-readable `code`, never a 500 for bad input. Kept apart from
api_auth so DRF's settings can import both without a cycle."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
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


class ErrorSerializer(serializers.Serializer):
    """The shape of every API error: a Dutch `detail`, a machine-readable `code`, and per-field
    messages under `fields` for invalid input."""

    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(), required=False)
