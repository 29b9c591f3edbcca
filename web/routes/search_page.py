"""The practitioners' search page: results with snippets and reasons, facets that toggle,
filters kept in the URL, pagination, empty-state help and "show as SPARQL" (issue 5)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kg.filter_query import filter_query
from kg.search import SearchService
from kg.search.documents import FACETS
from kg.search.engine import search
from kg.search.rank import FILTERS, MODES, SearchQuery
from web.i18n import N_, language
from web.services import search_service

router = APIRouter()
PAGE_SIZE = 10
#: titles and example searches, translated by the template (web/i18n.py)
FACET_TITLES = {
    "kind": N_("Record type"),
    "theme": N_("Theme"),
    "target_group": N_("Target group"),
    "country": N_("Country"),
    "nuts": N_("Region (NUTS)"),
    "funding": N_("Funding"),
    "challenge": N_("Rural challenge"),
    "opportunity": N_("Rural opportunity"),
    "year": N_("Active in"),
}
EXAMPLES = [
    N_("families who moved to a village for a job"),
    N_("community sponsorship of refugee families"),
    N_("migrant farm workers and exploitation"),
    N_("LEADER groups exchanging good practice"),
]


def parse_filters(request: Request) -> dict[str, list[str]]:
    return {f: request.query_params.getlist(f) for f in FILTERS if request.query_params.getlist(f)}


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request, service: Annotated[SearchService, Depends(search_service)]
) -> Response:
    params = request.query_params
    text = params.get("q", "").strip()[:500]
    mode = params.get("mode", "hybrid")
    mode = mode if mode in MODES else "hybrid"
    page = max(1, int(params["page"])) if params.get("page", "").isdigit() else 1
    filters = parse_filters(request)
    years = params.getlist("year")
    year_range = (int(years[0]), int(years[0])) if years and years[0].isdigit() else None
    query = SearchQuery(
        text=text,
        mode=mode,
        filters=filters,
        years=year_range,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        lang=language(request),  # labels of concepts in the interface language
    )
    results = search(service.index(), query)
    state = [(k, v) for k, v in params.multi_items() if k != "page"]

    def with_value(name: str, value: str) -> str:
        """URL of this search with a facet value toggled (and back to page 1)."""
        items = [(k, v) for k, v in state if k != "year"] if name == "year" else list(state)
        if (name, value) in items:
            items.remove((name, value))
        else:
            items.append((name, value))
        return "/search?" + urlencode(items)

    def page_url(n: int) -> str:
        return "/search?" + urlencode([*state, ("page", str(n))])

    active = {(k, v) for k, v in state if k in FACETS}
    labels = {(name, fv.value): fv.label for name, fvs in results.facets.items() for fv in fvs}
    facets = [
        (
            name,
            FACET_TITLES[name],
            [
                (fv, with_value(name, fv.value), (name, fv.value) in active)
                for fv in results.facets.get(name, [])[:12]
            ],
        )
        for name in FACETS
        if results.facets.get(name)
    ]
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "search.html",
        {
            "q": text,
            "mode": mode,
            "results": results,
            "facets": facets,
            "active": [(k, v, labels.get((k, v), v)) for k, v in sorted(active)],
            "remove": with_value,
            "facet_titles": FACET_TITLES,
            "page": page,
            "pages": max(1, -(-results.total // PAGE_SIZE)),
            "page_url": page_url,
            "first": (page - 1) * PAGE_SIZE + 1,
            "sparql": filter_query(filters) if filters else None,
            "examples": EXAMPLES,
            "json_url": "/api/search?"
            + urlencode([*state, ("offset", str((page - 1) * PAGE_SIZE))]),
        },
    )
    return response
