"""Services are built once when the app starts, handed to routes, and stopped with it."""

from pathlib import Path

from fastapi.testclient import TestClient

from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from kg.store import LocalStore
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"


def test_one_set_of_services_serves_every_request_and_stops_with_the_app(
    records_dir: Path,
) -> None:
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"})
    search = SearchService(store, settings, embedder=HashEmbedder())
    app = create_app(settings, store=store, search=search)
    with TestClient(app) as client:
        services = app.state.services
        assert services.search is search  # the one given, not a new one per request
        assert client.get("/api/search", params={"q": "rural"}).status_code == 200
        query = {"query": "ASK {}"}
        assert client.get("/sparql", params=query).headers["X-SPARQL-Cache"] == "miss"
        assert client.get("/sparql", params=query).headers["X-SPARQL-Cache"] == "hit"
        assert app.state.services is services
    assert app.state.services is None  # stopped: the query runner is closed


def test_the_rate_limit_is_shared_by_the_api_and_the_endpoint(records_dir: Path) -> None:
    store = LocalStore(None)
    settings = Settings.from_env(
        {"KG_BASE_URI": BASE, "KG_STORE": "memory", "KG_RATE_LIMIT_PER_MINUTE": "2"}
    )
    search = SearchService(store, settings, embedder=HashEmbedder())
    with TestClient(create_app(settings, store=store, search=search)) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert client.get("/api/search").status_code == 200
        assert client.get("/api/search").status_code == 429
