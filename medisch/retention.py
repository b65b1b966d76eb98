"""Retention categories of the medical module (RT-4), registered in MedischConfig.ready.
retention/ never imports this package; the registration lives here, beside the models."""

from django.db.models import Case, F, When
from django.db.models import Value as V
from django.db.models.functions import TruncDate
from django.utils import timezone

from retention import registry
from retention.registry import Category, SqlDates, register
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


def _local_date(field):
    """timezone.localdate(field) in SQL: the date in the current time zone (TruncDate)."""
    return TruncDate(F(field))


def dossier_keep_until_sql() -> SqlDates:
    exposure = {"occupational_exposure": True}
    changed = _local_date("last_changed_at")
    return SqlDates(
        keep_until=Case(
            When(**exposure, then=RULES["medisch_dossier_blootstelling"].period.sql(changed)),
            default=RULES["medisch_dossier"].period.sql(changed),
        ),
        rule=Case(
            When(**exposure, then=V("medisch_dossier_blootstelling")),
            default=V("medisch_dossier"),
        ),
    )


def _single_rule_sql(rule, field):
    """A category of one rule whose clock starts at the local date of `field`."""

    def sql() -> SqlDates:
        return SqlDates(keep_until=RULES[rule].period.sql(_local_date(field)), rule=V(rule))

    return sql


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
            sql=dossier_keep_until_sql,
            rules=("medisch_dossier", "medisch_dossier_blootstelling"),
            purpose="verzuimbegeleiding door de bedrijfsarts; advies aan werkgever en werknemer",
            members=DOSSIER_MEMBERS,
            before_delete=_remove_document_files,
            order=10,
            **COMMON,
        )
    )
    # The two kinds kept apart from a dossier: one rule each, no members.
    for order, (key, label, model, compute, rule, purpose, start) in enumerate(
        (
            (
                "medisch.keuring",
                "aanstellingskeuringen",
                Keuring,
                keuring_keep_until,
                "aanstellingskeuring",
                # MD-7 (named in words in the text people read)
                "aanstellingskeuring bij bijzondere functie-eisen",
                "requested_at",
            ),
            (
                "medisch.trajectnotitie",
                "trajectvoorstellen en rapportages van re-integratiebedrijven voor de arts",
                TrajectNotitie,
                notitie_keep_until,
                "medisch_dossier",
                "afstemming van een re-integratietraject met de bedrijfsarts",
                "created_at",
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
                sql=_single_rule_sql(rule, start),
                rules=(rule,),
                purpose=purpose,
                order=order,
                **COMMON,
            )
        )
