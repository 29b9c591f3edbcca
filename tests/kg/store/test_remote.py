"""The query rewriting and update batching of the external store backend (kg/store/remote.py).

The backend itself runs against a real Virtuoso in tests/e2e/test_virtuoso.py; here the text it
sends is checked by running it in pyoxigraph against the same data, where pyoxigraph's own
`substitutions=` give the expected answer."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pyoxigraph as ox
import pytest

from ingest.pipeline import ingest_records
from kg import queries
from kg.settings import Settings
from kg.store import GraphChange, LocalStore, open_store
from kg.store.remote import (
    ASK_VARIABLE,
    OP_TRIPLES,
    REQUEST_TRIPLES,
    RemoteDataset,
    RemoteStore,
    batch,
    bind,
    insert_ops,
    query_form,
    replace_ops,
    solutions,
    triples,
    with_prefixes,
)
from tests.conftest import BASE


@pytest.fixture
def store(records_dir: Path) -> ox.Store:
    graph_store = LocalStore(None)
    ingest_records(graph_store, [records_dir], base=BASE)
    current = graph_store.current()
    current.add(  # as a curated record that is also a CORDIS project says (SAME_AS_RECORDS)
        ox.Quad(
            ox.NamedNode(f"{BASE}id/initiative/village-welcome"),
            ox.NamedNode(queries.PREFIXES["schema"] + "sameAs"),
            ox.NamedNode("https://cordis.europa.eu/project/id/1"),
            ox.NamedNode(f"{BASE}graph/initiative/village-welcome"),
        )
    )
    return current


def rows(result: object) -> list[tuple[str | None, ...]]:
    sols = cast(ox.QuerySolutions, result)
    names = [v.value for v in sols.variables]
    return sorted(tuple(str(s[n]) if s[n] is not None else None for n in names) for s in sols)


BOUND_QUERIES = [
    (queries.RECORD_INCOMING, {"record": ox.NamedNode(f"{BASE}id/organisation/test-ngo")}),
    (queries.RECORDS_OF_KIND, {"kind": ox.Literal("initiative")}),
    (queries.GRAPH_HASHES, {"adapter": ox.Literal("records")}),
    (queries.SAME_AS_RECORDS, {"prefix": ox.Literal("https://"), "adapter": ox.Literal("records")}),
    (
        queries.SAME_AS_RECORDS,
        {"prefix": ox.Literal("http://no"), "adapter": ox.Literal("records")},
    ),
    (queries.CONCEPT_RECORDS, {"concept": ox.NamedNode(f"{BASE}id/organisation/test-ngo")}),
    (queries.CONCEPT_INFO, {"concept": ox.NamedNode("https://w3id.org/rikg/scheme/theme/housing")}),
]


@pytest.mark.parametrize(("query", "values"), BOUND_QUERIES)
def test_bound_values_answer_as_substitutions(
    store: ox.Store, query: str, values: dict[str, ox.NamedNode | ox.Literal]
) -> None:
    expected = store.query(
        query,
        prefixes=queries.PREFIXES,
        substitutions={ox.Variable(k): v for k, v in values.items()},
    )
    sent = bind(query, list(values), [list(values.values())])
    got = rows(store.query(sent, prefixes=queries.PREFIXES))
    assert got == rows(expected)
    assert got or values.get("prefix") == ox.Literal("http://no")  # each case has answers


def test_a_trailing_values_clause_would_lose_rows(store: ox.Store) -> None:
    """Why the block goes at the start of the WHERE group: SAME_AS_RECORDS filters on ?prefix."""
    values = {"prefix": ox.Literal("https://"), "adapter": ox.Literal("records")}
    trailing = queries.SAME_AS_RECORDS + ' VALUES (?prefix ?adapter) { ("https://" "records") }'
    assert rows(store.query(trailing, prefixes=queries.PREFIXES)) == []
    sent = bind(queries.SAME_AS_RECORDS, list(values), [list(values.values())])
    assert rows(store.query(sent, prefixes=queries.PREFIXES))


def test_record_document_with_bound_graph(store: ox.Store) -> None:
    g = ox.NamedNode(f"{BASE}graph/initiative/village-welcome")
    expected = set(
        cast(
            ox.QueryTriples,
            store.query(
                queries.RECORD_DOCUMENT,
                prefixes=queries.PREFIXES,
                substitutions={ox.Variable("g"): g},
            ),
        )
    )
    sent = bind(queries.RECORD_DOCUMENT, ["g"], [[g]])
    got = set(cast(ox.QueryTriples, store.query(sent, prefixes=queries.PREFIXES)))
    assert got == expected
    assert len(got) > 10


def test_values_cannot_change_the_query(store: ox.Store) -> None:
    hostile = ox.Literal('records" } } GRAPH ?x { ?a ?b ?c } #')
    sent = bind(queries.GRAPH_HASHES, ["adapter"], [[hostile]])
    assert rows(store.query(sent, prefixes=queries.PREFIXES)) == []
    with pytest.raises(TypeError):
        bind(queries.GRAPH_HASHES, ["adapter"], [[ox.BlankNode()]])  # type: ignore[list-item]


def test_prefixes_declared_once() -> None:
    text = with_prefixes("PREFIX rikg: <urn:mine#> SELECT * WHERE { ?s ?p ?o }", queries.PREFIXES)
    assert text.count("PREFIX rikg:") == 1
    assert "PREFIX schema: <http://schema.org/>" in text


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("# a comment\nPREFIX a: <http://x/#>\nBASE <http://x/>\n ask { ?s ?p ?o }", "ASK"),
        ("PREFIX : <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/a>", "DESCRIBE"),
    ],
)
def test_query_form(query: str, form: str) -> None:
    assert query_form(query) == form


def test_a_base_iri_is_sent_as_base_before_the_prologue() -> None:
    """pyoxigraph's `base_iri=` for an external store: a `BASE` first, so the query's own
    prologue (its own BASE included) still applies after it (SPARQL 1.1 Query §4.1.1.2)."""
    sent: list[str] = []

    class Http:
        def query(self, text: str, **_: object) -> tuple[str, bytes]:
            sent.append(text)
            return (
                "application/sparql-results+json",
                b'{"head":{"vars":[]},"results":{"bindings":[]}}',
            )

    dataset = RemoteDataset(Http(), scope="http://x/")  # type: ignore[arg-type]
    dataset.query("SELECT * { <a> ?p ?o }", base_iri="http://x/")
    assert sent[0].startswith("BASE <http://x/>\n")
    assert ox.Store().query(sent[0]) is not None  # a legal prologue
    dataset.query("SELECT * { <a> ?p ?o }")
    assert "BASE" not in sent[1]


def test_virtuoso_results_are_read() -> None:
    """Blank nodes named `nodeID://…` and ASK answered as a SELECT of `__ASK_RETVAL`."""
    body = (
        b'{"head":{"link":[],"vars":["o"]},"results":{"bindings":['
        b'{"o":{"type":"bnode","value":"nodeID://b10001"}},'
        b'{"o":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer",'
        b'"value":"1"}}]}}'
    )
    terms = [s["o"] for s in cast(ox.QuerySolutions, solutions(body, "application/json"))]
    assert isinstance(terms[0], ox.BlankNode)
    assert terms[1] == ox.Literal("1", datatype=ox.NamedNode(queries.PREFIXES["xsd"] + "integer"))
    ask = f'{{"head":{{"vars":["{ASK_VARIABLE}"]}},"results":{{"bindings":[]}}}}'.encode()
    assert [v.value for v in cast(ox.QuerySolutions, solutions(ask, "x"))] == []


def test_graph_results_are_pyoxigraph_triples() -> None:
    body = b'<http://x/s> <http://x/p> "a" .\n_:b1 <http://x/p> <http://x/s> .\n'
    result = triples(body, "application/n-triples")
    assert isinstance(result, ox.QueryTriples)
    assert len(list(result)) == 2


def test_updates_are_chunked_and_blank_nodes_kept_together() -> None:
    plain = [f"<http://x/s{i}> <http://x/p> <http://x/o> ." for i in range(OP_TRIPLES + 5)]
    blank = ["_:b1 <http://x/p> <http://x/o> .", "<http://x/s> <http://x/p> _:b1 ."]
    nt = "\n".join([*plain, *blank, '<http://x/s> <http://x/p> "not _:b1" .'])
    ops = replace_ops(GraphChange("http://x/g", nt))
    assert ops[0] == ("DROP SILENT GRAPH <http://x/g>", 0)
    assert [n for _, n in ops[1:]] == [OP_TRIPLES, 6, 2]
    assert ops[-1][0].startswith("INSERT { GRAPH <http://x/g> { _:b1")
    assert ops[-1][0].endswith("WHERE {}")
    assert replace_ops(GraphChange("http://x/g", None)) == [("DROP SILENT GRAPH <http://x/g>", 0)]
    many = insert_ops("http://x/g", plain * 10)
    requests = list(batch(many))
    assert len(requests) == -(-len(plain) * 10 // REQUEST_TRIPLES)


def test_the_update_text_runs_in_a_sparql_store() -> None:
    """What apply() sends is valid SPARQL Update (here run by pyoxigraph)."""
    nt = '<http://x/s> <http://x/p> "é \\"q\\""@es .\n_:b <http://x/p> <http://x/s> .\n'
    local = ox.Store()
    for request in batch(replace_ops(GraphChange("http://x/g", nt))):
        local.update(request)
    assert len(local) == 2


def test_open_picks_the_remote_store() -> None:
    settings = Settings.from_env({"KG_SPARQL_ENDPOINT": "http://127.0.0.1:9/sparql"})
    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    assert store.root is None
    assert store.snapshot_path() is None
    assert not isinstance(open_store(Settings.from_env({"KG_STORE": "memory"})), RemoteStore)


def test_requests_hold_at_most_request_ops_operations() -> None:
    """Virtuoso refuses one request of hundreds of small operations (SQ156), so they are split."""
    from kg.store.remote import REQUEST_OPS, batch

    ops = [(f"INSERT DATA {{ <http://s{i}> <http://p> <http://o> }}", 1) for i in range(100)]
    requests = list(batch(ops))
    assert [r.count("INSERT DATA") for r in requests] == [REQUEST_OPS, REQUEST_OPS, 20]


def test_blank_nodes_stay_whole_in_groups_of_bounded_size() -> None:
    from kg.store.remote import blank_node_groups

    lines = [f'_:b{i} <http://p> "x" .' for i in range(100)]
    lines += ["<http://s> <http://q> _:b1 .", "_:b1 <http://r> _:b99 ."]
    groups = blank_node_groups(lines, most_nodes=40)
    assert sum(len(g) for g in groups) == len(lines)
    together = [g for g in groups if "_:b1 <http://r> _:b99 ." in g]
    assert len(together) == 1
    assert {'_:b99 <http://p> "x" .', '_:b1 <http://p> "x" .'} <= set(together[0])
    assert all(
        len({w for line in g for w in line.split() if w.startswith("_:")}) <= 42 for g in groups
    )
