"""Issue 14 in process: each kind of failure the issue lists, with its inputs and more of the
same kind (dataset, guards, HEAD / 405, negotiation, conditional requests, XML, triple terms,
CORS, N-Quads / TriG)."""

from __future__ import annotations

import io
import re
import xml.dom.minidom
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from tests.web.routes.test_sparql import BASE, make_client

GRAPH = f"{BASE}graph/initiative/village-welcome"
ORG_GRAPH = f"{BASE}graph/organisation/test-ngo"
COUNT = "SELECT (COUNT(*) AS ?n) {from_} WHERE {{ ?s ?p ?o }}"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def client(records_dir: Path) -> Iterator[TestClient]:
    with make_client(records_dir, KG_ADMIN_TOKEN="s3cret-token") as c:
        yield c


def number(client: TestClient, query: str, **params: str | list[str]) -> int:
    r = client.get("/sparql", params={"query": query, **params}, headers=JSON)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def ask(client: TestClient, query: str, **params: str | list[str]) -> bool:
    r = client.get("/sparql", params={"query": query, **params}, headers=JSON)
    assert r.status_code == 200, r.text
    value: bool = r.json()["boolean"]
    return value


# --- the dataset (SPARQL 1.1 Query §13.2, Protocol §2.1.4) ----------------------------------


def test_from_makes_exactly_the_default_graph(client: TestClient) -> None:
    everything = number(client, COUNT.format(from_=""))
    one = number(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert 0 < one < everything
    assert number(client, COUNT.format(from_=f"FROM <{GRAPH}>")) == one
    both = number(client, COUNT.format(from_=f"FROM <{GRAPH}> FROM <{ORG_GRAPH}>"))
    assert one < both <= everything
    assert ask(client, f"ASK FROM <{BASE}nothing> {{ ?s ?p ?o }}") is False
    assert number(client, COUNT.format(from_=f"FROM <{BASE}nothing>")) == 0


def test_a_graph_named_twice_is_one_graph_of_the_dataset(client: TestClient) -> None:
    """The default graph of `FROM <g> FROM <g>` is the RDF merge of one graph, and `FROM NAMED`
    twice names one graph (§13.2): nothing is counted twice, by clause or by protocol."""
    one = number(client, COUNT.format(from_=f"FROM <{GRAPH}>"))
    assert number(client, COUNT.format(from_=f"FROM <{GRAPH}> FROM <{GRAPH}>")) == one
    prefixed = f"PREFIX g: <{GRAPH.rsplit('/', 1)[0]}/> " + COUNT.format(
        from_=f"FROM <{GRAPH}> FROM g:{GRAPH.rsplit('/', 1)[1]}"
    )
    assert number(client, prefixed) == one
    both = number(client, COUNT.format(from_=f"FROM <{GRAPH}> FROM <{ORG_GRAPH}>"))
    again = f"FROM <{GRAPH}> FROM <{ORG_GRAPH}> FROM <{GRAPH}>"
    assert number(client, COUNT.format(from_=again)) == both
    named = (
        f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}> FROM NAMED <{GRAPH}> "
        "WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert number(client, named) == one
    assert number(client, COUNT.format(from_=""), **{"default-graph-uri": [GRAPH, GRAPH]}) == one


def test_from_named_alone_leaves_an_empty_default_graph(client: TestClient) -> None:
    assert number(client, COUNT.format(from_=f"FROM NAMED <{GRAPH}>")) == 0
    r = client.get(
        "/sparql",
        params={
            "query": f"SELECT DISTINCT ?g FROM NAMED <{GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
        },
        headers=JSON,
    )
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [GRAPH]


def test_protocol_named_graph_uri_alone_leaves_an_empty_default_graph(client: TestClient) -> None:
    assert number(client, COUNT.format(from_=""), **{"named-graph-uri": GRAPH}) == 0


def test_protocol_default_graph_uri_leaves_no_named_graphs(client: TestClient) -> None:
    params = {"default-graph-uri": GRAPH}
    assert ask(client, "ASK { GRAPH ?g { ?s ?p ?o } }", **params) is False
    assert ask(client, "ASK { ?s ?p ?o }", **params) is True


def test_protocol_dataset_overrides_the_query_dataset(client: TestClient) -> None:
    in_org = number(client, COUNT.format(from_=f"FROM <{ORG_GRAPH}>"))
    query = COUNT.format(from_=f"FROM <{GRAPH}>")
    assert number(client, query, **{"default-graph-uri": ORG_GRAPH}) == in_org
    # by POST too: the protocol parameters in the URL, the query in the body
    r = client.post(
        f"/sparql?default-graph-uri={ORG_GRAPH}",
        content=query,
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_org


def test_the_word_from_in_a_string_or_comment_is_not_a_dataset(client: TestClient) -> None:
    everything = number(client, COUNT.format(from_=""))
    q = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "FROM <x>") } # FROM <y>'
    assert number(client, q) == everything - 0  # same union as without any dataset


# --- guards decided from the query, not from patterns ----------------------------------------


@pytest.mark.parametrize("prefix", ["load", "service", "ask", "select", "construct", "from"])
def test_keywords_as_prefix_names_are_legal(client: TestClient, prefix: str) -> None:
    query = f"PREFIX {prefix}: <http://e/l#> SELECT ?s WHERE {{ ?s {prefix}:x ?o }}"
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    assert r.json()["head"]["vars"] == ["s"]
    bare = f"PREFIX {prefix}: <http://e/l#> SELECT ?s WHERE {{ ?s {prefix}: ?o }}"
    assert client.get("/sparql", params={"query": bare}, headers=JSON).status_code == 200


def test_keywords_in_strings_iris_comments_and_variables_are_harmless(client: TestClient) -> None:
    for query in [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> {}" AS ?x) }',
        "SELECT ?service WHERE { ?service ?load <http://e/SERVICE> }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> { }",
        "SELECT ?x WHERE { BIND('''LOAD <http://x/>''' AS ?x) }",
    ]:
        r = client.get("/sparql", params={"query": query}, headers=JSON)
        assert r.status_code == 200, (query, r.text)


def test_service_in_any_case_is_refused(client: TestClient) -> None:
    for word in ("SERVICE", "service", "Service", "SERVICE SILENT"):
        query = f"SELECT * WHERE {{ {word} <http://127.0.0.1:1/> {{ ?s ?p ?o }} }}"
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 403, word
        assert "SERVICE" in r.json()["message"]


def test_nesting_inside_strings_iris_and_comments_is_not_depth(client: TestClient) -> None:
    braces = "{" * 500
    for query in [
        f'SELECT ?x WHERE {{ BIND("{braces}" AS ?x) }}',
        f"SELECT * WHERE {{ ?s ?p ?o }} # {braces}",
        f"SELECT ?x WHERE {{ BIND('''{braces}\n{'(' * 500}''' AS ?x) }}",
    ]:
        assert client.get("/sparql", params={"query": query}).status_code == 200
    deep = "SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300
    r = client.post("/sparql", content=deep, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert "nests 300 levels" in r.json()["message"]
    parens = "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }"
    assert client.get("/sparql", params={"query": parens}).status_code == 400


def test_update_sent_as_query_is_refused_with_a_clear_message(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "PREFIX select: <http://e/> INSERT DATA {}"})
    assert r.status_code == 400
    assert "SPARQL Update" in r.json()["message"]


def test_a_query_in_the_url_and_in_the_body_is_refused(client: TestClient) -> None:
    """Protocol §2.1.2, §2.1.3: a request holds exactly one query. A researcher's POST with one
    in the URL and another in the body got the body's answer, where a GET with two is a 400."""
    ask, select = "ASK {}", "SELECT * WHERE {}"
    form = client.post("/sparql", params={"query": ask}, data={"query": select}, headers=JSON)
    assert form.status_code == 400
    assert "`query` given 2 times" in form.json()["message"]
    direct = client.post(
        "/sparql",
        params={"query": ask},
        content=select,
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert direct.status_code == 400
    assert "send it once" in direct.json()["message"]
    # a dataset in the URL beside a form query still counts: one of each is no repeat
    ok = client.post(
        "/sparql",
        params={"default-graph-uri": "urn:g"},
        data={"query": select},
        headers=JSON,
    )
    assert ok.status_code == 200


# --- HEAD and 405 (RFC 9110 §9.3.2, §15.5.6) -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%7B%7D",
        "/initiative/village-welcome",
        "/initiative/village-welcome.ttl",
        "/initiative/village-welcome.rdf",
        "/healthz",
        "/.well-known/void",
        "/sitemap.xml",
        "/robots.txt",
        "/data/",
        "/rdf-graphs?default",
        "/embed/initiative/village-welcome",
        "/openapi.json",
    ],
)
def test_head_is_get_without_the_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200, get.text
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if path != "/.well-known/void":  # VoID names fresh blank nodes, whose labels vary in length
        assert head.headers.get("content-length") == get.headers.get("content-length")


def test_head_on_a_record_uri_answers_its_303(client: TestClient) -> None:
    r = client.head("/id/initiative/village-welcome", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome.ttl"
    assert client.head("/id/initiative/no-such-record").status_code == 404


def test_405_lists_the_methods_the_resource_allows(client: TestClient) -> None:
    r = client.put("/sparql", content="x")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    r = client.delete("/id/initiative/village-welcome")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"
    r = client.patch("/rdf-graphs?default", content="x")
    assert r.headers["allow"] == "GET, HEAD, POST, PUT, DELETE, OPTIONS"


# --- one negotiation (RFC 9110 §12.4.2, §12.5.1) ---------------------------------------------


def test_a_refused_results_type_is_never_sent(client: TestClient) -> None:
    accept = (
        "application/*;q=0.5, application/sparql-results+json;q=0, "
        "application/sparql-results+xml;q=0, text/csv;q=0.4"
    )
    r = client.get(
        "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, headers={"Accept": accept}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    r = client.get(
        "/sparql",
        params={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json;q=0, application/json"},
    )
    assert r.status_code == 406  # the client named the type itself as unacceptable


def test_a_refused_graph_type_is_never_sent(client: TestClient) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    accept = "text/*;q=0.9, text/turtle;q=0, application/ld+json;q=0.5"
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": accept})
    assert r.status_code == 200
    media = r.headers["content-type"].split(";")[0]
    assert media == "text/n3"  # the one graph type text/* covers at q=0.9 once Turtle is refused
    r = client.get(
        "/sparql",
        params={"query": construct},
        headers={"Accept": "text/turtle;q=0, application/*;q=0.5"},
    )
    assert r.headers["content-type"] == "application/n-triples"


def test_a_synonym_is_used_only_when_named_and_then_sent_as_named(client: TestClient) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/plain"})
    assert r.headers["content-type"].startswith("text/plain")
    assert list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/json"
    assert r.json()["boolean"] is True
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "*/*;q=0"})
    assert r.status_code == 406


def test_record_uri_303_follows_the_same_negotiation(client: TestClient) -> None:
    accept = "text/turtle;q=0, application/*;q=0.5, text/html;q=0.1"
    r = client.get("/id/initiative/village-welcome", headers={"Accept": accept})
    assert r.headers["location"] == "/initiative/village-welcome.nt"
    r = client.get("/id/initiative/village-welcome", headers={"Accept": "text/plain"})
    assert r.headers["location"] == "/initiative/village-welcome.nt"
    doc = client.get(r.headers["location"], headers={"Accept": "text/plain"})
    assert doc.headers["content-type"].startswith("text/plain")
    r = client.get("/rdf-graphs", params={"graph": GRAPH}, headers={"Accept": accept})
    assert r.headers["content-type"] == "application/n-triples"


def test_a_record_page_names_its_data_documents_in_a_link_header(client: TestClient) -> None:
    """RFC 8288: a client that reads headers only finds the Turtle, JSON-LD… of the page (a
    trial found them only in the HTML's <link> elements)."""
    r = client.head("/initiative/village-welcome")
    links = dict(
        (media, url)
        for url, media in re.findall(
            r'<([^>]+)>; rel="alternate"; type="([^"]+)"', r.headers["link"]
        )
    )
    assert links["text/turtle"] == f"{BASE}initiative/village-welcome.ttl"
    assert links["application/ld+json"] == f"{BASE}initiative/village-welcome.jsonld"
    for url in links.values():
        doc = client.get(url.removeprefix(BASE.rstrip("/")))
        assert doc.status_code == 200


# --- conditional requests (RFC 9110 §13) -----------------------------------------------------


def test_if_none_match_lists_weak_tags_and_star_on_sparql(client: TestClient) -> None:
    params = {"query": "SELECT * { ?s ?p ?o } LIMIT 2"}
    etag = client.get("/sparql", params=params).headers["etag"]
    for header in [etag, f"W/{etag}", f'"nope", {etag}', f'W/"x" , W/{etag}', "*"]:
        r = client.get("/sparql", params=params, headers={"If-None-Match": header})
        assert r.status_code == 304, header
        assert r.content == b""
        assert r.headers["cache-control"] == "public, max-age=60"  # as the 200 (§15.4.5)
    r = client.get("/sparql", params=params, headers={"If-None-Match": '"nope", W/"other"'})
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("synonym", "own"),
    [
        ("application/json", "application/sparql-results+json"),
        ("application/xml", "application/sparql-results+xml"),
    ],
)
def test_a_synonym_is_another_representation_with_its_own_strong_etag(
    client: TestClient, synonym: str, own: str
) -> None:
    """The same answer under two Content-Types is two representations: their strong ETags
    differ (RFC 9110 §8.8.3), so a cache never validates one with the other's tag; each tag
    still answers 304 to its own type only."""
    params = {"query": "SELECT * { ?s ?p ?o } LIMIT 2"}
    a = client.get("/sparql", params=params, headers={"Accept": synonym})
    b = client.get("/sparql", params=params, headers={"Accept": own})
    assert a.headers["content-type"].startswith(synonym)
    assert b.headers["content-type"].startswith(own)
    assert a.content == b.content
    assert a.headers["etag"] != b.headers["etag"]
    again = {"Accept": synonym, "If-None-Match": a.headers["etag"]}
    assert client.get("/sparql", params=params, headers=again).status_code == 304
    other = {"Accept": synonym, "If-None-Match": b.headers["etag"]}
    assert client.get("/sparql", params=params, headers=other).status_code == 200


@pytest.mark.parametrize(
    "path", ["/initiative/village-welcome.ttl", "/initiative/village-welcome", "/data/rikg.nq.gz"]
)
def test_conditional_requests_on_documents_and_pages(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for header in [etag, f"W/{etag}", f'"a", {etag}', "*"]:
        assert client.get(path, headers={"If-None-Match": header}).status_code == 304, header
    assert client.get(path, headers={"If-None-Match": '"a"'}).status_code == 200
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    later = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": later}).status_code == 304
    earlier = "Mon, 01 Jan 1990 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    # the obsolete forms recipients must still accept (RFC 9110 §5.6.7): RFC 850 and asctime
    for date in ("Friday, 01-Jan-99 00:00:00 GMT", "Fri Jan  1 00:00:00 1999"):
        assert client.get(path, headers={"If-Modified-Since": date}).status_code == 200, date
    for date in ("Friday, 01-Jan-2100 00:00:00 GMT", "Fri Jan  1 00:00:00 2100"):
        assert client.get(path, headers={"If-Modified-Since": date}).status_code == 304, date
    # If-None-Match decides when both are sent (§13.2.2)
    both = {"If-None-Match": '"a"', "If-Modified-Since": later}
    assert client.get(path, headers=both).status_code == 200
    assert client.get(path, headers={"If-Modified-Since": "not a date"}).status_code == 200


# --- never malformed XML ---------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\\u0007", "\\u000C", "\\u0000", "\\u001F"])
def test_a_character_xml_cannot_carry_is_an_error_naming_it(client: TestClient, char: str) -> None:
    query = f'SELECT ?x WHERE {{ BIND("bell{char}here" AS ?x) }}'
    r = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert r.status_code == 406
    code = char[2:].upper()
    assert f"U+{code}" in r.json()["message"]
    assert "application/sparql-results+json" in r.json()["message"]
    ok = client.get("/sparql", params={"query": query}, headers=JSON)
    assert ok.json()["results"]["bindings"][0]["x"]["value"] == f"bell{chr(int(code, 16))}here"
    construct = f'CONSTRUCT {{ <http://e/s> <http://e/p> ?x }} WHERE {{ BIND("a{char}" AS ?x) }}'
    r = client.get(
        "/sparql", params={"query": construct}, headers={"Accept": "application/rdf+xml"}
    )
    assert r.status_code == 406
    assert f"U+{code}" in r.json()["message"]


def test_xml_answers_that_are_sent_parse(client: TestClient) -> None:
    query = (
        'SELECT ?x ?y WHERE { BIND("tab\\there\\nnew <&> \\"q\\"" AS ?x) '
        "BIND(<http://e/a?b&c> AS ?y) }"
    )
    r = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert r.status_code == 200
    doc = xml.dom.minidom.parseString(r.content)
    assert doc.getElementsByTagName("literal")[0].firstChild.data == 'tab\there\nnew <&> "q"'


@pytest.mark.parametrize("predicate", ["http://e/1", "http://e/p/", "http://e/p#"])
def test_a_predicate_rdf_xml_cannot_name_is_an_error_naming_it(
    client: TestClient, predicate: str
) -> None:
    construct = f'CONSTRUCT {{ <http://e/s> <{predicate}> "x" }} WHERE {{}}'
    r = client.get(
        "/sparql", params={"query": construct}, headers={"Accept": "application/rdf+xml"}
    )
    assert r.status_code == 406
    assert predicate in r.json()["message"]
    turtle = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    # a predicate that ends in a name is written, and the document parses
    fine = construct.replace(predicate, "http://e/1a")
    r = client.get("/sparql", params={"query": fine}, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.content, format="xml")
    assert [str(p) for p in graph.predicates()] == ["http://e/1a"]


def test_graph_store_refuses_rdf_xml_it_cannot_write(client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    body = b'<http://e/s> <http://e/p> "form\\ffeed" .\n'
    r = client.put(
        "/rdf-graphs?graph=http://e/g",
        content=body,
        headers={**auth, "Content-Type": "application/n-triples"},
    )
    assert r.status_code == 201, r.text
    r = client.get("/rdf-graphs?graph=http://e/g", headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 406
    assert "U+000C" in r.json()["message"]
    assert (
        client.get("/rdf-graphs?graph=http://e/g", headers={"Accept": "text/turtle"}).status_code
        == 200
    )


# --- triple terms (SPARQL 1.2 result formats) -------------------------------------------------

TRIPLE_QUERY = 'SELECT ?t WHERE { BIND(TRIPLE(<http://e/s>, <http://e/p>, "o") AS ?t) }'
EXPECTED = ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_triple_terms_keep_their_type(
    client: TestClient, media: str, fmt: ox.QueryResultsFormat
) -> None:
    r = client.get("/sparql", params={"query": TRIPLE_QUERY}, headers={"Accept": media})
    assert r.status_code == 200
    parsed = ox.parse_query_results(r.content, fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [row["t"] for row in parsed] == [EXPECTED]
    if media == "text/tab-separated-values":
        assert '<<( <http://e/s> <http://e/p> "o" )>>' in r.text


# --- CORS on every response of the public API -------------------------------------------------


def test_errors_carry_cors_and_expose_the_headers_clients_read(records_dir: Path) -> None:
    origin = {"Origin": "http://127.0.0.1:9999"}
    with make_client(records_dir, KG_RATE_LIMIT_PER_MINUTE="6") as c:
        answers = [
            c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers=origin),
            c.get(
                "/sparql", params={"query": "SELECT * { SERVICE <http://x/> {} }"}, headers=origin
            ),
            c.post(
                "/sparql",
                content="#" * 300_000,
                headers={**origin, "Content-Type": "application/sparql-query"},
            ),
            c.get("/sparql", params={"query": "ASK {}"}, headers={**origin, "Accept": "image/png"}),
            c.put(
                "/rdf-graphs?default", content="", headers={**origin, "Content-Type": "text/turtle"}
            ),
        ]
        assert [a.status_code for a in answers] == [400, 403, 413, 406, 403]
        limited = [c.get("/sparql", params={"query": "ASK {}"}, headers=origin) for _ in range(3)]
        answers.append(limited[-1])
        assert limited[-1].status_code == 429
    for a in answers:
        assert a.headers["access-control-allow-origin"] == "*", a.status_code
        exposed = {h.strip().lower() for h in a.headers["access-control-expose-headers"].split(",")}
        assert {"retry-after", "x-sparql-truncated", "etag"} <= exposed


def test_preflight_allows_the_authorization_header(client: TestClient) -> None:
    r = client.options(
        "/rdf-graphs?graph=http://e/g",
        headers={
            "Origin": "http://127.0.0.1:9999",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert r.status_code == 200
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    assert "PUT" in r.headers["access-control-allow-methods"]
    # the token still decides
    put = client.put(
        "/rdf-graphs?graph=http://e/g",
        content=b"",
        headers={
            "Origin": "http://127.0.0.1:9999",
            "Authorization": "Bearer wrong",
            "Content-Type": "text/turtle",
        },
    )
    assert put.status_code == 401
    assert put.headers["www-authenticate"].startswith("Bearer ")
    assert put.headers["access-control-allow-origin"] == "*"


# --- every RDF format for graph results ------------------------------------------------------


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
        ("text/n3", ox.RdfFormat.N3),
    ],
)
def test_construct_in_n_quads_trig_and_n3(
    client: TestClient, media: str, fmt: ox.RdfFormat
) -> None:
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    expected = number(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    quads = list(ox.parse(io.BytesIO(r.content), fmt))
    assert len(quads) == expected
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)
    by_name = client.get("/sparql", params={"query": construct, "format": fmt.file_extension})
    assert by_name.headers["content-type"].split(";")[0] == media


def test_an_update_the_engine_refuses_is_400_and_changes_nothing(client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token", "Content-Type": "application/sparql-update"}
    before = number(client, COUNT.format(from_=""))
    r = client.post(
        "/sparql",
        content=(
            "INSERT DATA { GRAPH <http://e/new> { <http://e/a> <http://e/b> 1 } } ; "
            "DROP GRAPH <http://e/missing>"
        ),
        headers=auth,
    )
    assert r.status_code == 400
    assert "does not exist" in r.json()["message"]
    assert number(client, COUNT.format(from_="")) == before
    assert ask(client, "ASK { GRAPH <http://e/new> { ?s ?p ?o } }") is False
    assert (
        client.post(
            "/sparql", content="DROP SILENT GRAPH <http://e/missing>", headers=auth
        ).status_code
        == 204
    )


# --- parameters and bodies as other servers' clients send them ----------------------------------


def test_output_names_the_format_as_on_fuseki_and_virtuoso(client: TestClient) -> None:
    params = {"query": "SELECT ?x { BIND(1 AS ?x) }", "output": "json"}
    r = client.get("/sparql", params=params, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "1"


def test_a_format_that_cannot_carry_the_answer_is_not_acceptable(client: TestClient) -> None:
    select = "SELECT ?x { BIND(1 AS ?x) }"
    r = client.get("/sparql", params={"query": select, "format": "ttl"})
    assert r.status_code == 406
    assert "ttl" in r.json()["message"]
    construct = "CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}"
    unknown = client.get("/sparql", params={"query": construct, "format": "klingon"})
    assert unknown.status_code == 400


def test_a_construct_named_as_a_table_by_format_is_one_as_by_accept(client: TestClient) -> None:
    """A researcher's trial got the triple table with `Accept: text/csv` and 406 with
    `format=csv`: both name the same table."""
    construct = "CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}"
    by_name = client.get("/sparql", params={"query": construct, "format": "csv"})
    by_accept = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/csv"})
    assert by_name.status_code == by_accept.status_code == 200
    assert (
        by_name.text == by_accept.text == "subject,predicate,object\r\nhttp://e/s,http://e/p,1\r\n"
    )


def test_the_body_is_read_in_its_declared_charset_and_never_silently_altered(
    client: TestClient,
) -> None:
    query = 'SELECT ?x { BIND("café" AS ?x) }'
    latin = client.post(
        "/sparql",
        content=query.encode("iso-8859-1"),
        headers={"Content-Type": "application/sparql-query; charset=iso-8859-1", **JSON},
    )
    assert latin.json()["results"]["bindings"][0]["x"]["value"] == "café"
    broken = client.post(
        "/sparql",
        content=query.encode("iso-8859-1"),  # not UTF-8, and not declared otherwise
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert broken.status_code == 400
    assert "not valid utf-8 at byte" in broken.json()["message"]
    bom = client.post(
        "/sparql",
        content=b"\xef\xbb\xbf" + query.encode(),
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert bom.json()["results"]["bindings"][0]["x"]["value"] == "café"
    url = client.get("/sparql?query=SELECT%20%3Fx%20%7B%20BIND(%22caf%E9%22%20AS%20%3Fx)%20%7D")
    assert url.status_code == 400
    assert "UTF-8" in url.json()["message"]


def test_a_charset_that_is_no_text_encoding_is_a_clear_400(client: TestClient) -> None:
    """`rot13` and `base64` are Python codecs but not text encodings: the client is told, not
    answered with a server error."""
    for charset in ("rot13", "base64", "klingon-8"):
        r = client.post(
            "/sparql",
            content=b"ASK {}",
            headers={"Content-Type": f"application/sparql-query; charset={charset}", **JSON},
        )
        assert r.status_code == 400, charset
        assert f"unknown charset {charset!r}" in r.json()["message"]
    refused = b"xn--a-ecp."  # a label the IDNA codec refuses (it does not round-trip)
    escaped = "".join(f"%{b:02X}" for b in refused).encode()  # read by the codec once decoded
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        body = refused if "query" in content_type else b"query=" + escaped
        r = client.post(
            "/sparql", content=body, headers={"Content-Type": f"{content_type}; charset=idna"}
        )
        assert r.status_code == 400, content_type
        assert "cannot be read as idna" in r.json()["message"]


def test_a_form_body_is_percent_decoded_in_its_declared_charset(client: TestClient) -> None:
    query = 'SELECT ?x { BIND("é" AS ?x) }'
    form = "application/x-www-form-urlencoded"
    utf8 = client.post(
        "/sparql",
        content=urlencode({"query": query}),
        headers={"Content-Type": form, **JSON},
    )
    latin = client.post(
        "/sparql",
        content=urlencode({"query": query}, encoding="iso-8859-1"),  # query=...%E9...
        headers={"Content-Type": f"{form}; charset=iso-8859-1", **JSON},
    )
    assert latin.status_code == 200
    assert latin.json() == utf8.json()
    assert latin.json()["results"]["bindings"][0]["x"]["value"] == "é"
    undeclared = client.post(
        "/sparql",
        content=urlencode({"query": query}, encoding="iso-8859-1"),
        headers={"Content-Type": form, **JSON},  # UTF-8, the default: %E9 is not UTF-8
    )
    assert undeclared.status_code == 400
    assert (
        "the form body is not valid utf-8 once percent-decoded: byte 0xe9"
        in (undeclared.json()["message"])
    )


def test_a_graph_answer_holds_each_triple_once(client: TestClient) -> None:
    """DESCRIBE over the union default graph: a triple held by two graphs is one triple."""
    auth = {"Authorization": "Bearer s3cret-token", "Content-Type": "application/n-triples"}
    for graph in ("http://e/g1", "http://e/g2"):
        body = b'<http://e/s> <http://e/p> "shared" .\n'
        assert client.put(f"/rdf-graphs?graph={graph}", content=body, headers=auth).is_success
    r = client.get(
        "/sparql",
        params={"query": "DESCRIBE <http://e/s>"},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert r.text.splitlines() == ['<http://e/s> <http://e/p> "shared" .']
    assert r.headers["x-sparql-rows"] == "1"


def test_a_record_answers_a_client_that_asks_for_n3_with_its_turtle(client: TestClient) -> None:
    """Turtle is a subset of N3: a linked-data client accepting only `text/n3` gets the
    record's Turtle under the type it named, from the record's URI and its document."""
    r = client.get("/id/initiative/village-welcome", headers={"Accept": "text/n3"})
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome.ttl"
    doc = client.get(r.headers["location"], headers={"Accept": "text/n3"})
    assert doc.headers["content-type"].startswith("text/n3")
    assert list(ox.parse(doc.content, ox.RdfFormat.N3, base_iri=BASE))
