"""Who may enter the medical module (MD-2 layer 1, MD-4). Only the bedrijfsarts assigned to the
employee's organisation, and a casemanager within an active delegation — never an employer
role, never the platform operator. And who may request an aanstellingskeuring (MD-7), decide
on its result, or send a note to the doctor (RI-5, RI-6).

Roles are asked through accounts.policies (`has_role`, `is_doctor_for`); nothing else in
medisch/ compares a role string."""

from django.utils import timezone

from accounts.policies import has_role, is_doctor_for
from accounts.roles import Role

DOSSIER_PARTS = ("consults", "adviezen", "documenten", "correspondentie")
KEURING_REQUESTER_ROLES = (Role.HR, Role.WERKGEVER)


def may_enter(user) -> bool:
    """Layer 1: only the medical roles reach medisch/ at all."""
    return has_role(user, Role.BEDRIJFSARTS, Role.CASEMANAGER)


def is_bedrijfsarts(user) -> bool:
    """A company doctor (of some organisation: `is_doctor_for` asks for a given one)."""
    return has_role(user, Role.BEDRIJFSARTS)


def is_casemanager(user) -> bool:
    """The doctor's delegate (MD-4): sees only what an active delegation names."""
    return has_role(user, Role.CASEMANAGER)


def is_werknemer(user) -> bool:
    """The employee — or the candidate of an aanstellingskeuring, who holds the same role (MD-7):
    their own medical report parts (RI-4) and their own exams."""
    return has_role(user, Role.WERKNEMER)


def may_send_trajectory_note(user) -> bool:
    """RI-5, RI-6: a re-integration consultant (the caller checks it is the trajectory's own)."""
    return has_role(user, Role.CONSULTANT)


def active_delegations(user, dossier):
    if not is_casemanager(user):
        return dossier.delegations.none()
    today = timezone.localdate()
    return dossier.delegations.filter(
        delegate_id=user.pk, revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
    )


def active_delegation(user, dossier):
    return active_delegations(user, dossier).order_by("pk").first()


def can_read_part(user, dossier, part) -> bool:
    if is_doctor_for(user, dossier.organisation_id):
        return True
    return any(part in d.parts for d in active_delegations(user, dossier))


def can_write(user, dossier) -> bool:
    """Recording consults and advice, and delegating, is the doctor's own work."""
    return is_doctor_for(user, dossier.organisation_id)


def may_request_keuring(user) -> bool:
    """MD-7: an employer user (hr, werkgever) of an organisation requests exams for it."""
    return bool(has_role(user, *KEURING_REQUESTER_ROLES) and user.organisation_id)
