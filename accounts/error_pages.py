"""The error pages: every refusal a person can meet is a Dutch page in the site's layout with a
way back (issue 18 item 5), never Django's bare or English answer.

- 400 `bad_request` (handler400): a request Django could not read. A body above
  DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig, which Django answers with 400; it is
  a 413 here, with a page that says how much fits.
- 403 `permission_denied` (handler403): says why — the message a view or action gave its
  PermissionDenied (``accounts.errors.require(allowed, reason)``), else the general reason.
- 404 `accounts.api_errors.not_found` (handler404) renders 404.html.
- 405 `MethodNotAllowedPageMiddleware`: Django's HttpResponseNotAllowed has no body.
- CSRF failure `csrf_failure` (CSRF_FAILURE_VIEW): the form was older than the security cookie,
  or the cookie is missing; Django's own page is English and ends in "DEBUG=True".
- 500 `server_error` (handler500): rendered without the request's context processors, which
  may be what failed.

Under /api/ each answers JSON with a machine-readable `code`, like the API's own errors.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

GENERAL_REFUSAL = (
    "Uw account heeft niet de rol of de toewijzing die nodig is om deze gegevens te zien of te "
    "wijzigen."
)
PLAIN_500 = (
    '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Er ging iets mis</title>'
    "</head><body><h1>Er ging iets mis</h1><p>Probeer het later opnieuw.</p>"
    '<p><a href="/">Naar het overzicht</a></p></body></html>'
)
CSRF_REASON = (
    "Het formulier kon niet veilig worden verzonden: de pagina was te lang open of uw browser "
    "weigert cookies van deze site. Uw invoer is niet opgeslagen."
)


def _too_large_mb() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"{megabytes:g}".replace(".", ",")


def _api(request) -> bool:
    return request.path.startswith("/api/")


def too_large(request):
    """413: the request body is larger than the site accepts."""
    if _api(request):
        return JsonResponse(
            {"detail": "Het verzoek is te groot.", "code": "request_too_large"}, status=413
        )
    return render(request, "413.html", {"limit_mb": _too_large_mb()}, status=413)


# nosemgrep: vk-view-without-policy — handler400, not a route; shows no data
@requires_csrf_token
def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if _api(request):
        return JsonResponse({"detail": "Ongeldig verzoek.", "code": "bad_request"}, status=400)
    return render(request, "400.html", status=400)


def _reason(exception) -> str:
    """The message the code gave its PermissionDenied, if it gave one (a Dutch sentence)."""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        return exception.args[0]
    return ""


# nosemgrep: vk-view-without-policy — handler403, not a route; shows no data
@requires_csrf_token
def permission_denied(request, exception=None):
    reason = _reason(exception) or GENERAL_REFUSAL
    if _api(request):
        return JsonResponse({"detail": reason, "code": "permission_denied"}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


# nosemgrep: vk-view-without-policy — CSRF_FAILURE_VIEW, not a route; shows no data
def csrf_failure(request, reason=""):
    if _api(request):
        return JsonResponse({"detail": CSRF_REASON, "code": "csrf_failed"}, status=403)
    return render(request, "403.html", {"reason": CSRF_REASON, "csrf_failed": True}, status=403)


# nosemgrep: vk-view-without-policy — handler500, not a route; shows no data
def server_error(request):
    if _api(request):
        return JsonResponse({"detail": "Er ging iets mis.", "code": "server_error"}, status=500)
    try:
        body = loader.get_template("500.html").render({"request": request})
    except Exception:  # noqa: BLE001 — the layout itself may be what failed: a bare page then
        body = PLAIN_500
    return HttpResponseServerError(body)


class MethodNotAllowedPageMiddleware:
    """405 with a page: a GET on a form's POST-only address (a bookmark, a reload after the
    session ended) shows where to go instead of Django's empty answer. The API's own 405 is
    JSON already (DRF) and is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not _api(request) and not response.content:
            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
