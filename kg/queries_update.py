"""SPARQL Update text the application sends to an external SPARQL 1.1 store (`kg.store.remote`).

Terms in these strings are IRIs the application made or N-Triples lines pyoxigraph wrote
(escaped), never raw user text.
"""

from __future__ import annotations

#: every statement of a scratch store, as pyoxigraph's own `QueryTriples`
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"


def drop_graph(graph: str) -> str:
    """Drop one named graph; `graph` is an IRI in N-Triples form (`<…>`); absent is fine."""
    return f"DROP SILENT GRAPH {graph}"


def clear_graph(graph: str | None) -> str:
    """Clear one named graph (`<…>`), or the default graph when `graph` is None."""
    return f"CLEAR SILENT {'DEFAULT' if graph is None else f'GRAPH {graph}'}"


def insert_data(graph: str | None, statements: list[str]) -> str:
    """INSERT DATA of N-Triples `statements`, into the graph IRI `graph` (bare) or the default."""
    return f"INSERT DATA {{ {_block(graph, statements)} }}"


def insert_where(graph: str | None, statements: list[str]) -> str:
    """INSERT … WHERE {}: for statements with blank nodes (not allowed in Virtuoso's INSERT
    DATA), which must stay together in one operation to stay one node."""
    return f"INSERT {{ {_block(graph, statements)} }} WHERE {{}}"


def _block(graph: str | None, statements: list[str]) -> str:
    body = " ".join(statements)
    return f"GRAPH <{graph}> {{ {body} }}" if graph else body
