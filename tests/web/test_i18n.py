"""The interface language (issue 9 item 5): negotiation, the switcher, translated pages and
concept labels, and catalogues that cover every message of the templates and the code."""

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import PROJECT_ROOT, Settings
from tests.conftest import ingested
from web.app import create_app
from web.i18n import (
    DEFAULT,
    LANGUAGES,
    LOCALES,
    currency,
    day,
    negotiate,
    plain,
    translations,
    when,
    with_lang,
)

SCHEMES = PROJECT_ROOT / "ontology" / "schemes"
OTHERS = [code for code in LANGUAGES if code != DEFAULT]
HOUSING = URIRef("https://w3id.org/rikg/scheme/theme/housing")
SPAIN = URIRef("http://publications.europa.eu/resource/authority/country/ESP")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    g = Graph()
    for path in sorted(SCHEMES.glob("*.ttl")):
        g.parse(path)
    return g


def label(schemes: Graph, concept: URIRef, lang: str) -> str:
    """The concept's preferred label in `lang`, as the SKOS scheme file gives it."""
    found = [
        str(o)
        for o in schemes.objects(concept, SKOS.prefLabel)
        if isinstance(o, Literal) and o.language == lang
    ]
    assert found, f"{concept} has no {lang} label in {SCHEMES}"
    return found[0]


def text(response_text: str) -> str:
    return html.unescape(response_text)


@pytest.fixture
def client(records_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    store = ingested(records_dir, base="http://testserver/")
    settings = Settings.from_env({"KG_BASE_URI": "http://testserver/"}, cache_dir=tmp_path / "c")
    search = SearchService(store, settings, embedder=HashEmbedder())
    app = create_app(settings, store=store, search=search)
    with TestClient(app, follow_redirects=False) as c:
        yield c


# --- choosing the language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("es", "es"),
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("de-AT", "de"),
        ("en;q=0.5, it;q=0.9", "it"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "fr"),
        ("pt-BR, pt;q=0.9, de;q=0.3", "de"),  # the first language we have, by quality
        ("ja, zh;q=0.8", "en"),
        ("*", "en"),
        ("ja, *;q=0.5, fr;q=0.4", "en"),  # the wildcard outranks French
        ("fr;q=0, es;q=0.1", "es"),  # q=0 means "not this one"
        ("de;q=bogus, it", "it"),
        ("ES-es", "es"),
    ],
)
def test_accept_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_url_parameter_beats_accept_language(client: TestClient) -> None:
    r = client.get("/?lang=it", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="it">' in r.text
    assert r.headers["content-language"] == "it"
    r = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in r.text
    assert r.headers["content-language"] == "de"
    assert "accept-language" in r.headers["vary"].lower()


@pytest.mark.parametrize("tag", ["es-ES", "ES", "es_ES", "es-419"])
def test_a_language_tag_with_a_region_names_its_language(client: TestClient, tag: str) -> None:
    """A site linking with `?lang=es-ES` got the English page."""
    r = client.get(f"/?lang={tag}", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in r.text
    assert r.headers["content-language"] == "es"


def test_unknown_language_parameter_falls_back(client: TestClient) -> None:
    r = client.get("/?lang=xx", headers={"Accept-Language": "fr"})
    assert '<html lang="fr">' in r.text
    assert '<html lang="en">' in client.get("/?lang=").text


@pytest.mark.parametrize("path", ["/", "/browse", "/search?q=village", "/data/", "/sparql"])
def test_pages_say_their_language_and_vary(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/html", "Accept-Language": "es"})
    assert r.status_code == 200
    assert r.headers["content-language"] == "es"
    vary = [v.strip().lower() for v in r.headers["vary"].split(",")]
    assert vary.count("accept-language") == 1


def test_data_responses_do_not_claim_a_language(client: TestClient) -> None:
    r = client.get("/initiative/village-welcome.ttl", headers={"Accept-Language": "es"})
    assert "content-language" not in r.headers
    assert "content-language" not in client.get("/healthz").headers


def test_record_page_validators_differ_by_language(client: TestClient) -> None:
    es = client.get("/initiative/village-welcome", headers={"Accept-Language": "es"})
    de = client.get("/initiative/village-welcome?lang=de")
    assert es.headers["etag"] != de.headers["etag"]
    again = client.get(
        "/initiative/village-welcome",
        headers={"Accept-Language": "es", "If-None-Match": es.headers["etag"]},
    )
    assert again.status_code == 304
    assert "accept-language" in again.headers["vary"].lower()
    other = client.get(
        "/initiative/village-welcome?lang=fr", headers={"If-None-Match": es.headers["etag"]}
    )
    assert other.status_code == 200


# --- the switcher and links that keep the language ------------------------------------------


def switcher(page: str) -> str:
    found = re.search(r'<nav class="languages" aria-label="[^"]+">(.*?)</nav>', page, re.S)
    assert found, "no language switcher"
    return found.group(1)


def test_switcher_keeps_the_url_and_marks_the_current_language(client: TestClient) -> None:
    page = client.get("/search?q=empty+houses&theme=housing&page=1&lang=es").text
    nav = switcher(page)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"( aria-current="true")?', nav)
    assert [code for _, code, _ in links] == list(LANGUAGES)
    for href, code, current in links:
        assert html.unescape(href) == f"/search?q=empty+houses&theme=housing&page=1&lang={code}"
        assert bool(current) == (code == "es")
    assert ">Español</a>" in nav
    assert ">Deutsch</a>" in nav


def test_switcher_is_a_labelled_navigation_list(client: TestClient) -> None:
    page = client.get("/?lang=de").text
    assert '<nav class="languages" aria-label="Sprache">' in page
    assert re.search(r"<nav class=\"languages\"[^>]*>\s*<ul>\s*<li>", page)


def test_links_and_forms_keep_a_chosen_language(client: TestClient) -> None:
    page = client.get("/?lang=de").text
    assert 'href="/search?lang=de"' in page
    assert 'href="/browse/theme/housing?lang=de"' in page
    assert '<input type="hidden" name="lang" value="de">' in page
    search = text(client.get("/search?q=refugees&lang=de").text)
    assert 'href="/initiative/village-welcome?lang=de"' in search
    toggles = re.findall(r'href="(/search\?[^"]*country=ES[^"]*)"', search)
    assert toggles
    assert all("lang=de" in t for t in toggles)
    record = client.get("/initiative/village-welcome?lang=de").text
    assert 'href="/organisation/test-ngo?lang=de"' in record
    concept = client.get("/browse/theme/housing?lang=de").text
    assert 'href="/initiative/village-welcome?lang=de"' in concept


def test_negotiated_language_leaves_links_alone(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de"}).text
    assert 'href="/search"' in page
    assert 'name="lang"' not in page


def test_plain_messages_are_text_a_template_escapes() -> None:
    message = "Please write plain text: HTML tags such as <script> are not accepted."
    text = plain("es", message)
    assert text == "Escribe texto sin formato: no se aceptan etiquetas HTML como <script>."
    assert not hasattr(text, "__html__")  # not Markup: Jinja2 escapes it when printing it
    filled = plain(
        "es", "%(facet)s: %(label)s (from “%(matched)s”)", facet="T", label="<b>", matched="x"
    )
    assert filled == "T: <b> (por «x»)"  # values as typed: the template escapes the whole


def test_with_lang() -> None:
    assert with_lang("/search", "es") == "/search?lang=es"
    assert with_lang("/search?q=a+b", "es") == "/search?q=a+b&lang=es"
    assert with_lang("/search?q=x&lang=fr", "es") == "/search?q=x&lang=fr"
    assert with_lang("/search", None) == "/search"
    assert with_lang("https://example.org/", "es") == "https://example.org/"


# --- translated pages and concept labels ------------------------------------------------------


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_home_in_each_language(client: TestClient, schemes: Graph, lang: str) -> None:
    page = text(client.get(f"/?lang={lang}").text)
    gettext = translations(lang).gettext
    assert f"<h1>{gettext('Integration of migrants and refugees in rural Europe')}</h1>" in page
    assert gettext("Search practices in your own words") in page
    assert f">{label(schemes, HOUSING, lang)} <span" in page
    # the list of countries beside the map, each with its number of initiatives
    assert f'>{label(schemes, SPAIN, lang)}</a> <span class="muted">(' in page


@pytest.mark.parametrize("lang", OTHERS)
def test_home_is_not_english(client: TestClient, lang: str) -> None:
    page = client.get(f"/?lang={lang}").text
    assert "Search practices in your own words" not in page
    assert ">Housing <span" not in page


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_search_in_each_language(client: TestClient, schemes: Graph, lang: str) -> None:
    page = text(client.get(f"/search?q=empty+houses+villages&lang={lang}").text)
    gettext = translations(lang).gettext
    assert f"<h2>{gettext('Theme')}</h2>" in page  # a facet title
    # a hit's theme, a link to its records (two trials tapped the tags)
    tag = f'<a class="chip" href="/search?lang={lang}&theme=housing">'
    assert f"{tag}{label(schemes, HOUSING, lang)}</a>" in page
    assert f"theme=housing&lang={lang}" not in page  # facet toggles add to the URL's end
    housing = re.escape(label(schemes, HOUSING, lang))
    assert re.search(rf'lang={lang}&theme=housing#filters">{housing}<', page)  # a facet value


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_record_page_in_each_language(client: TestClient, schemes: Graph, lang: str) -> None:
    page = text(client.get(f"/initiative/village-welcome?lang={lang}").text)
    gettext = translations(lang).gettext
    assert f'<h2 id="glance-h">{gettext("At a glance")}</h2>' in page
    assert f"<dt>{gettext('Where')}</dt>" in page
    assert f">{label(schemes, HOUSING, lang)}</a>" in page
    assert f">{label(schemes, SPAIN, lang)}</a>" in page
    assert f"<h2>{gettext('Sources disagree.')}</h2>" in page


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_browse_pages_in_each_language(client: TestClient, schemes: Graph, lang: str) -> None:
    concept = text(client.get(f"/browse/theme/housing?lang={lang}").text)
    assert f"<h1>{label(schemes, HOUSING, lang)}</h1>" in concept
    gettext = translations(lang).gettext
    assert gettext("Search within these records") in concept
    index = text(client.get(f"/browse?lang={lang}").text)
    assert f">{label(schemes, HOUSING, lang)} <span" in index
    assert f"<h2>{gettext('Initiatives')} (1)</h2>" in index


def test_record_description_in_the_chosen_language_leads(client: TestClient) -> None:
    record = client.get("/initiative/village-welcome?lang=es").text
    assert '<p class="lede" lang="en">A test initiative' in record  # none in Spanish: English


def test_sparql_editor_hands_translated_messages_to_its_script(client: TestClient) -> None:
    page = text(client.get("/sparql?lang=fr", headers={"Accept": "text/html"}).text)
    assert 'data-lang="fr"' in page
    assert 'data-msg-rows-other="{n} lignes"' in page
    assert "<h1>Éditeur de requêtes SPARQL</h1>" in page


def test_not_found_page_is_translated(client: TestClient) -> None:
    r = client.get("/initiative/no-such?lang=it", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert "<h1>Non trovato</h1>" in r.text


# --- the catalogues ---------------------------------------------------------------------


def extracted() -> set[str]:
    """Every msgid in the code and templates, found as `pybabel extract` finds them."""
    with (LOCALES / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogue_translates_every_message(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=lang)
    messages = [m for m in catalog if m.id]
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    expected = extracted()
    assert sorted(expected - ids) == [], "messages not in the catalogue"
    assert sorted(ids - expected) == [], "catalogue entries no code uses any more"
    for m in messages:
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), f"{lang}: {m.id!r} is untranslated"
        assert not m.fuzzy, f"{lang}: {m.id!r} is fuzzy"
        ids_ = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = sorted(PLACEHOLDER.findall(ids_[-1]))
        for s in strings:
            assert sorted(set(PLACEHOLDER.findall(s))) == sorted(set(wanted)), (lang, m.id, s)
    assert list(catalog.check()) == []


def test_catalogues_hold_the_same_messages() -> None:
    keys = {}
    for lang in OTHERS:
        with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
            keys[lang] = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.id}
    assert all(k == keys[OTHERS[0]] for k in keys.values())


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("en", "30 November 2026"),
        ("es", "30 de noviembre de 2026"),
        ("it", "30 novembre 2026"),
        ("de", "30. November 2026"),
        ("fr", "30 novembre 2026"),
    ],
)
def test_a_date_is_written_as_the_language_writes_it(lang: str, written: str) -> None:
    assert day({"lang": lang}, "2026-11-30T12:00:00+00:00") == written  # type: ignore[arg-type]
    assert day({"lang": lang}, "2019") == "2019"  # not a full date: as given


@pytest.mark.parametrize(
    ("lang", "month", "full"),
    [
        ("en", "March 2019", "5 March 2019"),
        ("es", "marzo de 2019", "5 de marzo de 2019"),
        ("de", "März 2019", "5. März 2019"),
        ("fr", "mars 2019", "5 mars 2019"),
    ],
)
def test_a_date_as_precise_as_its_source(lang: str, month: str, full: str) -> None:
    context = {"lang": lang}
    assert when(context, "2019") == "2019"  # type: ignore[arg-type]
    assert when(context, "2019-03") == month  # type: ignore[arg-type]
    assert when(context, "2019-03-05") == full  # type: ignore[arg-type]
    assert when(context, "2019-13") == "2019-13"  # type: ignore[arg-type]  # not a date: as given


@pytest.mark.parametrize(
    ("lang", "written"),
    [("fr", "1er décembre 2026"), ("en", "1 December 2026"), ("de", "1. Dezember 2026")],
)
def test_the_first_of_a_month_is_an_ordinal_in_french(lang: str, written: str) -> None:
    """A French trial read « Mis à jour le 1 décembre 2026 »: French writes « 1er »."""
    assert day({"lang": lang}, "2026-12-01") == written  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "code", "written"),
    [
        ("en", "PLN", "PLN\xa08,050.00"),  # a trial read "PLN8,050.00"
        ("en", "EUR", "€8,050.00"),  # a symbol needs no space
        ("de", "CHF", "8.050,00\xa0CHF"),
        ("fr", "EUR", "8\u202f050,00\xa0€"),
    ],
)
def test_an_amount_keeps_a_currency_in_letters_apart_from_its_digits(
    lang: str, code: str, written: str
) -> None:
    assert currency({"lang": lang}, 8050, code) == written


def test_catalogues_are_kept_only_for_the_five_languages() -> None:
    """The API's `lang` is any string a client sends: each one had kept a compiled catalogue in
    memory. Other strings read English, and the catalogues kept stay one per language."""
    from web.i18n import _catalogue

    for n in range(200):
        assert translations(f"x{n}").gettext("Search results") == "Search results"
    assert translations("it").gettext("Search results") != "Search results"
    assert _catalogue.cache_info().currsize <= len(LANGUAGES)


#: Spanish forms of address of the formal register (usted), none of which the informal
#: translation (tú) uses
USTED = re.compile(
    r"\b(usted|Describa|Indique|indique|Elija|Escriba|Marque|desmarque|Revise|Añada|Guarde|quite|"
    r"compruebe|contactarle|preguntarle|le escriba|Le sugerimos|Su (nombre|correo|práctica))\b"
)


def test_the_spanish_site_speaks_to_its_reader_in_one_register() -> None:
    """A practitioner's trial found the search box saying "Busca… tus propias palabras" (tú)
    and the contribution form "Describa… Le sugerimos" (usted): the site says tú throughout."""
    with (LOCALES / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="es")
    formal = []
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        formal += [t for t in texts if t and USTED.search(t)]
    assert formal == []
