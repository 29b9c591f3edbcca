"""One handler for the error family: status, JSON body, and pages for browsers — the 404 page
for records and for any path no route serves, a page saying why for every other error; the
framework's 405 in the same shape."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kg.errors import NotFound, QuerySyntaxError, RateLimited
from kg.settings import Settings
from kg.store import LocalStore
from web.errors import install_error_handlers
from web.templating import make_templates


def app() -> FastAPI:
    a = FastAPI()
    a.state.templates = make_templates()
    a.state.settings = Settings.from_env({"KG_STORE": "memory"})
    a.state.store = LocalStore(None)
    install_error_handlers(a)

    @a.get("/initiative/{slug}")
    def missing(slug: str) -> None:
        raise NotFound(f"no record at /initiative/{slug}")

    @a.get("/busy")
    def busy() -> None:
        raise RateLimited("too many", retry_after=7)

    @a.get("/bad")
    def bad() -> None:
        raise QuerySyntaxError("SPARQL syntax error: 1:3")

    return a


def test_a_missing_record_is_a_page_for_browsers_and_json_for_programs() -> None:
    client = TestClient(app())
    page = client.get("/initiative/rural-homes", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "rural homes" in page.text  # offered as a search
    data = client.get("/initiative/rural-homes", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert data.json() == {"error": "NotFound", "message": "no record at /initiative/rural-homes"}


def test_other_errors_keep_their_status_name_and_retry_after() -> None:
    client = TestClient(app())
    busy = client.get("/busy")
    assert (busy.status_code, busy.headers["Retry-After"]) == (429, "7")
    bad = client.get("/bad")
    assert bad.status_code == 400
    assert bad.json()["error"] == "QuerySyntaxError"


# (`/initiative` lists the initiatives now: a kind's address leads to the search)
@pytest.mark.parametrize("path", ["/foo", "/initiatives", "/id/", "/static/nope.css"])
def test_an_unrouted_path_is_the_site_404_page_for_browsers(client: TestClient, path: str) -> None:
    page = client.get(path, headers={"Accept": "text/html", "Accept-Language": "es"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="es">' in page.text
    assert "<h1>No encontrado</h1>" in page.text
    assert "detail" not in page.text.split("<body", 1)[0]  # not FastAPI's JSON
    for accept in ("application/json", None):
        headers = {"Accept": accept} if accept else {}
        data = client.get(path, headers=headers)
        assert data.status_code == 404
        assert data.json() == {"error": "NotFound", "message": f"no page at {path}"}


def test_a_method_not_allowed_is_in_the_error_shape(client: TestClient) -> None:
    r = client.delete("/search")
    assert r.status_code == 405
    assert r.json() == {"error": "MethodNotAllowed", "message": "Method Not Allowed"}
    assert r.headers["allow"] == "GET, HEAD"


def test_every_other_error_is_a_page_in_the_browsers_language_with_the_same_status() -> None:
    """A person who follows a link that fails (a rate limit, a request the site cannot read,
    the moderation page without its token) gets a page in their language, not raw JSON; the
    status and `Retry-After` are those a program gets."""
    client = TestClient(app())
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "es"}
    busy = client.get("/busy", headers=browser)
    assert (busy.status_code, busy.headers["Retry-After"]) == (429, "7")
    assert busy.headers["content-type"].startswith("text/html")
    assert "No se ha podido responder a esta petición" in busy.text
    assert "too many" in busy.text  # the developers' detail, in English
    bad = client.get("/bad", headers=browser)
    assert bad.status_code == 400
    assert "SPARQL syntax error: 1:3" in bad.text
    assert client.get("/bad", headers={"Accept": "*/*"}).json()["error"] == "QuerySyntaxError"


def test_the_moderation_page_without_a_token_is_a_page_for_browsers(client: TestClient) -> None:
    page = client.get("/moderate", headers={"Accept": "text/html"})
    assert page.status_code in (401, 403)
    assert page.headers["content-type"].startswith("text/html")
    assert "This request could not be answered" in page.text


def test_a_parameter_fastapi_cannot_read_is_a_400_naming_it(client: TestClient) -> None:
    """`limit=abc` or `mode=nope` is a malformed request like any other: 400, the family's body
    naming the parameter, the reason and the value, and a page for a browser."""
    r = client.get("/api/search", params={"limit": "abc", "mode": "nope"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "BadRequest"
    assert "limit: Input should be a valid integer" in body["message"]
    assert "(given: 'abc')" in body["message"]
    assert "mode: " in body["message"]
    page = client.get("/api/search?offset=-1", headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "offset: Input should be greater than or equal to 0" in page.text


def test_an_error_says_it_varies_with_accept(client: TestClient) -> None:
    """The same 404 or 400 is a page or JSON by `Accept`: `Vary: Accept` keeps a shared cache
    from handing a browser the JSON (RFC 9110 §12.5.5)."""
    for path in ("/initiative/nowhere", "/api/search?limit=abc"):
        for accept in ("text/html", "application/json"):
            r = client.get(path, headers={"Accept": accept})
            assert r.status_code in (400, 404)
            assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")], (path, accept)
