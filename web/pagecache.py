"""Pages that do not change between snapshots, computed once per store version (issue 15).

`PageCache` is an ASGI middleware in front of the routes that render record pages and their data
documents (`/{kind}/{slug}`, `/{kind}/{slug}.{ext}`), search result pages (`/search`: the
results depend only on the query string, the language and the index, which follows the store
version), browse pages (`/browse…`), the list of dumps (`/data/`), embed cards and oEmbed
(`/embed/…`, `/oembed`), the vocabulary (`/ns`, `/ns.{ext}`), the SHACL shapes
(`/shapes.{ext}`), the OpenAPI description (`/openapi.json`) and the home page (`/`). A `GET` of
one of these is answered from memory when the same page was rendered on the same store version,
for the same query string, interface language (`web.i18n.language`: `?lang=`, else
`Accept-Language`) and, for data documents, record pages (an RDF type is sent on to the data
document), the list of dumps (`/data/`) and `/ns`, the same `Accept` header (it picks the media
type). A page of at least `web.compression.MINIMUM_SIZE` bytes of a text type also keeps its
gzip bytes, made the first time a client accepts them (`Accept-Encoding`), so a page is
compressed once per version rather than once per request; `web.compression.Compression` around
this middleware gives that representation its own entity tag. A new store version (an ingest, a
SPARQL Update) makes every earlier entry unreachable and they are dropped.

Every response of those routes — cached or not — gets a strong `ETag` (a digest of its media
type and bytes, so every server process gives one page the same tag) and `Last-Modified` (the
route's, else the store version's time), and conditional requests are answered here: 412 when
`If-Match`/`If-Unmodified-Since` fail (`web.http.precondition_failed`), else 304 by
`web.http.not_modified` (RFC 9110 §13). Only 200 responses without `Set-Cookie` and without
`Cache-Control: no-store`/`private` are kept; pages with per-request content (forms, CSRF
tokens, the moderation queue) are not routed here at all; nor is `/api/`, whose requests
each count against the client's rate limit.

Memory is bounded by `KG_PAGE_CACHE_MB` (least recently used pages go first; 0 turns the
cache off, validators and 304s stay). Each server process has its own cache.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading

from cachetools import LRUCache
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg import formats
from kg.store import GraphStore
from kg.vocab import KINDS
from web.compression import (
    MINIMUM_SIZE,
    accepts_gzip,
    compressible,
    gzip_bytes,
    header,
    tagged,
)
from web.http import http_date, not_modified, precondition_failed, precondition_response
from web.i18n import negotiate, requested

#: the paths whose pages depend only on the store version, the query string, the language and
#: (data documents) `Accept`
CACHED_PATHS = re.compile(
    r"^/(?:"
    r"|search|browse|browse/[^/]+/[^/]+|data/"
    r"|embed/[^/]+/[^/]+|oembed|ns|ns\.[a-z]+|shapes\.[a-z]+|openapi\.json"
    rf"|(?:{'|'.join(KINDS)})/[^/]+"
    r")\Z"
)
#: a record's page (not its data documents), which negotiates by `Accept` too
_PAGE = re.compile(rf"^/(?:(?:{'|'.join(KINDS)})|browse/[^/.]+)/[^/.]+\Z")
#: headers a 304 leaves out (RFC 9110 §15.4.5: it has no content)
_NO_CONTENT_HEADERS = {b"content-type", b"content-length", b"content-language"}
_CONDITIONAL = {b"if-none-match", b"if-modified-since", b"if-match", b"if-unmodified-since"}


class _Page:
    """A kept response: `headers` of the identity body (`Content-Length` included), and, for
    a page worth coding (`codable`), its gzip bytes once a client has accepted them."""

    __slots__ = ("body", "codable", "etag", "gzipped", "headers", "last_modified")

    def __init__(
        self,
        body: bytes,
        headers: list[tuple[bytes, bytes]],
        etag: str,
        last_modified: str,
        *,
        codable: bool,
    ) -> None:
        self.body, self.headers = body, headers
        self.etag, self.last_modified = etag, last_modified
        self.codable = codable
        self.gzipped: bytes | None = None

    def coded(self) -> tuple[bytes, list[tuple[bytes, bytes]]]:
        """The gzip body and its headers (`web.compression` tags its `ETag`). Two requests
        racing here both compress; the bytes are the same (`gzip_bytes`)."""
        if self.gzipped is None:
            self.gzipped = gzip_bytes(self.body)
        headers = [(k, v) for k, v in self.headers if k != b"content-length"]
        headers += [(b"content-encoding", b"gzip"), (b"content-length", b"%d" % len(self.gzipped))]
        return self.gzipped, headers


class PageCache:
    """ASGI middleware: cached pages, strong validators and 304s for `CACHED_PATHS`.

    `max_bytes` bounds the bodies held (an LRU by bytes; one page over an eighth of it is
    served but not kept). `hits` and `misses` count lookups (tests, benchmarks)."""

    def __init__(self, app: ASGIApp, *, store: GraphStore, max_bytes: int) -> None:
        self.app, self.store, self.max_bytes = app, store, max_bytes
        self._pages: LRUCache[tuple[str, ...], _Page] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda page: len(page.body) + 512
        )
        self._version = ""
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not CACHED_PATHS.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        version = self.store.version()
        key = _key(scope, version.name)
        with self._lock:
            if version.name != self._version:  # an ingest: nothing earlier is served again
                self._pages.clear()
                self._version = version.name
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
            else:
                self.hits += 1
        if page is not None:
            await _send(send, scope, page)
            return
        await self._render(scope, receive, send, key, version.created)

    async def _render(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[str, ...],
        created: str,
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        passed = False  # not a page to keep: the response goes out as the route sends it

        async def collect(message: Message) -> None:
            nonlocal start, passed
            if passed:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
                if not _keepable(message):
                    passed = True
                    await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    assert start is not None
                    page = _page(start, b"".join(chunks), created)
                    if key[0] == self._version and len(page.body) <= self.max_bytes // 8:
                        with self._lock:
                            self._pages[key] = page
                    await _send(send, scope, page)
            else:
                await send(message)

        await self.app(scope, receive, collect)


def _key(scope: Scope, version: str) -> tuple[str, ...]:
    """What the page depends on: store version, path, query string, interface language (as
    `web.i18n.language` picks it) and, for a data document, `Accept` (it picks the type)."""
    path, query = scope["path"], scope["query_string"].decode("latin-1")
    headers = dict(scope["headers"])  # ASGI: names in lower case
    lang = requested(Request(scope)) if "lang=" in query else None
    if lang is None:
        lang = _negotiate(headers.get(b"accept-language", b"").decode("latin-1"))
    # Accept picks the type; a record's or concept's page is the page, or a redirect to its
    # data document for an RDF Accept, so what it depends on is that choice (browsers send
    # many Accepts)
    accept = headers.get(b"accept", b"").decode("latin-1")
    if _PAGE.match(path):
        accept = _page_or_data(accept)
    elif not ("." in path.rsplit("/", 1)[-1] or path in ("/data/", "/ns")):
        accept = ""
    return (version, path, query, lang, accept)


@functools.lru_cache(maxsize=1024)
def _page_or_data(accept: str) -> str:
    """What a record page's `Accept` (`web.routes.records.OFFERED`'s negotiation) chooses:
    the page (HTML, or none of the formats: the page too) or a data document's type."""
    choice = formats.negotiate(accept or None, (formats.HTML, *formats.RECORD_FORMATS))
    return "" if choice is None or choice.format is formats.HTML else choice.format.media


#: browsers send a handful of distinct Accept-Language values: parse each once
_negotiate = functools.lru_cache(maxsize=1024)(negotiate)


def _keepable(start: Message) -> bool:
    if start["status"] != 200:
        return False
    for name, value in start.get("headers", []):
        name = name.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


def _page(start: Message, body: bytes, created: str) -> _Page:
    """The response as it will be served again: its headers with a strong ETag (digest of
    media type and bytes) and Last-Modified (the route's, else the store version's)."""
    headers = [
        (k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"content-length")
    ]
    found = {k.lower(): v.decode("latin-1") for k, v in headers}
    digest = hashlib.sha256(found.get(b"content-type", "").encode() + b"\0" + body)
    etag = f'"{digest.hexdigest()[:32]}"'
    last_modified = found.get(b"last-modified") or http_date(created) or ""
    headers.append((b"etag", etag.encode()))
    if b"last-modified" not in found and last_modified:
        headers.append((b"last-modified", last_modified.encode()))
    if b"cache-control" not in found:  # stored, but asked again (with the ETag) each time
        headers.append((b"cache-control", b"no-cache"))
    codable = len(body) >= MINIMUM_SIZE and compressible(found.get(b"content-type"))
    if codable:  # either coding may be sent: caches are told it depends on Accept-Encoding
        vary = [v for k, v in headers if k.lower() == b"vary"]
        headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
        headers.append((b"vary", b", ".join([*vary, b"Accept-Encoding"])))
    headers.append((b"content-length", str(len(body)).encode()))
    return _Page(body, headers, etag, last_modified, codable=codable)


async def _send(send: Send, scope: Scope, page: _Page) -> None:
    coded = page.codable and accepts_gzip(header(scope["headers"], b"accept-encoding"))
    # the tag of the representation a GET would get (`web.compression.tagged` for gzip); the
    # conditions compare the content's own tag (`Compression` takes the suffix off them)
    etag = tagged(page.etag) if coded else page.etag
    conditional = any(k in _CONDITIONAL for k, _ in scope["headers"])
    if conditional and precondition_failed(Request(scope), page.etag, page.last_modified or None):
        await precondition_response(etag)(scope, _no_receive, send)
        return
    if conditional and not_modified(Request(scope), page.etag, page.last_modified or None):
        headers = [
            (k, etag.encode() if k == b"etag" else v)
            for k, v in page.headers
            if k.lower() not in _NO_CONTENT_HEADERS
        ]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body, headers = page.coded() if coded else (page.body, page.headers)
    # a copy: the middlewares outside add to the list they are given (Vary, ETag), and the
    # kept page's own list had grown by one "Accept-Encoding" per request
    await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


__all__ = ["CACHED_PATHS", "PageCache"]
