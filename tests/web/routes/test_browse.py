import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import DCTERMS, SKOS, Graph, URIRef

from kg.settings import PROJECT_ROOT
from tests.conftest import ingested
from tests.web.conftest import BASE, client_of


def test_home_shows_counts_search_box_and_entry_points(client: TestClient) -> None:
    text = client.get("/").text
    assert "A knowledge graph of 1 initiative, 1 organisation" in text
    assert '<form action="/search"' in text
    # the example is a hint the box names, not a placeholder cut off on a phone
    box = re.search(r'<input id="q"[^>]*>', text)
    assert box is not None
    assert "placeholder" not in box.group(0)
    assert 'aria-describedby="q-hint"' in box.group(0)
    assert re.search(r'id="q-hint">e\.g\. families who moved to a village for a job<', text)
    assert 'href="/browse/theme/housing"' in text
    assert 'href="/browse/challenge/' not in text  # the test record names no challenge
    assert 'href="/browse/country/ESP"' in text
    # a featured practice that ended says when (its sources give two ends), not "started 2019"
    assert "2019–2021 or 2022" in text
    assert "started 2019" not in text


def test_home_says_when_featured_summaries_are_in_english(client: TestClient) -> None:
    """A practitioner's trial found the featured cards in English on the German home page
    with nothing saying so: the page says so (and marks each summary's language), in the
    page's language; on the English page there is nothing to say."""
    german = client.get("/?lang=de").text
    assert 'id="featured-language">Wo ein Praxisbeispiel keine Zusammenfassung' in german
    assert re.search(r'<p lang="en">[^<]+</p></li>', german)
    assert 'id="featured-language"' not in client.get("/?lang=en").text


def test_concept_page_lists_linked_records_and_labels(client: TestClient) -> None:
    text = client.get("/browse/theme/housing").text
    assert "<h1>Housing</h1>" in text
    assert 'lang="es">Vivienda' in text
    # listed as its page is titled, by the short name people know it by (an Italian trial
    # could not spot "matilde" among the long names)
    assert 'href="/initiative/village-welcome">VW: Village Welcome</a>' in text
    home = client.get("/").text
    assert ">VW: Village Welcome</a></h3>" in home  # a featured practice too


def test_a_concepts_other_labels_carry_their_language_and_the_pages_words_do_not(
    client: TestClient,
) -> None:
    """An accessibility audit heard "— also" read with Spanish rules on an English page: the
    page's own words sat inside the label's `lang` (WCAG 2.1 SC 3.1.2)."""
    text = client.get("/browse/theme/housing").text
    row = re.search(r"<dd>(.*?accommodation.*?)</dd>", text)
    assert row, "the English altLabel is listed"
    assert '<span lang="en">accommodation</span>' in row.group(1)
    also = re.search(r'<span class="muted">(.*?)</span>\s*$', row.group(1)).group(1)  # type: ignore[union-attr]
    assert also.startswith("— also ")  # the page's words, outside any label's lang
    assert not re.search(r'<dd lang="', text)


def test_country_page(client: TestClient) -> None:
    text = client.get("/browse/country/ESP").text
    assert 'href="/initiative/village-welcome"' in text
    assert 'href="/organisation/test-ngo"' in text


def test_a_code_in_lower_case_redirects_to_the_one_page(client: TestClient) -> None:
    """`/browse/country/esp` answered 200 beside `/browse/country/ESP`: two URLs, one page."""
    r = client.get("/browse/country/esp?lang=es", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (308, "/browse/country/ESP?lang=es")
    r = client.get("/browse/nuts/es242", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (308, "/browse/nuts/ES242")


def test_unknown_concept_is_404(client: TestClient) -> None:
    assert client.get("/browse/theme/no-such-theme").status_code == 404
    assert client.get("/browse/planets/mars").status_code == 404


def test_a_count_of_one_takes_the_singular(client: TestClient) -> None:
    """ "1 iniciativa · 1 organización", not "1 iniciativas" (a trial read "1 otros registros")."""
    text = client.get("/browse/country/ESP?lang=es").text
    assert re.search(r">1 iniciativa</a> · <a [^>]+>1 organización</a>", text)
    assert "1 iniciativas" not in text


def test_german_counts_keep_the_capital_of_their_nouns(client: TestClient) -> None:
    """A German trial read "19 initiativen · 34 organisationen": the counts were lowered, as
    English and Spanish write them, but German nouns take a capital."""
    text = client.get("/browse/country/ESP?lang=de").text
    assert re.search(r">1 Initiative</a> · <a [^>]+>1 Organisation</a>", text)
    assert "1 initiative<" not in text


def test_a_concept_page_has_data_documents_like_a_record(client: TestClient) -> None:
    """An EU network site's developer found concept pages with no RDF alternates: no `.ttl`, no
    `Link` header, no `<link rel="alternate">`."""
    page = client.get("/browse/theme/housing")
    assert 'rel="alternate"; type="text/turtle"' in page.headers["link"]
    jsonld_link = (
        '<link rel="alternate" type="application/ld+json" href="/browse/theme/housing.jsonld">'
    )
    assert jsonld_link in page.text
    turtle = client.get("/browse/theme/housing.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    housing = URIRef("https://w3id.org/rikg/scheme/theme/housing")
    assert {o.language for o in graph.objects(housing, SKOS.prefLabel)} >= {"en", "es"}
    assert (None, DCTERMS.subject, housing) in graph
    # what the document is about and under which licence, as a record's says (harvester trial)
    page_iri = URIRef("http://testserver/browse/theme/housing")
    assert (page_iri, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), housing) in graph
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (page_iri, DCTERMS.license, licence) in graph
    jsonld = client.get("/browse/country/ESP.jsonld")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) > 0
    lower = client.get("/browse/country/esp.nt", follow_redirects=False)
    assert lower.headers["location"] == "/browse/country/ESP.nt"
    assert client.get("/browse/theme/housing.xyz").status_code == 404
    assert client.get("/browse/theme/no-such-theme.ttl").status_code == 404


def test_search_within_a_concepts_records_filters_by_the_code_the_search_takes(
    client: TestClient,
) -> None:
    """A trial's `/browse/country/FRA` led to `/search?country=FRA`, which the search does not
    know (it filters by ISO code: FR), so it dropped the filter and listed every record."""
    for page, wanted in [
        ("/browse/country/ESP", "/search?country=ES"),
        ("/browse/theme/housing", "/search?theme=housing"),
    ]:
        link = re.search(r'<a href="([^"]*)">Search within these records', client.get(page).text)
        assert link is not None
        assert link.group(1) == wanted
        found = client.get(link.group(1)).text
        assert 'href="/initiative/village-welcome"' in found
        assert "no record has" not in found  # the note of a filter left out


@pytest.mark.parametrize("lang", ["es", "it", "de", "fr"])
def test_a_concepts_definition_is_in_the_pages_language(client: TestClient, lang: str) -> None:
    """A French trial read the definition of "Zones de montagne" in English."""
    scheme = Graph().parse(PROJECT_ROOT / "ontology" / "schemes" / "theme.ttl")
    housing = URIRef("https://w3id.org/rikg/scheme/theme/housing")
    wanted = {d.language: str(d) for d in scheme.objects(housing, SKOS.definition)}
    page = client.get(f"/browse/theme/housing?lang={lang}").text
    assert f'<p class="lede" lang="{lang}">{html.escape(wanted[lang], quote=False)}</p>' in (
        page.replace("&#39;", "'")
    )
    assert wanted["en"] not in page


def test_a_region_page_links_up_to_its_region_country_and_the_browse_page(
    client: TestClient,
) -> None:
    """A trial found no way up from a province's page. Teruel's page now leads, in the page's
    language, to Spain, to Aragón and to the browse page, and names itself last, unlinked."""
    text = client.get("/browse/nuts/ES242?lang=es").text
    crumbs = re.search(r'<nav class="crumbs" aria-label="([^"]+)"><ol>(.*?)</ol></nav>', text)
    assert crumbs is not None
    assert crumbs.group(1) == "Ruta de navegación"
    steps = re.findall(r'<li>(?:<a href="([^"]+)">)?([^<]+)', crumbs.group(2))
    assert steps == [
        ("/browse?lang=es", "Explorar"),
        ("/browse/country/ESP?lang=es", "España"),
        ("/browse/nuts/ES24?lang=es", "Aragón"),
    ]
    assert crumbs.group(2).endswith('<li aria-current="page">Teruel</li>')


def test_a_top_concept_leads_up_to_the_browse_page_only(client: TestClient) -> None:
    text = client.get("/browse/theme/housing").text
    crumbs = re.search(r'<nav class="crumbs"[^>]*><ol>(.*?)</ol></nav>', text)
    assert crumbs is not None
    assert crumbs.group(1) == (
        '<li><a href="/browse">Browse</a></li><li aria-current="page">Housing</li>'
    )


def test_a_country_or_region_page_leads_down_to_the_regions_inside_it(client: TestClient) -> None:
    """A French trial could go up from Creuse to Limousin and France, but not down: a country
    lists the regions inside it that records name, each after the region holding it."""
    spain = client.get("/browse/country/ESP?lang=fr").text
    section = spain.split('<nav class="regions" id="regions" aria-label="Régions">', 1)[1]
    section = section.split("</nav>")[0]
    assert '<p class="muted">Régions : </p>' in section
    # a way down, before the lists, which stay the page's first sections
    assert spain.index('id="regions"') < spain.index('<section class="facts"')
    links = re.findall(r'<a class="chip" href="([^"]+)">', section)
    assert links == ["/browse/nuts/ES24?lang=fr", "/browse/nuts/ES242?lang=fr"]
    # a region on its line, the province inside it after it (a phone trial could not tell
    # Italy's provinces from its regions in one run of chips)
    lines = re.findall(r"<li>(.*?)</li>", section, re.S)
    assert len(lines) == 1
    assert re.search(r'ES24\?lang=fr".*<span class="within">.*ES242\?lang=fr', lines[0], re.S)
    aragon = client.get("/browse/nuts/ES24").text
    assert re.findall(r'id="regions"[^>]*>.*?href="([^"]+)"', aragon, re.S) == [
        "/browse/nuts/ES242"
    ]
    assert 'id="regions"' not in client.get("/browse/nuts/ES242").text  # holds none
    assert 'id="regions"' not in client.get("/browse/theme/housing").text


def test_a_concept_pages_title_says_what_it_is_of(client: TestClient) -> None:
    """An accessibility trial's tab read "Italy — …": the title names the scheme too."""
    titles = {
        "/browse/country/ESP?lang=es": "España — País — ",
        "/browse/theme/housing": "Housing — Theme — ",
    }
    for path, start in titles.items():
        (title,) = re.findall(r"<title>([^<]*)</title>", client.get(path).text)
        assert title.startswith(start), title


def test_a_concepts_page_asked_for_rdf_leads_to_its_data(client: TestClient) -> None:
    """A researcher's `curl -H 'Accept: text/turtle' /browse/country/ITA` got the HTML page
    with 200: a page asked for RDF answers 303 to its data document, as a record's page does;
    a browser's Accept and none get the page, which says it varies by Accept."""
    for accept, ext in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
        data = client.get("/browse/country/ESP", headers={"Accept": accept}, follow_redirects=False)
        assert (data.status_code, data.headers["location"]) == (303, f"/browse/country/ESP.{ext}")
        assert "Accept" in data.headers["vary"]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for headers in ({"Accept": browser}, {}):
        page = client.get("/browse/theme/housing", headers=headers, follow_redirects=False)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "Accept" in page.headers["vary"].split(", ")
    # the page cache keeps the two apart: the page again after the redirect
    again = client.get("/browse/country/ESP", headers={"Accept": browser}, follow_redirects=False)
    assert again.status_code == 200


def test_a_concepts_iri_leads_to_its_page_or_its_data(client: TestClient) -> None:
    """A linked-data trial found concept IRIs (`…/scheme/theme/housing`) answering 404 where
    the vocabulary's resolve: 303 to the page or, by `Accept`, the data document."""
    page = client.get("/scheme/theme/housing?lang=es", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/browse/theme/housing?lang=es")
    data = client.get(
        "/scheme/theme/housing", headers={"Accept": "text/turtle"}, follow_redirects=False
    )
    assert (data.status_code, data.headers["location"]) == (303, "/browse/theme/housing.ttl")
    assert "Accept" in data.headers["vary"]
    scheme = client.get("/scheme/theme", follow_redirects=False)
    assert (scheme.status_code, scheme.headers["location"]) == (303, "/browse#themes")
    assert 'id="themes"' in client.get("/browse").text
    assert client.get("/scheme/theme/no-such-theme").status_code == 404
    assert client.get("/scheme/colour").status_code == 404
    refused = client.get("/scheme/theme/housing", headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_a_concept_address_cut_short_leads_to_its_schemes_section(client: TestClient) -> None:
    """A link checker's `/browse/theme` and `/browse/country` (the addresses of concept pages
    with the concept cut off) were 404: each leads to its section of the browse page, in the
    page's language, and that section is there."""
    browse = client.get("/browse").text
    for scheme, section in (("theme", "themes"), ("country", "countries-and-regions")):
        r = client.get(f"/browse/{scheme}", params={"lang": "de"}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, f"/browse?lang=de#{section}")
        assert f'id="{section}"' in browse
    assert client.get("/browse/colour").status_code == 404
    scheme = client.get("/scheme/theme", params={"lang": "de"}, follow_redirects=False)
    assert scheme.headers["location"] == "/browse?lang=de#themes"  # the language kept


def test_a_schemes_address_leads_to_no_anchor_the_page_leaves_out(client: TestClient) -> None:
    """The browse page leaves out a scheme no record uses, so `/browse/opportunity` led to an
    anchor that was not there: it leads to the page's top then, and to the section once a
    record is classified under the scheme."""
    browse = client.get("/browse").text
    assert 'id="rural-opportunities"' not in browse  # no record of the fixture names one
    for address in ("/browse/opportunity", "/scheme/opportunity"):
        r = client.get(address, params={"lang": "it"}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/browse?lang=it")
    r = client.get("/browse/theme", follow_redirects=False)
    assert 'id="themes"' in browse
    assert r.headers["location"] == "/browse#themes"


@pytest.mark.parametrize(
    ("media", "rdflib_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_a_schemes_iri_gives_its_statements_to_software(
    client: TestClient, media: str, rdflib_format: str
) -> None:
    """A researcher's trial asked `/scheme/theme` for Turtle and was sent to the HTML browse
    page: software following the 303 gets the scheme and its concepts in the format asked."""
    answer = client.get("/scheme/theme", headers={"Accept": media}, follow_redirects=True)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    scheme = URIRef("https://w3id.org/rikg/scheme/theme")
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert URIRef("https://w3id.org/rikg/scheme/theme/housing") in concepts
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) <= concepts
    housing = URIRef("https://w3id.org/rikg/scheme/theme/housing")
    assert {label.language for label in graph.objects(housing, SKOS.prefLabel)} >= {"en", "de"}
    assert client.get("/scheme/theme", headers={"Accept": "image/png"}).status_code == 406


def test_a_broader_themes_page_lists_and_leads_to_the_narrower_ones(records_dir: Path) -> None:
    """A researcher counted 20 practices on "Agriculture and food" and 22 behind its "search
    within" link: the page now holds the practices of its narrower themes, as the search does,
    and names those themes as a way down."""
    record = (
        "---\nname: Harvest Welcome\ncountries: [IT]\nthemes: [seasonal-agricultural-work]\n"
        "sources: {a: {url: 'https://example.org/h'}}\n---\nSeasonal farm work for refugees.\n"
    )
    store = ingested(records_dir, {"initiative/harvest": record}, base=BASE)
    with client_of(store) as c:
        text = c.get("/browse/theme/agriculture-food").text
        italian = c.get("/browse/theme/agriculture-food", params={"lang": "it"}).text
    assert 'href="/initiative/harvest"' in text
    assert re.search(r'<a href="#initiative">1 initiative</a>', text)
    assert re.search(
        r'aria-label="Includes".*<a class="chip" href="/browse/theme/seasonal-agricultural-work">'
        r'Seasonal agricultural work <span class="muted">\(1\)</span></a>',
        text,
    )
    assert "Comprende" in italian
    assert 'href="/search?theme=agriculture-food"' in text


def assert_moved(client: TestClient, cases: dict[str, str], *, nowhere: list[str]) -> None:
    """Each address of `cases` answers 308 to its value; each of `nowhere` 404."""
    for asked, moved in cases.items():
        r = client.get(asked, follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (308, moved), asked
    for path in nowhere:
        assert client.get(path, follow_redirects=False).status_code == 404, path


def test_a_concept_written_in_upper_case_redirects_to_its_one_address(client: TestClient) -> None:
    """A researcher's trial: `/initiative/MATILDE` leads to the record, `/scheme/theme/EMPLOYMENT`
    was 404. The project's concept codes are lower case; written otherwise, their IRI and page
    are 308 to the one address, the query kept; a code no concept has stays 404."""
    cases = {
        "/scheme/theme/HOUSING": "/scheme/theme/housing",
        "/scheme/Theme/housing?lang=de": "/scheme/theme/housing?lang=de",
        "/browse/theme/Housing": "/browse/theme/housing",
        "/browse/THEME/HOUSING.TTL": "/browse/theme/housing.ttl",
    }
    assert_moved(client, cases, nowhere=["/scheme/theme/NO-SUCH-THEME", "/browse/theme/NOPE"])
    for moved in cases.values():
        assert client.get(moved, follow_redirects=False).status_code in (200, 303), moved


def test_a_place_named_otherwise_leads_to_its_page_never_to_a_404(client: TestClient) -> None:
    """A link checker's `/browse/country/Italy` was sent for good (308) to `ITALY`, a 404, and
    `/browse/country/gr` to `GR`, another: a country or region written as the search's filters
    take it (ISO alpha-2 or alpha-3 in any case, its name in any of the five languages, a NUTS
    code in lower case) leads to its one page; what names no place is 404, not a redirect."""
    for given in ("Spain", "SPAIN", "es", "ES", "España", "espana", "esp"):
        r = client.get(f"/browse/country/{given}?lang=es", follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (308, "/browse/country/ESP?lang=es")
    for given in ("gr", "EL", "el"):  # the EU writes Greece EL
        r = client.get(f"/browse/country/{given}", follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (308, "/browse/country/GRC")
    assert client.get("/browse/country/GRC").status_code == 200
    r = client.get("/browse/nuts/es242.ttl", follow_redirects=False)
    assert (r.status_code, r.headers.get("location")) == (308, "/browse/nuts/ES242.ttl")
    for nowhere in ("Atlantis", "XX", "atlantis.ttl"):
        assert client.get(f"/browse/country/{nowhere}", follow_redirects=False).status_code == 404


def test_a_concept_named_by_its_label_leads_to_its_page(client: TestClient) -> None:
    """A trial's `/browse/theme/vivienda` was 404 while `theme=Vivienda` filtered the search:
    a concept's label in any of the five languages leads (308) to its page, the query and an
    extension kept; what names no concept stays 404."""
    cases = {
        "/browse/theme/vivienda?lang=es": "/browse/theme/housing?lang=es",
        "/browse/theme/Wohnen": "/browse/theme/housing",
        "/browse/theme/logement.ttl": "/browse/theme/housing.ttl",
    }
    assert_moved(client, cases, nowhere=["/browse/theme/no-such-theme"])
    assert client.get("/browse/theme/housing", follow_redirects=False).status_code == 200


def test_a_concepts_hidden_labels_are_searched_not_shown(client: TestClient) -> None:
    """German inflected forms ("Geflüchteten") are the refugees concept's hidden labels (SKOS
    Reference §5.4: for search, not display): its page lists its other labels, not them."""
    text = client.get("/browse/target-group/refugees", params={"lang": "de"}).text
    assert '<span lang="de">Flüchtlinge</span>' in text
    assert '<span lang="de">Geflüchteten</span>' not in text
    assert '<span lang="de">Flüchtlingen</span>' not in text


def test_a_concepts_labels_are_listed_under_language_names_of_the_page(
    client: TestClient,
) -> None:
    """A German trial read language names in their own languages inside German sentences
    ("Sprache der Suche: Italiano"); a concept's labels are listed by language as the page's
    language names them, which needs no `lang` of its own."""
    german = client.get("/browse/theme/housing", params={"lang": "de"}).text
    assert "<dt>Spanisch</dt>" in german
    assert "<dt>Español</dt>" not in german
    assert "<dt>Spanish</dt>" in client.get("/browse/theme/housing").text
