"""AV-3 and MD-2: the medical part of the data-subject export. Registered in MedischConfig.ready;
privacy/ never imports this package (DESIGN.md).

The medical part reaches the person only through the doctor: the section holds content only when
the export is assembled by the bedrijfsarts assigned to the person's organisation
(policies.is_doctor_for). For anyone else — the beheerder who answers the request included — it
holds a pointer to the doctor, and the medical tables are not even queried (the employer-side
database role could not read them, MD-2 layer 2).

Internal work notes: the dossier holds none as a separate kind (consults, advice, documents and
correspondence are all part of the medical file the person may see, WGBO art. 7:456), so nothing
is left out. Documents are listed with their metadata; the doctor hands over the files
themselves from the dossier.
"""

from accounts.models import User
from accounts.policies import is_doctor_for
from privacy import audit
from privacy.export import record, register_contributor
from privacy.models import AuditAction
from verzuim.models import Werknemer

from . import policies
from .models import ADVICE_FIELDS, DOSSIER_MEMBERS, Dossier, Keuring, TrajectNotitie

# MD-2 (named in words in the text people read)
TOELICHTING = "Het medische deel levert de bedrijfsarts rechtstreeks aan u."


def _person_organisations(pseudonyms) -> set[int]:
    orgs = set(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).values_list("organisation_id", flat=True)
    )
    orgs |= set(
        User.objects.filter(pseudonym__in=pseudonyms, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    orgs |= set(
        Keuring.objects.filter(subject__in=pseudonyms).values_list("organisation_id", flat=True)
    )
    return orgs


def _dossier(dossier) -> dict:
    row = record(dossier, "opened_at", "last_changed_at", "occupational_exposure")
    row["consulten"] = [
        record(
            c,
            "date",
            "anamnesis",
            "findings",
            "diagnosis",
            "diagnosis_code",
            "policy",
            "created_by",
            "created_at",
        )
        for c in dossier.consults.order_by("date", "pk")
    ]
    row["adviezen"] = [
        record(a, *ADVICE_FIELDS, "created_at", "released_at")
        for a in dossier.adviezen.order_by("date", "pk")
    ]
    row["delegaties"] = [
        record(d, "delegate", "parts", "valid_from", "valid_until", "created_at", "revoked_at")
        for d in dossier.delegations.order_by("pk")
    ]
    row["documenten"] = [
        record(d, "title", "kind", "content_type", "size", "sha256", "uploaded_at")
        for d in dossier.documents.order_by("pk")
    ]
    row["correspondentie"] = [
        record(c, "direction", "counterpart", "date", "subject", "body", "consent_reference")
        for c in dossier.correspondence.order_by("date", "pk")
    ]
    row["probleemanalyses (medisch deel)"] = [
        record(p, "date", "medical_part", "created_at")
        for p in dossier.probleemanalyses.order_by("date", "pk")
    ]
    row["re-integratieverslag (medisch deel)"] = [
        record(v, "date", "text", "delivered_at") for v in dossier.verslag_delen.order_by("pk")
    ]
    return row


def contribute(pseudonyms, *, by, request=None) -> dict:
    if not policies.is_bedrijfsarts(by):
        return {"toelichting": TOELICHTING}
    allowed = {org for org in _person_organisations(pseudonyms) if is_doctor_for(by, org)}
    if not allowed:
        return {"toelichting": TOELICHTING}
    dossiers = list(
        Dossier.objects.filter(subject__in=pseudonyms, organisation_id__in=allowed).order_by("pk")
    )
    keuringen = list(
        Keuring.objects.filter(subject__in=pseudonyms, organisation_id__in=allowed).order_by("pk")
    )
    werknemer_ids = list(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).values_list("pk", flat=True)
    )
    notities = list(
        TrajectNotitie.objects.filter(
            werknemer_id__in=werknemer_ids, organisation_id__in=allowed
        ).order_by("pk")
    )
    for object_type, rows in (("medisch.dossier", dossiers), ("medisch.keuring", keuringen)):
        audit.record_reads(
            rows,
            object_type=object_type,
            subject_of=lambda row: row.subject,
            # AV-3 (named in words in the text people read)
            detail="medisch deel van de inzage-export",
            action=AuditAction.EXPORT,
            request=request,
            actor=by,
        )
    return {
        "dossiers": [_dossier(d) for d in dossiers],
        "aanstellingskeuringen": [
            record(
                k,
                "function",
                "justification",
                "aspects",
                "requested_at",
                "examined_at",
                "findings",
                "conclusion",
                "candidate_decision",
                "decided_at",
            )
            for k in keuringen
        ],
        "notities van re-integratiebedrijven": [
            record(n, "provider_name", "kind", "text", "created_at") for n in notities
        ],
    }


def register_medisch_export():
    register_contributor(
        "medisch",
        "Medisch dossier (alleen via de bedrijfsarts)",
        covers=(Dossier, *DOSSIER_MEMBERS, Keuring, TrajectNotitie),
        contribute=contribute,
    )
