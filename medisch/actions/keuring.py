"""State changes of the aanstellingskeuring (MD-7): the employer's request, the doctor's record
and the candidate's decision (AV-2). Each writes the exam (medisch alias), its audit row (SE-7,
as "medisch.keuring", subject = the candidate's pseudonym, without content) and any consent
record (AV-2) in one unit (unit.atomic_with_audit): never an exam changed without its audit
row.

The employer and the candidate reach these through medisch/public.py (request_keuring,
decide_keuring); the doctor through the pages and the API."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.policies import is_doctor_for
from accounts.roles import Role
from medisch import policies
from medisch.models import Keuring
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind

from .unit import atomic_with_audit, log

KEURING_JUSTIFICATION_MIN = 20
KEURING_CONSENT_VERSION = "2026-11"
KEURING_CONSENT_TEXT = (
    "Ik geef toestemming dat de werkgever alleen de conclusie van mijn aanstellingskeuring "
    "(geschikt of niet geschikt) te horen krijgt, nooit de bevindingen. Ik kan dit op elk "
    "moment intrekken."
)


def _log(action, keuring, detail, request, by):
    log(
        action,
        "medisch.keuring",
        keuring.pk,
        subject=keuring.subject,
        detail=detail,
        request=request,
        by=by,
    )


def _record_consent(keuring, by, *, given, scope):
    toestemming.record(
        kind=ConsentKind.KEURING,
        subject=keuring.subject,
        by=by,
        given=given,
        text_version=KEURING_CONSENT_VERSION,
        text=KEURING_CONSENT_TEXT,
        scope=scope,
        obj=keuring,
    )


def request_keuring(*, by, candidate_email, function, justification, aspects, request=None):
    """MD-7: an employer user (hr, werkgever) requests an exam for a werknemer-role user of their
    own organisation — only with a recorded justification of the job's special medical
    requirements and the aspects to examine. Refusals are ValidationErrors per field."""
    if not policies.may_request_keuring(by):
        raise PermissionDenied
    errors = {}
    function = (function or "").strip()
    justification = (justification or "").strip()
    aspects = (aspects or "").strip()
    candidate = None
    email = (candidate_email or "").strip()
    if not email:
        errors["candidate_email"] = "Vul het e-mailadres van de kandidaat in."
    else:
        candidate = User.objects.filter(
            email__iexact=email,
            role=Role.WERKNEMER,
            organisation_id=by.organisation_id,
            is_active=True,
        ).first()
        if candidate is None:
            errors["candidate_email"] = (
                "Er is geen kandidaat met dit e-mailadres bij uw organisatie. De kandidaat "
                "heeft eerst een account nodig (aan te vragen bij de arbodienst)."
            )
    if not function:
        errors["function"] = "Vul de functie in waarvoor de kandidaat solliciteert."
    if len(justification) < KEURING_JUSTIFICATION_MIN:
        errors["justification"] = (
            "Een aanstellingskeuring mag alleen als de functie bijzondere eisen stelt aan de "
            "medische geschiktheid. Beschrijf die eisen (ten minste "
            f"{KEURING_JUSTIFICATION_MIN} tekens)."
        )
    if not aspects:
        errors["aspects"] = (
            "Vul in welke aspecten onderzocht worden (alleen die van de functie-eisen)."
        )
    if errors:
        raise ValidationError(errors)
    with atomic_with_audit():
        keuring = Keuring.objects.create(
            organisation_id=by.organisation_id,
            candidate_id=candidate.pk,
            subject=candidate.pseudonym,
            function=function,
            justification=justification,
            aspects=aspects,
            requested_by_id=by.pk,
        )
        _log(AuditAction.CREATE, keuring, "aanstellingskeuring aangevraagd", request, by)
    return keuring


def record_keuring(*, by, keuring, findings, conclusion, request=None) -> bool:
    """Record the exam once (MD-7): only the bedrijfsarts assigned to the requesting
    organisation (else Http404, as the pages answer). False when it was already recorded
    (nothing changes)."""
    if not is_doctor_for(by, keuring.organisation_id):
        raise Http404
    with atomic_with_audit():
        locked = (
            Keuring.objects.select_for_update()
            .filter(pk=keuring.pk, examined_at__isnull=True)
            .first()
        )
        if locked is None:
            return False
        locked.findings = findings
        locked.conclusion = conclusion
        locked.examined_by_id = by.pk
        locked.examined_at = timezone.now()
        locked.save(update_fields=["findings", "conclusion", "examined_by", "examined_at"])
        _log(AuditAction.UPDATE, keuring, "aanstellingskeuring vastgelegd", request, by)
    return True


def decide_keuring(*, by, keuring_id, share: bool | None, request=None) -> None:
    """MD-7, AV-2: the candidate alone decides, once the exam was performed, whether the employer
    learns "geschikt / niet geschikt". Consent is revocable at any time with immediate effect
    (AV-2): "delen" can be withdrawn to "niet_delen"; a refusal is final for this exam (a new
    exam is a new request). Somebody else's (or a missing) exam answers Http404; a decision that
    is not (or no longer) possible a ValidationError."""
    if not policies.is_werknemer(by):
        raise Http404
    keuring = Keuring.objects.filter(pk=keuring_id, candidate_id=by.pk).first()
    if keuring is None:
        raise Http404
    if share not in (True, False):  # e.g. a form posted without a choice
        raise ValidationError("Kies of u de uitslag deelt met de werkgever of niet.")
    if keuring.examined_at is None:
        raise ValidationError("De keuring is nog niet uitgevoerd; er is nog niets te beslissen.")
    # Open → delen/niet_delen; delen → niet_delen (withdrawal). Nothing else.
    allowed_from = [""] if share else ["", "delen"]
    with atomic_with_audit():
        updated = Keuring.objects.filter(
            pk=keuring.pk, candidate_decision__in=allowed_from, examined_at__isnull=False
        ).update(candidate_decision="delen" if share else "niet_delen", decided_at=timezone.now())
        if not updated:
            raise ValidationError("U hebt over deze keuring al beslist.")
        _log(
            AuditAction.UPDATE,
            keuring,
            "kandidaat deelt de conclusie met de werkgever"
            if share
            else "kandidaat deelt de uitslag niet",
            request,
            by,
        )
        # `keuring` still holds the decision before this one.
        if share:
            _record_consent(
                keuring,
                by,
                given=True,
                scope="de conclusie (geschikt / niet geschikt) voor de functie "
                f"{keuring.function}, aan de werkgever die de keuring aanvroeg",
            )
        elif keuring.candidate_decision == "delen":
            toestemming.withdraw(kind=ConsentKind.KEURING, obj=keuring)
        else:
            _record_consent(
                keuring, by, given=False, scope=f"de conclusie voor de functie {keuring.function}"
            )
