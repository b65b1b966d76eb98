"""State changes of the doctor's part of re-integration (RI-2, RI-4) and of what a
re-integration company sends to the doctor only (RI-5, RI-6). Each writes the medical rows
(medisch alias), their audit row (SE-7, without content) and the data-flow record (RI-9) in one
unit (unit.atomic_with_audit): never a medical change without its audit row, never a part
given to the employee without the record of that flow.

- Probleemanalyse (RI-2): the MEDICAL part stays in the medical module; the EMPLOYER part is an
  advice (actions.dossier.record_advies, MD-5). Recording marks the Poortwachter step
  "probleemanalyse" done for the case (RI-1).
- Samentelling around Wazo leave (ZM-5): the doctor's yes/no whether the sickness after the
  leave has the same cause; the employee's periods are re-chained at once (the employer learns
  only whether they are joined).
- Re-integratieverslag, medical part (RI-4): goes directly to the EMPLOYEE once delivered.
- Trajectnotitie (RI-5, RI-6): the company's detailed proposal or fuller report, to the doctor
  only; written through medisch/public.py by the trajectory's own consultant.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from medisch import policies
from medisch.models import Probleemanalyse, TrajectNotitie, VerslagMedischDeel, WazoOordeel
from medisch.notifications import verslag_part_delivered
from medisch.retention import touch_dossier
from privacy.models import AuditAction, Recipient
from verzuim.actions import termijnen
from verzuim.models import Verlof

from . import dossier as dossier_actions
from .unit import atomic_with_audit, log, record_poortwachter_flow

PROBLEEMANALYSE_KEY = "probleemanalyse"


def record_probleemanalyse_from_form(*, by, dossier, case, form, request=None):
    """The page and the API record from the same validated form (the advice fields plus the
    medical part)."""
    data = dict(form.cleaned_data)
    return record_probleemanalyse(
        by=by,
        dossier=dossier,
        case_id=case.case_id,
        date=data.pop("date"),
        medical_part=data.pop("medical_part"),
        release=data.pop("release"),
        request=request,
        **{k: v for k, v in data.items() if k != "confirm_terms"},
    )


def record_probleemanalyse(
    *, by, dossier, case_id, date, medical_part, release, request=None, **advice
) -> Probleemanalyse:
    """RI-2: the medical part here, the employer part as an advice (MD-5, released when
    `release`); marks the Poortwachter step "probleemanalyse" done for the case (RI-1)."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        # Nested: the advice, its audit row and its flow commit with the rest or not at all.
        advies = dossier_actions.record_advies(
            by=by,
            dossier=dossier,
            case_id=case_id,
            release=release,
            request=request,
            date=date,
            **advice,
        )
        analyse = Probleemanalyse.objects.create(
            dossier=dossier,
            case_id=case_id,
            date=date,
            medical_part=medical_part,
            advies=advies,
            created_by_id=by.pk,
        )
        log(
            AuditAction.CREATE,
            "medisch.probleemanalyse",
            analyse.pk,
            subject=dossier.subject,
            detail="probleemanalyse vastgelegd",
            request=request,
            by=by,
        )
        # RI-1: the doctor's record completes the doctor's step (never an employer button).
        termijnen.complete_by_document(
            by=by,
            case_id=case_id,
            key=PROBLEEMANALYSE_KEY,
            completed_on=date,
            proof="probleemanalyse van de bedrijfsarts",
            request=request,
        )
    return analyse


def record_wazo_oordeel(*, by, dossier, verlof_id, same_cause: bool, date, request=None):
    """ZM-5: the bedrijfsarts decides whether the sickness directly after a pregnancy and birth
    leave has the same cause as the sickness before it; if not, the periods are not joined.
    Recording re-chains the employee's periods and refreshes their deadlines (RI-1)."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    verlof = Verlof.objects.filter(pk=verlof_id, werknemer_id=dossier.werknemer_id).first()
    if verlof is None:
        raise ValidationError({"verlof": "Dit verlof hoort niet bij deze werknemer."})
    with atomic_with_audit():
        oordeel, _ = WazoOordeel.objects.update_or_create(
            verlof_id=verlof.pk,
            defaults={
                "dossier": dossier,
                "same_cause": same_cause,
                "date": date,
                "created_by_id": by.pk,
            },
        )
        touch_dossier(dossier.pk)
        log(
            AuditAction.UPDATE,
            "medisch.wazo_oordeel",
            oordeel.pk,
            subject=dossier.subject,
            detail="oordeel samentelling rond zwangerschaps- en bevallingsverlof",
            request=request,
            by=by,
        )
        termijnen.rechain(verlof.werknemer)
    return oordeel


def record_verslag_deel(
    *, by, dossier, case_id, date, text, deliver, request=None
) -> VerslagMedischDeel:
    """RI-4: the medical part of the re-integratieverslag; `deliver` gives it to the employee."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        deel = VerslagMedischDeel.objects.create(
            dossier=dossier,
            case_id=case_id,
            date=date,
            text=text,
            delivered_at=timezone.now() if deliver else None,
            created_by_id=by.pk,
        )
        touch_dossier(dossier.pk)
        log(
            AuditAction.CREATE,
            "medisch.reintegratieverslag",
            deel.pk,
            subject=dossier.subject,
            detail="medisch deel re-integratieverslag vastgelegd"
            + (" en aan de werknemer gegeven" if deliver else " (nog niet gegeven)"),
            request=request,
            by=by,
        )
        if deliver:
            _record_verslag_flow(deel, dossier, by)
    return deel


def _record_verslag_flow(deel, dossier, by):
    """RI-4, RI-9: the medical part goes directly to the employee, who is told (both ways of
    giving it come through here)."""
    verslag_part_delivered(deel)
    record_poortwachter_flow(
        kind="medisch deel re-integratieverslag",
        recipient=Recipient.WERKNEMER,
        object_type="medisch.reintegratieverslag",
        object_id=deel.pk,
        subject=dossier.subject,
        by=by,
    )


def deliver_verslag_deel(*, by, deel, request=None) -> bool:
    """RI-4: give a verslag part recorded without "Direct aan de werknemer geven" to the
    employee after all. False when it was already given (nothing changes)."""
    dossier = deel.dossier
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    now = timezone.now()
    with atomic_with_audit():
        given = VerslagMedischDeel.objects.filter(pk=deel.pk, delivered_at__isnull=True).update(
            delivered_at=now
        )
        if not given:
            return False
        touch_dossier(dossier.pk, now)
        log(
            AuditAction.UPDATE,
            "medisch.reintegratieverslag",
            deel.pk,
            subject=dossier.subject,
            detail="medisch deel re-integratieverslag aan de werknemer gegeven",
            request=request,
            by=by,
        )
        _record_verslag_flow(deel, dossier, by)
    return True


def send_trajectory_note(
    *, by, werknemer, trajectory_id, provider_name, kind, text, request=None
) -> TrajectNotitie:
    """RI-5, RI-6: store the company's detailed proposal or fuller report in the medical module,
    for the doctor of the employee's organisation only. The caller (reintegratie.actions through
    medisch.public) has checked that `by` is the trajectory's own consultant; this checks the
    role again."""
    if not policies.may_send_trajectory_note(by):
        raise PermissionDenied
    if kind not in TrajectNotitie.Kind.values:
        raise ValidationError({"kind": "Onbekende soort."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vul de inhoud in."})
    with atomic_with_audit():
        note = TrajectNotitie.objects.create(
            werknemer_id=werknemer.pk,
            organisation_id=werknemer.organisation_id,
            trajectory_id=trajectory_id,
            provider_name=provider_name,
            kind=kind,
            text=text,
            created_by_id=by.pk,
        )
        log(
            AuditAction.CREATE,
            "medisch.trajectnotitie",
            note.pk,
            subject=werknemer.pseudonym,
            detail=f"{note.get_kind_display()} aan de bedrijfsarts gestuurd",
            request=request,
            by=by,
        )
        record_poortwachter_flow(
            kind=note.get_kind_display(),
            recipient=Recipient.ARBODIENST,
            object_type="medisch.trajectnotitie",
            object_id=note.pk,
            subject=werknemer.pseudonym,
            by=by,
        )
    return note
