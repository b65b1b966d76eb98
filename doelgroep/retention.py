"""Retention categories of the doelgroep administration, registered in DoelgroepConfig.ready.
Everything per employee is a member of the employee record (verzuim.werknemer: 2 years after the
employment ends); the register check has its own date so an applicant's goes after a month."""

from datetime import UTC

from django.db.models import Case, F, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce, TruncDate

from retention.registry import Category, SqlDates, add_members, no_personal_data, register
from retention.rules import RULES
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
    Voorkeursbeleid,
)

COMMON = {
    "subjects": "werknemers en sollicitanten",
    # DG-6, DG-5 (named in words in the text people read)
    "recipients": "HR en leidinggevenden met een ondertekende geheimhoudingsverklaring; "
    "UWV (controle doelgroepregister); rapportages alleen k-anoniem",
    "legal_basis": "wettelijke plicht: Wet banenafspraak, Ziektewet (no-riskpolis), Wet "
    "algemene bepalingen BSN (AVG art. 6 lid 1c; UAVG art. 46)",
    # DG-6, DG-2 (named in words in the text people read)
    "security": "geheimhoudingsverklaring als toegangspoort, BSN versleuteld, "
    "auditlog van elke inzage, tweestapsverificatie",
}


def registercheck_keep_until(check):
    if check.kandidaat_id:
        return RULES["sollicitant"].period.after(check.checked_on), "sollicitant"
    end = check.werknemer.employment_end
    if end is None:
        return None, "doelgroepadministratie"
    return RULES["doelgroepadministratie"].period.after(end), "doelgroepadministratie"


def kandidaat_keep_until(kandidaat):
    check = getattr(kandidaat, "registercheck", None)
    start = check.checked_on if check else kandidaat.created_at.date()
    return RULES["sollicitant"].period.after(start), "sollicitant"


def statement_keep_until(statement):
    if statement.withdrawn_at is None:
        return None, "doelgroepadministratie"
    return (
        RULES["doelgroepadministratie"].period.after(statement.withdrawn_at.date()),
        "doelgroepadministratie",
    )


def registercheck_keep_until_sql() -> SqlDates:
    applicant = {"kandidaat_id__isnull": False}
    return SqlDates(
        keep_until=Case(
            When(**applicant, then=RULES["sollicitant"].period.sql(F("checked_on"))),
            default=RULES["doelgroepadministratie"].period.sql(F("werknemer__employment_end")),
        ),
        rule=Case(When(**applicant, then=V("sollicitant")), default=V("doelgroepadministratie")),
    )


def kandidaat_keep_until_sql() -> SqlDates:
    """`created_at.date()` in Python is the UTC date (Django reads aware datetimes in UTC)."""
    start = Coalesce(F("registercheck__checked_on"), TruncDate("created_at", tzinfo=UTC))
    return SqlDates(keep_until=RULES["sollicitant"].period.sql(start), rule=V("sollicitant"))


def statement_keep_until_sql() -> SqlDates:
    """`withdrawn_at.date()` in Python is the UTC date; NULL while not withdrawn."""
    withdrawn = TruncDate("withdrawn_at", tzinfo=UTC)
    return SqlDates(
        keep_until=RULES["doelgroepadministratie"].period.sql(withdrawn),
        rule=V("doelgroepadministratie"),
    )


def register_doelgroep():
    # Per-employee records go with the employee record (verzuim.werknemer).
    add_members(
        "verzuim.werknemer", NoRiskPolis, Ondersteuningsmaatregel, Geboorteland, Bezwaar, Vog
    )
    register(
        Category(
            key="doelgroep.registercheck",
            label="controles van het doelgroepregister (met versleuteld BSN)",
            model=Registercheck,
            compute=registercheck_keep_until,
            sql=registercheck_keep_until_sql,
            rules=("doelgroepadministratie", "sollicitant"),
            # DG-1 (named in words in the text people read)
            purpose="banenafspraak: nagaan of iemand in het doelgroepregister staat",
            triggers={Werknemer: lambda w: Registercheck.objects.filter(werknemer=w)},
            order=40,
            **COMMON,
        )
    )
    register(
        Category(
            key="doelgroep.sollicitant",
            label="sollicitanten (alleen voor de registercontrole)",
            model=Kandidaat,
            compute=kandidaat_keep_until,
            sql=kandidaat_keep_until_sql,
            rules=("sollicitant",),
            # DG-1 (named in words in the text people read)
            purpose="banenafspraak: controle van een sollicitant",
            triggers={Registercheck: lambda c: Kandidaat.objects.filter(pk=c.kandidaat_id)},
            order=41,
            **COMMON,
        )
    )
    register(
        Category(
            key="doelgroep.geheimhoudingsverklaring",
            label="geheimhoudingsverklaringen",
            model=Geheimhoudingsverklaring,
            compute=statement_keep_until,
            sql=statement_keep_until_sql,
            rules=("doelgroepadministratie",),
            # DG-6 (named in words in the text people read)
            purpose="bewijs dat alleen wie de verklaring tekende de doelgroepadministratie inziet",
            order=42,
            **{**COMMON, "subjects": "medewerkers van de werkgever (HR, leidinggevenden)"},
        )
    )
    no_personal_data(Voorkeursbeleid, "beleid van de organisatie; geen gegevens over personen")
