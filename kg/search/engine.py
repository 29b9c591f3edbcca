"""`search(index, query)`: one page of ranked, explained hits with facet counts."""

from __future__ import annotations

from dataclasses import dataclass

from kg.search.documents import SearchDoc
from kg.search.explain import Why, explain
from kg.search.index import SearchIndex
from kg.search.rank import FacetValue, SearchQuery, facet_counts, rank
from kg.search.understand import Understanding


@dataclass(frozen=True)
class Label:
    value: str  # concept id, ISO code
    label: str


@dataclass(frozen=True)
class Hit:
    doc: SearchDoc
    score: float
    snippet: str  # HTML: escaped text, matches in <mark>
    why: Why
    themes: list[Label]
    countries: list[Label]


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    understanding: Understanding | None


def search(index: SearchIndex, query: SearchQuery) -> SearchResults:
    """Rank the whole result set, count its facets, explain the requested page."""
    ranking = rank(index, query)
    page = range(query.offset, min(query.offset + query.limit, len(ranking.rows)))
    filters = {f: list(v) for f, v in query.filters.items() if v}
    rows = [int(ranking.rows[i]) for i in page]
    u = ranking.understanding
    contained = index.terms_in(rows, u.terms if u is not None else ())
    hits = []
    for i, row, terms in zip(page, rows, contained, strict=True):
        doc = index.docs[row]
        why, snippet = explain(
            index,
            doc,
            ranking.understanding,
            filters=filters,
            keyword=None if ranking.keyword is None else float(ranking.keyword[row]),
            similarity=None if ranking.similarity is None else float(ranking.similarity[row]),
            terms=terms,
            lang=query.lang,
        )
        hits.append(
            Hit(
                doc,
                round(float(ranking.scores[i]), 4),
                snippet,
                why,
                _values(index, doc, "theme", query.lang),
                _values(index, doc, "country", query.lang),
            )
        )
    return SearchResults(
        query,
        len(ranking.rows),
        hits,
        facet_counts(index, ranking.rows, lang=query.lang),
        ranking.understanding,
    )


def _values(index: SearchIndex, doc: SearchDoc, facet: str, lang: str) -> list[Label]:
    return [Label(c, index.label(facet, c, lang)) for c in doc.facets.get(facet, ())]
