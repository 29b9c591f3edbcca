"""Search filters as SPARQL a researcher can run: values become checked IRIs, never text."""

import pyoxigraph as ox
import pytest
import yaml

from kg.errors import BadRequest
from kg.filter_query import filter_query
from kg.queries import PREFIXES
from kg.store import LocalStore


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
        for row in run_query(store.current(), filter_query({"nuts": ["ES24"]}))
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
