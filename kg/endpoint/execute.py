"""Running one public query against a store and serialising at most `row_cap` rows.

Runs inside a worker process (`kg.endpoint.worker`) or, for an in-memory store, in a thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.endpoint import serialize
from kg.settings import Settings
from kg.sparql import run_query
from kg.sparql_syntax import shape, star_variables
from kg.store import GraphStore
from kg.vocab import RDF_NS

if TYPE_CHECKING:
    from kg.search import SearchService

#: the columns of a CONSTRUCT or DESCRIBE answered in a SELECT results format (the positions of
#: RDF 1.1 Concepts §3.1; a table-only client such as rasqal's `roqet -p` prints them as rows)
TRIPLE_VARIABLES = ("subject", "predicate", "object")

#: custom SPARQL functions, built lazily (the search index loads a model)
Functions = dict[ox.NamedNode, Callable[..., object]]


#: how answers are made, in their cache key and ETag: changed with what an answer to the same
#: query on the same data holds, so a client's copy from before is not confirmed by a 304 (a
#: review). "describe-parts": DESCRIBE gives a record's document parts (`with_parts`)
ANSWERS = "describe-parts"


@dataclass(frozen=True)
class QueryRequest:
    query: str
    media: str  # the media type to answer in, already negotiated
    row_cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    uses_search: bool = False  # the query calls rikg:similarity
    #: FROM / FROM NAMED in the query, as the guard's tokens said (None: not tokenised yet)
    has_dataset: bool | None = None
    #: the IRI relative IRIs resolve against when the query has no BASE (the public base)
    base_iri: str | None = None
    #: a page explaining the row cap, named in the head of a cut JSON or XML answer
    cap_link: str | None = None
    #: the same query on the same data gives the same answer (no RAND, NOW, UUID, STRUUID):
    #: only then is an answer kept and reused
    repeatable: bool = True

    def key(self, version: str) -> str:
        """A digest of everything the answer depends on (cache key and ETag), the way answers
        are made (`ANSWERS`) among it."""
        parts = [
            ANSWERS,
            version,
            self.query,
            self.media,
            str(self.row_cap),
            "|".join(self.default_graphs),
            "|".join(self.named_graphs),
            self.base_iri or "",
            self.cap_link or "",
        ]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Answer:
    body: bytes
    media: str
    version: str  # the store version the answer was computed on
    rows: int = 0
    truncated: bool = False
    elapsed: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class SearchFunctions:
    """`rikg:similarity` over the search index of the store as it is now: the index (and its
    model) loads on the first query that calls it, and follows later ingests."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self._store, self._settings = store, settings
        self._service: SearchService | None = None
        self._made: tuple[object, Functions] | None = None

    def __call__(self) -> Functions:
        # imported on the first rikg:similarity query, not at module level: query worker
        # processes import this module, and the search stack would add ~0.5 s to their start
        from kg.search import SearchService
        from kg.search.sparql import search_functions

        if self._service is None:
            self._service = SearchService(self._store, self._settings)
        index = self._service.index()
        if self._made is None or self._made[0] is not index:
            functions: Functions = search_functions(index)  # type: ignore[assignment]
            self._made = (index, functions)
        return self._made[1]

    def load(self) -> None:
        """Load now what a first `rikg:similarity` call would: the index, the model (its first
        encoding is slower than the next) and the language models of the query reading
        (`kg.search.understand`); not the spelling vocabulary, which it does not use. Raises
        the `KGError` of an index that cannot be loaded or built."""
        from kg.search.understand import understand

        self()
        assert self._service is not None
        index = self._service.index()
        index.encode_query(understand("warm up the language models", index.matcher).expanded())


def execute(
    store: GraphStore, request: QueryRequest, functions: Callable[[], Functions] | None = None
) -> Answer:
    """The answer to `request` on the store's published snapshot, at most `row_cap` rows.

    A CONSTRUCT or DESCRIBE asked for in a results format (`media` a SELECT format) answers a
    row per triple, columns `TRIPLE_VARIABLES`. SELECT answers in SPARQL JSON are written by
    pyoxigraph itself (`serialize.native_json`);
    other formats, and a JSON answer over `serialize.NATIVE_JSON_BUDGET` bytes (the query is
    then run again), row by row in Python. Raises the `KGError` of `run_query`."""
    graph = store.current()
    version = store.version().name

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return run_query(
            graph,
            request.query,
            default_graphs=list(request.default_graphs) or None,
            named_graphs=list(request.named_graphs) or None,
            custom_functions=functions() if functions and request.uses_search else None,
            has_dataset=request.has_dataset,  # the guard tokenised it: not again here
            base_iri=request.base_iri,
        )

    result = run()
    media, cap = request.media, request.row_cap
    if isinstance(result, ox.QueryBoolean):
        return Answer(serialize.boolean(bool(result), media), media, version, rows=1)
    if isinstance(result, ox.QuerySolutions):
        engine = [v.value for v in result.variables]
        order = _columns(request.query, engine)
        if media == serialize.JSON_MEDIA:
            columns = None if order is None else [engine[i] for i in order]
            native = serialize.native_json(result, cap, link=request.cap_link, variables=columns)
            if native is not None:
                return Answer(native[0], media, version, rows=native[1], truncated=native[2])
            again = run()  # too large to hold whole: again, row by row up to the cap
            assert isinstance(again, ox.QuerySolutions)  # the same query has the same form
            result = again
        head, more = serialize.take(result, cap)
        # a solution iterates its values in the order of `variables` (one call, not one each)
        rows: list[serialize.Row] = [tuple(sol) for sol in head]  # type: ignore[arg-type]
        variables = engine
        if order is not None:
            variables = [engine[i] for i in order]
            rows = [tuple(row[i] for i in order) for row in rows]
        body = serialize.solutions(variables, rows, media, truncated=more, link=request.cap_link)
        return Answer(body, media, version, rows=len(rows), truncated=more)
    # a graph is a set: DESCRIBE over the union default graph yields a triple once per graph
    # holding it, so repeats are dropped (in order) before the cap counts them
    answered: Iterable[ox.Triple] = result
    # the embedded store's (an external store's DESCRIBE is its own: README, "What differs")
    if isinstance(graph, ox.Store) and _describes_union(request):
        answered = with_parts(result, graph)
    triples, more = serialize.take(_distinct(answered), cap)
    if media in serialize.SOLUTION_MEDIA:  # asked for a table: a row per triple
        rows = [(t.subject, t.predicate, t.object) for t in triples]  # type: ignore[attr-defined]
        body = serialize.solutions(
            list(TRIPLE_VARIABLES), rows, media, truncated=more, link=request.cap_link
        )
    else:
        body = serialize.triples(triples, media)  # type: ignore[arg-type]
    return Answer(body, media, version, rows=len(triples), truncated=more)


def _columns(query: str, engine: list[str]) -> list[int] | None:
    """For a `SELECT *` query whose variables pyoxigraph lists otherwise than the query names
    them (`kg.sparql_syntax.star_variables`), the positions of `engine`'s variables in the
    query's order; else None (the engine's order stands)."""
    if "*" not in query or len(engine) < 2:
        return None
    named = star_variables(query)
    if named is None:
        return None
    rank = {name: i for i, name in enumerate(named)}
    order = sorted(range(len(engine)), key=lambda i: rank.get(engine[i], len(rank) + i))
    return None if order == list(range(len(engine))) else order


RDF_SUBJECT = ox.NamedNode(f"{RDF_NS}subject")


def _describes_union(request: QueryRequest) -> bool:
    """Whether the request is a DESCRIBE over the union of all graphs: no dataset from the
    protocol (`default-graph-uri`, `named-graph-uri`) nor from the query (FROM, FROM NAMED)."""
    if request.default_graphs or request.named_graphs:
        return False
    found = shape(request.query)  # the form: the guard tokenised the query for its dataset only
    dataset = found.has_dataset if request.has_dataset is None else request.has_dataset
    return found.form == "DESCRIBE" and not dataset


def with_parts(triples: Iterable[ox.Triple], graph: ox.Store) -> Iterator[ox.Triple]:
    """The triples of a DESCRIBE answer, then those of each described resource's parts: the
    resources of its own document, named `{iri}#…`, that its triples lead to (places,
    amounts) or that state something of it (its claims: `rdf:subject` it, each with its
    sources). pyoxigraph's DESCRIBE gives a resource's own triples, and these parts are IRIs,
    not the blank nodes a Concise Bounded Description follows: a researcher's trial found
    DESCRIBE of a practice without a single claim, where the sources' disagreements are. The
    record's data document (`/initiative/{slug}.ttl`) holds these and the labels of what it
    links to."""
    parts: dict[str, set[ox.NamedNode]] = {}
    for triple in triples:
        yield triple
        subject = triple.subject
        if isinstance(subject, ox.NamedNode) and "#" not in subject.value:
            own = parts.setdefault(subject.value, set())
            obj = triple.object
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(subject.value + "#"):
                own.add(obj)
    for iri, own in parts.items():
        for quad in graph.quads_for_pattern(None, RDF_SUBJECT, ox.NamedNode(iri)):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(iri + "#"):
                own.add(quad.subject)
        for part in sorted(own, key=lambda node: node.value):
            for quad in graph.quads_for_pattern(part, None, None):
                yield quad.triple


def _distinct(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """Each triple once, in the order first seen."""
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple
