"""Signing an employer document (RI-12): employer and employee sign each version of the plan van
aanpak, each evaluation and the employer's part of the re-integratieverslag, after a fresh
re-authentication (password and TOTP, accounts/reauth.py) of at most SIGN_REAUTH_SECONDS.

Stored: the document, its version, the SHA-256 of exactly the content signed
(reintegratie/signing.py), signer, role, time, agreed or not, and an optional remark (guarded
like ZM-3). Disagreement is recorded, never blocked. A signature needs a session that proved
itself just now, so it cannot be given through the API (a bearer token proves nothing fresh)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, require
from accounts.reauth import recently_authenticated, spend_proof
from privacy.models import AuditAction
from reintegratie import signing
from reintegratie.models import DocumentType, Ondertekening, PlanVanAanpak

from ._common import guard, log

# How fresh the proof must be: short, so a signature is given by the person at the screen now.
SIGN_REAUTH_SECONDS = 3 * 60


class ReauthenticationRequired(PermissionDenied):
    """No password and code proved in the last SIGN_REAUTH_SECONDS."""


def _locked(document: signing.Document) -> signing.Document:
    """The document as stored now, locked until the signature is written."""
    if document.type == DocumentType.PLANVERSIE:
        # A new version of the plan is made under this lock (actions/plan.py): the plan first.
        PlanVanAanpak.objects.select_for_update().get(pk=document.record.plan_id)
    record = type(document.record).objects.select_for_update().get(pk=document.record.pk)
    return signing.describe(record)


def sign(*, by, document, agreed: bool, remark="", seen_hash="", request=None) -> Ondertekening:
    """`document`: a PlanVanAanpak (its newest version), PlanVersie, Evaluatie or
    Reintegratieverslag. `seen_hash`: the hash of the content the signer was shown; if the
    document changed since, Conflict (they sign what they read, nothing else)."""
    described = signing.describe(document)
    role = signing.signer_role(by, described)
    require(role is not None)
    if request is None or not recently_authenticated(request, within=SIGN_REAUTH_SECONDS):
        raise ReauthenticationRequired
    remark = (remark or "").strip()
    guard({"remark": remark}, ["remark"])
    with transaction.atomic():
        current = _locked(described)
        digest = signing.content_hash(current.type, current.record)
        if not current.is_current or (seen_hash and seen_hash != digest):
            raise Conflict
        if Ondertekening.objects.filter(
            document_type=current.type,
            document_id=current.record.pk,
            content_hash=digest,
            signer=by,
        ).exists():
            raise ValidationError({"agreed": "U hebt deze versie al ondertekend."})
        signature = Ondertekening.objects.create(
            case_id=current.case_id,
            werknemer=current.werknemer,
            organisation_id=current.organisation_id,
            document_type=current.type,
            document_id=current.record.pk,
            document_version=current.version,
            content_hash=digest,
            signer=by,
            signer_name=by.full_name,
            role=role,
            agreed=agreed,
            remark=remark,
            signed_at=timezone.now(),
        )
        signature.check_code = signing.code_of(signature)
        signature.save(update_fields=["check_code"])
        log(
            AuditAction.CREATE,
            signature,
            current.werknemer,
            f"{current.label} ondertekend als {role}: {'akkoord' if agreed else 'niet akkoord'}",
            by=by,
            request=request,
        )
    # The proof is spent: the next signature asks for it again.
    spend_proof(request)
    return signature
