"""AV-3: verzuim's part of the data-subject export, and how a request finds its person.
Registered in VerzuimConfig.ready; privacy/ never imports this app (DESIGN.md).

Nothing here is an internal work note: every record of the employee is exported. Deadline
signals name their recipient by role only."""

from django.db.models import Q

from privacy import audit
from privacy.export import Person, record, register_contributor, register_resolver
from privacy.models import AuditAction

from .models import (
    WERKNEMER_DATA_FIELDS,
    ZIEKMELDING_ZM1_FIELDS,
    DeadlineCompletion,
    DeadlineSignal,
    Herstelmelding,
    Noodinformatie,
    Verlof,
    WachttijdVerlenging,
    Werknemer,
    Ziekmelding,
)

WERKNEMER_FIELDS = (
    "organisation",
    *WERKNEMER_DATA_FIELDS,
    "manager",
    "created_at",
    "updated_at",
)
ZIEKMELDING_FIELDS = (
    "organisation",
    *ZIEKMELDING_ZM1_FIELDS,
    "recovered_on",
    "adapted_work_since",
    "next_deadline_on",
    "next_deadline_key",
    "created_by",
    "created_at",
)


def _werknemer(werknemer, *, by, request) -> dict:
    """The employee's record; the BSN (RI-11, DG-2) in full - it is the person's own number (AVG
    art. 15) - and its export audited, as doelgroep's is."""
    row = record(werknemer, *WERKNEMER_FIELDS)
    row["burgerservicenummer"] = werknemer.bsn or None
    if werknemer.bsn:
        audit.record(
            AuditAction.EXPORT,
            "verzuim.werknemer",
            [werknemer.pk],
            subject=werknemer.pseudonym,
            detail="BSN in de inzage-export",
            request=request,
            actor=by,
        )
    return row


def contribute(pseudonyms, *, by, request=None) -> dict:
    werknemers = list(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).select_related("organisation", "manager")
    )
    out = []
    for werknemer in werknemers:
        ziekmeldingen = []
        for zm in werknemer.ziekmeldingen.select_related("organisation", "created_by").order_by(
            "first_day", "pk"
        ):
            row = record(zm, *ZIEKMELDING_FIELDS)
            row["herstelmeldingen"] = [
                record(h, "kind", "date", "absence_percentage", "created_by", "created_at")
                for h in zm.herstelmeldingen.select_related("created_by").order_by("date", "pk")
            ]
            row["afgeronde termijnen"] = [
                record(
                    d,
                    "key",
                    "occurrence",
                    "completed_on",
                    "completed_by",
                    "proof",
                    "recorded_at",
                    "undone_at",
                    "undone_by",
                    "undo_reason",
                )
                for d in DeadlineCompletion.objects.filter(case_id=zm.case_id).order_by("pk")
            ]
            row["loonsancties en verlengingen"] = [
                record(e, "kind", "decided_on", "start", "end", "reference", "created_at")
                for e in WachttijdVerlenging.objects.filter(case_id=zm.case_id).order_by("pk")
            ]
            row["verstuurde signalen"] = [
                record(s, "key", "occurrence", "state", "recipient", "sent_at")
                for s in DeadlineSignal.objects.filter(case_id=zm.case_id).order_by("pk")
            ]
            ziekmeldingen.append(row)
        nood = Noodinformatie.objects.filter(werknemer=werknemer).first()
        out.append(
            {
                "werknemer": _werknemer(werknemer, by=by, request=request),
                "ziekmeldingen": ziekmeldingen,
                "zwangerschaps- en bevallingsverlof": [
                    record(v, "start", "end", "created_at")
                    for v in Verlof.objects.filter(werknemer=werknemer).order_by("start")
                ],
                "noodinformatie": record(
                    nood, "text", "consent_text_version", "consent_text", "confirmed_at"
                )
                if nood
                else None,
            }
        )
    return {"werknemers": out}


def find(text):
    """A request names its person by e-mail address (the employee record's or the login's) or
    personnel number — exact matches only, no name search over the employee table."""
    rows = Werknemer.objects.filter(
        Q(personnel_number__iexact=text) | Q(email__iexact=text) | Q(user__email__iexact=text)
    ).select_related("organisation")[:20]
    return [
        Person(
            w.pseudonym,
            w.full_name,
            f"werknemer {w.personnel_number or '(geen personeelsnummer)'} bij {w.organisation}",
        )
        for w in rows
    ]


def related(pseudonyms):
    """An employee record and its login are one person."""
    rows = Werknemer.objects.filter(
        Q(pseudonym__in=pseudonyms) | Q(user__pseudonym__in=pseudonyms)
    ).values_list("pseudonym", "user__pseudonym")
    return {p for pair in rows for p in pair if p is not None}


def register_verzuim_export():
    register_contributor(
        "verzuim",
        "Werknemergegevens en verzuim",
        covers=(
            Werknemer,
            Ziekmelding,
            Herstelmelding,
            Noodinformatie,
            DeadlineCompletion,
            DeadlineSignal,
            Verlof,
            WachttijdVerlenging,
        ),
        contribute=contribute,
    )
    register_resolver(find, related=related, priority=10)
