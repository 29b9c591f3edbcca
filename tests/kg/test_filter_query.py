"""Search filters as SPARQL a researcher can run: values become checked IRIs, never text."""

import numpy as np
import pyoxigraph as ox
import pytest
import yaml

from kg.errors import BadRequest
from kg.filter_query import filter_query
from kg.queries import PREFIXES
from kg.search.types import YEARS
from kg.store import LocalStore


def test_filters_become_values_blocks_of_iris_and_the_query_parses() -> None:
    text = filter_query({"country": ["ES", "it"], "theme": ["housing"], "kind": ["policy"]})
    assert "<http://publications.europa.eu/resource/authority/country/ESP>" in text
    assert "<http://publications.europa.eu/resource/authority/country/ITA>" in text
    assert "<https://w3id.org/rikg/scheme/theme/housing>" in text
    assert 'VALUES ?kind { "policy" }' in text
    ox.Store().query(text, prefixes=PREFIXES)  # raises on a syntax error


def test_a_value_that_is_not_an_id_is_refused_before_it_reaches_sparql() -> None:
    with pytest.raises(BadRequest, match="theme value"):
        filter_query({"theme": ["x> } ; DROP ALL ; {"]})
    with pytest.raises(BadRequest, match="kind value"):
        filter_query({"kind": ['x" } ; DROP ALL ; {']})


def test_a_region_filter_holds_the_regions_inside_it_and_names_in_any_language() -> None:
    """The query the search page shows for `nuts=ES24` (Aragón) finds the practices whose places
    are in its provinces, as the page's results do: it had found none, and for Teruel only the
    one record named in English (a trial)."""
    from ingest.pipeline import ingest_records
    from kg.sparql import run_query
    from tests.conftest import BASE, BUNDLED

    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    found = {
        row["record"].value.rsplit("/", 1)[-1]
        for row in run_query(
            store.current(), filter_query({"nuts": ["ES24"], "kind": ["initiative"]})
        )
    }
    expected = set()
    for path in (BUNDLED / "initiative").glob("*.md"):
        meta = yaml.safe_load(path.read_text().split("---")[1])
        codes = list(meta.get("nuts") or [])
        for place in meta.get("places") or []:
            given = place.get("nuts") or []
            codes += given if isinstance(given, list) else [given]
        if any(str(c).startswith("ES24") for c in codes):
            expected.add(path.stem)
    assert found == expected
    assert "accem-burbaguena" in found  # its name is Spanish


@pytest.mark.parametrize(
    ("countries", "years"),
    [
        (["IT", "ES"], (2015, YEARS[1])),
        ([], (2000, 2010)),
        ([], (2021, 2021)),
        (["DE"], (2030, 2040)),
    ],
)
def test_a_year_range_finds_what_the_search_keeps(
    countries: list[str], years: tuple[int, int]
) -> None:
    """An Italian researcher's "Italy or Spain, active since 2015" listed 32 practices and its
    "show as SPARQL" returned 40: the range was left out of the query. Now the query keeps what
    the search keeps, records known only by their end year (Youth4All) included."""
    from ingest.pipeline import ingest_records
    from kg.search import SearchService
    from kg.search.embed import HashEmbedder
    from kg.search.rank import filter_keeps
    from kg.search.types import SearchQuery
    from kg.settings import Settings
    from kg.sparql import run_query
    from tests.conftest import BASE, BUNDLED

    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"})
    index = SearchService(store, settings, embedder=HashEmbedder()).index()
    filters = {"country": countries, "kind": ["initiative"]} if countries else {}
    query = SearchQuery(filters=filters, years=years)
    keep = np.logical_and.reduce(list(filter_keeps(index, query).values()))
    searched = {index.docs[i].slug for i in np.flatnonzero(keep)}
    found = {
        row["record"].value.rsplit("/", 1)[-1]
        for row in run_query(store.current(), filter_query(filters, years))
    }
    assert found == searched
    if years[0] == 2015:
        assert "youth4all" in found  # known by its end only (2024), in Spain
    if years == (2030, 2040):
        assert found == set()


@pytest.mark.parametrize(
    "filters",
    [
        {"country": ["ES"]},
        {"country": ["ES"], "kind": ["organisation"]},
        {"theme": ["housing"], "kind": ["initiative", "policy"]},
        {"kind": ["event"]},
        {"initiative_type": ["local-practice"]},
        {"initiative_type": ["pilot", "network"], "country": ["IE", "DE"]},
        {"initiative_type": ["no-such-type"]},
        {"initiative_type": ["Pilot"]},  # not the code "pilot": rikg:Pilot had found 7
        {"initiative_type": ["Initiative"]},
    ],
)
def test_each_record_type_tab_gives_the_query_of_what_it_lists(
    filters: dict[str, list[str]],
) -> None:
    """A researcher on the "Organisations" tab opened "show as SPARQL" and got initiatives: the
    query listed initiatives whatever the tab, and under "All" it left the other kinds out."""
    from ingest.pipeline import ingest_records
    from kg.search import SearchService
    from kg.search.embed import HashEmbedder
    from kg.search.rank import filter_keeps
    from kg.search.types import SearchQuery
    from kg.settings import Settings
    from kg.sparql import run_query
    from tests.conftest import BASE, BUNDLED

    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"})
    index = SearchService(store, settings, embedder=HashEmbedder()).index()
    keep = np.logical_and.reduce(list(filter_keeps(index, SearchQuery(filters=filters)).values()))
    searched = {(index.docs[i].kind, index.docs[i].slug) for i in np.flatnonzero(keep)}
    found = {
        (row["kind"].value, row["record"].value.rsplit("/", 1)[-1])
        for row in run_query(store.current(), filter_query(filters))
    }
    assert found == searched
    assert {kind for kind, _ in found} == set(filters.get("kind") or {k for k, _ in searched})
    if filters.get("initiative_type", ["pilot"])[0].islower() and filters != {
        "initiative_type": ["no-such-type"]
    }:
        assert found
