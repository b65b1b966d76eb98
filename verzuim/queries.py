"""What a user may see of werknemers and ziekmeldingen (SE-9). Every view, API and export
starts here; a forgotten check yields an empty queryset, not a leak. Missing and forbidden
answer alike (404)."""

from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.http import Http404

from accounts.scoping import employer_organisation_ids

from . import policies
from .models import Werknemer, WerknemerSync, Ziekmelding


def werknemer_search(term: str, prefix: str = "") -> Q:
    """The werknemer search of the lists and the API: any part of the first or last name, or
    the whole personnel number, in any case — what `icontains`/`iexact` meant, compared on the
    stored UPPER() columns (Werknemer.*_upper, issue 20 item 2) with the term put through the
    same UPPER() in PostgreSQL (not Python's str.upper, which folds some letters differently).
    `prefix`: the path to the werknemer, e.g. "werknemer__" from a ziekmelding."""
    upper = Upper(Value(term))
    return (
        Q(**{f"{prefix}first_name_upper__contains": upper})
        | Q(**{f"{prefix}last_name_upper__contains": upper})
        | Q(**{f"{prefix}personnel_number_upper": upper})
    )


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


def sync_for(user, pk):
    """A staff-list sync of the user's own organisation (SE-9), else 404."""
    obj = WerknemerSync.objects.filter(pk=pk, organisation_id=user.organisation_id).first()
    if obj is None or user.organisation_id is None:
        raise Http404
    return obj


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
