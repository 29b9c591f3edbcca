"""Query results for `kg query`: a table for people, standard formats for programs."""

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.errors import BadRequest
from kg.results import render


def store() -> ox.Store:
    s = ox.Store()
    s.load(
        b'<http://x/a> <http://x/name> "Ana" .\n<http://x/b> <http://x/name> "B, Co" .',
        ox.RdfFormat.N_TRIPLES,
    )
    return s


QUERY = "SELECT ?s ?n WHERE { ?s <http://x/name> ?n } ORDER BY ?n"


def test_the_table_lines_up_columns_and_counts_rows() -> None:
    lines = render(store().query(QUERY)).splitlines()
    assert lines[0].split() == ["s", "n"]
    assert lines[2].startswith("http://x/a  ")
    assert lines[-1] == "(2 rows)"


def test_csv_and_json_are_the_w3c_formats() -> None:
    rows = list(csv.reader(io.StringIO(render(store().query(QUERY), "csv"))))
    assert rows[2] == ["http://x/b", "B, Co"]
    doc = json.loads(render(store().query(QUERY), "json"))
    assert doc["head"]["vars"] == ["s", "n"]


def test_graphs_default_to_turtle_and_ask_to_true_or_false() -> None:
    turtle = render(store().query("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert len(list(ox.parse(turtle, ox.RdfFormat.TURTLE))) == 2
    assert render(store().query("ASK { ?s ?p 'Ana' }")) == "true"


def test_an_unknown_format_names_the_ones_there_are() -> None:
    with pytest.raises(BadRequest, match="table, json, srj, xml, srx, csv, tsv"):
        render(store().query(QUERY), "yaml")
