"""Cool URIs (W3C 'Cool URIs for the Semantic Web', 303 pattern) and record pages."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode, urlparse

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kg import formats
from kg.errors import NotFound
from kg.formats import DATASET_FORMATS, DOCUMENT_FORMATS, HTML, RECORD_FORMATS, Format
from kg.record_document import (
    about_document,
    dataset,
    document,
    document_modified,
    kind_listing,
    view,
)
from kg.search import SearchService
from kg.vocab import KINDS, SCHEMA_NS, record_iri
from web.datadocument import document_format, document_response
from web.http import http_date, negotiated, see_other
from web.i18n import N_, language, requested, with_lang
from web.jsonld import SCHEMA_SAME_AS, citation, dumps, schema_org
from web.meta import addressed_language
from web.openapi import (
    DATASET_MEDIA,
    LINKED_DATA,
    RDF_MEDIA,
    media,
    page_errors,
    redirect,
    status_304,
)
from web.practice import BUDGET_KINDS, practice_context
from web.recordpage import (
    GROUPS,
    INCOMING_LABELS,
    LINKED_FROM,
    SLUG,
    check,
    grouped,
    held,
    to_lower_case,
)
from web.services import search_service

router = APIRouter()
#: what the 303 of a record URI can lead to: its page or one of its data documents
OFFERED = (HTML, *RECORD_FORMATS)
#: what free-text claims are about (`aspect` in ingest/records/README.md) and kinds of amount,
#: as msgids the record page translates
ASPECTS = {
    "activity": N_("activity"),
    "budget-note": N_("budget note"),
    "conclusion": N_("conclusion"),
    "lesson": N_("lesson"),
    "transferability": N_("transferability"),
    "method": N_("method"),
    "origin": N_("origin"),
    "outcome": N_("outcome"),
    "output": N_("output"),
    "participants": N_("participants"),
    "result": N_("result"),
    "scale": N_("scale"),
    "status": N_("status"),
}


@router.get(
    "/id/{kind}/{slug}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="A record's IRI",
    responses={
        **redirect(303, "the record's page, or its data document for an RDF Accept"),
        **redirect(308, "the IRI in lower case"),
        **page_errors(404, 406),
    },
)
def resource(request: Request, kind: str, slug: str) -> Response:
    """The thing itself: 303 See Other to its page or data document, by Accept (RFC 9110
    §12.5.1 negotiation over `OFFERED`: no Accept or `*/*` is the page, as is a browser's
    usual Accept). Raises `NotFound` (no such record) or `NotAcceptable` (406, RFC 9110
    §15.5.7, listing what is available) when the client accepts none of them (`image/png`,
    `text/html;q=0`, `application/n-quads`). A `lang` of ours (`?lang=es`) is kept on the
    redirect to the page; data documents have no interface language."""
    if moved := to_lower_case(request, "/id", kind, slug):  # `/id/initiative/MATILDE`
        return moved
    check(kind, slug)
    settings = request.app.state.settings
    document(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    fmt = negotiated(request, OFFERED, "this record")
    target = f"/{kind}/{slug}" + ("" if fmt is HTML else f".{fmt.extension}")
    # the interface language the URI was asked in stays with the page it leads to
    lang = requested(request)
    if lang is not None and fmt is HTML:
        target += f"?lang={lang}"
    return see_other(target)


Search = Annotated[SearchService, Depends(search_service)]
#: the kinds whose records the search lists (its `kind` filter), each listed at `/{kind}`
LISTED = ("initiative", "organisation", "policy", "event", "source")


def _listing(kind: str) -> Callable[[Request], Response]:
    def listing(request: Request) -> Response:
        """The records of one kind: 303 See Other to the search filtered by it, in the page's
        language. A record's address with its name cut off (`/initiative/`: what a link
        checker and a person shortening the address try) had been 404."""
        return see_other(with_lang(f"/search?kind={kind}", requested(request)))

    return listing


for _kind in LISTED:
    for _path in (f"/{_kind}", f"/{_kind}/"):
        router.add_api_route(
            _path,
            _listing(_kind),
            methods=["GET"],
            tags=[LINKED_DATA],
            response_class=Response,
            status_code=303,
            summary=f"Every {_kind} record: the search filtered by kind",
            responses=redirect(303, "the search filtered by this kind"),
        )


def kind_resource(request: Request, kind: str) -> Response:
    """A kind's IRI with the record cut off (`/id/initiative`): 303 See Other by `Accept` (RFC
    9110 §12.5.1), to the search filtered by it in the page's language, or for an RDF format
    (`DOCUMENT_FORMATS`) to the SPARQL endpoint's answer listing every record of the kind with
    its classes and names (`kg.record_document.kind_listing`; the client's `Accept` picks the
    format there; `see_other` says `Vary: Accept`): an RDF client had been sent the HTML
    search. Written in other case
    (`/id/Initiative`), 308 to the lower-case IRI first, the query kept, as a record's IRI is
    (`to_lower_case`). Raises `NotFound` for a word that names no kind the search lists,
    `NotAcceptable` (406) for an `Accept` neither HTML nor RDF."""
    lower = kind.lower()
    if lower not in LISTED:
        raise NotFound(f"no kind of record {kind!r}; kinds are {', '.join(LISTED)}")
    if kind != lower:
        query = f"?{request.url.query}" if request.url.query else ""
        tail = "/" if request.url.path.endswith("/") else ""
        return RedirectResponse(f"/id/{lower}{tail}{query}", status_code=308)
    if negotiated(request, (HTML, *DOCUMENT_FORMATS), f"the list of {lower} records") is HTML:
        return _listing(lower)(request)
    return see_other(f"/sparql?{urlencode({'query': kind_listing(lower)})}")


for _path in ("/id/{kind}", "/id/{kind}/"):
    router.add_api_route(
        _path,
        kind_resource,
        methods=["GET"],
        tags=[LINKED_DATA],
        response_class=Response,
        status_code=303,
        summary="Every record of a kind (initiative, organisation, policy, event, source)",
        responses={
            **redirect(
                303,
                "the search filtered by this kind; for an RDF Accept, the SPARQL answer "
                "listing its records",
            ),
            **redirect(308, "the address in lower case"),
            **page_errors(404, 406),
        },
    )


@router.get(
    "/{kind}/{name}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="A record's page, or its data document (name.ttl, .nt, .jsonld, .rdf, .trig, .nq)",
    responses={
        **media(
            "the page, or the data document the extension names",
            "text/html",
            *RDF_MEDIA,
            *DATASET_MEDIA,
        ),
        **status_304(),
        **redirect(303, "the data document, for an Accept that prefers an RDF format"),
        **redirect(308, "the one address of the page (lower case, no .html)"),
        **page_errors(404, 406),
    },
)
def record(request: Request, kind: str, name: str, search: Search) -> Response:
    slug, dotted, ext = name.partition(".")
    if (
        kind != kind.lower()
        or slug != slug.lower()
        or ext != ext.lower()
        or ext.lower() in ("html", "htm")
        or (dotted and not ext)
    ) and (kind.lower() in KINDS and SLUG.match(slug.lower())):
        # one URL per record (Cool URIs): `/Initiative/ACCEM`, `/initiative/accem.html`, as
        # link checkers and old links write them, lead to it (a webmaster's trial: 404s), and
        # `/initiative/accem.`, a link pasted with the sentence's full stop (a second trial:
        # a page of its own that gave itself as canonical); `/initiative/accem.TTL` to `.ttl`
        # (a link checker's 404, in JSON for a browser)
        if not held(request, kind.lower(), slug.lower()):
            raise NotFound(f"no record at /{kind.lower()}/{slug.lower()}")
        dot = f".{ext.lower()}" if ext and ext.lower() not in ("html", "htm") else ""
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/{kind.lower()}/{slug.lower()}{dot}{query}", status_code=308)
    check(kind, slug)
    if ext:
        return data_document(request, kind, slug, document_format(ext, RECORD_FORMATS))
    choice = formats.negotiate(request.headers.get("accept"), OFFERED)
    if choice is not None and choice.format is not HTML:
        # a linked-data client asking the page for RDF (`Accept: text/turtle`; a trial's
        # crawler got the HTML page and could not parse it): 303 to the data document, as
        # the record's IRI answers; no Accept, `*/*` and browsers' get the page
        if not held(request, kind, slug):
            raise NotFound(f"no record at /{kind}/{slug}")
        return see_other(f"/{kind}/{slug}.{choice.format.extension}")
    return page(request, kind, slug, search)


def _validators(modified: str | None) -> dict[str, str]:
    """Cache-Control and the record's Last-Modified; the ETag, and the 304 answer to a
    conditional request, come from `web.pagecache.PageCache` in front of these routes."""
    headers = {"Cache-Control": "public, max-age=300"}
    stamp = http_date(modified) if modified else None
    if stamp:
        headers["Last-Modified"] = stamp
    return headers


def data_document(request: Request, kind: str, slug: str, fmt: Format) -> Response:
    settings = request.app.state.settings
    triples = document(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    about = about_document(
        f"{settings.base}{kind}/{slug}", record_iri(settings.base, kind, slug), base=settings.base
    )
    if fmt in DATASET_FORMATS:  # each statement in its named graph, the document's own in none
        graph = request.app.state.store.current()
        quads = dataset(graph, base=settings.base, kind=kind, slug=slug, default=about)
        body = formats.serialize_document(quads, fmt)
    else:
        body = formats.serialize_document([*triples, *about], fmt)
    return document_response(request, body, fmt, _validators(document_modified(triples)))


def page(request: Request, kind: str, slug: str, search: SearchService) -> Response:
    settings = request.app.state.settings
    v = view(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    headers = _validators(v.modified)
    # one page per interface language (web/i18n.py): caches are told why
    headers["Vary"] = "Accept, Accept-Language"  # Accept: an RDF one is sent to the data
    page_url = f"{settings.base}{kind}/{slug}"
    # the data documents of the page, for clients that read headers only (RFC 8288; the page
    # says the same in its <link rel="alternate"> elements)
    headers["Link"] = ", ".join(
        f'<{page_url}.{f.extension}>; rel="alternate"; type="{f.media}"' for f in RECORD_FORMATS
    )
    groups = grouped(v)
    labels = {pred: label for _, fields in groups_for_labels() for pred, label in fields}
    disputed = [
        (labels.get(p, p.rsplit("/", 1)[-1]), [x for x in v.values(p) if x.disputed])
        for p in v.disputes
        if p in v.fields
    ]
    # (msgid or None, site, URL): the template translates the message around the site
    links_out: list[tuple[str | None, str, str]] = [
        (N_("Website: %(site)s"), urlparse(x.value).netloc, x.value)
        for x in v.values(f"{SCHEMA_NS}url")
    ]
    # an organisation's own site is how to reach it: the box says so
    links_title = N_("How to get in touch") if kind == "organisation" and links_out else N_("Links")
    links_out += [
        (N_("CORDIS project page"), "", x.value)
        if "cordis.europa.eu" in x.value
        else (None, urlparse(x.value).netloc, x.value)
        for x in v.values(SCHEMA_SAME_AS)
    ]
    links_out += [
        (N_("Also described in: %(site)s"), x.value, x.value)
        for x in v.values(f"{SCHEMA_NS}subjectOf")
    ]
    lang = addressed_language(request)  # as the canonical address names it
    # the snippet a site pastes: the card in the language of the page it was copied from,
    # pinned (English too, as oEmbed's), its title attribute escaped
    embed_url = f"{settings.base}embed/{kind}/{slug}?" + urlencode({"lang": language(request)})
    context: dict[str, Any] = {
        "v": v,
        "groups": groups,
        "disputed_fields": disputed,
        "source_index": {s.value: i + 1 for i, s in enumerate(v.sources)},
        "incoming_labels": INCOMING_LABELS,
        "linked_from": LINKED_FROM,
        "aspects": ASPECTS,
        "budget_kinds": BUDGET_KINDS,
        "links_out": links_out,
        "links_title": links_title,
        # the formats by their names ("RDF/XML"), not extensions ("RDF"), which told a
        # practitioner nothing; under "Data for software"
        "formats": [
            (f.extension, f.media, (f.w3c or f.name).replace("_", "/")) for f in RECORD_FORMATS
        ],
        "page_path": f"/{kind}/{slug}",
        "page_url": page_url,
        # oEmbed discovery (oEmbed §4): absolute, naming the page's language as its address
        # does; a page whose address names none pins the card to the language it is in (a
        # consumer's `Accept-Language` would otherwise choose the card's)
        "oembed_urls": {
            fmt: f"{settings.base}oembed?"
            + urlencode(
                {"url": page_url + f"?lang={lang}", "format": fmt}
                if lang
                else {"url": page_url, "format": fmt, "lang": language(request)}
            )
            for fmt in ("json", "xml")
        },
        "jsonld": dumps(
            schema_org(
                v,
                page_url=page_url,
                address=page_url + (f"?lang={lang}" if lang else ""),
                lang=language(request),
            )
        ),
        "citation": citation(v, page_url=page_url, lang=language(request)),
        "embed_snippet": (
            f'<iframe src="{embed_url}" width="400" height="300" '
            f'style="border:0;max-width:100%" title="{html.escape(v.title())}" '
            'loading="lazy"></iframe>'
        ),
        "similar": similar_for(search, v.iri) if kind == "initiative" else [],
    }
    context.update(practice_context(request.app.state.store.current(), v, settings.base))
    response: Response = request.app.state.templates.TemplateResponse(
        request, "record.html", context, headers=headers
    )
    return response


def groups_for_labels() -> list[tuple[str, list[tuple[str, str]]]]:
    return GROUPS


def similar_for(search: SearchService, iri: str) -> list[Any]:
    """Similar initiatives, from the search service `/api/similar` uses (`SearchService.similar`);
    a record the index does not hold yet (an ingest between index builds) has none."""
    try:
        found = search.similar(iri, limit=5)
    except NotFound:
        return []
    return [s.doc for s in found]


__all__ = ["HTMLResponse", "router"]
