"""Noodinformatie (ZM-4): what the employee, on their own initiative, wants colleagues to know
in an emergency; recorded with the employee's consent, withdrawn (and deleted) at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind
from verzuim import policies
from verzuim.models import Noodinformatie

from .common import log_change

NOODINFORMATIE_CONSENT_VERSION = "2026-11"
NOODINFORMATIE_CONSENT_TEXT = (
    "Ik geef deze informatie uit eigen beweging, zodat collega's in een noodgeval weten wat ze "
    "moeten doen. Mijn werkgever mag precies deze tekst vastleggen en tonen aan collega's die "
    "dat nodig hebben. Ik kan haar op elk moment intrekken; dan wordt ze direct verwijderd."
)


def save_noodinformatie(*, by, werknemer, text, request=None) -> Noodinformatie:
    require(policies.can_write_noodinformatie(by, werknemer))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vul in wat collega's in een noodgeval moeten weten."})
    with transaction.atomic():
        info, _ = Noodinformatie.objects.update_or_create(
            werknemer=werknemer,
            defaults={
                "text": text,
                "consent_text_version": NOODINFORMATIE_CONSENT_VERSION,
                "consent_text": NOODINFORMATIE_CONSENT_TEXT,
                "confirmed_at": timezone.now(),
            },
        )
        log_change(
            AuditAction.UPDATE, werknemer, request, "noodinformatie bevestigd door werknemer", by=by
        )
        toestemming.record(
            kind=ConsentKind.NOODINFORMATIE,
            subject=werknemer.pseudonym,
            by=by,
            given=True,
            text_version=NOODINFORMATIE_CONSENT_VERSION,
            text=NOODINFORMATIE_CONSENT_TEXT,
            scope="deze noodinformatie, voor collega's die haar in een noodgeval nodig hebben",
            obj=info,
        )
    return info


def withdraw_noodinformatie(*, by, werknemer, request=None) -> bool:
    require(policies.can_write_noodinformatie(by, werknemer))
    with transaction.atomic():
        info = Noodinformatie.objects.filter(werknemer=werknemer).first()
        if info is not None:
            toestemming.withdraw(kind=ConsentKind.NOODINFORMATIE, obj=info)
        deleted, _ = Noodinformatie.objects.filter(werknemer=werknemer).delete()
        if deleted:
            log_change(
                AuditAction.DELETE,
                werknemer,
                request,
                "noodinformatie ingetrokken en verwijderd",
                by=by,
            )
    return bool(deleted)
