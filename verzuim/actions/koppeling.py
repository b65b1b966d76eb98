"""The HR system's machine account (issue 23): sync tokens issued and revoked on the page
"Koppeling HR-systeem". A sync token (ApiToken scope "werknemers-sync") reaches only the sync
endpoints (accounts.api_auth) and acts as the employer user who issued it — the audit log names
that user (SE-7). Issued only in a session verified with a second factor and bound to that OTP
device, as every bearer token is (SE-1): resetting the user's 2FA kills it."""

from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from accounts.models import ApiToken
from privacy import audit
from privacy.models import AuditAction
from verzuim import policies

OBJECT_TYPE = "accounts.apitoken"


def sync_tokens_of(user):
    """The organisation's sync tokens (any of its employer users issued them), newest first."""
    return (
        ApiToken.objects.filter(
            scope=ApiToken.Scope.WERKNEMERS_SYNC, user__organisation_id=user.organisation_id
        )
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


def issue_sync_token(*, by, device, label, request=None) -> tuple[ApiToken, str]:
    """A new sync token for `by`, bound to the device that verified this session. The raw token
    is returned once; only its hash is kept."""
    require(policies.can_manage_werknemers(by) and device is not None and device.user_id == by.pk)
    with transaction.atomic():
        token, raw = ApiToken.issue(by, device, label=label, scope=ApiToken.Scope.WERKNEMERS_SYNC)
        audit.record(
            AuditAction.CREATE,
            OBJECT_TYPE,
            [token.pk],
            detail="synchronisatietoken HR-systeem uitgegeven",
            request=request,
            actor=by,
        )
    return token, raw


def revoke_sync_token(*, by, token_id, request=None) -> bool:
    """Revoke one of the organisation's sync tokens (also one a colleague issued: whoever left
    must not keep the link alive). False when there was none to revoke."""
    require(policies.can_manage_werknemers(by))
    with transaction.atomic():
        revoked = (
            sync_tokens_of(by)
            .filter(pk=token_id, revoked_at__isnull=True)
            .update(revoked_at=timezone.now())
        )
        if revoked:
            audit.record(
                AuditAction.UPDATE,
                OBJECT_TYPE,
                [token_id],
                detail="synchronisatietoken HR-systeem ingetrokken",
                request=request,
                actor=by,
            )
    return bool(revoked)
