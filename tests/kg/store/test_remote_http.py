"""The SPARQL protocol client of the remote store, against a small local HTTP server: what it
sends, and the store's answers mapped into the error family."""

import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.errors import Forbidden, QuerySyntaxError, QueryTimeout, StoreError
from kg.settings import Settings
from kg.store.remote_http import SparqlHttp

SEEN: list[tuple[str, str, dict[str, list[str]]]] = []


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        fields = urllib.parse.parse_qs(body)
        SEEN.append((self.path, self.headers["Content-Type"], fields))
        text = (fields.get("query") or fields.get("update") or [""])[0]
        status = {"#400": 400, "#401": 401, "#500": 500}.get(text[-4:], 200)
        if text.endswith("#slow"):
            time.sleep(1)
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json; charset=utf-8")
        self.end_headers()
        self.wfile.write(
            b"bad thing\n\nSPARQL query:\n" + text.encode() if status != 200 else b"{}"
        )

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http() -> Iterator[SparqlHttp]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    SEEN.clear()
    yield SparqlHttp(Settings.from_env({"KG_SPARQL_ENDPOINT": url}), timeout=0.5)
    server.shutdown()
    server.server_close()


def test_a_query_is_posted_form_encoded_with_its_dataset(http: SparqlHttp) -> None:
    media, body = http.query("ASK {}", accept="*/*", default_graphs=["http://x/g"])
    assert (media, body) == ("application/sparql-results+json", b"{}")
    path, content_type, fields = SEEN[0]
    assert path == "/sparql"
    assert content_type.startswith("application/x-www-form-urlencoded")
    assert fields == {"query": ["ASK {}"], "default-graph-uri": ["http://x/g"]}


def test_the_store_errors_become_ours_without_the_echoed_query(http: SparqlHttp) -> None:
    with pytest.raises(QuerySyntaxError, match=r"refused the query: bad thing$"):
        http.query("SELECT #400", accept="*/*")
    with pytest.raises(Forbidden, match="GRANT SPARQL_UPDATE"):
        http.update("INSERT DATA {} #401")
    with pytest.raises(StoreError, match=r"failed \(500\)"):
        http.query("ASK {} #500", accept="*/*")


def test_a_slow_store_is_a_timeout_and_an_absent_one_a_store_error(http: SparqlHttp) -> None:
    with pytest.raises(QueryTimeout, match=r"within 0\.5 s"):
        http.query("ASK {} #slow", accept="*/*")
    gone = SparqlHttp(
        Settings.from_env({"KG_SPARQL_ENDPOINT": "http://127.0.0.1:9/sparql"}), timeout=1
    )
    with pytest.raises(StoreError, match="cannot reach"):
        gone.query("ASK {}", accept="*/*")


def test_only_http_urls_are_used() -> None:
    local = SparqlHttp(Settings.from_env({"KG_SPARQL_ENDPOINT": "file:///etc/passwd"}), timeout=1)
    with pytest.raises(StoreError, match="must start with http"):
        local.query("ASK {}", accept="*/*")
