"""HTTP semantics every route shares (RFC 9110): HEAD on every GET route, a 405 that lists
the methods the resource really allows, conditional requests, and CORS for the public API."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote, urlsplit, urlunsplit

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg import formats
from kg.errors import NotAcceptable
from kg.formats import Format
from kg.store import StoreVersion

#: response headers a script on another origin may read (CORS)
EXPOSED = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "X-SPARQL-Truncated",
    "X-SPARQL-Rows",
    "X-SPARQL-Cache",
    "Content-Language",
    "Location",
    "Link",  # a record's or concept's alternate formats (RFC 8288)
    "Content-Disposition",  # a download's file name
]
CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]


def install_http(app: FastAPI) -> None:
    """CORS on every response (errors included; the preflight allows `Authorization`, the admin
    token still decides), then HEAD and 405 handling outside it."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=CORS_METHODS,
        allow_headers=["*"],
        expose_headers=EXPOSED,
        max_age=86400,
    )
    app.add_middleware(HeadAndAllow)


class HeadAndAllow:
    """HEAD is GET without the body (RFC 9110 §9.3.2): the route runs as GET and the body is
    dropped, headers (Content-Length included) kept. A 405 names every method some route of
    that path allows (§15.5.6), HEAD wherever GET is. The router's redirect of a trailing
    slash (`/initiative/x/` → `/initiative/x`) is 308 Permanent, not Starlette's 307. An
    HTTP/1.1 request without exactly one `Host` header is a 400 (RFC 9112 §3.2; uvicorn's
    httptools parser does not check it). Repeated lines of a list field the site reads
    (`LIST_FIELDS`) are joined into one, as RFC 9110 §5.3 combines them: routes read one
    `Accept`, and a client sending two had its second ignored (a trial's 303 went to Turtle
    when JSON-LD was preferred)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("http_version") == "1.1":
            hosts = sum(1 for name, _ in scope.get("headers", ()) if name.lower() == b"host")
            if hosts != 1:
                reason = "no Host header" if hosts == 0 else f"{hosts} Host headers"
                answer = JSONResponse(
                    {"error": "BadRequest", "message": f"HTTP/1.1 request with {reason}"},
                    status_code=400,
                )
                await answer(scope, receive, send)
                return
        scope = _combined(scope)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        original = {**scope}  # the router writes into `scope` (root_path, path_params, …)
        held: list[Message] = []  # a 405 or 308, kept until its target is known to exist

        async def wrapped(message: Message) -> None:
            if held:
                held.append(message)
                return
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = ", ".join(allowed_methods(original))
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                held.append({**message, "headers": [*headers, (b"allow", allow.encode())]})
                return
            elif message["type"] == "http.response.start" and message["status"] == 307:
                # the router's redirect of `/x/` to `/x` (the only 307 the site sends) is for
                # good: 308 Permanent Redirect (RFC 9110 §15.4.9), which link checkers and
                # search engines record as the address, where a 307 is kept as temporary
                # and relative (RFC 9110 §10.2.2): Starlette writes the client's `Host` into
                # it, so a request with a forged Host got a cacheable redirect to that host
                headers = [
                    (k, _relative(v) if k.lower() == b"location" else v)
                    for k, v in message.get("headers", [])
                ]
                held.append({**message, "status": 308, "headers": headers})
                return
            elif message["type"] == "http.response.start" and original["method"] == "OPTIONS":
                message = {**message, "headers": _preflight_methods(message, original)}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, wrapped)
        if held:
            await self._unless_absent(original, held, send, head=head)

    async def _unless_absent(
        self, scope: Scope, held: list[Message], send: Send, *, head: bool
    ) -> None:
        """Send the held 405 or 308, unless a GET of its target (the 405's own, the address
        the 308 leads to) answers 404 or 410: then that answer (without its body for HEAD).
        405 says the resource exists and refuses the method (RFC 9110 §15.5.6); a POST to
        `/data/nope` or `/static/nope.css` was told "GET, HEAD" for a page that is not there,
        because a pattern (`/{kind}/{name}`, the static mount) matched its path. A link
        checker following `/id/initiative/` was sent for good (308) to a 404. A 308 whose target
        itself moves for good leads straight to where that one leads."""
        target = scope
        if held[0]["status"] == 308:
            location = dict(held[0].get("headers", [])).get(b"location", b"")
            parts = urlsplit(location.decode("latin-1"))
            target = {
                **scope,
                "path": parts.path,
                "raw_path": parts.path.encode("latin-1"),
                "query_string": parts.query.encode("latin-1"),
            }
        probe: list[Message] = []
        asked, done = [False], anyio.Event()

        async def nothing() -> Message:
            if not asked[0]:  # an empty body, then nothing until the answer is complete
                asked[0] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # a file response listens for the client leaving meanwhile
            return {"type": "http.disconnect"}

        async def keep(message: Message) -> None:
            probe.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        get = {**target, "method": "GET", "headers": _without_body_headers(target)}
        await self.app(get, nothing, keep)
        answer = probe[0] if probe and probe[0]["type"] == "http.response.start" else None
        if answer is not None and answer["status"] in (404, 410):
            held = probe
        elif answer is not None and held[0]["status"] == 308 and answer["status"] in (301, 308):
            # the target moved for good too (`/initiative/Matilde/` → `/initiative/Matilde` →
            # `/initiative/matilde`): one redirect to where it is, not two (a trial's hops)
            onward = dict(answer.get("headers", [])).get(b"location")
            if onward:
                headers = held[0].get("headers", [])
                moved = [
                    (k, _relative(onward) if k.lower() == b"location" else v) for k, v in headers
                ]
                held = [{**held[0], "headers": moved}, *held[1:]]
        for message in held:
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)


def _without_body_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The request's headers less those describing its body or conditions, for a GET probe."""
    dropped = {b"content-length", b"content-type", b"transfer-encoding", b"if-match"}
    dropped |= {b"if-none-match", b"if-modified-since", b"if-unmodified-since"}
    return [(k, v) for k, v in scope.get("headers", ()) if k.lower() not in dropped]


def _relative(location: bytes) -> bytes:
    """The path and query of an absolute `Location` (`http://host/a?b` → `/a?b`), with one
    leading slash: `//host/x` would be a reference to another host."""
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, "")).encode("latin-1")


#: request fields defined as comma-separated lists that routes read (RFC 9110 §12.5.1, §12.5.3,
#: §12.5.4, §13.1.1, §13.1.2): several lines of one are one list, in order
LIST_FIELDS = frozenset(
    {b"accept", b"accept-encoding", b"accept-language", b"if-match", b"if-none-match"}
)


def _combined(scope: Scope) -> Scope:
    """`scope` with each repeated `LIST_FIELDS` header joined into its first line."""
    headers = scope.get("headers", ())
    names = [name.lower() for name, _ in headers]
    if not any(names.count(n) > 1 for n in LIST_FIELDS & set(names)):
        return scope
    joined: dict[bytes, list[bytes]] = {}
    kept: list[tuple[bytes, bytes]] = []
    for (name, value), lower in zip(headers, names, strict=True):
        if lower in LIST_FIELDS:
            if lower not in joined:
                joined[lower] = []
                kept.append((lower, b""))  # its place; filled below
            joined[lower].append(value.strip())
        else:
            kept.append((name, value))
    headers = [(n, b", ".join(v for v in joined[n] if v) if n in joined else v) for n, v in kept]
    return {**scope, "headers": headers}


def _preflight_methods(message: Message, scope: Scope) -> list[tuple[bytes, bytes]]:
    """The headers of a CORS preflight answer with `Access-Control-Allow-Methods` naming the
    methods this resource allows (Fetch standard, CORS protocol: the methods "supported by the
    resource"), not every method some route of the site takes: a trial's preflight for a PUT
    to a record's IRI was told PUT was allowed, then got 405. A path no route matches keeps
    GET and HEAD, so a script still reads the 404. Other answers to OPTIONS are unchanged."""
    headers = message.get("headers", [])
    if not any(k.lower() == b"access-control-allow-methods" for k, _ in headers):
        return list(headers)
    methods = [*(allowed_methods(scope) or ["GET", "HEAD"]), "OPTIONS"]
    value = ", ".join(dict.fromkeys(methods)).encode()
    return [(k, value if k.lower() == b"access-control-allow-methods" else v) for k, v in headers]


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the routes matching this path accept, in a stable order."""
    path = scope.get("path", "")
    methods: set[str] = set()
    for route, prefix in _routes(getattr(scope.get("app"), "router", None), ""):
        regex = getattr(route, "path_regex", None)
        route_methods = getattr(route, "methods", None)
        if isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            route_methods = {"GET"}  # Starlette's static files answer GET and HEAD
        if regex is None or not route_methods or not path.startswith(prefix):
            continue
        if regex.match(path[len(prefix) :]):
            methods |= set(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: (order.index(m) if m in order else len(order), m))


def _routes(router: object, prefix: str) -> Iterator[tuple[object, str]]:
    """Every route of a router, into included routers (FastAPI keeps them nested)."""
    for route in getattr(router, "routes", []):
        yield route, prefix
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner, prefix + (getattr(context, "prefix", "") or ""))


# --- conditional requests (RFC 9110 §13) ----------------------------------------------------

_ETAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


def etags(header: str) -> list[str]:
    """The opaque tags of an If-None-Match list, weak prefixes dropped (weak comparison)."""
    return [m.group(2) for m in _ETAG.finditer(header)]


def not_modified(request: Request, etag: str | None, last_modified: str | None = None) -> bool:
    """Whether a GET/HEAD can be answered 304 (RFC 9110 §13.1.2, §13.1.3, §13.2.2).

    `If-None-Match` (a list, `*`, weak comparison) decides when sent; only without it does
    `If-Modified-Since` count, and only where the response has `Last-Modified` (an HTTP-date).
    """
    header = request.headers.get("if-none-match")
    if header is not None:
        if header.strip() == "*":
            return True
        if etag is None:
            return False
        ours = etag[2:] if etag.startswith("W/") else etag
        return ours in etags(header)
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return _date(last_modified) <= _date(since)
    except (TypeError, ValueError):
        return False  # an invalid date is ignored (§13.1.3)


def _strong(tag: str | None) -> str | None:
    """The tag when it is strong, else None (a weak tag never matches strongly, §8.8.3.2)."""
    return None if tag is None or tag.startswith("W/") else tag


def precondition_failed(
    request: Request, etag: str | None, last_modified: str | None = None
) -> bool:
    """Whether the request's preconditions fail and the answer is 412 Precondition Failed,
    evaluated in the order of RFC 9110 §13.2.2 for a resource that exists:

    1. `If-Match` (§13.1.1): `*` passes; otherwise the response's tag must be strong and equal
       to one of the strong tags listed (strong comparison), else 412.
    2. Only without `If-Match`, `If-Unmodified-Since` (§13.1.4): 412 when `last_modified` (an
       HTTP-date) is later than it; an invalid date, or no `Last-Modified`, is ignored.
    3. `If-None-Match` on a method other than GET/HEAD (§13.1.2): `*` or a tag matching
       (weak comparison) gives 412; on GET/HEAD the same condition is a 304 (`not_modified`).

    Call it before `not_modified`: a 412 wins over a 304.
    """
    match = request.headers.get("if-match")
    if match is not None:
        if match.strip() != "*":
            ours = _strong(etag)
            strong = [m.group(2) for m in _ETAG.finditer(match) if not m.group(1)]
            if ours is None or ours not in strong:
                return True
    else:
        since = request.headers.get("if-unmodified-since")
        if since is not None and last_modified is not None:
            try:
                if _date(last_modified) > _date(since):
                    return True
            except (TypeError, ValueError):
                pass  # an invalid date is ignored (§13.1.4)
    if request.method not in ("GET", "HEAD"):
        none_match = request.headers.get("if-none-match")
        if none_match is not None:
            if none_match.strip() == "*":
                return True
            ours = etag[2:] if etag is not None and etag.startswith("W/") else etag
            return ours is not None and ours in etags(none_match)
    return False


def precondition_response(etag: str | None = None) -> JSONResponse:
    """The 412 answer, in the project's error shape, with the resource's current `ETag`."""
    return JSONResponse(
        {
            "error": "PreconditionFailed",
            "message": "a precondition (If-Match, If-Unmodified-Since or If-None-Match) failed",
        },
        status_code=412,
        headers={"ETag": etag} if etag else None,
    )


def version_validators(version: StoreVersion, *parts: str) -> tuple[str, str | None]:
    """A strong `ETag` for what one store version gives for `parts` (a graph, a media type),
    and the version's time as `Last-Modified` (an HTTP-date, or None)."""
    digest = hashlib.sha256("\0".join([version.name, *parts]).encode())
    return f'"{digest.hexdigest()[:32]}"', http_date(version.created)


def http_date(iso: str) -> str | None:
    """An ISO 8601 time (a store version's `created`) as an HTTP-date (RFC 9110 §5.6.7), the
    form of `Last-Modified`; None when it is not a time."""
    try:
        return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), usegmt=True)
    except (TypeError, ValueError):
        return None


def _date(text: str) -> datetime:
    """An HTTP-date in any of the three forms recipients must accept (RFC 9110 §5.6.7): the
    asctime form carries no zone and is read as GMT."""
    value = parsedate_to_datetime(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def negotiated(request: Request, offered: Sequence[Format], what: str) -> Format:
    """The format of `offered` the request's `Accept` prefers (RFC 9110 §12.5.1; no `Accept`:
    the first). Raises `NotAcceptable` (406, RFC 9110 §15.5.7) saying that `what` ("this
    record") is available in the media types offered, when the client accepts none."""
    choice = formats.negotiate(request.headers.get("accept"), offered)
    if choice is None:
        raise NotAcceptable(f"{what} is available as {', '.join(f.media for f in offered)}")
    return choice.format


def graph_store_address(graph: str) -> str:
    """Where the Graph Store Protocol serves the named graph `graph` (indirect identification,
    SPARQL 1.1 Graph Store HTTP Protocol §4.2), in the RDF format a client asks for."""
    return f"/rdf-graphs?graph={quote(graph, safe='')}"


def see_other(target: str) -> Response:
    """303 See Other to `target` (RFC 9110 §15.4.4), with the short hypertext note the RFC
    asks of it (a `curl` of an identifier without `-L` had printed nothing) and freshness of
    its own, as the pages it leads to: a shared cache stores a 303 only with explicit
    freshness (RFC 9111 §3), and every identifier on the site's pages links through one."""
    href = html.escape(target, quote=True)
    note = f'<!doctype html>\n<title>See Other</title>\n<p>See <a href="{href}">{href}</a>.</p>\n'
    return HTMLResponse(
        note,
        status_code=303,
        headers={"Location": target, "Vary": "Accept", "Cache-Control": "public, max-age=300"},
    )


__all__ = [
    "EXPOSED",
    "HeadAndAllow",
    "allowed_methods",
    "etags",
    "http_date",
    "install_http",
    "not_modified",
    "precondition_failed",
    "precondition_response",
    "see_other",
]
