"""The SPARQL 1.1 Graph Store HTTP Protocol at `/rdf-graphs` (`?graph=IRI` or `?default`):
reading is public, PUT, POST and DELETE need the admin token.

`?default` is the store's own default graph, for GET as for PUT, POST and DELETE (what SPARQL
Update writes without `GRAPH`), so a write and a read of it round-trip; it never replaces or
drops a named graph. `/sparql` without a dataset queries more: the union of it and every named
graph (its service description states `sd:UnionDefaultGraph`). A GET carries a strong `ETag`
(store version, graph, media type) and `Last-Modified` (the version's time), and answers a
conditional request 304 or 412 (RFC 9110 §13)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kg import formats
from kg.dumps import ensure_dumps
from kg.endpoint import Endpoint
from kg.endpoint.update import GraphName, delete_graph, graph_name, read_graph, write_graph
from kg.errors import BadRequest, NotAcceptable, NotFound
from kg.graphs import holds_graph, holds_subject
from kg.vocab import KINDS, graph_iri
from web.auth import require_admin
from web.http import (
    graph_store_address,
    not_modified,
    precondition_failed,
    precondition_response,
    see_other,
    version_validators,
)
from web.openapi import (
    ADMIN_ONLY,
    LINKED_DATA,
    errors,
    media,
    page_errors,
    query_parameters,
    redirect,
)
from web.services import limit, sparql_engine

SparqlEngine = Annotated[Endpoint, Depends(sparql_engine)]

router = APIRouter(tags=["sparql"])
READ_MEDIA = [f.media for f in formats.GRAPH_FORMATS]


def _target(request: Request) -> GraphName:
    params = request.query_params
    if ("graph" in params) == ("default" in params):
        raise BadRequest("name exactly one graph: `?graph=IRI` or `?default`")
    return graph_name(params.get("graph"))


GRAPH = query_parameters("graph", "default")
WRITE = {
    201: {"description": "graph created"},
    204: {"description": "graph replaced, extended or dropped"},
    **errors(400, 401, 403, 404, 413),
}


@router.options("/rdf-graphs", include_in_schema=False)
def options() -> Response:
    """OPTIONS (RFC 9110 §9.3.7): 204 with the methods in `Allow`, as `/sparql` answers it. A
    CORS preflight (with `Access-Control-Request-Method`) never gets here: the CORS
    middleware answers it."""
    return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, PUT, DELETE, OPTIONS"})


@router.get(
    "/rdf-graphs",
    dependencies=[Depends(limit)],
    response_class=Response,
    responses={**media("the graph", *READ_MEDIA), **errors(400, 404, 406, 429)},
    openapi_extra=GRAPH,
)
def get_graph(request: Request) -> Response:
    """One graph of the store in any RDF format (by `Accept`; RFC 9110 negotiation).
    `?default` is the store's own default graph (what SPARQL Update writes without `GRAPH`;
    `kg.endpoint.update.read_graph`), not the union `/sparql` queries without a dataset."""
    store, target = request.app.state.store, _target(request)
    # a graph the store does not hold is 404 whatever the client accepts (a browser's Accept
    # was sent to a page that is not there, `Accept: text/html` got 406: a trial)
    named = request.query_params.get("graph")
    if named is not None and not holds_graph(store.current(), named):
        raise NotFound(f"no graph {named}")
    page = _record_page(request, request.query_params.get("graph", ""))
    if page is not None:  # a browser asking for a record's graph: its page, as /graph/… does
        return RedirectResponse(page, status_code=303, headers={"Vary": "Accept"})
    choice = formats.negotiate(request.headers.get("accept"), formats.GRAPH_FORMATS)
    if choice is None:
        raise NotAcceptable(f"available: {', '.join(READ_MEDIA)}")
    version = store.version()
    body = read_graph(store, target, choice.format)  # NotFound first: no 304 for no graph
    etag, last_modified = version_validators(version, str(target), choice.content_type)
    headers = {
        "ETag": etag,
        "Vary": "Accept",
        **({"Last-Modified": last_modified} if last_modified else {}),
    }
    if precondition_failed(request, etag, last_modified):
        return precondition_response(etag)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, headers={**headers, "Content-Type": choice.content_type})


def _record_page(request: Request, graph: str) -> str | None:
    """The HTML page of the graph `graph` (`_page_of`), when the request prefers HTML to every
    RDF format (a browser); else None."""
    prefix = f"{request.app.state.settings.base}graph/"
    kind, _, slug = graph.removeprefix(prefix).partition("/")
    if not graph.startswith(prefix) or not slug or "/" in slug:
        return None
    page = _page_of(kind, slug)
    return page if page is not None and _prefers_html(request) else None


def _page_of(kind: str, slug: str) -> str | None:
    """The page that shows the statements of graph `{base}graph/{kind}/{slug}` to a person: a
    record's page, `/ns` for the ontology (`ontology/rikg`: a trial's browser got RDF/XML),
    or `/browse` for a concept scheme (`ontology/theme`, …). None for the graphs only the Graph
    Store serves: the list of sources. The SHACL shapes (`ontology/shapes`) lead to their
    Turtle document, which a browser shows as text."""
    if kind in KINDS:
        return f"/{kind}/{slug}"
    if kind == "ontology" and slug == "rikg":
        return "/ns"
    if kind == "ontology" and slug == "shapes":
        return "/shapes.ttl"  # shown as text; the site has no page of them
    if kind == "ontology":
        return "/browse"
    return None


def _prefers_html(request: Request) -> bool:
    """Whether `Accept` prefers the HTML page to every RDF format the graph comes in."""
    choice = formats.negotiate(
        request.headers.get("accept"), [*formats.GRAPH_FORMATS, formats.HTML]
    )
    return choice is not None and choice.format is formats.HTML


@router.get(
    "/graph/{kind}/{slug}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="A named graph's IRI",
    responses={
        **redirect(303, "the graph through the Graph Store Protocol, or its page for a browser"),
        **page_errors(404),
    },
)
def graph_iri_document(request: Request, kind: str, slug: str) -> Response:
    """A named graph IRI (`{base}graph/{kind}/{slug}`: a record's, the subject of its
    provenance, or one of the ontology's) resolves: 303 See Other to the graph through the
    Graph Store Protocol, so a linked-data client that follows it gets the graph's statements
    in the format it asks for; a browser (HTML preferred) is sent to the page showing them
    (`_page_of`) — the Graph Store Protocol answers RDF only, and a trial's browser got 406.
    A graph the store does not hold is 404 here, not after the redirect."""
    iri = graph_iri(request.app.state.settings.base, kind, slug)
    if not holds_graph(request.app.state.store.current(), iri):
        raise NotFound(f"no graph {iri}")
    headers = {"Vary": "Accept"}
    page = _page_of(kind, slug)
    if page is not None and _prefers_html(request):
        return RedirectResponse(page, status_code=303, headers=headers)
    return RedirectResponse(graph_store_address(iri), status_code=303, headers=headers)


@router.get(
    "/.well-known/genid/{stem}/{label}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="A skolem IRI of the ontology's files",
    responses={**redirect(303, "the ontology graph that holds the node"), **page_errors(404)},
)
def skolem_iri(request: Request, stem: str, label: str) -> Response:
    """A skolem IRI (RDF 1.1 Concepts §3.5) that stands for a blank node of an ontology file,
    such as one of the SHACL shapes' property shapes, resolves: 303 See Other to the graph
    that holds it (`{base}graph/ontology/{stem}`) through the Graph Store Protocol. One the
    graph does not describe is 404."""
    base = request.app.state.settings.base
    graph = graph_iri(base, "ontology", stem)
    iri = f"{base}.well-known/genid/{stem}/{label}"
    if not holds_subject(request.app.state.store.current(), iri, graph):
        raise NotFound(f"no node {iri}")
    return see_other(graph_store_address(graph))


async def _write(request: Request, eng: Endpoint, *, replace: bool) -> Response:
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    fmt = formats.by_media(content_type)
    if fmt is None or fmt.rdf is None:
        raise BadRequest(f"unsupported Content-Type {content_type!r}; send {', '.join(READ_MEDIA)}")
    graph, body = _target(request), await request.body()

    def write() -> bool:
        created = write_graph(request.app.state.store, graph, body, fmt, replace=replace)
        _invalidate(request, eng)
        return created

    return Response(status_code=201 if await run_in_threadpool(write) else 204)


@router.put(
    "/rdf-graphs",
    dependencies=[Depends(require_admin)],
    response_class=Response,
    responses=WRITE,
    openapi_extra={**GRAPH, **ADMIN_ONLY},
)
async def put_graph(request: Request, eng: SparqlEngine) -> Response:
    """Replace a graph with the request body (admin token)."""
    return await _write(request, eng, replace=True)


@router.post(
    "/rdf-graphs",
    dependencies=[Depends(require_admin)],
    response_class=Response,
    responses=WRITE,
    openapi_extra={**GRAPH, **ADMIN_ONLY},
)
async def post_graph(request: Request, eng: SparqlEngine) -> Response:
    """Add the request body's triples to a graph (admin token)."""
    return await _write(request, eng, replace=False)


@router.delete(
    "/rdf-graphs",
    dependencies=[Depends(require_admin)],
    response_class=Response,
    responses=WRITE,
    openapi_extra={**GRAPH, **ADMIN_ONLY},
)
def remove_graph(request: Request, eng: SparqlEngine) -> Response:
    """Drop a graph (admin token)."""
    delete_graph(request.app.state.store, _target(request))
    _invalidate(request, eng)
    return Response(status_code=204)


def _invalidate(request: Request, eng: Endpoint) -> None:
    eng.invalidate()
    ensure_dumps(request.app.state.store, request.app.state.settings.data_dir)
