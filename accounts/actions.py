"""State changes of accounts. Every way an account comes into being — pages, admin, API and
management commands — goes through `issue_account`, so SE-3 holds on every entry point. Every
change to an account is written to the audit log through `record_user_change` (SE-7).

accounts imports privacy.audit (and only that, with privacy.models.AuditAction) although privacy
sits above accounts: the audit log is the one place SE-7 is written, and an account change must
be audited in its own transaction. privacy.audit itself imports no accounts module, so there is
no import cycle at module level; a hook filled by privacy would only hide the dependency."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy import audit
from privacy.models import AuditAction

from . import policies
from .models import ApiToken, User
from .sessions import end_sessions, revoke_tokens

BACKUP_CODE_COUNT = 10


class AccountRefused(Exception):
    """The issuing user may not create this account (SE-3)."""


def record_user_change(user, detail, *, by, request=None, action=AuditAction.UPDATE):
    """The audit entry of a change to `user`'s account (SE-7): the account holder is the
    subject, `by` the actor. Called inside the change's own transaction."""
    audit.record(
        action,
        "accounts.user",
        [user.pk],
        subject=user.pseudonym,
        detail=detail,
        request=request,
        actor=by,
    )


def issue_account(
    *,
    by,
    email,
    full_name,
    role,
    organisation,
    password=None,
    system=False,
    request=None,
    is_synthetic=False,
) -> User:
    """Create an account. `by` is the issuing user; `system=True` is only for the bootstrap of
    the first beheerder and for synthetic demo data, never reachable from a request."""
    email = User.objects.normalize_email(email).strip().lower()
    if not system:
        refusal = policies.issue_refusal(by, role, organisation)
        if refusal:
            raise AccountRefused(refusal)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Er bestaat al een account met dit e-mailadres."})
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        organisation=organisation,
        issued_by=by if by is not None and by.is_authenticated else None,
        is_synthetic=is_synthetic,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        # The new user sets a password through the reset e-mail; nothing usable until then.
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        record_user_change(
            user,
            f"account uitgegeven met rol {role}",
            by=by if by is not None and by.is_authenticated else None,
            request=request,
            action=AuditAction.CREATE,
        )
    return user


def regenerate_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new one-time codes."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def reset_second_factor(*, by, target, request=None) -> None:
    """The operator removes someone's 2FA devices and API tokens; the person enrols again at
    their next login. Audited (issue 2, SE-1)."""
    if not policies.can_reset_second_factor(by, target):
        raise AccountRefused("U mag de tweestapsverificatie van deze gebruiker niet herstellen.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        revoke_tokens(target)
        end_sessions(target)  # a session verified with the removed device ends with it
        record_user_change(
            target, "tweestapsverificatie hersteld door beheerder", by=by, request=request
        )


def set_active(*, by, target, active: bool, request=None) -> bool:
    """Disable or re-enable an account (audited). Disabling ends all its sessions and API tokens
    at once (accounts/sessions.py). Returns whether anything changed."""
    if not policies.can_set_active(by, target):
        raise AccountRefused("U mag dit account niet blokkeren of deblokkeren.")
    if target.is_active == active:
        return False
    with transaction.atomic():
        target.is_active = active
        target.save(update_fields=["is_active"])
        record_user_change(
            target,
            "account gedeblokkeerd" if active else "account geblokkeerd",
            by=by,
            request=request,
        )
    return True


def revoke_token(*, user, token_id) -> bool:
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
