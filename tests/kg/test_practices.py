"""Practices as pages list them: a summary line of each initiative, the coordinators' ways in
(organisation pages only), initiatives per place, and the featured practices' rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.practices import Summary, coordinator_contacts, featured, place_counts, summaries
from kg.store import LocalStore
from tests.conftest import BASE, ingested

ID = f"{BASE}id/"


def initiative(folder: Path, slug: str, name: str, country: str, sources: int) -> None:
    urls = "".join(f'  s{i}: {{url: "https://example.org/{slug}/{i}"}}\n' for i in range(sources))
    facts = "".join(
        f'  - {{aspect: scale, text: "fact {i}", source: s{i}}}\n' for i in range(sources)
    )
    (folder / "initiative" / f"{slug}.md").write_text(
        f"---\nname: {name}\ninitiative_type: local-practice\ncountries: [{country}]\n"
        f"facts:\n{facts}sources:\n{urls}---\n{name} helps newcomers. It does more.\n"
    )


@pytest.fixture
def store(records_dir: Path) -> LocalStore:
    org = records_dir / "organisation" / "test-ngo.md"
    org.write_text(
        org.read_text().replace(
            "country: ES\n",
            "country: ES\nurl: https://ngo.example.org/\n"
            "contact_url: https://ngo.example.org/contact\n",
        )
    )
    initiative(records_dir, "many-sources", "Many Sources", "ES", 3)
    initiative(records_dir, "italian-one", "Italian One", "IT", 1)
    store = ingested(records_dir, base=BASE)
    return store


def test_a_summary_says_what_where_and_when(store: LocalStore) -> None:
    s = summaries(store.current())[f"{ID}initiative/village-welcome"]
    assert s.name() == "Village Welcome"
    assert s.what() == (
        "A test initiative that helps refugee families settle in small villages with empty houses."
    )
    assert s.places[0].endswith("/country/ESP")  # the country before its regions
    assert any(p.endswith("/ES242") for p in s.places)
    assert (s.starts, s.ends) == ({"2019"}, {"2021", "2022"})  # both sources' ends
    assert s.sources == {"https://example.org/a", "https://example.org/b"}


def test_what_is_the_first_sentence_cut_at_a_word() -> None:
    s = Summary(
        "x", descriptions={"en": "Homes for families in villages. More text.", "es": "Casas."}
    )
    assert s.what() == "Homes for families in villages."
    assert s.what("es") == "Casas."
    assert s.what(limit=12) == "Homes for…"
    assert (s.what_lang("es"), s.what_lang("it")) == ("es", "en")
    # an acronym's full stops end no sentence: browse lists showed "SU.PR.EME." alone
    acronym = Summary("x", descriptions={"en": "SU.PR.EME. Italia is a project. It ran."})
    assert acronym.what() == "SU.PR.EME. Italia is a project."
    assert Summary("http://x/id/initiative/slug").name() == "slug"


def test_featured_takes_the_best_sourced_one_per_country_then_fills_up(store: LocalStore) -> None:
    assert [s.name() for s in featured(summaries(store.current()).values(), n=2)] == [
        "Many Sources",
        "Italian One",
    ]
    assert [s.name() for s in featured(summaries(store.current()).values(), n=3)] == [
        "Many Sources",
        "Italian One",
        "Village Welcome",
    ]


def test_coordinators_are_reached_through_their_organisation_pages(store: LocalStore) -> None:
    [c] = coordinator_contacts(store.current(), f"{ID}initiative/village-welcome")
    assert (c.iri, c.name) == (f"{ID}organisation/test-ngo", "Test NGO")
    assert c.urls == ["https://ngo.example.org/"]
    assert c.contact_pages == ["https://ngo.example.org/contact"]
    assert coordinator_contacts(store.current(), f"{ID}initiative/italian-one") == []


def test_initiatives_are_counted_per_country_and_region(store: LocalStore) -> None:
    countries, regions = place_counts(store.current())
    assert countries == {"ESP": 2, "ITA": 1}
    assert regions == {"ES242": 1, "ES24": 1}  # Teruel's practice is in Aragón too
