"""The retention rule table (RT-1..6): data category → period → the event that starts the clock
→ rule ID and source. This file is the ONE place where a change in the law is made; the domain
apps name a row by its key when they register a category (retention.registry), and the
processing register (AV-1) prints it.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Func


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        month = start.month - 1 + self.months
        year = start.year + self.years + month // 12
        month = month % 12 + 1
        day = start.day
        while True:
            try:
                end = start.replace(year=year, month=month, day=day)
                break
            except ValueError:  # 29 Feb / 31st in a shorter month: the last day of that month
                day -= 1
        return end.fromordinal(end.toordinal() + self.days)

    def sql(self, start) -> Func:
        """`after` in PostgreSQL, for set-based dates (retention/purge.py): `start` an expression
        of type date (NULL stays NULL). A date plus an interval of months clamps a day past the
        month's end to its last day, as `after` does (31 Jan + 1 month = 28/29 Feb; 29 Feb + 1
        year = 28 Feb): PostgreSQL manual, "Date/Time Functions and Operators" (9.9);
        tests/retention/test_sql_dates.py checks every rule against `after`."""
        return _PeriodAfter(start, period=self)

    def __str__(self):
        parts = []
        if self.years:
            parts.append(f"{self.years} jaar")
        if self.months:
            parts.append(f"{self.months} maanden")
        if self.days:
            parts.append(f"{self.days} dagen")
        return " en ".join(parts) or "0 dagen"


class _PeriodAfter(Func):
    """(start + make_interval(years, months))::date + days; the figures are the rule table's
    integers, written into the SQL (no parameters: the same text for every row)."""

    output_field = DateField()

    def __init__(self, start, *, period: Period):
        super().__init__(start)
        years, months, days = int(period.years), int(period.months), int(period.days)
        self.template = (
            f"((%(expressions)s + make_interval(years => {years}, months => {months}))::date"
            f" + {days})"
        )


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str
    period: Period
    starts: str  # the event that starts the clock, in Dutch
    rule_id: str
    source: str
    # RT-5: the longest a recorded extension may reach, counted from the same event.
    max_extension: Period | None = None


RULES = {
    rule.key: rule
    for rule in [
        RetentionRule(
            "verzuimadministratie",
            "administratieve verzuimgegevens van de werkgever",
            Period(years=2),
            "einde dienstverband",
            "RT-1",
            "AP, Beleidsregels verwerking gezondheidsgegevens zieke werknemers (2016)",
        ),
        RetentionRule(
            "reintegratiedossier",
            "re-integratiedossier van de werkgever",
            Period(years=2),
            "afronding van de re-integratie (einde verzuim of dienstverband)",
            "RT-1",
            "AP, Beleidsregels verwerking gezondheidsgegevens zieke werknemers (2016)",
        ),
        RetentionRule(
            "eigenrisicodrager_zw",
            "verzuimgegevens bij eigenrisicodragerschap Ziektewet",
            Period(years=5),
            "laatste verzuimdag (de dag vóór de hersteldag), als de werkgever in de periode van "
            "het verzuim eigenrisicodrager Ziektewet was",
            "RT-2",
            "Ziektewet; AP, Beleidsregels (2016)",
        ),
        RetentionRule(
            "eigenrisicodrager_wga",
            "verzuimgegevens bij eigenrisicodragerschap WGA",
            Period(years=10),
            "laatste verzuimdag, alleen bij een verzuim dat tot de WIA-aanvraag leidde (ziek tot "
            "in de aanvraagperiode, week 88) en als de werkgever toen eigenrisicodrager WGA was",
            "RT-3",
            "Wet WIA; AP, Beleidsregels (2016)",
        ),
        RetentionRule(
            "aanstellingskeuring",
            "dossier aanstellingskeuring",
            Period(months=6),
            "aanvraag van de keuring",
            "RT-4",
            "AP, Beleidsregels (2016); Wet op de medische keuringen",
        ),
        RetentionRule(
            "medisch_dossier",
            "medisch dossier van de bedrijfsarts",
            Period(years=20),
            "laatste wijziging van het dossier",
            "RT-4",
            "WGBO, art. 7:454 BW (20 jaar sinds 2020; de AP-tekst van 2016 noemt 15)",
        ),
        RetentionRule(
            "medisch_dossier_blootstelling",
            "medisch dossier bij blootstelling aan asbest, straling of kankerverwekkende stoffen",
            Period(years=40),
            "laatste wijziging van het dossier",
            "RT-4",
            "WGBO; Arbeidsomstandighedenbesluit (beroepsziekten)",
        ),
        RetentionRule(
            "reintegratiebedrijf",
            "dossier van het re-integratiebedrijf",
            Period(years=2),
            "einde van het traject",
            "RT-5",
            "AP, Beleidsregels (2016)",
            max_extension=Period(years=4),
        ),
        RetentionRule(
            "doelgroepadministratie",
            "doelgroepadministratie (banenafspraak, no-riskpolis, maatregelen)",
            Period(years=2),
            "einde dienstverband",
            "RT-1",
            "AVG art. 5 lid 1e (opslagbeperking), naar analogie van de verzuimadministratie",
        ),
        RetentionRule(
            "sollicitant",
            "controle doelgroepregister van een sollicitant",
            Period(months=1),
            "controle van het register",
            "RT-6",
            "AVG art. 5 lid 1e; AP: sollicitatiegegevens tot 4 weken na de procedure",
        ),
    ]
}
