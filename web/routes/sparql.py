"""The SPARQL 1.1 Protocol at `/sparql` (issue 3): queries by GET, POST form and POST
`application/sparql-query`; updates with the admin token; content negotiation, a `format`
parameter, a service description, CORS, a per-client rate limit, a result cache with ETags, and
the editor page for browsers."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kg import formats
from kg.dumps import ensure_dumps
from kg.endpoint import Endpoint, check_syntax, inspect_query
from kg.endpoint.description import limits_note
from kg.endpoint.description import render as render_description
from kg.endpoint.execute import QueryRequest
from kg.errors import BadRequest, NotAcceptable
from kg.example_queries import load_examples
from kg.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS, Choice, Format
from kg.settings import Settings
from web.auth import require_admin
from web.http import not_modified, precondition_failed, precondition_response
from web.openapi import errors, media, query_parameters
from web.ratelimit import client_of
from web.services import limit, sparql_engine

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
#: an update's dataset parameters (SPARQL 1.1 Protocol §2.2.3)
USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")
#: the element of the editor page (templates/sparql.html) that states the time and row limits
ROW_CAP_ANCHOR = "editor-help"


SparqlEndpoint = Annotated[Endpoint, Depends(sparql_engine)]


@dataclass(frozen=True)
class Protocol:
    """What one protocol request asks for, whatever way it was sent."""

    query: str | None
    update: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]  # `format` values; SPARQLWrapper sends several, some comma lists


def _params(pairs: dict[str, list[str]], body_query: str | None = None) -> Protocol:
    def one(name: str) -> str | None:
        values = pairs.get(name, [])
        if len(values) > 1:
            raise BadRequest(f"parameter `{name}` given {len(values)} times; send it once")
        return values[0] if values else None

    return Protocol(
        query=body_query if body_query is not None else one("query"),
        update=one("update"),
        default_graphs=tuple(pairs.get("default-graph-uri", [])),
        named_graphs=tuple(pairs.get("named-graph-uri", [])),
        # `format`, or `output` as Fuseki and Virtuoso also read it
        formats=tuple(
            f.strip()
            for v in [*pairs.get("format", []), *pairs.get("output", [])]
            for f in v.split(",")
            if f.strip()
        ),
    )


def _url_params(request: Request) -> dict[str, list[str]]:
    return _form(request.url.query, "the URL's query string")


def _form(text: str, where: str, charset: str = "UTF-8") -> dict[str, list[str]]:
    """Form-encoded parameters, percent-encoded bytes read in `charset`: UTF-8 unless a form
    body's Content-Type declares another (SPARQL 1.1 Protocol §2.1 sends UTF-8; HTML 4.01
    §17.13.4 forms send the page's charset). Raises `BadRequest` naming where, and the first
    byte that is not valid in it, never a replaced character."""
    try:
        return parse_qs(text, keep_blank_values=True, encoding=charset, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"{where} is not valid {charset} once percent-decoded: "
            f"byte 0x{exc.object[exc.start]:02x} ({exc.reason})"
        ) from None
    except UnicodeError as exc:  # a codec's own refusal (IDNA labels), with no byte position
        raise BadRequest(f"{where} cannot be read as {charset}: {exc}") from None


def _charset(content_type: str) -> str:
    """The charset a Content-Type declares, lower-cased (`utf-8` when none). Raises
    `BadRequest` for one Python has no text codec for (`rot13` and `base64` are codecs, not
    text encodings)."""
    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    try:
        b"a".decode(charset)  # codecs that are not text encodings raise LookupError here
    except LookupError:
        raise BadRequest(f"unknown charset {charset!r} in Content-Type; send UTF-8") from None
    except UnicodeError:
        pass  # a text encoding that cannot read one byte alone (UTF-16, UTF-32)
    return charset


def _body_text(body: bytes, charset: str) -> str:
    """The request body as text in `charset` (a byte-order mark dropped from UTF-8). Raises
    `BadRequest` naming the first byte that is not valid in it, never a silently replaced
    character."""
    utf8 = codecs.lookup(charset).name == "utf-8"
    try:
        return body.decode("utf-8-sig" if utf8 else charset)
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the body is not valid {charset} at byte {exc.start}: {exc.reason}"
        ) from None
    except UnicodeError as exc:  # a codec's own refusal (IDNA labels), with no byte position
        raise BadRequest(f"the body cannot be read as {charset}: {exc}") from None


@router.options("/sparql", include_in_schema=False)
def options() -> Response:
    """OPTIONS without CORS (a CORS preflight is answered by the CORS middleware)."""
    return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})


ALL_MEDIA = [f.media for f in (*RESULT_FORMATS, *GRAPH_FORMATS, HTML)]
RESPONSES = {
    **media("query results, service description or the editor page", *ALL_MEDIA),
    **errors(400, 401, 403, 406, 413, 415, 429, 500, 503),
}
#: a GET's answer to a matching If-None-Match, and its query string's limit (`web.security`)
GET_RESPONSES = {
    **RESPONSES,
    304: {"description": "not modified (an If-None-Match tag matched)"},
    **errors(414),
}
#: a POST whose If-None-Match matches, or whose If-Match does not, is not run (RFC 9110 §13.1)
POST_RESPONSES = {**RESPONSES, 204: {"description": "update applied"}, **errors(412)}


@router.get(
    "/sparql",
    dependencies=[Depends(limit)],
    response_class=Response,
    summary="SPARQL 1.1 query by GET (the editor page for a browser)",
    responses=GET_RESPONSES,
    openapi_extra=query_parameters("query", "default-graph-uri", "named-graph-uri", "format"),
)
async def sparql_get(request: Request, endpoint: SparqlEndpoint) -> Response:
    """SPARQL 1.1 query by GET (`query`, `default-graph-uri`, `named-graph-uri`, `format`).

    Without a query: the editor page for browsers, the service description for RDF clients.
    """
    protocol = _params(_url_params(request))
    if protocol.update is not None:
        raise BadRequest("SPARQL Update must be sent by POST")
    if _browser(request, protocol.formats):
        return _editor(request, protocol.query)
    if protocol.query is None:
        return _description(request, protocol.formats)
    return await _answer(request, endpoint, protocol, cacheable=True)


#: the three bodies of SPARQL 1.1 Protocol §2.1.2, §2.1.3, §2.2.1 and §2.2.2, for OpenAPI
POST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        FORM: {
            "schema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "a SPARQL 1.1 query"},
                    "update": {
                        "type": "string",
                        "description": "a SPARQL 1.1 update (needs the admin token)",
                    },
                    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                    "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    "format": {"type": "string"},
                },
            },
            "encoding": {
                "default-graph-uri": {"explode": True},
                "named-graph-uri": {"explode": True},
            },
        },
        QUERY_BODY: {"schema": {"type": "string", "description": "the query, unencoded"}},
        UPDATE_BODY: {"schema": {"type": "string", "description": "the update, unencoded"}},
    },
}


@router.post(
    "/sparql",
    dependencies=[Depends(limit)],
    response_class=Response,
    summary="SPARQL 1.1 query by POST, or an update with the admin token",
    responses=POST_RESPONSES,
    openapi_extra={
        **query_parameters("default-graph-uri", "named-graph-uri", "format"),
        "requestBody": POST_BODY,
    },
)
async def sparql_post(request: Request, endpoint: SparqlEndpoint) -> Response:
    """SPARQL 1.1 query or update by POST: form-encoded, `application/sparql-query` or
    `application/sparql-update` (updates need the admin token)."""
    header = request.headers.get("content-type", "")
    content_type = header.partition(";")[0].strip().lower()
    charset = _charset(header)
    body = _body_text(await request.body(), charset)
    url = _url_params(request)
    given = url  # every parameter the request names, in the URL and a form body
    if content_type == FORM:
        form = _form(body, "the form body", charset)
        given = {**url, **form}
        # a parameter in the URL and in the body is given twice (Protocol §2.1.2: exactly one
        # query string): refused, not one of them silently used (a researcher's trial)
        protocol = _params({k: url.get(k, []) + form.get(k, []) for k in {*url, *form}})
    elif content_type == QUERY_BODY:
        if "query" in url:  # §2.1.3: the body is the query; one in the URL too is two
            raise BadRequest("the query is in the body and in the URL's `query`: send it once")
        protocol = _params(url, body_query=body)
    elif content_type == UPDATE_BODY:
        if "update" in url or "query" in url:  # §2.2.2: the body is the update
            raise BadRequest("the update is in the body and in the URL: send it once, in the body")
        protocol = Protocol(None, body, (), (), ())
    else:
        return _error(415, "UnsupportedMediaType", f"send {FORM}, {QUERY_BODY} or {UPDATE_BODY}")
    if protocol.update is not None:
        if protocol.query is not None:
            raise BadRequest("send either `query` or `update`, not both")
        if using := [p for p in USING_PARAMS if p in given]:
            # Protocol §2.2.3 asks a service to apply them; the store's update takes no
            # dataset, so they are refused, never silently dropped
            raise BadRequest(
                f"`{using[0]}` is not supported here: name the graphs with USING or WITH in "
                "the update itself (SPARQL 1.1 Update §3.1.2)"
            )
        return await run_in_threadpool(_update, request, endpoint, protocol.update)
    if protocol.query is None:
        raise BadRequest("no `query` parameter")
    return await _answer(request, endpoint, protocol, cacheable=False)


async def _answer(
    request: Request, endpoint: Endpoint, protocol: Protocol, *, cacheable: bool
) -> Response:
    settings: Settings = request.app.state.settings
    assert protocol.query is not None
    info = inspect_query(protocol.query, max_bytes=settings.sparql_max_query_bytes)
    try:
        choice = _result_format(request, protocol.formats, graph=info.is_graph)
    except NotAcceptable:
        check_syntax(protocol.query)  # a query that does not parse is said so first (400)
        raise
    job = QueryRequest(
        query=protocol.query,
        media=choice.format.media,
        row_cap=settings.sparql_row_cap,
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        uses_search="similarity" in protocol.query.lower(),  # rikg:similarity needs the index
        has_dataset=info.has_dataset,
        base_iri=settings.base,  # relative IRIs without BASE resolve against the public base
        cap_link=f"{settings.base}sparql#{ROW_CAP_ANCHOR}",  # the editor's note on the cap
        repeatable=info.repeatable,
    )
    # an answer with RAND() or NOW() is new each run: no tag, no 304, not kept by caches
    cacheable = cacheable and info.repeatable
    conditional = request.headers.get("if-none-match") or request.headers.get("if-match")
    if cacheable or conditional:
        etag = endpoint.etag(job, choice.content_type) if info.repeatable else None
        if precondition_failed(request, etag):  # no tag: `If-Match` with one fails
            return precondition_response(etag)
        if etag is not None and cacheable and not_modified(request, etag):
            # a 304 carries the Cache-Control the 200 would have had (RFC 9110 §15.4.5)
            return Response(
                status_code=304,
                headers={"ETag": etag, "Vary": "Accept", "Cache-Control": "public, max-age=60"},
            )
    # the loop waits on the worker's pipe; one client holds at most its share of the workers
    served = await endpoint.answer_async(job, client_of(request), choice.content_type)
    answer = served.answer
    headers = {
        "Vary": "Accept",
        "Cache-Control": "public, max-age=60" if cacheable else "no-store",
        "X-SPARQL-Rows": str(answer.rows),
        "X-SPARQL-Cache": "hit" if served.hit else "miss",
        # the engine's time when it ran the query; a cached answer ran nothing (a trial read
        # the first run's 1.6 s on an answer served in 0.05 s)
        "Server-Timing": 'cache;desc="hit"'
        if served.hit
        else f"query;dur={answer.elapsed * 1000:.1f}",
    }
    if served.etag is not None:
        headers["ETag"] = served.etag
    if answer.truncated:  # and the head of a JSON or XML answer links the note on the cap
        headers["X-SPARQL-Truncated"] = "true"
    return Response(answer.body, headers={**headers, "Content-Type": choice.content_type})


def _browser(request: Request, names: tuple[str, ...]) -> bool:
    """A person's browser (which names text/html), not a SPARQL client, and no `format`."""
    accept = request.headers.get("accept") or ""
    offered = (HTML, *RESULT_FORMATS, *GRAPH_FORMATS)
    chosen = formats.negotiate(accept, offered)
    return not names and HTML.media in accept and chosen is not None and chosen.format is HTML


def _result_format(request: Request, names: tuple[str, ...], *, graph: bool) -> Choice:
    """The format to answer in: the first `format` value this query can answer in, else the
    RFC 9110 negotiation of `Accept` (a CONSTRUCT or DESCRIBE whose `Accept` names only result
    formats answers in one: `kg.endpoint.execute`'s triple table). Raises `BadRequest`
    (unknown `format`) or `NotAcceptable` (no acceptable type)."""
    offered = GRAPH_FORMATS if graph else RESULT_FORMATS
    if names:
        # a CONSTRUCT or DESCRIBE may be asked for as a table by name too (`format=csv`)
        tables = (*offered, *RESULT_FORMATS) if graph else offered
        for name in names:
            found = formats.by_name(name, tables)
            if found is not None:
                return Choice(found, found.media)
        known = ", ".join(sorted({n for f in offered for n in f.names}))
        if any(formats.by_name(n, (*RESULT_FORMATS, *GRAPH_FORMATS)) for n in names):
            # a format we write, but not for this kind of answer: not acceptable, as by Accept
            raise NotAcceptable(f"format {names[0]!r} cannot carry this answer; use {known}")
        raise BadRequest(f"format {names[0]!r} is not available for this query; use {known}")
    accept = request.headers.get("accept")
    choice = formats.negotiate(accept, offered)
    if choice is None and graph:
        # a client that reads only result tables (rasqal's `roqet -p` sends `Accept:
        # application/sparql-results+xml` for every query) gets the triples as the rows of
        # ?subject ?predicate ?object rather than a 406 (RFC 9110 §12.5.1 lets a server
        # answer outside `Accept`; a table is what such a client can read)
        choice = formats.negotiate(accept, RESULT_FORMATS)
    if choice is None:
        raise NotAcceptable(f"this query can answer in: {_media_list(offered)}")
    return choice


def _media_list(offered: tuple[Format, ...]) -> str:
    return ", ".join(f.media for f in offered)


def _update(request: Request, endpoint: Endpoint, text: str) -> Response:
    require_admin(request)
    endpoint.update(text)
    _after_write(request)
    return Response(status_code=204)


def _after_write(request: Request) -> None:
    ensure_dumps(request.app.state.store, request.app.state.settings.data_dir)


def _description(request: Request, names: tuple[str, ...]) -> Response:
    settings: Settings = request.app.state.settings
    named = [f for f in (formats.by_name(n, GRAPH_FORMATS) for n in names) if f is not None]
    choice = (
        Choice(named[0], named[0].media)
        if named
        else formats.negotiate(request.headers.get("accept"), GRAPH_FORMATS)
    )
    if choice is None:
        raise NotAcceptable(f"the service description is available as {_media_list(GRAPH_FORMATS)}")
    body = render_description(
        f"{settings.base}sparql",
        f"{settings.base}.well-known/void#dataset",
        choice.format.media,
        updates=settings.admin_token is not None,
        base=settings.base,
        limits=limits_note(settings.sparql_row_cap, settings.sparql_timeout),
    )
    return Response(body, headers={"Content-Type": choice.content_type, "Vary": "Accept"})


def _editor(request: Request, query: str | None) -> Response:
    settings: Settings = request.app.state.settings
    examples = load_examples()
    context: dict[str, Any] = {
        "title": "SPARQL endpoint",
        "query": query if query is not None else (examples[0].query if examples else ""),
        "examples": examples,
        "timeout": settings.sparql_timeout,
        "row_cap": settings.sparql_row_cap,
        "endpoint": "/sparql",
        # the configured public base, never the request's Host header (which a client chooses)
        "endpoint_url": f"{settings.base}sparql",
    }
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request, "sparql.html", context, headers={"Vary": "Accept"}
    )
    return page


def _error(status: int, name: str, message: str) -> Response:
    return JSONResponse({"error": name, "message": message}, status_code=status)


__all__ = ["router"]
