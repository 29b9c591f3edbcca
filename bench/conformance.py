"""The W3C SPARQL 1.0 / 1.1 test suites, through a live `kg serve` and through pyoxigraph in
process, in the same run (issue 14).

    python -m bench.conformance PATH [--out table.md] [--json out.json]
    python -m bench.conformance PATH --show "sparql10/distinct/Numbers: Distinct"

Runs every query-evaluation, syntax (positive and negative, query and update),
update-evaluation and result-format test of each `manifest.ttl` under PATH (the `sparql/`
folder of a checkout of the W3C test suites, github.com/w3c/rdf-tests):

- **in process**: a fresh pyoxigraph `Store` per test, the test's data in its default graph and
  named graphs, the query run as the suite states it;
- **over HTTP**: one `kg serve` (admin token, temporary store) for the whole run. Before each
  test one SPARQL Update clears the store and loads the data (`INSERT DATA`); the query's
  dataset is given by the protocol parameters (`default-graph-uri` naming the graph the test's
  default data was loaded into, `named-graph-uri` each named graph), unless the query has FROM /
  FROM NAMED, which then decide; update tests load the real default graph and read it back with
  the Graph Store Protocol (`GET /rdf-graphs?default`).

Results are compared as the suites intend (W3C SPARQL 1.1 test suite, "Query Evaluation
Tests"): solution sequences as multisets (as lists when the query has ORDER BY), with REDUCED
tests (mf:LaxCardinality) allowing each solution between once and as often as expected; blank
nodes up to a consistent renaming; literals by value within their datatype (`canonical`);
graphs by isomorphism (rdflib); CSV, which keeps no datatypes, cell by cell as text. Each data
file is its own graph: blank nodes are never shared between two files. `--show` runs one test
in process and prints the query, the expected and the actual solutions where they differ.
Not applicable in both columns: tests the suites withdrew, entailment regimes, service
descriptions, protocol tests and federation (`SERVICE`, `LOAD` of remote data), which this
endpoint refuses by policy. Relative IRIs resolve against each file's place in the W3C
repository (`https://w3c.github.io/rdf-tests/sparql/…`), the same in both columns.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import decimal
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
DAWGT = "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
W3C_BASE = "https://w3c.github.io/rdf-tests/sparql/"
DEFAULT_GRAPH = "urn:x-kg-conformance:default"
TOKEN = "conformance-admin-token"

QUERY_EVAL = {f"{MF}QueryEvaluationTest", f"{MF}CSVResultFormatTest"}
UPDATE_EVAL = {f"{MF}UpdateEvaluationTest", f"{UT}UpdateEvaluationTest"}
SYNTAX = {
    f"{MF}PositiveSyntaxTest": (True, "query"),
    f"{MF}PositiveSyntaxTest11": (True, "query"),
    f"{MF}NegativeSyntaxTest": (False, "query"),
    f"{MF}NegativeSyntaxTest11": (False, "query"),
    f"{MF}PositiveUpdateSyntaxTest11": (True, "update"),
    f"{MF}NegativeUpdateSyntaxTest11": (False, "update"),
}
PASSED, FAILED, NA = "passed", "failed", "n/a"


@dataclass
class Graph:
    iri: str | None  # None: the default graph
    file: Path
    base: str


@dataclass
class Case:
    folder: str  # e.g. sparql11/bind
    name: str
    kind: str  # query, update, syntax-query, syntax-update, or n/a
    text_file: Path | None = None
    base: str = ""
    data: list[Graph] = field(default_factory=list)
    expected: Path | None = None  # query results or graph
    expected_data: list[Graph] = field(default_factory=list)  # update results
    positive: bool = True
    lax: bool = False  # mf:resultCardinality mf:LaxCardinality (REDUCED)
    reason: str = ""  # why not applicable


@dataclass
class Outcome:
    case: Case
    local: str
    http: str
    local_note: str = ""
    http_note: str = ""


# --- manifests ---------------------------------------------------------------------------


def w3c_iri(root: Path, path: Path) -> str:
    return W3C_BASE + path.resolve().relative_to(root.resolve()).as_posix()


def manifests(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*/manifest.ttl"))


def cases(root: Path, manifest: Path) -> Iterator[Case]:
    base = w3c_iri(root, manifest)
    g = rdflib.Graph().parse(manifest, format="turtle", publicID=base)
    folder = manifest.parent.relative_to(root).as_posix()
    top = next(g.subjects(rdflib.RDF.type, rdflib.URIRef(f"{MF}Manifest")), None)
    entries = next(g.objects(top, rdflib.URIRef(f"{MF}entries")), None) if top else None
    if entries is None:
        return
    for entry in rdflib.collection.Collection(g, entries):
        yield _case(g, entry, folder, root, manifest.parent)


def _file(root: Path, folder: Path, iri: object) -> Path:
    text = str(iri)
    if text.startswith(W3C_BASE):
        return root / text[len(W3C_BASE) :]
    return folder / text.rsplit("/", 1)[-1]


def _case(g: rdflib.Graph, entry: object, folder: str, root: Path, here: Path) -> Case:
    def one(s: object, p: str) -> object | None:
        return next(g.objects(s, rdflib.URIRef(p)), None)  # type: ignore[arg-type]

    types = {str(t) for t in g.objects(entry, rdflib.RDF.type)}  # type: ignore[arg-type]
    name = str(one(entry, f"{MF}name") or entry)
    case = Case(folder, name, "n/a")
    approval = str(one(entry, f"{DAWGT}approval") or "")
    if approval.endswith("Withdrawn") or approval.endswith("Rejected"):
        case.reason = "withdrawn by the working group"
        return case
    if "entailment" in folder or (
        one(entry, f"{MF}requires") and "Entailment" in str(one(entry, f"{MF}requires"))
    ):
        case.reason = "entailment regime (not offered)"
        return case
    action = one(entry, f"{MF}action")
    result = one(entry, f"{MF}result")
    for t in types:
        if t in SYNTAX:
            case.positive, what = SYNTAX[t]
            case.text_file = _file(root, here, action)
            # SPARQL 1.1's negative syntax tests include updates (.ru) typed as query tests
            case.kind = "syntax-update" if case.text_file.suffix == ".ru" else f"syntax-{what}"
            case.base = w3c_iri(root, case.text_file)
            return case
    if types & QUERY_EVAL:
        case.kind = "query"
        case.text_file = _file(root, here, one(action, f"{QT}query"))
        case.base = w3c_iri(root, case.text_file)
        for d in g.objects(action, rdflib.URIRef(f"{QT}data")):  # type: ignore[arg-type]
            f = _file(root, here, d)
            case.data.append(Graph(None, f, w3c_iri(root, f)))
        for d in g.objects(action, rdflib.URIRef(f"{QT}graphData")):  # type: ignore[arg-type]
            f = _file(root, here, d)
            case.data.append(Graph(w3c_iri(root, f), f, w3c_iri(root, f)))
        case.expected = _file(root, here, result) if result is not None else None
        case.lax = str(one(entry, f"{MF}resultCardinality")) == f"{MF}LaxCardinality"
        return case
    if types & UPDATE_EVAL:
        case.kind = "update"
        case.text_file = _file(root, here, one(action, f"{UT}request"))
        case.base = w3c_iri(root, case.text_file)
        case.data = _update_graphs(g, action, root, here)
        case.expected_data = _update_graphs(g, result, root, here)
        return case
    case.reason = (
        "not a query, update, syntax or result-format test ("
        + ", ".join(t.rsplit("#", 1)[-1] for t in sorted(types))
        + ")"
    )
    return case


def _update_graphs(g: rdflib.Graph, node: object, root: Path, here: Path) -> list[Graph]:
    out = []
    for d in g.objects(node, rdflib.URIRef(f"{UT}data")):  # type: ignore[arg-type]
        f = _file(root, here, d)
        out.append(Graph(None, f, w3c_iri(root, f)))
    for gd in g.objects(node, rdflib.URIRef(f"{UT}graphData")):  # type: ignore[arg-type]
        f = _file(root, here, next(g.objects(gd, rdflib.URIRef(f"{UT}graph"))))
        label = next(g.objects(gd, rdflib.URIRef(f"{RDFS}label")), None)
        out.append(Graph(str(label) if label else w3c_iri(root, f), f, w3c_iri(root, f)))
    return out


# --- what a test reads ---------------------------------------------------------------------


def rdf_format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.RDF_XML if path.suffix in (".rdf", ".xml") else ox.RdfFormat.TURTLE


def triples_of(graph: Graph) -> list[ox.Triple]:
    """The file's triples, its blank nodes fresh: two files never share a blank node, even
    when both write `_:x` (each file is its own RDF graph; RDF 1.1 Concepts §3.5)."""
    quads = ox.parse(
        path=str(graph.file),
        format=rdf_format(graph.file),
        base_iri=graph.base,
        rename_blank_nodes=True,
    )
    return [q.triple for q in quads]


def with_base(text: str, base: str) -> str:
    """The query or update with its file's IRI as BASE (unless it states its own)."""
    return text if re.match(r"\s*BASE\b", text, re.I) else f"BASE <{base}>\n{text}"


def has_from(text: str) -> bool:
    from kg.sparql_syntax import shape

    return shape(text).has_dataset


def uses_federation(text: str) -> bool:
    from kg.sparql_syntax import shape

    return bool(shape(text).keywords & {"SERVICE", "LOAD"})


# --- normalised answers ----------------------------------------------------------------------

Row = dict[str, str]  # variable → term in N-Triples syntax


@dataclass
class Answer:
    boolean: bool | None = None
    rows: list[Row] | None = None
    graph: rdflib.Graph | None = None


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {
    f"{XSD}{t}"
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}  # fmt: skip
NUMERIC = INTEGERS | {f"{XSD}decimal", f"{XSD}float", f"{XSD}double"}
TIMEZONED = {
    f"{XSD}{t}" for t in ("date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay")
}


def canonical(value: str, datatype: str | None) -> str:
    """The lexical form of a literal's value, so that two literals of one datatype compare
    equal exactly when their values are equal: numbers by value ("01"^^xsd:integer as "1",
    "1.0e0"^^xsd:double as "1"), booleans as `true` / `false` ("1" as "true"), a zero
    timezone as `Z` ("2006-08-23+00:00"^^xsd:date as "2006-08-23Z"), a timezoned
    xsd:dateTime in UTC. The suites compare literals by value and allow runners to write
    both sides canonically (W3C SPARQL 1.1 test suite, "Query Evaluation Tests"). The datatype
    itself is never changed: "-3"^^xsd:negativeInteger is not "-3"^^xsd:integer. A lexical
    form that is not valid for its datatype is kept as it is."""
    text = value.strip()
    if datatype in NUMERIC:
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            return value
        if not number.is_finite():
            return value
        return "0" if number == 0 else format(number.normalize(), "f")
    if datatype == f"{XSD}boolean":
        return {"1": "true", "0": "false"}.get(text, value)
    if datatype == f"{XSD}dateTime":
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return value
        if moment.tzinfo is None:
            return moment.isoformat()
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat() + "Z"
    if datatype in TIMEZONED:
        return re.sub(r"[+-]00:00$", "Z", text)
    return value


def literal_nt(value: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples with its value written canonically (`canonical`) and its
    language tag in lower case (tags are case-insensitive, RDF 1.1 Concepts §3.3)."""
    if language:
        return str(ox.Literal(value, language=language.lower()))
    value = canonical(value, datatype)
    if datatype and datatype != f"{XSD}string":
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


def term_nt(term: object) -> str:
    if isinstance(term, ox.Literal):
        return literal_nt(term.value, language=term.language, datatype=term.datatype.value)
    return str(term)


def from_results(result: object) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            rows.append({n: term_nt(sol[n]) for n in names if sol[n] is not None})
        return Answer(rows=rows)
    assert isinstance(result, ox.QueryTriples)
    return Answer(graph=to_rdflib(list(result)))


def to_rdflib(triples: Sequence[ox.Triple]) -> rdflib.Graph:
    text = "".join(f"{t} .\n" for t in triples)
    return rdflib.Graph().parse(data=text, format="nt")


def expected_answer(path: Path, base: str) -> Answer:
    suffix = path.suffix
    if suffix in (".srx", ".srj", ".tsv"):
        fmt = {
            ".srx": ox.QueryResultsFormat.XML,
            ".srj": ox.QueryResultsFormat.JSON,
            ".tsv": ox.QueryResultsFormat.TSV,
        }[suffix]
        return from_results(ox.parse_query_results(path=str(path), format=fmt))
    if suffix == ".csv":
        return Answer(rows=csv_rows(path.read_bytes()))
    # parsed by pyoxigraph, not rdflib: rdflib rewrites lexical forms as it reads (and drops
    # the timezone of an xsd:date), where `canonical` must see them as written
    triples = [q.triple for q in ox.parse(path=str(path), format=rdf_format(path), base_iri=base)]
    index: dict[tuple[str, str], list[ox.Triple]] = collections.defaultdict(list)
    for t in triples:
        index[(str(t.subject), t.predicate.value)].append(t)

    def objects(subject: object, predicate: str) -> list[object]:
        return [t.object for t in index[(str(subject), predicate)]]

    result_set = next(
        (
            t.subject
            for t in triples
            if t.predicate.value == f"{RDF}type" and str(t.object) == f"<{RS}ResultSet>"
        ),
        None,
    )
    if result_set is None:
        return Answer(graph=to_rdflib(triples))
    boolean = objects(result_set, f"{RS}boolean")
    if boolean:
        assert isinstance(boolean[0], ox.Literal)
        return Answer(boolean=canonical(boolean[0].value, f"{XSD}boolean") == "true")
    indexed = []
    for sol in objects(result_set, f"{RS}solution"):
        row = {}
        for b in objects(sol, f"{RS}binding"):
            (var,) = objects(b, f"{RS}variable")
            (value,) = objects(b, f"{RS}value")
            assert isinstance(var, ox.Literal)
            row[var.value] = term_nt(value)
        position = objects(sol, f"{RS}index")
        indexed.append((int(position[0].value) if position else 0, row))  # type: ignore[attr-defined]
    indexed.sort(key=lambda r: r[0])
    return Answer(rows=[r for _, r in indexed])


def csv_rows(body: bytes) -> list[Row]:
    """CSV results as rows of plain strings (CSV loses term types; blank nodes keep `_:`)."""
    import csv
    import io

    reader = csv.reader(io.StringIO(body.decode()))
    header = next(reader, [])
    rows = []
    for rec in reader:
        rows.append({h: v for h, v in zip(header, rec, strict=False) if v})
    return rows


def same(expected: Answer, actual: Answer, *, ordered: bool, lax: bool = False) -> bool:
    """`lax`: the test's mf:resultCardinality is mf:LaxCardinality (`lax_rows_match`)."""
    if expected.boolean is not None or actual.boolean is not None:
        return expected.boolean == actual.boolean
    if expected.graph is not None or actual.graph is not None:
        if expected.graph is None or actual.graph is None:
            return False
        return isomorphic(expected.graph, actual.graph)
    if lax:
        return lax_rows_match(expected.rows or [], actual.rows or [])
    return rows_match(expected.rows or [], actual.rows or [], ordered=ordered)


def lax_rows_match(expected: list[Row], actual: list[Row]) -> bool:
    """REDUCED may drop some duplicates, all or none: each solution of `expected` (which
    holds them as often as the query without REDUCED gives them) must come at least once and
    at most as often as there, and no other solution may come (W3C SPARQL 1.1 test suite,
    "Query Evaluation Tests", mf:LaxCardinality). Blank nodes: the distinct solutions are
    matched up to a consistent renaming, then counted under that renaming."""

    def key(row: Row) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(row.items()))

    want = collections.Counter(map(key, expected))
    have = collections.Counter(map(key, actual))
    distinct_want = [dict(k) for k in want]
    distinct_have = [dict(k) for k in have]
    mapping = _row_bijection(distinct_want, distinct_have)
    if mapping is None:
        return False
    for i, j in enumerate(mapping):
        n = have[key(distinct_have[j])]
        if not 1 <= n <= want[key(distinct_want[i])]:
            return False
    return True


def _row_bijection(expected: list[Row], actual: list[Row]) -> list[int] | None:
    """For each row of `expected`, the row of `actual` it is, up to a consistent renaming of
    blank nodes; None when there is no such one-to-one matching."""
    if len(expected) != len(actual):
        return None

    def search(i: int, mapping: dict[str, str], used: list[int]) -> list[int] | None:
        if i == len(expected):
            return used
        for j in range(len(actual)):
            if j in used:
                continue
            trial = _extend(expected[i], actual[j], mapping)
            if trial is not None:
                found = search(i + 1, trial, [*used, j])
                if found is not None:
                    return found
        return None

    return search(0, {}, [])


def rows_match(expected: list[Row], actual: list[Row], *, ordered: bool) -> bool:
    """Equal up to a consistent renaming of blank nodes (ordered: in the same order)."""
    if len(expected) != len(actual):
        return False

    def shape(row: Row) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, "_:" if v.startswith("_:") else v) for k, v in row.items()))

    if collections.Counter(map(shape, expected)) != collections.Counter(map(shape, actual)):
        return False
    if ordered and [shape(r) for r in expected] != [shape(r) for r in actual]:
        return False
    if not any(v.startswith("_:") for r in expected for v in r.values()):
        return True
    return _bijection(expected, actual, 0, {}, set(), ordered)


def _bijection(
    exp: list[Row], act: list[Row], i: int, mapping: dict[str, str], used: set[int], ordered: bool
) -> bool:
    if i == len(exp):
        return True
    candidates = [i] if ordered else [j for j in range(len(act)) if j not in used]
    for j in candidates:
        trial = _extend(exp[i], act[j], mapping)
        if trial is not None and _bijection(exp, act, i + 1, trial, used | {j}, ordered):
            return True
    return False


def _extend(e: Row, a: Row, mapping: dict[str, str]) -> dict[str, str] | None:
    if e.keys() != a.keys():
        return None
    out = dict(mapping)
    taken = set(out.values())
    for k, v in e.items():
        w = a[k]
        if v.startswith("_:") and w.startswith("_:"):
            if v in out:
                if out[v] != w:
                    return None
            elif w in taken:
                return None
            else:
                out[v] = w
                taken.add(w)
        elif v != w:
            return None
    return out


def ordered_query(text: str) -> bool:
    return bool(re.search(r"\bORDER\s+BY\b", text, re.I))


# --- in process ----------------------------------------------------------------------------


def load_local(case: Case, query: str) -> ox.Store:
    store = ox.Store()
    for g in case.data:
        name = ox.NamedNode(g.iri) if g.iri else ox.DefaultGraph()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples_of(g))
    for g in from_graphs(case, query):
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g.iri or ""))
            for t in triples_of(g)
        )
    return store


def from_graphs(case: Case, query: str) -> list[Graph]:
    """The files a query names in FROM / FROM NAMED, loaded under their IRIs: each once, even
    when named by both (its triples and blank nodes are then those of one graph), and none the
    manifest already loads as a named graph."""
    if not has_from(query):
        return []
    known = {g.iri for g in case.data if g.iri}
    out = []
    for iri in re.findall(r"FROM\s+(?:NAMED\s+)?<([^>]*)>", query, re.I):
        resolved = iri if "://" in iri else case.base.rsplit("/", 1)[0] + "/" + iri
        if resolved.startswith(W3C_BASE) and resolved not in known:
            path = case.text_file.parent if case.text_file else Path()
            file = path / resolved.rsplit("/", 1)[-1]
            if file.exists():
                out.append(Graph(resolved, file, resolved))
                known.add(resolved)
    return out


def run_local(case: Case) -> tuple[str, str]:
    assert case.text_file is not None
    text = with_base(case.text_file.read_text(encoding="utf-8"), case.base)
    if case.kind.startswith("syntax"):
        try:
            if case.kind == "syntax-query":
                ox.Store().query(text)  # parsed, not iterated: SERVICE sends nothing
            else:
                ox.Store().update(text)
        except SyntaxError as exc:
            return (FAILED, str(exc)[:200]) if case.positive else (PASSED, "")
        except Exception:
            pass
        return (PASSED, "") if case.positive else (FAILED, "accepted a malformed text")
    if case.kind == "query":
        store = load_local(case, text)
        result = store.query(text)
        assert case.expected is not None
        actual = _local_answer(result, case.expected)
        expected = expected_answer(case.expected, w3c_iri_of(case.expected, case))
        ok = same(expected, actual, ordered=ordered_query(text), lax=case.lax)
        return (PASSED, "") if ok else (FAILED, "different answer")
    store = load_local(case, "")
    store.update(text)
    return _compare_dataset(case, _local_dataset(store))


def w3c_iri_of(path: Path, case: Case) -> str:
    return case.base.rsplit("/", 1)[0] + "/" + path.name


def _local_answer(result: object, expected: Path) -> Answer:
    if expected.suffix == ".csv":
        assert isinstance(result, ox.QuerySolutions)
        return Answer(rows=csv_rows(result.serialize(format=ox.QueryResultsFormat.CSV) or b""))
    return from_results(result)


def _local_dataset(store: ox.Store) -> dict[str | None, rdflib.Graph]:
    graphs: dict[str | None, list[ox.Triple]] = collections.defaultdict(list)
    for q in store:
        key = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs[key].append(q.triple)
    return {k: to_rdflib(v) for k, v in graphs.items()}


def _compare_dataset(case: Case, actual: dict[str | None, rdflib.Graph]) -> tuple[str, str]:
    expected: dict[str | None, list[ox.Triple]] = collections.defaultdict(list)
    for g in case.expected_data:
        expected[g.iri].extend(triples_of(g))
    want = {k: to_rdflib(v) for k, v in expected.items() if v}
    have = {k: v for k, v in actual.items() if len(v)}
    if want.keys() != have.keys():
        return FAILED, f"graphs {sorted(map(str, have))} instead of {sorted(map(str, want))}"
    for k, graph in want.items():
        if not isomorphic(graph, have[k]):
            return FAILED, f"graph {k or 'default'} differs"
    return PASSED, ""


# --- over HTTP -----------------------------------------------------------------------------


class Live:
    """A `kg serve` on a loopback port with a temporary store and an admin token."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{port}/"
        env = {
            **os.environ,
            "KG_STORE": str(workdir / "store"),
            "KG_CACHE_DIR": str(workdir / "cache"),
            "KG_DATA_DIR": str(workdir / "data"),
            "KG_BASE_URI": self.url,
            "KG_PORT": str(port),
            "KG_ADMIN_TOKEN": TOKEN,
            "KG_RATE_LIMIT_PER_MINUTE": "0",
            "KG_SPARQL_ROW_CAP": "100000",
            "KG_SPARQL_TIMEOUT": "20",
        }
        self.log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=self.url, timeout=60)
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.client.get("healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((workdir / "server.log").read_text())
            time.sleep(0.3)
        self.auth = {"Authorization": f"Bearer {TOKEN}"}
        self.loaded: tuple[object, ...] | None = None  # what the store holds, if known

    def update(self, text: str) -> httpx.Response:
        self.loaded = None  # an update may change anything
        return self.client.post(
            "sparql",
            content=text.encode(),
            headers={**self.auth, "Content-Type": "application/sparql-update"},
        )

    def reset(self, graphs: list[Graph], *, default_as: str | None) -> None:
        """Clear the store and load `graphs` in one update (`default_as`: the graph that holds
        the test's default data; None for the store's real default graph). Skipped when the
        store already holds exactly that (consecutive tests often share their data)."""
        wanted = (default_as, *((g.iri, str(g.file)) for g in graphs))
        if wanted == self.loaded:
            return
        parts = []
        for g in graphs:
            body = "".join(f"{t} .\n" for t in triples_of(g))
            name = g.iri or default_as
            parts.append(f"GRAPH <{name}> {{\n{body}}}" if name else body)
        text = "DROP SILENT ALL"
        if any(parts):
            text += " ;\nINSERT DATA {\n" + "\n".join(parts) + "\n}"
        r = self.update(text)
        if r.status_code != 204:
            raise RuntimeError(f"loading the test data failed: {r.status_code} {r.text[:300]}")
        self.loaded = wanted

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def run_http(live: Live, case: Case) -> tuple[str, str]:
    assert case.text_file is not None
    text = with_base(case.text_file.read_text(encoding="utf-8"), case.base)
    if case.kind.startswith("syntax"):
        if case.kind == "syntax-query":
            r = live.client.post(
                "sparql",
                content=text.encode(),
                headers={"Content-Type": "application/sparql-query"},
            )
        else:
            live.reset([], default_as=None)
            r = live.update(text)
        syntax_error = r.status_code == 400 and "QuerySyntaxError" in r.text
        if case.positive:  # parsed: any answer but a syntax error (evaluation may still fail)
            return (FAILED, _why(r)) if syntax_error or r.status_code >= 500 else (PASSED, "")
        return (PASSED, "") if syntax_error else (FAILED, f"answered {r.status_code}")
    if case.kind == "query":
        assert case.expected is not None
        extra = from_graphs(case, text)
        live.reset(case.data + extra, default_as=DEFAULT_GRAPH)
        params: dict[str, str | list[str]] = {}
        if not has_from(text):
            params["default-graph-uri"] = DEFAULT_GRAPH
            params["named-graph-uri"] = [g.iri for g in case.data if g.iri]
        suffix = case.expected.suffix
        accept = {
            ".csv": "text/csv",
            ".tsv": "text/tab-separated-values",
        }.get(suffix, "application/sparql-results+json, application/n-triples;q=0.9")
        r = live.client.post(
            "sparql",
            params=params,
            content=text.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        if r.status_code != 200:
            return FAILED, _why(r)
        actual = _http_answer(r, suffix)
        expected = expected_answer(case.expected, w3c_iri_of(case.expected, case))
        ok = same(expected, actual, ordered=ordered_query(text), lax=case.lax)
        return (PASSED, "") if ok else (FAILED, "different answer")
    live.reset(case.data, default_as=None)
    r = live.update(text)
    if r.status_code != 204:
        return FAILED, _why(r)
    return _compare_dataset(case, _http_dataset(live))


def _why(r: httpx.Response) -> str:
    try:
        return f"{r.status_code} {r.json().get('message', '')[:200]}"
    except ValueError:
        return f"{r.status_code} {r.text[:200]}"


def _http_answer(r: httpx.Response, suffix: str) -> Answer:
    media = r.headers.get("content-type", "").split(";")[0]
    if media == "text/csv":
        return Answer(rows=csv_rows(r.content))
    if media == "text/tab-separated-values":
        return from_results(ox.parse_query_results(r.content, ox.QueryResultsFormat.TSV))
    if media == "application/n-triples":
        return Answer(graph=rdflib.Graph().parse(data=r.text, format="nt"))
    return from_results(ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON))


def _http_dataset(live: Live) -> dict[str | None, rdflib.Graph]:
    out: dict[str | None, rdflib.Graph] = {}
    d = live.client.get("rdf-graphs?default", headers={"Accept": "application/n-triples"})
    out[None] = rdflib.Graph().parse(data=d.text, format="nt")
    r = live.client.get(
        "sparql",
        params={"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
    graphs: dict[str, list[ox.Triple]] = collections.defaultdict(list)
    for sol in rows:  # type: ignore[union-attr]
        graphs[sol["g"].value].append(ox.Triple(sol["s"], sol["p"], sol["o"]))
    out.update({k: to_rdflib(v) for k, v in graphs.items()})
    return out


# --- the run -------------------------------------------------------------------------------


def judge(case: Case, live: Live | None) -> Outcome:
    if case.kind == "n/a":
        return Outcome(case, NA, NA, case.reason, case.reason)
    assert case.text_file is not None
    text = case.text_file.read_text(encoding="utf-8")
    if uses_federation(text):
        why = "federation (SERVICE / LOAD) is refused by this endpoint's policy"
        return Outcome(case, NA, NA, why, why)
    try:
        local, local_note = run_local(case)
    except Exception as exc:  # an engine error is a failed test, named in the report
        local, local_note = FAILED, f"{type(exc).__name__}: {str(exc)[:200]}"
    if live is None:
        return Outcome(case, local, NA, local_note, "not run")
    try:
        http, http_note = run_http(live, case)
    except Exception as exc:
        http, http_note = FAILED, f"{type(exc).__name__}: {str(exc)[:200]}"
    return Outcome(case, local, http, local_note, http_note)


def run(root: Path, *, http: bool = True) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="kg-conformance-") as tmp:
        live = Live(Path(tmp)) if http else None
        try:
            for manifest in manifests(root):
                for case in cases(root, manifest):
                    outcomes.append(judge(case, live))
        finally:
            if live is not None:
                live.close()
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    """Markdown: per manifest folder, passed / failed / n/a in process and over HTTP."""
    rows: dict[str, list[int]] = collections.defaultdict(lambda: [0] * 6)
    index = {PASSED: 0, FAILED: 1, NA: 2}
    for o in outcomes:
        counts = rows[o.case.folder]
        counts[index[o.local]] += 1
        counts[3 + index[o.http]] += 1
    lines = [
        "| manifest folder | in process: passed | failed | n/a | HTTP: passed | failed | n/a |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total = [0] * 6
    for folder in sorted(rows):
        counts = rows[folder]
        total = [a + b for a, b in zip(total, counts, strict=True)]
        lines.append(f"| {folder} | " + " | ".join(map(str, counts)) + " |")
    lines.append("| **all** | " + " | ".join(f"**{n}**" for n in total) + " |")
    return "\n".join(lines)


def differences(outcomes: list[Outcome]) -> list[Outcome]:
    """Tests that pass in process but fail over HTTP."""
    return [o for o in outcomes if o.local == PASSED and o.http == FAILED]


def show(root: Path, which: str) -> str:
    """One test run in process, for reading why it fails: `which` is "folder/name" (e.g.
    "sparql10/reduced/SELECT REDUCED *"). Returns the query text, then the solutions only the
    expected answer has and those only the actual one has (or the two booleans / graphs).
    Raises LookupError when no test has that folder and name."""
    for manifest in manifests(root):
        for case in cases(root, manifest):
            if f"{case.folder}/{case.name}" != which:
                continue
            if case.kind != "query" or case.text_file is None or case.expected is None:
                outcome = judge(case, None)
                return f"{which}: {case.kind} test, {outcome.local} {outcome.local_note}".strip()
            text = with_base(case.text_file.read_text(encoding="utf-8"), case.base)
            out = [f"# {which}", text.rstrip(), f"# outcome: {judge(case, None).local}"]
            try:
                actual = _local_answer(load_local(case, text).query(text), case.expected)
            except Exception as exc:  # the engine's error is the answer to show
                return "\n".join([*out, f"# pyoxigraph: {type(exc).__name__}: {exc}"])
            expected = expected_answer(case.expected, w3c_iri_of(case.expected, case))
            if expected.rows is None or actual.rows is None:
                for label, answer in (("expected", expected), ("actual", actual)):
                    body = answer.graph.serialize(format="nt") if answer.graph else answer.boolean
                    out += [f"# {label}", str(body)]
                return "\n".join(out)

            def key(row: Row) -> str:
                return "  ".join(f"?{k}={v}" for k, v in sorted(row.items()))

            want = collections.Counter(map(key, expected.rows))
            have = collections.Counter(map(key, actual.rows))
            out.append(f"# {len(expected.rows)} rows expected, {len(actual.rows)} returned")
            out += ["# only expected", *sorted((want - have).elements())]
            out += ["# only returned", *sorted((have - want).elements())]
            return "\n".join(out)
    raise LookupError(f"no test {which!r} under {root}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conformance", description=__doc__)
    parser.add_argument("path", type=Path, help="the folder holding sparql10/ and sparql11/")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--json", type=Path, help="write every outcome here")
    parser.add_argument("--no-http", action="store_true", help="in process only")
    parser.add_argument("--show", metavar="FOLDER/NAME", help="explain one test (in process)")
    args = parser.parse_args(argv)
    root = args.path / "sparql" if (args.path / "sparql").is_dir() else args.path
    if not any(root.glob("*/*/manifest.ttl")):
        parser.error(f"{args.path}: no */*/manifest.ttl (expected the W3C SPARQL test suites)")
    if args.show:
        try:
            print(show(root, args.show))
        except LookupError as exc:
            parser.error(str(exc))
        return 0
    started = time.perf_counter()
    outcomes = run(root, http=not args.no_http)
    text = table(outcomes)
    print(text)
    print(f"\n{len(outcomes)} tests in {time.perf_counter() - started:.0f} s")
    gaps = differences(outcomes)
    for o in gaps:
        print(f"passes in process, fails over HTTP: {o.case.folder}: {o.case.name}: {o.http_note}")
    if args.out:
        args.out.write_text(text + "\n")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "folder": o.case.folder,
                        "name": o.case.name,
                        "kind": o.case.kind,
                        "local": o.local,
                        "http": o.http,
                        "local_note": o.local_note,
                        "http_note": o.http_note,
                    }
                    for o in outcomes
                ],
                indent=1,
            )
        )
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
