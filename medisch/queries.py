"""What a medical user may see (SE-9, MD-2, MD-4). Missing and forbidden answer alike (404)."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from accounts.models import Assignment
from accounts.roles import Role

from .models import Dossier


def dossiers_visible_to(user):
    if not (user.is_authenticated and user.is_active):
        return Dossier.objects.none()
    if user.role == Role.BEDRIJFSARTS:
        orgs = list(Assignment.objects.filter(user=user).values_list("organisation_id", flat=True))
        return Dossier.objects.filter(organisation_id__in=orgs)
    if user.role == Role.CASEMANAGER:
        today = timezone.localdate()
        return Dossier.objects.filter(
            Q(delegations__delegate_id=user.pk)
            & Q(delegations__revoked_at__isnull=True)
            & Q(delegations__valid_from__lte=today)
            & Q(delegations__valid_until__gte=today)
        ).distinct()
    return Dossier.objects.none()


def dossier_for(user, pk) -> Dossier:
    dossier = dossiers_visible_to(user).filter(pk=pk).first()
    if dossier is None:
        raise Http404
    return dossier


def current_case(user, dossier):
    """The employee's latest sick case the user may see: what an advice (MD-5) belongs to."""
    from verzuim import queries as verzuim_queries

    return (
        verzuim_queries.ziekmeldingen_visible_to(user)
        .filter(werknemer_id=dossier.werknemer_id)
        .order_by("-first_day")
        .first()
    )
