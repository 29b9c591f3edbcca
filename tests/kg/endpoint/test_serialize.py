"""SPARQL results serialised by the W3C formats: JSON, XML, CSV, TSV."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from kg.endpoint.serialize import boolean, solutions, take

ROW = [ox.NamedNode("http://x/a"), ox.Literal('caf\u00e9, "bar"', language="fr"), None]
VARS = ["s", "label", "unbound"]


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
