"""Concepts with what links to them, for the browse pages."""

from kg.browse import concept_page, usage
from kg.store import LocalStore
from tests.conftest import BASE

HOUSING = "https://w3id.org/rikg/scheme/theme/housing"


def test_concepts_in_use_are_counted_under_their_property(loaded: LocalStore) -> None:
    by_property = usage(loaded.current())
    themes = by_property["http://purl.org/dc/terms/subject"]
    assert {c.iri for c in themes} >= {HOUSING}
    assert all(c.count == 1 for c in themes)


def test_a_concept_page_has_labels_in_every_language_and_its_records(loaded: LocalStore) -> None:
    page = concept_page(loaded.current(), HOUSING)
    assert page is not None
    assert set(page.labels) >= {"en", "es", "it", "de", "fr"}
    records = [r["record"] for rows in page.records.values() for r in rows]
    assert records == [f"{BASE}id/initiative/village-welcome"]


def test_an_unknown_concept_has_no_page(loaded: LocalStore) -> None:
    assert concept_page(loaded.current(), "https://w3id.org/rikg/scheme/theme/none") is None
