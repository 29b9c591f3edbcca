"""Search filters as SPARQL a researcher can run: values become checked IRIs, never text."""

import pyoxigraph as ox
import pytest

from kg.errors import BadRequest
from kg.filter_query import filter_query
from kg.queries import PREFIXES


def test_filters_become_values_blocks_of_iris_and_the_query_parses() -> None:
    text = filter_query({"country": ["ES", "it"], "theme": ["housing"], "kind": ["x"]})
    assert "<http://publications.europa.eu/resource/authority/country/ESP>" in text
    assert "<http://publications.europa.eu/resource/authority/country/ITA>" in text
    assert "<https://w3id.org/rikg/scheme/theme/housing>" in text
    assert "VALUES ?kind" not in text  # not a graph filter: left out
    ox.Store().query(text, prefixes=PREFIXES)  # raises on a syntax error


def test_a_value_that_is_not_an_id_is_refused_before_it_reaches_sparql() -> None:
    with pytest.raises(BadRequest, match="theme value"):
        filter_query({"theme": ["x> } ; DROP ALL ; {"]})
