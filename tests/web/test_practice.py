"""The initiative page as a practice sheet: facts in the sections practitioners know, dates as
the sources give them (disagreements kept), the ways in, most direct first, and the subtype."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.record_document import view
from tests.conftest import ingested
from web.practice import (
    SHOWN_CHARS,
    after_lead,
    described_in,
    lead,
    practice_context,
    shown_address,
)

BASE = "http://kg.test/"


@pytest.fixture
def context(records_dir: Path) -> dict[str, Any]:
    record = records_dir / "initiative" / "village-welcome.md"
    record.write_text(
        record.read_text().replace(
            "facts:\n",
            "url: https://www.village-welcome.example/\n"
            "contact_url: https://village-welcome.example/contact\n"
            "described_in: [https://rural-pact.example/vw]\n"
            "facts:\n"
            '  - {aspect: method, text: "Hosts visit villages first", source: a}\n'
            '  - {aspect: budget-note, text: "EUR 40,000 a year", source: b}\n'
            '  - {aspect: status, text: "Still running", source: a}\n'
            '  - {aspect: lesson, text: "Start with housing", source: a}\n',
        )
    )
    org = (records_dir / "organisation" / "test-ngo.md").read_text()
    with_links = org.replace(
        "country: ES\n",
        "country: ES\nurl: https://ngo.example.org/\ncontact_url: https://ngo.example.org/contact\n",
    )
    store = ingested(records_dir, {"organisation/test-ngo": with_links}, base=BASE)
    v = view(store.current(), base=BASE, kind="initiative", slug="village-welcome")
    return practice_context(store.current(), v, BASE)


def test_facts_go_to_their_sections(context: dict[str, Any]) -> None:
    found = {s.id: [c.text for c in s.claims] for s in context["sections"]}
    assert list(found) == ["context", "activities", "results", "cost", "lessons"]
    assert found["activities"] == ["Hosts visit villages first"]
    assert found["cost"] == ["EUR 40,000 a year"]
    assert found["lessons"] == ["Start with housing"]
    assert sorted(found["results"]) == ["11 villages", "8 villages"]  # both sides kept
    assert [c.text for c in context["status_claims"]] == ["Still running"]


def test_dates_keep_each_sources_value_earliest_first(context: dict[str, Any]) -> None:
    dates = context["dates"]
    assert [v.value for v in dates.ends] == ["2021-12", "2022-06"]
    assert dates.ends_disputed
    assert not dates.starts_disputed


def test_ways_in_most_direct_first(context: dict[str, Any]) -> None:
    got = [(link.what, link.url, link.site) for link in context["contact_links"]]
    assert got == [
        (
            "Contact page of the project",
            "https://village-welcome.example/contact",
            "village-welcome.example/contact",
        ),
        ("Website", "https://www.village-welcome.example/", "village-welcome.example"),
        (
            "Contact page of the coordinator",
            "https://ngo.example.org/contact",
            "ngo.example.org/contact",
        ),
        ("Website of the coordinator", "https://ngo.example.org/", "ngo.example.org"),
    ]
    assert [link.url for link in context["described_in"]] == ["https://rural-pact.example/vw"]
    assert context["contact_href"] == {f"{BASE}id/organisation/test-ngo": "/organisation/test-ngo"}


def test_a_partners_website_is_a_way_in_when_no_nearer_one_is_known(records_dir: Path) -> None:
    """A trial found no way in to Community Sponsorship Ireland, whose partner the Irish Red
    Cross has its website in the graph: where neither the practice nor its coordinator gives
    one, each partner's is offered, named; where one of them does, partners' are left out."""
    partner = (
        "---\nname: Valley Council\norg_type: public-authority\ncountry: ES\n"
        "url: https://valley.example.org/\n"
        'sources:\n  a: {url: "https://example.org/valley"}\n---\n'
    )
    record = (records_dir / "initiative" / "village-welcome.md").read_text()
    with_partner = record.replace(
        "coordinator: test-ngo\n", "coordinator: test-ngo\npartners: [valley]\n"
    )
    assert with_partner != record  # the premise: the line is there to add to

    def ways_in(coordinator_url: str) -> list[tuple[str, str]]:
        org = (records_dir / "organisation" / "test-ngo.md").read_text()
        org = org.replace("country: ES\n", f"country: ES\n{coordinator_url}")
        store = ingested(
            records_dir,
            {
                "initiative/village-welcome": with_partner,
                "organisation/valley": partner,
                "organisation/test-ngo": org,
            },
            base=BASE,
        )
        v = view(store.current(), base=BASE, kind="initiative", slug="village-welcome")
        links = practice_context(store.current(), v, BASE)["contact_links"]
        return [(link.what % {"name": link.name}, link.url) for link in links]

    assert ways_in("") == [("Website of a partner, Valley Council", "https://valley.example.org/")]
    assert ways_in("url: https://ngo.example.org/\n") == [
        ("Website of the coordinator", "https://ngo.example.org/")
    ]


def test_a_long_address_is_cut_where_it_shows() -> None:
    shown = shown_address("https://example.org/" + "a" * 80 + "?x=1")
    assert len(shown) == SHOWN_CHARS
    assert shown.endswith("…")
    assert shown_address("https://www.ngo.example.org/en/contact/") == "ngo.example.org/en/contact"
    # a page named by its query (a trial read a project's page as its partner's home page)
    assert shown_address("https://abd.ong/en/?p=166523") == "abd.ong/en/?p=166523"


def test_an_address_shows_its_letters_not_their_escapes() -> None:
    """As a browser's address bar shows it ("grön", not "gr%C3%B6n", which the cut could also
    split); what could mislead or hide stays escaped: spaces, controls, direction marks."""
    assert shown_address("https://leaderlinne.se/gr%C3%B6n-landsbygdsintegration") == (
        "leaderlinne.se/grön-landsbygdsintegration"
    )
    cut = shown_address("https://example.org/" + "%C3%A4" * 60)
    assert cut == "example.org/" + "ä" * (SHOWN_CHARS - len("example.org/") - 1) + "…"
    assert shown_address("https://example.org/a%20b%E2%80%AEc") == "example.org/a%20b%E2%80%AEc"
    assert shown_address("https://example.org/%FF%C3%B6") == "example.org/%FF%C3%B6"
    # an ASCII escape stays: decoded, it would read as another address (a review)
    for path in ("a%2Fb", "file%3Fx", "100%25off", "?q=a%26b%3Dc", "a%23frag"):
        assert shown_address(f"https://example.org/{path}") == f"example.org/{path}", path
    # and the cut does not split one
    room = SHOWN_CHARS - len("example.org/") - 2  # "%20" would start at the last but one
    assert shown_address("https://example.org/" + "x" * room + "%20yyyy") == (
        "example.org/" + "x" * room + "…"
    )


def test_the_subtype_of_the_initiative(context: dict[str, Any]) -> None:
    assert context["initiative_type"] == "Local practice"


@pytest.mark.parametrize(
    ("text", "led", "rest"),
    [
        ("One sentence without a stop", "One sentence without a stop.", ""),
        # a second sentence alone would read as a fragment under "Description"
        ("A social firm. Among them are families.", "A social firm. Among them are families.", ""),
        (
            "Runs since 2019. It moves families. They stay.",
            "Runs since 2019.",
            "It moves families. They stay.",
        ),
    ],
)
def test_the_lead_of_a_practice_sheet(text: str, led: str, rest: str) -> None:
    assert lead(text) == led
    assert after_lead(text) == rest


def test_every_initiative_type_has_a_name_the_pages_translate() -> None:
    """Each subtype a record may give is named on its page, on the search filter and in the
    spreadsheet (a missing one would show its code, "local-practice")."""
    from kg.vocab import INITIATIVE_TYPES
    from web.practice import TYPE_LABELS

    assert set(TYPE_LABELS) == set(INITIATIVE_TYPES)


def test_the_pages_name_each_initiative_type_as_the_graph_does_in_english() -> None:
    """The API and its English explanations name a type as the pages do before translating."""
    from kg.vocab import INITIATIVE_TYPE_NAMES
    from web.practice import TYPE_LABELS

    assert TYPE_LABELS == INITIATIVE_TYPE_NAMES


def test_pages_of_one_site_are_told_apart_by_their_path() -> None:
    """A trial read "eu-cap-network.ec.europa.eu" twice under "Also described on": two pages
    of one site show their paths; a site named once shows its name alone."""
    shown = [
        link.site
        for link in described_in(
            [
                "https://eu-cap-network.ec.europa.eu/good-practice/iira_en",
                "https://eu-cap-network.ec.europa.eu/projects/iira-project_en",
                "https://www.integrationsfonds.at/iira",
            ]
        )
    ]
    assert shown[0] != shown[1]
    assert shown[0].startswith("eu-cap-network.ec.europa.eu/good-practice/")
    assert shown[1].startswith("eu-cap-network.ec.europa.eu/projects/")
    assert shown[2] == "integrationsfonds.at"
