"""Semantic search over the graph (issues 4 and 9).

`SearchService(store, settings)` keeps the index of a store current; `search(index, query)`
ranks, filters, facets and explains; `similar(index, iri)` finds related records;
`run_query_with_search(store, query, index)` adds `rikg:similarity` to SPARQL. Module map:
`documents` (what the graph says about each record), `text` (words), `embed` and `cache`
(vectors), `index` (build, save, load), `understand` (query language and concepts), `rank`
(fusion, filters, facets), `names` (the name lane), `spelling`, `types` (the public
query and result types), `explain`, `engine`, `similar`, `sparql`, `evaluate`, `service`.
"""

from kg.search.engine import search
from kg.search.service import SearchService
from kg.search.similar import Similar, similar
from kg.search.sparql import SIMILARITY, run_query_with_search
from kg.search.types import FILTERS, MODES, SORTS, Hit, SearchQuery, SearchResults, parse_years

__all__ = [
    "FILTERS",
    "MODES",
    "SIMILARITY",
    "SORTS",
    "Hit",
    "SearchQuery",
    "SearchResults",
    "SearchService",
    "Similar",
    "parse_years",
    "run_query_with_search",
    "search",
    "similar",
]
