"""Reading helpers over the store that other packages call instead of writing SPARQL."""

from __future__ import annotations

from typing import cast

import pyoxigraph as ox

from kg import queries


def select(
    store: ox.Store, query: str, **bindings: ox.NamedNode | ox.Literal
) -> list[dict[str, str]]:
    """Run one of `kg.queries` with bound values; rows map variable → lexical value."""
    solutions = cast(
        ox.QuerySolutions,
        store.query(
            query,
            prefixes=queries.PREFIXES,
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
        ),
    )
    names = [v.value for v in solutions.variables]
    rows = []
    for sol in solutions:
        row = {}
        for name in names:
            term = sol[name]
            if term is not None:
                row[name] = term.value
        rows.append(row)
    return rows


def content_hashes(store: ox.Store, *, adapter: str) -> dict[str, str]:
    rows = select(store, queries.GRAPH_HASHES, adapter=ox.Literal(adapter))
    return {r["g"]: r["hash"] for r in rows}


def graphs_with_participants(store: ox.Store, *, adapter: str) -> set[str]:
    """The named graphs written by `adapter` that give a record its coordinator or partners."""
    rows = select(store, queries.GRAPHS_WITH_PARTICIPANTS, adapter=ox.Literal(adapter))
    return {r["g"] for r in rows}


def source_titles(store: ox.Store, graph: str, *, cited: bool = False) -> set[tuple[str, str]]:
    """(source IRI, title) pairs: those stated in `graph`, or with `cited`, those of the
    sources `graph` cites, wherever they are stated."""
    query = queries.TITLES_CITED_IN_GRAPH if cited else queries.TITLES_IN_GRAPH
    rows = select(store, query, g=ox.NamedNode(graph))
    return {(r["source"], r["title"]) for r in rows}


def same_as_records(store: ox.Store, *, prefix: str, adapter: str) -> dict[str, str]:
    """`schema:sameAs` IRI (starting with `prefix`) → the record of `adapter` that states it."""
    rows = select(
        store,
        queries.SAME_AS_RECORDS,
        prefix=ox.Literal(prefix),
        adapter=ox.Literal(adapter),
    )
    return {r["same"]: r["record"] for r in rows}


def kind_counts(store: ox.Store) -> dict[str, int]:
    return {r["kind"]: int(r["n"]) for r in select(store, queries.COUNTS)}


def triple_count(store: ox.Store) -> int:
    return int(select(store, queries.TRIPLE_COUNT)[0]["n"])


def record_base(store: ox.Store) -> str | None:
    """The base URI the store's records were minted under (`{base}id/{kind}/{slug}`,
    `kg.vocab.record_iri`), read from one record: `"http://127.0.0.1:8000/"`; None for a store
    without records. Records are looked up by the IRI a request's path makes under the base the
    server is configured with, so a server whose base differs finds none of them."""
    rows = select(store, queries.A_RECORD)
    if not rows:
        return None
    iri, path = rows[0]["r"], f"id/{rows[0]['kind']}/"
    at = iri.rfind(path)
    return iri[:at] if at > 0 else None


def holds_subject(store: ox.Store, iri: str, graph: str) -> bool:
    """Whether named graph `graph` holds a statement about `iri` (an IRI that is not one:
    False)."""
    try:
        found = store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.NamedNode(graph))
        return next(iter(found), None) is not None
    except ValueError:
        return False


def holds_graph(store: ox.Store, iri: str) -> bool:
    """Whether the store holds a named graph `iri` (an IRI that is not one: False)."""
    try:
        return bool(store.contains_named_graph(ox.NamedNode(iri)))
    except ValueError:
        return False
