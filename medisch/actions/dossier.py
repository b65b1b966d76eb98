"""State changes of the medical dossier (MD-1, MD-4, MD-5): opening it, consults, the doctor's
advice to the employer and delegations to a casemanager. Atomic with their audit row (SE-7) and
any data-flow record (RI-9), through unit.atomic_with_audit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Organisation
from accounts.policies import is_doctor_for
from medisch import policies
from medisch.models import Advies, AdviesKind, Consult, Delegation, Dossier
from medisch.notifications import advice_released
from medisch.retention import touch_dossier
from privacy.medical_guard import find_medical_terms
from privacy.models import AuditAction, Recipient
from verzuim.actions import termijnen

from .unit import atomic_with_audit, log, record_poortwachter_flow

# The advice's free text the employer reads (MD-5), checked for medical words before release.
ADVICE_TEXT_FIELDS = ("limitations", "capabilities", "adjustments")


def open_dossier(*, by, werknemer, request=None) -> Dossier:
    if not is_doctor_for(by, werknemer.organisation_id):
        raise PermissionDenied
    with atomic_with_audit():
        dossier, created = Dossier.objects.get_or_create(
            werknemer_id=werknemer.pk,
            defaults={
                "organisation_id": werknemer.organisation_id,
                "subject": werknemer.pseudonym,
                "opened_by_id": by.pk,
            },
        )
        if created:
            log(
                AuditAction.CREATE,
                "medisch.dossier",
                dossier.pk,
                subject=dossier.subject,
                detail="medisch dossier geopend",
                request=request,
                by=by,
            )
    return dossier


def record_consult(*, by, dossier, request=None, **data) -> Consult:
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        consult = Consult.objects.create(dossier=dossier, created_by_id=by.pk, **data)
        touch_dossier(dossier.pk)
        log(
            AuditAction.CREATE,
            "medisch.consult",
            consult.pk,
            subject=dossier.subject,
            detail="consult vastgelegd",
            request=request,
            by=by,
        )
    return consult


def record_advies_from_form(*, by, dossier, case, form, request=None) -> Advies:
    """The page and the API record from the same validated AdviesForm."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("release", "confirm_terms")}
    return record_advies(
        by=by,
        dossier=dossier,
        case_id=case.case_id,
        release=form.cleaned_data["release"],
        request=request,
        **data,
    )


def record_advies(*, by, dossier, case_id, release, request=None, **data) -> Advies:
    """MD-5: the advice, recorded as a concept; with `release` it is released at once through
    `release_advies` (the one way an advice reaches the employer and the employee). The caller
    has had the doctor confirm any flagged words (AdviesForm), hence `confirm_terms=True`."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        advies = Advies.objects.create(
            dossier=dossier, case_id=case_id, created_by_id=by.pk, released_at=None, **data
        )
        touch_dossier(dossier.pk)
        log(
            AuditAction.CREATE,
            "medisch.advies",
            advies.pk,
            subject=dossier.subject,
            detail="advies aan werkgever vastgelegd" if release else "advies (concept) vastgelegd",
            request=request,
            by=by,
        )
        if release:
            release_advies(by=by, advies=advies, confirm_terms=True, request=request)
        if advies.kind == AdviesKind.ACTUEEL_OORDEEL:
            # RI-1, week 91: the doctor's actueel oordeel completes the doctor's step.
            termijnen.complete_by_document(
                by=by,
                case_id=case_id,
                key="actueel_oordeel",
                completed_on=advies.date,
                proof="actueel oordeel van de bedrijfsarts",
                request=request,
            )
    return advies


def flagged_terms(advies) -> list[str]:
    """The words in the advice's free text that look medical (the ZM-3 vocabulary), sorted."""
    found = []
    for field in ADVICE_TEXT_FIELDS:
        found += find_medical_terms(getattr(advies, field) or "")
    return sorted(set(found))


def release_advies(*, by, advies, confirm_terms=False, request=None) -> bool:
    """MD-5: release a concept advice to the employer and the employee — the only way an advice
    crosses to the employer side (medisch.public reads released advice only). The doctor's own
    work; words that look medical must be confirmed first, as at recording (AdviesForm). Audited
    like the recording (SE-7) and recorded as a data flow on the Poortwachter basis (RI-9).
    Returns False when it was already released (nothing changes, nothing is logged).

    HR is told there is an advice to read (`advice_released`, queued on commit): both the page
    and the API call this action, and so does record_advies with "direct vrijgeven"."""
    dossier = advies.dossier
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    flagged = flagged_terms(advies)
    if flagged and not confirm_terms:
        words = ", ".join(f'"{w}"' for w in flagged)
        raise ValidationError(
            {
                "confirm_terms": f"Dit advies bevat woorden die op medische gegevens lijken: "
                f"{words}. Bevestig dat het geen diagnose, klachten of behandeling bevat, of "
                f"leg een nieuw advies vast zonder die woorden."
            }
        )
    with atomic_with_audit():
        released_at = timezone.now()
        updated = Advies.objects.filter(pk=advies.pk, released_at__isnull=True).update(
            released_at=released_at
        )
        if not updated:
            return False
        advies.released_at = released_at
        touch_dossier(dossier.pk)
        log(
            AuditAction.UPDATE,
            "medisch.advies",
            advies.pk,
            subject=dossier.subject,
            detail="advies aan werkgever vrijgegeven",
            request=request,
            by=by,
        )
        record_advice_flow(advies, dossier, by)
        advice_released(advies)
    return True


def record_advice_flow(advies, dossier, by):
    """RI-9: the released advice goes to the employer on the Poortwachter basis."""
    record_poortwachter_flow(
        # MD-5 (named in words in the text people read)
        kind="advies bedrijfsarts",
        recipient=Recipient.WERKGEVER,
        object_type="medisch.advies",
        object_id=advies.pk,
        subject=dossier.subject,
        by=by,
        recipient_name=Organisation.objects.filter(pk=dossier.organisation_id)
        .values_list("name", flat=True)
        .first()
        or "",
    )


def delegate(*, by, dossier, delegate, parts, valid_from, valid_until, request=None):
    """MD-4: recorded and audited; only to a casemanager, only for known parts."""
    if not policies.can_write(by, dossier) or not policies.is_casemanager(delegate):
        raise PermissionDenied
    parts = [p for p in parts if p in policies.DOSSIER_PARTS]
    with atomic_with_audit():
        delegation = Delegation.objects.create(
            dossier=dossier,
            delegate_id=delegate.pk,
            parts=parts,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by_id=by.pk,
        )
        log(
            AuditAction.CREATE,
            "medisch.delegatie",
            delegation.pk,
            subject=dossier.subject,
            detail=f"taakdelegatie aan casemanager ({', '.join(parts)})",
            request=request,
            by=by,
        )
    return delegation


def revoke_delegation(*, by, delegation, request=None):
    if not policies.can_write(by, delegation.dossier):
        raise PermissionDenied
    with atomic_with_audit():
        revoked = Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            return
        log(
            AuditAction.UPDATE,
            "medisch.delegatie",
            delegation.pk,
            subject=delegation.dossier.subject,
            detail="taakdelegatie ingetrokken",
            request=request,
            by=by,
        )
