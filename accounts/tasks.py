"""Periodic housekeeping (proves the Celery wiring from the start): expired sessions and API
tokens are removed. Idempotent and batched; safe to kill and re-run."""

from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken

BATCH = 1000
# Revoked and expired tokens stay visible on "mijn account" for a day, then go.
TOKEN_GRACE = timedelta(days=1)


def _delete_in_batches(queryset) -> int:
    total = 0
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not pks:
            return total
        total += queryset.model.objects.filter(pk__in=pks).delete()[0]


@shared_task(acks_late=True)
def cleanup_expired_credentials() -> dict:
    now = timezone.now()
    sessions = _delete_in_batches(Session.objects.filter(expire_date__lt=now))
    tokens = _delete_in_batches(
        ApiToken.objects.filter(
            Q(expires_at__lt=now - TOKEN_GRACE) | Q(revoked_at__lt=now - TOKEN_GRACE)
        )
    )
    return {"sessions": sessions, "tokens": tokens}
