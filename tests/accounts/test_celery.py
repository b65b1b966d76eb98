"""The Celery wiring (issue 2): a real worker on the real broker (Redis in CI) runs the periodic
cleanup task, which removes expired sessions and tokens and keeps live ones."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tasks import cleanup_expired_credentials
from config.celery import app


@pytest.fixture(scope="module")
def celery_worker():
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as worker:
        yield worker


def test_cleanup_task_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-cleanup-expired-credentials"]
    assert entry["task"] == cleanup_expired_credentials.name


@pytest.mark.django_db(transaction=True)
def test_worker_removes_expired_sessions_and_tokens(celery_worker, make_user):
    user = make_user(Role.HR)
    device = user.totpdevice_set.get()
    live_session = SessionStore()
    live_session["x"] = 1
    live_session.create()
    old_session = SessionStore()
    old_session.create()
    Session.objects.filter(session_key=old_session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    live_token, _ = ApiToken.issue(user, device)
    old_token, _ = ApiToken.issue(user, device)
    ApiToken.objects.filter(pk=old_token.pk).update(expires_at=timezone.now() - timedelta(days=2))

    result = cleanup_expired_credentials.delay().get(timeout=30)

    assert result == {"sessions": 1, "tokens": 1}
    assert Session.objects.filter(session_key=live_session.session_key).exists()
    assert not Session.objects.filter(session_key=old_session.session_key).exists()
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live_token.pk]
    # Idempotent: a second run finds nothing more to do.
    assert cleanup_expired_credentials.delay().get(timeout=30) == {"sessions": 0, "tokens": 0}
