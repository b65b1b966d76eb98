"""Ending every session of an account at once (ASVS 5.0 7.4.2: disabling an account
terminates all its active sessions; 7.5.x: so does resetting its second factor).

Django's database session store keeps no index from user to session, and Django itself only
notices a disabled user lazily, on that session's next request. We end them eagerly by decoding
the live (unexpired) sessions and deleting those of the user. That is one pass over the live
sessions — a few per active user, because idle sessions expire after SESSION_COOKIE_AGE — on a
rare administrative event. django-user-sessions would give an index, but it replaces the session
backend and its admin for this one query; not worth it at this size (bench/README.md).

`User.save()` with `is_active` going from True to False ends the sessions and revokes the API
tokens, whatever path made the change: the beheerder's page, the admin, a shell.

`User.save()` of a newly set password revokes the API tokens too (issue 15, ASVS 5.0 7.4.x): the
change on /account/wachtwoord/, the reset link, `manage.py changepassword`, a shell. Django sends no
signal for it, but marks a password set with `set_password()` in `User._password` until `save()`
has passed it to the validators' `password_changed` hooks; a hash upgrade at login clears that mark
before saving ("Password hash upgrades shouldn't be considered password changes"), so logging in
never revokes anything. The sessions need nothing here: each carries a hash of the password and
ends at its next request (the page that changed it keeps its own, `update_session_auth_hash`).
Who changed it is audited where it is known, by the password pages (accounts/views.py).
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from .middleware import SESSION_LOGIN_AT
from .models import ApiToken


def seconds_left(request) -> int:
    """How long this session lives without another request: the idle expiry
    (SESSION_COOKIE_AGE, renewed by every request), or less when the absolute limit after login
    (SESSION_ABSOLUTE_SECONDS) comes first (SE-8). What the idle warning counts down from."""
    idle = settings.SESSION_COOKIE_AGE
    started = request.session.get(SESSION_LOGIN_AT)
    if started is None:
        return idle
    absolute = settings.SESSION_ABSOLUTE_SECONDS - (int(time.time()) - started)
    return max(0, min(idle, absolute))


def end_sessions(user, *, keep: str | None = None) -> int:
    """Delete every live session of `user` (except the session key `keep`); return how many."""
    pk = str(user.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.session_key != keep and session.get_decoded().get(SESSION_KEY) == pk
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def revoke_tokens(user) -> int:
    """Revoke every live API token of `user` at once; return how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _remember_deactivation(sender, instance, raw=False, **kwargs):
    instance._vk_deactivated = False
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    instance._vk_deactivated = was_active


def _end_access_of_deactivated(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_vk_deactivated", False):
        return
    end_sessions(instance)
    revoke_tokens(instance)
    instance._vk_deactivated = False


def _revoke_tokens_of_new_password(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return  # a new account has no tokens yet
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "password" not in update_fields:
        return  # a password set but not saved is no change
    new_password = getattr(instance, "_password", None) is not None
    if new_password or getattr(instance, "_vk_password_unusable", False):
        revoke_tokens(instance)
    instance._vk_password_unusable = False


def connect(user_model) -> None:
    pre_save.connect(_remember_deactivation, sender=user_model, dispatch_uid="vk-deactivate-pre")
    post_save.connect(
        _end_access_of_deactivated, sender=user_model, dispatch_uid="vk-deactivate-post"
    )
    post_save.connect(
        _revoke_tokens_of_new_password, sender=user_model, dispatch_uid="vk-password-tokens"
    )
