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
]


def match(query: str) -> dict[int, float]:
    return NameIndex(DOCS).match(tokenize(query))


def test_name_fields_hold_names_acronyms_identifiers_and_the_slug() -> None:
    fields = name_fields(DOCS[0])
    assert tuple(tokenize("MATILDE")) in fields
    assert tuple(tokenize("Migration Impact Assessment")) in fields
    assert len(fields) == len(set(fields))  # distinct


def test_an_exact_name_scores_one() -> None:
    assert match("matilde") == {0: 1.0}
    assert match("Cepaim") == {2: 1.0}


def test_a_name_inside_a_longer_query_still_names_the_record() -> None:
    found = match("matilde project")
    assert list(found) == [0]
    assert 0.5 <= found[0] < 1.0


def test_the_start_of_a_long_name_names_it() -> None:
    found = match("Action Plan on Integration and Inclusion")
    assert list(found) == [1]
    assert 0.5 <= found[1] < 1.0


@pytest.mark.parametrize("query", ["", "integration", "migration impact of housing in villages"])
def test_too_little_of_a_name_names_nothing(query: str) -> None:
    assert match(query) == {}
