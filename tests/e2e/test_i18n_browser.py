"""Issue 9 item 5 in Debian's Chromium: a practitioner switches the interface to Spanish with
the header's switcher and reads Spanish on the home page, the search page and a record page;
a browser asking for German gets German without choosing. axe checks the Spanish home page."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from bench.live import LiveServer, live_server
from kg.settings import PROJECT_ROOT
from tests.e2e.browser import chromium, local_page
from tests.e2e.test_ui_browser import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
SCHEMES = PROJECT_ROOT / "ontology" / "schemes"
THEME = "https://w3id.org/rikg/scheme/theme/"
SPAIN = URIRef("http://publications.europa.eu/resource/authority/country/ESP")


def label(concept: URIRef, lang: str) -> str:
    """The concept's preferred label in `lang`, read from the SKOS scheme files."""
    g = Graph()
    for path in sorted(SCHEMES.glob("*.ttl")):
        g.parse(path)
    return next(
        str(o)
        for o in g.objects(concept, SKOS.prefLabel)
        if isinstance(o, Literal) and o.language == lang
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("i18n")) as s:
        yield s


@pytest.fixture
def page(server: LiveServer) -> Iterator[Page]:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 1280, "height": 900}, locale="en-GB") as (
            p,
            outside,
        ),
    ):
        yield p
        assert outside == [], f"requests left the server: {outside}"


def test_switch_to_spanish_and_read_spanish(server: LiveServer, page: Page) -> None:
    sponsorship = label(URIRef(THEME + "community-sponsorship"), "es")
    housing = label(URIRef(THEME + "housing"), "es")
    spain = label(SPAIN, "es")

    page.goto(server.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    languages = page.get_by_role("navigation", name="Language")
    expect(languages.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    languages.get_by_role("link", name="Español").click()

    # home: interface text and concept labels in Spanish, the choice kept in the URL
    page.wait_for_url("**/?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Integración de personas migrantes y refugiadas en la Europa rural"
    )
    expect(page.get_by_role("heading", name="Temas")).to_be_visible()
    expect(page.locator("a.chip", has_text=sponsorship).first).to_be_visible()
    # the map and the list beside it name the countries in Spanish
    expect(page.locator("ul.countries a", has_text=spain).first).to_be_visible()
    expect(page.locator(f'svg.europe-map a[aria-label^="{spain}: "]')).to_have_attribute(
        "aria-label", re.compile(r"\d+ iniciativas?$")
    )
    idioma = page.get_by_role("navigation", name="Idioma")
    expect(idioma.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    assert serious_violations(page) == []

    # search: the form keeps the language; facets, hits and counts in Spanish
    page.get_by_label("Busca prácticas con tus propias palabras").fill(
        "acogida de familias en pueblos despoblados"
    )
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"/search\?.*lang=es"))
    expect(page.get_by_role("status")).to_contain_text("registros para")
    facets = page.get_by_role("complementary", name="Filtros")
    expect(facets.get_by_role("heading", name="Tema", exact=True)).to_be_visible()
    expect(facets.get_by_role("heading", name="País")).to_be_visible()
    expect(facets.get_by_role("link", name=housing, exact=True)).to_be_visible()
    expect(page.locator("li.hit .why").first).to_contain_text("Por qué:")
    expect(page.locator("li.hit .chip", has_text=spain).first).to_be_visible()

    # a record page: fact groups and concept labels in Spanish, the Spanish description first
    page.locator("li.hit h2 a", has_text="Nuevos Senderos").click()
    page.wait_for_url("**/initiative/nuevos-senderos?lang=es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevos Senderos")
    expect(page.get_by_role("heading", name="De un vistazo")).to_be_visible()
    expect(page.locator("section.glance dt", has_text="Dónde")).to_be_visible()
    expect(page.get_by_role("heading", name="Fuentes", exact=True)).to_be_visible()
    expect(page.locator(".dispute")).to_contain_text("Las fuentes discrepan")
    expect(page.locator("dd a.chip", has_text=spain)).to_be_visible()
    expect(page.locator("p.lede")).to_have_attribute("lang", "es")

    # and back to English on the same record
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    page.wait_for_url("**/initiative/nuevos-senderos?lang=en")
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    expect(page.locator("section.glance dt", has_text="Where")).to_be_visible()


def test_browser_language_is_honoured(server: LiveServer) -> None:
    with (
        chromium() as browser,
        local_page(browser, locale="de-AT") as (page, outside),
    ):
        page.goto(server.url)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("button", name="Suchen")).to_be_visible()
        expect(page.get_by_role("link", name="Stöbern")).to_have_attribute("href", "/browse")
        assert outside == []
