"""The documents' own records (RI-12, DG-2): the employee's BSN for the UWV documents, and the
employee's zienswijze on a document they disagree with.

- `record_uwv_bsn`: HR of the employee's organisation records the BSN (11-proef, DG-2) on the
  employee record (verzuim.Werknemer.bsn, encrypted, the one copy), audited without the number.
- `record_zienswijze`: the employee themself, on their own plan version, evaluation or verslag
  copy. Disagreement is recorded, never blocked (RI-12). The text is free: it is guarded like
  ZM-3 — the employer reads it, and medical data belongs with the bedrijfsarts, not here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from accounts.errors import require
from privacy.models import AuditAction
from reintegratie import policies
from reintegratie.models import DocumentKind, Zienswijze
from verzuim.models import Werknemer

from ._common import guard, log


def clean_bsn(value: str) -> str:
    try:
        return stdnum_bsn.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {"bsn": "Dit is geen geldig burgerservicenummer (de 11-proef klopt niet)."}
        ) from None


def record_uwv_bsn(*, by, werknemer, bsn, request=None):
    """DG-2: the BSN the documents for UWV need (RI-11, RI-12) — HR of the organisation. Kept on
    the employee record, where the reports to UWV (verzuim/uwv.py) read it too: one copy."""
    require(policies.can_keep_dossier(by, werknemer.organisation_id))
    bsn = clean_bsn(bsn)
    with transaction.atomic():
        Werknemer.objects.filter(pk=werknemer.pk).update(bsn=bsn, bsn_last3=bsn[-3:])
        werknemer.bsn, werknemer.bsn_last3 = bsn, bsn[-3:]
        log(
            AuditAction.UPDATE,
            werknemer,
            werknemer,
            "BSN voor UWV vastgelegd",
            by=by,
            request=request,
        )
    return werknemer


def record_zienswijze(
    *, by, kind, document_id, werknemer, case_id, organisation_id, version=None, text, request=None
) -> Zienswijze:
    """RI-12: the employee's own view on one of their documents. The caller found the document
    through the employee's own scope; the action checks the employee again."""
    require(policies.is_own_employee(by, werknemer))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Onbekend document."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Schrijf uw zienswijze op."})
    guard({"text": text}, ["text"])
    with transaction.atomic():
        item = Zienswijze.objects.create(
            case_id=case_id,
            werknemer=werknemer,
            organisation_id=organisation_id,
            document_kind=kind,
            document_id=document_id,
            document_version=version,
            text=text,
            created_by=by,
        )
        log(AuditAction.CREATE, item, werknemer, "zienswijze vastgelegd", by=by, request=request)
    return item
