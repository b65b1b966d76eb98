"""Two middlewares that make SE-1 and SE-8 hold on every route.

RequireTwoFactorMiddleware: django-otp marks a session verified but enforces nothing by itself
(LIBRARIES.md). Any authenticated request from a session without a verified second factor is
sent to enrolment (no device yet) or back to the login (device present); only the enrolment
pages, logout, static files and the favicon are exempt. Background requests (API, htmx, assets,
non-GET) get 403 instead of a redirect, so they cannot reset the login wizard.

SessionLifetimeMiddleware: idle expiry is SESSION_COOKIE_AGE refreshed on every request; this
adds the absolute limit (SESSION_ABSOLUTE_SECONDS after login), whatever the activity.

NoStoreMiddleware: ASVS 5.0 14.3.2 — every page this application renders may carry personal
data, so no browser or proxy may keep a copy: each dynamic response gets `Cache-Control:
no-store` (with Django's never-cache companions) unless the view set its own header. Static files
are served by WhiteNoise before this middleware runs and keep their long cache headers.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

SESSION_LOGIN_AT = "vk_login_at"

# URL names reachable by an authenticated user who has not verified a second factor.
ENROLMENT_URL_NAMES = frozenset(
    {"two_factor:setup", "two_factor:qr", "two_factor:login", "accounts:logout"}
)


def _is_background(request) -> bool:
    return (
        request.path.startswith("/api/")
        or request.headers.get("HX-Request") == "true"
        or request.method not in ("GET", "HEAD")
        or request.headers.get("Sec-Fetch-Dest") not in (None, "document")
    )


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = (settings.STATIC_URL, "/favicon.ico")

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(self.exempt_prefixes):
            return None
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match and match.namespace else None
        if name in ENROLMENT_URL_NAMES and not (
            name == "two_factor:setup" and user_has_device(user, confirmed=True)
        ):
            return None
        if request.path.startswith("/api/"):
            # Bearer-token requests are authenticated by DRF later; a session without the
            # second factor is refused here and DRF's own permission repeats the check.
            if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                return None
            return JsonResponse(
                {"detail": "Tweestapsverificatie vereist.", "code": "otp_required"}, status=403
            )
        if _is_background(request):
            return JsonResponse(
                {"detail": "Tweestapsverificatie vereist.", "code": "otp_required"}, status=403
            )
        if user_has_device(user, confirmed=True):
            # Has a device but this session never verified it: start the login again.
            logout(request)
            return redirect(f"{reverse('two_factor:login')}?next={request.path}")
        return redirect("two_factor:setup")


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_LOGIN_AT)
            if started is None:
                request.session[SESSION_LOGIN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Sessie verlopen.", "code": "session_expired"}, status=401
                    )
                messages.info(request, "Uw sessie is verlopen. Log opnieuw in.")
                return redirect(f"{reverse('two_factor:login')}?next={request.path}")
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
