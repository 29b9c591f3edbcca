"""Synthetic initiatives for benchmarks (issue 7): realistic, varied, deterministic by seed.

Each initiative gets a named graph shaped like a curated record's: names, a description of a few
sentences drawn from pools of real phrasing in this field, dates, concepts, countries, NUTS
regions, a coordinator and partners (organisations shared across initiatives), and sources.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from kg.geo import country_iri
from kg.vocab import DCT_NS as D
from kg.vocab import RDF_NS, SCHEME_NS, XSD_NS, graph_iri, record_iri
from kg.vocab import RIKG_NS as R
from kg.vocab import SCHEMA_NS as S

RDF_TYPE = f"{RDF_NS}type"
XSD = XSD_NS

THEMES = [
    "housing",
    "employment",
    "language-learning",
    "education",
    "health",
    "social-cohesion",
    "community-sponsorship",
    "depopulation-revitalisation",
    "mobility-transport",
    "access-to-services",
    "governance-partnership",
    "reception",
    "social-orientation",
    "entrepreneurship",
    "agriculture-food",
    "mentoring-volunteering",
]
GROUPS = [
    "refugees",
    "asylum-seekers",
    "third-country-nationals",
    "newcomers",
    "migrant-families",
    "migrant-youth",
    "migrant-women",
    "host-communities",
    "local-authorities",
]
FUNDING = [
    "amif",
    "horizon-2020",
    "horizon-europe",
    "interreg",
    "eafrd-leader",
    "esf",
    "erdf",
    "national-public",
    "regional-public",
    "private-philanthropy",
]
CHALLENGES = [
    "reduced-services",
    "labour-market-constraints",
    "lack-of-migrant-networks",
    "migrant-mobility",
    "diversity-of-profiles",
    "diversity-of-rural-areas",
]
COUNTRIES = {
    "ES": ["ES242", "ES241", "ES417", "ES424"],
    "IT": ["ITC11", "ITF65"],
    "AT": ["AT21", "AT34"],
    "DE": [],
    "PL": ["PL51"],
    "GR": ["EL611"],
    "FR": [],
    "SE": [],
    "FI": [],
    "PT": [],
    "IE": [],
    "NL": [],
    "SI": [],
    "HU": [],
}
PLACES = [
    "mountain valley",
    "inland province",
    "island municipality",
    "border region",
    "agricultural plain",
    "coastal village",
    "former mining area",
    "wine-growing district",
]
ACTIVITIES = [
    "matches families with job offers and empty houses in small municipalities",
    "runs language courses adapted to seasonal farm work",
    "trains local volunteers as mentors for newly arrived households",
    "brings mayors, employers and NGOs together in a regional round table",
    "organises community sponsorship groups that prepare housing before arrival",
    "supports newcomers in setting up small businesses in village centres",
    "maps public services and transport gaps that keep migrants from settling",
    "offers social orientation sessions on banking, health care and schooling",
    "documents good practices and exchanges them between local action groups",
    "reopens closed schools and shops by welcoming refugee families",
    "studies the social and economic impact of migration on shrinking areas",
    "helps municipalities plan reception in cooperation with the host community",
]
OUTCOMES = [
    "Several dozen families settled for more than two years.",
    "The village school kept its minimum number of pupils.",
    "Local employers filled vacancies in care and agriculture.",
    "A handbook and policy recommendations were published.",
    "Volunteer networks continued after the funding ended.",
    "Municipal staff received training on intercultural work.",
]
ORG_KINDS = [
    "University of",
    "Municipality of",
    "Foundation",
    "Local Action Group",
    "Regional Development Agency of",
    "Association for Integration in",
]
TOWNS = [
    "Alba",
    "Borgo",
    "Castel",
    "Dorf",
    "Emmen",
    "Fonte",
    "Gora",
    "Huerta",
    "Isola",
    "Jarva",
    "Kirch",
    "Lago",
    "Monte",
    "Nava",
    "Olmo",
    "Puente",
    "Quinta",
    "Riva",
    "Sierra",
    "Tarn",
]
SUFFIXES = ["ia", "ano", "berg", "ow", "ella", "ice", "eda", "heim", "una", "ola"]


@dataclass(frozen=True)
class SyntheticGraph:
    graph: str
    record: str
    ntriples: str
    text: str  # what a practitioner would search: name, description, themes


def _lit(text: str, lang: str | None = "en") -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


def _typed(value: str, dtype: str) -> str:
    return f'"{value}"^^<{XSD}{dtype}>'


def generate(
    n: int,
    *,
    seed: int = 42,
    base: str = "http://127.0.0.1:8000/",
    organisations: int | None = None,
) -> Iterator[SyntheticGraph]:
    """`n` initiatives plus the organisations they name (as their own graphs)."""
    rng = random.Random(seed)
    n_orgs = organisations or max(20, n // 5)
    org_names = [
        f"{rng.choice(ORG_KINDS)} {rng.choice(TOWNS)}{rng.choice(SUFFIXES)}" for _ in range(n_orgs)
    ]
    for i, name in enumerate(org_names):
        slug = f"synthetic-org-{i}"
        rec = record_iri(base, "organisation", slug)
        lines = [
            f"<{rec}> <{RDF_TYPE}> <{S}Organization> .",
            f"<{rec}> <{RDF_TYPE}> <{R}Organisation> .",
            f"<{rec}> <{R}kind> {_lit('organisation', None)} .",
            f"<{rec}> <{S}name> {_lit(name)} .",
            f"<{rec}> <{D}source> <https://example.org/synthetic/org/{i}> .",
        ]
        yield SyntheticGraph(
            graph_iri(base, "organisation", slug), rec, "\n".join(lines) + "\n", name
        )
    for i in range(n):
        yield _initiative(rng, i, base, n_orgs)


def _initiative(rng: random.Random, i: int, base: str, n_orgs: int) -> SyntheticGraph:
    slug = f"synthetic-{i}"
    rec = record_iri(base, "initiative", slug)
    town = f"{rng.choice(TOWNS)}{rng.choice(SUFFIXES)}"
    country = rng.choice(list(COUNTRIES))
    place = rng.choice(PLACES)
    acts = rng.sample(ACTIVITIES, 3)
    name = f"{town} {rng.choice(['Welcome', 'Together', 'New Roots', 'Open Villages', 'Bridges'])}"
    description = (
        f"An initiative in a {place} of {country} that {acts[0]}. It also {acts[1]}, "
        f"and {acts[2]}. {rng.choice(OUTCOMES)}"
    )
    start = rng.randint(2005, 2024)
    themes = rng.sample(THEMES, rng.randint(2, 4))
    groups = rng.sample(GROUPS, rng.randint(1, 3))
    lines = [
        f"<{rec}> <{RDF_TYPE}> <{S}Project> .",
        f"<{rec}> <{RDF_TYPE}> <{R}Initiative> .",
        f"<{rec}> <{R}kind> {_lit('initiative', None)} .",
        f"<{rec}> <{S}name> {_lit(name)} .",
        f"<{rec}> <{S}description> {_lit(description)} .",
        f"<{rec}> <{S}startDate> {_typed(str(start), 'gYear')} .",
        f"<{rec}> <{D}spatial> <{country_iri(country)}> .",
        f"<{rec}> <{R}fundingProgramme> <{SCHEME_NS}funding/{rng.choice(FUNDING)}> .",
        f"<{rec}> <{R}coordinator> <{_org(base, rng.randrange(n_orgs))}> .",
        f"<{rec}> <{D}source> <https://example.org/synthetic/{i}> .",
    ]
    if rng.random() < 0.7:
        lines.append(f"<{rec}> <{S}endDate> {_typed(str(start + rng.randint(1, 6)), 'gYear')} .")
    lines += [f"<{rec}> <{D}subject> <{SCHEME_NS}theme/{t}> ." for t in themes]
    lines += [f"<{rec}> <{R}targetGroup> <{SCHEME_NS}target-group/{g}> ." for g in groups]
    if rng.random() < 0.5:
        lines.append(
            f"<{rec}> <{R}addressesChallenge> <{SCHEME_NS}challenge/{rng.choice(CHALLENGES)}> ."
        )
    if COUNTRIES[country]:
        nuts = rng.choice(COUNTRIES[country])
        lines.append(f"<{rec}> <{D}spatial> <http://data.europa.eu/nuts/code/{nuts}> .")
    for _ in range(rng.randint(1, 4)):
        partner = _org(base, rng.randrange(n_orgs))
        lines.append(f"<{rec}> <{R}partner> <{partner}> .")
    text = f"{name}. {description} Themes: {', '.join(themes)}. Groups: {', '.join(groups)}."
    return SyntheticGraph(graph_iri(base, "initiative", slug), rec, "\n".join(lines) + "\n", text)


def _org(base: str, i: int) -> str:
    return record_iri(base, "organisation", f"synthetic-org-{i}")
