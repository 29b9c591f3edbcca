"""HTTP semantics every route shares (RFC 9110): HEAD is GET without the body, a 405 lists the
methods the resource allows, conditional requests by ETag then by date, preconditions (412),
CORS on errors too, and the framework's own errors (an unrouted path, a 405) in the project's
error shape."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, Response
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from starlette.requests import Request

from cli.http_protocol import NoDelayHttpToolsProtocol
from kg.settings import Settings
from kg.store import LocalStore
from web.errors import install_error_handlers
from web.http import _relative, etags, install_http, not_modified, precondition_failed
from web.templating import make_templates


def app() -> FastAPI:
    a = FastAPI()
    install_http(a)

    @a.get("/thing")
    def get_thing() -> Response:
        return Response("the thing", media_type="text/plain")

    @a.put("/thing")
    def put_thing() -> Response:
        return Response(status_code=204)

    @a.get("/echo")
    def echo(request: Request) -> dict[str, list[str]]:
        return {k: request.headers.getlist(k) for k in ("accept", "accept-language", "x-other")}

    @a.post("/only-post")
    def post_only() -> Response:
        return Response(status_code=204)

    @a.get("/Moved")
    def moved() -> Response:
        return Response(status_code=308, headers={"Location": "/moved?from=case"})

    @a.get("/moved")
    def arrived() -> Response:
        return Response("here", media_type="text/plain")

    @a.get("/things/{name}")
    def get_named(name: str) -> Response:
        if name != "kept":
            return Response("no such thing", status_code=404, media_type="text/plain")
        return Response("a thing", media_type="text/plain")

    return a


def request(**headers: str) -> Request:
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def test_head_is_get_without_the_body() -> None:
    with TestClient(app()) as c:
        got, head = c.get("/thing"), c.head("/thing")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] == "9"


def test_a_405_lists_what_the_resource_allows() -> None:
    with TestClient(app()) as c:
        r = c.delete("/thing")
        assert (r.status_code, r.headers["allow"]) == (405, "GET, HEAD, PUT")
        assert c.get("/only-post").headers["allow"] == "POST"


def test_a_method_on_a_missing_resource_is_404_not_405() -> None:
    """405 says the resource exists (RFC 9110 §15.5.6): a POST to a path only a pattern
    matches, with nothing there, is the GET's 404 (a trial POSTed to `/sparql/update` and
    `/data/x` and was told "Allow: GET, HEAD"); where the thing exists it stays 405."""
    with TestClient(app()) as c:
        missing = c.post("/things/nope", content=b"x=1")
        assert (missing.status_code, missing.text) == (404, "no such thing")
        assert "allow" not in missing.headers
        kept = c.post("/things/kept")
        assert (kept.status_code, kept.headers["allow"]) == (405, "GET, HEAD")


def test_a_method_on_static_files_is_404_or_405_as_the_file_exists(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body {}")
    a = app()
    a.mount("/static", StaticFiles(directory=tmp_path), name="static")
    with TestClient(a) as c:
        assert c.post("/static/nope.css").status_code == 404
        kept = c.post("/static/site.css")
        assert (kept.status_code, kept.headers["allow"]) == (405, "GET, HEAD")


def test_a_trailing_slash_redirects_for_good() -> None:
    """`/thing/` → `/thing` is 308 Permanent (a link checker records the address), for HEAD
    and a PUT too (308 keeps the method, RFC 9110 §15.4.9)."""
    with TestClient(app(), follow_redirects=False) as c:
        for method in ("GET", "HEAD", "PUT"):
            r = c.request(method, "/thing/")
            assert r.status_code == 308, method
            assert r.headers["location"] == "/thing"
        # relative: the client's Host is not written into a cacheable redirect (a trial's
        # `Host: evil.example` got `Location: http://evil.example/…`), nor `//host` kept
        forged = c.get("/thing/", headers={"Host": "evil.example"})
        assert forged.headers["location"] == "/thing"
        # never for good to a page that is not there (a link checker's `/id/initiative/`)
        for method in ("GET", "HEAD"):
            gone = c.request(method, "/things/nope/")
            assert (gone.status_code, gone.text) == (
                404,
                "" if method == "HEAD" else "no such thing",
            )
        assert c.get("/things/kept/").status_code == 308
        # a target that moves for good too is not a second hop (a trial's /initiative/Matilde/)
        for method in ("GET", "HEAD"):
            once = c.request(method, "/Moved/")
            assert (once.status_code, once.headers["location"]) == (308, "/moved?from=case")
    assert _relative(b"http://testserver//evil.example?a=1") == b"/evil.example?a=1"


def test_cors_headers_are_on_errors_too() -> None:
    with TestClient(app()) as c:
        r = c.delete("/thing", headers={"Origin": "https://network.example.eu"})
    assert r.headers["access-control-allow-origin"] == "*"
    exposed = r.headers["access-control-expose-headers"]
    assert "ETag" in exposed
    # a script reads the alternate formats and a download's name (a harvester trial)
    assert "Link" in exposed
    assert "Content-Disposition" in exposed


def test_a_preflight_names_the_methods_of_its_resource() -> None:
    """A researcher's trial: the preflight of a PUT to a record's IRI said PUT was allowed
    (every method the site takes), and the PUT then got 405. The preflight names the methods
    of the resource asked about, which a browser checks before sending; a path no route
    matches still allows GET and HEAD, so a script can read its 404."""

    def preflight(c: TestClient, path: str) -> str:
        r = c.options(
            path,
            headers={"Origin": "https://x.eu", "Access-Control-Request-Method": "PUT"},
        )
        assert r.status_code == 200, path
        return str(r.headers["access-control-allow-methods"])

    with TestClient(app()) as c:
        assert preflight(c, "/thing") == "GET, HEAD, PUT, OPTIONS"
        assert preflight(c, "/things/kept") == "GET, HEAD, OPTIONS"
        assert preflight(c, "/only-post") == "POST, OPTIONS"
        assert preflight(c, "/nowhere/at/all") == "GET, HEAD, OPTIONS"


def test_etag_lists_are_read_with_weak_tags() -> None:
    assert etags('W/"a", "b",W/"c"') == ['"a"', '"b"', '"c"']
    assert etags("") == []


@pytest.mark.parametrize(
    ("headers", "etag", "expected"),
    [
        ({"if_none_match": '"v1"'}, '"v1"', True),
        ({"if_none_match": 'W/"v0", W/"v1"'}, '"v1"', True),  # weak comparison
        ({"if_none_match": '"v1"'}, 'W/"v1"', True),
        ({"if_none_match": '"v0"'}, '"v1"', False),
        ({"if_none_match": "*"}, None, True),
        ({"if_none_match": '"v1"'}, None, False),
    ],
)
def test_if_none_match(headers: dict[str, str], etag: str | None, expected: bool) -> None:
    assert not_modified(request(**headers), etag) is expected


LAST = "Wed, 01 May 2024 10:00:00 GMT"


@pytest.mark.parametrize(
    ("headers", "last", "expected"),
    [
        ({"if_modified_since": "Wed, 01 May 2024 10:00:00 GMT"}, LAST, True),
        ({"if_modified_since": "Thu, 02 May 2024 10:00:00 GMT"}, LAST, True),
        ({"if_modified_since": "Tue, 30 Apr 2024 10:00:00 GMT"}, LAST, False),
        ({"if_modified_since": "yesterday"}, LAST, False),  # an invalid date is ignored
        ({"if_modified_since": "Thu, 02 May 2024 10:00:00 GMT"}, None, False),
        # If-None-Match decides when sent, whatever the date says
        (
            {"if_none_match": '"v0"', "if_modified_since": "Thu, 02 May 2024 10:00:00 GMT"},
            LAST,
            False,
        ),
    ],
)
def test_if_modified_since(headers: dict[str, str], last: str | None, expected: bool) -> None:
    assert not_modified(request(**headers), '"v1"', last) is expected


def post(**headers: str) -> Request:
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw})


@pytest.mark.parametrize(
    ("headers", "etag", "expected"),
    [
        ({"if_match": '"v1"'}, '"v1"', False),
        ({"if_match": '"v0", "v1"'}, '"v1"', False),
        ({"if_match": "*"}, '"v1"', False),
        ({"if_match": '"v0"'}, '"v1"', True),
        ({"if_match": 'W/"v1"'}, '"v1"', True),  # strong comparison: a weak tag never matches
        ({"if_match": '"v1"'}, 'W/"v1"', True),
        ({"if_match": '"v1"'}, None, True),
        # If-Match decides when sent: If-Unmodified-Since is then not looked at (§13.2.2)
        (
            {"if_match": '"v1"', "if_unmodified_since": "Tue, 30 Apr 2024 10:00:00 GMT"},
            '"v1"',
            False,
        ),
        ({"if_unmodified_since": "Tue, 30 Apr 2024 10:00:00 GMT"}, '"v1"', True),
        ({"if_unmodified_since": "Wed, 01 May 2024 10:00:00 GMT"}, '"v1"', False),
        ({"if_unmodified_since": "Thu, 02 May 2024 10:00:00 GMT"}, '"v1"', False),
        ({"if_unmodified_since": "last week"}, '"v1"', False),  # an invalid date is ignored
        # on GET a failed If-None-Match is a 304, never a 412
        ({"if_none_match": "*"}, '"v1"', False),
        ({"if_none_match": '"v1"'}, '"v1"', False),
    ],
)
def test_preconditions_of_a_get(headers: dict[str, str], etag: str | None, expected: bool) -> None:
    assert precondition_failed(request(**headers), etag, LAST) is expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"if_none_match": "*"}, True),
        ({"if_none_match": '"v0", W/"v1"'}, True),  # weak comparison for If-None-Match
        ({"if_none_match": '"v0"'}, False),
        ({"if_match": '"v0"'}, True),
        ({}, False),
    ],
)
def test_preconditions_of_a_post(headers: dict[str, str], expected: bool) -> None:
    assert precondition_failed(post(**headers), '"v1"') is expected


def test_unrouted_paths_and_405s_answer_in_the_error_shape() -> None:
    a = app()
    a.state.templates = make_templates()
    a.state.settings = Settings.from_env({"KG_STORE": "memory"})
    a.state.store = LocalStore(None)
    install_error_handlers(a)
    with TestClient(a) as c:
        r = c.delete("/thing")
        assert r.status_code == 405
        assert r.json() == {"error": "MethodNotAllowed", "message": "Method Not Allowed"}
        assert r.headers["allow"] == "GET, HEAD, PUT"
        missing = c.get("/nothing-here")
        assert missing.status_code == 404
        assert missing.json() == {"error": "NotFound", "message": "no page at /nothing-here"}


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(65536)


def test_an_http11_request_needs_exactly_one_host_header() -> None:
    """Over a real socket, with the HTTP protocol `kg serve` runs (uvicorn's httptools parser
    does not check Host; RFC 9112 §3.2 says 400 for none or several)."""
    config = uvicorn.Config(
        app(), host="127.0.0.1", port=0, http=NoDelayHttpToolsProtocol, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        ok = _raw(port, b"GET /thing HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")
        assert ok.startswith(b"HTTP/1.1 200")
        none = _raw(port, b"GET /thing HTTP/1.1\r\nConnection: close\r\n\r\n")
        assert none.startswith(b"HTTP/1.1 400")
        assert b"no Host header" in none
        two = b"GET /thing HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"
        assert _raw(port, two).startswith(b"HTTP/1.1 400")
        old = _raw(port, b"GET /thing HTTP/1.0\r\n\r\n")  # HTTP/1.0 has no Host requirement
        assert old.startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(10)


def test_repeated_list_fields_are_read_as_one_list() -> None:
    """RFC 9110 §5.3: two `Accept` lines are one list; a route reading one header saw only the
    first (a trial's 303 went to Turtle, its q=0.3 choice, over JSON-LD at q=0.9). Other
    repeated fields are left as sent."""
    headers = [
        ("Accept", "text/turtle;q=0.3"),
        ("X-Other", "a"),
        ("Accept", "application/ld+json;q=0.9"),
        ("Accept-Language", "xx"),
        ("Accept-Language", "es"),
        ("X-Other", "b"),
    ]
    seen = TestClient(app()).get("/echo", headers=headers).json()
    assert seen == {
        "accept": ["text/turtle;q=0.3, application/ld+json;q=0.9"],
        "accept-language": ["xx, es"],
        "x-other": ["a", "b"],
    }
