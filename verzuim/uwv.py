"""The reports to UWV (RI-11): per report exactly the data UWV's form or online service
(Verzuimmelder in the werkgeversportaal, or the paper form) asks, taken from the case, the employee
and the employer - nothing invented. What the case lacks is listed as missing, with the name of the
field on the report page that asks it (verzuim.forms.UwvFactsForm, stored by
verzuim.actions.uwv.save_facts where it belongs). No diagnosis, cause or other medical data: a
ziekmelding holds none (ZM-2), and nothing here reads the medical module.

Sources, per field group:

- Employer (name, loonheffingennummer): UWV knows the employer by its loonheffingennummer - the
  werkgeversportaal (eHerkenning) and Digipoort reports come from the employer's payroll
  administration, which files under that number (https://www.uwv.nl/werkgevers/werknemer-is-ziek/
  loondoorbetaling/werknemer-is-langdurig-ziek/detail/ziek-melden-bij-uwv: "via uw eigen
  loonadministratie die gekoppeld is aan de database van UWV"); the format: core.validators.
- Employee (BSN, name, date of birth): "your employee's first day of illness, their citizen
  service number (BSN) and any additional personal information" (https://uwv.nl/en/employers/
  forms/sending-us-a-short-version-of-the-return-to-work-report). DG-2 allows the BSN for these
  reports: printed in full only here, and every showing is audited as a read of the BSN.
- First day of illness (every report): the same page; counted over the periods of one case
  (samentelling, ZM-5) - a wrong first day can be fined (https://www.randstad.nl/werkgevers/
  werkpocket/gezond-en-gemotiveerd-personeel/ziekteverzuim-en-reintegratie/
  ziekmelding-door-de-werkgever: "geeft de eerste verzuimdag fout door, dan kan hij een boete
  krijgen").
- 42e-weekmelding: "uiterlijk de eerste werkdag na de 42e ziekteweek ... aangifte van langdurige
  ziekte" (uwv.nl ziek-melden-bij-uwv, above); the due date comes from verzuim/poortwachter.toml.
- Ziektewet (vangnet) ziekmelding: an employee in service "heeft soms recht op een Ziektewet-
  uitkering" - report by sick day 4 or within 6 weeks depending on the provision
  (http://www.uwv.nl/Werkgevers/ziektewetuitkering/fase_1/ziekmelden_bij_UWV.aspx). The employer
  states only THAT a vangnet provision applies, never which (ZM-1).
- Ziek uit dienst: "Doe de ziekmelding van uw werknemer precies op de laatste werkdag van zijn
  dienstverband" (same UWV page; https://inspiratie.uwv.nl/werkgeverschap/werknemer-ziek-uit-dienst)
  - the last day of employment is part of the report.
- Hersteldmelding (Ziektewet): "beter melden binnen 2 dagen nadat hij zich bij u beter heeft
  gemeld" (https://www.uwv.nl/werkgevers/werknemer-met-uitkering/toelichting-voordelen-en-
  regelingen/detail/looncompensatie-bij-ziekte/wanneer-meld-ik-mijn-werknemer-ziek) - the date of
  recovery is part of the report.
"""

from dataclasses import dataclass

from verzuim import deadlines
from verzuim.models import Ziekmelding


@dataclass(frozen=True)
class Report:
    slug: str
    key: str  # the row in verzuim/poortwachter.toml this report completes
    title: str
    explanation: str
    needs_vangnet: bool = False
    needs_employment_end: bool = False
    needs_recovery: bool = False


REPORTS = {
    report.slug: report
    for report in (
        Report(
            slug="42e-week",
            key="melding_42e_week",
            title="Ziekmelding na 42 weken (42e-weekmelding)",
            explanation="Uiterlijk de eerste werkdag na de 42e ziekteweek meldt u de werknemer "
            "ziek bij UWV (aangifte van langdurige ziekte).",
        ),
        Report(
            slug="ziektewet",
            key="vangnet_ziekmelding_uwv",
            title="Ziekmelding Ziektewet (vangnet)",
            explanation="Valt de werknemer onder een vangnetbepaling van de Ziektewet, dan meldt u "
            "hem ziek bij UWV: uiterlijk de vierde ziektedag (voor sommige bepalingen binnen zes "
            "weken; de vroegste datum geldt).",
            needs_vangnet=True,
        ),
        Report(
            slug="ziek-uit-dienst",
            key="ziek_uit_dienst",
            title="Ziek uit dienst",
            explanation="Eindigt het dienstverband tijdens de ziekte, dan meldt u de werknemer "
            "ziek bij UWV op de laatste werkdag - ook als de 42e-weekmelding al is gedaan.",
            needs_employment_end=True,
        ),
        Report(
            slug="hersteldmelding",
            key="hersteldmelding_uwv",
            title="Hersteldmelding (Ziektewet)",
            explanation="Is de werknemer met een Ziektewet-uitkering (vangnet) hersteld, dan meldt "
            "u dat binnen twee dagen aan UWV.",
            needs_vangnet=True,
            needs_recovery=True,
        ),
    )
}


@dataclass(frozen=True)
class Item:
    """One datum of a report: its value as UWV asks it, or None when the case lacks it; `ask`
    names the field of the report page's form that asks it then."""

    label: str
    value: str | None
    ask: str | None = None


@dataclass
class Group:
    title: str
    items: list


@dataclass
class Prepared:
    report: Report
    zm: Ziekmelding
    groups: list
    deadline: object  # the Poortwachter deadline (verzuim.deadlines), or None: not due for it

    @property
    def missing(self) -> list:
        return [item for group in self.groups for item in group.items if item.value is None]

    @property
    def asked(self) -> set:
        return {item.ask for item in self.missing if item.ask}

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def shows_bsn(self) -> bool:
        return any(item.ask == "bsn" and item.value for g in self.groups for item in g.items)


def _date(value) -> str | None:
    return f"{value:%d-%m-%Y}" if value else None


def prepare(report: Report, zm: Ziekmelding) -> Prepared:
    """The report for the case of `zm` (its latest period is read for the case's facts)."""
    chain = list(Ziekmelding.objects.filter(case_id=zm.case_id).order_by("first_day"))
    latest = chain[-1]
    werknemer = latest.werknemer
    organisation = latest.organisation
    groups = [
        Group(
            "Werkgever",
            [
                Item("Naam werkgever", organisation.name),
                Item(
                    "Loonheffingennummer",
                    organisation.loonheffingennummer or None,
                    ask="loonheffingennummer",
                ),
            ],
        ),
        Group(
            "Werknemer",
            [
                Item("Burgerservicenummer (BSN)", werknemer.bsn or None, ask="bsn"),
                Item("Voornaam", werknemer.first_name),
                Item("Achternaam", werknemer.last_name),
                Item("Geboortedatum", _date(werknemer.date_of_birth)),
            ],
        ),
    ]
    verzuim = [Item("Eerste ziektedag", _date(chain[0].first_day))]
    if report.needs_vangnet:
        vangnet = any(z.vangnet for z in chain)
        verzuim.append(
            Item(
                "Valt onder een vangnetbepaling van de Ziektewet",
                "ja" if vangnet else None,
                ask="vangnet",
            )
        )
    if report.needs_employment_end:
        verzuim.append(
            Item(
                "Laatste dag van het dienstverband",
                _date(werknemer.employment_end),
                ask="employment_end",
            )
        )
    if report.needs_recovery:
        verzuim.append(
            Item("Volledig hersteld per", _date(latest.recovered_on), ask="recovered_on")
        )
    groups.append(Group("Verzuim", verzuim))
    found = {(d.key, d.occurrence): d for d in deadlines.deadlines_for(latest, chain=chain)}
    deadline = found.get((report.key, 1))
    if deadline is not None and deadline.state == "not_applicable":
        deadline = None
    return Prepared(report=report, zm=latest, groups=groups, deadline=deadline)
