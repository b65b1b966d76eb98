"""AV-3, DG-6: the doelgroep administration's part of the data-subject export. Registered in
DoelgroepConfig.ready; privacy/ never imports this app (DESIGN.md).

A special part: it is assembled only by an HR user of the person's organisation who has signed
the current confidentiality statement (DG-6, `may_deliver`), and only with that organisation's
records (SE-9); that HR user gives it to the person (privacy:request_part). The beheerder who
handles the request sees only whether such a part exists and who delivers it (`exists`, which
reads no content) — never the register status or the BSN.

The BSN is given in full to the person, whose own number it is (AVG art. 15). Showing it is
logged like any reveal (DG-2). No internal work notes are held here; everything is exported."""

from accounts.models import User
from privacy import audit
from privacy.export import record, register_contributor
from privacy.models import AuditAction
from verzuim.models import Werknemer

from . import policies
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

DELIVERER = "HR-medewerker met geheimhoudingsverklaring van de organisatie"


def _organisations(pseudonyms) -> set[int]:
    """The organisations that hold doelgroep records of the person."""
    orgs = set(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).values_list("organisation_id", flat=True)
    )
    orgs |= set(
        Kandidaat.objects.filter(pseudonym__in=pseudonyms).values_list("organisation_id", flat=True)
    )
    orgs |= set(
        User.objects.filter(pseudonym__in=pseudonyms, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    return orgs


def may_deliver(user, pseudonyms) -> bool:
    """DG-6, AV-3: HR, past the confidentiality gate, of one of the person's organisations."""
    return policies.may_deliver_export_part(user) and user.organisation_id in _organisations(
        pseudonyms
    )


def exists(pseudonyms) -> bool:
    """Whether the administration holds anything on the person — existence only, no content
    (the beheerder's placeholder, AV-3)."""
    werknemers = Werknemer.objects.filter(pseudonym__in=pseudonyms)
    kandidaten = Kandidaat.objects.filter(pseudonym__in=pseudonyms)
    return (
        kandidaten.exists()
        or Registercheck.objects.filter(werknemer__in=werknemers).exists()
        or any(
            model.objects.filter(werknemer__in=werknemers).exists()
            for model in (NoRiskPolis, Ondersteuningsmaatregel, Geboorteland, Bezwaar, Vog)
        )
        or Geheimhoudingsverklaring.objects.filter(user__pseudonym__in=pseudonyms).exists()
    )


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
            # AV-3 (named in words in the text people read)
            detail="BSN in de inzage-export",
            request=request,
            actor=by,
        )
    return row


def contribute(pseudonyms, *, by, request=None) -> dict:
    """The part for a deliverer's own organisation (privacy.export calls it only when
    `may_deliver`; checked again here so no other caller can reach the content)."""
    if not may_deliver(by, pseudonyms):
        return {}
    org = by.organisation_id
    werknemer_ids = list(
        Werknemer.objects.filter(pseudonym__in=pseudonyms, organisation_id=org).values_list(
            "pk", flat=True
        )
    )
    kandidaten = list(
        Kandidaat.objects.filter(pseudonym__in=pseudonyms, organisation_id=org).order_by("pk")
    )
    checks = Registercheck.objects.filter(organisation_id=org) & (
        Registercheck.objects.filter(werknemer_id__in=werknemer_ids)
        | Registercheck.objects.filter(kandidaat__in=kandidaten)
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
            for s in Geheimhoudingsverklaring.objects.filter(
                user__pseudonym__in=pseudonyms, organisation_id=org
            )
            .select_related("organisation")
            .order_by("pk")
        ],
    }


def register_doelgroep_export():
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
        special="doelgroep",
        deliverer=DELIVERER,
        may_deliver=may_deliver,
        exists=exists,
    )
