"""`rikg:similarity(?record, "text")` inside SPARQL: a record scored against a text by meaning,
unbound for anything that is not a record, and syntax errors as query errors."""

from __future__ import annotations

from typing import cast

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.search.cache import VectorCache
from kg.search.embed import HashEmbedder
from kg.search.index import SearchIndex
from kg.search.service import SearchService
from kg.search.sparql import run_query_with_search
from kg.settings import Settings
from kg.store import LocalStore
from tests.conftest import BASE

RECORD = f"<{BASE}id/initiative/village-welcome>"


@pytest.fixture
def index(loaded: LocalStore, settings: Settings) -> SearchIndex:
    return SearchService(loaded, settings, embedder=HashEmbedder(), cache=VectorCache(None)).index()


def score(loaded: LocalStore, index: SearchIndex, record: str, text: str) -> ox.Literal | None:
    query = f'SELECT ?s WHERE {{ BIND(rikg:similarity({record}, "{text}") AS ?s) }}'
    [row] = list(cast(ox.QuerySolutions, run_query_with_search(loaded.current(), query, index)))
    return cast(ox.Literal | None, row["s"])


def test_a_record_is_closer_to_a_text_about_it(loaded: LocalStore, index: SearchIndex) -> None:
    near = score(loaded, index, RECORD, "refugee families settle in small villages")
    far = score(loaded, index, RECORD, "offshore wind turbines")
    assert near is not None
    assert far is not None
    assert near.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    assert -1.0 <= float(far.value) < float(near.value) <= 1.0


def test_the_score_is_unbound_for_what_is_not_a_record(
    loaded: LocalStore, index: SearchIndex
) -> None:
    assert score(loaded, index, "<http://example.org/nothing>", "villages") is None
    assert score(loaded, index, '"a literal"', "villages") is None


def test_the_default_graph_is_every_records_graph(loaded: LocalStore, index: SearchIndex) -> None:
    query = f"SELECT ?name WHERE {{ {RECORD} schema:name ?name }}"
    rows = cast(ox.QuerySolutions, run_query_with_search(loaded.current(), query, index))
    assert [cast(ox.Literal, r["name"]).value for r in rows] == ["Village Welcome"]


def test_a_syntax_error_is_a_query_error(loaded: LocalStore, index: SearchIndex) -> None:
    with pytest.raises(QuerySyntaxError, match=r"^SPARQL syntax error"):
        run_query_with_search(loaded.current(), "SELEC ?x WHERE {}", index)
