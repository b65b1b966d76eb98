"""What a medical user may see (SE-9, MD-2, MD-4), for the pages and the API alike. Missing and
forbidden answer alike (404). And the audit entries of those reads (SE-7), written the same way
by page and API."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from accounts.errors import require
from accounts.models import Organisation, User
from accounts.policies import served_organisation_ids
from accounts.roles import Role
from privacy import audit
from privacy.models import AuditAction
from verzuim import queries as verzuim_queries

from . import policies
from .models import Advies, Delegation, Document, Dossier, Keuring, VerslagMedischDeel


def _served_organisations(user) -> list[int]:
    # Evaluated on the default connection: the medical tables are read through their own alias,
    # and a subquery may not cross the two (MD-2 layer 2).
    return list(served_organisation_ids(user).values_list("organisation_id", flat=True))


def dossiers_visible_to(user):
    if policies.is_bedrijfsarts(user):
        return Dossier.objects.filter(organisation_id__in=_served_organisations(user))
    if policies.is_casemanager(user):
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


def writable_dossier_for(user, pk) -> Dossier:
    """The dossier if the user may write in it: 404 outside the user's scope, 403 within it
    for anyone but the responsible doctor (a casemanager's delegation is for reading)."""
    dossier = dossier_for(user, pk)
    require(policies.can_write(user, dossier))
    return dossier


def current_case(user, dossier):
    """The employee's latest sick case the user may see: what an advice (MD-5) belongs to."""
    return (
        verzuim_queries.ziekmeldingen_visible_to(user)
        .filter(werknemer_id=dossier.werknemer_id)
        .order_by("-first_day")
        .first()
    )


def on_behalf_of(user, dossier):
    """The delegating doctor's pseudonym when a casemanager reads within a delegation (SE-7:
    the access is logged on the doctor's behalf), else None."""
    delegation = policies.active_delegation(user, dossier)
    if delegation is None:
        return None
    doctor = User.objects.filter(pk=delegation.created_by_id).first()
    return doctor.pseudonym if doctor else None


def casemanagers_for(dossier):
    """Whom the doctor may delegate to (MD-4): active casemanagers of the organisation."""
    return User.objects.filter(
        role=Role.CASEMANAGER, is_active=True, assignments__organisation_id=dossier.organisation_id
    )


def _in_visible_dossier(model, user, pk):
    """The row `pk` of a dossier part (its dossier selected along) in a dossier the user sees
    (SE-9), else None."""
    return (
        model.objects.filter(pk=pk, dossier__in=dossiers_visible_to(user))
        .select_related("dossier")
        .first()
    )


def delegation_for(user, pk) -> Delegation:
    """A delegation in a dossier the user sees (SE-9: else Http404)."""
    delegation = _in_visible_dossier(Delegation, user, pk)
    if delegation is None:
        raise Http404
    return delegation


def document_for(user, pk) -> Document:
    """The document `pk` if the user may read it (page and API alike); else Http404."""
    document = _in_visible_dossier(Document, user, pk)
    # A document outside the user's delegated parts answers like a missing one (SE-9).
    if document is None or not policies.can_read_part(user, document.dossier, "documenten"):
        raise Http404
    return document


def advies_for(user, pk) -> Advies:
    """An advice in a dossier the user sees, within the parts they may read (MD-4, SE-9: else
    Http404, page and API alike)."""
    advies = _in_visible_dossier(Advies, user, pk)
    if advies is None or not policies.can_read_part(user, advies.dossier, "adviezen"):
        raise Http404
    return advies


def verslag_deel_for(user, pk) -> VerslagMedischDeel:
    """A verslag part in a dossier the user sees (SE-9: else Http404, page and API alike)."""
    deel = _in_visible_dossier(VerslagMedischDeel, user, pk)
    if deel is None:
        raise Http404
    return deel


def keuringen_visible_to(user):
    """Exams of the organisations the user is the assigned bedrijfsarts for (SE-9)."""
    if not policies.is_bedrijfsarts(user):
        return Keuring.objects.none()
    return Keuring.objects.filter(organisation_id__in=_served_organisations(user))


def keuring_for(user, pk) -> Keuring:
    keuring = keuringen_visible_to(user).filter(pk=pk).first()
    if keuring is None:
        raise Http404
    return keuring


def candidate_names(keuringen) -> dict[int, str]:
    """The candidates' names of these exams, by user id (MD-7)."""
    ids = {k.candidate_id for k in keuringen}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def organisation_names(keuringen) -> dict[int, str]:
    """The requesting organisations' names of these exams, by id (MD-7)."""
    ids = {k.organisation_id for k in keuringen}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- The audit of reads (SE-7) -----------------------------------------------------------------


def record_dossier_read(request, dossier, parts: dict[str, list], *, detail) -> None:
    """One entry for a dossier read, naming every part shown by kind and id (`parts`: kind →
    ids, e.g. {"consult": [3, 4]}); a casemanager's read is logged on the doctor's behalf."""
    ids = [f"{kind}:{pk}" for kind, pks in parts.items() for pk in pks]
    audit.record(
        AuditAction.READ,
        "medisch.dossier",
        [dossier.pk, *ids],
        subject=dossier.subject,
        detail=detail,
        request=request,
        on_behalf_of=on_behalf_of(request.user, dossier),
    )


def record_keuring_reads(rows, *, detail, request, actor=None, action=AuditAction.READ) -> None:
    """One entry per exam read (MD-7), subject = the candidate's pseudonym, without content."""
    audit.record_reads(
        rows,
        object_type="medisch.keuring",
        subject_of=lambda k: k.subject,
        detail=detail,
        action=action,
        request=request,
        actor=actor,
    )


def record_keuring_request_read(keuring, request) -> None:
    """The doctor opened a requested exam (MD-7)."""
    audit.record(
        AuditAction.READ,
        "medisch.keuring",
        [keuring.pk],
        subject=keuring.subject,
        detail="aanvraag aanstellingskeuring ingezien",
        request=request,
    )
