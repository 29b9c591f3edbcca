"""`GET /api/search` and `GET /api/similar/{kind}/{slug}` (issue 4): JSON over `kg.search`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from kg.search import SearchQuery, SearchResults, SearchService, Similar, parse_years
from kg.search.engine import Hit, Label
from kg.search.explain import SharedValue, Why
from kg.search.rank import FacetValue
from web.services import limit, search_service

router = APIRouter(prefix="/api", tags=["search"], dependencies=[Depends(limit)])
Service = Annotated[SearchService, Depends(search_service)]
Values = Annotated[list[str], Query()]


class LabelPublic(BaseModel):
    value: str
    label: str


class FacetValuePublic(LabelPublic):
    count: int


class SharedValuePublic(LabelPublic):
    facet: str
    matched: str | None = None


class WhyPublic(BaseModel):
    summary: str
    matched_terms: list[str]
    concepts: list[SharedValuePublic]
    filters: list[SharedValuePublic]
    keyword_score: float | None
    similarity: float | None
    query_language: str | None


class SearchHitPublic(BaseModel):
    id: str
    slug: str
    kind: str
    name: str
    url: str
    snippet: str
    score: float
    why: WhyPublic
    themes: list[LabelPublic]
    countries: list[LabelPublic]


class SearchResultsPublic(BaseModel):
    total: int
    offset: int
    limit: int
    mode: str
    query: str
    query_language: str | None
    results: list[SearchHitPublic]
    facets: dict[str, list[FacetValuePublic]]


class SimilarPublic(BaseModel):
    id: str
    slug: str
    kind: str
    name: str
    url: str
    score: float
    similarity: float
    shared: list[SharedValuePublic]


class SimilarsPublic(BaseModel):
    id: str
    results: list[SimilarPublic]


@router.get("/search", response_model=SearchResultsPublic)
def api_search(
    service: Service,
    q: Annotated[str, Query(description="Text in any language; empty lists by filters.")] = "",
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    mode: Literal["hybrid", "keyword", "vector"] = "hybrid",
    theme: Values = [],  # noqa: B006 - FastAPI copies query defaults
    target_group: Values = [],  # noqa: B006
    country: Annotated[list[str], Query(description="ISO 3166 alpha-2, e.g. ES")] = [],  # noqa: B006
    nuts: Annotated[list[str], Query(description="NUTS code, e.g. ES24")] = [],  # noqa: B006
    funding: Values = [],  # noqa: B006
    challenge: Values = [],  # noqa: B006
    opportunity: Values = [],  # noqa: B006
    kind: Values = [],  # noqa: B006
    year: Annotated[str | None, Query(description="Active in YYYY or YYYY-YYYY")] = None,
    lang: Annotated[str, Query(description="Language of labels")] = "en",
) -> SearchResultsPublic:
    """Hybrid (meaning + keyword) search with graph filters and facet counts; each hit says
    why it matched. Values of one filter combine with AND, except `kind` (OR)."""
    filters = {
        "theme": theme,
        "target_group": target_group,
        "country": country,
        "nuts": nuts,
        "funding": funding,
        "challenge": challenge,
        "opportunity": opportunity,
        "kind": kind,
    }
    query = SearchQuery(
        q,
        mode=mode,
        filters={k: v for k, v in filters.items() if v},
        years=parse_years(year) if year else None,
        limit=limit,
        offset=offset,
        lang=lang,
    )
    return _results(service.search(query))


@router.get("/similar/{kind}/{slug}", response_model=SimilarsPublic)
def api_similar(
    request: Request,
    service: Service,
    kind: str,
    slug: str,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SimilarsPublic:
    """Records most like this one: near in meaning, sharing themes, target groups and profile."""
    iri = f"{request.app.state.settings.base}id/{kind}/{slug}"
    found = service.similar(iri, limit=limit)
    return SimilarsPublic(id=iri, results=[_similar(s) for s in found])


def _results(results: SearchResults) -> SearchResultsPublic:
    u = results.understanding
    return SearchResultsPublic(
        total=results.total,
        offset=results.query.offset,
        limit=results.query.limit,
        mode=results.query.mode,
        query=results.query.text,
        query_language=u.lang if u is not None else None,
        results=[_hit(h) for h in results.hits],
        facets={f: [_facet(v) for v in values] for f, values in results.facets.items()},
    )


def _hit(hit: Hit) -> SearchHitPublic:
    doc = hit.doc
    return SearchHitPublic(
        id=doc.iri,
        slug=doc.slug,
        kind=doc.kind,
        name=doc.name,
        url=f"/{doc.kind}/{doc.slug}",
        snippet=hit.snippet,
        score=hit.score,
        why=_why(hit.why),
        themes=[_label(v) for v in hit.themes],
        countries=[_label(v) for v in hit.countries],
    )


def _why(why: Why) -> WhyPublic:
    return WhyPublic(
        summary=why.summary,
        matched_terms=why.matched_terms,
        concepts=[_shared(c) for c in why.concepts],
        filters=[_shared(f) for f in why.filters],
        keyword_score=why.keyword_score,
        similarity=why.similarity,
        query_language=why.query_language,
    )


def _similar(s: Similar) -> SimilarPublic:
    doc = s.doc
    return SimilarPublic(
        id=doc.iri,
        slug=doc.slug,
        kind=doc.kind,
        name=doc.name,
        url=f"/{doc.kind}/{doc.slug}",
        score=s.score,
        similarity=s.similarity,
        shared=[_shared(v) for v in s.shared],
    )


def _label(value: Label) -> LabelPublic:
    return LabelPublic(value=value.value, label=value.label)


def _facet(value: FacetValue) -> FacetValuePublic:
    return FacetValuePublic(value=value.value, label=value.label, count=value.count)


def _shared(value: SharedValue) -> SharedValuePublic:
    return SharedValuePublic(
        facet=value.facet, value=value.value, label=value.label, matched=value.matched
    )
