"""AV-4: signal the operators before the 72-hour clock of a data breach runs out. Hourly,
idempotent (one signal per breach, recorded in signal_sent_at). SE-7: chain the audit log every
few seconds, and make its monthly partitions ahead of time, daily (privacy/partitions.py)."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from . import audit, partitions, queries
from .actions import datalek as datalek_actions
from .actions import verzoek as verzoek_actions
from .models import Datalek, Verzoek


@shared_task(acks_late=True, ignore_result=True)
def chain_audit_log() -> int:
    """SE-7 (NEN 7513): give the audit rows appended since the last run their place in the hash
    chain. Idempotent and safe to kill: a run that dies leaves the rows for the next one."""
    return audit.chain_pending()


@shared_task(acks_late=True, ignore_result=True)
def prepare_audit_partitions() -> int:
    """SE-7: make the audit log's monthly partitions AUDIT_PARTITIONS_AHEAD months ahead
    (privacy/partitions.py); daily, idempotent. Answers how many it made."""
    return partitions.ensure()


@shared_task(acks_late=True)
def signal_breach_deadlines() -> int:
    operators = queries.operator_emails()
    sent = 0
    for breach in queries.due_for_signal(Datalek.objects.all()):
        updated = Datalek.objects.filter(pk=breach.pk, signal_sent_at__isnull=True).update(
            signal_sent_at=timezone.now()
        )
        if not updated or not operators:
            continue
        deadline = timezone.localtime(datalek_actions.ap_deadline(breach))
        send_mail(
            f"Datalek: melding aan de AP uiterlijk {deadline:%d-%m-%Y %H:%M}",
            f"Het datalek '{breach.title}' is nog niet gemeld aan de Autoriteit "
            f"Persoonsgegevens. De termijn van 72 uur na ontdekking loopt af op "
            f"{deadline:%d-%m-%Y %H:%M}. Beoordeel en meld het datalek in het register.",
            None,
            operators,
        )
        sent += 1
    return sent


@shared_task(acks_late=True)
def signal_request_deadlines() -> int:
    """AV-3: e-mail the operators once per request (once more after an extension) when its
    deadline is within 7 days or has passed. Daily, idempotent (signal_sent_at)."""
    operators = queries.operator_emails()
    sent = 0
    for verzoek in queries.due_soon(Verzoek.objects.filter(signal_sent_at__isnull=True)):
        updated = Verzoek.objects.filter(pk=verzoek.pk, signal_sent_at__isnull=True).update(
            signal_sent_at=timezone.now()
        )
        if not updated or not operators:
            continue
        due = verzoek_actions.due_date(verzoek)
        # No name in the mail: the request is identified by number; details are in the register.
        send_mail(
            f"Verzoek van een betrokkene: beantwoorden uiterlijk {due:%d-%m-%Y}",
            f"Verzoek nr. {verzoek.pk} ({verzoek.get_kind_display()}), ontvangen op "
            f"{verzoek.received_on:%d-%m-%Y}, moet uiterlijk {due:%d-%m-%Y} zijn beantwoord "
            f"({verzoek_actions.countdown(verzoek)}). Handel het af, verleng (alleen met bericht "
            "binnen de eerste maand) of weiger met reden in het register van verzoeken.",
            None,
            operators,
        )
        sent += 1
    return sent
