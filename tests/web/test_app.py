"""The application as assembled by `create_app`: local API docs, the OpenAPI description, the
order of routes."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from kg.store import LocalStore
from web.app import create_app


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings.from_env({"KG_BASE_URI": "http://testserver/", "KG_STORE": "memory"})
    with TestClient(create_app(settings, store=LocalStore(None))) as c:
        yield c


def test_the_api_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/api/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page
    assert "https://" not in page.replace("https://schema.org", "")
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_the_openapi_description_names_protocol_parameters_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    get = spec["paths"]["/sparql"]["get"]
    assert {p["name"] for p in get["parameters"]} >= {"query", "default-graph-uri", "format"}
    assert "429" in get["responses"]
    assert "rate limit" in get["responses"]["429"]["description"]


def test_fixed_routes_are_not_shadowed_by_record_pages(client: TestClient) -> None:
    assert client.get("/browse").status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/initiative/none", headers={"Accept": "application/json"}).status_code == 404
