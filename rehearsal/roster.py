"""The rehearsal's cast: forty simulated remote participants of the Baku Open Forum, and its facilitator.

The people are fictional; their affiliations are kinds of organisation, never real ones, so no real
person or body is made to say anything. The spread follows who joined IGF 2012 remotely: all six
stakeholder groups, all five UN regional groups, and most voices from developing countries.

Each participant leans towards one "camp" on enhanced cooperation, which the script turns into
likely stances (see rehearsal/script.py):
- `reform`: existing arrangements leave governments without a place; a new intergovernmental home is needed.
- `evolve`: the pieces exist but must be improved and better connected; analyse before building.
- `keep`: the distributed multistakeholder model already is enhanced cooperation; do not centralise it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from bot.forum import REGIONS, STAKEHOLDERS

Camp = Literal["reform", "evolve", "keep"]
CAMPS: tuple[Camp, ...] = ("reform", "evolve", "keep")


@dataclass(frozen=True, slots=True)
class Participant:
    name: str  # the display name
    stakeholder: str  # a key of bot.forum.STAKEHOLDERS
    region: str  # a key of bot.forum.REGIONS
    city: str  # where they join from
    affiliation: str  # a kind of organisation, never a real one
    camp: Camp

    @property
    def handle(self) -> str:
        """The Discord username: "Lúcia Mendes" -> "lucia.mendes"."""
        ascii_name = unicodedata.normalize("NFKD", self.name.replace("ı", "i")).encode("ascii", "ignore").decode()
        return ".".join(ascii_name.lower().replace("'", "").replace("-", ".").split())

    @property
    def zone(self) -> ZoneInfo:
        """Where the participant's day is, so the script has them act at plausible local hours."""
        return ZoneInfo(CITY_ZONES.get(self.city, "Asia/Baku"))


CITY_ZONES = {
    "Accra": "Africa/Accra",
    "Addis Ababa": "Africa/Addis_Ababa",
    "Amsterdam": "Europe/Amsterdam",
    "Baku": "Asia/Baku",
    "Bangkok": "Asia/Bangkok",
    "Belgrade": "Europe/Belgrade",
    "Bengaluru": "Asia/Kolkata",
    "Berlin": "Europe/Berlin",
    "Brasília": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Dakar": "Africa/Dakar",
    "Dhaka": "Asia/Dhaka",
    "Dublin": "Europe/Dublin",
    "Geneva": "Europe/Zurich",
    "Istanbul": "Europe/Istanbul",
    "Jakarta": "Asia/Jakarta",
    "Johannesburg": "Africa/Johannesburg",
    "Kampala": "Africa/Kampala",
    "Kyiv": "Europe/Kyiv",
    "La Paz": "America/La_Paz",
    "Lagos": "Africa/Lagos",
    "Mexico City": "America/Mexico_City",
    "Nairobi": "Africa/Nairobi",
    "New Delhi": "Asia/Kolkata",
    "Nsukka": "Africa/Lagos",
    "Paris": "Europe/Paris",
    "Port of Spain": "America/Port_of_Spain",
    "Prague": "Europe/Prague",
    "Santiago": "America/Santiago",
    "Singapore": "Asia/Singapore",
    "Stockholm": "Europe/Stockholm",
    "Suva": "Pacific/Fiji",
    "São Paulo": "America/Sao_Paulo",
    "Tehran": "Asia/Tehran",
    "Tokyo": "Asia/Tokyo",
    "Toronto": "America/Toronto",
    "Tunis": "Africa/Tunis",
    "Warsaw": "Europe/Warsaw",
}

FACILITATOR = Participant(
    "Forum facilitator", "intergovernmental", "weog", "Baku", "Open Forum organising team", "evolve"
)

# name | stakeholder group | UN regional group | city | affiliation (a kind, not a real body) | camp
_ROWS = """
Amina Wanjiru | government | african | Nairobi | ICT ministry | reform
Kwame Asante | government | african | Accra | communications regulator | reform
Rahul Menon | government | asia-pacific | New Delhi | telecom department | reform
Farida Haidari | government | asia-pacific | Tehran | foreign ministry | reform
João Ferreira | government | latin-american-caribbean | Brasília | foreign ministry | reform
Leyla Mammadova | government | eastern-european | Baku | ICT ministry | evolve
Ingrid Svensson | government | weog | Stockholm | foreign ministry | keep
Thomas Becker | government | weog | Berlin | economics ministry | evolve
Chinedu Okafor | private-sector | african | Lagos | mobile operator | evolve
Priya Natarajan | private-sector | asia-pacific | Bengaluru | software industry association | keep
Diego Ramírez | private-sector | latin-american-caribbean | Mexico City | Internet service provider | keep
Oksana Hrytsenko | private-sector | eastern-european | Kyiv | hosting company | keep
Claire Dubois | private-sector | weog | Paris | international business chamber | keep
Rustam Aliyev | private-sector | eastern-european | Baku | telecom operator | evolve
Fatou Diallo | civil-society | african | Dakar | digital rights NGO | evolve
Thandiwe Mokoena | civil-society | african | Johannesburg | community media network | reform
Nasrin Akter | civil-society | asia-pacific | Dhaka | women's ICT network | reform
Arief Santoso | civil-society | asia-pacific | Jakarta | Internet freedom coalition | keep
Lúcia Mendes | civil-society | latin-american-caribbean | São Paulo | digital rights NGO | evolve
Carlos Quispe | civil-society | latin-american-caribbean | La Paz | rural connectivity cooperative | reform
Ana Petrović | civil-society | eastern-european | Belgrade | media freedom NGO | evolve
Gulnara Ismayilova | civil-society | eastern-european | Baku | youth IGF network | evolve
Margaret O'Connell | civil-society | weog | Dublin | privacy advocacy group | keep
Moses Kiprono | technical-community | african | Kampala | ccTLD registry | keep
Youssef Benali | technical-community | african | Tunis | Internet exchange point | evolve
Hiroshi Tanaka | technical-community | asia-pacific | Tokyo | regional Internet registry | keep
Sione Tupou | technical-community | asia-pacific | Suva | Pacific network operators | evolve
Valentina Rojas | technical-community | latin-american-caribbean | Santiago | regional Internet registry | keep
Kerry-Ann James | technical-community | latin-american-caribbean | Port of Spain | Caribbean network operators | evolve
Erik Lindqvist | technical-community | weog | Amsterdam | standards body volunteer | keep
Ngozi Eze | academia | african | Nsukka | law faculty | reform
Mehmet Yılmaz | academia | weog | Istanbul | communication studies | evolve
Wei Lin | academia | asia-pacific | Singapore | public policy school | evolve
Sofía Gutiérrez | academia | latin-american-caribbean | Buenos Aires | Internet governance research centre | reform
Pavel Novák | academia | eastern-european | Prague | computer science department | keep
Rachel Goldberg | academia | weog | Toronto | information studies faculty | evolve
Abdou Ndiaye | intergovernmental | african | Addis Ababa | regional economic commission | evolve
Mariam Rashidova | intergovernmental | asia-pacific | Bangkok | UN regional commission | evolve
Jean-Baptiste Morel | intergovernmental | weog | Geneva | UN specialised agency | evolve
Helena Kowalska | intergovernmental | eastern-european | Warsaw | regional intergovernmental body | keep
"""


def _parse(rows: str) -> tuple[Participant, ...]:
    """The table above as Participants, checked against the bot's closed vocabularies."""
    people = []
    for row in filter(None, (line.strip() for line in rows.splitlines())):
        name, stakeholder, region, city, affiliation, camp = (cell.strip() for cell in row.split("|"))
        if stakeholder not in STAKEHOLDERS or region not in REGIONS or camp not in CAMPS or city not in CITY_ZONES:
            raise ValueError(f"roster row {row!r} uses an unknown stakeholder, region, camp or city")
        people.append(Participant(name, stakeholder, region, city, affiliation, camp))
    return tuple(people)


ROSTER: tuple[Participant, ...] = _parse(_ROWS)
