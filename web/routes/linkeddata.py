"""Harvesting and embedding (issue 6): dumps, VoID/DCAT, sitemap, embeddable cards, oEmbed."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any
from urllib.parse import ParseResult, parse_qs, urlencode, urlparse
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from kg import formats
from kg.dumps import dump_path, ensure_dumps
from kg.errors import BadRequest, KGError, NotAcceptable, NotFound
from kg.formats import DOCUMENT_FORMATS, HTML, JSON, Format
from kg.queries import PREFIXES
from kg.record_document import all_records, local_href, view
from kg.vocab import KINDS
from kg.void import DESCRIPTION, TITLE, describe
from web import jsonld
from web.datadocument import document_format
from web.errors import withdrawn
from web.graphfacts import graph_facts
from web.http import (
    http_date,
    not_modified,
    precondition_failed,
    precondition_response,
    version_validators,
)
from web.i18n import DEFAULT, LANGUAGES, language, requested, translations, with_lang
from web.meta import language_versions
from web.openapi import LINKED_DATA, RDF_MEDIA, errors, media, page_errors, redirect, status_304
from web.recordpage import check, concept_href, misspelt_case, to_lower_case

router = APIRouter()
EMBED_WIDTH, EMBED_HEIGHT = 400, 300


class NotImplementedFormat(KGError):
    status = 501


def _dumps(request: Request) -> list[Any]:
    settings = request.app.state.settings
    return ensure_dumps(request.app.state.store, settings.data_dir)


#: seconds a consumer may keep an oEmbed answer (its `cache_age`, and the HTTP max-age)
OEMBED_CACHE_AGE = 3600


@router.get(
    "/data/",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The downloads: one file per format of the whole graph",
    responses={
        **media("the list of dumps (JSON), or the data page", "application/json", "text/html"),
        **redirect(303, "VoID, for an RDF Accept"),
        **page_errors(406),
    },
)
def data_index(request: Request) -> Response:
    dumps = _dumps(request)
    choice = formats.negotiate(request.headers.get("accept"), [JSON, HTML, *DOCUMENT_FORMATS])
    if choice is not None and choice.format in DOCUMENT_FORMATS:
        # an RDF client following a dump's dcat:accessURL: the description of the dumps is
        # the VoID + DCAT one (a harvester trial got this list as JSON for Accept: text/turtle)
        return RedirectResponse("/.well-known/void", status_code=303, headers={"Vary": "Accept"})
    if choice is not None and choice.format is HTML:
        base = request.app.state.settings.base
        files = [(d.name, d.media_type, d.bytes) for d in dumps]
        described = jsonld.dumps(jsonld.dataset(base, TITLE, DESCRIPTION, files))
        response: Response = request.app.state.templates.TemplateResponse(
            request,
            "data.html",
            {
                "dumps": dumps,
                "version": request.app.state.store.version(),
                "jsonld": described,
                "link_base": base,  # the citation's address: the site, as VoID's says it
            },
        )
    else:
        response = JSONResponse([d.__dict__ for d in dumps])
    vary = response.headers.get("vary")  # the format follows Accept (RFC 9110 §12.5.5)
    response.headers["Vary"] = f"{vary}, Accept" if vary else "Accept"
    return response


@router.get(
    "/data/{name}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="A dump of the whole graph (gzip), named in /data/ and VoID",
    responses={
        **media("the dump", "application/gzip"),
        **status_304(),
        **page_errors(404, 412),
    },
)
def data_file(request: Request, name: str) -> Response:
    _dumps(request)
    settings = request.app.state.settings
    version = request.app.state.store.version()
    path = dump_path(settings.data_dir, version.name, name)
    if path is None:
        raise NotFound(f"no dump {name!r}; see /data/")
    # validators of the snapshot, not of the file: a dump written again (another process, a
    # restart) is the same representation (RFC 9110 §8.8), and its time is the data's
    etag, last_modified = version_validators(version, "dump", name)
    validators = {"ETag": etag, **({"Last-Modified": last_modified} if last_modified else {})}
    response = FileResponse(
        path,
        media_type="application/gzip",
        filename=name,
        headers={"Access-Control-Allow-Origin": "*", **validators},
        stat_result=path.stat(),
    )
    if precondition_failed(request, etag, last_modified):
        return precondition_response(etag)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers={**validators, "Access-Control-Allow-Origin": "*"})
    return response


@router.get(
    "/.well-known/void",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The VoID and DCAT description of the dataset",
    responses={
        **media("the description", *RDF_MEDIA),
        **redirect(303, "the data page, for a browser"),
        **status_304(),
        **page_errors(406, 412),
    },
)
def void(request: Request) -> Response:
    """The VoID + DCAT description in the negotiated format (a browser, preferring HTML, is
    sent to `/data/`, the same description for people), with validators (RFC 9110 §8.8):
    a strong `ETag` from the store version and the media type sent, and `Last-Modified` the
    version's time. The description is a function of the two (`kg.void.describe` mints no
    blank node and lists in a fixed order), so one version gives the same bytes every time,
    and a conditional request is answered 412 or 304 before anything is counted."""
    choice = formats.negotiate(request.headers.get("accept"), [*DOCUMENT_FORMATS, HTML])
    if choice is None:
        raise NotAcceptable(f"VoID is available as {', '.join(f.media for f in DOCUMENT_FORMATS)}")
    if choice.format is HTML:  # a person (the pages' footers link here): the data page,
        # in the language the link was followed in (a French trial's click gave English)
        target = with_lang("/data/", requested(request))
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
    response = _void_document(request, choice.format, choice.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = f"/.well-known/void.{choice.format.extension}"
    return response


@router.get(
    "/.well-known/void.{ext}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="The VoID and DCAT description as a document (ttl, nt, jsonld, rdf)",
    responses={
        **media("the description", *RDF_MEDIA),
        **status_304(),
        **page_errors(404, 412),
    },
)
def void_document(request: Request, ext: str) -> Response:
    """The VoID + DCAT description in the format its extension names (`ttl`, `nt`, `jsonld`,
    `rdf`), as `/.well-known/void` gives it by `Accept`: what the data page links for people
    to read (a trial's browser was sent from the VoID link back to the data page). Raises
    `NotFound` for another extension."""
    fmt = document_format(ext)
    return _void_document(request, fmt, fmt.content_type)


def _void_document(request: Request, fmt: Format, content_type: str) -> Response:
    """The description in `fmt`, with its validators, or 304/412 for a conditional request."""
    settings = request.app.state.settings
    store = request.app.state.store
    version = store.version()
    etag, last_modified = version_validators(version, content_type)
    headers = {
        "ETag": etag,
        "Cache-Control": "no-cache",  # kept, and asked again with the validators each time
        "Access-Control-Allow-Origin": "*",
        **({"Last-Modified": last_modified} if last_modified else {}),
    }
    if precondition_failed(request, etag, last_modified):
        return precondition_response(etag)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    triples = describe(
        store.current(),
        base=settings.base,
        dumps=_dumps(request),
        modified=version.created,
        version=version.name,
        titles=_in_every_language(TITLE),
        descriptions=_in_every_language(DESCRIPTION),
    )
    body = formats.serialize_graph(triples, fmt, prefixes=_void_prefixes())
    return Response(body, headers={**headers, "Content-Type": content_type})


def _in_every_language(message: str) -> dict[str, str]:
    """`message` in each interface language whose catalogue translates it (language → text)."""
    found = {lang: translations(lang).gettext(message) for lang in LANGUAGES}
    return {lang: text for lang, text in found.items() if lang == DEFAULT or text != message}


def _void_prefixes() -> dict[str, str]:
    return {
        **PREFIXES,
        "void": "http://rdfs.org/ns/void#",
        "dcat": "http://www.w3.org/ns/dcat#",
        "foaf": "http://xmlns.com/foaf/0.1/",
    }


#: the most `<url>`s and bytes (uncompressed) one sitemap file may hold, and the most files
#: one sitemap index may name (sitemaps.org protocol, "Sitemap file location" and "Using
#: Sitemap index files"); a larger site is served as an index of numbered parts
SITEMAP_URLS, SITEMAP_BYTES, SITEMAP_FILES = 50_000, 50 * 1024 * 1024, 50_000
_URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(request: Request) -> Response:
    """The sitemap of the current store version, with its validators (a crawler's conditional
    request gets a 304 before anything is listed; a harvester trial found none; a failed
    `If-Match`/`If-Unmodified-Since` a 412, RFC 9110 §13.2.2). Past `SITEMAP_URLS` entries
    or `SITEMAP_BYTES` it is a sitemap index naming `/sitemap-1.xml`, `/sitemap-2.xml`, …"""
    early, validators = _sitemap_validators(request, "index")
    if early is not None:
        return early
    pages = _sitemap_pages(request)
    parts = _sitemap_parts(pages, request.app.state.settings.base)
    if len(parts) == 1:
        return _urlset(pages, validators)
    base = request.app.state.settings.base
    entries = []
    for number, (first, last) in enumerate(parts, 1):
        dates = [lastmod for _, lastmod in pages[first:last] if lastmod]
        dated = f"<lastmod>{max(dates)}</lastmod>" if dates else ""
        entries.append(
            f"<sitemap><loc>{escape(f'{base}sitemap-{number}.xml')}</loc>{dated}</sitemap>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    )
    return Response(body, media_type="application/xml", headers=validators)


@router.get("/sitemap-{number}.xml", include_in_schema=False)
def sitemap_part(request: Request, number: str) -> Response:
    """Part `number` (from 1, as its index writes it: "01" is not a second address of part 1,
    a review) of a sitemap too large for one file; 404 past the last part, or when the whole
    sitemap fits in `/sitemap.xml`."""
    if not re.fullmatch(r"[1-9][0-9]{0,8}", number):
        raise NotFound(f"The sitemap has no part {number!r}: see /sitemap.xml.")
    early, validators = _sitemap_validators(request, number)
    if early is not None:
        return early
    pages = _sitemap_pages(request)
    parts = _sitemap_parts(pages, request.app.state.settings.base)
    if len(parts) == 1 or int(number) > len(parts):
        raise NotFound(f"The sitemap has no part {number}: see /sitemap.xml.")
    first, last = parts[int(number) - 1]
    return _urlset(pages[first:last], validators)


def _sitemap_validators(request: Request, part: str) -> tuple[Response | None, dict[str, str]]:
    """The validators of a sitemap file (`part`: "index" or a part's number), and the 304 or
    412 its request gets before anything is listed (None: list it)."""
    version = request.app.state.store.version()
    # "hreflang", "each": the layout with every language version in its own entry, so a
    # crawler's copy of an older layout is replaced before the next ingest
    etag, last_modified = version_validators(version, "sitemap", "hreflang", "each", part)
    validators = {"ETag": etag, **({"Last-Modified": last_modified} if last_modified else {})}
    if precondition_failed(request, etag, last_modified):
        return precondition_response(etag), validators
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=validators), validators
    return None, validators


def _sitemap_pages(request: Request) -> list[tuple[str, str]]:
    """Every page the sitemap lists, as (absolute URL, `lastmod` date or ""): the home page,
    the browse and data pages, the query editor, the vocabulary, then every record page."""
    settings = request.app.state.settings
    version = request.app.state.store.version()
    # the site's own and browse pages change with every version of the graph (their counts):
    # its date is their `lastmod` (sitemaps.org; a webmaster's trial found none on them)
    changed = version.created[:10] if http_date(version.created) else ""
    # the browse pages of every concept, country and region a record links to
    browse = sorted(
        {
            href
            for concepts in graph_facts(request).usage.values()
            for c in concepts
            if (href := concept_href(c.iri))
        }
    )
    pages = [(settings.base, changed)]
    pages += [
        (settings.base + href.lstrip("/"), changed) for href in ["/browse", "/data/", *browse]
    ]
    # the query editor and the vocabulary do not change with the graph: no date rather than a
    # wrong one (a code review)
    pages += [(settings.base + href, "") for href in ("sparql", "ns")]
    for row in all_records(request.app.state.store.current()):
        href = local_href(row["record"], settings.base)
        if href:
            pages.append((settings.base + href.lstrip("/"), row["modified"][:10]))
    return pages


def _sitemap_parts(pages: list[tuple[str, str]], base: str) -> list[tuple[int, int]]:
    """`pages` cut into the files of a sitemap, as `[first, last)` index ranges: each file
    within `SITEMAP_URLS` entries and `SITEMAP_BYTES`, a page's language versions in one file.
    Every page gives the same number of entries, and its entries are longest for the longest
    address, so the pages per file follow from that one page (no file is built to be measured).

    Raises `KGError` past `SITEMAP_FILES` files (some 400 million pages)."""
    # in bytes as written: escaped ("&" is "&amp;") and UTF-8 (a review: characters had been
    # counted, and a page of non-ASCII addresses would pass the byte limit)
    longest = max(pages, key=lambda page: len(escape(page[0]).encode()))
    block = len(_sitemap_entries(longest[0], "0000-00-00").encode()) + 1
    per_page = len(language_versions(base))  # the bare page and each language's
    room = SITEMAP_BYTES - len(_URLSET) - len("</urlset>\n")
    size = max(1, min(SITEMAP_URLS // per_page, room // block))
    parts = [(first, min(first + size, len(pages))) for first in range(0, len(pages), size)]
    if len(parts) > SITEMAP_FILES:
        raise KGError(f"{len(pages)} pages need more than {SITEMAP_FILES} sitemap files")
    return parts


def _urlset(pages: list[tuple[str, str]], headers: dict[str, str]) -> Response:
    """One sitemap file listing `pages` ((URL, date or "")), with `headers`."""
    urls = [_sitemap_entries(url, lastmod) for url, lastmod in pages]
    body = _URLSET + "\n".join(urls) + "\n</urlset>\n"
    return Response(body, media_type="application/xml", headers=headers)


def _sitemap_entries(url: str, lastmod: str) -> str:
    """The sitemap `<url>`s of the page at `url`: one for each of its versions in an interface
    language and one for the page without `lang` (`x-default`), each with the `lastmod`
    date (or none for "") and all the versions as `xhtml:link` alternates, as the page's HTML
    head names them (`web.meta.language_versions`). Google's "Localized versions of your page"
    asks for every version in a `<url>` of its own, listing them all, itself included: a web
    editor's trial found the versions missing, a later one listed only under the bare page."""
    versions = language_versions(url)
    dated = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(href)}/>'
        for code, href in versions
    )
    return "\n".join(
        f"<url><loc>{escape(href)}</loc>{dated}{links}</url>"
        for href in [url, *(href for code, href in versions if code != "x-default")]
    )


#: what crawlers are asked to leave (robots.txt, RFC 9309): query answers, and search result
#: pages, whose filter links combine without end (a link checker from the home page had found
#: 2,587 addresses after 15 minutes, most of them filter combinations and language copies;
#: every record, concept and region page is in the sitemap). A query is named by its `query=`
#: parameter, not by the editor's address: Python's own parser (`urllib.robotparser`, which
#: drops an empty query and knows neither `*`, `$` nor the longest match) read `/sparql?` as
#: `/sparql` and kept crawlers from the editor the sitemap lists (a webmaster's trial). The
#: pattern with `*` catches a query after another parameter for RFC 9309's parsers and
#: matches nothing for Python's.
NOT_CRAWLED = ("/sparql?query=", "/sparql?*query=", "/search", "/api/")


@router.get("/robots.txt", include_in_schema=False)
def robots(request: Request) -> Response:
    """The crawl rules, with a strong `ETag` of their text (they change only with the site's
    base address), so a crawler's conditional request gets a 304 (RFC 9110 §13; a webmaster's
    link checker found none). The paths are the public ones: under the base address's path when
    the site is served below one (`KG_BASE_URI=https://host/kg/`: `/kg/search`; a review)."""
    base = request.app.state.settings.base
    prefix = urlparse(base).path.rstrip("/")
    body = (
        "User-agent: *\n"
        + "".join(f"Disallow: {prefix}{path}\n" for path in NOT_CRAWLED)
        + f"Sitemap: {base}sitemap.xml\n"
    )
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if precondition_failed(request, etag):
        return precondition_response(etag)
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/plain", headers=headers)


@router.get(
    "/embed/{kind}/{slug}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="A record's card for an iframe (what oEmbed's html embeds)",
    responses={
        **media("the card", "text/html"),
        **status_304(),
        **redirect(308, "the card's one address (lower case)"),
        404: {"description": "a card saying the record is not here", "content": {"text/html": {}}},
        410: {"description": "a card saying when it was withdrawn", "content": {"text/html": {}}},
    },
)
def embed(request: Request, kind: str, slug: str) -> Response:
    """A compact, self-contained card (inline style; a small script fits its theme chips) for
    an iframe; for a record the graph does not hold (a mistyped, renamed or removed one) a
    small card saying so, with a link to the search, as a 404, or as a 410 saying when for a
    withdrawn contribution."""
    if moved := to_lower_case(request, "/embed", kind, slug):  # `/embed/…/Nuevos-Senderos`
        return moved
    settings = request.app.state.settings
    try:
        check(kind, slug)
        v = view(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    except NotFound:
        gone = withdrawn(request, f"{kind}/{slug}")  # 410 and a card saying so (RFC 9110)
        missing: Response = request.app.state.templates.TemplateResponse(
            request,
            "embed_missing.html",
            {
                "search_url": f"{settings.base}search" + _lang_query(request),
                "gone_on": gone[0] if gone else None,
                "gone_name": gone[1] if gone else None,
            },
            status_code=410 if gone else 404,
            headers={"Cache-Control": "public, max-age=300", "X-Robots-Tag": "noindex"},
        )
        return missing
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "embed.html",
        # the card's links open the record in the card's language (`?lang=` of its address)
        {"v": v, "page_url": f"{settings.base}{kind}/{slug}" + _lang_query(request)},
        # the security headers (web/security.py) add the site's CSP with `frame-ancestors *`
        # a card is a copy of the record's page for other sites' frames: not to be indexed
        headers={"Cache-Control": "public, max-age=300", "X-Robots-Tag": "noindex"},
    )
    return response


def _lang_query(request: Request) -> str:
    """`?lang=xx` when the request's URL names the language, else nothing."""
    lang = requested(request)
    return f"?{urlencode({'lang': lang})}" if lang else ""


#: the smallest value `maxwidth`/`maxheight` may have (a pixel); below the card's size the
#: iframe is scaled down to them (oEmbed §2.2)
MIN_SIZE = 1


def _size(name: str, text: str | None) -> int | None:
    """`maxwidth`/`maxheight` as pixels; raises `BadRequest` naming the parameter."""
    if text is None or not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise BadRequest(f"{name}: {text!r} is not a whole number of pixels") from None
    if value < MIN_SIZE:
        raise BadRequest(f"{name}: {value} is below the minimum of {MIN_SIZE} pixel")
    return value


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _same_site(url: ParseResult, base: ParseResult) -> bool:
    """Whether `url` names this site: the same host (case-insensitive) and port, over http or
    https — a page address copied from the browser bar says https where the site's base (behind
    a proxy that ends TLS) says http, and an embedder's oEmbed request had been refused so."""
    if url.scheme.lower() not in _DEFAULT_PORTS or url.hostname != base.hostname:
        return False
    try:
        port = url.port
    except ValueError:  # a port that is not a number
        return False
    if url.scheme.lower() == base.scheme:
        return (port or _DEFAULT_PORTS[base.scheme]) == (base.port or _DEFAULT_PORTS[base.scheme])
    return port == base.port  # the other scheme: its own default port, or the same one named


@router.get(
    "/oembed",
    tags=[LINKED_DATA],
    summary="oEmbed provider (type rich)",
    responses=errors(
        400,
        404,
        501,
        said={
            400: "`url` missing, or `maxwidth`/`maxheight` not a positive integer",
            404: "`url` is not a record of this site",
            501: "a `format` other than json or xml",
        },
    ),
)
def oembed(
    request: Request,
    url: Annotated[str, Query(description="A record page or record URI of this site.")],
    format: Annotated[str, Query(description="json (the default) or xml.")] = "json",
    maxwidth: Annotated[
        str | None, Query(description="Largest iframe width in pixels, a positive integer.")
    ] = None,
    maxheight: Annotated[
        str | None, Query(description="Largest iframe height in pixels, a positive integer.")
    ] = None,
    lang: Annotated[
        str | None,
        Query(description="Language of the card (en, es, it, de, fr); else Accept-Language."),
    ] = None,
) -> Response:
    """oEmbed 1.0 (https://oembed.com): an iframe of `/embed/{kind}/{slug}`, 400×300 pixels,
    in JSON (`application/json`) or, with `format=xml`, XML (`text/xml`, an `<oembed>`
    element with a child per field: oEmbed §2.3.4; XML-only consumers had got 501).

    The card's language is the `lang` parameter of `url` (`…/initiative/matilde?lang=es`),
    else this request's `lang`, else `Accept-Language`, else English, and is pinned in the
    iframe's address (`?lang=en` too), so every visitor of the embedding page sees one card.
    A `url` with its kind or slug in another case (`/initiative/MATILDE`, which the site
    redirects) names the record too. `maxwidth`/`maxheight`
    are never exceeded (oEmbed §2.2): the iframe is scaled down to them (the card's layout
    wraps to the smaller frame) rather than answered 404. Errors, in the project's error shape:
    400 `BadRequest` for a missing `url` or a `maxwidth`/`maxheight` that is not a whole number
    of at least `MIN_SIZE` (a malformed request, RFC 9110 §15.5.1), 404 for a `url` that is
    not a record of this site, 501 for a `format` other than json or xml (oEmbed §2.3.4)."""
    if not url.strip():
        raise BadRequest("url: missing; give the address of a record page of this site")
    width_max, height_max = _size("maxwidth", maxwidth), _size("maxheight", maxheight)
    wanted = format.strip().lower() or "json"  # `format=JSON`, `format=`: JSON
    if wanted not in ("json", "xml"):
        raise NotImplementedFormat("format must be json or xml")
    settings = request.app.state.settings
    base = urlparse(settings.base)
    parsed = urlparse(url.strip())
    if not _same_site(parsed, base):
        raise NotFound("url is not a record of this site")
    parts = parsed.path[len(base.path) :].strip("/").split("/")
    if parts and parts[0] == "id":
        parts = parts[1:]
    if len(parts) != 2 or parts[0].lower() not in KINDS:
        raise NotFound("url is not a record page")
    kind, slug = parts[0], parts[1].split(".")[0]
    kind, slug = misspelt_case(kind, slug) or (kind, slug)  # a page address the site redirects
    check(kind, slug)
    v = view(request.app.state.store.current(), base=settings.base, kind=kind, slug=slug)
    width = min(EMBED_WIDTH, width_max or EMBED_WIDTH)
    height = min(EMBED_HEIGHT, height_max or EMBED_HEIGHT)
    # the card's language: `lang` in `url`, else `lang=` of this request, else Accept-Language
    in_url = parse_qs(parsed.query).get("lang", [""])[0].strip().lower()
    lang = in_url if in_url in LANGUAGES else language(request)
    # pinned, English too: a card without `lang` follows each visitor's browser, so an English
    # page's card turned German for a German visitor while an Austrian CMS's was German for all
    src = f"{settings.base}embed/{kind}/{slug}?{urlencode({'lang': lang})}"
    title = v.title(lang)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'style="border:0;max-width:100%" title="{escape(title, {chr(34): "&quot;"})}" '
        'loading="lazy"></iframe>'
    )
    answer = {
        "version": "1.0",
        "type": "rich",
        "provider_name": "Rural Integration Knowledge Graph",
        "provider_url": settings.base,
        "title": title,
        "html": html,
        "width": width,
        "height": height,
        "cache_age": OEMBED_CACHE_AGE,
    }
    headers = {
        "Access-Control-Allow-Origin": "*",
        "Vary": "Accept-Language",
        # what `cache_age` suggests to the consumer (oEmbed §2.3.4), said to HTTP caches too
        "Cache-Control": f"public, max-age={OEMBED_CACHE_AGE}",
    }
    if wanted == "xml":
        return Response(oembed_xml(answer), media_type="text/xml", headers=headers)
    return JSONResponse(answer, headers=headers)


def oembed_xml(answer: dict[str, Any]) -> bytes:
    """An oEmbed answer as XML (oEmbed 1.0 §2.3.4: a root `oembed` element holding one element
    per field, values as text, the `html` escaped), UTF-8 with its declaration."""
    root = ElementTree.Element("oembed")
    for name, value in answer.items():
        ElementTree.SubElement(root, name).text = str(value)
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


__all__ = ["BadRequest", "router"]
