"""What the home page shows besides counts: featured practices with their places, the map's
countries (linked, counted, named in the page's language) and regions; and the lists of a
concept page, practices first."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.browse import usage
from kg.record_document import records_of_kind
from kg.store import LocalStore
from tests.conftest import BUNDLED, ingested
from web.graphfacts import facts_of
from web.homepage import home_context, kind_lists

BASE = "http://kg.test/"


@pytest.fixture
def store(records_dir: Path) -> LocalStore:
    store = ingested(records_dir, base=BASE)
    return store


def test_featured_practices_link_to_their_pages_with_their_places(store: LocalStore) -> None:
    ctx = home_context(facts_of(store), BASE, "es")
    [item] = ctx["featured"]
    assert item["href"] == "/initiative/village-welcome"
    assert item["summary"].name() == "Village Welcome"
    # the card's line names countries, not the region (ES242) the record also names: a
    # trial read "España, Francia, Grecia, Polonia, Teruel" under "one per country"
    assert item["countries"] == ["España"]
    assert ctx["initiative_total"] == 1


def test_the_map_counts_and_links_each_country(store: LocalStore) -> None:
    ctx = home_context(facts_of(store), BASE, "en", link=lambda href: href + "?lang=en")
    [spain] = ctx["map_countries"]
    assert (spain.name, spain.count, spain.href) == ("Spain", 1, "/browse/country/ESP?lang=en")
    assert "<svg" in ctx["map_svg"]
    assert "Spain: 1 initiative" in ctx["map_svg"]
    # Teruel, and Aragón, which holds it
    assert [(code, n) for _, code, n in ctx["map_regions"]] == [("ES24", 1), ("ES242", 1)]


def test_concept_lists_put_initiatives_first_each_record_once(store: LocalStore) -> None:
    rows = {
        "a": records_of_kind(store.current(), "organisation"),
        "b": records_of_kind(store.current(), "initiative") * 2,
    }
    lists = kind_lists(facts_of(store), rows, BASE, "en")
    assert [kind for kind, _ in lists] == ["initiative", "organisation"]
    [practice] = lists[0][1]
    assert practice["href"] == "/initiative/village-welcome"
    assert practice["what"].startswith("A test initiative")
    assert practice["where"][0] == "Spain"


def test_the_regions_beside_the_map_are_the_most_named_first_the_rest_a_link_away() -> None:
    """With the bundled places' regions there are some 90: the home page lists the most named
    (in code order the list had begun "Vienna, Carinthia, Oststeiermark") and links to all."""
    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    ctx = home_context(facts_of(store), BASE, "en")
    counts = [n for _, _, n in ctx["map_regions"]]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) > ctx["regions_shown"]
    names = [name for name, _, _ in ctx["map_regions"]]
    assert "Teruel" in names[: ctx["regions_shown"]]  # named by four practices
    # each count is the one the region's page gives (Aragón holds Teruel's practices too)
    spatial = "http://purl.org/dc/terms/spatial"
    pages = {c.iri.rsplit("/", 1)[-1]: c.count for c in usage(store.current())[spatial]}
    shown = {code: n for _, code, n in ctx["map_regions"]}
    assert shown == {code: n for code, n in pages.items() if code in shown}
    assert shown["ES24"] > shown["ES242"]
