"""The audit log and the register of data flows under the retention registry."""

from retention.registry import outside_purge


def register_privacy():
    from .models import AuditEvent, DataFlow

    outside_purge(
        AuditEvent,
        "auditlog: ten minste 5 jaar (NEN 7513, SE-7), append-only en hash-gekoppeld; het "
        "opschonen gaat per maandpartitie, niet per record",
    )
    outside_purge(DataFlow, "verantwoording van verstrekkingen (RI-9): bewaard als het auditlog")
