"""What a user may see of the doelgroep administration (SE-9, DG-6): nothing at all without
the gate; with it, only the people of their own organisation. Missing and forbidden answer alike
(404)."""

from django.http import Http404

from verzuim.models import Werknemer

from . import policies
from .models import Kandidaat, Registercheck, Voorkeursbeleid


def werknemers_for(user):
    if not policies.can_access(user):
        return Werknemer.objects.none()
    return Werknemer.objects.filter(organisation_id=user.organisation_id)


def werknemer_for(user, pk) -> Werknemer:
    werknemer = werknemers_for(user).filter(pk=pk).first()
    if werknemer is None:
        raise Http404
    return werknemer


def kandidaten_for(user):
    if not policies.can_access(user):
        return Kandidaat.objects.none()
    return Kandidaat.objects.filter(organisation_id=user.organisation_id)


def kandidaat_for(user, pk) -> Kandidaat:
    kandidaat = kandidaten_for(user).filter(pk=pk).first()
    if kandidaat is None:
        raise Http404
    return kandidaat


def registerchecks_for(user):
    if not policies.can_access(user):
        return Registercheck.objects.none()
    return Registercheck.objects.filter(organisation_id=user.organisation_id)


def active_beleid(organisation_id):
    """DG-7: the organisation's voorkeursbeleid in force (not ended), or None."""
    return (
        Voorkeursbeleid.objects.filter(organisation_id=organisation_id, ended_on__isnull=True)
        .order_by("-decided_on", "-pk")
        .first()
    )
