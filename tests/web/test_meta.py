"""Link previews: every page names its canonical public URL (with `lang` when the URL names it or
the page is in another language than English) and its Open Graph locale, with the other
interface languages as alternates."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ingested
from tests.web.conftest import BASE, client_of
from web.meta import OG_LOCALES, TITLE_MAX, cut_title


def meta(page: str, prop: str) -> list[str]:
    return re.findall(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page)


def test_the_canonical_url_is_the_public_base_plus_the_path(client: TestClient) -> None:
    page = client.get("/initiative/village-welcome?utm_source=x").text
    assert meta(page, "og:url") == ["http://testserver/initiative/village-welcome"]
    assert '<link rel="canonical" href="http://testserver/initiative/village-welcome">' in page


@pytest.mark.parametrize(("lang", "locale"), sorted(OG_LOCALES.items()))
def test_a_language_in_the_url_is_kept_and_sets_the_locale(
    client: TestClient, lang: str, locale: str
) -> None:
    page = client.get(f"/browse?lang={lang}").text
    assert meta(page, "og:url") == [f"http://testserver/browse?lang={lang}"]
    assert meta(page, "og:locale") == [locale]
    assert sorted(meta(page, "og:locale:alternate")) == sorted(set(OG_LOCALES.values()) - {locale})


def test_a_language_from_the_browser_names_the_address_of_that_language(
    client: TestClient,
) -> None:
    """A preview bot sends no Accept-Language: given the bare address, it would show English
    where the person sharing the link saw Italian."""
    page = client.get("/browse", headers={"Accept-Language": "it-IT,it;q=0.9"}).text
    assert meta(page, "og:locale") == ["it_IT"]
    assert meta(page, "og:url") == ["http://testserver/browse?lang=it"]
    unknown = client.get("/browse?lang=xx").text  # not one of ours: not kept
    assert meta(unknown, "og:url") == ["http://testserver/browse"]


def test_the_404_page_declares_no_canonical_url(client: TestClient) -> None:
    for path in ("/initiative/no-such-thing", "/foo"):
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert 'rel="canonical"' not in page.text
        assert meta(page.text, "og:url") == []
    record = client.get("/initiative/village-welcome").text
    assert 'rel="canonical"' in record


SITE = "Rural Integration Knowledge Graph"


def test_a_long_title_is_cut_in_its_page_part_never_in_the_site_name() -> None:
    long = " ".join(["village"] * 30) + f" — Search — {SITE}"
    cut = cut_title(long, SITE, TITLE_MAX)
    assert len(cut) <= TITLE_MAX
    assert cut.endswith(f"… — {SITE}")
    assert cut.startswith("village village")
    assert cut_title(f"Short — {SITE}", SITE, TITLE_MAX) == f"Short — {SITE}"
    # a title without the site's name is cut at a word
    assert cut_title("a" * 10 + " " + "b" * 200, SITE, 50) == "a" * 10 + "…"


def test_og_title_of_a_long_search_keeps_the_site_name_whole(client: TestClient) -> None:
    q = "families who moved to a village for a job and stayed " * 4
    page = client.get("/search", params={"q": q}).text
    (title,) = re.findall(r"<title>([^<]*)</title>", page)
    assert title.startswith("families who moved")
    assert title.endswith(f"… — {SITE}")
    assert len(title) <= TITLE_MAX
    (og,) = meta(page, "og:title")  # the object's title: the site is og:site_name
    assert og == title.removesuffix(f" — {SITE}")


def test_a_title_with_quotes_and_ampersands_is_escaped_once(client: TestClient) -> None:
    """Browser tabs and link previews show the characters, not entity codes
    (`Sant'Arcangelo`, never `Sant&#39;Arcangelo`)."""
    page = client.get("/search", params={"q": 'Sant\'Arcangelo & "Caixa"'}).text
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title is not None
    shown = html.unescape(title.group(1))
    assert shown.startswith('Sant\'Arcangelo & "Caixa"')
    (og,) = meta(page, "og:title")
    assert html.unescape(og) == shown.removesuffix(f" — {SITE}")
    assert "&amp;#" not in page
    assert "&amp;amp;" not in page


def test_hreflang_alternates_are_absolute_with_self_and_x_default(client: TestClient) -> None:
    """Search engines read `<link rel="alternate" hreflang>` as absolute URLs, the page's own
    language included, and `x-default` for the address that lets the browser choose."""
    page = client.get("/search", params={"q": "village", "lang": "es"}).text
    found = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page))
    assert set(found) == {"en", "es", "it", "de", "fr", "x-default"}
    assert found["es"] == f"{BASE}search?q=village&amp;lang=es"
    assert found["x-default"] == f"{BASE}search?q=village"
    missing = client.get("/nowhere", headers={"Accept": "text/html"}).text
    assert '<link rel="alternate" hreflang' not in missing  # no alternates, as no canonical


def test_hreflang_alternates_are_canonical_addresses(client: TestClient) -> None:
    """A campaign link's `?utm_source=x` gave a record page hreflang alternates and an
    x-default of their own, each carrying it (a web developer's trial): alternates are built
    from the page's canonical address, for a record page and for a search alike."""
    page = client.get("/initiative/village-welcome", params={"utm_source": "x"}).text
    found = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page))
    assert found["fr"] == f"{BASE}initiative/village-welcome?lang=fr"
    assert found["x-default"] == f"{BASE}initiative/village-welcome"
    search = client.get("/search", params={"q": "village", "utm_medium": "mail"}).text
    found = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', search))
    assert found["de"] == f"{BASE}search?q=village&amp;lang=de"
    assert "utm" not in "".join(found.values())


def test_an_embedded_card_links_to_the_record_in_its_language(client: TestClient) -> None:
    card = client.get("/embed/initiative/village-welcome", params={"lang": "es"}).text
    assert f'href="{BASE}initiative/village-welcome?lang=es"' in card
    plain = client.get("/embed/initiative/village-welcome").text
    assert f'href="{BASE}initiative/village-welcome"' in plain


def test_the_embed_snippet_of_a_page_is_its_card_in_the_pages_language(
    client: TestClient,
) -> None:
    """The snippet a site pastes from a Spanish page shows the Spanish card, and a name with
    quotes cannot break its `title` attribute."""
    page = html.unescape(client.get("/initiative/village-welcome?lang=es").text)
    snippet = re.search(r'<iframe src="([^"]+)"', page)
    assert snippet is not None
    assert snippet.group(1) == f"{BASE}embed/initiative/village-welcome?lang=es"
    # pinned in English too: a card without a language follows each visitor's browser
    english = html.unescape(client.get("/initiative/village-welcome").text)
    assert f'<iframe src="{BASE}embed/initiative/village-welcome?lang=en" ' in english


def test_a_record_without_a_description_is_described_by_what_it_says(client: TestClient) -> None:
    """Seven organisations had `content=""` in their description, Open Graph and Twitter tags
    and an empty paragraph on their embedded card."""
    page = client.get("/organisation/test-ngo").text
    said = re.findall(r'<meta (?:name|property)="[a-z:]*description" content="([^"]*)"', page)
    assert said == ["Organisation in Spain — Rural Integration Knowledge Graph"] * 3
    spanish = client.get("/organisation/test-ngo", params={"lang": "es"}).text
    assert '<meta name="description" content="Organización en España — ' in spanish
    card = client.get("/embed/organisation/test-ngo").text
    assert '<p class="d"' not in card


@pytest.fixture
def event_client(records_dir: Path) -> Iterator[TestClient]:
    record = (
        '---\nname: Rural integration day\nstart: "2022-10-11"\n'
        "sources: {a: {url: 'https://example.org/day'}}\n---\n"
        "A one-day online session on integration in rural areas.\n"
    )
    store = ingested(records_dir, {"event/rural-day": record}, base=BASE)
    with client_of(store) as c:
        yield c


def test_an_event_dated_by_its_start_is_that_day_not_since(event_client: TestClient) -> None:
    """The card of a one-day event read "When: since 2022" ("Quand : depuis 2022")."""
    card = event_client.get("/embed/event/rural-day", params={"lang": "fr"}).text
    assert "<dt>Quand</dt><dd>11 octobre 2022</dd>" in card
    assert "depuis" not in card
    assert "début en" not in card


def test_a_page_in_the_browsers_language_names_its_lang_address(client: TestClient) -> None:
    """A Spanish page at the bare address (Accept-Language) named the bare address canonical,
    where a crawler without Accept-Language gets English."""
    page = client.get("/initiative/village-welcome", headers={"Accept-Language": "es-ES"}).text
    assert 'lang="es"' in page
    assert (
        '<link rel="canonical" href="http://testserver/initiative/village-welcome?lang=es">' in page
    )
    english = client.get("/initiative/village-welcome", headers={"Accept-Language": "en"}).text
    assert '<link rel="canonical" href="http://testserver/initiative/village-welcome">' in english


def test_an_embedded_cards_title_in_another_language_says_so(client: TestClient) -> None:
    """A webmaster's trial: the German card's English title carried no `lang`, while its
    description did (WCAG 2.1 SC 3.1.2, language of parts; the record page marks it)."""
    german = client.get("/embed/initiative/village-welcome", params={"lang": "de"}).text
    assert re.search(r'<h1 lang="en"><a [^>]+>[^<]*Village Welcome', german)
    english = client.get("/embed/initiative/village-welcome", params={"lang": "en"}).text
    assert re.search(r"<h1><a [^>]+>[^<]*Village Welcome", english)
