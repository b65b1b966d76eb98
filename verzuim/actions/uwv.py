"""The reports to UWV (RI-11, DG-2): the facts a report lacks, entered by HR at the field and
stored where they belong; the BSN shown in full as an audited read; and the submission recorded
with its date and UWV reference, which completes the Poortwachter step through
verzuim.actions.termijnen.complete_step (audit, the stored next deadline and the API stay one)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from accounts.errors import require
from accounts.models import Organisation
from core.validators import clean_loonheffingennummer
from privacy import audit
from privacy.models import AuditAction
from verzuim import deadlines, policies, uwv
from verzuim.models import HerstelKind, Werknemer, Ziekmelding

from . import termijnen
from . import werknemer as werknemer_actions
from . import ziekmelding as ziekmelding_actions
from .common import log_change

BSN_MESSAGE = "Dit is geen geldig burgerservicenummer (de 11-proef klopt niet)."


def _require_employer(by, zm) -> None:
    require(policies.can_file_ziekmelding(by) and zm.organisation_id == by.organisation_id)


def clean_bsn(value: str) -> str:
    try:
        return stdnum_bsn.validate(value or "")
    except StdnumError as error:
        raise ValidationError({"bsn": BSN_MESSAGE}) from error


def save_facts(
    *,
    by,
    ziekmelding,
    loonheffingennummer="",
    bsn="",
    vangnet=False,
    employment_end=None,
    recovered_on=None,
    request=None,
) -> bool:
    """RI-11: the facts a report to UWV lacks, each stored where it belongs: the
    loonheffingennummer on the employer, the BSN (encrypted, DG-2) on the employee, the vangnet
    yes (ZM-1: whether, never which) on the ziekmelding, the last day of employment through
    `end_employment`, the recovery through `record_herstel`. Only what is given is stored; every
    field is checked before anything is written, and all is written in one transaction."""
    _require_employer(by, ziekmelding)
    errors = {}
    if loonheffingennummer:
        try:
            loonheffingennummer = clean_loonheffingennummer(loonheffingennummer)
        except ValidationError as error:
            errors["loonheffingennummer"] = error.messages
    if bsn:
        try:
            bsn = clean_bsn(bsn)
        except ValidationError as error:
            errors.update(error.message_dict)
    if not any((loonheffingennummer, bsn, vangnet, employment_end, recovered_on)) and not errors:
        errors[NON_FIELD_ERRORS] = ["Vul ten minste één ontbrekend gegeven in."]
    if errors:
        raise ValidationError(errors)
    zm = ziekmelding
    with transaction.atomic():
        if loonheffingennummer:
            Organisation.objects.filter(pk=zm.organisation_id).update(
                loonheffingennummer=loonheffingennummer
            )
            log_change(AuditAction.UPDATE, zm, request, "loonheffingennummer werkgever", by=by)
        if bsn:
            Werknemer.objects.filter(pk=zm.werknemer_id).update(bsn=bsn, bsn_last3=bsn[-3:])
            log_change(AuditAction.UPDATE, zm.werknemer, request, "BSN vastgelegd", by=by)
        if vangnet:
            Ziekmelding.objects.filter(pk=zm.pk).update(
                vangnet=True, version=zm.version + 1, updated_at=timezone.now()
            )
            log_change(AuditAction.UPDATE, zm, request, "vangnetbepaling: ja", by=by)
            deadlines.refresh_next_deadline(zm)
        if employment_end:
            werknemer = Werknemer.objects.get(pk=zm.werknemer_id)
            werknemer_actions.end_employment(
                by=by, werknemer=werknemer, end_date=employment_end, request=request
            )
        if recovered_on:
            zm.refresh_from_db()
            try:
                ziekmelding_actions.record_herstel(
                    by=by,
                    ziekmelding=zm,
                    kind=HerstelKind.VOLLEDIG,
                    date=recovered_on,
                    request=request,
                )
            except ValidationError as error:  # its date is this page's "recovered_on"
                raise ValidationError(
                    {
                        ("recovered_on" if field == "date" else field): messages
                        for field, messages in error.message_dict.items()
                    }
                ) from error
    zm.refresh_from_db()
    return True


def reveal_bsn(*, by, prepared, request=None) -> None:
    """DG-2: the BSN is shown in full only on a report to UWV; every showing is audited as a read
    of the BSN, under the employee's pseudonym (as doelgroep's reveal is)."""
    _require_employer(by, prepared.zm)
    werknemer = prepared.zm.werknemer
    audit.record(
        AuditAction.READ,
        "verzuim.werknemer",
        [werknemer.pk],
        subject=werknemer.pseudonym,
        detail=f"BSN getoond ({prepared.report.title})",
        request=request,
        actor=by,
    )


def record_submission(*, by, ziekmelding, report, completed_on, proof, request=None):
    """RI-11: the report was made to UWV on `completed_on` (not after today, not before the
    case) with UWV's reference `proof`. Refused while the report lacks data or is not due for
    this case; completes the Poortwachter step (termijnen.complete_step)."""
    _require_employer(by, ziekmelding)
    prepared = uwv.prepare(report, ziekmelding)
    if not prepared.complete:
        raise ValidationError(
            "Vul eerst de ontbrekende gegevens in: "
            + ", ".join(item.label.lower() for item in prepared.missing)
            + "."
        )
    if prepared.deadline is None:
        raise ValidationError("Deze melding is voor dit verzuim niet aan de orde.")
    return termijnen.complete_step(
        by=by,
        ziekmelding=prepared.zm,
        key=report.key,
        occurrence=prepared.deadline.occurrence,
        completed_on=completed_on,
        proof=proof,
        confirmed=True,
        request=request,
    )
