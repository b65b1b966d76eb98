"""The one scoping helper (SE-9): what organisations and people a user may see.

Every list and lookup in the project starts from these querysets, so a forgotten check yields an
empty list, not a leak. The beheerder sees organisations and accounts (to manage them) but never
medical content: that is the medical module's own policy.
"""

from django.db.models import Q, QuerySet

from .models import Organisation, User
from .roles import ASSIGNED_ROLES, EMPLOYER_ROLES, Role


def organisations_for(user) -> QuerySet[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.role == Role.BEHEERDER:
        return Organisation.objects.all()
    if user.role in ASSIGNED_ROLES:
        # Served employers, plus one's own home organisation (e.g. the re-integration company).
        return Organisation.objects.filter(
            Q(assignments__user=user) | Q(pk=user.organisation_id)
        ).distinct()
    if user.role in EMPLOYER_ROLES or user.role == Role.WERKNEMER:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def employer_organisation_ids(user) -> QuerySet:
    """IDs of the employer organisations whose people `user` may see (for domain querysets)."""
    return organisations_for(user).filter(kind="werkgever").values("pk")


def users_visible_to(user) -> QuerySet[User]:
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.role == Role.BEHEERDER:
        return User.objects.all()
    if user.role == Role.WERKGEVER_BEHEERDER:
        return User.objects.filter(
            organisation_id=user.organisation_id,
            role__in=[*EMPLOYER_ROLES, Role.WERKNEMER],
        )
    return User.objects.filter(pk=user.pk)
