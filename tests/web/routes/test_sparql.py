"""The SPARQL 1.1 Protocol at /sparql (issue 3), in process over the small test records."""

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_records
from kg.errors import ServiceBusy, TooManyQueries
from kg.queries import PREFIXES
from kg.settings import Settings
from tests.conftest import RDF_FORMATS, ingested
from web.app import create_app

BASE = "http://testserver/"
NAMES = "SELECT ?name WHERE { ?r a schema:Project ; schema:name ?name } ORDER BY ?name"
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}


def make_client(records_dir: Path, **env: str) -> TestClient:
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory", **env})
    return TestClient(create_app(settings, store=store), follow_redirects=False)


@pytest.fixture
def client(records_dir: Path) -> Iterator[TestClient]:
    with make_client(records_dir) as c:
        yield c


def project_names(records_dir: Path) -> list[str]:
    """Names of the initiative records, read from the files (not from the graph)."""
    import yaml

    names = []
    for path in (records_dir / "initiative").glob("*.md"):
        front = path.read_text().split("---")[1]
        names.append(yaml.safe_load(front)["name"])
    return sorted(names)


def test_get_post_form_and_post_body_give_the_same_json(
    client: TestClient, records_dir: Path
) -> None:
    expected = project_names(records_dir)
    answers = [
        client.get(f"/sparql?query={quote(NAMES)}"),
        client.post("/sparql", data={"query": NAMES}),
        client.post("/sparql", content=NAMES, headers={"Content-Type": "application/sparql-query"}),
    ]
    for r in answers:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        doc = r.json()
        assert doc["head"]["vars"] == ["name"]
        assert [b["name"]["value"] for b in doc["results"]["bindings"]] == expected


@pytest.mark.parametrize("media", sorted(RESULT_TYPES))
def test_select_in_every_result_format(client: TestClient, records_dir: Path, media: str) -> None:
    r = client.get("/sparql", params={"query": NAMES}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    expected = project_names(records_dir)
    if media.endswith("json"):
        names = [b["name"]["value"] for b in r.json()["results"]["bindings"]]
    elif media.endswith("xml"):
        names = [
            str(row[0]) for row in rdflib.query.Result.parse(io.BytesIO(r.content), format="xml")
        ]
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["name"]
        names = [row[0] for row in rows[1:]]
    else:
        lines = r.text.splitlines()
        assert lines[0] == "?name"
        names = [json.loads(line.rpartition("@")[0]) for line in lines[1:]]
    assert names == expected


def test_format_parameter_for_browsers_overrides_accept(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": NAMES, "format": "csv"}, headers={"Accept": "text/html"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    RDF_FORMATS,
)
def test_construct_in_every_graph_format(
    client: TestClient, records_dir: Path, media: str, rdflib_format: str
) -> None:
    query = "CONSTRUCT { ?r schema:name ?n } WHERE { ?r a schema:Project ; schema:name ?n }"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    graph = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    names = sorted(str(o) for o in graph.objects(None, rdflib.URIRef("http://schema.org/name")))
    assert names == project_names(records_dir)


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+xml", "application/sparql-results+json", "text/csv"]
)
def test_construct_for_a_client_that_reads_only_tables(
    client: TestClient, records_dir: Path, accept: str
) -> None:
    """A client asking only for result tables (rasqal's `roqet -p`) gets the triples as rows of
    subject, predicate, object, not a 406; one that also takes an RDF format gets the graph."""
    query = "CONSTRUCT { ?r schema:name ?n } WHERE { ?r a schema:Project ; schema:name ?n }"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    if accept.endswith("json"):
        table = r.json()
        assert table["head"]["vars"] == ["subject", "predicate", "object"]
        names = sorted(b["object"]["value"] for b in table["results"]["bindings"])
        assert names == project_names(records_dir)
        assert {b["predicate"]["value"] for b in table["results"]["bindings"]} == {
            "http://schema.org/name"
        }
    elif accept == "text/csv":
        rows = r.text.splitlines()
        assert rows[0] == "subject,predicate,object"
        assert len(rows) - 1 == len(project_names(records_dir))
    else:
        assert r.text.count("<result>") == len(project_names(records_dir))
    both = client.get(
        "/sparql", params={"query": query}, headers={"Accept": f"{accept}, text/turtle;q=0.1"}
    )
    assert both.headers["content-type"].startswith("text/turtle")


def test_ask_and_quality_values(client: TestClient) -> None:
    r = client.get(
        "/sparql",
        params={"query": "ASK { ?r a schema:Project }"},
        headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"},
    )
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in r.text


def test_default_and_named_graph_uri(client: TestClient) -> None:
    graphs = client.get(
        "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    ).json()["results"]["bindings"]
    one = next(b["g"]["value"] for b in graphs if "/initiative/" in b["g"]["value"])
    count = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a schema:Project }"
    r = client.get("/sparql", params={"query": count, "default-graph-uri": one})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": named, "named-graph-uri": one})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [one]


def test_syntax_error_is_400_with_the_parser_position(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.json()["error"] == "QuerySyntaxError"
    assert "1:" in r.json()["message"]


def test_oversized_query_is_413_and_a_long_values_list_is_not(client: TestClient) -> None:
    """A researcher's VALUES list of 1,000 IRIs (43 KB) had been refused at 20,000 bytes."""
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "limit" in r.json()["message"]
    iris = " ".join(f"<http://example.org/id/initiative/record-{i}>" for i in range(1000))
    values = f"SELECT (COUNT(?s) AS ?n) WHERE {{ VALUES ?s {{ {iris} }} }}"
    assert len(values.encode()) > 43_000
    r = client.post(
        "/sparql",
        content=values,
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert r.status_code == 200
    assert r.text.split() == ["n", "1000"]


def test_deep_nesting_and_federation_are_refused_before_running(client: TestClient) -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    r = client.post("/sparql", content=deep, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert "nests" in r.json()["message"]
    remote = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": remote})
    assert r.status_code == 403
    # the word in a literal is harmless
    ok = 'SELECT ?x WHERE { BIND("SERVICE and LOAD" AS ?x) }'
    assert client.get("/sparql", params={"query": ok}).status_code == 200


def test_row_cap_truncates_visibly(records_dir: Path) -> None:
    with make_client(records_dir, KG_SPARQL_ROW_CAP="3") as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 200
        assert r.headers["x-sparql-truncated"] == "true"
        assert len(r.json()["results"]["bindings"]) == 3
        assert r.json()["truncated"] is True
        small = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
        assert "x-sparql-truncated" not in small.headers


def test_a_cut_answer_links_the_note_on_the_cap_in_its_head(records_dir: Path) -> None:
    """No obsolete `Warning: 199` (RFC 9111 §5.5); `X-SPARQL-Truncated` stays, and SPARQL JSON
    and XML name the editor's note on the limits in their head (`head.link`, SPARQL 1.1 Query
    Results JSON §3.1; `<link href>`, XML Format §2.2), which standard parsers still read."""
    note = f"{BASE}sparql#editor-help"
    query = {"query": "SELECT * WHERE { ?s ?p ?o }"}
    with make_client(records_dir, KG_SPARQL_ROW_CAP="3") as c:
        r = c.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json"})
        assert "warning" not in r.headers
        assert r.headers["x-sparql-truncated"] == "true"
        assert r.json()["head"]["link"] == [note]
        xml = c.get("/sparql", params=query, headers={"Accept": "application/sparql-results+xml"})
        assert "warning" not in xml.headers
        assert f'<link href="{note}"/></head>' in xml.text
        parsed = rdflib.query.Result.parse(io.BytesIO(xml.content), format="xml")
        assert len(list(parsed)) == 3
        small = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}
        whole = c.get(
            "/sparql", params=small, headers={"Accept": "application/sparql-results+json"}
        )
        assert "link" not in whole.json()["head"]
        page = c.get(note.removeprefix(BASE.rstrip("/")), headers={"Accept": "text/html"})
        assert 'id="editor-help"' in page.text
        assert "rows" in page.text


def test_updates_refused_without_token(client: TestClient) -> None:
    update = "INSERT DATA { <http://x/a> <http://x/b> 'c' }"
    r = client.post("/sparql", data={"update": update})
    assert r.status_code == 403
    assert "read-only" in r.json()["message"]
    r = client.post(
        "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
    )
    assert r.status_code == 403
    r = client.put("/rdf-graphs?graph=http://x/g", content="<http://x/a> <http://x/b> 'c' .")
    assert r.status_code == 403
    assert (
        client.get("/sparql", params={"query": "ASK { <http://x/a> ?p ?o }"}).json()["boolean"]
        is False
    )


def test_update_and_graph_store_with_the_admin_token(records_dir: Path) -> None:
    with make_client(records_dir, KG_ADMIN_TOKEN="s3cret-token") as c:
        ask = {"query": "ASK { <http://x/a> <http://x/b> 'c' }"}
        assert c.get("/sparql", params=ask).json()["boolean"] is False  # now cached
        update = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c' } }"
        wrong = {"Authorization": "Bearer not-it"}
        refused = c.post("/sparql", data={"update": update}, headers=wrong)
        assert refused.status_code == 401  # RFC 6750 §3.1: the token sent is not the one
        assert refused.headers["www-authenticate"] == (
            'Bearer realm="Rural Integration Knowledge Graph", error="invalid_token"'
        )
        good = {"Authorization": "Bearer s3cret-token"}
        assert c.post("/sparql", data={"update": update}, headers=good).status_code == 204
        assert c.get("/sparql", params=ask).json()["boolean"] is True  # the cache followed
        # Graph Store Protocol: read, replace, add, delete
        r = c.get("/rdf-graphs?graph=http://x/g", headers={"Accept": "application/n-triples"})
        assert r.text.strip() == '<http://x/a> <http://x/b> "c" .'
        body = "<http://x/a> <http://x/b> 'd' ."
        ttl = {"Content-Type": "text/turtle", **good}
        assert c.put("/rdf-graphs?graph=http://x/g", content=body, headers=ttl).status_code == 204
        assert c.post("/rdf-graphs?graph=http://x/h", content=body, headers=ttl).status_code == 201
        r = c.get("/rdf-graphs?graph=http://x/g", headers={"Accept": "text/turtle"})
        graph = rdflib.Graph().parse(data=r.text, format="turtle")
        assert {str(o) for o in graph.objects()} == {"d"}
        assert c.delete("/rdf-graphs?graph=http://x/g", headers=good).status_code == 204
        assert c.get("/rdf-graphs?graph=http://x/g").status_code == 404
        anonymous = c.delete("/rdf-graphs?graph=http://x/g")
        assert anonymous.status_code == 401  # no credentials: the challenge says which
        assert anonymous.headers["www-authenticate"] == (
            'Bearer realm="Rural Integration Knowledge Graph"'
        )


def test_an_update_whose_parameters_cannot_be_honoured_is_refused_not_half_done(
    records_dir: Path,
) -> None:
    """A code review: a direct update POST (Protocol §2.2.2) with another `update` in the URL,
    or an update with `using-graph-uri` (§2.2.3, which the store's update cannot take), ran
    with the URL's words silently dropped."""
    with make_client(records_dir, KG_ADMIN_TOKEN="s3cret-token") as c:
        update = "INSERT DATA { <http://x/a> <http://x/b> 'c' }"
        direct = {
            "Content-Type": "application/sparql-update",
            "Authorization": "Bearer s3cret-token",
        }
        for url, kwargs in (
            ("/sparql?update=CLEAR+DEFAULT", {"content": update, "headers": direct}),
            ("/sparql?using-graph-uri=http://x/g", {"content": update, "headers": direct}),
            (
                "/sparql?using-named-graph-uri=http://x/g",
                {"data": {"update": update}, "headers": {"Authorization": "Bearer s3cret-token"}},
            ),
        ):
            r = c.post(url, **kwargs)  # type: ignore[arg-type]
            assert r.status_code == 400, url
            assert "update" in r.json()["message"] or "USING" in r.json()["message"]
        ask = {"query": "ASK { <http://x/a> <http://x/b> 'c' }"}
        assert c.get("/sparql", params=ask).json()["boolean"] is False


def test_cache_etag_and_revalidation(client: TestClient) -> None:
    first = client.get("/sparql", params={"query": NAMES})
    again = client.get("/sparql", params={"query": NAMES})
    assert first.headers["x-sparql-cache"] == "miss"
    assert again.headers["x-sparql-cache"] == "hit"
    assert first.headers["server-timing"].startswith("query;dur=")
    assert "dur=" not in again.headers["server-timing"]  # a cached answer ran no query
    assert again.content == first.content
    assert "max-age" in first.headers["cache-control"]
    etag = first.headers["etag"]
    r = client.get("/sparql", params={"query": NAMES}, headers={"If-None-Match": etag})
    assert r.status_code == 304


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (RAND() AS ?v) WHERE {}",
        "SELECT (STRUUID() AS ?v) WHERE {}",
        "SELECT ?v WHERE { VALUES ?v { 1 2 3 4 5 6 7 8 9 10 } } ORDER BY rand() LIMIT 3",
    ],
)
def test_a_query_new_each_run_is_run_each_time(client: TestClient, query: str) -> None:
    """A trial's `ORDER BY RAND() LIMIT 3` sample came back the same twice, from the cache."""
    answers = [client.get("/sparql", params={"query": query}) for _ in range(5)]
    assert [r.headers["x-sparql-cache"] for r in answers] == ["miss"] * 5
    assert len({r.content for r in answers}) > 1
    for r in answers:
        assert r.headers["cache-control"] == "no-store"
        assert "etag" not in r.headers
    again = client.get("/sparql", params={"query": query}, headers={"If-None-Match": '"x"'})
    assert again.status_code == 200
    tagged = client.get("/sparql", params={"query": query}, headers={"If-Match": '"x"'})
    assert tagged.status_code == 412  # no tag can match an answer that has none


def test_ingest_invalidates_the_cache(client: TestClient, records_dir: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?r a schema:Project }"
    before = client.get("/sparql", params={"query": count})
    victim = next((records_dir / "initiative").glob("*.md"))
    victim.unlink()
    store = client.app.state.store  # type: ignore[attr-defined]
    ingest_records(store, [records_dir], base=BASE, prune=True)
    after = client.get("/sparql", params={"query": count})
    assert after.headers["etag"] != before.headers["etag"]
    n_before = int(before.json()["results"]["bindings"][0]["n"]["value"])
    assert int(after.json()["results"]["bindings"][0]["n"]["value"]) == n_before - 1


def test_rate_limit_answers_429_with_retry_after(records_dir: Path) -> None:
    with make_client(records_dir, KG_RATE_LIMIT_PER_MINUTE="5") as c:
        statuses = [c.get("/sparql", params={"query": "ASK {}"}).status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5
        assert statuses[5:] == [429, 429]
        r = c.get("/sparql", params={"query": "ASK {}"})
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert "retry" in r.json()["message"]
        assert c.get("/healthz").status_code == 200  # only the API is limited


def test_cors_and_service_description(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.eu"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        "/sparql",
        headers={"Origin": "https://x.eu", "Access-Control-Request-Method": "POST"},
    )
    assert "POST" in pre.headers["access-control-allow-methods"]
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=sd.text, format="turtle")
    sdns = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert {str(o) for o in graph.objects(None, sdns.endpoint)} == {f"{BASE}sparql"}
    assert (None, sdns.supportedLanguage, sdns.SPARQL11Query) in graph
    assert (None, sdns.supportedLanguage, sdns.SPARQL11Update) not in graph


def test_relative_iris_resolve_against_the_public_base(client: TestClient) -> None:
    """`<id/initiative/village-welcome>` without BASE is the record at the configured base
    (SPARQL 1.1 Query §4.1.1.2), not a 400; the service description says so."""
    query = "SELECT ?n { <id/initiative/village-welcome> schema:name ?n }"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.text.splitlines()[1:] == ["Village Welcome"]
    sd = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert f"resolve against <{BASE}>" in sd


def test_predeclared_prefixes(client: TestClient) -> None:
    for prefix in ("schema", "dcterms", "skos", "rikg", "owl", "prov", "rdfs", "xsd"):
        r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s {prefix}:x ?o }}"})
        assert r.status_code == 200, prefix


def test_unsupported_body_and_unacceptable_type(client: TestClient) -> None:
    r = client.post("/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.get("/sparql", params={"query": NAMES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    # a query that does not parse is said so first, whatever the client accepts (a trial's
    # client asking for text/html got "this query can answer in …" for a syntax error)
    for accept in ("image/png", "text/html"):
        r = client.post(
            "/sparql",
            content="SELECT ?s WHERE { ?s ?p ",
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        assert r.status_code == 400, accept
        assert "this { is not closed" in html.unescape(r.text), accept


def test_graph_store_refuses_a_relative_graph_name(client: TestClient) -> None:
    r = client.get("/rdf-graphs?graph=funding")
    assert r.status_code == 400
    assert "absolute IRI" in r.json()["message"]
    assert client.get("/rdf-graphs?graph=http://x/none").status_code == 404


def test_post_with_a_matching_if_none_match_is_412(client: TestClient) -> None:
    body = {"Content-Type": "application/sparql-query"}
    first = client.post("/sparql", content=NAMES, headers=body)
    assert first.status_code == 200
    etag = first.headers["etag"]
    for tag in ("*", etag, f'"other", W/{etag}'):
        r = client.post("/sparql", content=NAMES, headers={**body, "If-None-Match": tag})
        assert r.status_code == 412
        assert r.json()["error"] == "PreconditionFailed"
    again = client.post("/sparql", content=NAMES, headers={**body, "If-None-Match": '"other"'})
    assert again.status_code == 200
    # on GET the same condition is a 304
    assert (
        client.get("/sparql", params={"query": NAMES}, headers={"If-None-Match": "*"}).status_code
        == 304
    )


def test_busy_workers_and_a_greedy_client_say_when_to_retry(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every worker busy is its own error (503 `ServiceBusy`), not a `QueryTimeout`, and both
    it and the per-client cap (429 `TooManyQueries`) carry `Retry-After` (RFC 9110 §10.2.3,
    §15.6.4), which CORS exposes to pages of other origins."""
    endpoint = client.app.state.services.sparql  # type: ignore[attr-defined]

    async def busy(job: object) -> object:
        raise ServiceBusy("every query worker stayed busy", retry_after=4)

    monkeypatch.setattr(endpoint.runner, "run_async", busy)
    r = client.get("/sparql", params={"query": "ASK { ?s ?p 1 }"})
    assert r.status_code == 503
    assert r.json()["error"] == "ServiceBusy"
    assert r.headers["retry-after"] == "4"

    def greedy(slot: object) -> object:
        raise TooManyQueries("a has 1 query running", retry_after=3)

    monkeypatch.setattr(endpoint.slots, "hold", greedy)
    r = client.get("/sparql", params={"query": "ASK { ?s ?p 2 }"}, headers={"Origin": "http://o"})
    assert r.status_code == 429
    assert r.json()["error"] == "TooManyQueries"
    assert r.headers["retry-after"] == "3"
    assert "retry-after" in r.headers["access-control-expose-headers"].lower()


def test_the_editor_names_the_configured_endpoint_not_the_host_header(client: TestClient) -> None:
    """The editor page's text gives the endpoint at the configured base, whatever `Host` a
    client sends (a forged Host would otherwise be echoed into the page, and into any cache
    that keeps it)."""
    r = client.get("/sparql", headers={"Accept": "text/html", "Host": "evil.example"})
    assert r.status_code == 200
    assert "evil.example" not in r.text
    assert f"SPARQL 1.1 Protocol at <code>{BASE}sparql</code>" in " ".join(r.text.split())


def test_the_editor_names_every_predeclared_prefix(client: TestClient) -> None:
    """A re-trial saw 8 prefixes in the editor's help and 10 in the undeclared-prefix error."""
    html = client.get("/sparql", headers={"Accept": "text/html"}).text
    listed = re.search(r"The common prefixes \(([^)]*)\) are predeclared", " ".join(html.split()))
    assert listed is not None
    assert set(listed.group(1).split(", ")) == set(PREFIXES)


def test_the_editor_lists_the_examples_in_the_pages_language(client: TestClient) -> None:
    """A German researcher's editor listed the example catalogue in English: each example is
    titled and asked in the page's language, and says so (`lang`)."""
    de = client.get("/sparql?lang=de", headers={"Accept": "text/html"}).text
    assert 'data-example="initiatives-per-country" lang="de">Initiativen nach Land</a>' in de
    assert '<p lang="de">In welchen Ländern arbeiten die Initiativen' in de
    en = client.get("/sparql", headers={"Accept": "text/html"}).text
    assert 'data-example="initiatives-per-country" lang="en">Initiatives per country</a>' in en
