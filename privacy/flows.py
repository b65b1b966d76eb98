"""The register of outgoing data flows (RI-9): every advice, report, export and verslag that
leaves its owner records to whom it went and on which legal basis, from the fixed list in
privacy.models.LegalBasis. Consent is never the basis for reporting to the employer or the
arbodienst; a flow on consent must name the machtiging it rests on."""

from django.db import transaction

from .models import NO_CONSENT_RECIPIENTS, DataFlow, LegalBasis, Recipient


class InvalidLegalBasis(ValueError):
    pass


def record_flow(
    *,
    kind: str,
    recipient: str,
    legal_basis: str,
    object_type: str,
    object_id,
    subject=None,
    actor=None,
    recipient_name: str = "",
    consent_ref: str = "",
) -> DataFlow:
    if legal_basis not in LegalBasis.values:
        raise InvalidLegalBasis(f"unknown legal basis {legal_basis!r}")
    if recipient not in Recipient.values:
        raise InvalidLegalBasis(f"unknown recipient {recipient!r}")
    if legal_basis == LegalBasis.TOESTEMMING and recipient in NO_CONSENT_RECIPIENTS:
        raise InvalidLegalBasis(
            "Toestemming is geen grondslag voor verstrekking aan werkgever of arbodienst (RI-9)."
        )
    if legal_basis == LegalBasis.TOESTEMMING and not consent_ref:
        raise InvalidLegalBasis("Een verstrekking op toestemming noemt haar machtiging.")
    actor_pseudonym = getattr(actor, "pseudonym", actor)
    with transaction.atomic():
        return DataFlow.objects.create(
            kind=kind,
            recipient=recipient,
            recipient_name=recipient_name[:200],
            legal_basis=legal_basis,
            subject=subject,
            actor=actor_pseudonym,
            object_type=object_type,
            object_id=str(object_id),
            consent_ref=consent_ref,
        )
