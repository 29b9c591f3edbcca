"""Home page and browse pages: entry points by theme, target group, country, challenge, …"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kg import formats
from kg.browse import Concept, ConceptPage, concept_document, concept_page, known
from kg.errors import NotFound
from kg.formats import DOCUMENT_FORMATS, HTML
from kg.geo import ISO2_TO_ISO3
from kg.graphs import holds_graph, kind_counts
from kg.record_document import about_document, local_href, records_of_kind
from kg.search.documents import filter_code
from kg.search.text import fold
from kg.vocab import DCT_NS as D
from kg.vocab import EU_COUNTRY, KINDS, NUTS, SCHEME_NS, graph_iri, is_country
from kg.vocab import RIKG_NS as R
from web import jsonld
from web.datadocument import document_format, document_response
from web.graphfacts import graph_facts
from web.homepage import home_context, kind_lists
from web.http import graph_store_address, negotiated, see_other
from web.i18n import N_, language, requested, with_lang
from web.openapi import LINKED_DATA, RDF_MEDIA, media, page_errors, redirect, status_304
from web.recordpage import concept_href
from web.services import services

router = APIRouter()
#: titles are translated by the templates (web/i18n.py)
PLACES = f"{D}spatial"  # "Countries and regions": grouped by country (`by_country`)
ENTRY_POINTS = [
    (f"{D}subject", N_("Themes")),
    (f"{R}targetGroup", N_("Target groups")),
    (f"{R}addressesChallenge", N_("Rural challenges")),
    (f"{R}buildsOnOpportunity", N_("Rural opportunities")),
    (f"{R}fundingProgramme", N_("Funding")),
    (PLACES, N_("Countries and regions")),
]
SCHEME_TITLES = {
    "theme": N_("Theme"),
    "target-group": N_("Target group"),
    "funding": N_("Funding programme"),
    "challenge": N_("Rural challenge"),
    "opportunity": N_("Rural opportunity"),
    "country": N_("Country"),
    "nuts": N_("Region (NUTS)"),
}
#: the browse page's section of each scheme (`browse.html` names sections by their titles)
SCHEME_SECTIONS = {
    "theme": "themes",
    "target-group": "target-groups",
    "challenge": "rural-challenges",
    "opportunity": "rural-opportunities",
    "funding": "funding",
}
SCHEMES = set(SCHEME_SECTIONS)


def _render(request: Request, template: str, context: dict[str, object]) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(request, template, context)
    return response


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    store = request.app.state.store
    current = store.current()
    facts = graph_facts(request)
    used = facts.usage
    entry_points = []
    for pred, title in ENTRY_POINTS:
        concepts = used.get(pred, [])
        if pred == PLACES:
            concepts = [c for c in concepts if c.iri.startswith(str(EU_COUNTRY))]
        entry_points.append((title, [(c, concept_href(c.iri)) for c in concepts]))
    context = {
        "counts": kind_counts(current),
        "version": store.version(),
        "entry_points": entry_points,
        "jsonld": jsonld.dumps(jsonld.website(request.app.state.settings.base)),
    }
    lang, explicit = language(request), requested(request)
    context.update(
        home_context(
            facts,
            request.app.state.settings.base,
            lang,
            (lambda url: with_lang(url, explicit)) if explicit else None,
        )
    )
    return _render(request, "home.html", context)


@router.get("/browse", include_in_schema=False)
def browse_index(request: Request) -> Response:
    current = request.app.state.store.current()
    lists = {kind: records_of_kind(current, kind) for kind in KINDS}
    used = graph_facts(request).usage
    entry_points = [
        (title, [(c, concept_href(c.iri)) for c in used.get(pred, [])])
        for pred, title in ENTRY_POINTS
        if pred != PLACES
    ]
    return _render(
        request,
        "browse.html",
        {
            "lists": lists,
            "entry_points": entry_points,
            "places": by_country(used.get(PLACES, []), language(request)),
            "places_title": dict(ENTRY_POINTS)[PLACES],
            "href": local_href,
            "base": request.app.state.settings.base,
        },
    )


@dataclass
class Place:
    """A country or region of the browse page, with the regions it holds that records name."""

    concept: Concept
    href: str | None
    regions: list[Place] = field(default_factory=list)


def by_country(concepts: list[Concept], lang: str) -> list[Place]:
    """The countries and regions records name, each region under its country and under the
    nearest region holding it (NUTS codes nest: ES24 Aragón holds ES242 Teruel), most named
    first and then by name in `lang`. A trial read the region Teruel as a country between
    Morocco and Ukraine, and another found some 130 regions in one list, provinces beside
    their regions. A region whose country no record names comes last, on its own."""

    def order(place: Place) -> tuple[int, str]:
        return -place.concept.count, fold(place.concept.label(lang))

    countries = {c.iri: Place(c, concept_href(c.iri)) for c in concepts if is_country(c.iri)}
    regions = {
        c.iri.removeprefix(NUTS): Place(c, concept_href(c.iri))
        for c in concepts
        if c.iri.startswith(NUTS)
    }
    alone: list[Place] = []
    for code, region in sorted(regions.items(), key=lambda item: order(item[1])):
        holder = next((code[:n] for n in range(len(code) - 1, 2, -1) if code[:n] in regions), None)
        country = countries.get(f"{EU_COUNTRY}{ISO2_TO_ISO3.get(code[:2], '')}")
        if holder is not None:
            regions[holder].regions.append(region)
        elif country is not None:
            country.regions.append(region)
        else:
            alone.append(region)
    return sorted(countries.values(), key=order) + alone


def inside(places: list[Place], iri: str) -> list[Place]:
    """The regions of `places` (as `by_country` nests them) inside the country or region
    `iri`, or [] when it holds none."""
    for place in places:
        if place.concept.iri == iri:
            return place.regions
        found = inside(place.regions, iri)
        if found:
            return found
    return []


@router.get(
    "/scheme/{scheme}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="A concept scheme's IRI",
    responses={
        **redirect(303, "the scheme on the browse page, or its named graph for an RDF Accept"),
        **page_errors(404, 406),
    },
)
def scheme_resource(request: Request, scheme: str) -> Response:
    """A concept scheme's IRI (`https://w3id.org/rikg/scheme/theme`, resolved here as the
    vocabulary's `/ns` is): 303 See Other by `Accept`, to its concepts on the browse page, or
    to the named graph holding the scheme (`{base}graph/ontology/theme`: the scheme, every
    concept with its labels in five languages, definitions and hierarchy) through the Graph
    Store Protocol, which answers in the RDF format asked for (a researcher's trial asked for
    Turtle and got the HTML page). Raises `NotFound` for a scheme the graph does not have,
    `NotAcceptable` when the client accepts none of the formats."""
    if scheme not in SCHEME_SECTIONS:
        raise NotFound(f"no concept scheme {scheme!r}; schemes are {', '.join(SCHEME_SECTIONS)}")
    if negotiated(request, (HTML, *DOCUMENT_FORMATS), "this scheme") is HTML:
        return see_other(_section(request, scheme))
    graph = graph_iri(request.app.state.settings.base, "ontology", scheme)
    if not holds_graph(request.app.state.store.current(), graph):
        raise NotFound(f"the store holds no graph {graph} of the scheme {scheme!r}")
    return see_other(graph_store_address(graph))


@router.get(
    "/scheme/{scheme}/{concept_id}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="A concept's IRI",
    responses={
        **redirect(303, "the concept's page, or its data document for an RDF Accept"),
        **redirect(308, "the IRI with the concept's code as the scheme writes it"),
        **page_errors(404, 406),
    },
)
def concept_resource(request: Request, scheme: str, concept_id: str) -> Response:
    """A concept's IRI (`https://w3id.org/rikg/scheme/challenge/mountain-areas`): 303 See
    Other to its page or data document by `Accept`, as a record's `/id/…` does (Cool URIs for
    the Semantic Web §4.3; a trial found concept IRIs answering 404). Raises `NotFound` (no
    such concept) or `NotAcceptable` (406) when the client accepts none of them. Written in
    other case than the scheme's (`/scheme/theme/EMPLOYMENT`): 308 to the concept's IRI, as
    a record's is (`web.recordpage.to_lower_case`)."""
    if moved := _lower_concept(request, "/scheme", scheme, concept_id):
        return moved
    iri = f"{SCHEME_NS}{scheme}/{concept_id}"
    if scheme not in SCHEMES or not known(request.app.state.store.current(), iri):
        raise NotFound(f"no concept {scheme}/{concept_id} in the graph")
    fmt = negotiated(request, (HTML, *DOCUMENT_FORMATS), "this concept")
    target = f"/browse/{scheme}/{concept_id}"
    if fmt is not HTML:
        return see_other(f"{target}.{fmt.extension}")
    lang = requested(request)
    return see_other(target + (f"?lang={lang}" if lang else ""))


def _prefix(scheme: str) -> str:
    """The namespace of the concepts a browse section lists."""
    return {"country": EU_COUNTRY, "nuts": NUTS}.get(scheme, f"{SCHEME_NS}{scheme}/")


def _named_concept(request: Request, scheme: str, given: str) -> str | None:
    """The code the page of the concept `given` names is at (the end of its IRI: `housing`,
    `ITA`, `ES242`): `given` itself when the graph has it, else the concept it names as the
    search's filters read it (`SearchIndex.filter_code`: a label in any of the five languages,
    an ISO alpha-2 or alpha-3 or NUTS code in any case: `vivienda`, `IT`, `Italia`, `gr`,
    `es242`; the EU's `EL` and ISO's `GB`); None when it names none."""
    store = request.app.state.store.current()
    if known(store, _prefix(scheme) + given):
        return given
    index = services(request).search.index()
    facet = scheme.replace("-", "_")
    concept = index.by_code.get((facet, index.filter_code(facet, given)))
    if concept is None and scheme in ("country", "nuts"):
        concept = index.by_code.get((facet, index.filter_code(facet, given.upper())))
    if concept is not None:
        return concept.iri.rsplit("/", 1)[-1]
    alpha3 = ISO2_TO_ISO3.get(given.upper()) if scheme == "country" else None  # GB, EL
    if alpha3 and known(store, _prefix(scheme) + alpha3):
        return alpha3
    return None


def _lower_concept(request: Request, prefix: str, scheme: str, concept_id: str) -> Response | None:
    """308 Permanent Redirect to `{prefix}/{scheme}/{concept_id}` in lower case, the query
    kept, when a concept of the project's schemes (codes in lower case) is written otherwise
    and exists so (Cool URIs: one URI a thing; old links and link checkers change case);
    else None. Countries and regions keep their upper-case codes (`browse_concept`)."""
    lower = scheme.lower(), concept_id.lower()
    if (scheme, concept_id) == lower or lower[0] not in SCHEMES:
        return None
    code = lower[1].partition(".")[0]
    if not known(request.app.state.store.current(), f"{SCHEME_NS}{lower[0]}/{code}"):
        return None
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{prefix}/{lower[0]}/{lower[1]}{query}", status_code=308)


@router.get(
    "/browse/{scheme}",
    tags=[LINKED_DATA],
    response_class=Response,
    status_code=303,
    summary="Every concept of a scheme, or every country and region: the browse page's section",
    responses={**redirect(303, "the scheme's section of the browse page"), **page_errors(404)},
)
def browse_scheme(request: Request, scheme: str) -> Response:
    """303 See Other to the section of the browse page listing the scheme's concepts
    (`/browse/theme` → `/browse#themes`; `/browse/country` and `/browse/nuts` → its countries
    and regions), in the page's language: a concept page's address with the concept cut off
    (what a link checker tries) had been 404. Raises `NotFound` for another name."""
    if scheme.lower() not in BROWSED:
        raise NotFound(f"nothing to browse under {scheme!r}; try {', '.join(BROWSED)}")
    return see_other(_section(request, scheme.lower()))


#: the property linking records to the concepts of each scheme the browse page lists
BROWSED = {
    "theme": f"{D}subject",
    "target-group": f"{R}targetGroup",
    "challenge": f"{R}addressesChallenge",
    "opportunity": f"{R}buildsOnOpportunity",
    "funding": f"{R}fundingProgramme",
    "country": PLACES,
    "nuts": PLACES,
}


def _section(request: Request, scheme: str) -> str:
    """The browse page in the request's language (`?lang`), at the scheme's section when the
    page has it: the page leaves out a section no record's concept is in, and an anchor to it
    would leave a link checker (and the reader) at an anchor that is not there."""
    target = with_lang("/browse", requested(request))
    used = graph_facts(request).usage
    if not used.get(BROWSED[scheme]):
        return target
    return (
        target
        + "#"
        + ("countries-and-regions" if BROWSED[scheme] == PLACES else SCHEME_SECTIONS[scheme])
    )


@router.get(
    "/browse/{scheme}/{concept_id}",
    tags=[LINKED_DATA],
    response_class=Response,
    summary="A concept's page, or its data document (code.ttl, .nt, .jsonld, .rdf)",
    responses={
        **media("the page, or the data document the extension names", "text/html", *RDF_MEDIA),
        **status_304(),
        **redirect(308, "the one address of the page (codes as the scheme writes them)"),
        **page_errors(404),
    },
)
def browse_concept(request: Request, scheme: str, concept_id: str) -> Response:
    """A concept's page, or with an extension (`.ttl`, `.nt`, `.jsonld`, `.rdf`) its data
    document (`kg.browse.concept_document`), as a record's page has its own."""
    if moved := _lower_concept(request, "/browse", scheme, concept_id):
        return moved
    concept_id, _, ext = concept_id.partition(".")
    if scheme not in (*SCHEMES, "country", "nuts"):
        raise NotFound(f"nothing to browse under {scheme!r}")
    code = _named_concept(request, scheme, concept_id)
    if code is None:
        raise NotFound(f"no {scheme} {concept_id!r} in the graph")
    if code != concept_id:
        # one URL per page (Cool URIs), as the graph writes the code: `es242`, `Italy`, `IT`,
        # `italia` (a link checker's `Italy` had led to `ITALY`, 404) and a concept's label in
        # any of the five languages (a trial's `/browse/theme/vivienda` was 404 beside
        # theme=Vivienda) lead to it
        query = f"?{request.url.query}" if request.url.query else ""
        dot = f".{ext}" if ext else ""
        return RedirectResponse(f"/browse/{scheme}/{code}{dot}{query}", status_code=308)
    iri = _prefix(scheme) + code
    if ext:
        return _concept_data(request, iri, f"/browse/{scheme}/{concept_id}", ext)
    choice = formats.negotiate(request.headers.get("accept"), (HTML, *DOCUMENT_FORMATS))
    if choice is not None and choice.format is not HTML:
        # a linked-data client asking the page for RDF (`Accept: text/turtle`; a researcher's
        # got the HTML page with 200): 303 to the data document, as a record's page does
        return see_other(f"/browse/{scheme}/{concept_id}.{choice.format.extension}")
    page = concept_page(request.app.state.store.current(), iri)
    if page is None:
        raise NotFound(f"no {scheme} {concept_id!r} in the graph")
    base = request.app.state.settings.base
    facts = graph_facts(request)
    lists = kind_lists(facts, page.records, base, language(request))
    in_use = facts.usage  # read once for both ways down
    place = scheme in ("country", "nuts")
    # a country's or region's page leads down to the regions inside it that records name
    regions = inside(by_country(in_use.get(PLACES, []), language(request)), iri) if place else []
    # a theme's, target group's or challenge's page leads down to the narrower ones in use,
    # whose practices it lists too (`kg.queries.CONCEPT_RECORDS`)
    used = {c.iri: c.count for concepts in in_use.values() for c in concepts}
    narrower = [
        (n.label(language(request)), href, used[n.iri])
        for n in page.narrower
        if not place and used.get(n.iri) and (href := concept_href(n.iri))
    ]
    path = f"/browse/{scheme}/{concept_id}"
    alternates = [(f"{path}.{f.extension}", f.media) for f in DOCUMENT_FORMATS]
    response = _render(
        request,
        "concept.html",
        {
            "page": page,
            "scheme": scheme,
            "scheme_title": SCHEME_TITLES[scheme],
            "lists": lists,
            "alternates": alternates,
            "search_href": _search_href(scheme, page),
            # up to the browse page through the regions and country enclosing it
            "crumbs": [(up.label(language(request)), concept_href(up.iri)) for up in page.broader],
            "regions": regions,
            "narrower": narrower,
        },
    )
    # the data documents, for clients that read headers only (RFC 8288), as record pages do
    base = request.app.state.settings.base.rstrip("/")
    response.headers["Link"] = ", ".join(
        f'<{base}{href}>; rel="alternate"; type="{media}"' for href, media in alternates
    )
    response.headers["Vary"] = "Accept, Accept-Language"  # an RDF Accept is sent to the data
    return response


def _search_href(scheme: str, page: ConceptPage) -> str:
    """The search filtered by the concept: `/search?country=FR` for `/browse/country/FRA` (the
    filter takes the ISO code the search facet shows, not the EU authority's)."""
    facet = scheme.replace("-", "_")
    return f"/search?{urlencode({facet: filter_code(facet, page.iri, page.notation or None)})}"


def _concept_data(request: Request, iri: str, path: str, ext: str) -> Response:
    """The data document of the concept `iri` (its page at `path`) in the format its extension
    names. Raises `NotFound` (an unknown extension, or nothing known of the concept)."""
    fmt = document_format(ext)
    base = request.app.state.settings.base
    triples = concept_document(request.app.state.store.current(), iri)
    about = about_document(f"{base}{path.lstrip('/')}", iri, base=base)
    body = formats.serialize_document([*triples, *about], fmt)
    return document_response(request, body, fmt, {"Cache-Control": "public, max-age=300"})
