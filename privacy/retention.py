"""The audit log and the register of data flows under the retention registry."""

from retention.registry import outside_purge

from .models import AuditEvent, DataFlow, Datalek, Toestemming, Verzoek, VerzoekOntvanger


def register_privacy():
    outside_purge(
        AuditEvent,
        # SE-7 (named in words in the text people read)
        "auditlog: ten minste 5 jaar (NEN 7513), append-only en hash-gekoppeld; wordt niet "
        "per record opgeschoond",
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
