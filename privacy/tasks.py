"""AV-4: signal the operators before the 72-hour clock of a data breach runs out. Hourly,
idempotent (one signal per breach, recorded in signal_sent_at)."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from .breaches import ap_deadline, due_for_signal
from .models import Datalek


@shared_task(acks_late=True)
def signal_breach_deadlines() -> int:
    from accounts.models import User

    operators = list(
        User.objects.filter(role="beheerder", is_active=True).values_list("email", flat=True)
    )
    sent = 0
    for breach in due_for_signal(Datalek.objects.all()):
        updated = Datalek.objects.filter(pk=breach.pk, signal_sent_at__isnull=True).update(
            signal_sent_at=timezone.now()
        )
        if not updated or not operators:
            continue
        deadline = timezone.localtime(ap_deadline(breach))
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
