"""YASGUI (`@zazuko/yasgui`, the browser client Fuseki ships) as a researcher's page on another
origin uses it, against a live `kg serve` (issue 14): it must see results and the server's own
error messages, which needs CORS on every response, errors included.

YASGUI comes from npm (`make test` installs it into the git-ignored `var/yasgui/`).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from bench.live import LiveServer, free_port, live_server
from tests.e2e.browser import chromium, local_page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
YASGUI = ROOT / "var" / "yasgui" / "node_modules" / "@zazuko" / "yasgui" / "build"
SCREENSHOTS = ROOT / "var" / "screenshots"
NAME_OF = (
    'SELECT ?name WHERE { ?p <http://schema.org/identifier> "870831" ; '
    "<http://schema.org/name> ?name }"
)
GRAPH_OF = (
    "CONSTRUCT { ?p <http://schema.org/name> ?name } WHERE { "
    '?p <http://schema.org/identifier> "870831" ; <http://schema.org/name> ?name }'
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>A researcher's page</title>
<link rel="stylesheet" href="/yasgui/yasgui.min.css"></head>
<body><div id="yasgui"></div>
<script src="/yasgui/yasgui.min.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: params.get("endpoint"),
      method: params.get("method"),
      acceptHeaderGraph: params.get("graph") || "text/turtle",
    },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
  });
</script></body></html>
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("yasgui"), KG_SPARQL_TIMEOUT="2") as s:
        yield s


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The researcher's page, served from another loopback origin (another port)."""
    assert (YASGUI / "yasgui.min.js").exists(), (
        f"YASGUI is not installed in {YASGUI}: run `make test` (it installs @zazuko/yasgui "
        "from npm)"
    )
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text(PAGE)
    (site / "yasgui").symlink_to(YASGUI)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def run(page: Page, query: str) -> str:
    """Type-free: set the query in YASGUI's tab, run it, and return what its result pane shows."""
    page.evaluate(
        """async (query) => {
            const tab = window.yasgui.getTab();
            tab.setQuery(query);
            window.done = false;
            tab.once("queryResponse", () => { window.done = true; });
            tab.query();
        }""",
        query,
    )
    page.wait_for_function("window.done === true", timeout=30_000)
    page.wait_for_timeout(300)  # Yasr draws after the response event
    return page.inner_text(".yasr")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_yasgui_on_another_origin(
    server: LiveServer, other_origin: str, browser: object, method: str
) -> None:
    from urllib.parse import urlencode

    endpoint = server.url + "sparql"
    for graph_type, expected in [
        ("text/turtle", "@prefix"),
        ("application/n-quads", '<http://schema.org/name> "Migration'),
    ]:
        query = urlencode({"endpoint": endpoint, "method": method, "graph": graph_type})
        with local_page(browser) as (page, outside):  # type: ignore[arg-type]
            page.goto(f"{other_origin}index.html?{query}")
            page.wait_for_function("window.yasgui !== undefined")
            if graph_type == "text/turtle":
                table = run(page, NAME_OF)
                assert "Migration Impact Assessment" in table, table
                assert page.locator(".yasr table tbody tr").count() == 1
                page.screenshot(path=str(_shot(f"yasgui-select-{method}.png")))
                yes = run(page, 'ASK { ?p <http://schema.org/identifier> "870831" }')
                assert yes.splitlines()[-1] == "True", yes
                syntax = run(page, "SELECT * WHERE { ?s nosuchprefix:p ?o }")
                assert "QuerySyntaxError" in syntax, syntax
                assert re.search(r"SPARQL syntax error: error at 1:\d+", syntax), syntax
                assert "Failed to fetch" not in syntax
                page.screenshot(path=str(_shot(f"yasgui-error-{method}.png")))
                slow = run(page, SLOW)
                assert "QueryTimeout" in slow, slow
                assert "KG_SPARQL_TIMEOUT" in slow
            shown = run(page, GRAPH_OF)
            assert "Migration Impact Assessment" in shown, shown  # YASGUI parsed and drew it
            media, raw = page.evaluate(
                """() => {
                    const results = window.yasgui.getTab().getYasr().results;
                    return [results.getContentType(), results.getOriginalResponseAsString()];
                }"""
            )
            assert media.split(";")[0] == graph_type
            assert expected in raw, raw
            assert not outside


def _shot(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name
