"""The OpenAPI document describes error bodies and negotiated media types as the routes
answer them (`web/openapi.py` builds those descriptions)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web.openapi import ErrorBody, errors, media, query_parameters


def test_error_responses_share_one_body_and_say_why() -> None:
    described = errors(404, 429, 418)
    assert described[404] == {"model": ErrorBody, "description": "not found"}
    assert "Retry-After" in described[429]["description"]
    assert described[418]["description"] == "error"  # a status without a reason of its own


def test_media_types_and_free_query_parameters() -> None:
    assert media("a graph", "text/turtle", "application/ld+json") == {
        200: {"description": "a graph", "content": {"text/turtle": {}, "application/ld+json": {}}}
    }
    [param] = query_parameters("default-graph-uri")["parameters"]
    assert (param["name"], param["in"], param["required"]) == ("default-graph-uri", "query", False)


def test_the_served_document_uses_them(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert set(doc["components"]["schemas"]["ErrorBody"]["properties"]) == {"error", "message"}
    sparql = doc["paths"]["/sparql"]["get"]
    assert "application/sparql-results+json" in sparql["responses"]["200"]["content"]
    assert "default-graph-uri" in {p["name"] for p in sparql["parameters"]}
    assert sparql["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    # a search hit's snippet is HTML (a trial's client showed "<mark>" as text): it says so
    snippet = doc["components"]["schemas"]["SearchHitPublic"]["properties"]["snippet"]
    assert snippet["description"].startswith("HTML:")


def test_an_unreadable_parameter_is_described_as_the_400_it_gets(client: TestClient) -> None:
    """FastAPI would describe a 422 with its own body; the API answers such a request 400 in
    the error family's shape (`web.errors`), and the document says so."""
    doc = client.get("/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert "422" not in operation["responses"], (method, path)
    search = doc["paths"]["/api/search"]["get"]["responses"]["400"]
    assert search["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    r = client.get("/api/search", params={"limit": "abc"})
    assert r.status_code == 400
    assert set(r.json()) == {"error", "message"}


def test_the_writes_say_they_take_the_admin_token(client: TestClient) -> None:
    """A German trial read PUT, POST and DELETE on `/rdf-graphs` in the API's documentation
    with nothing saying they were protected: they require the bearer token; `/sparql` takes
    it (for updates) or nothing; reads do not mention it."""
    doc = client.get("/openapi.json").json()
    scheme = doc["components"]["securitySchemes"]["adminToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    graphs = doc["paths"]["/rdf-graphs"]
    for method in ("put", "post", "delete"):
        assert graphs[method]["security"] == [{"adminToken": []}]
    assert "security" not in graphs["get"]
    assert doc["paths"]["/sparql"]["post"]["security"] == [{}, {"adminToken": []}]
    assert "security" not in doc["paths"]["/api/search"]["get"]


def test_what_the_document_says_a_client_must_send(client: TestClient) -> None:
    """A researcher's trial read POST /sparql with no request body, oEmbed's `url` as optional
    (it is refused without), open-ended years (1000-9999 are taken) and /api/similar without
    its 404: each is described as the routes answer."""
    doc = client.get("/openapi.json").json()
    body = doc["paths"]["/sparql"]["post"]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
    }
    form = body["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert {"query", "update", "default-graph-uri", "named-graph-uri"} <= set(form)
    [url] = [p for p in doc["paths"]["/oembed"]["get"]["parameters"] if p["name"] == "url"]
    assert url["required"] is True
    assert client.get("/oembed").status_code == 400
    for name in ("year_from", "year_to"):
        [param] = [p for p in doc["paths"]["/api/search"]["get"]["parameters"] if p["name"] == name]
        [number] = [s for s in param["schema"]["anyOf"] if s["type"] == "integer"]
        assert (number["minimum"], number["maximum"]) == (1000, 9999)
        assert client.get("/api/search", params={name: "999"}).status_code == 400
    similar = doc["paths"]["/api/similar/{kind}/{slug}"]["get"]["responses"]
    assert "404" in similar
    assert client.get("/api/similar/initiative/no-such-thing").status_code == 404
    assert "429" in doc["paths"]["/api/search"]["get"]["responses"]
    # a POST whose If-None-Match matches is 412, a GET's is 304 (RFC 9110 §13.1.2); the query
    # string has a limit (414): a researcher's trial got the 412 and 414 undocumented
    post, get = (doc["paths"]["/sparql"][m]["responses"] for m in ("post", "get"))
    assert ("412" in post, "304" in post) == (True, False)
    assert {"304", "414"} <= set(get)


def test_the_linked_data_routes_are_described_as_they_answer(client: TestClient) -> None:
    """A researcher's trial found no path of the linked data in the document (record and
    concept IRIs, data documents, dumps, VoID, the vocabulary) and `/api/search/download`
    with `format` alone, though it takes every filter of the search: each is described, and
    what a described route answers is what its description says."""
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    rdf = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}
    iri = paths["/id/{kind}/{slug}"]["get"]
    assert "linked data" in iri["tags"]
    assert {"303", "308", "404", "406"} <= set(iri["responses"])
    assert "Location" in iri["responses"]["303"]["headers"]
    # a route that only redirects lists no 200 (a trial's client expected one it never got)
    for path in ("/id/{kind}/{slug}", "/graph/{kind}/{slug}", "/scheme/{scheme}"):
        assert "200" not in paths[path]["get"]["responses"], path
    oembed_404 = paths["/oembed"]["get"]["responses"]["404"]
    assert "application/json" in oembed_404["content"]  # as it answers
    record = paths["/{kind}/{name}"]["get"]["responses"]
    assert rdf | {"text/html"} <= set(record["200"]["content"])
    for path in ("/ns.{ext}", "/.well-known/void"):
        assert rdf == set(paths[path]["get"]["responses"]["200"]["content"]), path
    assert set(paths["/data/{name}"]["get"]["responses"]["200"]["content"]) == {"application/gzip"}
    for path in ("/scheme/{scheme}", "/scheme/{scheme}/{concept_id}", "/graph/{kind}/{slug}"):
        assert "303" in paths[path]["get"]["responses"], path
    assert {"404", "410"} <= set(paths["/embed/{kind}/{slug}"]["get"]["responses"])
    # what they say holds: a record's IRI sends Turtle's client to the Turtle document
    r = client.get(
        "/id/initiative/village-welcome", headers={"Accept": "text/turtle"}, follow_redirects=False
    )
    assert (r.status_code, r.headers["location"]) == (303, "/initiative/village-welcome.ttl")
    assert client.get(r.headers["location"]).headers["content-type"].startswith("text/turtle")
    search = {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    download = {p["name"] for p in paths["/api/search/download"]["get"]["parameters"]}
    assert download == search - {"limit", "offset"} | {"format"}
    assert {"q", "theme", "country", "year_from", "sort", "lang"} <= download
    assert client.get("/api/search/download", params={"year_from": "99"}).status_code == 400


def test_every_operation_has_a_summary_a_person_wrote(client: TestClient) -> None:
    """A web developer's trial read "Sparql Get", "Api Search" and "Api Search Download" in
    the API docs: FastAPI's titles made from function names. Every operation has its own."""
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            summary = operation.get("summary", "")
            generated = operation["operationId"].split(f"_{path.strip('/').split('/')[0]}")[0]
            assert summary, (method, path)
            assert summary.lower().replace(" ", "_") != generated, (method, path, summary)
