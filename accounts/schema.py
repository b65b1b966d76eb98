"""OpenAPI description of the bearer-token scheme (drf-spectacular extension) and the schema
class that documents the API's error answers (DEFAULT_SCHEMA_CLASS)."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import AllowAny

from .api_errors import ErrorSerializer


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token uit POST /api/v1/auth/token/ (wachtwoord + TOTP-code).",
        }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus the error answers every operation can give, each as an
    ErrorSerializer body (found by tests/security/test_api_fuzz.py):

    - 401 and 403 wherever a permission applies: no or a bad credential, no second factor
      (SE-1, code otp_required), or a role or scope the policy refuses (SE-2, SE-9);
    - 404 for a lookup by id (SE-9 scoping hides the object) and for a paginated list (a page
      past the end);
    - 400 for every operation: a path or query string with a character the database refuses
      (accounts.input_guard), and for a request with a body unparsable or invalid input;
    - 415 for a request with a body without or with an unsupported Content-Type (the CSRF
      check of a session reads it for every write);
    - 406 for every operation: an Accept header naming only types the API does not produce
      (DRF's content negotiation, before any view; found by the fuzz on 2026-12-04).

    A response an operation declares itself (@extend_schema) is kept as declared."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses

    def _error_codes(self):
        # 400 everywhere: a path or query string with a character the database refuses (NUL)
        # is refused before any view (accounts.input_guard); with a body also invalid input.
        codes = ["400", "406"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["415"]
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        paginated = self._is_list_view() and getattr(self.view, "pagination_class", None)
        if "{" in self.path or paginated:
            codes.append("404")
        return codes
