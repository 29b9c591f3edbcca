"""gzip content coding of responses (RFC 9110 §8.4.1, §12.5.3), with a strong `ETag` per coding.

`Compression` is an ASGI middleware around Starlette's `GZipMiddleware` responders: a response
of a text type (HTML, JSON, SPARQL results, Turtle, N-Triples, RDF/XML, CSS, JavaScript, XML) of
at least `MINIMUM_SIZE` bytes is sent gzip-coded when the request's `Accept-Encoding` gives gzip
(or `*`) a non-zero q. Already-compressed types (the gzip dumps, images) and responses that set
their own `Content-Encoding` (`web.pagecache`, which keeps each page's gzip bytes with the page)
are left alone; every response it could code names `Accept-Encoding` in `Vary`.

A gzip-coded response is another representation, so its strong entity tag must differ from the
identity one (RFC 9110 §8.8.3). As Apache httpd's mod_deflate does, the tag gets a `-gzip`
suffix inside the quotes (`"abc"` → `"abc-gzip"`), and the suffix is taken off the tags of
`If-None-Match` and `If-Match` before the routes compare them: the tag a route computes for the
content stays the one it knows, and a client holding the gzip representation is answered 304
(with the suffixed tag) when the content has not changed. Unlike mod_deflate, the identity
tag does not match for a client that would be sent the gzip representation (RFC 9110
§13.1.2; httpd's bug 45023): `If-None-Match` loses the identity tags of content this process
sends coded, and such a client gets a 200. A client not accepting gzip is compared as sent,
so a gzip tag matches nothing for it. A route that answers a conditional
request itself (the sitemap, VoID, SPARQL, static files) sends its 304 without knowing the
coding: its tag gets the suffix, and `Vary` names `Accept-Encoding`, when the client holds the
gzip representation or this process has sent that content as one whose coding follows
`Accept-Encoding` (a table of `CODED_TAGS` tags; a 304 from a process that never sent the 200
keeps the identity tag).

Starlette's own `Accept-Encoding` check is a substring test ("gzip;q=0" would be coded);
`accepts_gzip` reads the q-values. Starlette's level 9 is not used: kept pages are compressed
once at zlib's default 6 (`LEVEL`), and what is compressed per request at 1 (`DYNAMIC_LEVEL`).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable

from cachetools import LRUCache
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: bodies smaller than this are sent as they are: a gzip header and trailer take 18 bytes, and
#: a response this small fits one TCP segment either way
MINIMUM_SIZE = 1024
#: kept pages, compressed once per store version (`gzip_bytes`): zlib's default level
LEVEL = 6
#: everything compressed per request: level 1, as nginx's default, costs a third of level 6's
#: time (0.28 against 0.80 ms for 25 KB here) for about 9 % more bytes; at level 6 the load
#: bench (50 clients) served 14 % fewer requests per second than without compression
DYNAMIC_LEVEL = 1
#: the media types coded: text, and the structured syntaxes built on it
_TEXT = re.compile(
    r"^(?:text/[^;]+|application/(?:[\w.+-]+\+)?(?:json|xml)|application/(?:javascript|"
    r"n-triples|n-quads|trig|sparql-query|sparql-update)|image/svg\+xml)\s*(?:;|$)"
)
SUFFIX = "-gzip"
#: entity tags whose coding a server process remembers (`Compression`)
CODED_TAGS = 65_536
_CONDITIONS = (b"if-none-match", b"if-match")


def accepts_gzip(value: str | None) -> bool:
    """Whether an `Accept-Encoding` value (RFC 9110 §12.5.3) lets a response be gzip-coded:
    `gzip` (or its alias `x-gzip`) listed with q > 0, or else `*` with q > 0. No header, or an
    empty one, asks for no coding (the identity).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1, gzip;q=0"), accepts_gzip("*")
    (True, False, True)
    """
    if not value:
        return False
    wildcard: float | None = None
    for item in value.split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(number)
                except ValueError:
                    q = 0.0
        if coding in ("gzip", "x-gzip"):
            return q > 0
        if coding == "*":
            wildcard = q
    return wildcard is not None and wildcard > 0


def compressible(content_type: str | None) -> bool:
    """Whether a response of this `Content-Type` is worth coding (text, not already packed)."""
    return content_type is not None and _TEXT.match(content_type.lower()) is not None


def gzip_bytes(body: bytes) -> bytes:
    """`body` gzip-coded at `LEVEL`, with no time stamp: the same bytes give the same coding in
    every process (`web.pagecache` keeps them)."""
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


def tagged(etag: str) -> str:
    """The entity tag of the gzip representation of the one tagged `etag` (`"x"` → `"x-gzip"`,
    `W/"x"` → `W/"x-gzip"`)."""
    if not etag.endswith('"') or etag.endswith(SUFFIX + '"'):
        return etag
    return etag[:-1] + SUFFIX + '"'


class Compression:
    """ASGI middleware: gzip content coding with per-coding entity tags (module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        #: entity tag (without its `-gzip`) → whether its 200's coding follows Accept-Encoding
        #: (a text of `MINIMUM_SIZE` or more), for the 304s of routes that answer conditional
        #: requests themselves (they do not know the coding)
        self._varies: LRUCache[str, bool] = LRUCache(maxsize=CODED_TAGS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", ())
        wanted = accepts_gzip(header(headers, b"accept-encoding"))
        # the client's conditional request names a gzip representation's tag
        held = wanted and any(n.lower() in _CONDITIONS and SUFFIX.encode() in v for n, v in headers)
        if wanted and any(n.lower() in _CONDITIONS for n, _ in headers):
            scope = {**scope, "headers": self._conditions(headers)}

        async def tagging(message: Message) -> None:
            if message["type"] == "http.response.start":
                # a new list: the one given may be kept by whoever sent it (a cached page)
                message = {**message, "headers": list(message.get("headers", []))}
                out = MutableHeaders(raw=message["headers"])
                coded = out.get("content-encoding", "").lower() == "gzip"
                etag = out.get("etag")
                status = message["status"]
                if not wanted and _codable(out):  # what the responder would say (below)
                    out.add_vary_header("Accept-Encoding")
                named = [v.strip() for v in out.get("vary", "").split(",") if v.strip()]
                kept: list[str] = []
                for v in named:
                    if v.lower() not in (k.lower() for k in kept):
                        kept.append(v)
                if len(kept) < len(named):  # a kept page names Accept-Encoding, as the
                    out["vary"] = ", ".join(kept)  # responder does again: once is enough
                vary = [v.lower() for v in kept]
                if etag and status == 200:  # whether its coding follows Accept-Encoding
                    self._varies[_base(etag)] = "accept-encoding" in vary
                # a 304 carries the tag and Vary the 200 would (RFC 9110 §15.4.5): the gzip
                # tag when the client holds it or would get that content coded
                varies = held or (etag is not None and self._varies.get(_base(etag), False))
                if etag and (coded or (status == 304 and wanted and varies)):
                    out["etag"] = tagged(etag)
                if status == 304 and varies and "accept-encoding" not in vary:
                    out.add_vary_header("Accept-Encoding")
            await send(message)

        if not wanted:  # nothing to code: no responder holding the response back (it cost a
            await self.app(scope, receive, tagging)  # tenth of a kept page's throughput)
            return
        responder = GZipResponder(
            _marking(self.app), MINIMUM_SIZE, compresslevel=DYNAMIC_LEVEL, exclude_content_types=()
        )
        await responder(scope, receive, _unmarked(tagging))

    def _conditions(self, headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The request's headers as the route should compare them, for a client accepting gzip:
        a gzip tag loses its suffix (the content's own tag, which the route knows), and an
        identity tag in `If-None-Match` of content this process sends coded is dropped, since
        it names another representation than the one selected (RFC 9110 §13.1.2: it does not
        match, so the answer is a 200). A list left empty drops the header."""
        out = []
        for name, value in headers:
            if name.lower() == b"if-none-match" and value.strip() != b"*":
                tags = [t.strip() for t in value.decode("latin-1").split(",") if t.strip()]
                kept = [
                    t
                    for t in tags
                    if t.endswith(SUFFIX + '"') or not self._varies.get(_base(t), False)
                ]
                if not kept:
                    continue
                value = ", ".join(kept).encode("latin-1")
            out.append(_untagged(name, value))
        return out


#: Starlette's responders pass a response through untouched when it has a `Content-Encoding`;
#: one of a type not worth coding gets this one on the way in and loses it on the way out
_MARK = (b"content-encoding", b"x-kg-not-coded")


def _marking(app: ASGIApp) -> ASGIApp:
    """`app`, its responses of a type not worth coding (`compressible`) marked `_MARK`."""

    async def marked(scope: Scope, receive: Receive, send: Send) -> None:
        async def marking(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if header(headers, b"content-encoding") is None and not compressible(
                    header(headers, b"content-type")
                ):
                    message = {**message, "headers": [*headers, _MARK]}
            await send(message)

        await app(scope, receive, marking)

    return marked


def _unmarked(send: Send) -> Send:
    """`send`, with `_MARK` taken off again."""

    async def unmarking(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            if _MARK in headers:
                message = {**message, "headers": [h for h in headers if h != _MARK]}
        await send(message)

    return unmarking


def _codable(headers: MutableHeaders) -> bool:
    """Whether a response would be gzip-coded for a client accepting it, as the responder
    decides: not coded already, of a `compressible` type, and `MINIMUM_SIZE` or more (a
    streamed body, of no announced length, counts)."""
    if "content-encoding" in headers or not compressible(headers.get("content-type")):
        return False
    length = headers.get("content-length")
    return length is None or not length.isdigit() or int(length) >= MINIMUM_SIZE


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The value of the ASGI header `name` (lower case), or None."""
    for n, v in headers:
        if n.lower() == name:
            return v.decode("latin-1")
    return None


def _base(etag: str) -> str:
    """The tag without its weakness mark and `-gzip` suffix: the content's own."""
    tag = etag[2:] if etag.startswith("W/") else etag
    return tag[: -len(SUFFIX) - 1] + '"' if tag.endswith(SUFFIX + '"') else tag


def _untagged(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() in _CONDITIONS:
        return name, value.replace(SUFFIX.encode() + b'"', b'"')
    return name, value


__all__ = ["Compression", "accepts_gzip", "compressible", "gzip_bytes", "header", "tagged"]
