"""The audit log and the register of data flows under the retention registry."""

import logging

from django.conf import settings

from retention.registry import (
    PartitionedLog,
    no_personal_data,
    outside_purge,
    register_partitioned,
)

from . import partitions
from .models import (
    AuditEvent,
    AuditSeal,
    DataFlow,
    Datalek,
    Toestemming,
    Verzoek,
    VerzoekOntvanger,
)

logger = logging.getLogger(__name__)


def _expired(today):
    return [(p.name, partitions.count(p)) for p in partitions.expired(today)]


def _drop(name, purge_run):
    """One month; a refusal (the lock not had within its timeout, a month the database finds too
    young) is logged and left for the next night's run, not the end of this one."""
    (partition,) = [p for p in partitions.partitions() if p.name == name]
    try:
        return partitions.drop(partition, purge_run=purge_run).rows
    except partitions.DropRefused as exc:
        logger.warning("auditlog: maand niet verwijderd: %s", exc)
        return 0


def register_privacy():
    outside_purge(
        AuditEvent,
        # SE-7 (named in words in the text people read)
        f"auditlog: ten minste {settings.AUDIT_RETENTION_YEARS} jaar (NEN 7513), append-only en "
        "hash-gekoppeld; niet per record opgeschoond maar per kalendermaand: de opschoonrun "
        "verwijdert een maand in zijn geheel als de termijn voor elke regel erin is verstreken, "
        "en verzegelt haar eerst",
    )
    no_personal_data(
        AuditSeal,
        "zegel van een verwijderde auditmaand: aantallen, volgnummers en hashes; bewaard zolang "
        "het auditlog bestaat",
    )
    register_partitioned(
        PartitionedLog(
            key="privacy.auditlog",
            label="auditlog (per maand)",
            terms=f"{settings.AUDIT_RETENTION_YEARS} jaar na het einde van de kalendermaand",
            rule_id="SE-7",
            expired=_expired,
            drop=_drop,
        )
    )
    # RI-9 (named in words in the text people read)
    outside_purge(DataFlow, "verantwoording van verstrekkingen: bewaard als het auditlog")
    outside_purge(
        Datalek,
        "register van datalekken: verantwoording naar de AP (AVG art. 33 lid 5); bevat geen "
        "gegevens van betrokkenen",
    )
    outside_purge(
        Toestemming,
        # AV-2 (named in words in the text people read)
        "bewijs van toestemming en bezwaar: bewaard zolang de verwerking waarvoor zij "
        "gold kan worden betwist, als het auditlog",
    )
    outside_purge(
        Verzoek,
        # AV-3 (named in words in the text people read)
        "register van verzoeken van betrokkenen: verantwoording dat en hoe een verzoek is "
        "afgehandeld (AVG art. 5 lid 2, art. 12); bewaard als het auditlog",
    )
    outside_purge(
        VerzoekOntvanger,
        "hoort bij het verzoek: bewijs dat ontvangers zijn geïnformeerd (AVG art. 19)",
    )
