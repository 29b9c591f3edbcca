"""Search inside SPARQL (issue 4 item 6): `rikg:similarity(?record, "text")` scores a record
against a text by meaning, so a query can combine graph patterns with semantic ranking.

Example — Spanish initiatives that work with migrant families, by closeness to a need::

    PREFIX rikg: <https://w3id.org/rikg/ns#>
    PREFIX schema: <http://schema.org/>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?initiative ?name ?score WHERE {
      ?initiative a rikg:Initiative ; schema:name ?name ;
                  rikg:targetGroup <https://w3id.org/rikg/scheme/target-group/migrant-families> ;
                  dcterms:spatial <http://publications.europa.eu/resource/authority/country/ESP> .
      BIND(rikg:similarity(?initiative, "families who moved to a village for a job") AS ?score)
    } ORDER BY DESC(?score) LIMIT 10

The score is the cosine similarity (an `xsd:double` between −1 and 1) of the record's vector and
the text's embedding, the same as `mode=vector` search; it is unbound for anything that is not a
record of the search index. The text is embedded once per query (cached), records not at all.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import QuerySyntaxError
from kg.queries import PREFIXES
from kg.search.index import SearchIndex
from kg.search.understand import understand
from kg.vocab import RIKG_NS

SIMILARITY = ox.NamedNode(f"{RIKG_NS}similarity")


def search_functions(index: SearchIndex) -> dict[ox.NamedNode, object]:
    """The custom functions to pass to `Store.query(custom_functions=...)`."""

    expanded: dict[str, str] = {}  # the query text as `mode=vector` sends it to the model

    def similarity(record: object, text: object) -> ox.Literal | None:
        if not isinstance(record, ox.NamedNode) or not isinstance(text, ox.Literal):
            return None
        row = index.positions.get(record.value)
        if row is None:
            return None
        if text.value not in expanded:
            expanded[text.value] = understand(text.value, index.matcher).expanded()
        vector = index.encode_query(expanded[text.value])
        return ox.Literal(float(index.vectors[row] @ vector))

    return {SIMILARITY: similarity}


def run_query_with_search(
    store: ox.Store, query: str, index: SearchIndex
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL query (default graph: the union of all graphs) with `rikg:similarity`."""
    try:
        return store.query(
            query,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            custom_functions=search_functions(index),  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
