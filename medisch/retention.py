"""Retention categories of the medical module (RT-4), registered in MedischConfig.ready.
retention/ never imports this package; the registration lives here, beside the models."""

from django.utils import timezone

from retention import registry
from retention.registry import Category, register
from retention.rules import RULES

from .models import DOSSIER_MEMBERS, Document, Dossier, Keuring, TrajectNotitie, document_storage

COMMON = {
    "subjects": "werknemers en sollicitanten (keuring)",
    "recipients": "alleen de bedrijfsarts en gedelegeerde casemanagers; de werkgever krijgt "
    # MD-5 (named in words in the text people read)
    "alleen het advies",
    "legal_basis": "wettelijke plicht en medisch beroepsgeheim: Arbowet art. 14, WGBO "
    "(AVG art. 9 lid 2h; UAVG art. 30)",
    # MD-2, MD-3, SE-7 (named in words in the text people read)
    "security": "eigen databaserol, versleuteling per veld en document, "
    "auditlog van elke inzage, tweestapsverificatie",
}


def dossier_keep_until(dossier):
    rule = "medisch_dossier_blootstelling" if dossier.occupational_exposure else "medisch_dossier"
    return RULES[rule].period.after(timezone.localdate(dossier.last_changed_at)), rule


def touch_dossier(dossier_id, when=None):
    """Every change to a dossier's content: its last change moves, and with it the retention
    date (RT-4: 20 years after the last change)."""
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
    storage = document_storage()
    for name in Document.objects.filter(dossier__in=dossiers).values_list("file", flat=True):
        if storage.exists(name):
            storage.delete(name)


def register_medisch():
    register(
        Category(
            key="medisch.dossier",
            label="medische dossiers (consulten, adviezen, documenten, correspondentie)",
            model=Dossier,
            compute=dossier_keep_until,
            rules=("medisch_dossier", "medisch_dossier_blootstelling"),
            purpose="verzuimbegeleiding door de bedrijfsarts; advies aan werkgever en werknemer",
            members=DOSSIER_MEMBERS,
            before_delete=_remove_document_files,
            order=10,
            **COMMON,
        )
    )
    # The two kinds kept apart from a dossier: one rule each, no members.
    for order, (key, label, model, compute, rule, purpose) in enumerate(
        (
            (
                "medisch.keuring",
                "aanstellingskeuringen",
                Keuring,
                keuring_keep_until,
                "aanstellingskeuring",
                # MD-7 (named in words in the text people read)
                "aanstellingskeuring bij bijzondere functie-eisen",
            ),
            (
                "medisch.trajectnotitie",
                "trajectvoorstellen en rapportages van re-integratiebedrijven voor de arts",
                TrajectNotitie,
                notitie_keep_until,
                "medisch_dossier",
                "afstemming van een re-integratietraject met de bedrijfsarts",
            ),
        ),
        start=11,
    ):
        register(
            Category(
                key=key,
                label=label,
                model=model,
                compute=compute,
                rules=(rule,),
                purpose=purpose,
                order=order,
                **COMMON,
            )
        )
