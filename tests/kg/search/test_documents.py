"""What the index knows of each record, read from the graph: names, acronyms, descriptions,
disputed claims, linked organisations' names, facet values and the widest span of years."""

from __future__ import annotations

from pathlib import Path

from kg.search.documents import Concept, SearchDoc, gather
from kg.store import LocalStore
from tests.conftest import BASE, ingested


def test_a_record_file_becomes_one_search_document(loaded: LocalStore) -> None:
    docs, _ = gather(loaded.current())
    assert [d.iri for d in docs] == [
        f"{BASE}id/initiative/village-welcome",
        f"{BASE}id/organisation/test-ngo",
    ]
    doc = docs[0]
    assert (doc.kind, doc.slug, doc.name) == ("initiative", "village-welcome", "Village Welcome")
    assert doc.alt_names == ["VW"]
    assert doc.description().startswith("A test initiative that helps refugee families")
    assert doc.claims == ["11 villages", "8 villages"]  # both sides of the disagreement
    # the language each claim is written in, kept apart from the sorted list
    assert doc.languages["11 villages"] == doc.languages["8 villages"] == "en"
    assert doc.linked_names == ["Test NGO"]  # the coordinator's name is searchable
    assert doc.linked == {"coordinator": [f"{BASE}id/organisation/test-ngo"]}  # and by link


def test_facets_hold_the_concept_codes_and_the_larger_regions(loaded: LocalStore) -> None:
    doc = gather(loaded.current())[0][0]
    assert doc.facets["theme"] == ["depopulation-revitalisation", "housing"]
    assert doc.facets["target_group"] == ["refugees"]
    assert doc.facets["funding"] == ["amif"]
    assert doc.facets["country"] == ["ES"]
    assert doc.facets["nuts"] == ["ES24", "ES242"]  # ES242 counts for ES24 too
    assert doc.facets["kind"] == ["initiative"]


def test_where_sources_disagree_on_the_end_the_widest_span_is_kept(loaded: LocalStore) -> None:
    doc = gather(loaded.current())[0][0]
    assert (doc.start, doc.end) == (2019, 2022)  # ends 2021-12 (source a) or 2022-06 (b)


def test_concepts_carry_codes_and_labels_in_the_schemes_languages(loaded: LocalStore) -> None:
    _, concepts = gather(loaded.current())
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    housing = by_code[("theme", "housing")]
    assert housing.label("en") == "Housing"
    assert {"en", "es", "it", "de", "fr"} <= set(housing.labels)
    assert by_code[("country", "ES")].facet == "country"  # places by ISO / NUTS code
    assert by_code[("nuts", "ES242")].broader is not None


def test_labels_and_descriptions_fall_back_to_english_then_any() -> None:
    concept = Concept("c", "theme", "code", {"es": "Vivienda", "en": "Housing"})
    assert (concept.label("es"), concept.label("it")) == ("Vivienda", "Housing")
    assert Concept("c", "theme", "code").label() == "code"
    doc = SearchDoc("i", "initiative", "slug", descriptions={"de": "Wohnen"})
    assert (doc.description("it"), doc.name) == ("Wohnen", "slug")


def test_a_document_round_trips_through_json() -> None:
    doc = SearchDoc("i", "initiative", "s", names={"en": "N"}, facets={"kind": ["initiative"]})
    data = doc.to_json()
    assert "notes" not in data  # empty fields are left out
    assert SearchDoc.from_json(data) == doc


def test_an_event_dated_by_its_start_alone_took_place_that_year(records_dir: Path) -> None:
    """A one-day event was listed among practices "active in 2025": a record with no known end
    is taken to be ongoing, which an event is not."""
    record = (
        '---\nname: Rural integration day\nstart: "2022-10-11"\n'
        "sources: {a: {url: 'https://example.org/day'}}\n---\nA one-day online session.\n"
    )
    store = ingested(records_dir, {"event/rural-day": record}, base=BASE)
    docs = {d.slug: d for d in gather(store.current())[0]}
    assert (docs["rural-day"].start, docs["rural-day"].end) == (2022, 2022)
    assert docs["test-ngo"].end is None  # other records keep an unknown end unknown


def test_a_result_is_titled_by_the_records_own_acronym_as_its_page_is(records_dir: Path) -> None:
    """Results showed only the long name ("Exploring the Integration of Post-2014 Migrants…")
    where the page's title leads with "Whole-COMM"; and of two alternate names written as
    acronyms, the record's own `acronym` leads (untagged), not the first in A–Z order."""
    record = (
        "---\nname: Exploring integration in small towns\nacronym: Whole-COMM\n"
        "alternate_names:\n  - {value: WHOLE COMM, lang: en, source: a}\n"
        "sources: {a: {url: 'https://example.org/w'}}\n---\nA research project.\n"
    )
    store = ingested(records_dir, {"initiative/whole-comm": record}, base=BASE)
    docs = {d.slug: d for d in gather(store.current())[0]}
    assert docs["whole-comm"].title == "Whole-COMM: Exploring integration in small towns"
    assert docs["village-welcome"].title == "VW: Village Welcome"
    assert docs["test-ngo"].title == "Test NGO"  # no short name: the name alone
    again = SearchDoc.from_json(docs["whole-comm"].to_json())  # as a saved index reads it
    assert again.title == docs["whole-comm"].title
