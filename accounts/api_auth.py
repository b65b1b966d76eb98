"""API authentication (SE-1): bearer tokens issued only after the second factor, and the
deny-by-default permission every viewset inherits. A token with a narrower scope (the HR
system's sync token, issue 23) reaches only the views that declare `sync_token_allowed`;
everywhere else it answers 403 `token_scope` — checked here, at authentication, so no view's
own permission classes can forget it.

DRF and django-otp ship no OTP-aware permission (LIBRARIES.md); these few lines are ours.
"""

from django.utils import timezone
from django_otp.models import Device
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken, hash_token


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige Authorization-header.")
        try:
            raw = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Ongeldig token.") from exc
        token = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Token ongeldig, verlopen of ingetrokken.")
        device = Device.from_persistent_id(token.device_id)
        if device is None or device.user_id != token.user_id or not device.confirmed:
            # The device that verified this token is gone (2FA reset): the token is dead too.
            raise exceptions.AuthenticationFailed("Token ongeldig, verlopen of ingetrokken.")
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if token.scope and not getattr(view, "sync_token_allowed", False):
            raise exceptions.PermissionDenied(
                "Dit token is alleen voor het synchroniseren van werknemers.", code="token_scope"
            )
        user = token.user
        # As django_otp's OTPMiddleware does for sessions: verified by the device that was
        # presented when this token was issued.
        user.otp_device = device
        user.is_verified = lambda: user.otp_device is not None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class IsVerified(permissions.BasePermission):
    """Authenticated and verified with a second factor (session or token)."""

    message = "Inloggen met tweestapsverificatie is vereist."

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and getattr(user, "is_verified", lambda: False)()
        )
