"""The Graph Store HTTP Protocol at /rdf-graphs: one graph named by `?graph=IRI` or `?default`,
read by anyone in the format asked for, written with the admin token (PUT replaces, POST adds,
DELETE drops), and each refusal says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.settings import Settings
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"
TOKEN = "graph-store-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle", **ADMIN}
G = "/rdf-graphs?graph=http://x/g"


@pytest.fixture
def client(records_dir: Path) -> Iterator[TestClient]:
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env(
        {"KG_BASE_URI": BASE, "KG_STORE": "memory", "KG_ADMIN_TOKEN": TOKEN}
    )
    with TestClient(create_app(settings, store=store), follow_redirects=False) as c:
        yield c


def objects(client: TestClient, path: str) -> set[str]:
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    return {str(o) for o in rdflib.Graph().parse(data=r.text, format="turtle").objects()}


def test_post_adds_put_replaces(client: TestClient) -> None:
    first = client.post(G, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    assert first.status_code == 201  # a new graph
    more = client.post(G, content="<http://x/a> <http://x/b> 'two' .", headers=TURTLE)
    assert more.status_code == 204
    assert objects(client, G) == {"one", "two"}
    assert (
        client.put(G, content="<http://x/a> <http://x/b> 'three' .", headers=TURTLE).status_code
        == 204
    )
    assert objects(client, G) == {"three"}


def test_a_written_graph_is_what_sparql_answers_next(client: TestClient) -> None:
    ask = {"query": "ASK { GRAPH <http://x/g> { <http://x/a> ?p 'one' } }"}
    assert client.get("/sparql", params=ask).json()["boolean"] is False
    client.put(G, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    assert client.get("/sparql", params=ask).json()["boolean"] is True
    assert client.delete(G, headers=ADMIN).status_code == 204
    assert client.get("/sparql", params=ask).json()["boolean"] is False


def ntriples(client: TestClient, path: str) -> set[tuple[rdflib.term.Node, ...]]:
    r = client.get(path, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert "Accept" in r.headers["vary"]
    graph = rdflib.Graph().parse(data=r.text, format="nt")
    return set(graph)


def test_the_default_graph_round_trips_and_queries_see_the_union(client: TestClient) -> None:
    """`?default` is the store's own default graph: what a PUT wrote is what a GET reads (no
    record's statements in it); a query without a dataset sees that graph and every named
    graph (sd:UnionDefaultGraph)."""
    default = "/rdf-graphs?default"
    assert ntriples(client, default) == set()  # the records live in named graphs
    a, b = rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/b")
    one = (a, b, rdflib.Literal("one"))
    assert client.put(default, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    assert ntriples(client, default) == {one}
    record = f"<{BASE}id/initiative/village-welcome>"
    for ask in (f"ASK {{ {record} ?p ?o }}", "ASK { <http://x/a> ?p 'one' }"):
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "UnionDefaultGraph" in described


def test_writes_to_the_default_graph_leave_the_named_graphs(client: TestClient) -> None:
    """PUT, POST and DELETE on `?default` act on the store's own default graph; no named graph
    is replaced or dropped."""
    default = "/rdf-graphs?default"
    record_graph = f"/rdf-graphs?graph={BASE}graph/initiative/village-welcome"
    record = ntriples(client, record_graph)
    assert record
    a, b = rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/b")
    one, two = (a, b, rdflib.Literal("one")), (a, b, rdflib.Literal("two"))
    r = client.put(default, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    assert r.status_code == 204  # the default graph always exists
    assert ntriples(client, default) == {one}
    assert ntriples(client, record_graph) == record
    in_named = {"query": "ASK { GRAPH ?g { <http://x/a> ?p ?o } }"}
    assert client.get("/sparql", params=in_named).json()["boolean"] is False
    client.put(default, content="<http://x/a> <http://x/b> 'two' .", headers=TURTLE)
    assert ntriples(client, default) == {two}
    r = client.post(default, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    assert r.status_code == 204
    assert ntriples(client, default) == {one, two}
    assert client.delete(default, headers=ADMIN).status_code == 204
    assert ntriples(client, default) == set()
    assert ntriples(client, record_graph) == record
    assert client.delete(default).status_code == 401  # writes still need the token


@pytest.mark.parametrize("query", ["", "?graph=http://x/g&default"])
def test_exactly_one_graph_must_be_named(client: TestClient, query: str) -> None:
    r = client.get(f"/rdf-graphs{query}")
    assert r.status_code == 400
    assert r.json()["message"] == "name exactly one graph: `?graph=IRI` or `?default`"


def test_a_body_in_an_unknown_format_is_refused_naming_it(client: TestClient) -> None:
    r = client.put(G, content="a,b", headers={"Content-Type": "text/csv", **ADMIN})
    assert r.status_code == 400
    assert r.json()["message"].startswith("unsupported Content-Type 'text/csv'; send ")
    assert "text/turtle" in r.json()["message"]


def test_a_format_nobody_can_read_is_406(client: TestClient) -> None:
    client.put(G, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    r = client.get(G, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.json()["message"]


def test_writes_need_the_token_reads_do_not(client: TestClient) -> None:
    body = "<http://x/a> <http://x/b> 'one' ."
    assert client.put(G, content=body, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert client.post(G, content=body, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert client.get(G).status_code == 404  # nothing was written


def test_a_record_graph_iri_resolves_to_its_statements(client: TestClient) -> None:
    """The IRI of a record's named graph, the subject of its provenance, is dereferenceable."""
    turtle = {"Accept": "text/turtle"}
    r = client.get("/graph/initiative/village-welcome", headers=turtle)
    assert r.status_code == 303
    target = r.headers["location"]
    assert target.startswith("/rdf-graphs?graph=")
    graph = rdflib.Graph().parse(data=client.get(target, headers=r.request.headers).text)
    subjects = {str(s) for s in graph.subjects()}
    assert f"{BASE}id/initiative/village-welcome" in subjects
    assert f"{BASE}graph/initiative/village-welcome" in subjects  # its provenance
    assert client.head("/graph/initiative/village-welcome").status_code == 303
    assert client.get("/graph/initiative/no-such-record").status_code == 404  # not after a 303
    # a browser is sent to the record's page, not to RDF it cannot read (a trial got 406)
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    r = client.get("/graph/initiative/village-welcome", headers=browser)
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome"
    assert "Accept" in r.headers["vary"]
    assert client.get(r.headers["location"], headers=browser).status_code == 200
    # and so is one that opens the Graph Store address itself (an embedder got 406 there)
    r = client.get(target, headers={"Accept": "text/html"})
    assert (r.status_code, r.headers["location"]) == (303, "/initiative/village-welcome")
    assert client.get(target, headers=browser).headers["location"] == r.headers["location"]
    assert client.get(target, headers=turtle).status_code == 200  # RDF clients as before


def test_a_graph_read_carries_validators_and_answers_conditional_requests(
    client: TestClient,
) -> None:
    """A harvester polling a graph gets 304 until a write changes the store (RFC 9110 §13)."""
    client.put(G, content="<http://x/a> <http://x/b> 'one' .", headers=TURTLE)
    turtle = {"Accept": "text/turtle"}
    first = client.get(G, headers=turtle)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"')  # strong
    same = client.get(G, headers={**turtle, "If-None-Match": etag})
    assert (same.status_code, same.content) == (304, b"")
    assert client.get(G, headers={**turtle, "If-Modified-Since": modified}).status_code == 304
    other = client.get(G, headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert other.status_code == 200  # another representation, another tag
    assert client.get(G, headers={**turtle, "If-Match": '"nope"'}).status_code == 412
    client.post(G, content="<http://x/a> <http://x/b> 'two' .", headers=TURTLE)
    changed = client.get(G, headers={**turtle, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    missing = client.get("/rdf-graphs?graph=http://x/none", headers={"If-None-Match": "*"})
    assert missing.status_code == 404  # no graph: never a 304


def test_options_lists_the_methods_as_sparql_does(client: TestClient) -> None:
    """OPTIONS on the Graph Store (RFC 9110 §9.3.7) is 204 with `Allow`, as on /sparql (a
    trial got 405 with an `Allow` that left OPTIONS out); a CORS preflight is still the CORS
    middleware's answer, allowing the write methods."""
    methods = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"}
    for path in ("/rdf-graphs", "/sparql"):
        r = client.options(path)
        assert r.status_code == 204, path
        assert {m.strip() for m in r.headers["allow"].split(",")} >= methods - {"PUT", "DELETE"}
    r = client.options("/rdf-graphs?default")
    assert {m.strip() for m in r.headers["allow"].split(",")} == methods
    pre = client.options(
        "/rdf-graphs",
        headers={"Origin": "https://x.eu", "Access-Control-Request-Method": "PUT"},
    )
    assert pre.status_code == 200
    assert "PUT" in pre.headers["access-control-allow-methods"]
    assert pre.headers["access-control-allow-origin"] == "*"
    r = client.patch("/rdf-graphs?default")
    assert r.status_code == 405
    assert "OPTIONS" in r.headers["allow"]


def test_an_ontology_graph_iri_sends_a_browser_where_its_statements_show(
    client: TestClient,
) -> None:
    """A trial's browser followed /graph/ontology/rikg and /graph/sources/records to 404s: only
    record graphs have a record page. A concept scheme's graph shows on /browse, the ontology
    on /ns (a later trial's browser got RDF/XML); the list of sources is served as RDF, which
    a browser's `*/*` accepts."""
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    theme = client.get("/graph/ontology/theme", headers=browser)
    assert (theme.status_code, theme.headers["location"]) == (303, "/browse")
    ontology = client.get("/graph/ontology/rikg", headers=browser)
    assert (ontology.status_code, ontology.headers["location"]) == (303, "/ns")
    for graph in ("sources/records",):
        r = client.get(f"/graph/{graph}", headers=browser)
        assert r.status_code == 303, graph
        assert r.headers["location"].startswith("/rdf-graphs?graph="), graph
        followed = client.get(r.headers["location"], headers=browser)
        assert followed.status_code == 200, graph
        assert followed.headers["content-type"].startswith("text/turtle"), graph


def test_a_graph_the_store_does_not_hold_is_404_whatever_is_accepted(client: TestClient) -> None:
    """An editor's trial: a graph that is not there answered 406 to `Accept: text/html` and a
    303 to a missing page to a browser. It is 404 for every client, and a graph that is there
    still answers each as before."""
    missing = {"graph": f"{BASE}graph/initiative/no-such-thing"}
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in ("text/html", browser, "text/turtle", "image/png"):
        r = client.get("/rdf-graphs", params=missing, headers={"Accept": accept})
        assert r.status_code == 404, accept
    held = {"graph": f"{BASE}graph/initiative/village-welcome"}
    assert (
        client.get("/rdf-graphs", params=held, headers={"Accept": "text/turtle"}).status_code == 200
    )
    assert client.get("/rdf-graphs", params=held, headers={"Accept": browser}).status_code == 303
    assert (
        client.get("/rdf-graphs", params=held, headers={"Accept": "image/png"}).status_code == 406
    )
