"""What a user may see of werknemers and ziekmeldingen (SE-9). Every view, API and export
starts here; a forgotten check yields an empty queryset, not a leak. Missing and forbidden
answer alike (404)."""

from django.http import Http404

from accounts.models import User
from accounts.scoping import employer_organisation_ids
from privacy.models import AuditEvent

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


def medical_access_log(subjects, limit=100):
    """AV-6: who accessed this person's medical data, when and how (from the audit log). A person
    is known by their employee pseudonym and, for exams before employment, their login's."""
    events = list(
        AuditEvent.objects.filter(
            subject__in=subjects, object_type__startswith="medisch."
        ).order_by("-seq")[:limit]
    )
    people = {
        u.pseudonym: u
        for u in User.objects.filter(
            pseudonym__in={e.actor for e in events} | {e.on_behalf_of for e in events}
        )
    }
    return [
        {
            "when": e.occurred_at,
            "who": people.get(e.actor),
            "role": e.actor_role,
            "action": e.get_action_display(),
            "what": e.detail,
            "on_behalf_of": people.get(e.on_behalf_of),
        }
        for e in events
    ]
