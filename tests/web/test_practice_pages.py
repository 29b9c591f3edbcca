"""Issue 17 over the bundled records: practice sheets, link previews, the 404 that helps, the
home page's map and featured practices, concept and country pages whose counts hold."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import quote

import extruct
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.namespace import SKOS

from ingest.pipeline import ingest_records
from kg.geo import ISO2_TO_ISO3
from kg.practices import featured, summaries
from kg.search.text import fold
from kg.settings import PROJECT_ROOT
from kg.store import GraphStore, LocalStore
from tests.conftest import BUNDLED
from tests.web.conftest import client_of

BASE = "http://kg.test/"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def store() -> GraphStore:
    s = LocalStore(None)
    ingest_records(s, [BUNDLED], base=BASE)
    return s


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[TestClient]:
    with client_of(store, base=BASE) as c:
        yield c


def opengraph(page: str, url: str) -> dict[str, str]:
    data = extruct.extract(page, base_url=url, syntaxes=["opengraph"], uniform=True)
    [og] = data["opengraph"]
    return {k: v for k, v in og.items() if k.startswith("og:") or k == "@type"}


def twitter(page: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="(twitter:[a-z:]+)" content="([^"]*)"', page))


def section_order(page: str, *titles: str) -> list[int]:
    return [page.index(t) for t in titles]


# --- link previews ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Rural Integration Knowledge Graph"),
        ("/initiative/nuevos-senderos", "Nuevos Senderos — Rural Integration Knowledge Graph"),
        ("/browse/country/ESP", "Spain — Country — Rural Integration Knowledge Graph"),
        ("/browse", "Browse — Rural Integration Knowledge Graph"),
        ("/data/", "Data dumps — Rural Integration Knowledge Graph"),
    ],
)
def test_open_graph_and_twitter_tags_parse(client: TestClient, path: str, title: str) -> None:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200
    og = opengraph(r.text, BASE + path.lstrip("/"))
    # og:title names the object, og:site_name the site (a trial read the site's name twice)
    own = title.removesuffix(" — Rural Integration Knowledge Graph")
    assert og["og:title"] == own
    assert og["og:url"] == BASE.rstrip("/") + path
    assert og["og:locale"] == "en_GB"
    assert og["og:site_name"] == "Rural Integration Knowledge Graph"
    assert len(og["og:description"]) > 40
    assert og["og:image"] == f"{BASE}static/og-card.png"  # required by Open Graph, absolute
    card = twitter(r.text)
    assert card["twitter:card"] == "summary_large_image"
    assert card["twitter:image"] == og["og:image"]
    # the picture described for screen readers in the card too (a trial found no alt there)
    assert card["twitter:image:alt"] == og["og:image:alt"]
    assert html.unescape(card["twitter:title"]) == own


def test_the_preview_picture_is_a_1200_by_630_png(client: TestClient) -> None:
    r = client.get("/static/og-card.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(r.content[16:20], "big"), int.from_bytes(r.content[20:24], "big")
    assert (width, height) == (1200, 630)  # the size og:image:width and og:image:height say


def test_record_preview_is_the_practice_in_the_chosen_language(client: TestClient) -> None:
    r = client.get("/initiative/nuevos-senderos?lang=es", headers=HTML)
    og = opengraph(r.text, BASE + "initiative/nuevos-senderos")
    assert og["@type"] == "article"  # og:type, as extruct's uniform output names it
    assert og["og:locale"] == "es_ES"
    assert og["og:url"] == BASE + "initiative/nuevos-senderos?lang=es"
    assert og["og:description"].startswith("Programa de la Fundación Cepaim")


def test_a_preview_in_english_says_so_on_another_languages_page(client: TestClient) -> None:
    """RURITAGE's record has its description in English only: its Spanish page's preview
    showed that text under `og:locale` es_ES (a webmaster's trial). The locale and the
    description's `lang` are the text's; the page's own language is an alternate."""
    r = client.get("/initiative/ruritage?lang=es", headers=HTML)
    og = opengraph(r.text, BASE + "initiative/ruritage")
    assert og["og:locale"] == "en_GB"
    assert "es_ES" in re.findall(r'<meta property="og:locale:alternate" content="([^"]*)"', r.text)
    assert re.search(r'<meta name="description" lang="en" content="RURITAGE', r.text)
    assert '<html lang="es">' in r.text


def test_long_queries_give_short_titles(client: TestClient) -> None:
    r = client.get("/search", params={"q": "village houses " * 40}, headers=HTML)
    [title] = re.findall(r"<title>(.*?)</title>", r.text, re.S)
    assert len(html.unescape(title)) <= 120
    # the query part is cut, the site's name kept whole
    assert html.unescape(title).endswith("… — Rural Integration Knowledge Graph")


# --- the practice sheet ----------------------------------------------------------------


def test_practice_sheet_sections_in_order(client: TestClient) -> None:
    page = html.unescape(client.get("/initiative/nuevos-senderos", headers=HTML).text)
    order = section_order(
        page,
        ">At a glance</h2>",
        ">Description</h2>",
        ">Context and problem</h2>",
        ">What they did</h2>",
        ">Results and scale</h2>",
        ">What it cost</h2>",
        ">How to get in touch</h2>",
        ">Sources disagree.</h2>",
        ">Sources</h2>",
    )
    assert order == sorted(order)
    contact = page[
        page.index('id="contact"') : page.index("</section>", page.index('id="contact"'))
    ]
    assert 'href="http://www.nuevossenderos.es"' in contact  # the project's website
    assert 'href="https://www.cepaim.org"' in contact  # the coordinator's website
    assert ">Fundación Cepaim</a>" in contact
    assert "more than 1,000 family units" in page  # what was achieved, with its source
    # provenance is in the collapsed block only, not in the reader's path
    about = page[page.index('<details class="box about">') :]
    assert re.search(r"Updated \d{1,2} [A-Z][a-z]+ 20\d\d\.", about)  # a date as people write it
    assert "nuevos-senderos.md" not in page  # the curators' file is not the reader's business
    assert "origin:" not in page
    assert "budget note:" not in page


def test_disputed_values_are_marked_where_they_stand(client: TestClient) -> None:
    page = html.unescape(client.get("/initiative/nuevos-senderos", headers=HTML).text)
    glance = page[page.index(">At a glance</h2>") : page.index(">Context and problem</h2>")]
    assert "Start: 2002" in glance
    assert " or 2006" in glance
    assert '<a class="disputed" href="#disagreements">disputed</a>' in glance


def test_a_date_within_another_is_shown_once_with_both_sources(client: TestClient) -> None:
    """WELCOMING SPACES ends "2024" by one source and "2024-07-31" by another: a German trial
    read "End: 2024 or 31 July 2024", marked disputed. The day is shown, with both sources;
    its start ("2019" and "1 February 2020") still disagrees and is marked."""
    page = html.unescape(client.get("/initiative/welcoming-spaces", headers=HTML).text)
    glance = page[
        page.index(">At a glance</h2>") : page.index("</dl>", page.index(">At a glance</h2>"))
    ]
    end = glance.split(">End", 1)[1].split("</span>", 1)[0]
    assert "31 July 2024" in end
    assert " or " not in end
    assert len(re.findall(r'href="#src-', end)) == 2, end
    start = glance.split(">Start", 1)[1].split("</span>", 1)[0]
    assert " or " in start
    # the mark stands by the start, which is disputed, not after the end (a trial)
    mark = '<a class="disputed" href="#disagreements">disputed</a>'
    assert mark in start
    assert mark not in end
    # so does the note that the sources differ (a trial read it after ReROOT's end)
    said = "the sources give different dates"
    assert said in start
    assert said not in glance.split(">End", 1)[1]


def test_an_end_date_a_fact_contradicts_is_marked_disputed(client: TestClient) -> None:
    """Rural Migrantour's end (28 February 2023) is contradicted by a final meeting in September
    2023: a researcher found the two facts marked disputed and the end date not. The end is
    marked where it stands and listed among the disagreements; with one end given, the page
    does not say the sources give different dates."""
    page = html.unescape(client.get("/initiative/rural-migrantour", headers=HTML).text)
    glance = page[
        page.index(">At a glance</h2>") : page.index("</dl>", page.index(">At a glance</h2>"))
    ]
    mark = '<a class="disputed" href="#disagreements">disputed</a>'
    end = glance.split(">End", 1)[1].split("</span>", 1)[0]
    assert "28 February 2023" in end
    assert mark in end
    assert mark not in glance.split(">Start", 1)[1].split("</span>", 1)[0]
    assert "the sources give different dates" not in glance
    disagreements = page[page.index('id="disagreements"') :].split("</section>", 1)[0]
    assert "End: 28 February 2023" in disagreements
    assert "final meeting was held" in disagreements


def test_budgets_the_sources_dispute_are_listed_among_the_disagreements(
    client: TestClient,
) -> None:
    """A Spanish trial read six IIRA amounts marked "en disputa" and, under "Las fuentes
    discrepan", only the start year: the disputed budget figures are listed there too, each
    kind with its figures side by side and their sources."""
    page = html.unescape(client.get("/initiative/iira?lang=es", headers=HTML).text)
    section = page[page.index('id="disagreements"') :].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    [total] = [i for i in items if i.startswith("Cuánto costó (total)")]
    plain = re.sub(r"<sup.*?</sup>", "", total)
    assert "600.000,00\u00a0€" in plain
    assert " frente a " in plain
    assert len(re.findall(r'href="#src-', total)) >= 2
    assert any(i.startswith("Inicio") for i in items)


def test_a_practice_whose_cost_is_unknown_says_so(client: TestClient) -> None:
    """The home page promises what each practice cost; an Italian trial found the section
    missing on 36 of 77 sheets and could not tell "not known" from "forgotten". Where the
    sources give no amount and no note on cost, the section says so, in the page's language;
    where they give one, it is shown instead."""
    unknown = main_part(
        client.get("/initiative/pettinengo-paese-che-accoglie?lang=it", headers=HTML).text
    )
    cost = unknown.split('id="cost-h">', 1)[1].split("</section>", 1)[0]
    assert "Quanto è costato" in cost
    assert "Le fonti di questa scheda non dicono quanto è costato." in cost
    known = main_part(client.get("/initiative/matilde", headers=HTML).text)
    cost = known.split('id="cost-h">', 1)[1].split("</section>", 1)[0]
    assert "EUR" in cost or "€" in cost
    assert "do not say what it cost" not in cost


def test_a_one_sentence_summary_leads_and_the_full_text_follows(client: TestClient) -> None:
    """Acquaformosa's Italian summary is one sentence: an Italian trial found no "Descrizione"
    on its Italian page, the record's full text hidden among the other languages. The summary
    leads, and the full English text is the description, marked as English."""
    it = main_part(client.get("/initiative/acquaformosa?lang=it", headers=HTML).text)
    assert it.index('<p class="lede" lang="it">') < it.index('id="description-h">Descrizione')
    section = it.split('id="description-h">', 1)[1].split("</section>", 1)[0]
    assert '<p lang="en">' in section
    others = it.split("Questa descrizione in altre lingue", 1)
    assert len(others) == 1 or '<p lang="en">' not in others[1].split("</details>", 1)[0]
    en = main_part(client.get("/initiative/acquaformosa?lang=en", headers=HTML).text)
    section = en.split('id="description-h">', 1)[1].split("</section>", 1)[0]
    assert '<p lang="en">' in section
    assert en.count(section) == 1


def test_other_languages_are_named_in_the_pages_language(client: TestClient) -> None:
    """A French trial read « [ ca ] » and « [ es ] » above Oportunitat 500's other texts."""
    page = main_part(client.get("/initiative/oportunitat-500?lang=fr", headers=HTML).text)
    others = page.split("Cette description dans d'autres langues", 1)[1].split("</details>")[0]
    assert '<p lang="ca"><span class="muted" lang="fr">Catalan : </span>' in others
    assert '<p lang="es"><span class="muted" lang="fr">Espagnol : </span>' in others
    assert "[<abbr" not in others


def test_links_and_plain_tags_look_different(client: TestClient) -> None:
    page = client.get("/initiative/nuevos-senderos", headers=HTML).text
    assert '<a class="chip" href="/browse/theme/housing">' in page
    assert '<span class="chip tag" lang="en">New Paths</span>' in page
    css = client.get("/static/site.css").text
    assert re.search(r"a\.chip \{[^}]*text-decoration: underline", css)
    assert re.search(r"span\.chip\.tag \{[^}]*dashed", css)


def test_a_practice_without_website_says_so(client: TestClient) -> None:
    page = html.unescape(client.get("/initiative/camini", headers=HTML).text)
    assert "No website of this practice or of its coordinator is known" in page
    contact = page[
        page.index('id="contact"') : page.index("</section>", page.index('id="contact"'))
    ]
    assert '<a href="#sources">sources</a> that describe it' in contact  # where to look instead
    assert 'id="sources"' in page
    assert ">EUROCOOP Servizi Società Cooperativa Sociale</a>" in page[page.index('id="contact"') :]


# --- oEmbed and the card -----------------------------------------------------------------


def test_oembed_language_from_parameter_and_header(client: TestClient) -> None:
    url = quote(BASE + "initiative/nuevos-senderos", safe="")
    es = client.get(f"/oembed?url={url}&lang=es").json()
    assert f'src="{BASE}embed/initiative/nuevos-senderos?lang=es"' in es["html"]
    de = client.get(f"/oembed?url={url}", headers={"Accept-Language": "de-AT, en;q=0.5"}).json()
    assert "?lang=de" in de["html"]
    en = client.get(f"/oembed?url={url}").json()
    assert "?lang=en" in en["html"]  # pinned: every visitor of the embedding page sees one card
    card = html.unescape(client.get("/embed/initiative/nuevos-senderos?lang=es").text)
    where = re.search(r"<dt>Dónde</dt><dd>([^<]+)</dd>", card)
    assert where is not None
    # the country, then the regions the record's places name, in Spanish alphabetical order
    assert where.group(1).startswith("España, Aragón, Castilla y León, Castilla-La Mancha, ")
    assert where.group(1).endswith(", Soria, Teruel")
    assert "inicio en 2002 o 2006 (las fuentes difieren)" in card


# --- 404 ---------------------------------------------------------------------------------


def test_404_in_spanish_offers_the_nearest_record_first(client: TestClient) -> None:
    r = client.get("/initiative/nuevos-sendero", headers={**HTML, "Accept-Language": "es"})
    assert r.status_code == 404
    assert "<h1>No encontrado</h1>" in r.text
    assert "Quizá buscabas" in r.text
    offered = re.findall(r'<ul class="suggestions"><li><a href="([^"]+)">([^<]+)</a>', r.text)
    assert offered == [("/initiative/nuevos-senderos", "Nuevos Senderos")]
    assert 'name="q" type="search" value="nuevos sendero"' in r.text
    assert "Search practices" not in r.text  # nothing left in English


# --- home, map, featured practices, concept pages -----------------------------------------


def test_map_links_every_country_with_the_count_of_its_list(client: TestClient) -> None:
    home = html.unescape(client.get("/", headers=HTML).text)
    links = re.findall(
        r'<a href="(/browse/country/[A-Z]{3})" aria-label="([^":]+): (\d+) initiatives?"', home
    )
    assert len(links) >= 10
    assert ("/browse/country/ESP", "Spain", "9") in links or any(
        href == "/browse/country/ESP" for href, _, _ in links
    )
    for href, name, count in links:
        page = html.unescape(client.get(href, headers=HTML).text)
        listed = re.search(
            r'<section class="facts" id="initiative"><h2>Initiatives \((\d+)\)', page
        )
        assert listed, href
        section = page[listed.start() : page.index("</section>", listed.start())]
        assert int(count) == int(listed.group(1)) == section.count("<li>"), (name, href)


def test_concept_pages_list_initiatives_first(client: TestClient) -> None:
    page = client.get("/browse/country/ESP", headers=HTML).text
    order = section_order(page, 'id="initiative"', 'id="organisation"')
    assert order == sorted(order)
    assert '<span class="where">— Spain</span>' in page  # where each initiative is
    assert "long-running national programme of Fundación Cepaim" in html.unescape(page)
    assert page.index("<h1>Spain</h1>") < page.index("<details")  # other names come last


def test_entry_point_counts_equal_the_lists(client: TestClient) -> None:
    home = html.unescape(client.get("/", headers=HTML).text)
    chips = re.findall(
        r'<a class="chip" href="(/browse/(?:theme|challenge|opportunity)/[a-z-]+)">'
        r'[^<]+<span class="muted">\((\d+)\)</span>',
        home,
    )
    assert len(chips) >= 10
    for href, count in chips:
        page = client.get(href, headers=HTML).text
        listed = re.search(r'id="initiative"><h2>Initiatives \((\d+)\)', page)
        assert listed, href
        assert listed.group(1) == count, href


def test_featured_practices_follow_the_rule(store: GraphStore, client: TestClient) -> None:
    chosen = featured(summaries(store.current()).values())
    assert len(chosen) == 6
    sources = [len(s.sources) for s in chosen]
    assert sources == sorted(sources, reverse=True)
    firsts = [next((p for p in s.places if "/country/" in p), s.iri) for s in chosen]
    assert len(set(firsts)) == 6  # one per country
    home = client.get("/", headers=HTML).text
    for s in chosen:
        assert f'href="/initiative/{s.iri.rsplit("/", 1)[-1]}"' in home


def main_part(page: str) -> str:
    return html.unescape(page).split("<main", 1)[1].split("</main>", 1)[0]


def test_the_first_sentence_is_said_once(client: TestClient) -> None:
    """The sheet leads with the description's first sentence and "Description" holds the
    rest of it, so no sentence is said twice: a one-sentence Spanish description, and a
    longer English one whose second sentence opens the section. What the description says
    is not filed under "Context and problem" (a contributor read their account of what they
    do there), which holds the origin facts and the rural challenges."""
    page = main_part(client.get("/initiative/somos-tudela?lang=es", headers=HTML).text)
    assert page.count("Programa de patrocinio comunitario en Tudela (Navarra)") == 1
    longer = main_part(client.get("/initiative/nuevos-senderos", headers=HTML).text)
    lead = re.search(r'<p class="lede"[^>]*>([^<]+)</p>', longer)
    assert lead is not None
    assert longer.count(lead.group(1)) == 1
    section = longer.split(">Description</h2>", 1)[1].split("</section>", 1)[0]
    assert re.search(r"<p[^>]*>\w", section)  # the rest of the description
    # two sentences lead together: the second alone read as a fragment under "Descripción"
    short = main_part(client.get("/initiative/proyecto-arraigo?lang=es", headers=HTML).text)
    lede = re.search(r'<p class="lede"[^>]*>([^<]+)</p>', short)
    assert lede is not None
    assert lede.group(1).startswith("Empresa social")
    assert lede.group(1).endswith("Latinoamérica.")
    # "Descripción" holds the record's full English text (an Italian trial found none), not
    # the Spanish summary's second sentence
    section = short.split(">Descripción</h2>", 1)[1].split("</section>", 1)[0]
    assert '<p lang="en">' in section
    assert "Latinoamérica." not in section


def test_several_coordinators_are_listed_in_one_sentence(client: TestClient) -> None:
    """ "Coordinato da A e B.", not "Coordinato da A. Coordinato da B." (a trial)."""
    page = main_part(
        client.get("/initiative/piccoli-comuni-del-welcome?lang=it", headers=HTML).text
    )
    said = re.sub(r"<[^>]+>", "", page.split('id="contact"', 1)[1].split("</section>", 1)[0])
    assert said.count("Coordinato da") == 1
    assert re.search(r"Coordinato da [^.]+ e [^.]+\.", said)


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("en", "Start: April 2019"),
        ("es", "Inicio: abril de 2019"),
        ("it", "aprile 2019"),
        ("fr", "Début : avril 2019"),  # French typography: a space before the colon
    ],
)
def test_dates_as_precise_as_the_sources_in_the_pages_language(
    client: TestClient, lang: str, start: str
) -> None:
    """A month's date is written out, not left as ISO "2019-04" (a trial read "Inicio:
    2019-03" on a Spanish page)."""
    page = main_part(client.get(f"/initiative/arrival-regions?lang={lang}", headers=HTML).text)
    glance = re.sub(r"<[^>]+>", "", page.split('class="glance"', 1)[1].split("</section>")[0])
    assert start in glance
    assert "2019-04" not in glance


def test_countries_are_listed_in_the_alphabetical_order_of_the_page(client: TestClient) -> None:
    """A trial read "Austria, Bélgica, Canadá, Alemania": the order of the country codes."""
    page = main_part(client.get("/initiative/whole-comm?lang=es", headers=HTML).text)
    glance = page.split(">Dónde</dt>", 1)[1].split("</dd>", 1)[0]
    names = re.findall(r'class="chip"[^>]*>([^<]+)<', glance)
    assert len(names) > 3
    assert names == sorted(names, key=lambda n: fold(n))
    assert names.index("Alemania") < names.index("Austria") < names.index("Bélgica")


def test_facts_in_english_are_said_to_be_so_on_another_languages_page(client: TestClient) -> None:
    """A trial found the practice sheets in Spanish, Italian and German mostly English: the
    facts are written in English. The page says so, and marks them for screen readers and
    translating browsers."""
    es = main_part(client.get("/initiative/nuevos-senderos?lang=es", headers=HTML).text)
    assert "Los datos que siguen están redactados en inglés" in es
    # not "as they were read from the sources": a German trial's sources were German
    assert "sea cual sea el idioma de sus fuentes" in es
    assert '<ul class="claims" lang="en">' in es
    en = main_part(client.get("/initiative/nuevos-senderos?lang=en", headers=HTML).text)
    assert "written in English" not in en
    assert '<ul class="claims">' in en


def test_the_english_notice_comes_before_the_english_of_at_a_glance(client: TestClient) -> None:
    """An Italian trial read "Dove: Acquaformosa (province of Cosenza, Calabria)" and an English
    status in "In sintesi", above the notice that the data is in English."""
    it = main_part(client.get("/initiative/acquaformosa?lang=it", headers=HTML).text)
    notice = it.index('id="facts-in-english"')
    assert notice < it.index('class="glance"')
    assert '<div class="places" lang="en">' in it
    en = main_part(client.get("/initiative/acquaformosa?lang=en", headers=HTML).text)
    assert '<div class="places">' in en


def test_browse_lists_each_region_under_its_country(client: TestClient) -> None:
    """A trial read the region Teruel as a country, listed between Morocco and Ukraine; another
    found some 130 regions in one list after the countries, provinces beside their regions.
    Each region is now listed under its country, a province beside the region holding it, and
    a region holding others (Kassel, in Hesse) on a line of its own with them."""
    page = main_part(client.get("/browse", headers=HTML).text)
    section = page.split('<ul class="places">', 1)[1].split("</section>", 1)[0]
    countries = re.split(r'<li><a class="chip" href="/browse/country/', section)[1:]
    assert len(countries) > 10
    seen = []
    for block in countries:
        iso3 = block[:3]
        regions = re.findall(r'href="/browse/nuts/(\w+)"', block)
        assert all(ISO2_TO_ISO3[code[:2]] == iso3 for code in regions), (iso3, regions)
        seen += regions
    assert len(seen) == len(set(seen))
    spain = next(b for b in countries if b.startswith("ESP"))
    aragon = spain.split('href="/browse/nuts/ES24"', 1)[1].split("</li>", 1)[0]
    assert 'href="/browse/nuts/ES242"' in aragon  # Teruel, with the region holding it
    # three levels: Hesse, its Regierungsbezirk Kassel on a line of its own, Kassel's Kreise
    germany = next(b for b in countries if b.startswith("DEU"))
    hesse = germany.split('href="/browse/nuts/DE7"', 1)[1]
    kassel = hesse.split("<ul><li>", 1)[1].split("</li>", 1)[0]
    assert kassel.startswith('<a class="chip" href="/browse/nuts/DE73"')
    assert 'href="/browse/nuts/DE736"' in kassel  # Waldeck-Frankenberg
    assert 'href="/browse/country/' not in section.split("</ul>", 1)[0].split("<ul>", 1)[1]


def test_more_ways_to_get_in_touch_only_where_there_are_more(client: TestClient) -> None:
    """A trial's "Altri modi per mettersi in contatto" led back to the one link the box showed,
    a volunteer's to it and the coordinator's page: the link is there exactly when the contact
    section holds another link out of the site than the box's."""
    slugs = sorted(p.stem for p in (BUNDLED / "initiative").glob("*.md"))
    seen = set()
    for slug in slugs:
        page = main_part(client.get(f"/initiative/{slug}", headers=HTML).text)
        if '<div class="box"><h2>Get in touch</h2>' not in page:
            continue  # no website known: no box
        contact = page.split('id="contact"', 1)[1].split("</section>", 1)[0]
        more = contact.count('<a class="out"') > 1
        seen.add(more)
        assert ('href="#contact">More ways to get in touch' in page) == more, slug
    assert seen == {True, False}  # both cases are in the bundled graph


def test_a_lists_places_are_in_the_pages_alphabetical_order(client: TestClient) -> None:
    """A Spanish trial read "Austria, Bélgica, Canadá, Alemania, España": the countries' codes'
    order. Countries come in the page language's order, then regions."""
    page = main_part(client.get("/browse/country/ESP?lang=es", headers=HTML).text)
    lists = [html.unescape(w).split(", ") for w in re.findall(r'class="where">— ([^<]+)<', page)]
    nuts = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "schemes" / "nuts.ttl")
    regions = {str(label) for label in nuts.objects(None, SKOS.prefLabel)}
    several = [w for w in lists if len([p for p in w if p not in regions]) > 2]
    assert several  # the premise: initiatives in several countries
    for where in lists:
        countries = [p for p in where if p not in regions]
        assert countries == sorted(countries, key=fold), where
        assert where[: len(countries)] == countries, where  # regions after the countries


def test_what_it_cost_lists_the_amounts_in_the_records_order(client: TestClient) -> None:
    """An analyst read Ny på landet's amounts as "local, EAFRD, total, national" (the store's
    order): they come as the record gives them, the total first."""
    page = client.get("/initiative/ny-pa-landet", headers=HTML).text
    cost = page.split('id="cost"', 1)[1].split("</section>", 1)[0]
    amounts = [int(a.replace(",", "")) for a in re.findall(r"€\s?([\d,]+)", cost)]
    assert amounts == [159346, 79968, 27189, 52779]


@pytest.mark.parametrize(
    ("query", "theme"),
    [
        ("Paten", "mentoring-volunteering"),
        ("Patenschaft für Geflüchtete", "mentoring-volunteering"),
        ("Ehrenamtliche", "mentoring-volunteering"),
        ("Sprachcafé", "language-learning"),
    ],
)
def test_a_volunteers_everyday_german_words_name_their_theme(
    client: TestClient, query: str, theme: str
) -> None:
    """A German volunteer's "Paten" found nothing, though the mentoring theme's own German
    definition speaks of "Patinnen und Paten"; "Sprachcafe" the same."""
    body = client.get("/api/search", params={"q": query, "lang": "de"}).json()
    assert body["total"] > 0, query
    first = body["results"][0]
    assert theme in [c["value"] for c in first["why"]["concepts"]], (query, first["why"])


def test_a_year_range_says_which_results_it_counts_as_active_for_want_of_an_end(
    client: TestClient,
) -> None:
    """A practitioner's trial found practices with a start year alone (Riace, which its own page
    says was largely dismantled after 2018) listed as active in 2026, with nothing saying why."""
    year = 2020
    said = client.get(
        "/api/search", params={"year_from": str(year), "kind": "initiative", "limit": "100"}
    ).json()
    assert said["total"] <= 100
    # a record known by its end alone is not assumed to last (Youth4All, ended 2024)
    assumed = [h for h in said["results"] if (h["start"] or year) < year and not h["end"]]
    assert any(h["start"] is None and h["end"] for h in said["results"])
    assert {"riace", "nuevos-senderos"} <= {h["slug"] for h in assumed}
    assert said["open_ended"] == len(assumed) < said["total"]
    html = client.get(
        "/search", params={"year_from": str(year), "kind": "initiative", "lang": "it"}
    ).text
    note = re.search(r'<p class="muted open-ended">(.*?)</p>', html, re.S)
    assert note is not None
    assert f"{len(assumed)} di questi sono iniziati prima del {year}" in note.group(1)
    lines = re.findall(r'<p class="kind">(.*?)</p>', html, re.S)
    assert lines
    for line in lines:  # each result started before the range with no end says so
        started = re.search(r"avvio nel (\d{4})", line)
        assert ("fine non nota" in line) == (started is not None and int(started[1]) < year)
    assert any("fine non nota" in line for line in lines)
    plain = client.get("/search", params={"kind": "initiative", "lang": "it"}).text
    assert "open-ended" not in plain
    assert "fine non nota" not in plain


def test_english_notes_and_disputed_claims_say_so_on_other_languages_pages(
    client: TestClient,
) -> None:
    """A webmaster's trial found Nuevos Senderos' English notes and the English side of a
    disagreement unmarked on its French page (WCAG 2.1 SC 3.1.2), while its claims were."""
    fr = main_part(client.get("/initiative/nuevos-senderos?lang=fr", headers=HTML).text)
    notes = fr.split(">Notes</h2>", 1)[1].split("</section>", 1)[0]
    assert notes.startswith('<ul lang="en">')
    disputes = fr.split('id="disagreements"', 1)[1].split("</section>", 1)[0]
    assert '<span lang="en">' in disputes
    en = main_part(client.get("/initiative/nuevos-senderos?lang=en", headers=HTML).text)
    assert '<ul lang="en">' not in en.split(">Notes</h2>", 1)[1].split("</section>", 1)[0]


def test_sorted_by_end_the_records_without_a_known_end_follow_and_the_page_says_so(
    client: TestClient,
) -> None:
    """Sorted by end year, a practitioner's trial read Riace (1998, no end in its sources)
    first as if it ended latest, and a later one read the records without an end after those
    that ended in 2016 with nothing saying why: they follow the known ends, and the page and
    the API say how many."""
    said = client.get(
        "/api/search", params={"sort": "end", "kind": "initiative", "limit": "100"}
    ).json()
    assert said["total"] <= 100
    results = said["results"]
    unknown = [h for h in results if h["start"] and not h["end"]]
    assert said["end_unknown"] == len(unknown) > 0
    first_unknown = results.index(unknown[0])
    assert all(h["end"] for h in results[:first_unknown])
    assert "riace" in {h["slug"] for h in unknown}
    html = client.get("/search", params={"sort": "end", "kind": "initiative", "lang": "de"}).text
    note = re.search(r'<p class="muted end-unknown">(.*?)</p>', html, re.S)
    assert note is not None
    assert f"{len(unknown)} Treffer haben ein Anfangsjahr, aber kein bekanntes Ende" in note.group(
        1
    )
    other = client.get("/api/search", params={"sort": "start", "kind": "initiative"}).json()
    assert other["end_unknown"] == 0
