"""AV-3: the doelgroep administration's part of the data-subject export. Registered in
DoelgroepConfig.ready; privacy/ never imports this app (DESIGN.md).

The BSN is given in full: the export goes only to the beheerder who answers the request and to
the person, whose own number it is (AVG art. 15). Showing it is logged like any reveal (DG-2).
No internal work notes are held here; everything is exported."""

from privacy import audit
from privacy.export import record, register_contributor
from privacy.models import AuditAction


def _check(check, *, by, request):
    row = record(check, "organisation", "in_register", "checked_on", "checked_via", "updated_at")
    row["burgerservicenummer"] = check.bsn or None
    if check.bsn:
        subject = check.werknemer.pseudonym if check.werknemer_id else check.kandidaat.pseudonym
        audit.record(
            AuditAction.EXPORT,
            "doelgroep.registercheck",
            [check.pk],
            subject=subject,
            detail="BSN in de inzage-export (AV-3)",
            request=request,
            actor=by,
        )
    return row


def contribute(pseudonyms, *, by, request=None) -> dict:
    from verzuim.models import Werknemer

    from .models import (
        Bezwaar,
        Geboorteland,
        Geheimhoudingsverklaring,
        Kandidaat,
        NoRiskPolis,
        Ondersteuningsmaatregel,
        Registercheck,
        Vog,
    )

    werknemer_ids = list(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).values_list("pk", flat=True)
    )
    kandidaten = list(Kandidaat.objects.filter(pseudonym__in=pseudonyms).order_by("pk"))
    checks = Registercheck.objects.filter(werknemer_id__in=werknemer_ids) | (
        Registercheck.objects.filter(kandidaat__in=kandidaten)
    )
    return {
        "controles doelgroepregister": [
            _check(c, by=by, request=request)
            for c in checks.select_related("organisation", "werknemer", "kandidaat").order_by("pk")
        ],
        "sollicitaties (registercontrole)": [
            record(k, "organisation", "name", "reference", "created_at") for k in kandidaten
        ],
        "no-riskpolis": [
            record(n, "asked_on", "applies", "category_56_plus_ww", "wia_decision_on", "updated_at")
            for n in NoRiskPolis.objects.filter(werknemer_id__in=werknemer_ids).order_by("pk")
        ],
        "ondersteuningsmaatregelen": [
            record(m, "organisation", "kind", "start_on", "end_on", "created_at")
            for m in Ondersteuningsmaatregel.objects.filter(
                werknemer_id__in=werknemer_ids
            ).order_by("start_on", "pk")
        ],
        "geboorteland (voorkeursbeleid)": [
            record(
                g,
                "self_country",
                "mother_country",
                "father_country",
                "grandparents_countries",
                "updated_at",
            )
            for g in Geboorteland.objects.filter(werknemer_id__in=werknemer_ids).order_by("pk")
        ],
        "bezwaar tegen voorkeursbeleid": [
            record(b, "objected_at")
            for b in Bezwaar.objects.filter(werknemer_id__in=werknemer_ids).order_by("pk")
        ],
        "verklaring omtrent het gedrag": [
            record(v, "provided", "provided_on")
            for v in Vog.objects.filter(werknemer_id__in=werknemer_ids).order_by("pk")
        ],
        "geheimhoudingsverklaringen": [
            record(s, "organisation", "text_version", "text", "signed_at", "withdrawn_at")
            for s in Geheimhoudingsverklaring.objects.filter(user__pseudonym__in=pseudonyms)
            .select_related("organisation")
            .order_by("pk")
        ],
    }


def register_doelgroep_export():
    from .models import (
        Bezwaar,
        Geboorteland,
        Geheimhoudingsverklaring,
        Kandidaat,
        NoRiskPolis,
        Ondersteuningsmaatregel,
        Registercheck,
        Vog,
    )

    register_contributor(
        "doelgroep",
        "Doelgroepadministratie",
        covers=(
            Registercheck,
            Kandidaat,
            NoRiskPolis,
            Ondersteuningsmaatregel,
            Geboorteland,
            Bezwaar,
            Vog,
            Geheimhoudingsverklaring,
        ),
        contribute=contribute,
    )
