"""Cool URIs (W3C 'Cool URIs for the Semantic Web', 303 pattern) and record pages."""

from __future__ import annotations

import io
import re
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlparse

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from kg.errors import NotFound
from kg.namespaces import KINDS
from kg.queries import PREFIXES
from kg.records import document, view
from web.i18n import N_, language
from web.jsonld import citation, dumps, schema_org
from web.negotiation import HTML, RDF_FORMATS, choose, extension_for
from web.notfound import not_found_page
from web.practice import practice_context
from web.recordpage import INCOMING_LABELS, grouped

router = APIRouter()
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# text/plain is N-Triples' registered type of old; rdflib and some crawlers still ask for it
OFFERED = [HTML] + [media for media, _ in RDF_FORMATS.values()] + ["text/plain"]
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
BUDGET_KINDS = {
    "total": N_("total"),
    "eu-contribution": N_("EU contribution"),
    "eafrd": N_("EAFRD"),
    "national": N_("national"),
    "national-regional": N_("national and regional"),
    "regional": N_("regional"),
    "project-funding": N_("project funding"),
    "topic": N_("call topic"),
    "unspecified": N_("unspecified"),
}


def check(kind: str, slug: str) -> None:
    if kind not in KINDS or not SLUG.match(slug):
        raise NotFound(f"no record at /{kind}/{slug}")


@router.get("/id/{kind}/{slug}", include_in_schema=False)
def resource(request: Request, kind: str, slug: str) -> Response:
    """The thing itself: 303 See Other to its page or data document, by Accept."""
    check(kind, slug)
    settings = request.app.state.settings
    document(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    media = choose(request.headers.get("accept"), OFFERED) or HTML
    ext = "nt" if media == "text/plain" else extension_for(media)
    target = f"/{kind}/{slug}" + (f".{ext}" if ext else "")
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.get("/{kind}/{name}", include_in_schema=False)
def record(request: Request, kind: str, name: str) -> Response:
    slug, _, ext = name.partition(".")
    check(kind, slug)
    if ext:
        if ext not in RDF_FORMATS:
            raise NotFound(f"no format .{ext}; formats are {', '.join(RDF_FORMATS)}")
        return data_document(request, kind, slug, ext)
    return page(request, kind, slug)


def _validators(request: Request, kind: str, slug: str, modified: str | None) -> dict[str, str]:
    version = request.app.state.store.version().name
    headers = {"ETag": f'"{version}-{kind}-{slug}"', "Cache-Control": "public, max-age=300"}
    if modified:
        try:
            stamp = datetime.fromisoformat(modified.replace("Z", "+00:00"))
            headers["Last-Modified"] = format_datetime(stamp, usegmt=True)
        except ValueError:
            pass
    return headers


def data_document(request: Request, kind: str, slug: str, ext: str) -> Response:
    settings = request.app.state.settings
    triples = document(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    modified = next(
        (
            str(t.object.value)
            for t in triples
            if isinstance(t.object, ox.Literal) and t.predicate.value.endswith("#generatedAtTime")
        ),
        None,
    )
    headers = _validators(request, kind, slug, modified)
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    media, fmt = RDF_FORMATS[ext]
    buf = io.BytesIO()
    ox.serialize(triples, buf, fmt, prefixes=PREFIXES if ext in ("ttl", "rdf") else None)
    headers["Access-Control-Allow-Origin"] = "*"
    return Response(buf.getvalue(), media_type=media, headers=headers)


def page(request: Request, kind: str, slug: str) -> Response:
    settings = request.app.state.settings
    v = view(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    lang = language(request)
    headers = _validators(request, kind, slug, v.modified)
    # one page per interface language (web/i18n.py): its own validator, and caches told why
    headers["ETag"] = headers["ETag"][:-1] + f'-{lang}"'
    headers["Vary"] = "Accept-Language"
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    page_url = f"{settings.base}{kind}/{slug}"
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
        for x in v.values("http://schema.org/url")
    ]
    links_out += [
        (N_("CORDIS project page"), "", x.value)
        if "cordis.europa.eu" in x.value
        else (None, urlparse(x.value).netloc, x.value)
        for x in v.values("http://www.w3.org/2002/07/owl#sameAs")
    ]
    links_out += [
        (N_("Also described in: %(site)s"), x.value, x.value)
        for x in v.values("http://schema.org/subjectOf")
    ]
    embed_url = f"{settings.base}embed/{kind}/{slug}"
    context: dict[str, Any] = {
        "v": v,
        "groups": groups,
        "disputed_fields": disputed,
        "source_index": {s.value: i + 1 for i, s in enumerate(v.sources)},
        "incoming_labels": INCOMING_LABELS,
        "aspects": ASPECTS,
        "budget_kinds": BUDGET_KINDS,
        "links_out": links_out,
        "formats": [(ext, media) for ext, (media, _) in RDF_FORMATS.items()],
        "page_path": f"/{kind}/{slug}",
        "page_url": page_url,
        "oembed_url": f"/oembed?url={quote(page_url, safe='')}&format=json",
        "jsonld": dumps(schema_org(v, page_url=page_url)),
        "citation": citation(v, page_url=page_url),
        "embed_snippet": (
            f'<iframe src="{embed_url}" width="400" height="300" '
            f'style="border:0" title="{v.name()}" loading="lazy"></iframe>'
        ),
        "similar": similar_for(request, v.iri) if kind == "initiative" else [],
    }
    context.update(practice_context(request.app.state.store.current(), v, settings.base))
    response: Response = request.app.state.templates.TemplateResponse(
        request, "record.html", context, headers=headers
    )
    return response


def groups_for_labels() -> list[tuple[str, list[tuple[str, str]]]]:
    from web.recordpage import GROUPS

    return GROUPS


def similar_for(request: Request, iri: str) -> list[Any]:
    """Similar initiatives from the search index, when the app has one."""
    finder = getattr(request.app.state, "similar", None)
    if finder is None:
        return []
    try:
        return list(finder(iri, limit=5))
    except Exception:
        return []


def not_found_response(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, else JSON."""
    if choose(request.headers.get("accept"), ["application/json", HTML]) == HTML:
        return not_found_page(request, message)
    return JSONResponse({"error": "NotFound", "message": message}, status_code=404)


__all__ = ["HTMLResponse", "not_found_response", "router"]
