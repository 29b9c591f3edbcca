"""The vocabulary document, `/ns`: where the `rikg:` namespace (`https://w3id.org/rikg/ns#`)
resolves — a page for people with an anchor per term, and the same statements as data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg import formats
from kg.endpoint.update import graph_name, read_graph
from kg.formats import DOCUMENT_FORMATS, HTML, Format
from kg.vocab import PREFIXES, graph_iri
from kg.vocabulary import vocabulary, vocabulary_document
from web.datadocument import document_format, document_response
from web.http import graph_store_address, negotiated, see_other
from web.openapi import LINKED_DATA, RDF_MEDIA, media, page_errors, redirect, status_304

router = APIRouter()
#: what `/ns` answers, by `Accept`: the page first (a browser, no `Accept`, `*/*`)
OFFERED = (HTML, *DOCUMENT_FORMATS)
#: the prefixes of the vocabulary's own statements, besides the site's
VOCABULARY_PREFIXES = {**PREFIXES, "vann": "http://purl.org/vocab/vann/"}
HEADERS = {"Cache-Control": "public, max-age=300"}


@router.get(
    "/ns",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The vocabulary (rikg ontology)",
    responses={
        **media("its page, or a data document, by Accept", "text/html", *RDF_MEDIA),
        **status_304(),
        **page_errors(406),
    },
)
def namespace(request: Request) -> Response:
    """The vocabulary in the format `Accept` prefers (RFC 9110 §12.5.1): its page, or a data
    document, whose own URL (`/ns.ttl`, …) is named in `Content-Location` (RFC 9110 §8.7).
    Raises `NotAcceptable` (406, listing the formats) when the client accepts none."""
    fmt = negotiated(request, OFFERED, "the vocabulary")
    if fmt is HTML:
        response = page(request)
    else:
        response = document(request, fmt)
        response.headers["Content-Location"] = f"/ns.{fmt.extension}"
    response.headers["Vary"] = "Accept"
    return response


@router.get(
    "/ns.{ext}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The vocabulary as a data document (ttl, nt, jsonld, rdf)",
    responses={**media("the data document", *RDF_MEDIA), **status_304(), **page_errors(404)},
)
def namespace_document(request: Request, ext: str) -> Response:
    """The vocabulary's data document in the format its extension names (`ttl`, `nt`,
    `jsonld`, `rdf`). Raises `NotFound` for another extension."""
    return document(request, document_format(ext))


@router.get(
    "/shapes",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="The SHACL shapes (rikgsh namespace)",
    responses=redirect(303, "the shapes' named graph through the Graph Store Protocol"),
)
def shapes(request: Request) -> Response:
    """Where the shapes' namespace (`https://w3id.org/rikg/shapes#`) resolves: 303 See Other
    to the named graph `{base}graph/ontology/shapes`, the SHACL shapes every record is checked
    against before it is published, in the RDF format `Accept` asks for; a browser (HTML
    preferred) to their Turtle document `/shapes.ttl`, which it shows as text (a trial's
    browser got RDF/XML, shown as an unstyled XML tree)."""
    offered = [*formats.GRAPH_FORMATS, HTML]
    choice = formats.negotiate(request.headers.get("accept"), offered)
    if choice is not None and choice.format is HTML:
        return see_other("/shapes.ttl")
    return see_other(graph_store_address(shapes_graph(request)))


@router.get(
    "/shapes.{ext}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The SHACL shapes as a data document (ttl, nt, jsonld, rdf)",
    responses={**media("the data document", *RDF_MEDIA), **page_errors(404)},
)
def shapes_document(request: Request, ext: str) -> Response:
    """The shapes' named graph in the format its extension names (`ttl`, `nt`, `jsonld`,
    `rdf`): the document `/ns` links for people to read. Raises `NotFound` for another
    extension, or when the store holds no shapes."""
    fmt = document_format(ext)
    graph = graph_name(shapes_graph(request))
    body = read_graph(request.app.state.store, graph, fmt)
    return document_response(request, body, fmt, HEADERS)


def shapes_graph(request: Request) -> str:
    """The IRI of the shapes' named graph under the site's base."""
    return graph_iri(request.app.state.settings.base, "ontology", "shapes")


def document(request: Request, fmt: Format) -> Response:
    triples = vocabulary_document(
        request.app.state.store.current(), base=request.app.state.settings.base
    )
    prefixes = VOCABULARY_PREFIXES if fmt.extension in ("ttl", "rdf", "jsonld") else None
    body = formats.serialize_graph(triples, fmt, prefixes=prefixes, compact=True)
    return document_response(request, body, fmt, HEADERS)


def page(request: Request) -> Response:
    vocab = vocabulary(request.app.state.store.current(), base=request.app.state.settings.base)
    alternates = [
        (f"/ns.{f.extension}", f.media, (f.w3c or f.name).replace("_", "/"))
        for f in DOCUMENT_FORMATS
    ]
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "vocabulary.html",
        {
            "vocab": vocab,
            "alternates": alternates,
            "curie": curie,
            "local": {t.iri: t.name for t in [*vocab.classes, *vocab.properties]},
        },
        headers=HEADERS,
    )
    return response


def curie(iri: str) -> str:
    """`iri` in a prefix the site declares ("schema:Organization"), else as it is."""
    for prefix, ns in VOCABULARY_PREFIXES.items():
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
