"""The SPARQL 1.1 Protocol at `/sparql` (issue 3): queries by GET, POST form and POST
`application/sparql-query`; updates with the admin token; content negotiation, a `format`
parameter, a service description, CORS, a per-client rate limit, a result cache with ETags, and
the editor page for browsers."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.dumps import ensure_dumps
from kg.endpoint import inspect_query, inspect_update
from kg.endpoint.description import render as render_description
from kg.endpoint.execute import QueryRequest
from kg.endpoint.serialize import GRAPH_MEDIA, SOLUTION_MEDIA
from kg.endpoint.update import run_update
from kg.errors import BadRequest
from kg.example_queries import load_examples
from kg.settings import Settings
from web.auth import require_admin
from web.negotiation import HTML, choose
from web.openapi import errors, media, query_parameters
from web.services import Engine, limit, sparql_engine

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
#: `format=` values (as sent by browsers and by SPARQLWrapper) for each kind of result
SOLUTION_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
}
#: media types clients send that mean one of ours
ACCEPT_SYNONYMS = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, X-SPARQL-Truncated, X-SPARQL-Rows",
}


SparqlEngine = Annotated[Engine, Depends(sparql_engine)]


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
        formats=tuple(
            f.strip() for v in pairs.get("format", []) for f in v.split(",") if f.strip()
        ),
    )


def _url_params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query, keep_blank_values=True)


@router.options("/sparql", include_in_schema=False)
def preflight() -> Response:
    return Response(
        status_code=204,
        headers={
            **CORS,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
            "Access-Control-Max-Age": "86400",
        },
    )


ALL_MEDIA = [*SOLUTION_MEDIA, *GRAPH_MEDIA, HTML]
RESPONSES = {
    **media("query results, service description or the editor page", *ALL_MEDIA),
    304: {"description": "not modified (the ETag matched)"},
    **errors(400, 403, 406, 413, 415, 429, 503),
}


@router.get(
    "/sparql",
    dependencies=[Depends(limit)],
    response_class=Response,
    responses=RESPONSES,
    openapi_extra=query_parameters("query", "default-graph-uri", "named-graph-uri", "format"),
)
def sparql_get(request: Request, eng: SparqlEngine) -> Response:
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
    return _answer(request, eng, protocol, cacheable=True)


@router.post(
    "/sparql",
    dependencies=[Depends(limit)],
    response_class=Response,
    responses={**RESPONSES, 204: {"description": "update applied"}},
    openapi_extra=query_parameters("default-graph-uri", "named-graph-uri", "format"),
)
async def sparql_post(request: Request, eng: SparqlEngine) -> Response:
    """SPARQL 1.1 query or update by POST: form-encoded, `application/sparql-query` or
    `application/sparql-update` (updates need the admin token)."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    url = _url_params(request)
    if content_type == FORM:
        protocol = _params({**url, **parse_qs(body, keep_blank_values=True)})
    elif content_type == QUERY_BODY:
        protocol = _params(url, body_query=body)
    elif content_type == UPDATE_BODY:
        protocol = Protocol(None, body, (), (), ())
    else:
        return _error(415, "UnsupportedMediaType", f"send {FORM}, {QUERY_BODY} or {UPDATE_BODY}")
    if protocol.update is not None:
        if protocol.query is not None:
            raise BadRequest("send either `query` or `update`, not both")
        return await run_in_threadpool(_update, request, protocol.update)
    if protocol.query is None:
        raise BadRequest("no `query` parameter")
    # the wait for a worker blocks: keep it off the event loop
    return await run_in_threadpool(_answer, request, eng, protocol, cacheable=False)


def _answer(request: Request, eng: Engine, protocol: Protocol, *, cacheable: bool) -> Response:
    settings: Settings = request.app.state.settings
    assert protocol.query is not None
    info = inspect_query(protocol.query, max_bytes=settings.sparql_max_query_bytes)
    media = _result_media(request, protocol.formats, graph=info.is_graph)
    if media is None:
        offered = GRAPH_MEDIA if info.is_graph else SOLUTION_MEDIA
        return _error(406, "NotAcceptable", f"this query can answer in: {', '.join(offered)}")
    job = QueryRequest(
        query=protocol.query,
        media=media,
        row_cap=settings.sparql_row_cap,
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        uses_search="similarity" in protocol.query.lower(),  # rikg:similarity needs the index
    )
    key = job.key(request.app.state.store.version().name)
    if cacheable and f'"{key}"' in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": f'"{key}"', **CORS, "Vary": "Accept"})
    answer = eng.cache.get(key)
    cache_state = "hit"
    if answer is None:
        cache_state = "miss"
        started = time.perf_counter()
        answer = replace(eng.runner.run(job), elapsed=time.perf_counter() - started)
        key = job.key(answer.version)  # an ingest may have published while the query ran
        eng.cache.put(key, answer)
    etag = f'"{key}"'
    headers = {
        **CORS,
        "Vary": "Accept",
        "ETag": etag,
        "Cache-Control": "public, max-age=60" if cacheable else "no-store",
        "X-SPARQL-Rows": str(answer.rows),
        "X-SPARQL-Cache": cache_state,
        "Server-Timing": f"query;dur={answer.elapsed * 1000:.1f}",
    }
    if answer.truncated:
        headers["X-SPARQL-Truncated"] = "true"
        headers["Warning"] = (
            f'199 - "results cut at {settings.sparql_row_cap} rows (KG_SPARQL_ROW_CAP)"'
        )
    content_type = media + ("; charset=utf-8" if media.startswith("text/") else "")
    return Response(answer.body, media_type=content_type, headers=headers)


def _browser(request: Request, formats: tuple[str, ...]) -> bool:
    """A person's browser (which names text/html), not a SPARQL client, and no `format`."""
    accept = request.headers.get("accept") or ""
    offered = [HTML, *SOLUTION_MEDIA, *GRAPH_MEDIA]
    return not formats and HTML in accept and choose(accept, offered) == HTML


def _result_media(request: Request, formats: tuple[str, ...], *, graph: bool) -> str | None:
    offered = list(GRAPH_MEDIA if graph else SOLUTION_MEDIA)
    if formats:
        aliases = GRAPH_ALIASES if graph else SOLUTION_ALIASES
        for fmt in formats:
            media = aliases.get(fmt.lower(), fmt.lower())
            media = ACCEPT_SYNONYMS.get(media, media)
            if media in offered:
                return media
        names = ", ".join(sorted({k for k, v in aliases.items() if v in offered}))
        raise BadRequest(f"format {formats[0]!r} is not available for this query; use {names}")
    accept = request.headers.get("accept")
    if not accept:
        return offered[0]
    synonyms = [m for m, ours in ACCEPT_SYNONYMS.items() if ours in offered]
    chosen = choose(accept, offered + synonyms)
    if chosen is None and graph and choose(accept, ["application/sparql-results+xml"]):
        return "application/rdf+xml"  # SPARQL 1.0 clients (roqet) ask for XML for every form
    if chosen is None and choose(accept, [HTML]) == HTML:
        return offered[0]  # a browser following a download link without `format`
    return ACCEPT_SYNONYMS.get(chosen, chosen) if chosen else None


def _update(request: Request, text: str) -> Response:
    require_admin(request)
    settings: Settings = request.app.state.settings
    inspect_update(text, max_bytes=settings.sparql_max_query_bytes)
    run_update(request.app.state.store, text)
    _after_write(request)
    return Response(status_code=204)


def _after_write(request: Request) -> None:
    ensure_dumps(request.app.state.store, request.app.state.settings.data_dir)


def _description(request: Request, formats: tuple[str, ...]) -> Response:
    settings: Settings = request.app.state.settings
    chosen = [GRAPH_ALIASES.get(f.lower(), f.lower()) for f in formats]
    media = next((m for m in chosen if m in GRAPH_MEDIA), None)
    media = media or choose(request.headers.get("accept"), list(GRAPH_MEDIA)) or "text/turtle"
    body = render_description(
        f"{settings.base}sparql",
        f"{settings.base}.well-known/void",
        media,
        updates=settings.admin_token is not None,
    )
    return Response(body, media_type=media, headers={**CORS, "Vary": "Accept"})


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
    }
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request, "sparql.html", context, headers={"Vary": "Accept"}
    )
    return page


def _error(status: int, name: str, message: str) -> Response:
    return JSONResponse({"error": name, "message": message}, status_code=status)


__all__ = ["router"]
