"""The application as assembled by `create_app`: local API docs, the OpenAPI description, the
order of routes, the site's icon."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from kg.store import LocalStore
from web.app import STATIC_MAX_AGE, create_app


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
    assert '<html lang="en">' in page  # an accessibility audit found no language (SC 3.1.1)


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


def test_pages_declare_the_site_icon_and_it_is_an_image(client: TestClient) -> None:
    for page in ("/", "/search", "/browse", "/nowhere"):
        html = client.get(page, headers={"Accept": "text/html"}).text
        link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
        assert link is not None, page
        icon = client.get(link.group(1))
        assert icon.status_code == 200
        assert icon.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in icon.content


def test_favicon_ico_leads_to_the_site_icon(client: TestClient) -> None:
    moved = client.get("/favicon.ico", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"] == "/static/icon.svg"
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_the_usual_addresses_of_api_docs_lead_to_them(client: TestClient) -> None:
    """A trial's link to `/docs` (FastAPI's usual address) was 404."""
    for path in ("/docs", "/api", "/api/"):
        moved = client.get(path, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) in {
            (308, "/api/docs"),
            (308, "/api"),  # `/api/` loses its slash first
        }, path
        docs = client.get(path, follow_redirects=True)
        assert docs.status_code == 200, path
        assert "swagger-ui" in docs.text, path


def test_static_files_say_how_long_they_keep(client: TestClient) -> None:
    """The embed script, loaded by every embedded card, had only heuristic freshness."""
    for path in ("/static/embed.js", "/static/site.css", "/static/og-card.png"):
        r = client.get(path)
        assert r.status_code == 200
        assert r.headers["cache-control"] == f"public, max-age={STATIC_MAX_AGE}"
        again = client.get(path, headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304
        # RFC 9110 §13.2.2: a failed If-Match or If-Unmodified-Since is a 412
        assert client.get(path, headers={"If-Match": '"other"'}).status_code == 412
        stale = {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        assert client.get(path, headers=stale).status_code == 412
        assert client.get(path, headers={"If-Match": r.headers["etag"]}).status_code == 200
