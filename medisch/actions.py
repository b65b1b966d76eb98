"""State changes in the medical module: atomic, checked, audited (SE-7). Writes go through the
medisch alias (config.routers); the audit log through the default one. The other actions_*.py
modules of this package (documents, keuring, re-integratie) open the same two transactions
through `atomic_with_audit`."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from privacy import audit, flows
from privacy.models import AuditAction, LegalBasis, Recipient

from . import policies
from .models import Advies, Consult, Delegation, Dossier
from .retention import touch_dossier


@contextmanager
def atomic_with_audit():
    """A medical write, its audit row (SE-7) and any data-flow record commit together or not at
    all. They live on two connections (medisch and default aliases), so two nested transactions:
    a failure anywhere inside rolls both back; on the way out the default one (audit log, flows)
    commits first, so a failing second commit could leave an audit row of a write that did not
    happen, never a medical write without its audit row."""
    with transaction.atomic(using="medisch"), transaction.atomic(using="default"):
        yield


def _log(action, object_type, ids, dossier, request, detail, *, by):
    audit.record(
        action, object_type, ids, subject=dossier.subject, detail=detail, request=request, actor=by
    )


def open_dossier(*, by, werknemer, request=None) -> Dossier:
    if not policies.is_doctor_for(by, werknemer.organisation_id):
        raise PermissionDenied
    with atomic_with_audit():
        dossier, created = Dossier.objects.get_or_create(
            werknemer_id=werknemer.pk,
            defaults={
                "organisation_id": werknemer.organisation_id,
                "subject": werknemer.pseudonym,
                "opened_by_id": by.pk,
            },
        )
        if created:
            _log(
                AuditAction.CREATE,
                "medisch.dossier",
                [dossier.pk],
                dossier,
                request,
                "medisch dossier geopend",
                by=by,
            )
    return dossier


def record_consult(*, by, dossier, request=None, **data) -> Consult:
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        consult = Consult.objects.create(dossier=dossier, created_by_id=by.pk, **data)
        touch_dossier(dossier.pk)
        _log(
            AuditAction.CREATE,
            "medisch.consult",
            [consult.pk],
            dossier,
            request,
            "consult vastgelegd",
            by=by,
        )
    return consult


def record_advies(*, by, dossier, case_id, release, request=None, **data) -> Advies:
    """MD-5: the advice; `release` makes it visible to the employer and the employee."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with atomic_with_audit():
        advies = Advies.objects.create(
            dossier=dossier,
            case_id=case_id,
            created_by_id=by.pk,
            released_at=timezone.now() if release else None,
            **data,
        )
        touch_dossier(dossier.pk)
        _log(
            AuditAction.CREATE,
            "medisch.advies",
            [advies.pk],
            dossier,
            request,
            "advies aan werkgever vrijgegeven" if release else "advies (concept) vastgelegd",
            by=by,
        )
        if release:
            record_advice_flow(advies, dossier, by)
    return advies


def record_advice_flow(advies, dossier, by):
    """RI-9: the released advice goes to the employer on the Poortwachter basis."""
    flows.record_flow(
        kind="advies bedrijfsarts (MD-5)",
        recipient=Recipient.WERKGEVER,
        legal_basis=LegalBasis.POORTWACHTER,
        object_type="medisch.advies",
        object_id=advies.pk,
        subject=dossier.subject,
        actor=by,
        recipient_name=Organisation.objects.filter(pk=dossier.organisation_id)
        .values_list("name", flat=True)
        .first()
        or "",
    )


def delegate(*, by, dossier, delegate, parts, valid_from, valid_until, request=None):
    """MD-4: recorded and audited; only to a casemanager, only for known parts."""
    if not policies.can_write(by, dossier) or delegate.role != "casemanager":
        raise PermissionDenied
    parts = [p for p in parts if p in policies.DOSSIER_PARTS]
    with atomic_with_audit():
        delegation = Delegation.objects.create(
            dossier=dossier,
            delegate_id=delegate.pk,
            parts=parts,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by_id=by.pk,
        )
        _log(
            AuditAction.CREATE,
            "medisch.delegatie",
            [delegation.pk],
            dossier,
            request,
            f"taakdelegatie aan casemanager ({', '.join(parts)})",
            by=by,
        )
    return delegation


def revoke_delegation(*, by, delegation, request=None):
    if not policies.can_write(by, delegation.dossier):
        raise PermissionDenied
    with atomic_with_audit():
        revoked = Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            return
        _log(
            AuditAction.UPDATE,
            "medisch.delegatie",
            [delegation.pk],
            delegation.dossier,
            request,
            "taakdelegatie ingetrokken",
            by=by,
        )
