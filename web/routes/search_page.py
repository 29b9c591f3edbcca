"""The practitioners' search page: results with snippets and reasons, kind tabs, facets that
toggle (values of one facet OR, facets AND, every value reachable), a year range, sort,
"showing results for" a corrected query, downloads, pagination, help when nothing matched and
"show as SPARQL" (issues 5 and 13). The query is parsed by `SearchQuery.from_params`."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from kg.errors import BadRequest
from kg.filter_query import filter_query
from kg.search import SearchService
from kg.search.documents import FACETS
from kg.search.types import FILTERS, FacetValue, SearchQuery, SearchResults, filter_value
from web.i18n import N_, language, plain
from web.services import search_service
from web.templating import FACET_TITLES

router = APIRouter()
PAGE_SIZE = 10
#: example searches, translated by the template (web/i18n.py)
EXAMPLES = [
    N_("families who moved to a village for a job"),
    N_("community sponsorship of refugee families"),
    N_("migrant farm workers and exploitation"),
    N_("LEADER groups exchanging good practice"),
]


SORT_TITLES = {
    "relevance": N_("relevance"),
    "start": N_("start year, newest first"),
    "end": N_("end year, latest first"),
    "name": N_("name, A–Z"),
}
SHOWN = 12  # facet values shown before "show all"
AROUND = 2  # page numbers linked on each side of the current one


def page_numbers(page: int, pages: int, around: int = AROUND) -> list[int | None]:
    """The page numbers the pager links: the first, the last and `around` on each side of
    `page`, a gap (None) where numbers are left out, as search engines and catalogues show
    them (a trial met 35 pages of organisations with only "Previous" and "Next").

    >>> page_numbers(6, 35)
    [1, None, 4, 5, 6, 7, 8, None, 35]
    >>> page_numbers(1, 4)
    [1, 2, 3, 4]
    >>> page_numbers(3, 8)
    [1, 2, 3, 4, 5, None, 8]
    """
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous == 2:
            out.append(n - 1)  # a gap of one number is that number, not "…"
        elif n - previous > 2:
            out.append(None)
        out.append(n)
        previous = n
    return out


#: the parameters the page reads, in their canonical order (filters follow `q`, `mode`, `sort`)
CANONICAL_ORDER = ("q", "mode", "sort", *FILTERS, "year", "year_from", "year_to", "correct")


def canonical_query(params: QueryParams, page: int) -> list[tuple[str, str]]:
    """The search's canonical query: the parameters `SearchQuery.from_params` reads, in
    `CANONICAL_ORDER`, each filter's values sorted, empty values dropped, and `page` only past
    the first (`lang` is added by `web.meta.canonical`).

    >>> canonical_query(QueryParams("theme=b&q=farm&theme=a&page=1&x=1"), 1)
    [('q', 'farm'), ('theme', 'a'), ('theme', 'b')]
    """
    pairs: list[tuple[str, str]] = []
    for name in CANONICAL_ORDER:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if name in FILTERS:
            pairs += [(name, v) for v in sorted(set(values))]
        elif values:
            pairs.append((name, values[0]))
    if page > 1:
        pairs.append(("page", str(page)))
    return pairs


#: what the page leaves out of a URL it cannot read whole, in this order, keeping the words
#: and the facets: paging, then sorting and modes, then the years; and what it then says
_DROPPED = (
    (("page", "limit", "offset"), N_("%(given)s is not a page number")),
    (("sort", "mode", "fusion"), N_("%(given)s is not a sort order or a search mode")),
    (
        ("year", "year_from", "year_to"),
        N_("%(given)s is not a year range: one year, or a first year no later than the last"),
    ),
)
UNHELD = N_("no record has %(given)s")
PAST = N_("%(given)s is past the end of these results: this is the last page")
#: why part of a URL was left out: a message of `_DROPPED` or `UNHELD`, and the parameters
Said = tuple[str, str]


def _given(items: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name}={value}" for name, value in items)


def _readable_query(params: QueryParams) -> tuple[SearchQuery, QueryParams, list[Said]]:
    """The search a (hand-edited) URL asks for, the parameters it was read from, and why each
    part of the URL left out was (the page's links then leave it out too).

    A person's browser gets the search with the part it cannot use left out and the reason
    said on the page in its language (a reversed year range, an unknown sort), not the API's
    JSON 400. Each group of `_DROPPED` (paging, sorting and modes, years) is read on its own
    and left out only when it cannot be read: `sort=nope&page=3` keeps page 3. Raises
    `BadRequest` only when the words and facets themselves cannot be read (an unknown
    filter)."""

    def read(items: list[tuple[str, str]]) -> SearchQuery:
        return SearchQuery.from_params(QueryParams(items), limit=PAGE_SIZE, max_limit=PAGE_SIZE)

    params = _ordered_years(params)
    try:
        return read(params.multi_items()), params, []
    except BadRequest as exc:
        problem = exc.message
    kept = params.multi_items()
    said: list[Said] = []
    for names, message in _DROPPED:
        group = [(k, v) for k, v in kept if k in names]
        try:
            read(group)
        except BadRequest:
            said.append((message, _given(group)))
            kept = [(k, v) for k, v in kept if k not in names]
    try:
        return read(kept), QueryParams(kept), said
    except BadRequest:
        raise BadRequest(problem) from None


def _ordered_years(params: QueryParams) -> QueryParams:
    """The page's year form given backwards ("from 2020 to 2010") read as the years between
    them, in order: a German trial met "year_from=2020, year_to=2010 is not a year range"
    for what means one range either way. The API keeps answering such a range with 400."""
    first, last = params.get("year_from", ""), params.get("year_to", "")
    if not (first.strip().isdigit() and last.strip().isdigit()) or int(first) <= int(last):
        return params
    swapped = {"year_from": last, "year_to": first}
    return QueryParams([(k, swapped.get(k, v)) for k, v in params.multi_items()])


def _coded(
    query: SearchQuery, params: QueryParams, service: SearchService
) -> tuple[SearchQuery, QueryParams]:
    """The search with filter values given by a label (`country=Spain`, `theme=Vivienda`) or
    another code (`country=GB`) as the codes they stand for, in the query and in the
    parameters the page's links are built from, so the facet list shows them ticked and a
    click removes them."""
    resolved = service.resolve(query)
    if resolved == query and all(
        filter_value(k, v) == v for k, v in params.multi_items() if k in query.filters
    ):
        return query, params
    # another code of a country (`country=GB` for UK, `country=it`) is read as the graph's
    # code too; a value that names nothing stays as given, for the page to say so
    index = service.index()

    def coded(facet: str, value: str) -> str:
        code = index.filter_code(facet, filter_value(facet, value))
        named = (facet, code) in index.by_code or code in index.facet_values.get(facet, {})
        return code if named else value

    items = [(k, coded(k, v) if k in query.filters else v) for k, v in params.multi_items()]
    return resolved, QueryParams(list(dict.fromkeys(items)))


def _held_values(
    query: SearchQuery, params: QueryParams, service: SearchService
) -> tuple[SearchQuery, QueryParams, list[Said]]:
    """The search without filter values no record holds (`country=ZZ`, `theme=nope`: a
    hand-edited or old link), and which were left out. With them the page would say that
    nothing matched the words, which would not be true; `/api/search` keeps them (and answers
    `total: 0`), as a program asked for exactly that."""
    dropped = [
        (name, value)
        for name, values in service.index().unheld(query.filters).items()
        for value in values
    ]
    if not dropped:
        return query, params, []

    def unheld(name: str, value: str) -> bool:  # as the query read it
        return (name, filter_value(name, value)) in dropped

    kept = QueryParams([(k, v) for k, v in params.multi_items() if not unheld(k, v)])
    given = [(k, v) for k, v in params.multi_items() if unheld(k, v)]
    filters = {
        name: kept_values
        for name, values in query.filters.items()
        if (kept_values := tuple(v for v in values if (name, v) not in dropped))
    }
    return replace(query, filters=filters), kept, [(UNHELD, _given(given))]


def named_concepts(results: SearchResults) -> set[tuple[str, str]]:
    """(facet, value) of each concept the query names in one of the five languages (the
    theme "Community sponsorship" for "community sponsorship", a country for its name)."""
    u = results.understanding
    return {(m.concept.facet, m.concept.code) for m in u.concepts} if u is not None else set()


def pinned_first(
    values: list[tuple[FacetValue, str, bool]], facet: str, named: set[tuple[str, str]]
) -> list[tuple[FacetValue, str, bool]]:
    """A facet's values as the page lists them: the values chosen and those the query names
    first, then the rest in the engine's order (by count). Only the first
    `SHOWN` are in view before "Show all": a phone trial's "community sponsorship" found 62
    records, and its theme, with 5 of them, was 17th of 30, behind "Show all"."""
    return sorted(values, key=lambda v: not (v[2] or (facet, v[0].value) in named))


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request, service: Annotated[SearchService, Depends(search_service)]
) -> Response:
    query, params, unread = _readable_query(request.query_params)
    query, params = _coded(query, params, service)
    query, params, unheld = _held_values(query, params, service)
    lang = language(request)
    query = replace(query, lang=lang)  # labels in the interface language
    results = service.search(query)
    pages = max(1, -(-results.total // PAGE_SIZE))
    page = query.offset // PAGE_SIZE + 1
    if page > pages:  # past the end: the last page, said so (never "981–41 of 41")
        if results.total:
            unread.append((PAST, _given([(k, v) for k, v in params.multi_items() if k == "page"])))
        page = pages
        results = service.search(replace(query, offset=(pages - 1) * PAGE_SIZE))
    unfiltered = None  # "the filters, not the words, left nothing": how much the words find
    if not results.total and query.text and (query.filters or query.years):
        unfiltered = service.search(replace(query, filters={}, years=None, offset=0)).total
    ignored = "; ".join(plain(lang, m, given=g) for m, g in unread + unheld) or None
    request.state.canonical_query = canonical_query(params, page)
    # the position is the page's own: each link sets it (an analyst's `offset=10` had been
    # carried into the JSON link beside its own, "offset=10&offset=10")
    state = [(k, v) for k, v in params.multi_items() if k not in ("page", "offset", "correct")]
    text = query.text

    def url(items: list[tuple[str, str]]) -> str:
        return "/search?" + urlencode(items)

    def with_value(name: str, value: str) -> str:
        """URL of this search with a facet value toggled (and back to page 1): a year added
        replaces any year or range; removing one end of a range keeps the other."""
        if (name, value) in state:  # removing: this value only (one end of a year range)
            return url([i for i in state if i != (name, value)])
        years = ("year", "year_from", "year_to")
        items = [(k, v) for k, v in state if k not in years] if name in years else list(state)
        return url([*items, (name, value)])

    def only(name: str, value: str | None) -> str:
        """URL of this search with `name` set to `value` alone (None: removed)."""
        items = [(k, v) for k, v in state if k != name]
        return url(items + ([(name, value)] if value else []))

    def page_url(n: int) -> str:
        """The page `n` of these results; the first is the search itself (one URL, not two)."""
        return url([*state, *([("page", str(n))] if n > 1 else [])])

    def tagged(name: str, value: str) -> str:
        """URL of a new search for the records tagged `value` (a result's theme or country),
        in this page's language when its URL names one."""
        return url([*((k, v) for k, v in state if k == "lang"), (name, value)])

    active = {(k, v) for k, v in state if k in FACETS}
    labels = {(name, fv.value): fv.label for name, fvs in results.facets.items() for fv in fvs}
    named = named_concepts(results)
    facets = [
        (
            name,
            FACET_TITLES[name],
            pinned_first(
                [
                    (fv, with_value(name, fv.value), (name, fv.value) in active)
                    for fv in results.facets.get(name, [])
                    # a value whose every result is already shown: its click changes nothing,
                    # and "Österreich +0" read as noise (a practitioner's trial); the API keeps it
                    if fv.adds != 0
                ],
                name,
                named,
            ),
        )
        for name in FACETS
        if results.facets.get(name)
    ]
    years = [int(fv.value) for fv in results.facets.get("year", [])]
    # labels of the values the results no longer hold come from the graph (a search that
    # filters everything out had shown "Paese: ES", "Tema: housing")
    chips = [(k, v, labels.get((k, v)) or service.label(k, v, lang)) for k, v in sorted(active)]
    chips += [(k, v, v) for k, v in state if k in ("year_from", "year_to") and v]
    # an empty box of the form (`year_to=`) is no parameter: the files' links leave it out
    export = [(k, v) for k, v in state if k not in ("limit", "offset") and v.strip()]
    if not any(k == "lang" for k, _ in export):
        # the page's language, even when only the browser named it (Accept-Language): the
        # files speak it too (a Spanish trial's came in English)
        export.append(("lang", language(request)))
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "search.html",
        {
            "q": text,
            "ignored": ignored,
            "mode": query.mode,
            "results": results,
            "facets": facets,
            "shown": SHOWN,
            "active": chips,
            # a year range is one filter, though its two ends are two chips (a trial read
            # "Filters (3)" for a country and a range)
            "filter_count": len(
                {"year" if k in ("year_from", "year_to") else (k, v) for k, v, _ in chips}
            ),
            "remove": with_value,
            "only": only,
            "page": page,
            "pages": pages,
            "page_numbers": page_numbers(page, pages),
            "page_url": page_url,
            "tagged": tagged,
            "first": (page - 1) * PAGE_SIZE + 1,
            "sparql": (
                filter_query(dict(query.filters), query.years)
                if query.filters or query.years
                else None
            ),
            "examples": EXAMPLES,
            "sort": query.sort,
            "sorts": SORT_TITLES,
            "year_range": query.years,
            "year_bounds": (min(years), max(years)) if years else None,
            "kept": [
                (k, v) for k, v in state if k not in ("q", "lang", "year", "year_from", "year_to")
            ],
            "instead_url": url([*state, ("correct", "0")]),
            "suggestion_url": (
                url(
                    [(k, v) for k, v in state if k not in ("q", "offset")]
                    + [("q", results.suggestion)]
                )
                if results.suggestion
                else None
            ),
            "unfiltered": unfiltered,
            "unfiltered_url": url(
                [(k, v) for k, v in state if k not in FACETS and k not in ("year_from", "year_to")]
            ),
            "all_years": url(
                [(k, v) for k, v in state if k not in ("year", "year_from", "year_to")]
            ),
            # the page shown (the last one, for a page past the end)
            "json_url": "/api/search?"
            + urlencode([*state, ("offset", str((page - 1) * PAGE_SIZE))]),
            "csv_download": "/api/search/download?" + urlencode([*export, ("format", "csv")]),
            "xlsx_download": "/api/search/download?" + urlencode([*export, ("format", "xlsx")]),
            "json_download": "/api/search/download?" + urlencode([*export, ("format", "json")]),
        },
    )
    return response
