"""Periodic housekeeping (proves the Celery wiring from the start): expired sessions and API
tokens are removed. Idempotent and batched; safe to kill and re-run. And the e-mail of a
notification (accounts.notifications), sent once."""

from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import notifications
from .models import ApiToken, Notification

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


@shared_task(acks_late=True)
def send_notification_mail(notification_id: int) -> str:
    """The e-mail of one notification (accounts.notifications), once: the row is locked and
    sent only while pending, and marked in the same transaction — a retried or doubled task finds
    it sent. If sending fails the mark rolls back and a retry sends it."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if row is None:
            return "gone"
        if row.mail != Notification.Mail.PENDING:
            return "done"
        recipient = row.recipient
        if not recipient.is_active or not notifications.wants_email(recipient, row.kind):
            row.mail = Notification.Mail.OFF
            row.save(update_fields=["mail"])
            return "off"
        send_mail(notifications.SUBJECT, notifications.mail_body(row), None, [recipient.email])
        row.mail = Notification.Mail.SENT
        row.mailed_at = timezone.now()
        row.save(update_fields=["mail", "mailed_at"])
    return "sent"
