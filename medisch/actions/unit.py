"""The unit every medical action writes in (SE-7, RI-9): the medical rows (medisch alias,
config.routers), their audit row and any data-flow record (default alias) commit together or
not at all."""

from contextlib import contextmanager

from django.db import transaction

from privacy import audit, flows
from privacy.models import LegalBasis


@contextmanager
def atomic_with_audit():
    """A medical write, its audit row (SE-7) and any data-flow record commit together or not at
    all. They live on two connections (medisch and default aliases), so two nested transactions:
    a failure anywhere inside rolls both back; on the way out the default one (audit log, flows)
    commits first, so a failing second commit could leave an audit row of a write that did not
    happen, never a medical write without its audit row."""
    with transaction.atomic(using="medisch"), transaction.atomic(using="default"):
        yield


def log(action, object_type, object_id, *, subject, detail, request, by) -> None:
    """The audit row of one medical write: ids and the person's pseudonym, never content."""
    audit.record(
        action, object_type, [object_id], subject=subject, detail=detail, request=request, actor=by
    )


def record_poortwachter_flow(*, kind, recipient, object_type, object_id, subject, by, **extra):
    """RI-9: what leaves the medical module on the Poortwachter basis is recorded as a flow."""
    flows.record_flow(
        kind=kind,
        recipient=recipient,
        legal_basis=LegalBasis.POORTWACHTER,
        object_type=object_type,
        object_id=object_id,
        subject=subject,
        actor=by,
        **extra,
    )
