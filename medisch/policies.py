"""Who may enter the medical module (MD-2 layer 1, MD-4). Only the bedrijfsarts assigned to the
employee's organisation, and a casemanager within an active delegation — never an employer
role, never the platform operator. And who may request an aanstellingskeuring (MD-7)."""

from django.utils import timezone

from accounts.models import Assignment
from accounts.roles import Role

DOSSIER_PARTS = ("consults", "adviezen", "documenten", "correspondentie")
KEURING_REQUESTER_ROLES = (Role.HR, Role.WERKGEVER)


def is_doctor_for(user, organisation_id) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.BEDRIJFSARTS
        and Assignment.objects.filter(user=user, organisation_id=organisation_id).exists()
    )


def may_enter(user) -> bool:
    """Layer 1: only the medical roles reach medisch/ at all."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in (Role.BEDRIJFSARTS, Role.CASEMANAGER)
    )


def active_delegations(user, dossier):
    if not (user.is_authenticated and user.role == Role.CASEMANAGER):
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
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in KEURING_REQUESTER_ROLES
        and user.organisation_id
    )
