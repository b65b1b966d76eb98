"""What a signature of an employer document is made of (RI-12): the canonical content, its
SHA-256, and the check code printed beside the signature. Pure functions; the action that signs
is reintegratie/actions/ondertekening.py, the reading side reintegratie/queries.py.

RI-12: each employer document of the re-integratieverslag — the plan van aanpak with every
evaluation and adjustment, the eerstejaarsevaluatie, the eindevaluatie, the employer's part of
the verslag — is signed (agreed or not) by employer and employee [RULES.md RI-12, after UWV's
re-integratieverslag: employer and employee fill in the plan van aanpak together
(uwv.nl/en/employers/forms/creating-an-action-plan-to-help-your-employee-return-to-work) and
sign the evaluations, the eindevaluatie included (xperthractueel.nl/verzuim/
stappenplan-re-integratieverslag: "Onderteken de evaluatie en het voorblad"); Regeling procesgang
eerste en tweede ziektejaar, art. 3: the employer records every document of the case].

The canonical serialisation (what exactly is hashed):
  UTF-8 bytes of ``json.dumps({"type": <document type>, "id": <pk>, "fields": {...}},
  sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` where ``fields`` holds every
  concrete field of the record itself under its attribute name (a foreign key as its id),
  except the bookkeeping listed in ``NOT_CONTENT`` (who saved it and when it was stored, the
  retention date, the Poortwachter bookkeeping, the moment the employee's copy was handed over).
  Dates and times are ISO 8601 (times in UTC), decimals and UUIDs strings, JSON as JSON.
  The rendered page or PDF is never hashed: a new template, font or page break does not break a
  signature, a change of one character of the content does.

The check code (16 characters, printed as four groups of four, base32 A–Z 2–7):
  the first 16 characters of base32(SHA-256("<content hash>|<signature id>|<role>|
  <signed at, ISO 8601 UTC>")) — the role, not the account: a removed account must not void
  it. No secret key on purpose: a keyed HMAC would make every printed code unverifiable after
  a rotation of SECRET_KEY, while the code needs no secrecy — it is the
  lookup key of the signature (80 bits, not guessable), bound to the hash it was made from, and
  recomputed at every verification so an altered stored hash or time shows as invalid.
"""

import hashlib
import json
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from . import policies
from .models import DocumentType, Evaluatie, PlanVanAanpak, PlanVersie, Reintegratieverslag

NOT_CONTENT = frozenset(
    {
        "keep_until",
        "created_by",
        "created_at",
        "updated_at",
        "saved_by",
        "generated_by",
        "given_to_employee_at",
        "deadline_key",
        "deadline_occurrence",
    }
)
CODE_LENGTH = 16
# As printed; a narrow table column may break the code after a dash, so a line break may follow.
CODE_PATTERN = re.compile(r"\b[A-Z2-7]{4}(?:-\s*[A-Z2-7]{4}){3}\b")
# What people mistype for a base32 letter (the alphabet has no 0, 1, 8).
_TYPOS = str.maketrans({"0": "O", "1": "I", "8": "B"})


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def content_fields(document) -> dict:
    return {
        field.attname: _plain(getattr(document, field.attname))
        for field in type(document)._meta.concrete_fields
        if field.name not in NOT_CONTENT and not isinstance(field, models.AutoField)
    }


def canonical(document_type: str, document) -> bytes:
    body = {"type": document_type, "id": document.pk, "fields": content_fields(document)}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(document_type: str, document) -> str:
    return hashlib.sha256(canonical(document_type, document)).hexdigest()


def check_code(*, content_hash: str, signature_id: int, role: str, signed_at: datetime) -> str:
    material = f"{content_hash}|{signature_id}|{role}|{_plain(signed_at)}"
    return b32encode(hashlib.sha256(material.encode()).digest()).decode()[:CODE_LENGTH]


def code_of(signature) -> str:
    return check_code(
        content_hash=signature.content_hash,
        signature_id=signature.pk,
        role=signature.role,
        signed_at=signature.signed_at,
    )


def show_code(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(typed: str) -> str:
    """What someone typed, as stored: without spaces or dashes, upper case, typos mended."""
    return re.sub(r"[\s\-]", "", typed or "").upper().translate(_TYPOS)


def codes_in_text(text: str) -> list[str]:
    return list(dict.fromkeys(normalise_code(m) for m in CODE_PATTERN.findall(text or "")))


# --- The documents that are signed ----------------------------------------------------------------
@dataclass(frozen=True)
class Document:
    """One signable version of an employer document."""

    type: str  # DocumentType value
    record: object  # PlanVersie, Evaluatie or Reintegratieverslag
    version: int
    is_current: bool  # a plan version that is no longer the plan's newest is not
    case_id: object
    werknemer: object
    organisation_id: int
    label: str


def describe(record) -> Document:
    """The signable document `record` is; a PlanVanAanpak stands for its newest version."""
    if isinstance(record, PlanVanAanpak):
        record = record.versies.get(number=record.version)
    if isinstance(record, PlanVersie):
        plan = record.plan
        return Document(
            DocumentType.PLANVERSIE,
            record,
            record.number,
            record.number == plan.version,
            plan.case_id,
            plan.werknemer,
            plan.organisation_id,
            f"Plan van aanpak, versie {record.number}",
        )
    if isinstance(record, Evaluatie):
        plan = record.plan
        # An evaluation is one version unless it carries a version of its own.
        version = getattr(record, "version", None) or 1
        return Document(
            DocumentType.EVALUATIE,
            record,
            version,
            True,
            plan.case_id,
            plan.werknemer,
            plan.organisation_id,
            f"{record.get_kind_display().capitalize()} van {record.date:%d-%m-%Y}",
        )
    if isinstance(record, Reintegratieverslag):
        return Document(
            DocumentType.VERSLAG,
            record,
            1,
            True,
            record.case_id,
            record.werknemer,
            record.organisation_id,
            f"Re-integratieverslag (deel werkgever) van {record.generated_at:%d-%m-%Y}",
        )
    raise TypeError(f"not a signable document: {type(record).__name__}")


def load(document_type: str, document_id: int):
    """The record a signature names, as stored now, or None (purged or removed)."""
    model = {
        DocumentType.PLANVERSIE: PlanVersie,
        DocumentType.EVALUATIE: Evaluatie,
        DocumentType.VERSLAG: Reintegratieverslag,
    }[document_type]
    return model.objects.filter(pk=document_id).first()


def signer_role(user, document: Document) -> str | None:
    if document.type == DocumentType.VERSLAG:
        return policies.signing_role(
            user,
            organisation_id=document.organisation_id,
            werknemer=document.werknemer,
            employer_roles=policies.DOSSIER_ROLES,
            employee_may=document.record.given_to_employee_at is not None,
        )
    return policies.signing_role(
        user, organisation_id=document.organisation_id, werknemer=document.werknemer
    )


MAX_PDF_PAGES = 500
MAX_CODES = 200


def codes_in_pdf(stream) -> list[str]:
    """The check codes printed in a PDF (its extracted text, read with pypdf). Raises ValueError
    for a file that is no readable PDF."""
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise ValueError("encrypted")
        text = "\n".join(page.extract_text() or "" for page in list(reader.pages)[:MAX_PDF_PAGES])
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(str(error)) from error
    return codes_in_text(text)[:MAX_CODES]
