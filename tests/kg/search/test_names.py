"""The name lane: a query that is a record's name, acronym, identifier or the start of its name
finds that record, scored by how much of the name it covers."""

from __future__ import annotations

import pytest

from kg.search.documents import SearchDoc
from kg.search.names import NameIndex, name_fields
from kg.search.text import tokenize

DOCS = [
    SearchDoc(
        "http://x/id/initiative/matilde",
        "initiative",
        "matilde",
        names={"en": "MATILDE"},
        alt_names=["Migration Impact Assessment"],
    ),
    SearchDoc(
        "http://x/id/policy/action-plan",
        "policy",
        "action-plan",
        names={"en": "Action Plan on Integration and Inclusion 2021-2027"},
        identifiers=["COM(2020) 758"],
    ),
    SearchDoc("http://x/id/organisation/cepaim", "organisation", "cepaim", names={"es": "Cepaim"}),
    SearchDoc(
        "http://x/id/organisation/fundacion-cepaim",
        "organisation",
        "fundacion-cepaim",
        names={"es": "Fundación Cepaim"},
    ),
    SearchDoc(
        "http://x/id/initiative/whole-comm", "initiative", "whole-comm", names={"en": "WHOLE-COMM"}
    ),
    SearchDoc(
        "http://x/id/initiative/agri-4-integration",
        "initiative",
        "agri-4-integration",
        names={"en": "Agri 4 Integration"},
    ),
    SearchDoc(
        "http://x/id/organisation/on-projects",
        "organisation",
        "on-projects",
        names={"en": "ON Projects"},
    ),
]


#: the words most records of a collection hold (the search passes the query's own)
COMMON = {"project", "integration"}


def match(query: str) -> dict[int, float]:
    return NameIndex(DOCS).match(tokenize(query), query, COMMON)


def test_name_fields_hold_names_acronyms_identifiers_and_the_slug() -> None:
    fields = name_fields(DOCS[0])
    assert tuple(tokenize("MATILDE")) in fields
    assert tuple(tokenize("Migration Impact Assessment")) in fields
    assert len(fields) == len(set(fields))  # distinct


def test_an_exact_name_scores_one() -> None:
    assert match("matilde") == {0: 1.0}
    assert match("Cepaim")[2] == 1.0


def test_a_name_inside_a_longer_query_still_names_the_record() -> None:
    found = match("matilde project")
    assert list(found) == [0]
    assert 0.5 <= found[0] < 1.0


def test_a_name_typed_run_together_or_split_otherwise_names_the_record() -> None:
    """A search trial's "wholecomm", "agri4integration" found nothing."""
    index = NameIndex(DOCS)
    for typed, row in [("wholecomm", 4), ("agri4integration", 5), ("Agri-4 integration", 5)]:
        assert index.match(tokenize(typed), typed) == {row: 1.0}
    assert index.match(tokenize("on"), "on") == {}  # too short to be a name run together


def test_a_common_word_of_the_collection_alone_names_nothing() -> None:
    """A search trial's "project" pinned the organisation ON Projects first ("on" is a
    stopword) and "integration" Integration Halland; the whole name as typed still names it."""
    index = NameIndex(DOCS)
    assert index.match(tokenize("project"), "project", common={"project"}) == {}
    assert index.match(tokenize("project"), "project") == {6: 1.0}  # a rare word: a name
    assert index.match(tokenize("ON Projects"), "ON Projects", common={"project"}) == {6: 1.0}
    found = index.match(tokenize("Integration and Inclusion 2021"), "", common={"integration"})
    assert list(found) == [1]  # a run of several terms is a name's part, common words or not


def test_a_word_of_the_languages_names_no_record_it_is_only_part_of() -> None:
    """A search trial's "Cepaim" is Fundación Cepaim (a coined word), but "Austria" would be
    BAB Austria, "district" the Burgenland district: ordinary words are subjects there."""
    index = NameIndex(DOCS)
    assert index.match(tokenize("Cepaim"), "Cepaim", ordinary=set()) == {2: 1.0, 3: 0.5}
    assert index.match(tokenize("comm"), "comm", ordinary={"comm"}) == {}
    assert index.match(tokenize("comm"), "comm") == {4: 0.5}
    assert index.match(tokenize("project"), "project", ordinary={"project"}) == {6: 1.0}  # whole


def test_a_phrase_of_ordinary_words_names_a_record_it_starts_not_one_it_is_inside() -> None:
    """A search trial's "desarrollo rural" pinned the organisation Red Estatal de Desarrollo
    Rural, "cooperativa sociale" K-Pax Cooperativa Sociale: ordinary words inside a name are a
    subject. At the start of a name they are still its name."""
    index = NameIndex(DOCS)
    words = {"action", "plan", "integration", "inclusion"}
    assert index.match(tokenize("plan integration inclusion"), "", ordinary=words) == {}
    assert list(index.match(tokenize("action plan integration"), "", ordinary=words)) == [1]
    assert list(index.match(tokenize("plan integration inclusion"), "")) == [1]  # coined: inside


def test_the_start_of_a_long_name_names_it() -> None:
    found = match("Action Plan on Integration and Inclusion")
    assert list(found) == [1]
    assert 0.5 <= found[1] < 1.0


def test_a_run_inside_a_name_names_it() -> None:
    """A search trial's "Cepaim" listed the organisation Fundación Cepaim sixth."""
    assert match("Cepaim") == {2: 1.0, 3: 0.5}


@pytest.mark.parametrize("query", ["", "integration", "migration impact of housing in villages"])
def test_too_little_of_a_name_names_nothing(query: str) -> None:
    assert match(query) == {}
