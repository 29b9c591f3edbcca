"""Debian's Chromium driven by Playwright; every request that would leave the machine fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class OutsideRequests(list[str]):
    """Collects requests for hosts other than loopback (the test then fails on them)."""


@contextmanager
def local_page(browser: Browser, **context: object) -> Iterator[tuple[Page, OutsideRequests]]:
    ctx = browser.new_context(**context)  # type: ignore[arg-type]
    outside = OutsideRequests()

    def guard(route: Route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "about:", "blob:", "file:")) or host in (
            "127.0.0.1",
            "localhost",
            "::1",
        ):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    try:
        yield page, outside
    finally:
        ctx.close()


#: words of a text node that the layout split over two lines
BROKEN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(node.textContent))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      if (new Set(rects.map((r) => Math.round(r.top))).size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""
