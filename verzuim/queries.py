"""What a user may see of werknemers and ziekmeldingen (SE-9). Every view, API and export
starts here; a forgotten check yields an empty queryset, not a leak. Missing and forbidden
answer alike (404)."""

from django.http import Http404

from accounts.scoping import employer_organisation_ids

from . import policies
from .models import Werknemer, Ziekmelding

# Rows per page of a list (werknemers, verzuimoverzicht).
PAGE_SIZE = 25


def werknemers_visible_to(user):
    if not policies.can_view_werknemers(user):
        if policies.is_werknemer(user):
            return Werknemer.objects.filter(user=user)
        return Werknemer.objects.none()
    return Werknemer.objects.filter(organisation__in=employer_organisation_ids(user))


def ziekmeldingen_visible_to(user):
    if not policies.can_read_cases(user):
        if policies.is_werknemer(user):
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


def own_subjects(user) -> set:
    """AV-6: the pseudonyms under which the audit log knows this person: their login's (exams
    before employment, MD-7) and their employee record's."""
    werknemer = Werknemer.objects.filter(user=user).first()
    return {user.pseudonym} | ({werknemer.pseudonym} if werknemer else set())
