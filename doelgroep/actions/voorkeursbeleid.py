"""DG-7: voorkeursbeleid — the organisation's documented policy, the country of birth recorded
under it, ending it (which deletes that data), and the employee's objection."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.errors import require
from doelgroep import policies
from doelgroep.models import Bezwaar, Geboorteland, Voorkeursbeleid
from doelgroep.queries import active_beleid
from privacy import audit
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind

from .common import log, record_for_werknemer, require_gate, require_own_organisation

OBJECTION_TEXT_VERSION = "2026-11"
OBJECTION_TEXT = (
    "Ik maak bezwaar tegen de verwerking van mijn geboorteland en dat van mijn ouders en "
    "grootouders voor het voorkeursbeleid. Mijn gegevens worden direct verwijderd en er wordt "
    "niets meer over mij vastgelegd."
)
COUNTRY_FIELDS = ("self_country", "mother_country", "father_country", "grandparents_countries")


def record_voorkeursbeleid(*, by, group_description, documentation, decided_on, request=None):
    require_gate(by)
    errors = {}
    if not (group_description or "").strip():
        errors["group_description"] = "Omschrijf de groep met een aantoonbare achterstand."
    if active_beleid(by.organisation_id) is not None:
        errors["group_description"] = "Er is al een voorkeursbeleid van kracht; beëindig dat eerst."
    if len((documentation or "").strip()) < 40:
        errors["documentation"] = (
            "Leg vast waaruit de achterstand blijkt (bron, cijfers); zonder gedocumenteerde "
            # DG-7 (named in words in the text people read)
            "achterstand is voorkeursbeleid niet toegestaan."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        beleid = Voorkeursbeleid.objects.create(
            organisation_id=by.organisation_id,
            group_description=group_description,
            documentation=documentation,
            decided_on=decided_on,
            recorded_by=by,
        )
        log(AuditAction.CREATE, beleid, None, "voorkeursbeleid vastgelegd", by=by, request=request)
    return beleid


def end_voorkeursbeleid(*, by, beleid, ended_on, request=None) -> int:
    """Ending the policy ends the processing: its country-of-birth data is deleted."""
    require_gate(by)
    require_own_organisation(by, beleid.organisation_id)
    with transaction.atomic():
        Voorkeursbeleid.objects.filter(pk=beleid.pk).update(ended_on=ended_on)
        deleted, _ = Geboorteland.objects.filter(beleid=beleid).delete()
        log(
            AuditAction.DELETE,
            beleid,
            None,
            f"voorkeursbeleid beëindigd; {deleted} registraties verwijderd",
            by=by,
            request=request,
        )
    return deleted


def record_geboorteland(*, by, werknemer, request=None, **countries) -> Geboorteland:
    require_gate(by)
    require_own_organisation(by, werknemer.organisation_id)
    beleid = active_beleid(werknemer.organisation_id)
    if beleid is None:
        raise ValidationError(
            "Geboorteland mag alleen worden vastgelegd bij een voorkeursbeleid met een "
            # DG-7 (named in words in the text people read)
            "gedocumenteerde achterstand. Leg dat eerst vast."
        )
    if Bezwaar.objects.filter(werknemer=werknemer).exists():
        raise ValidationError(
            # DG-7 (named in words in the text people read)
            "Deze werknemer heeft bezwaar gemaakt; er mag niets meer worden vastgelegd."
        )
    if not (countries.get("self_country") or "").strip():
        raise ValidationError({"self_country": "Vul het geboorteland van de werknemer in."})
    return record_for_werknemer(
        Geboorteland,
        by=by,
        werknemer=werknemer,
        values={"beleid": beleid, **{f: countries.get(f, "") for f in COUNTRY_FIELDS}},
        detail="geboorteland vastgelegd",
        request=request,
    )


def object_to_voorkeursbeleid(*, by, werknemer, request=None) -> bool:
    """DG-7: the employee objects — at any time, without reasons — and the data is deleted at
    once; from then on nothing may be recorded for them."""
    require(policies.may_object(by, werknemer))
    with transaction.atomic():
        bezwaar, created = Bezwaar.objects.get_or_create(werknemer=werknemer)
        deleted, _ = Geboorteland.objects.filter(werknemer=werknemer).delete()
        if created:
            toestemming.record(
                kind=ConsentKind.VOORKEURSBELEID,
                subject=werknemer.pseudonym,
                by=by,
                given=False,
                text_version=OBJECTION_TEXT_VERSION,
                text=OBJECTION_TEXT,
                scope="geboorteland van werknemer, ouders en grootouders (voorkeursbeleid)",
                obj=bezwaar,
            )
        audit.record(
            AuditAction.DELETE,
            "doelgroep.geboorteland",
            [werknemer.pk],
            subject=werknemer.pseudonym,
            detail="bezwaar voorkeursbeleid: gegevens verwijderd",
            request=request,
            actor=by,
        )
    return created or bool(deleted)
