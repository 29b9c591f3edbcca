"""Issue 17 in Debian's Chromium: a mayor of a depopulating village goes from the map to Spain to
Nuevos Senderos, finds how to get in touch and what was achieved, and sees every fact's source.
Also: the map without JavaScript, the 404 that helps (in Spanish), the embed card at 400×300 and
300×250, and axe-core on every new page. Screenshots for the README go to docs/screenshots/.
"""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from bench.live import LiveServer, live_server
from kg.settings import PROJECT_ROOT
from tests.e2e.browser import chromium, local_page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
SHOTS = PROJECT_ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("mayor")) as s:
        yield s


@pytest.fixture
def page(server: LiveServer) -> Iterator[Page]:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 1280, "height": 900}) as (p, outside),
    ):
        yield p
        assert outside == [], f"requests left the server: {outside}"


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_mayor_from_the_map_to_a_practice_and_its_contacts(server: LiveServer, page: Page) -> None:
    page.goto(server.url)
    europe = page.locator("svg.europe-map")
    expect(europe).to_be_visible()
    assert serious_violations(page) == []
    page.locator("section", has=page.locator("#map-h")).screenshot(path=str(SHOTS / "map.png"))
    spain = europe.locator('a[aria-label^="Spain:"]')
    label = spain.get_attribute("aria-label")
    assert label is not None
    count = int(label.split(":")[1].split()[0])
    spain.focus()  # an SVG link: reached and followed with the keyboard like any other
    page.keyboard.press("Enter")
    page.wait_for_url("**/browse/country/ESP")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spain")
    # initiatives first, as many as the map said, each with what it is and where
    first_list = page.locator("section.facts").first
    expect(first_list.get_by_role("heading", level=2)).to_have_text(f"Initiatives ({count})")
    expect(first_list.locator("li")).to_have_count(count)
    practice = first_list.locator("li", has=page.get_by_role("link", name="Nuevos Senderos"))
    expect(practice).to_contain_text("— Spain")
    expect(practice).to_contain_text("programme of Fundación Cepaim")
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "country.png"), full_page=False)
    first_list.get_by_role("link", name="Nuevos Senderos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevos Senderos")
    # how to get in touch: the project's and the coordinator's websites
    contact = page.locator("section#contact")
    expect(contact.get_by_role("heading")).to_have_text("How to get in touch")
    expect(contact.get_by_role("link", name="Website: nuevossenderos.es")).to_have_attribute(
        "href", "http://www.nuevossenderos.es"
    )
    expect(contact.get_by_role("link", name="Website: cepaim.org")).to_be_visible()
    expect(contact.get_by_role("link", name="Fundación Cepaim")).to_be_visible()
    page.get_by_role("link", name="More ways to get in touch").click()
    expect(contact).to_be_in_viewport()
    # what was achieved
    results = page.locator("section#results")
    expect(results).to_contain_text("more than 1,000 family units")
    # every fact shows its source, and each source marker leads to an entry of the list
    when = page.locator("section.glance dd", has_text="Start:")
    for item in [*page.locator("ul.claims li").all(), when]:
        assert item.locator("sup.src a").count() >= 1, item.inner_text()
    sources = page.locator("ol.sources li")
    for marker in page.locator("sup.src a").all():
        target = (marker.get_attribute("href") or "").lstrip("#")
        assert page.locator(f"ol.sources li#{target}").count() == 1, target
        # a 24 px target (WCAG 2.2 SC 2.5.8): "[1][3]" side by side were 17 by 14 px
        box = marker.bounding_box()
        assert box is not None
        assert box["width"] >= 24, box
        assert box["height"] >= 24, box
    results.locator("sup.src a").first.click()
    target_id = page.evaluate("location.hash").lstrip("#")
    expect(page.locator(f"#{target_id}")).to_be_in_viewport()
    assert sources.count() >= 5
    # provenance is folded away; the disagreement is marked where it stands
    expect(page.locator("details.about code", has_text="ingest/records")).not_to_be_visible()
    expect(page.locator("section.glance a.disputed")).to_be_visible()
    assert serious_violations(page) == []
    # for the README: what was achieved, what it cost and how to get in touch
    page.evaluate("window.scrollTo(0, document.getElementById('results').offsetTop - 10)")
    page.screenshot(path=str(SHOTS / "practice.png"), full_page=False)


def test_map_works_without_javascript(server: LiveServer) -> None:
    with (
        chromium() as browser,
        local_page(browser, java_script_enabled=False) as (p, outside),
    ):
        p.goto(server.url)
        p.locator('svg.europe-map a[aria-label^="Italy:"]').focus()
        p.keyboard.press("Enter")
        p.wait_for_url("**/browse/country/ITA")
        expect(p.get_by_role("heading", level=1)).to_have_text("Italy")
        assert outside == []


def test_not_found_in_spanish_offers_the_nearest_record(server: LiveServer) -> None:
    with (
        chromium() as browser,
        local_page(browser, locale="es-ES") as (p, outside),
    ):
        response = p.goto(server.url + "initiative/nuevos-sendero")
        assert response is not None
        assert response.status == 404
        expect(p.get_by_role("heading", level=1)).to_have_text("No encontrado")
        # a question, in Spanish (a trial read a bare "Did you mean" heading)
        expect(p.get_by_role("heading", level=2)).to_have_text(
            "¿Quizá buscabas una de estas páginas?"
        )
        expect(p.locator("ul.suggestions li").first).to_contain_text("Nuevos Senderos")
        expect(p.get_by_role("searchbox")).to_have_value("nuevos sendero")
        assert serious_violations(p) == []
        p.screenshot(path=str(SHOTS / "notfound.png"), full_page=False)
        p.locator("ul.suggestions a").first.click()
        expect(p.get_by_role("heading", level=1)).to_have_text("Nuevos Senderos")
        expect(p.get_by_role("heading", name="Cómo ponerse en contacto")).to_be_visible()
        assert outside == []


@pytest.mark.parametrize(("width", "height"), [(400, 300), (300, 250)])
def test_card_uses_its_space(server: LiveServer, width: int, height: int) -> None:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": width, "height": height}) as (p, outside),
    ):
        p.goto(server.url + "embed/initiative/nuevos-senderos?lang=es")
        sizes = p.evaluate(
            "() => { const c = document.querySelector('.card');"
            " const last = document.querySelector('.f').getBoundingClientRect();"
            " return [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
            " c.scrollHeight, c.clientHeight, last.bottom]; }"
        )
        doc_w, doc_h, card_sh, card_ch, link_bottom = sizes
        assert doc_w <= width
        assert doc_h <= height
        assert card_sh <= card_ch
        assert link_bottom <= height  # the link to the full record is always shown
        expect(p.locator("h1")).to_have_text("Nuevos Senderos")
        expect(p.locator("dl")).to_contain_text("España")
        expect(p.locator("dl")).to_contain_text("inicio en 2002 o 2006")
        if height >= 300:
            expect(p.locator(".tags span").first).to_be_visible()
        assert serious_violations(p) == []
        if (width, height) == (400, 300):
            p.screenshot(path=str(SHOTS / "card-es.png"))
        assert outside == []
