"""DG-6 on every doelgroep endpoint. Not `accounts.gates.allowed_by`: that answers one fixed
message, and this gate's 403 carries the reason from the refusal policy and a code that tells
an unsigned user (`confidentiality_statement_required`) from a role that may not sign at all
(`doelgroep_role_refused`) — clients and the authorization matrix read both."""

from django.urls import reverse
from rest_framework import exceptions

from accounts.api_auth import IsVerified
from doelgroep import policies

GATE_CODE = "confidentiality_statement_required"
ROLE_CODE = "doelgroep_role_refused"


class DoelgroepGate(IsVerified):
    """DG-6 on every endpoint: verified (SE-1), a role that needs the administration, and a
    current signature under the confidentiality statement. The 403 says why and where to
    sign (the reason from policies.gate_refusal)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        reason = policies.gate_refusal(request.user)
        if reason is None:
            return True
        code = GATE_CODE if policies.may_sign(request.user) else ROLE_CODE
        if code == GATE_CODE:
            # A client program is told where; a page shows a button instead (issue 18).
            reason = f"{reason} Ondertekenen: {reverse('doelgroep:verklaring')}"
        raise exceptions.PermissionDenied(detail=reason, code=code)
