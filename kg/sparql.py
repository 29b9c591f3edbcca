"""Running SPARQL against the store, with parser errors mapped into the error family."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from kg.errors import QuerySyntaxError
from kg.queries import PREFIXES


def run_query(
    store: ox.Store,
    query: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    custom_functions: dict[ox.NamedNode, Callable[..., object]] | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL 1.1 query; the default graph is the union of all graphs unless given."""
    try:
        return store.query(
            query,
            prefixes=PREFIXES,
            use_default_graph_as_union=not default_graphs,
            default_graph=[ox.NamedNode(g) for g in default_graphs] if default_graphs else None,
            named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None,
            custom_functions=custom_functions,  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
