"""Running one public query on a store: answers in the negotiated format, capped, versioned."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.endpoint import execute as execute_module
from kg.endpoint import serialize
from kg.endpoint.execute import QueryRequest, execute
from kg.store import LocalStore
from tests.conftest import ingested

RIKG = rdflib.Namespace("https://w3id.org/rikg/ns#")

NT = "".join(f'<http://x/s{i}> <http://x/p> "{i}" .\n' for i in range(5))


def store() -> LocalStore:
    s = LocalStore(None)
    s.bulk_load(ox.parse(NT.encode(), ox.RdfFormat.N_TRIPLES))
    return s


def test_rows_past_the_cap_are_cut_and_flagged() -> None:
    graph = store()
    request = QueryRequest("SELECT ?s WHERE { ?s ?p ?o }", "application/sparql-results+json", 3)
    got = execute(graph, request)
    doc = json.loads(got.body)
    assert len(doc["results"]["bindings"]) == 3
    assert doc["truncated"] is True
    assert (got.rows, got.truncated, got.version) == (3, True, graph.version().name)


def test_a_cut_answer_names_the_note_on_the_cap_in_json_and_xml(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`head.link` (SPARQL 1.1 Query Results JSON §3.1) from pyoxigraph's writer and from the
    row-by-row one alike, `<link href>` in XML (§2.2); an answer within the cap is unchanged."""
    graph = store()
    note = "http://e/sparql#editor-help"
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    json_cut = QueryRequest(query, "application/sparql-results+json", 3, cap_link=note)
    native = json.loads(execute(graph, json_cut).body)
    assert native["head"] == {"vars": ["s"], "link": [note]}
    monkeypatch.setattr(serialize, "NATIVE_JSON_BUDGET", 10)
    assert json.loads(execute(graph, json_cut).body) == native
    xml = execute(graph, QueryRequest(query, "application/sparql-results+xml", 3, cap_link=note))
    assert f'<variable name="s"/><link href="{note}"/></head>' in xml.body.decode()
    parsed = ox.parse_query_results(xml.body, ox.QueryResultsFormat.XML)
    assert len(list(parsed)) == 3  # type: ignore[arg-type]
    whole = execute(graph, QueryRequest(query, "application/sparql-results+json", 9, cap_link=note))
    assert "link" not in json.loads(whole.body)["head"]


def test_ask_and_construct_answer_in_their_own_formats() -> None:
    graph = store()
    ask = execute(graph, QueryRequest('ASK { ?s ?p "4" }', "text/csv", 10))
    assert ask.body == b"_askResult\r\ntrue\r\n"
    construct = QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", 10)
    triples = execute(graph, construct).body.decode().strip().splitlines()
    assert len(triples) == 5


def test_the_cache_key_changes_with_everything_the_answer_depends_on() -> None:
    base = QueryRequest("ASK {}", "text/csv", 10)
    keys = {
        base.key("v1"),
        base.key("v2"),
        QueryRequest("ASK {}", "application/sparql-results+json", 10).key("v1"),
        QueryRequest("ASK {}", "text/csv", 11).key("v1"),
        QueryRequest("ASK {}", "text/csv", 10, default_graphs=("http://x/g",)).key("v1"),
    }
    assert len(keys) == 5
    assert base.key("v1") == QueryRequest("ASK {}", "text/csv", 10).key("v1")


def test_answers_made_another_way_have_another_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client's copy of an answer made before DESCRIBE gave a record's parts was confirmed
    by a 304 until the next ingest (a review): the way answers are made is in the key."""
    before = QueryRequest("DESCRIBE <http://x/s>", "text/turtle", 10).key("v1")
    monkeypatch.setattr(execute_module, "ANSWERS", "another way")
    assert QueryRequest("DESCRIBE <http://x/s>", "text/turtle", 10).key("v1") != before


def test_an_answer_too_large_to_write_whole_is_run_again_and_capped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past the native writer's byte budget the query runs again, written row by row: the
    client gets the same capped answer."""
    graph = store()
    request = QueryRequest(
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "application/sparql-results+json", 3
    )
    whole = execute(graph, request)
    monkeypatch.setattr(serialize, "NATIVE_JSON_BUDGET", 10)
    again = execute(graph, request)
    assert (again.body, again.rows, again.truncated) == (whole.body, 3, True)


def test_select_star_columns_follow_the_query(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A researcher's trial: `SELECT * WHERE { ?s schema:name ?name }` came back as `name, s`
    (pyoxigraph lists `*`'s variables A-Z). Jena, Virtuoso and rdflib list them as the query
    names them; so does the endpoint, in every results format, cut or not, each row's values
    under their own column. A query that names its columns keeps them as written."""
    graph = store()
    query = "SELECT * WHERE { ?s <http://x/p> ?value BIND(STR(?s) AS ?another) } ORDER BY ?s"
    cells = {"s": "http://x/s0", "value": "0", "another": "http://x/s0"}
    for cap in (10, 2):
        doc = json.loads(execute(graph, QueryRequest(query, serialize.JSON_MEDIA, cap)).body)
        assert doc["head"]["vars"] == ["s", "value", "another"]
        assert {k: v["value"] for k, v in doc["results"]["bindings"][0].items()} == cells
    monkeypatch.setattr(serialize, "NATIVE_JSON_BUDGET", 10)  # the row-by-row writer
    doc = json.loads(execute(graph, QueryRequest(query, serialize.JSON_MEDIA, 10)).body)
    assert doc["head"]["vars"] == ["s", "value", "another"]
    csv = execute(graph, QueryRequest(query, "text/csv", 10)).body.decode().splitlines()
    assert csv[:2] == ["s,value,another", "http://x/s0,0,http://x/s0"]
    tsv = execute(graph, QueryRequest(query, "text/tab-separated-values", 10)).body.decode()
    assert tsv.splitlines()[0] == "?s\t?value\t?another"
    xml = execute(graph, QueryRequest(query, "application/sparql-results+xml", 10)).body.decode()
    assert xml.index('name="s"') < xml.index('name="value"') < xml.index('name="another"')
    named = QueryRequest("SELECT ?value ?s WHERE { ?s ?p ?value }", "text/csv", 10)
    assert execute(graph, named).body.decode().splitlines()[0] == "value,s"


def test_describe_of_a_record_gives_its_claims_places_and_amounts(records_dir: Path) -> None:
    """A researcher's trial: DESCRIBE of a practice gave its own triples only, none of the
    claims that say what its sources disagree about (IRIs of its document, `…#claim-…`,
    which a Concise Bounded Description does not follow). Now every statement of its graph
    about it or its document's parts; not from a dataset that leaves its graph out."""
    graph = ingested(records_dir, base="http://testserver/")
    record = "http://testserver/id/initiative/village-welcome"
    request = QueryRequest(f"DESCRIBE <{record}>", "application/n-triples", 10_000)
    described = rdflib.Graph().parse(data=execute(graph, request).body, format="nt")
    document = rdflib.Graph().parse(
        data=execute(
            graph,
            QueryRequest(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ <{record}> ?x ?y . ?s ?p ?o "
                f'FILTER(?s = <{record}> || STRSTARTS(STR(?s), "{record}#")) }} }}',
                "application/n-triples",
                10_000,
            ),
        ).body,
        format="nt",
    )
    claims = set(described.subjects(RDF.subject, URIRef(record)))
    assert len(claims) >= 2  # the two disputed "villages" facts among them
    disputed = [c for c in claims if (c, RIKG.disputed, None) in described]
    assert len(disputed) >= 2
    assert all((c, DCTERMS.source, None) in described for c in claims)
    assert set(described) == set(document)
    # a resource with no parts (a concept) is described as before
    theme = "https://w3id.org/rikg/scheme/theme/housing"
    alone = execute(graph, QueryRequest(f"DESCRIBE <{theme}>", "application/n-triples", 10_000))
    assert all(line.startswith(f"<{theme}>") for line in alone.body.decode().splitlines())
    # FROM names the dataset: only what it holds is described
    scoped = QueryRequest(
        f"DESCRIBE <{record}> FROM <http://testserver/graph/nowhere>", "application/n-triples", 10
    )
    assert execute(graph, scoped).body.strip() == b""
