"""Concepts with what links to them, for the browse pages."""

import pyoxigraph as ox
import pytest

from kg.browse import ConceptPage, concept_document, concept_page, known, usage
from kg.errors import NotFound
from kg.store import LocalStore
from kg.vocab import SKOS_NS as SKOS
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


def test_a_concept_is_known_exactly_when_it_has_a_page(bundled: ox.Store) -> None:
    """The pages ask `known` before reading a concept's page (one ASK, not the page's four
    queries): it must say the same as the page would, for concepts with statements, with
    records only below them (a country through its regions) and for none."""
    for iri in (
        HOUSING,
        "https://w3id.org/rikg/scheme/theme/none",
        "http://data.europa.eu/nuts/code/ES24",
        "http://data.europa.eu/nuts/code/DE7",
        "http://data.europa.eu/nuts/code/XX9",
        "http://publications.europa.eu/resource/authority/country/ITA",
    ):
        assert known(bundled, iri) == (concept_page(bundled, iri) is not None), iri


def test_a_concept_document_holds_its_skos_statements_and_the_records_using_it(
    loaded: LocalStore,
) -> None:
    """A harvester reading a concept's document gets its labels in every language, its scheme
    and the records classified under it, with their names, in one request."""
    triples = concept_document(loaded.current(), HOUSING)
    said = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    labels = {
        t.object.language
        for t in triples
        if t.subject.value == HOUSING
        and t.predicate.value == f"{SKOS}prefLabel"
        and isinstance(t.object, ox.Literal)
    }
    assert labels == {"en", "es", "it", "de", "fr"}
    assert (HOUSING, f"{SKOS}inScheme", "https://w3id.org/rikg/scheme/theme") in said
    record = f"{BASE}id/initiative/village-welcome"
    assert (record, "http://purl.org/dc/terms/subject", HOUSING) in said
    assert (record, "http://schema.org/name", "Village Welcome") in said


def test_a_concept_nothing_is_known_of_has_no_document(loaded: LocalStore) -> None:
    with pytest.raises(NotFound):
        concept_document(loaded.current(), "https://w3id.org/rikg/scheme/theme/none")


@pytest.fixture(scope="module")
def bundled() -> ox.Store:
    from ingest.pipeline import ingest_records
    from tests.conftest import BUNDLED

    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    return store.current()


def test_a_region_counts_and_lists_the_places_of_the_regions_inside_it(bundled: ox.Store) -> None:
    """Aragón (ES24) holds the practices whose places are in Teruel (ES242) or Huesca: its page
    and its count had listed 2 where its "search within" link found 5 (a trial); a country
    holds them too."""
    spatial = "http://purl.org/dc/terms/spatial"
    counts = {c.iri.rsplit("/", 1)[-1]: c.count for c in usage(bundled)[spatial]}
    teruel = concept_page(bundled, "http://data.europa.eu/nuts/code/ES242")
    aragon = concept_page(bundled, "http://data.europa.eu/nuts/code/ES24")
    assert teruel is not None
    assert aragon is not None
    in_teruel = {r["record"] for r in teruel.records[spatial]}
    in_aragon = {r["record"] for r in aragon.records[spatial] if r["kind"] == "initiative"}
    assert in_teruel < in_aragon
    assert counts["ES24"] == len(in_aragon) > counts["ES242"] == len(in_teruel) >= 4
    hesse = concept_page(bundled, "http://data.europa.eu/nuts/code/DE7")  # named by none
    assert hesse is not None
    assert counts["DE7"] == len(hesse.records[spatial]) >= 3


def test_a_region_page_is_titled_as_the_lists_name_it() -> None:
    """A French trial read "Kärnten" in a region list and "Carinthia" as the title of the
    page it led to."""
    page = ConceptPage(
        "http://data.europa.eu/nuts/code/AT21", {"de": "Kärnten", "en": "Carinthia"}, {}, {}, "AT21"
    )
    assert page.label("fr") == "Kärnten"
    assert page.label("en") == "Carinthia"
    assert page.label("de") == "Kärnten"


def test_a_region_document_holds_the_regions_inside_it_and_their_records(
    bundled: ox.Store,
) -> None:
    """A linked-data trial found Calabria's page listing the practices of its provinces and
    its data document only those naming Calabria itself (43 of 125 on a country), with no
    way down: the document now says which regions it holds (`skos:narrower`), names them and
    lists the records placed in them, the same records as the page."""
    spatial = "http://purl.org/dc/terms/spatial"
    aragon = "http://data.europa.eu/nuts/code/ES24"
    teruel = "http://data.europa.eu/nuts/code/ES242"
    said = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in concept_document(bundled, aragon)
    }
    assert (aragon, f"{SKOS}narrower", teruel) in said
    assert (teruel, f"{SKOS}broader", aragon) in said
    assert (teruel, f"{SKOS}notation", "ES242") in said
    page = concept_page(bundled, aragon)
    assert page is not None
    listed = {r["record"] for r in page.records[spatial]}
    placed = {s for s, p, o in said if p == spatial}
    assert placed == listed
    named = {s for s, p, o in said if p == "http://schema.org/name"}
    assert placed <= named
    spain = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in concept_document(
            bundled, "http://publications.europa.eu/resource/authority/country/ESP"
        )
    }
    assert (teruel, f"{SKOS}broader", aragon) in spain  # every level below, not only the next


def test_a_broader_concept_holds_the_records_of_its_narrower_ones_on_every_surface(
    bundled: ox.Store,
) -> None:
    """A researcher counted 20 practices on the page of "Agriculture and food" and in SPARQL,
    22 in the search filter its "search within" link gives: the search held the practices
    classified under "Seasonal agricultural work", the page and the query the search page shows
    as SPARQL did not. Every concept with narrower ones in use now gives one set of practices on
    the page, in its count, in its data document, in the search's facet and in that query."""
    from kg.filter_query import filter_query
    from kg.search.documents import gather
    from kg.sparql import run_query

    docs, _ = gather(bundled)
    by_property = usage(bundled)
    filters = {
        "http://purl.org/dc/terms/subject": "theme",
        "https://w3id.org/rikg/ns#targetGroup": "target_group",
        "https://w3id.org/rikg/ns#addressesChallenge": "challenge",
    }
    broader = {
        row["b"].value
        for row in bundled.query(
            f"SELECT DISTINCT ?b WHERE {{ GRAPH ?g {{ ?n <{SKOS}broader> ?b }} }}"
        )
    }
    checked = 0
    for prop, facet in filters.items():
        for concept in by_property.get(prop, []):
            if concept.iri not in broader:
                continue
            code = concept.iri.rsplit("/", 1)[-1]
            page = concept_page(bundled, concept.iri)
            assert page is not None
            listed = {r["record"] for r in page.records[prop] if r["kind"] == "initiative"}
            searched = {
                d.iri for d in docs if d.kind == "initiative" and code in d.facets.get(facet, ())
            }
            queried = {
                row["record"].value
                for row in run_query(bundled, filter_query({facet: [code], "kind": ["initiative"]}))
            }
            placed = {
                t.subject.value
                for t in concept_document(bundled, concept.iri)
                if t.predicate.value == prop
            }
            assert listed == searched == queried, code
            assert concept.count == len(listed), code
            assert listed <= placed, code
            checked += 1
    direct = {
        row["r"].value
        for row in bundled.query(
            "SELECT ?r WHERE { GRAPH ?g { ?r <http://purl.org/dc/terms/subject> "
            "<https://w3id.org/rikg/scheme/theme/agriculture-food> } }"
        )
    }
    agriculture = concept_page(bundled, "https://w3id.org/rikg/scheme/theme/agriculture-food")
    assert agriculture is not None
    theme_rows = agriculture.records["http://purl.org/dc/terms/subject"]
    below = {r["record"] for r in theme_rows if r["kind"] == "initiative"} - direct
    assert below
    for d in docs:  # their tags (result cards, downloads) are what they state
        if d.iri in below:
            assert d.stated is not None
            assert "agriculture-food" not in d.stated["theme"]
            assert "agriculture-food" in d.facets["theme"]
    assert checked >= 3
