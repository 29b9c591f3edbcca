"""Issue 6: a page on a second local origin embeds a record through /oembed (real Chromium)."""

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from bench.live import LiveServer, free_port, live_server
from kg.settings import PROJECT_ROOT
from tests.e2e.browser import chromium, local_page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CONSUMER = """<!doctype html><html><head><meta charset="utf-8"><title>Partner site</title></head>
<body style="font-family:sans-serif;margin:16px"><h1>A partner website</h1>
<p>A practice from the Rural Integration Knowledge Graph:</p><div id="slot"></div>
<script>
fetch("{provider}oembed?format=json&url=" + encodeURIComponent("{page}"))
  .then(r => r.json()).then(o => {{ document.getElementById("slot").innerHTML = o.html; }});
</script></body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("oembed")) as s:
        yield s


@pytest.fixture
def consumer(server: LiveServer, tmp_path: Path) -> Iterator[str]:
    yield from _consumer(server, tmp_path, f"{server.url}initiative/nuevos-senderos")


@pytest.fixture
def consumer_es(server: LiveServer, tmp_path: Path) -> Iterator[str]:
    """The partner embeds the record's page as a Spanish reader shares it (`?lang=es`)."""
    yield from _consumer(server, tmp_path, f"{server.url}initiative/nuevos-senderos?lang=es")


def _consumer(server: LiveServer, tmp_path: Path, page: str) -> Iterator[str]:
    (tmp_path / "index.html").write_text(CONSUMER.format(provider=server.url, page=page))
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}/index.html"  # another origin
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_embedded_card_renders_without_overflow(consumer: str) -> None:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 520, "height": 480}) as (
            page,
            outside,
        ),
    ):
        page.goto(consumer)
        frame_el = page.wait_for_selector("#slot iframe", timeout=15_000)
        assert frame_el is not None
        box = frame_el.bounding_box()
        assert box is not None
        assert (round(box["width"]), round(box["height"])) == (400, 300)
        frame = frame_el.content_frame()
        assert frame is not None
        frame.wait_for_selector("h1")
        assert frame.inner_text("h1") == "Nuevos Senderos"
        sizes = frame.evaluate(
            "() => { const c = document.querySelector('.card');"
            " return [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
            " c.scrollWidth, c.clientWidth, c.scrollHeight, c.clientHeight]; }"
        )
        doc_w, doc_h, card_sw, card_cw, card_sh, card_ch = sizes
        assert doc_w <= 400
        assert doc_h <= 300
        assert card_sw <= card_cw
        assert card_sh <= card_ch
        assert frame.evaluate(CUT_CHIPS) == []
        frame_el.screenshot(path=str(PROJECT_ROOT / "docs" / "screenshots" / "oembed-card.png"))
        assert outside == []


def test_the_embed_code_shows_the_card_in_a_local_file(server: LiveServer, tmp_path: Path) -> None:
    """A webmaster pasted the embed code into a local HTML file to try it, and Chromium showed
    "refused to connect": `frame-ancestors *` leaves out pages without a network origin."""
    local = tmp_path / "try-the-embed-code.html"
    local.write_text(
        '<!doctype html><meta charset="utf-8"><title>Try</title>'
        f'<iframe src="{server.url}embed/initiative/nuevos-senderos" width="400" height="300">'
        "</iframe>"
    )
    with chromium() as browser, local_page(browser) as (page, outside):
        page.goto(local.as_uri())
        frame = page.wait_for_selector("iframe", timeout=15_000).content_frame()
        assert frame is not None
        frame.wait_for_selector("h1", timeout=15_000)
        assert frame.inner_text("h1") == "Nuevos Senderos"
        assert outside == []


def test_the_pages_embed_code_fits_a_phone(server: LiveServer, tmp_path: Path) -> None:
    """An Italian trial pasted the record page's embed code into a page read on a 390-pixel
    phone: the 400-pixel frame made the whole page scroll sideways. It now shrinks to fit."""
    import html
    import re
    import urllib.request

    with urllib.request.urlopen(f"{server.url}initiative/nuevos-senderos") as r:
        page_html = r.read().decode()
    code = html.unescape(re.search(r'<pre class="snippet">(.*?)</pre>', page_html, re.S).group(1))  # type: ignore[union-attr]
    local = tmp_path / "partner.html"
    local.write_text(
        '<!doctype html><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Partner</title>'
        f'<body style="margin:8px"><p>Our partners:</p>{code}</body>'
    )
    with (
        chromium() as browser,
        local_page(
            browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        ) as (page, outside),
    ):
        page.goto(local.as_uri())
        frame = page.wait_for_selector("iframe", timeout=15_000).content_frame()
        assert frame is not None
        frame.wait_for_selector("h1", timeout=15_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert (
            page.evaluate("document.querySelector('iframe').getBoundingClientRect().right") <= 390
        )
        assert outside == []


#: the theme chips an embedded card shows that its chip area cuts (it must show whole rows)
CUT_CHIPS = """() => { const area = document.querySelector('.tags').getBoundingClientRect();
  return [...document.querySelectorAll('.tags span')].filter(c => !c.hidden)
    .filter(c => c.getBoundingClientRect().bottom > area.bottom + 0.5).map(c => c.textContent); }"""


@pytest.mark.parametrize(
    ("slug", "width", "height"), [("matilde", 300, 200), ("share-sira", 400, 300)]
)
def test_a_small_card_shows_whole_rows_of_chips(
    server: LiveServer, slug: str, width: int, height: int
) -> None:
    """Chips that do not fit are left out whole, not cut in half by the link line; made taller,
    the card shows them again."""
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": width, "height": height}) as (page, outside),
    ):
        page.goto(f"{server.url}embed/initiative/{slug}")
        shown = page.locator(".tags span:not([hidden])").count()
        assert page.evaluate(CUT_CHIPS) == []
        assert 0 < shown < page.locator(".tags span").count()  # some left out at this size
        page.set_viewport_size({"width": width, "height": height + 200})
        page.wait_for_function(
            f"document.querySelectorAll('.tags span:not([hidden])').length > {shown}"
        )
        assert page.evaluate(CUT_CHIPS) == []
        assert outside == []


@pytest.mark.parametrize(("width", "height"), [(150, 80), (300, 120), (300, 160), (200, 250)])
def test_a_very_small_card_keeps_its_name_and_its_link_back(
    server: LiveServer, width: int, height: int
) -> None:
    """oEmbed never answers larger than `maxwidth`×`maxheight` (oEmbed §2.2), so a consumer may
    ask for a strip: the name is still readable (not squeezed to a few pixels) and the link to
    the record is whole inside the frame."""
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": width, "height": height}) as (page, outside),
    ):
        page.goto(f"{server.url}embed/initiative/matilde")
        name = page.locator("h1").bounding_box()
        link = page.locator(".f a").bounding_box()
        assert name is not None
        assert link is not None
        assert name["height"] >= 14  # at least one line of the name
        assert link["height"] >= 12
        assert link["y"] >= 0
        assert link["y"] + link["height"] <= height + 0.5
        assert outside == []


def test_a_spanish_page_url_embeds_the_spanish_card(consumer_es: str) -> None:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 520, "height": 480}) as (page, outside),
    ):
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))  # CSP violations are logged
        page.goto(consumer_es)
        frame_el = page.wait_for_selector("#slot iframe", timeout=15_000)
        assert frame_el is not None
        src = frame_el.get_attribute("src") or ""
        assert src.endswith("/embed/initiative/nuevos-senderos?lang=es")
        frame = frame_el.content_frame()
        assert frame is not None
        frame.wait_for_selector("h1")
        assert frame.evaluate("() => document.documentElement.lang") == "es"
        assert "Ficha completa y fuentes" in frame.inner_text(".f")
        assert not [m for m in messages if "Content Security Policy" in m]
        assert outside == []


def test_a_narrow_tall_card_uses_its_height_for_the_name_and_what(server: LiveServer) -> None:
    """At 300×600 the name and its line of what were cut to two lines each, above some 350 px
    of empty card; a long theme chip ran past the right edge."""
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 300, "height": 600}) as (page, outside),
    ):
        page.goto(f"{server.url}embed/initiative/welcoming-spaces?lang=de")
        name = page.locator("h1")
        whole = name.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
        assert whole, "the name is cut although the card has room"
        width = page.evaluate("document.documentElement.clientWidth")
        for chip in page.locator(".tags span:visible").all():
            box = chip.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= width + 0.5, chip.inner_text()
        assert outside == []
