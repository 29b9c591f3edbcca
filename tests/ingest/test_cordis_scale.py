"""Issue 7: a CORDIS-format export of 200 projects with their organisations ingests beside the
curated records, validates, and shows up in search and SPARQL; the three curated Horizon 2020
projects (MATILDE, WHOLE-COMM, WELCOMING SPACES) are merged, not duplicated.

The 200 projects are generated here with the documented headers (fictional ids 9920xxxxx);
the three curated ones carry only their id, acronym and title as the curated records give them.
"""

import csv
import io
import random
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from ingest.cordis import ingest_cordis
from ingest.pipeline import ingest_records
from kg.queries import PREFIXES
from kg.search import SearchQuery, SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE, BUNDLED

PROJECT_COLUMNS = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost",
    "ecMaxContribution", "legalBasis", "topics", "ecSignatureDate", "frameworkProgramme",
    "masterCall", "subCall", "fundingScheme", "objective", "contentUpdateDate", "rcn",
    "grantDoi", "keywords",
]  # fmt: skip
ORG_COLUMNS = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
    "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
    "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role",
    "ecContribution", "netEcContribution", "totalCost", "endOfParticipation", "active",
]  # fmt: skip
CURATED = {"870831": "matilde", "101004714": "whole-comm", "870952": "welcoming-spaces"}
WORDS = [
    "villages",
    "newcomers",
    "housing",
    "language",
    "employment",
    "farms",
    "schools",
    "care",
    "mountains",
]
COUNTRIES = [("ES", "ES242"), ("IT", "ITC11"), ("DE", "DE21"), ("AT", "AT33"), ("FR", "FRK2")]


def _curated_names() -> dict[str, tuple[str, str]]:
    out = {}
    for pid, slug in CURATED.items():
        front = yaml.safe_load((BUNDLED / "initiative" / f"{slug}.md").read_text().split("---")[1])
        out[pid] = (str(front.get("acronym", slug.upper())), str(front["name"]))
    return out


def _csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode()


def make_export(path: Path, n: int = 200) -> Path:
    rng = random.Random(200)
    projects, orgs = [], []
    ids = {f"99200{i:04d}": None for i in range(n)}
    names = _curated_names()
    for pid in [*ids, *names]:
        if pid in names:
            acronym, title = names[pid]
            projects.append(
                {"id": pid, "acronym": acronym, "title": title, "frameworkProgramme": "H2020"}
            )
            continue
        words = rng.sample(WORDS, 3)
        cost = f"{rng.randint(100_000, 3_000_000)},{rng.randint(0, 99):02d}"
        projects.append(
            {
                "id": pid,
                "acronym": f"FIC{pid[-4:]}",
                "title": f"Fictional project {pid[-4:]} on {' and '.join(words)}",
                "startDate": f"20{rng.randint(15, 22)}-0{rng.randint(1, 9)}-01",
                "frameworkProgramme": "H2020",
                "totalCost": cost,
                "ecMaxContribution": cost,
                "topics": "MIGRATION-99-2019",
                "objective": f"An invented test project about {', '.join(words)} in rural areas.",
                "keywords": ", ".join(words),
            }
        )
        for order in range(rng.randint(1, 4)):
            country, nuts = rng.choice(COUNTRIES)
            org = f"9910{rng.randint(0, 499):04d}"
            orgs.append(
                {
                    "projectID": pid,
                    "projectAcronym": f"FIC{pid[-4:]}",
                    "organisationID": org,
                    "name": f"FICTIONAL ORGANISATION {org}",
                    "country": country,
                    "nutsCode": nuts,
                    "order": str(order + 1),
                    "role": "coordinator" if order == 0 else "participant",
                    "active": "true",
                }
            )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.csv", _csv(PROJECT_COLUMNS, projects))
        zf.writestr("organization.csv", _csv(ORG_COLUMNS, orgs))
    return path


def count(store: GraphStore, query: str) -> int:
    result = store.current().query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    tmp = tmp_path_factory.mktemp("cordis200")
    store = LocalStore(tmp / "store")
    ingest_records(store, [BUNDLED], base=BASE)
    report = ingest_cordis(store, make_export(tmp / "export.zip"), base=BASE)
    assert report.errors == []
    assert report.projects == 203
    assert sorted(report.merged) == sorted(f"{BASE}id/initiative/{s}" for s in CURATED.values())
    return store


def test_two_hundred_projects_are_in_sparql_and_the_curated_three_are_merged(
    loaded: GraphStore,
) -> None:
    fictional = count(
        loaded,
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Project ; schema:identifier ?id "
        'FILTER(STRSTARTS(?id, "99200")) }',
    )
    assert fictional == 200
    for pid, slug in CURATED.items():
        same = count(
            loaded,
            f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a schema:Project ; "
            f'schema:identifier "{pid}" }}',
        )
        assert same == 1, slug
        standalone = count(
            loaded,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ <{BASE}id/initiative/cordis-{pid}> ?p ?o }}",
        )
        assert standalone == 0, slug
    orgs = count(
        loaded,
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?p rikg:coordinator ?o "
        'FILTER(STRSTARTS(STR(?o), "' + BASE + 'id/organisation/cordis-9910")) }',
    )
    assert orgs > 100


def test_the_projects_are_found_by_search(loaded: GraphStore, tmp_path: Path) -> None:
    settings = Settings.from_env({"KG_BASE_URI": BASE}, cache_dir=tmp_path / "cache")
    service = SearchService(loaded, settings, embedder=HashEmbedder())
    hits = service.search(SearchQuery("Fictional project 0042", mode="keyword", limit=5)).hits
    assert hits[0].doc.slug == "cordis-992000042"
    results = service.search(SearchQuery("", filters={"country": ["AT"]}, limit=1))
    assert results.total > 0
