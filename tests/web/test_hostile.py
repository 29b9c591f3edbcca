"""Hostile input (issue 8): SPARQL injection through search filters, traversal in dump names."""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"
INJECTIONS = [
    "ES> } DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    'housing" } ; CLEAR ALL ; #',
    "ES%3E%20%7D%20DELETE%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
    "x>}UNION{?record ?p ?o",
]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def client(records_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env(
        {"KG_BASE_URI": BASE, "KG_STORE": "memory"},
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
    )
    search = SearchService(store, settings, embedder=HashEmbedder())
    app = create_app(settings, store=store, search=search)
    with TestClient(app) as c:
        yield c


def triples(client: TestClient) -> str:
    r = client.get("/sparql", params={"query": COUNT + f" # {id(client)}"})
    return str(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("facet", ["country", "theme", "funding", "target_group"])
def test_sparql_injection_through_search_filters_is_impossible(
    client: TestClient, facet: str, value: str
) -> None:
    before = triples(client)
    api = client.get("/api/search", params={"q": "village", facet: value})
    assert api.status_code in (200, 400)
    if api.status_code == 200:
        assert api.json()["total"] == 0  # an unknown value matches nothing
    page = client.get("/search", params={"q": "village", facet: value})
    assert page.status_code in (200, 400)
    for link in re.findall(r'href="(/sparql\?[^"]*)"', page.text):
        shown = unquote(link.replace("&amp;", "&"))
        for word in ("DROP", "CLEAR", "UNION{"):
            assert word not in shown
    assert triples(client) == before


def test_show_as_sparql_binds_only_checked_ids(client: TestClient) -> None:
    from kg.errors import BadRequest
    from kg.filter_query import filter_query

    query = filter_query({"country": ["ES"], "theme": ["housing"]})
    assert "VALUES" in query
    for value in INJECTIONS:
        with pytest.raises(BadRequest):
            filter_query({"country": [value]})


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fstore%2FCURRENT", "....//CURRENT", "%00graph.nq.gz"],
)
def test_traversal_in_dump_names_is_refused(client: TestClient, name: str) -> None:
    r = client.get(f"/data/{name}")
    assert r.status_code in (400, 404)
    assert "root:" not in r.text
