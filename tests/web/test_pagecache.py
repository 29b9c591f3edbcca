"""Pages computed once per store version (web/pagecache.py, issue 15 item 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_records
from kg.settings import Settings
from kg.store import GraphStore, LocalStore
from tests.web.conftest import CountingStore
from web.app import create_app

BASE = "http://testserver/"
CACHED = [
    "/",
    "/browse",
    "/search?q=village&country=ESP",
    "/browse/theme/housing",
    "/browse/country/ESP",
    "/initiative/village-welcome",
    "/initiative/village-welcome?lang=es",
    "/initiative/village-welcome.ttl",
    "/initiative/village-welcome.jsonld",
    "/organisation/test-ngo",
    "/embed/initiative/village-welcome",
    "/oembed?url=http%3A%2F%2Ftestserver%2Finitiative%2Fvillage-welcome",
]


@pytest.fixture
def store(records_dir: Path) -> CountingStore:
    inner = LocalStore(None)
    ingest_records(inner, [records_dir], base=BASE)
    return CountingStore(inner)


def _client(store: CountingStore, **settings: Any) -> TestClient:
    config = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"}, **settings)
    app = create_app(config, store=cast(GraphStore, store))
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def client(store: CountingStore) -> Iterator[TestClient]:
    with _client(store) as c:
        yield c


@pytest.mark.parametrize("path", CACHED)
def test_a_page_served_twice_is_the_same_bytes_without_asking_the_store(
    client: TestClient, store: CountingStore, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200, first.text
    assert store.reads > 0  # the first one was rendered from the graph
    reads = store.reads
    again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert store.reads == reads, "the second request asked the store"
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["etag"].startswith('"')  # strong (RFC 9110 §8.8.3)
    assert again.headers["last-modified"] == first.headers["last-modified"]
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_language_and_media_type_are_part_of_the_key(client: TestClient) -> None:
    en = client.get("/initiative/village-welcome")
    es = client.get("/initiative/village-welcome", headers={"Accept-Language": "es-ES,es;q=0.9"})
    es_url = client.get("/initiative/village-welcome?lang=es")
    assert en.headers["content-language"] == "en"
    assert es.headers["content-language"] == "es" == es_url.headers["content-language"]
    assert '<html lang="es"' in es.text
    assert '<html lang="en"' in en.text
    assert es.headers["etag"] != en.headers["etag"]
    assert "accept-language" in es.headers["vary"].lower()
    # the card follows the language too (oEmbed `lang`)
    card_en = client.get("/embed/initiative/village-welcome")
    card_es = client.get("/embed/initiative/village-welcome?lang=es")
    assert card_es.content != card_en.content
    # .nt is text/plain to a client that names only that, N-Triples otherwise: both kept
    plain = client.get("/initiative/village-welcome.nt", headers={"Accept": "text/plain"})
    nt = client.get("/initiative/village-welcome.nt")
    again = client.get("/initiative/village-welcome.nt", headers={"Accept": "text/plain"})
    assert plain.headers["content-type"].startswith("text/plain")
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert again.headers["content-type"].startswith("text/plain")
    assert plain.headers["etag"] != nt.headers["etag"]
    assert "accept" in [v.strip().lower() for v in nt.headers["vary"].split(",")]


@pytest.mark.parametrize(
    "path",
    # the shapes and the OpenAPI description had no validators (a link checker's trial)
    ["/initiative/village-welcome", "/browse", "/", "/shapes.ttl", "/openapi.json"],
)
def test_if_none_match_gives_304_with_the_validators(client: TestClient, path: str) -> None:
    first = client.get(path)
    r = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert r.status_code == 304
    assert r.content == b""
    assert r.headers["etag"] == first.headers["etag"]
    assert r.headers["vary"] == first.headers["vary"]
    assert "content-length" not in r.headers or r.headers["content-length"] == "0"
    since = client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_head_is_answered_from_the_cache(client: TestClient, store: CountingStore) -> None:
    first = client.get("/initiative/village-welcome")
    reads = store.reads
    head = client.head("/initiative/village-welcome")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == first.headers["content-length"]
    assert head.headers["content-encoding"] == first.headers["content-encoding"] == "gzip"
    assert head.headers["etag"] == first.headers["etag"]
    assert store.reads == reads


def test_an_ingest_shows_the_new_content(
    client: TestClient, store: CountingStore, records_dir: Path
) -> None:
    before = client.get("/initiative/village-welcome")
    home_before = client.get("/")
    assert "Village Welcome" in before.text
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace("name: Village Welcome", "name: Hamlet Welcome"))
    ingest_records(store.inner, [records_dir], base=BASE)
    after = client.get("/initiative/village-welcome")
    assert "Hamlet Welcome" in after.text
    assert "Village Welcome" not in after.text
    assert after.headers["etag"] != before.headers["etag"]
    # the old validator no longer matches: the client gets the new page
    r = client.get("/initiative/village-welcome", headers={"If-None-Match": before.headers["etag"]})
    assert r.status_code == 200
    assert "Hamlet Welcome" in r.text
    assert client.get("/").headers["etag"] != home_before.headers["etag"]
    ttl = client.get("/initiative/village-welcome.ttl")
    assert "Hamlet Welcome" in ttl.text


def test_pages_with_per_request_content_are_not_kept(
    client: TestClient, store: CountingStore
) -> None:
    # the form goes around the cache: no validator of its making (the rate-limited API goes
    # around it too, with validators of its own: tests/web/routes/test_search_api.py)
    for path in ["/contribute", "/contribute?lang=es"]:
        assert client.get(path).status_code == 200, path
        assert "etag" not in client.get(path).headers, path
    # a 404 is rendered again every time, never kept
    client.get("/initiative/no-such-record")
    reads = store.reads
    assert client.get("/initiative/no-such-record").status_code == 404
    assert store.reads > reads


def test_memory_is_bounded(store: CountingStore) -> None:
    page = "/initiative/village-welcome"
    with _client(store, page_cache_mb=0.1) as c:  # 100 KiB: a page of 10 KiB is kept
        c.get(page)
        reads = store.reads
        c.get(page)
        assert store.reads == reads
        for lang in ["en", "es", "it", "de", "fr"]:  # more than fits: the least recent go
            for path in CACHED[1:]:
                c.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        reads = store.reads
        c.get(page)
        assert store.reads > reads
    with _client(store, page_cache_mb=0) as c:  # off: rendered each time, validators stay
        first = c.get(page)
        reads = store.reads
        again = c.get(page, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert store.reads > reads


@pytest.mark.parametrize(
    "path", ["/initiative/village-welcome", "/initiative/village-welcome.ttl", "/browse", "/"]
)
def test_failed_preconditions_give_412(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag, last = first.headers["etag"], first.headers["last-modified"]
    for _ in range(2):  # rendered, then from the cache
        assert client.get(path, headers={"If-Match": etag}).status_code == 200
        assert client.get(path, headers={"If-Match": f'"x", {etag}'}).status_code == 200
        failed = client.get(path, headers={"If-Match": '"other"'})
        assert failed.status_code == 412
        assert failed.json()["error"] == "PreconditionFailed"
        assert failed.headers["etag"] == etag
        assert client.get(path, headers={"If-Match": f"W/{etag}"}).status_code == 412
        assert client.head(path, headers={"If-Match": '"other"'}).status_code == 412
        early = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert client.get(path, headers={"If-Unmodified-Since": early}).status_code == 412
        assert client.get(path, headers={"If-Unmodified-Since": last}).status_code == 200
