"""How the W3C conformance runner (`bench/conformance.py`) compares answers: the comparisons
the suites ask for, each checked against a case the runner once got wrong."""

from __future__ import annotations

from pathlib import Path

from bench.conformance import (
    MF,
    PASSED,
    XSD,
    Answer,
    Case,
    Graph,
    cases,
    expected_answer,
    from_graphs,
    judge,
    literal_nt,
    same,
    triples_of,
)

SRX = "http://www.w3.org/2005/sparql-results#"


def rows(*values: str) -> Answer:
    return Answer(rows=[{"v": v} for v in values])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- literals by value, datatypes kept -------------------------------------------------------


def test_literals_compare_by_value_within_their_datatype() -> None:
    def nt(value: str, datatype: str) -> str:
        return literal_nt(value, datatype=XSD + datatype)

    assert nt("0", "boolean") == nt("false", "boolean")
    assert nt("1", "boolean") == nt("true", "boolean")
    assert nt("01", "integer") == nt("1", "integer")
    assert nt("1.0e0", "double") == nt("1", "double")
    assert nt("2006-08-23+00:00", "date") == nt("2006-08-23Z", "date")
    assert nt("2006-08-23T09:00:00+01:00", "dateTime") == nt("2006-08-23T08:00:00Z", "dateTime")
    # different values, or the same digits under another datatype, stay apart
    assert nt("1", "boolean") != nt("false", "boolean")
    assert nt("2006-08-23", "date") != nt("2006-08-23Z", "date")
    assert nt("2006-08-23T09:00:00+01:00", "dateTime") != nt("2006-08-23T09:00:00Z", "dateTime")
    assert nt("-3", "negativeInteger") != nt("-3", "integer")
    assert nt("1", "integer") != nt("1", "decimal")
    assert literal_nt("1") != nt("1", "integer")


def test_a_result_set_in_turtle_keeps_the_timezone_of_a_date(tmp_path: Path) -> None:
    """rdflib, which read these files before, drops an xsd:date's timezone while parsing."""
    ttl = write(
        tmp_path / "result.ttl",
        f"""@prefix rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#> .
@prefix xsd: <{XSD}> .
[] a rs:ResultSet ; rs:resultVariable "v" ;
   rs:solution [ rs:binding [ rs:variable "v" ; rs:value "2006-08-23Z"^^xsd:date ] ] ;
   rs:solution [ rs:binding [ rs:variable "v" ; rs:value "0"^^xsd:boolean ] ] .
""",
    )
    expected = expected_answer(ttl, "http://example/result.ttl")
    utc = literal_nt("2006-08-23+00:00", datatype=XSD + "date")
    false = literal_nt("false", datatype=XSD + "boolean")
    assert same(expected, rows(utc, false), ordered=False)
    floating = literal_nt("2006-08-23", datatype=XSD + "date")
    assert not same(expected, rows(floating, false), ordered=False)


# --- REDUCED: mf:LaxCardinality ---------------------------------------------------------------


def test_lax_cardinality_allows_between_one_and_all_duplicates() -> None:
    a, b = '"a"', '"b"'
    expected = rows(a, a, b)  # the solutions without REDUCED
    assert same(expected, rows(a, b), ordered=False, lax=True)
    assert same(expected, rows(a, a, b), ordered=False, lax=True)
    assert same(expected, rows(b, a), ordered=False, lax=True)
    assert not same(expected, rows(a, a, a, b), ordered=False, lax=True)  # more than all
    assert not same(expected, rows(a), ordered=False, lax=True)  # a solution missing
    assert not same(expected, rows(a, b, '"c"'), ordered=False, lax=True)  # one too many
    assert not same(expected, rows(a, b), ordered=False)  # without REDUCED: exact counts


def test_lax_cardinality_matches_blank_nodes_up_to_renaming() -> None:
    expected = rows("_:x", "_:x", "_:y")
    assert same(expected, rows("_:p", "_:q"), ordered=False, lax=True)
    assert not same(expected, rows("_:p"), ordered=False, lax=True)
    assert not same(expected, rows("_:p", "_:p", "_:p", "_:q"), ordered=False, lax=True)


def test_the_manifest_marks_reduced_tests_lax(tmp_path: Path) -> None:
    suites = tmp_path / "sparql"
    folder = suites / "sparql10" / "reduced"
    folder.mkdir(parents=True)
    write(folder / "q.rq", "SELECT REDUCED ?v { ?s ?p ?v }")
    write(folder / "data.ttl", "<http://e/s> <http://e/p> 1 .\n")
    write(folder / "result.srx", "")
    manifest = write(
        folder / "manifest.ttl",
        f"""@prefix mf: <{MF}> .
@prefix qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#> .
<> a mf:Manifest ; mf:entries (<#lax> <#exact>) .
<#lax> a mf:QueryEvaluationTest ; mf:name "lax" ;
    mf:resultCardinality mf:LaxCardinality ;
    mf:action [ qt:query <q.rq> ; qt:data <data.ttl> ] ; mf:result <result.srx> .
<#exact> a mf:QueryEvaluationTest ; mf:name "exact" ;
    mf:action [ qt:query <q.rq> ; qt:data <data.ttl> ] ; mf:result <result.srx> .
""",
    )
    assert {c.name: c.lax for c in cases(suites, manifest)} == {"lax": True, "exact": False}


# --- the test's data: one graph per file -----------------------------------------------------


def test_two_files_never_share_a_blank_node(tmp_path: Path) -> None:
    one = write(tmp_path / "g1.ttl", "_:x <http://e/p> 1 .\n")
    two = write(tmp_path / "g2.ttl", "_:x <http://e/p> 2 .\n")
    a = triples_of(Graph("http://e/g1", one, "http://e/g1"))
    b = triples_of(Graph("http://e/g2", two, "http://e/g2"))
    assert a[0].subject != b[0].subject


def test_a_graph_named_in_from_and_from_named_is_loaded_once(tmp_path: Path) -> None:
    query = write(tmp_path / "q.rq", "")
    write(tmp_path / "g.ttl", "_:x <http://e/p> 1 .\n")
    base = "https://w3c.github.io/rdf-tests/sparql/sparql10/dataset/q.rq"
    case = Case("sparql10/dataset", "t", "query", text_file=query, base=base)
    text = "SELECT * FROM <g.ttl> FROM NAMED <g.ttl> { ?s ?p ?o }"
    assert [g.iri for g in from_graphs(case, text)] == [
        "https://w3c.github.io/rdf-tests/sparql/sparql10/dataset/g.ttl"
    ]


def test_a_dataset_test_with_blank_nodes_in_two_graphs_passes_in_process(tmp_path: Path) -> None:
    """Two named graphs both writing `_:x`: the engine must see two blank nodes."""
    write(tmp_path / "g1.ttl", "_:x <http://e/p> 1 .\n")
    write(tmp_path / "g2.ttl", "_:x <http://e/p> 2 .\n")
    query = write(tmp_path / "q.rq", "SELECT (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    result = write(
        tmp_path / "result.srx",
        f"""<?xml version="1.0"?>
<sparql xmlns="{SRX}"><head><variable name="n"/></head><results>
<result><binding name="n"><literal datatype="{XSD}integer">2</literal></binding></result>
</results></sparql>
""",
    )
    base = "https://w3c.github.io/rdf-tests/sparql/sparql10/dataset/"
    case = Case(
        "sparql10/dataset",
        "two blank nodes",
        "query",
        text_file=query,
        base=base + "q.rq",
        data=[
            Graph(base + "g1.ttl", tmp_path / "g1.ttl", base + "g1.ttl"),
            Graph(base + "g2.ttl", tmp_path / "g2.ttl", base + "g2.ttl"),
        ],
        expected=result,
    )
    outcome = judge(case, None)
    assert (outcome.local, outcome.local_note) == (PASSED, "")
