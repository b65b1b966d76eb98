"""What a user may see of werknemers and ziekmeldingen (SE-9). Every view, API and export
starts here; a forgotten check yields an empty queryset, not a leak. Missing and forbidden
answer alike (404)."""

from django.http import Http404

from accounts.roles import Role
from accounts.scoping import employer_organisation_ids

from . import policies
from .models import Werknemer, Ziekmelding


def werknemers_visible_to(user):
    if not policies.can_view_werknemers(user):
        if user.is_authenticated and user.role == Role.WERKNEMER:
            return Werknemer.objects.filter(user=user)
        return Werknemer.objects.none()
    return Werknemer.objects.filter(organisation__in=employer_organisation_ids(user))


def ziekmeldingen_visible_to(user):
    if not policies.can_read_cases(user):
        if user.is_authenticated and user.role == Role.WERKNEMER:
            return Ziekmelding.objects.filter(werknemer__user=user)
        return Ziekmelding.objects.none()
    return Ziekmelding.objects.filter(organisation__in=employer_organisation_ids(user))


def werknemer_for(user, pk) -> Werknemer:
    obj = (
        werknemers_visible_to(user).select_related("organisation", "manager").filter(pk=pk).first()
    )
    if obj is None:
        raise Http404
    return obj


def ziekmelding_for(user, pk) -> Ziekmelding:
    obj = (
        ziekmeldingen_visible_to(user)
        .select_related("werknemer", "organisation")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404
    return obj
