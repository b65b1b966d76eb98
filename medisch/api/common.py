"""What the medical API's viewsets share: the gate (MD-2 layer 1), the refusals and the 400 of an
invalid form (the same form the page validates)."""

from rest_framework import status
from rest_framework.response import Response

from accounts.api_auth import IsVerified
from accounts.api_errors import ErrorSerializer
from accounts.gates import allowed_by
from medisch import policies

MEDICAL_ROLE = allowed_by(
    policies.may_enter, "Alleen voor de bedrijfsarts en gedelegeerde casemanagers."
)
PERMISSIONS = [IsVerified, MEDICAL_ROLE]

WRITE_REFUSED = {"detail": "Alleen de verantwoordelijke bedrijfsarts.", "code": "permission_denied"}
NO_CASE = {"detail": "Geen verzuimmelding voor dit dossier.", "code": "no_case"}
# The hand-written lookups (document_for, keuring_for, ...) take the id as the pages' <int:pk>
# does: anything else is no route (JSON 404), never a ValueError.
NUMERIC_ID = r"[0-9]+"
WRITE_RESPONSES = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def form_invalid(form, code="invalid") -> Response:
    return Response(
        {"detail": "Ongeldige invoer.", "code": code, "fields": form.errors.get_json_data()},
        status=status.HTTP_400_BAD_REQUEST,
    )


def no_case() -> Response:
    return Response(NO_CASE, status=status.HTTP_400_BAD_REQUEST)
