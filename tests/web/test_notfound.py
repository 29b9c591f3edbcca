"""The 404 a person gets: the words asked for read from the address, the records nearest to
them (the kind the address names first), and the page in the reader's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from web.notfound import suggestions, wanted

BASE = "http://testserver/"


@pytest.mark.parametrize(
    ("path", "kind", "words"),
    [
        ("/initiative/village-welcom", "initiative", "village welcom"),
        ("/id/organisation/test_ngo.ttl", "organisation", "test ngo"),
        ("/villages", None, "villages"),
        ("/", None, ""),
    ],
)
def test_the_words_and_kind_asked_for(path: str, kind: str | None, words: str) -> None:
    assert wanted(path) == (kind, words)


def test_the_nearest_records_are_offered_best_first(client: TestClient) -> None:
    store = client.app.state.store.current()  # type: ignore[attr-defined]
    found = suggestions(store, "/initiative/village-welcom", BASE)
    assert [(s.name, s.href, s.kind) for s in found][:1] == [
        ("Village Welcome", "/initiative/village-welcome", "initiative")
    ]
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_far_or_empty_addresses_offer_nothing(client: TestClient) -> None:
    store = client.app.state.store.current()  # type: ignore[attr-defined]
    assert suggestions(store, "/initiative/zzzzqqqq", BASE) == []
    assert suggestions(store, "/", BASE) == []


def test_the_page_is_in_the_readers_language_and_keeps_the_detail(client: TestClient) -> None:
    r = client.get(
        "/initiative/village-welcom", headers={"Accept": "text/html", "Accept-Language": "es"}
    )
    assert r.status_code == 404
    assert 'lang="es"' in r.text
    assert 'href="/initiative/village-welcome"' in r.text
    assert 'data-detail="' in r.text
    assert 'data-detail=""' not in r.text
