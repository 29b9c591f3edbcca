"""Checks before a public query runs: size, nesting, federation, updates sent as queries."""

import pytest

from kg.endpoint.guard import MAX_DEPTH, inspect_query, inspect_update
from kg.errors import BadRequest, Forbidden, QueryTooLarge


def test_the_form_of_a_read_query_is_found_after_its_prologue() -> None:
    text = "PREFIX ex: <http://x/> # a comment naming SELECT\nCONSTRUCT { ?s ?p ?o } WHERE {}"
    info = inspect_query(text, max_bytes=1000)
    assert info.form == "CONSTRUCT"
    assert info.is_graph


def test_a_query_over_the_size_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(QueryTooLarge, match="KG_SPARQL_MAX_QUERY_BYTES"):
        inspect_query("SELECT * WHERE { ?s ?p ?o }", max_bytes=10)


def test_deep_nesting_is_refused_before_the_engine_sees_it() -> None:
    deep = "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)
    with pytest.raises(BadRequest, match="levels deep"):
        inspect_query(deep, max_bytes=100_000)


def test_service_is_refused_but_the_word_in_a_literal_or_iri_is_harmless() -> None:
    with pytest.raises(Forbidden, match="SERVICE"):
        inspect_query("SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }", max_bytes=1000)
    harmless = 'SELECT * WHERE { ?s ex:service "SERVICE" ; <http://x/SERVICE> ?o }'
    assert inspect_query(harmless, max_bytes=1000).form == "SELECT"


def test_an_update_sent_as_a_query_is_told_where_to_go() -> None:
    with pytest.raises(BadRequest, match="SPARQL Update"):
        inspect_query("INSERT DATA { <http://x/a> <http://x/b> 1 }", max_bytes=1000)


def test_load_is_refused_even_for_the_admin() -> None:
    with pytest.raises(Forbidden, match="LOAD"):
        inspect_update("LOAD <http://evil/data.ttl>", max_bytes=1000)
    assert inspect_update("CLEAR GRAPH <http://x/g>", max_bytes=1000).form == "UPDATE"
