"""Machtigingen (RI-9, AV-2): the company asks, the employee gives or refuses having read the
full text, may revoke at any time, and the company uses one only while it is in force."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from privacy import flows
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind, LegalBasis, Recipient
from reintegratie import policies
from reintegratie.models import Machtiging, MachtigingStatus

from ._common import log

MACHTIGING_TEXT_VERSION = "2026-11"
MACHTIGING_TEXT = (
    "Ik geef {requester} toestemming om bij {party} de volgende gegevens over mij op te vragen: "
    "{data}. Het doel is: {purpose}. Deze toestemming geldt van {start} tot en met {end}. "
    "Ik ben niet verplicht deze toestemming te geven; weigeren heeft geen nadelige gevolgen "
    "voor mij. Ik kan haar op elk moment intrekken, waarna er niets meer mag worden opgevraagd. "
    "Mijn werkgever krijgt deze gegevens niet."
)


def request_machtiging(
    *, by, trajectory, party, data_description, purpose, valid_from, valid_until, request=None
) -> Machtiging:
    require(policies.can_report(policies.trajectory_view(by, trajectory)))
    errors = {}
    for name, value in (
        ("party", party),
        ("data_description", data_description),
        ("purpose", purpose),
    ):
        if not (value or "").strip():
            errors[name] = "Dit veld is verplicht: een machtiging is specifiek."
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "De einddatum ligt vóór de begindatum."
    if valid_from and valid_until and (valid_until - valid_from).days > 366:
        errors["valid_until"] = "Een machtiging geldt hoogstens een jaar."
    if errors:
        raise ValidationError(errors)
    requester = trajectory.provider.name
    text = MACHTIGING_TEXT.format(
        requester=requester,
        party=party,
        data=data_description,
        purpose=purpose,
        start=valid_from.strftime("%d-%m-%Y"),
        end=valid_until.strftime("%d-%m-%Y"),
    )
    with transaction.atomic():
        machtiging = Machtiging.objects.create(
            werknemer=trajectory.werknemer,
            trajectory=trajectory,
            requested_by=by,
            requester_name=requester,
            party=party,
            data_description=data_description,
            purpose=purpose,
            valid_from=valid_from,
            valid_until=valid_until,
            text_version=MACHTIGING_TEXT_VERSION,
            full_text=text,
        )
        log(
            AuditAction.CREATE,
            machtiging,
            trajectory.werknemer,
            "machtiging gevraagd",
            by=by,
            request=request,
        )
    return machtiging


def decide_machtiging(*, by, machtiging, give: bool, request=None) -> Machtiging:
    """AV-2: the employee gives or refuses, having seen the full text; refusing has no
    consequence in the system."""
    require(policies.is_own_employee(by, machtiging.werknemer))
    status = MachtigingStatus.GEGEVEN if give else MachtigingStatus.GEWEIGERD
    with transaction.atomic():
        updated = Machtiging.objects.filter(
            pk=machtiging.pk, status=MachtigingStatus.GEVRAAGD
        ).update(status=status, decided_at=timezone.now())
        if not updated:
            raise ValidationError("Over deze machtiging is al beslist.")
        machtiging.refresh_from_db()
        toestemming.record(
            kind=ConsentKind.MACHTIGING,
            subject=machtiging.werknemer.pseudonym,
            by=by,
            given=give,
            text_version=machtiging.text_version,
            text=machtiging.full_text,
            scope=f"{machtiging.data_description} bij {machtiging.party} voor "
            f"{machtiging.requester_name}",
            obj=machtiging,
            valid_from=machtiging.valid_from,
            valid_until=machtiging.valid_until,
        )
        log(
            AuditAction.UPDATE,
            machtiging,
            machtiging.werknemer,
            f"machtiging {machtiging.get_status_display()} (tekstversie {machtiging.text_version})",
            by=by,
            request=request,
        )
    return machtiging


def revoke_machtiging(*, by, machtiging, request=None) -> bool:
    """AV-2: revocable at any time, with immediate effect."""
    require(policies.is_own_employee(by, machtiging.werknemer))
    with transaction.atomic():
        updated = Machtiging.objects.filter(
            pk=machtiging.pk, status=MachtigingStatus.GEGEVEN
        ).update(status=MachtigingStatus.INGETROKKEN, revoked_at=timezone.now())
        if updated:
            toestemming.withdraw(kind=ConsentKind.MACHTIGING, obj=machtiging)
            machtiging.refresh_from_db()
            log(
                AuditAction.UPDATE,
                machtiging,
                machtiging.werknemer,
                "machtiging ingetrokken",
                by=by,
                request=request,
            )
    return bool(updated)


def use_machtiging(*, by, machtiging, request=None):
    """RI-9: the company requests the data the machtiging covers — only while it is in force
    (given, not revoked, within its period). The flow is recorded on the consent basis."""
    trajectory = machtiging.trajectory
    require(trajectory is not None)
    require(policies.can_report(policies.trajectory_view(by, trajectory)))
    machtiging.refresh_from_db()
    if not machtiging.in_force:
        raise ValidationError(
            "Deze machtiging is niet (meer) van kracht: niet gegeven, ingetrokken of verlopen."
        )
    with transaction.atomic():
        log(
            AuditAction.EXPORT,
            machtiging,
            machtiging.werknemer,
            "gegevens opgevraagd op grond van machtiging",
            by=by,
            request=request,
        )
        return flows.record_flow(
            kind=f"opvragen bij {machtiging.party}: {machtiging.data_description}"[:64],
            recipient=Recipient.REINTEGRATIEBEDRIJF,
            recipient_name=machtiging.requester_name,
            legal_basis=LegalBasis.TOESTEMMING,
            object_type="reintegratie.machtiging",
            object_id=machtiging.pk,
            subject=machtiging.werknemer.pseudonym,
            actor=by,
            consent_ref=f"machtiging:{machtiging.pk}",
        )
