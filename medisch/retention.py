"""Retention categories of the medical module (RT-4), registered in MedischConfig.ready.
retention/ never imports this package; the registration lives here, beside the models."""

from django.utils import timezone

from retention import registry
from retention.registry import Category, register
from retention.rules import RULES

COMMON = {
    "subjects": "werknemers en sollicitanten (keuring)",
    "recipients": "alleen de bedrijfsarts en gedelegeerde casemanagers; de werkgever krijgt "
    "alleen het advies (MD-5)",
    "legal_basis": "wettelijke plicht en medisch beroepsgeheim: Arbowet art. 14, WGBO "
    "(AVG art. 9 lid 2h; UAVG art. 30)",
    "security": "eigen databaserol (MD-2), versleuteling per veld en document (MD-3), "
    "auditlog van elke inzage (SE-7), tweestapsverificatie",
}


def dossier_keep_until(dossier):
    rule = "medisch_dossier_blootstelling" if dossier.occupational_exposure else "medisch_dossier"
    return RULES[rule].period.after(timezone.localdate(dossier.last_changed_at)), rule


def touch_dossier(dossier_id, when=None):
    """Every change to a dossier's content: its last change moves, and with it the retention
    date (RT-4: 20 years after the last change)."""
    from .models import Dossier

    Dossier.objects.filter(pk=dossier_id).update(last_changed_at=when or timezone.now())
    registry.changed(Dossier(pk=dossier_id))


def keuring_keep_until(keuring):
    return (
        RULES["aanstellingskeuring"].period.after(timezone.localdate(keuring.requested_at)),
        "aanstellingskeuring",
    )


def notitie_keep_until(note):
    return (
        RULES["medisch_dossier"].period.after(timezone.localdate(note.created_at)),
        "medisch_dossier",
    )


def _remove_document_files(dossiers):
    from .models_documents import Document, document_storage

    storage = document_storage()
    for name in Document.objects.filter(dossier__in=dossiers).values_list("file", flat=True):
        if storage.exists(name):
            storage.delete(name)


def register_medisch():
    from .models import Advies, Consult, Delegation, Dossier
    from .models_documents import Correspondence, Document
    from .models_keuring import Keuring
    from .models_reintegratie import Probleemanalyse, TrajectNotitie, VerslagMedischDeel

    register(
        Category(
            key="medisch.dossier",
            label="medische dossiers (consulten, adviezen, documenten, correspondentie)",
            model=Dossier,
            compute=dossier_keep_until,
            rules=("medisch_dossier", "medisch_dossier_blootstelling"),
            purpose="verzuimbegeleiding door de bedrijfsarts; advies aan werkgever en werknemer",
            members=(
                Consult,
                Advies,
                Delegation,
                Document,
                Correspondence,
                Probleemanalyse,
                VerslagMedischDeel,
            ),
            before_delete=_remove_document_files,
            order=10,
            **COMMON,
        )
    )
    register(
        Category(
            key="medisch.keuring",
            label="aanstellingskeuringen",
            model=Keuring,
            compute=keuring_keep_until,
            rules=("aanstellingskeuring",),
            purpose="aanstellingskeuring bij bijzondere functie-eisen (MD-7)",
            order=11,
            **COMMON,
        )
    )
    register(
        Category(
            key="medisch.trajectnotitie",
            label="trajectvoorstellen en rapportages van re-integratiebedrijven voor de arts",
            model=TrajectNotitie,
            compute=notitie_keep_until,
            rules=("medisch_dossier",),
            purpose="afstemming van een re-integratietraject met de bedrijfsarts",
            order=12,
            **COMMON,
        )
    )
