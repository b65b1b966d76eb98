"""DG-1, DG-2: the doelgroepregister check of a werknemer or an applicant (kandidaat), and the
BSN — validated by the 11-proef, stored encrypted, shown in full only on an audited request."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from accounts.errors import require
from doelgroep.models import CheckedVia, Kandidaat, Registercheck
from privacy.medical_guard import guard_fields
from privacy.models import AuditAction

from .common import log, require_gate, require_own_organisation


def clean_bsn(value: str) -> str:
    """DG-2: the 11-proef (python-stdnum); the compact nine digits, or a field error."""
    try:
        return stdnum_bsn.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {"bsn": "Dit is geen geldig burgerservicenummer (de 11-proef klopt niet)."}
        ) from None


def create_kandidaat(*, by, name, reference="", request=None) -> Kandidaat:
    """DG-1, MD-7: an applicant is a name and the employer's own reference, nothing about health
    (no reason for being in the register, no health questions): the free-text reference is
    guarded (ZM-3)."""
    require_gate(by)
    guard_fields({"reference": reference}, ["reference"])
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Vul de naam in."})
    with transaction.atomic():
        kandidaat = Kandidaat.objects.create(
            organisation_id=by.organisation_id, name=name, reference=reference
        )
        log(
            AuditAction.CREATE,
            kandidaat,
            kandidaat.pseudonym,
            "sollicitant",
            by=by,
            request=request,
        )
    return kandidaat


def record_registercheck(
    *,
    by,
    in_register,
    checked_on,
    checked_via,
    bsn="",
    werknemer=None,
    kandidaat=None,
    request=None,
) -> Registercheck:
    """DG-1: whether the person is in the register, when and how it was checked — no reason."""
    require_gate(by)
    subject = werknemer or kandidaat
    require(subject is not None and (werknemer is None or kandidaat is None))
    require_own_organisation(by, subject.organisation_id)
    errors = {}
    if checked_on and checked_on > timezone.localdate():
        errors["checked_on"] = "De controledatum ligt in de toekomst."
    if checked_via == CheckedVia.LOONHEFFINGENNUMMER and werknemer is None:
        errors["checked_via"] = (
            "Met het loonheffingennummer controleert u alleen huidige werknemers; gebruik voor "
            "een sollicitant het burgerservicenummer."
        )
    if errors:
        raise ValidationError(errors)
    if checked_via == CheckedVia.BSN:
        bsn = clean_bsn(bsn)
    else:
        bsn = ""
    with transaction.atomic():
        check, _ = Registercheck.objects.update_or_create(
            werknemer=werknemer,
            kandidaat=kandidaat,
            defaults={
                "organisation_id": subject.organisation_id,
                "in_register": in_register,
                "checked_on": checked_on,
                "checked_via": checked_via,
                "bsn": bsn,
                "bsn_last3": bsn[-3:] if bsn else "",
                "recorded_by": by,
            },
        )
        log(
            AuditAction.UPDATE,
            check,
            subject.pseudonym,
            "controle doelgroepregister vastgelegd",
            by=by,
            request=request,
        )
    return check


def reveal_bsn(*, by, check, request=None) -> str:
    """DG-2: the full BSN, only on an explicit, audited request."""
    require_gate(by)
    require_own_organisation(by, check.organisation_id)
    subject = check.werknemer or check.kandidaat
    log(AuditAction.READ, check, subject.pseudonym, "BSN getoond", by=by, request=request)
    return check.bsn
