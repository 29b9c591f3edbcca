"""An external SPARQL 1.1 store as the graph (issue 7 item 4): Virtuoso, Fuseki, GraphDB, ….

With `KG_SPARQL_ENDPOINT` set, `kg.store.open_store` returns a `RemoteStore`. Its `current()` is a
`RemoteDataset` that answers `.query(...)` like a pyoxigraph `Store` — same options, same result
types (`QuerySolutions`, `QueryBoolean`, `QueryTriples`, parsed by pyoxigraph itself) — so the
record pages, search and the `/sparql` endpoint run unchanged. Writes go over the SPARQL 1.1
Protocol (`KG_SPARQL_UPDATE_ENDPOINT`, by default the query endpoint) or the Graph Store Protocol
(`KG_GRAPH_STORE_ENDPOINT`); they are not atomic across requests (see the README).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg import queries, queries_update
from kg.errors import BadRequest
from kg.settings import Settings
from kg.store.base import GraphChange, StoreVersion, now
from kg.store.remote_http import SparqlHttp

log = logging.getLogger(__name__)

VERSION_TTL = 5.0  # seconds a version is trusted before the store is asked again
INTERNAL_TIMEOUT = 300.0  # the application's own queries (index builds, dumps) and writes
OP_TRIPLES = 2000  # triples per INSERT DATA (Virtuoso's parser gives up near 5,000)
REQUEST_TRIPLES = 10_000  # triples per update request (Virtuoso commits each request at once)
#: operations per update request: Virtuoso compiles a request as one procedure and refuses one
#: of several hundred small operations ("SQ156 … variables in state over the limit")
REQUEST_OPS = 40
GRAPHS_PER_PAGE = 200  # graphs whose statements one request of a dump fetches
ASK_VARIABLE = "__ASK_RETVAL"  # Virtuoso answers ASK as a one-column SELECT of this variable

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE
)
_DECLARED = re.compile(r"PREFIX\s+([^\s:]*):", re.IGNORECASE)
_BNODE = re.compile(r'(?<![\w"])_:[A-Za-z0-9_][A-Za-z0-9_.\-]*(?<!\.)')
BNODES_PER_OP = 40  # blank nodes per INSERT … WHERE (each is a variable for Virtuoso)
_BNODE_LINE = re.compile(r'^_:|\s_:[^\s"<>]+\s*\.\s*$')
_TRUE = ox.parse_query_results('{"head":{},"boolean":true}', ox.QueryResultsFormat.JSON)
_FALSE = ox.parse_query_results('{"head":{},"boolean":false}', ox.QueryResultsFormat.JSON)

Term = ox.NamedNode | ox.Literal
Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class RemoteDataset:
    """The parts of `pyoxigraph.Store` the application uses, answered by a SPARQL endpoint."""

    def __init__(self, http: SparqlHttp, *, scope: str) -> None:
        self.http = http
        self.scope = scope  # IRI prefix of the application's graphs (dumps leave others out)

    def query(
        self,
        query: str,
        *,
        substitutions: Mapping[ox.Variable, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Sequence[ox.NamedNode] | ox.NamedNode | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        custom_functions: Mapping[ox.NamedNode, Callable[..., object]] | None = None,
        base_iri: str | None = None,
    ) -> Result:
        """Run a query on the store. `use_default_graph_as_union` is the store's own choice
        (Virtuoso: the default graph is the union of all graphs; Fuseki and Oxigraph server have
        an option for it); a dataset given here is sent as protocol parameters, a `base_iri` as
        a `BASE` before the query's own prologue (which may still declare its own)."""
        if custom_functions:
            raise BadRequest(
                "rikg:similarity runs only in the embedded store; with an external SPARQL store "
                "use /api/search for ranking by meaning"
            )
        if substitutions:
            query = bind(query, [v.value for v in substitutions], [list(substitutions.values())])
        text = with_prefixes(query, prefixes or {})
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"
        defaults = [default_graph] if isinstance(default_graph, ox.NamedNode) else default_graph
        form = query_form(text)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        media, body = self.http.query(
            text,
            accept="application/n-triples" if graph_form else "application/sparql-results+json",
            default_graphs=[g.value for g in defaults or ()],
            named_graphs=[g.value for g in named_graphs or ()],
        )
        if graph_form:
            return triples(body, media)
        results = solutions(body, media)
        if (
            form == "ASK"
            and isinstance(results, ox.QuerySolutions)
            and [v.value for v in results.variables] == [ASK_VARIABLE]
        ):
            return _TRUE if any(True for _ in results) else _FALSE
        return results

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        result = self.query(queries.GRAPH_EXISTS, substitutions={ox.Variable("g"): graph})
        return bool(result)

    def graphs(self) -> list[str]:
        """The application's graphs (those under `scope`)."""
        rows = self.query(
            queries.STORE_GRAPHS, substitutions={ox.Variable("scope"): ox.Literal(self.scope)}
        )
        return sorted(cast(ox.NamedNode, s["g"]).value for s in cast(ox.QuerySolutions, rows))

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every statement of the application's graphs, a page of graphs per request."""
        names = self.graphs()
        for start in range(0, len(names), GRAPHS_PER_PAGE):
            page = [[ox.NamedNode(g)] for g in names[start : start + GRAPHS_PER_PAGE]]
            text = bind(queries.GRAPH_STATEMENTS, ["g"], page)
            for sol in cast(ox.QuerySolutions, self.query(text)):
                yield ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"])

    def __len__(self) -> int:
        rows = self.query(
            queries.STORE_SIZE, substitutions={ox.Variable("scope"): ox.Literal(self.scope)}
        )
        return int(next(iter(cast(ox.QuerySolutions, rows)))["n"].value)

    def dump(
        self,
        output: IO[bytes],
        format: ox.RdfFormat,
        *,
        from_graph: ox.NamedNode | ox.DefaultGraph | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        if from_graph is None:
            ox.serialize(iter(self), output, format, prefixes=dict(prefixes or {}))
        elif isinstance(from_graph, ox.DefaultGraph):  # every statement is in a named graph
            ox.serialize([], output, format, prefixes=dict(prefixes or {}))
        else:
            result = self.query(
                queries.GRAPH_DOCUMENT, substitutions={ox.Variable("g"): from_graph}
            )
            ox.serialize(
                cast(ox.QueryTriples, result), output, format, prefixes=dict(prefixes or {})
            )


class RemoteWriter:
    """What `RemoteStore.write()` yields: the `Store` writes the admin endpoints use, each sent
    to the store at once (a remote store has no private staging copy)."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def update(self, text: str, *, prefixes: Mapping[str, str] | None = None) -> None:
        self.store.http.update(with_prefixes(text, prefixes or {}))

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return self.store.dataset.contains_named_graph(graph)

    def clear_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        target = None if isinstance(graph, ox.DefaultGraph) else str(graph)
        self.store.http.update(queries_update.clear_graph(target))

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.store.http.update(queries_update.drop_graph(str(graph)))

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        by_graph: dict[str, list[str]] = {}
        for q in quads:
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            by_graph.setdefault(name, []).append(f"{q.subject} {q.predicate} {q.object} .")
        ops = [op for g, lines in by_graph.items() for op in insert_ops(g or None, lines)]
        for request in batch(ops):
            self.store.http.update(request)

    bulk_extend = extend


class RemoteStore:
    """A `GraphStore` whose graph lives in an external SPARQL 1.1 store; `root` is None."""

    def __init__(self, settings: Settings, *, timeout: float = INTERNAL_TIMEOUT) -> None:
        self.root: Path | None = None
        self.settings = settings
        self.http = SparqlHttp(settings, timeout=timeout)
        self.dataset = RemoteDataset(self.http, scope=f"{settings.base}graph/")
        self._lock = threading.Lock()
        self._cached: tuple[float, StoreVersion] | None = None
        self._seen: dict[str, StoreVersion] = {}

    def public_queries(self, timeout: float) -> RemoteStore:
        """The store enforces its own limits: public queries run from threads on this same store
        with each HTTP request waiting at most `timeout` seconds."""
        return RemoteStore(self.settings, timeout=timeout)

    def current(self) -> ox.Store:
        # duck-typed: RemoteDataset answers the Store methods the application calls
        return cast(ox.Store, self.dataset)

    def version(self) -> StoreVersion:
        """Derived from the graphs' content hashes and ingest times, asked at most every
        VERSION_TTL seconds: caches keyed by it (search index, SPARQL answers, dumps) follow an
        ingest from another process within that time."""
        with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < VERSION_TTL:
                return self._cached[1]
        result = self.dataset.query(queries.STORE_STATE, prefixes=queries.PREFIXES)
        row = next(iter(cast(ox.QuerySolutions, result)), None)
        state = {v: row[v].value for v in ("graphs", "latest", "low", "high") if row and row[v]}
        name = "remote-" + hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
        with self._lock:
            version = self._seen.setdefault(
                name[:23], StoreVersion(name[:23], state.get("latest") or now())
            )
            self._cached = (time.monotonic(), version)
            return version

    def snapshot_path(self) -> None:
        return None

    @contextlib.contextmanager
    def write(self) -> Iterator[ox.Store]:
        """Writes go to the store as they are made: an error part-way leaves the earlier ones."""
        try:
            yield cast(ox.Store, RemoteWriter(self))
        finally:
            self._forget_version()

    def apply(self, changes: Sequence[GraphChange]) -> int:
        """Replace or drop named graphs: one update request per ~10,000 triples (Virtuoso
        commits each request as one transaction), or one Graph Store request per graph."""
        if not changes:
            return 0
        try:
            if self.settings.graph_store_endpoint:
                for change in changes:
                    self.http.put_graph(change.graph, change.ntriples)
            else:
                ops = [op for change in changes for op in replace_ops(change)]
                for request in batch(ops):
                    self.http.update(request)
        finally:
            self._forget_version()
        return len(changes)

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        with self.write() as writer:
            writer.bulk_extend(quads)

    def _forget_version(self) -> None:
        with self._lock:
            self._cached = None


# --- query text ---------------------------------------------------------------------------


def bind(query: str, variables: Sequence[str], rows: Sequence[Sequence[Term]]) -> str:
    """Bound values as a VALUES block at the start of the outermost WHERE group.

    Not a trailing VALUES clause: that joins after the group's FILTERs run, so a filter on a
    bound variable (`SAME_AS_RECORDS`: `STRSTARTS(STR(?same), ?prefix)`) would see it unbound.
    At the start of the group, every FILTER of that group sees the values. Terms are written in
    N-Triples syntax by pyoxigraph, which escapes them: a value cannot change the query.
    """
    for row in rows:
        for term in row:
            if not isinstance(term, ox.NamedNode | ox.Literal):
                raise TypeError(f"only IRIs and literals can be bound, not {term!r}")
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("a query with bound values needs a WHERE clause")
    head = " ".join(f"?{v}" for v in variables)
    body = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)
    values = f" VALUES ({head}) {{ {body} }}\n"
    return query[: match.end()] + values + query[match.end() :]


def with_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """Declare the prefixes the query does not declare itself (pyoxigraph's `prefixes=`)."""
    declared = set(_DECLARED.findall(query))
    lines = [f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in declared]
    return "".join(lines) + query


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (after the prologue); '' when none starts it."""
    rest = query[_PROLOGUE.match(query).end() :]  # type: ignore[union-attr]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word else ""


# --- results ------------------------------------------------------------------------------


def solutions(body: bytes, media: str) -> ox.QuerySolutions | ox.QueryBoolean:
    fmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
    if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _fix_blank_nodes(body)
    try:
        return ox.parse_query_results(body, fmt)
    except SyntaxError as exc:
        raise BadRequest(f"the SPARQL store sent results pyoxigraph cannot read: {exc}") from exc


def _fix_blank_nodes(body: bytes) -> bytes:
    """Virtuoso names blank nodes `nodeID://b1001`, which is not a blank node label."""
    data: dict[str, Any] = json.loads(body)
    for binding in data.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
    return json.dumps(data).encode()


def triples(body: bytes, media: str) -> ox.QueryTriples:
    """Graph results as pyoxigraph's own `QueryTriples` (callers check the type)."""
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    scratch = ox.Store()
    try:
        scratch.load(body, fmt)
    except SyntaxError as exc:
        raise BadRequest(f"the SPARQL store sent RDF pyoxigraph cannot read: {exc}") from exc
    return cast(ox.QueryTriples, scratch.query(queries_update.ALL_TRIPLES))


# --- updates ------------------------------------------------------------------------------


def replace_ops(change: GraphChange) -> list[tuple[str, int]]:
    """Update operations (text, triple count) that replace or drop one graph."""
    drop = (queries_update.drop_graph(f"<{change.graph}>"), 0)
    if not change.ntriples:
        return [drop]
    lines = [
        line.strip()
        for line in change.ntriples.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return [drop, *insert_ops(change.graph, lines)]


def insert_ops(graph: str | None, lines: list[str]) -> list[tuple[str, int]]:
    """INSERT DATA in chunks; statements with blank nodes together in one INSERT … WHERE {}
    (blank nodes are not allowed in Virtuoso's INSERT DATA, and a blank node split across two
    operations would become two)."""
    plain = [line for line in lines if not _BNODE_LINE.search(line)]
    blank = [line for line in lines if _BNODE_LINE.search(line)]
    ops = [
        (queries_update.insert_data(graph, chunk), len(chunk))
        for chunk in (plain[i : i + OP_TRIPLES] for i in range(0, len(plain), OP_TRIPLES))
    ]
    for chunk in blank_node_groups(blank):
        ops.append((queries_update.insert_where(graph, chunk), len(chunk)))
    return ops


def blank_node_groups(lines: list[str], *, most_nodes: int = BNODES_PER_OP) -> list[list[str]]:
    """Statements with blank nodes, in groups that keep every blank node whole (all statements
    naming it in one group, so it stays one node) with at most `most_nodes` blank nodes per
    group (unless one cluster alone has more): Virtuoso refuses an INSERT … WHERE whose blank
    nodes, each a variable there, pass its limit ("SQ156 … variables in state over the limit")."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    labels = [_BNODE.findall(line) for line in lines]
    for names in labels:
        for other in names[1:]:
            parent[root(other)] = root(names[0])
    clusters: dict[str, list[str]] = {}
    sizes: dict[str, set[str]] = {}
    for line, names in zip(lines, labels, strict=True):
        key = root(names[0]) if names else line
        clusters.setdefault(key, []).append(line)
        sizes.setdefault(key, set()).update(names)
    groups: list[list[str]] = []
    current: list[str] = []
    count = 0
    for key, members in clusters.items():
        if current and count + len(sizes[key]) > most_nodes:
            groups.append(current)
            current, count = [], 0
        current.extend(members)
        count += len(sizes[key])
    if current:
        groups.append(current)
    return groups


def batch(ops: list[tuple[str, int]]) -> Iterator[str]:
    """Operations joined into requests of about REQUEST_TRIPLES triples and at most REQUEST_OPS
    operations."""
    request: list[str] = []
    size = 0
    for text, count in ops:
        if request and (size + count > REQUEST_TRIPLES or len(request) >= REQUEST_OPS):
            yield " ;\n".join(request)
            request, size = [], 0
        request.append(text)
        size += count
    if request:
        yield " ;\n".join(request)
