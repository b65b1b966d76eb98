"""What the synthetic data set looks like (bench/generate.py): its sizes, the shares that shape
it, the short lists of Dutch words it draws names and addresses from, and the drawing helpers.

Importable without Django."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Shape:
    organisations: int
    employees: int
    ziekmeldingen: int
    dossiers: int
    audit_events: int
    doctors: int
    big_dossier_consults: int = 50


FULL = Shape(500, 100_000, 300_000, 50_000, 1_000_000, doctors=20)
SMALL = Shape(5, 1_000, 3_000, 500, 10_000, doctors=2)

DOMAIN = "bench.verzuimkluis.example"
OPEN_SHARE = 0.03  # ziekmeldingen still open on the generation date
# Employment: still employed / left more than two years ago (RT-1 expired) / left recently.
LEFT_LONG_AGO, LEFT_RECENTLY = 0.50, 0.12
ERD_ZW, ERD_WGA = 0.15, 0.06  # employers that are eigenrisicodrager (RT-2, RT-3)
BENCH_ORGS_LARGEST = 5  # HR users with a manifest entry: the 5 largest employers + the smallest
HR_PER_BENCH_ORG = 3
WINDOW_DAYS = 5 * 365 + 1  # five years of sick reports

FIRST_NAMES = (
    "Anna Bram Carla Daan Eva Fleur Gijs Hanna Iris Jan Joris Kees Lotte Maarten Noor Olaf "
    "Pieter Roos Sanne Thijs Ruben Vera Willem Yara Zoë Bas Britt Dirk Emma Femke Gerrit Hugo "
    "Ilse Jesse Jort Koen Lieke Mila Niels Olivia Paul Quinten Rik Sara Tom Ursula Vince Wouter "
    "Xander Yvonne Annelies Bart Chantal Dennis Esther Frank Gerda Henk Inge Jeroen Karin Luuk "
    "Marieke Nick Petra Rianne Stefan Tessa Ugo Vincent Wendy Marco Sophie Lars Julia Sem Lisa"
).split()
LAST_NAMES = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|"
    "van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|"
    "van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|"
    "Peeters|de Jonge|Kuipers|van Veen|Post|Kuiper|Veenstra|Kramer|van den Brink|Scholten|"
    "van Wijk|Postma|Martens|Vink|de Ruiter|Timmermans|Groen|Gerritsen|Jonker|van Loon|Boer|"
    "van der Velde|Willemsen|Smeets|de Lange|de Vos|Bosch|van Dongen|Schipper|de Koning"
).split("|")
STREETS = (
    "Dorpsstraat Kerkstraat Schoolstraat Molenweg Stationsweg Julianastraat Beatrixlaan "
    "Wilhelminastraat Nieuwstraat Lindelaan Eikenlaan Industrieweg Havenstraat Parklaan Veldweg"
).split()
CITIES = (
    "Amsterdam Rotterdam Utrecht Eindhoven Groningen Tilburg Almere Breda Nijmegen Apeldoorn "
    "Arnhem Haarlem Enschede Amersfoort Zaanstad Zwolle Leiden Maastricht Dordrecht Ede"
).split()
DEPARTMENTS = (
    "Productie Logistiek Administratie Verkoop Techniek Klantenservice ICT Inkoop Facilitair"
).split()
ORG_WORDS = (
    "Noord Zuid Oost West Delta Polder Rivier Duin Haven Kanaal Molen Brug Dijk Veld Bos Meer "
    "Kust Heide Lint Kade"
).split()
ORG_TRADES = (
    "Logistiek Bouw Techniek Zorgdiensten Metaal Voeding Transport Installatie Schoonmaak "
    "Drukkerij Handel Software Advies Onderwijsdiensten Energie"
).split()
AFSPRAKEN = [
    "",
    "",
    "Overdracht van de lopende orders aan de teamleider.",
    "Klantafspraken van deze week worden verzet.",
    "Collega neemt de planning over.",
    "Dienstrooster aangepast; geen lopende projecten.",
    "Sleutels en pas liggen bij de receptie.",
]
WORDS = (
    "werk belasting overleg uren rooster taken collega leidinggevende afspraak opbouw "
    "werkplek planning tempo pauzes vervoer thuiswerken overdracht gesprek verwachting "
    "voortgang begeleiding evaluatie week dagdelen aanpassing ondersteuning"
).split()

# Roughly how long a sick period lasts (days until the recovery date), by share of reports.
DURATIONS = [(0.55, 1, 5), (0.25, 6, 14), (0.12, 15, 42), (0.06, 43, 180), (0.02, 181, 730)]


def uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def weighted_sample(rng, items, weights, k):
    """k distinct items, each drawn with probability proportional to its weight (Efraimidis and
    Spirakis: the k largest u ** (1 / w))."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in zip(items, weights, strict=True) if w > 0]
    keyed.sort(reverse=True)
    return [i for _, i in keyed[:k]]
