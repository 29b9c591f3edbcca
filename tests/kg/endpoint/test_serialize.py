"""SPARQL results serialised by the W3C formats: JSON, XML, CSV, TSV."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from kg.endpoint.serialize import boolean, native_json, solutions, take

ROW = [ox.NamedNode("http://x/a"), ox.Literal('caf\u00e9, "bar"', language="fr"), None]
VARS = ["s", "label", "unbound"]
JSON = "application/sparql-results+json"


def test_take_says_whether_there_were_more() -> None:
    assert take(range(5), 3) == ([0, 1, 2], True)
    assert take(range(3), 3) == ([0, 1, 2], False)


def test_json_results_carry_types_languages_and_leave_unbound_out() -> None:
    doc = json.loads(solutions(VARS, [ROW], "application/sparql-results+json"))
    binding = doc["results"]["bindings"][0]
    assert doc["head"]["vars"] == VARS
    assert binding["s"] == {"type": "uri", "value": "http://x/a"}
    assert binding["label"] == {"type": "literal", "value": 'caf\u00e9, "bar"', "xml:lang": "fr"}
    assert "unbound" not in binding


def test_csv_quotes_commas_and_quotes_and_parses_back() -> None:
    body = solutions(VARS, [ROW], "text/csv").decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [VARS, ["http://x/a", 'caf\u00e9, "bar"', ""]]


def test_tsv_writes_terms_in_rdf_syntax() -> None:
    lines = solutions(VARS, [ROW], "text/tab-separated-values").decode().splitlines()
    assert lines[0] == "?s\t?label\t?unbound"
    assert lines[1].startswith("<http://x/a>\t")


def test_xml_results_are_well_formed_and_escaped() -> None:
    row = [ox.NamedNode("http://x/a"), ox.Literal("<b>&</b>"), None]
    root = ET.fromstring(solutions(VARS, [row], "application/sparql-results+xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert root.find(".//r:literal", ns).text == "<b>&</b>"  # type: ignore[union-attr]


def test_boolean_answers_in_each_format() -> None:
    assert json.loads(boolean(True, "application/sparql-results+json"))["boolean"] is True
    assert b"<boolean>false</boolean>" in boolean(False, "application/sparql-results+xml")
    assert boolean(True, "text/tab-separated-values") == b"?_askResult\ntrue\n"


def test_a_base_direction_is_kept_as_pyoxigraph_writes_it() -> None:
    """SPARQL 1.2 directional language strings (`"abc"@ar--rtl`): our JSON and XML carry
    `its:dir` exactly as pyoxigraph's own serialisers do (which the row cap keeps us from
    using)."""
    store = ox.Store()
    query = 'SELECT ?x { BIND("abc"@ar--rtl AS ?x) }'
    rows = [tuple(s) for s in store.query(query)]  # type: ignore[union-attr]
    ours_json = json.loads(solutions(["x"], rows, "application/sparql-results+json"))  # type: ignore[arg-type]
    native = store.query(query).serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
    assert ours_json == json.loads(native)  # type: ignore[arg-type]
    ours_xml = ET.fromstring(solutions(["x"], rows, "application/sparql-results+xml"))  # type: ignore[arg-type]
    xml_native = store.query(query).serialize(format=ox.QueryResultsFormat.XML)  # type: ignore[union-attr]
    literal, expected = (
        ours_xml.find(".//{*}literal"),
        ET.fromstring(xml_native).find(".//{*}literal"),
    )  # type: ignore[arg-type]
    assert literal is not None
    assert expected is not None
    assert literal.attrib == expected.attrib
    assert literal.text == expected.text == "abc"


TERMS_QUERY = """SELECT ?x ?y WHERE {
  VALUES (?x ?y) {
    (<http://x/a> "plain")
    ("caf\u00e9 \\"quoted\\"\\n"@fr 42)
    ("abc"@ar--rtl "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
    (<<( <http://x/s> <http://x/p> "o" )>> UNDEF)
  }
}"""


def _rows_and_vars(store: ox.Store, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [v.value for v in result.variables], [tuple(s) for s in result]


def test_pyoxigraphs_json_is_byte_for_byte_what_we_write_row_by_row() -> None:
    """The worker answers SPARQL JSON with pyoxigraph's serialiser and other formats with
    ours: a client must get the same document either way (IRIs, languages, escapes, typed
    literals, triple terms, unbound cells)."""
    store = ox.Store()
    variables, rows = _rows_and_vars(store, TERMS_QUERY)
    ours = solutions(variables, rows, JSON)  # type: ignore[arg-type]
    native = native_json(store.query(TERMS_QUERY), cap=10)  # type: ignore[arg-type]
    assert native == (ours, 4, False)


def test_native_json_past_the_cap_is_cut_and_flagged_as_row_by_row() -> None:
    store = ox.Store()
    variables, rows = _rows_and_vars(store, TERMS_QUERY)
    ours = solutions(variables, rows[:2], JSON, truncated=True)  # type: ignore[arg-type]
    assert native_json(store.query(TERMS_QUERY), cap=2) == (ours, 2, True)  # type: ignore[arg-type]


def test_native_json_gives_up_past_its_byte_budget() -> None:
    store = ox.Store()
    query = "SELECT ?n { VALUES ?n { " + " ".join(str(i) for i in range(5000)) + " } }"
    assert native_json(store.query(query), cap=10, budget=20_000) is None  # type: ignore[arg-type]
    assert native_json(store.query(query), cap=10, budget=10_000_000) is not None  # type: ignore[arg-type]
