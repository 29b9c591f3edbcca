"""gzip content coding with an entity tag per coding (web/compression.py)."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from web.compression import accepts_gzip, compressible, tagged

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
VOID = ("/.well-known/void", "text/turtle")
SPARQL = ("/sparql?query=SELECT%20*%20%7B?s%20?p%20?o%7D", "application/sparql-results+json")
#: pages kept by the page cache; routes that tag what they send themselves (VoID, SPARQL)
TAGGED = [("/initiative/village-welcome", "text/html"), ("/browse", "text/html"), VOID, SPARQL]
#: and a response without a tag
PATHS = [*TAGGED, ("/api/search?q=village", "application/json")]


def raw(
    client: TestClient, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the bytes as sent (httpx would decode them)."""
    with client.stream("GET", path, headers=headers) as r:
        return r.status_code, dict(r.headers), b"".join(r.iter_raw())


@pytest.mark.parametrize(("path", "accept"), PATHS)
def test_a_client_accepting_gzip_gets_the_same_content_coded(
    client: TestClient, path: str, accept: str
) -> None:
    status, plain_headers, plain = raw(client, path, {**IDENTITY, "Accept": accept})
    assert status == 200
    assert "content-encoding" not in plain_headers
    status, headers, coded = raw(client, path, {**GZIP, "Accept": accept})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(coded) == plain
    assert len(coded) < len(plain)
    assert headers["content-length"] == str(len(coded))
    for h in (headers, plain_headers):  # either may be sent: shared caches must know
        assert "accept-encoding" in h["vary"].lower()


@pytest.mark.parametrize(("path", "accept"), TAGGED)
def test_each_coding_has_its_own_tag_and_its_own_304(
    client: TestClient, path: str, accept: str
) -> None:
    gz, plain_gz = {**GZIP, "Accept": accept}, {**IDENTITY, "Accept": accept}
    _, plain, _ = raw(client, path, plain_gz)
    _, coded, _ = raw(client, path, gz)
    assert coded["etag"] == tagged(plain["etag"]) != plain["etag"]
    again = client.get(path, headers={**gz, "If-None-Match": coded["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == coded["etag"]
    again = client.get(path, headers={**plain_gz, "If-None-Match": plain["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == plain["etag"]
    # If-Match compares strongly against the tag of what a GET would send
    assert client.get(path, headers={**gz, "If-Match": coded["etag"]}).status_code == 200


@pytest.mark.parametrize(("path", "accept"), TAGGED)
def test_a_tag_of_the_other_coding_does_not_match(
    client: TestClient, path: str, accept: str
) -> None:
    """RFC 9110 §13.1.2: a tag matches only the representation it names. A trial's gzip client
    sending the identity tag had a 304 carrying the gzip tag, which its cache cannot place."""
    gz, plain_gz = {**GZIP, "Accept": accept}, {**IDENTITY, "Accept": accept}
    _, plain, _ = raw(client, path, plain_gz)
    _, coded, _ = raw(client, path, gz)
    crossed = client.get(path, headers={**gz, "If-None-Match": plain["etag"]})
    assert crossed.status_code == 200
    assert crossed.headers["etag"] == coded["etag"]
    crossed = client.get(path, headers={**plain_gz, "If-None-Match": coded["etag"]})
    assert crossed.status_code == 200
    assert crossed.headers["etag"] == plain["etag"]
    # either tag in one list: the one that names the selected representation matches
    both = f"{plain['etag']}, {coded['etag']}"
    assert client.get(path, headers={**gz, "If-None-Match": both}).status_code == 304
    assert client.get(path, headers={**plain_gz, "If-None-Match": both}).status_code == 304


def test_head_sends_the_headers_of_the_coded_get(client: TestClient) -> None:
    path = "/initiative/village-welcome"
    _, got, _ = raw(client, path, GZIP)
    head = client.head(path, headers=GZIP)
    assert head.content == b""
    for name in ("content-encoding", "content-length", "etag", "vary"):
        assert head.headers[name] == got[name]


def test_refused_gzip_and_packed_files_are_sent_as_they_are(client: TestClient) -> None:
    _, headers, _ = raw(client, "/initiative/village-welcome", {"Accept-Encoding": "br, gzip;q=0"})
    assert "content-encoding" not in headers
    _, headers, body = raw(client, "/data/rikg.ttl.gz", GZIP)  # a gzip file, not coded twice
    assert "content-encoding" not in headers
    assert gzip.decompress(body).startswith(b"@prefix") or b"<http" in gzip.decompress(body)
    _, headers, _ = raw(client, "/static/og-card.png", GZIP)
    assert "content-encoding" not in headers


def test_accept_encoding_is_read_with_its_q_values() -> None:
    assert accepts_gzip("gzip, deflate, br")
    assert accepts_gzip("deflate, x-gzip")
    assert accepts_gzip("br, *;q=0.1")
    assert not accepts_gzip("br, *;q=0.1, gzip;q=0")
    assert not accepts_gzip("*;q=0")
    assert not accepts_gzip("identity")
    assert not accepts_gzip(None)
    assert not accepts_gzip("")


def test_text_types_are_coded_and_packed_ones_are_not() -> None:
    for media in (
        "text/html; charset=utf-8",
        "application/json",
        "application/ld+json",
        "application/sparql-results+json",
        "application/rdf+xml",
        "application/n-triples",
        "text/turtle",
        "image/svg+xml",
    ):
        assert compressible(media), media
    for media in ("application/gzip", "image/png", "application/octet-stream", None):
        assert not compressible(media), media
    assert tagged('W/"a"') == 'W/"a-gzip"'
    assert tagged('"a-gzip"') == '"a-gzip"'


@pytest.mark.parametrize("coding", [GZIP, IDENTITY])
def test_a_kept_pages_headers_stay_the_same_request_after_request(
    client: TestClient, coding: dict[str, str]
) -> None:
    """The kept page's header list was handed on and added to: its Vary grew by one
    "Accept-Encoding" per request, past what HTTP clients read (a trial's 10,000 requests)."""
    path = "/initiative/village-welcome"
    seen = [raw(client, path, coding)[1] for _ in range(5)]
    assert all(h == seen[0] for h in seen[1:])
    assert seen[0]["vary"].lower().count("accept-encoding") == 1
    again = client.get(path, headers={**coding, "If-None-Match": seen[0]["etag"]})
    assert again.status_code == 304
    assert again.headers["vary"] == seen[0]["vary"]


@pytest.mark.parametrize(("path", "accept"), [VOID, SPARQL])
def test_a_routes_own_304_carries_the_tag_and_vary_of_its_200(
    client: TestClient, path: str, accept: str
) -> None:
    """RFC 9110 §15.4.5: a 304 answered by the route (which does not know the coding) to a
    gzip client holding the identity tag or asking by date had the identity tag, no Vary."""
    gz = {**GZIP, "Accept": accept}
    _, coded, _ = raw(client, path, gz)
    conditions = [{"If-None-Match": "*"}]
    if "last-modified" in coded:
        conditions.append({"If-Modified-Since": coded["last-modified"]})
    for condition in conditions:
        again = client.get(path, headers={**gz, **condition})
        assert again.status_code == 304
        assert again.headers["etag"] == coded["etag"]
        assert "accept-encoding" in again.headers["vary"].lower()


def test_accept_encoding_on_two_lines_is_one_list(client: TestClient) -> None:
    """RFC 9110 §5.3: "identity" on one line and "gzip" on the next allow gzip."""
    got = client.get(
        "/initiative/village-welcome",
        headers=[("Accept-Encoding", "identity"), ("Accept-Encoding", "gzip")],
    )
    assert got.headers["content-encoding"] == "gzip"
