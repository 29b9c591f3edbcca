"""The HTML search page in-process, with the deterministic fake embedder."""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import QueryParams

from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from tests.conftest import BASE, ingested
from tests.web.conftest import client_of
from web.app import create_app
from web.routes.search_page import canonical_query, page_numbers


@contextmanager
def searching(records_dir: Path, tmp_path: Path, records: dict[str, str]) -> Iterator[TestClient]:
    """A client of the search page over the test records and `records` ("kind/slug" → text),
    with the fake embedder."""
    store = ingested(records_dir, records, base="http://testserver/")
    settings = Settings.from_env({"KG_BASE_URI": "http://testserver/"}, cache_dir=tmp_path / "c")
    search = SearchService(store, settings, embedder=HashEmbedder())
    with TestClient(create_app(settings, store=store, search=search)) as c:
        yield c


@pytest.fixture
def client(records_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    record = (
        "---\nname: Alpine Welcome\ncountries: [AT]\nthemes: [employment]\n"
        "sources: {a: {url: 'https://example.org/x'}}\n---\n"
        "Mountain municipalities offer jobs and language courses to refugees.\n"
    )
    with searching(records_dir, tmp_path, {"initiative/alpine-welcome": record}) as c:
        yield c


class _Status(HTMLParser):
    """The text of each element with `role="status"` (a live region), nested tags flattened."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[str] = []
        self._depth = 0  # open elements inside the current region, itself included

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += 1
        elif ("role", "status") in attrs:
            self.regions.append("")
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.regions[-1] += data


def status(html: str) -> str:
    """What a screen reader announces: the one live status region's text, spaces collapsed."""
    parser = _Status()
    parser.feed(html)
    assert len(parser.regions) == 1, parser.regions
    return " ".join(parser.regions[0].split())


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/initiative/([^"]+)"', html)


def test_query_finds_and_explains(client: TestClient) -> None:
    html = client.get("/search", params={"q": "empty houses villages"}).text
    assert titles(html)[0] == "village-welcome"
    # headed as its page is titled: by the short name people know it by, then its name
    assert 'href="/initiative/village-welcome">VW: Village Welcome</a></h2>' in html
    assert "<mark>" in html
    assert "Why:" in html


def test_facet_toggles_and_stays_in_url(client: TestClient) -> None:
    html = client.get("/search", params={"q": "refugees"}).text
    link = re.search(r'<a href="(/search\?[^"]*country=AT[^"]*)"', html)
    assert link is not None
    filtered = client.get(link.group(1).replace("&amp;", "&")).text
    assert titles(filtered) == ["alpine-welcome"]
    assert "Country: Austria" in filtered
    assert "Show the filters as SPARQL" in filtered
    assert "http://publications.europa.eu/resource/authority/country/AUT" in filtered
    # the query scrolls sideways on a phone: a keyboard reaches it to scroll (WCAG 2.1.1)
    assert '<pre tabindex="0" aria-label="SPARQL query"><code>' in filtered


def test_empty_state_offers_examples(client: TestClient) -> None:
    html = client.get("/search", params={"q": "qqqzzzxx", "mode": "keyword"}).text
    assert "Nothing matched “qqqzzzxx”" in html
    assert 'href="/search?q=families' in html
    assert 'href="/browse"' in html
    assert "filters-toggle" not in html  # no "Filters" button opening an empty panel
    assert "filters-toggle" in client.get("/search", params={"q": "refugees"}).text
    assert "remove a filter" not in html  # there is none to remove
    filtered = {"q": "qqqzzzxx", "mode": "keyword", "country": "ES"}
    assert "remove a filter" in client.get("/search", params=filtered).text


def test_the_live_status_says_nothing_matched_or_the_count(client: TestClient) -> None:
    nothing = client.get("/search", params={"q": "xqzvbnm plorkt"}).text
    assert status(nothing) == "Nothing matched “xqzvbnm plorkt”"
    found = client.get("/search", params={"q": "refugees"}).text
    assert re.fullmatch(r"1–\d+ of \d+ records? for “refugees”", status(found))


def test_the_live_status_says_the_query_was_corrected(client: TestClient) -> None:
    html = client.get("/search", params={"q": "mountian", "mode": "keyword"}).text
    said = status(html)
    assert said.startswith("Showing results for mountain — search instead for mountian")
    assert re.search(r"1–1 of 1 record for “mountain”$", said)


def test_query_text_is_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_a_filtered_or_later_page_is_titled_apart_from_the_first(client: TestClient) -> None:
    """An accessibility audit found every page of a search titled like its first (WCAG 2.1 SC
    2.4.2): tabs, history and screen readers could not tell them apart."""

    def title(**params: str) -> str:
        text = client.get("/search", params=params).text
        return html.unescape(re.search(r"<title>(.*?)</title>", text).group(1))  # type: ignore[union-attr]

    def count(**params: str) -> int:
        return int(client.get("/api/search", params=params).json()["total"])

    # the count too, read first as the page loads (a French screen-reader trial: the status
    # line holding it is announced only when it changes, and every filter loads a page)
    jobs, austria = count(q="jobs"), count(q="jobs", country="AT")
    assert title(q="jobs").startswith(f"jobs — {jobs} result{'s' * (jobs != 1)} — Search — ")
    assert title(q="jobs", country="AT").startswith(f"jobs — Austria — {austria} result")
    homes = count(q="refugees")
    assert homes > 1
    assert title(q="refugees").startswith(f"refugees — {homes} results — Search — ")
    assert title(q="jobs", year_from="2010").startswith("jobs — Active from 2010 — ")
    one = count(country="AT")
    assert title(country="AT", lang="de").startswith(
        f"Österreich — {one} {'Ergebnis' if one == 1 else 'Ergebnisse'} — Suchen — "
    )
    assert title(q="xqzvbnm plorkt").startswith("xqzvbnm plorkt — 0 results — Search — ")
    assert title().startswith("Search — ")  # nothing asked, nothing counted


def test_a_result_named_in_another_language_says_so(records_dir: Path, tmp_path: Path) -> None:
    """Result titles carry the name's language where it is not the page's (WCAG 2.1 SC 3.1.2),
    as record headings do (a record's name is English unless it says otherwise)."""
    records = {
        "initiative/dorf": "---\nname: Willkommen im Dorf\nname_lang: de\ncountries: [DE]\n"
        "sources: {a: {url: 'https://example.org/d'}}\n---\nA village welcomes refugees.\n",
        "initiative/plain": "---\nname: Village Plain\ncountries: [DE]\n"
        "sources: {a: {url: 'https://example.org/p'}}\n---\nA village welcomes refugees.\n",
    }
    with searching(records_dir, tmp_path, records) as c:
        english = c.get("/search", params={"q": "village"}).text
        german = c.get("/search", params={"q": "village", "lang": "de"}).text
    assert re.search(r'<a href="/initiative/dorf" lang="de">Willkommen im Dorf</a>', english)
    assert re.search(r'<a href="/initiative/dorf\?lang=de">Willkommen im Dorf</a>', german)
    assert re.search(r'<a href="/initiative/plain">Village Plain</a>', english)
    assert re.search(r'<a href="/initiative/plain\?lang=de" lang="en">Village Plain</a>', german)


def test_a_result_known_only_by_its_end_says_when_it_ended(
    records_dir: Path, tmp_path: Path
) -> None:
    """A German trial's result "Zukunft für Geflüchtete…" (ended May 2021, start not in its
    sources) showed no year at all; a result with both shows its span."""
    records = {
        "initiative/ended": "---\nname: Ended Village Project\ncountries: [DE]\n"
        "end: {value: '2021-05', source: a}\n"
        "sources: {a: {url: 'https://example.org/e'}}\n---\nA village welcomes refugees.\n",
    }
    with searching(records_dir, tmp_path, records) as c:
        english = c.get("/search", params={"q": "Ended Village Project"}).text
        german = c.get("/search", params={"q": "Ended Village Project", "lang": "de"}).text
    assert "ended 2021, start not known" in english
    assert "Ende 2021, Beginn nicht bekannt" in german


def test_a_page_past_the_end_shows_the_last_page(client: TestClient) -> None:
    html = client.get("/search", params={"page": "99"}).text
    first, last, total = (int(n) for n in re.findall(r"\d+", status(html))[:3])
    assert first <= last == total  # the last page, never "981–41 of 41"
    pages = re.search(r"Page (\d+) of (\d+)", html)
    assert pages is None or pages.group(1) == pages.group(2)
    assert "page=99 is past the end of these results: this is the last page" in html
    # its JSON is of the page shown, not of page 99 (a review found offset=980 linked)
    linked = re.search(r'href="(/api/search\?[^"]*)"', html)
    assert linked is not None
    assert f"offset={first - 1}" in linked.group(1).replace("&amp;", "&")
    spanish = client.get("/search", params={"page": "99", "lang": "es"}).text
    assert "page=99 va más allá del final de estos resultados" in spanish


def test_several_values_of_a_facet_and_a_year_range_stay_in_the_url(client: TestClient) -> None:
    both = [("country", "AT"), ("country", "ES")]
    html = client.get("/search", params=both).text
    assert set(titles(html)) == {"alpine-welcome", "village-welcome"}  # OR within a facet
    assert "Country: Austria" in html
    assert "Country: Spain" in html
    dated = client.get("/search", params=[*both, ("year_from", "2019")]).text
    assert titles(dated) == ["village-welcome"]  # the only one active from 2019 on
    assert (
        'name="year_from" inputmode="numeric" autocomplete="off" min="1000" max="9999" value="2019"'
        in dated
    )


def canonical(html: str) -> tuple[str, list[str]]:
    link = re.findall(r'<link rel="canonical" href="([^"]*)"', html)
    og = re.findall(r'<meta property="og:url" content="([^"]*)"', html)
    assert len(link) == 1
    return link[0].replace("&amp;", "&"), [u.replace("&amp;", "&") for u in og]


def test_the_canonical_url_of_a_search_is_the_search(client: TestClient) -> None:
    html = client.get(
        "/search?country=ES&q=refugees&utm_source=x&theme=employment&country=AT&page=1&lang=es"
    ).text
    want = "http://testserver/search?q=refugees&theme=employment&country=AT&country=ES&lang=es"
    assert canonical(html) == (want, [want])
    # the same search asked in another order has the same canonical URL
    again = client.get("/search?lang=es&theme=employment&country=ES&country=AT&q=refugees").text
    assert canonical(again)[0] == want
    # the link opens the same search
    assert titles(client.get(want.removeprefix("http://testserver")).text) == titles(html)
    assert canonical(client.get("/search").text)[0] == "http://testserver/search"


def test_canonical_query_orders_and_drops_the_first_page() -> None:
    params = QueryParams("page=2&sort=name&q=farm&theme=b&theme=a&theme=&utm=1&year=2020-2022")
    assert canonical_query(params, 2) == [
        ("q", "farm"),
        ("sort", "name"),
        ("theme", "a"),
        ("theme", "b"),
        ("year", "2020-2022"),
        ("page", "2"),
    ]
    assert ("page", "1") not in canonical_query(QueryParams("q=x&page=1"), 1)


def test_a_filter_value_no_record_holds_is_left_out_and_said(client: TestClient) -> None:
    """A hand-edited or old link (`country=ZZ`, `country=Atlantis`, `theme=nope`) is never a
    server error, and the page does not claim that nothing matched the words: the value is
    left out, the page says so, and its links leave it out too. The API keeps it (total 0)."""
    plain = client.get("/search", params={"q": "refugees"}).text
    for name, value in (("country", "ZZ"), ("country", "Atlantis"), ("theme", "nope")):
        r = client.get("/search", params={"q": "refugees", name: value})
        assert r.status_code == 200, value
        assert status(r.text) == status(plain)
        assert f"no record has {name}={value}" in html.unescape(r.text)
        links = re.findall(r'href="([^"]*)"', r.text.split("<main", 1)[1])
        assert not [link for link in links if f"{name}={value}" in link]
    kept = client.get("/search", params={"q": "refugees", "country": ["AT", "ZZ"]}).text
    assert "Country: Austria" in kept  # the value records hold stays
    api = client.get("/api/search", params={"q": "refugees", "country": "ZZ"}).json()
    assert api["total"] == 0


def test_a_part_of_the_url_the_page_cannot_use_is_left_out_and_said(client: TestClient) -> None:
    """A person's browser gets the search page, not the API's JSON 400: a year range that is
    not one or an unknown sort is left out, the page says why (in its language), and its links leave
    it out too."""
    plain = client.get("/search", params={"q": "refugees"}).text
    for extra, reason in (
        ({"year_from": "20x3", "year_to": "2018"}, "year_from=20x3, year_to=2018 is not a year"),
        ({"sort": "nope"}, "sort=nope is not a sort order"),
        ({"mode": "nope"}, "mode=nope is not a sort order or a search mode"),
        ({"page": "two"}, "page=two is not a page number"),
    ):
        r = client.get("/search", params={"q": "refugees", **extra})
        assert r.status_code == 200, extra
        assert r.headers["content-type"].startswith("text/html")
        assert "could not be used and was left out" in r.text
        assert reason in r.text
        assert status(r.text) == status(plain)
        main = r.text.split("<main", 1)[1].split("</main>")[0]
        links = re.findall(r'href="([^"]*)"', main)
        assert not [link for link in links for k, v in extra.items() if f"{k}={v}" in link]
    spanish = client.get("/search", params={"q": "refugees", "sort": "nope", "lang": "es"})
    assert "se ha dejado fuera" in spanish.text
    assert "sort=nope no es un orden ni un modo de búsqueda" in spanish.text
    german = client.get("/search", params={"q": "refugees", "country": "ZZ", "lang": "de"})
    assert "kein Eintrag hat country=ZZ" in german.text
    assert "must be" not in spanish.text + german.text  # no English reason inside


def test_only_the_part_that_cannot_be_read_is_left_out(client: TestClient) -> None:
    """`sort=nope&page=1`: the sort is left out and said; the page is read, and no notice
    calls it "not a page number"."""
    r = client.get("/search", params={"q": "refugees", "sort": "nope", "page": "1"})
    assert "sort=nope is not a sort order" in r.text
    assert "not a page number" not in r.text
    main = r.text.split("<main", 1)[1].split("</main>")[0]
    assert "sort=nope" not in "".join(re.findall(r'href="([^"]*)"', main))


def test_a_filter_given_by_its_name_is_read_as_its_code(client: TestClient) -> None:
    """A hand-made link `country=Spain` (or `España`) searches Spain, as `country=ES` does: the
    same results, its chip removes it, and the canonical URL names the code. So does the code
    in lower case (`country=es`: an Italian trial's chip read "Paese: it", its facet unticked)."""
    coded = client.get("/search", params={"q": "refugees", "country": "ES"}).text
    for name in ("Spain", "españa", "es"):
        r = client.get("/search", params={"q": "refugees", "country": name}).text
        assert status(r) == status(coded)
        assert "could not be used" not in r
        assert (
            '<link rel="canonical" href="http://testserver/search?q=refugees&amp;country=ES"' in r
        )
        chips = re.findall(r'<a class="chip active" href="([^"]+)"', r)
        assert chips == ["/search?q=refugees"]
        assert 'class="on" aria-current="true">✓ Spain</a>' in r  # ticked in the facet
    # another filter given loosely beside it is read as its value too, not kept as given
    loose = client.get("/search", params={"q": "refugees", "country": "es", "kind": "initiative "})
    links = re.findall(r'href="([^"]*)"', loose.text.split("<main", 1)[1])
    assert not [link for link in links if "initiative+" in link or "initiative%20" in link]
    assert [link for link in links if "kind=initiative" in link]


def test_each_end_of_a_year_range_is_its_own_labelled_chip(client: TestClient) -> None:
    html = client.get("/search", params={"q": "refugees", "year_from": "2018", "year_to": "2023"})
    chips = re.findall(r'<a class="chip active" href="([^"]+)"[^>]*>([^<]+)</a>', html.text)
    shown = {text.strip(): href.replace("&amp;", "&") for href, text in chips}
    assert set(shown) == {"Active from 2018 ✕", "Active until 2023 ✕"}
    assert "year_to=2023" in shown["Active from 2018 ✕"]  # removing "from" keeps "to"
    assert "year_from" not in shown["Active from 2018 ✕"]
    assert "year_from=2018" in shown["Active until 2023 ✕"]
    # one phrase in each language ("Attiva nel: da 2015" read oddly to an Italian trial)
    for lang, said in (("es", "Activa desde 2018"), ("it", "Attiva dal 2018")):
        page = client.get("/search", params={"q": "refugees", "year_from": "2018", "lang": lang})
        assert re.search(rf">\s*{said} ✕</a>", page.text), lang


def test_the_initiatives_tab_comes_first_whatever_the_counts(records_dir: Path) -> None:
    """Practices lead the results, so their tab leads the tabs, even when another kind counts
    more (a name query lists the organisations that mention it)."""
    for i in range(3):
        (records_dir / "organisation" / f"lantern-{i}.md").write_text(
            f"---\nname: Lantern Association {i}\norg_type: ngo\ncountry: ES\n"
            f'sources:\n  a: {{url: "https://example.org/lantern-{i}"}}\n---\n'
        )
    store = ingested(records_dir, base=BASE)
    with client_of(store, base=BASE, follow_redirects=True) as c:
        html = c.get("/search", params={"q": "lantern village", "mode": "keyword"}).text
    nav = html.split('<nav class="tabs"', 1)[1].split("</nav>", 1)[0]
    tabs = [
        (k, int(n)) for k, n in re.findall(r"kind=(\w+)[^>]*>[^<]*<span class=\"count\">(\d+)", nav)
    ]
    assert [k for k, _ in tabs] == ["initiative", "organisation"], tabs
    assert tabs[0][1] < tabs[1][1]


def test_searching_again_keeps_one_language(client: TestClient) -> None:
    """The search form of a page in Spanish sends `lang=es` once, so searching again and again
    does not grow the URL (`&lang=es&lang=es…`)."""
    html = client.get("/search", params={"q": "refugees", "lang": "es", "theme": "housing"}).text
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert form.count('name="lang"') == 1
    assert 'name="theme" value="housing"' in form


def test_a_value_of_a_filtered_facet_says_what_it_adds(client: TestClient) -> None:
    html = client.get("/search", params={"country": "ES", "lang": "es"}).text
    facet = html.split('data-facet="country"', 1)[1].split("</section>", 1)[0]
    added = re.search(
        r'href="([^"]*country=AT[^"]*)"[^>]*>[^<]*</a> <span class="count adds"[^>]*>\+(\d+)<',
        facet,
    )
    assert added is not None  # Austria, not selected: "+N", the results it adds (OR)
    assert 'title="añade' in facet
    # said in words too, not only in the tooltip; only in a facet with a value chosen
    # in words a reader of a second language follows (a Polish trial could not parse "+N: the
    # results choosing this value too would add.")
    assert "+N: cuántos resultados más obtienes si eliges también este valor." in facet
    english = client.get("/search", params={"country": "ES"}).text
    assert "+N: how many more results you get if you also choose this value." in english
    # one result is said in the singular (a German trial read "fügt 1 Ergebnisse hinzu")
    said = re.findall(r'title="añade (\d+) (resultados?)"', html)
    assert said
    assert all((word == "resultado") == (n == "1") for n, word in said), said
    theme = html.split('data-facet="theme"', 1)[1].split("</section>", 1)[0]
    assert "facet-note" not in theme
    assert "count adds" not in theme
    before = len(titles(html))
    after = client.get(added.group(1).replace("&amp;", "&")).text
    assert len(titles(after)) == before + int(added.group(2))


def test_a_value_that_would_add_nothing_is_not_offered(records_dir: Path, tmp_path: Path) -> None:
    # the only Portuguese record is Spanish too: with Spain chosen, Portugal adds nothing
    record = (
        "---\nname: Border Bridge\ncountries: [ES, PT]\nthemes: [employment]\n"
        "sources: {a: {url: 'https://example.org/b'}}\n---\n"
        "Two border towns share a job office for refugees.\n"
    )
    with searching(records_dir, tmp_path, {"initiative/border-bridge": record}) as c:
        facets = c.get("/api/search", params={"country": "ES", "limit": "0"}).json()["facets"]
        portugal = [v for v in facets["country"] if v["value"] == "PT"]
        assert [v["adds"] for v in portugal] == [0]  # the API still says so
        html = c.get("/search", params={"country": "ES", "lang": "en"}).text
    facet = html.split('data-facet="country"', 1)[1].split("</section>", 1)[0]
    assert "✓ Spain" in facet  # chosen, it stays (its link takes it off)
    assert "country=PT" not in facet
    assert "+0<" not in html


def test_the_year_range_form_keeps_the_language(client: TestClient) -> None:
    html = client.get("/search", params={"q": "refugees", "lang": "fr"}).text
    form = html.split('class="year-range"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="lang" value="fr">' in form


def test_a_year_range_says_how_many_undated_records_it_leaves_out(client: TestClient) -> None:
    def total(**params: str) -> int:
        return int(client.get("/api/search", params={"limit": "0", **params}).json()["total"])

    # every dated record is active in that range; organisations have no years to count
    undated = total() - total(year="1000-9999") - total(kind="organisation")
    assert undated > 0  # the test records include initiatives without dates
    said = client.get("/api/search", params={"year_from": "1990", "limit": "0"}).json()
    assert said["undated"] == undated
    dated = client.get("/search", params={"year_from": "1990", "lang": "es"}).text
    note = re.search(r'<p class="muted undated">(.*?)</p>', dated, re.S)
    assert note is not None
    assert note.group(1).strip().startswith(f"{undated} registro")
    link = re.search(r'href="([^"]+)"', note.group(1))
    assert link is not None
    assert "year_from" not in link.group(1)
    assert len(titles(client.get(link.group(1).replace("&amp;", "&")).text)) >= len(titles(dated))
    assert 'class="muted undated"' not in client.get("/search", params={"lang": "es"}).text


def test_the_why_line_names_a_filter_only_where_it_tells_something(client: TestClient) -> None:
    """A German trial saw "Art des Eintrags: organisation" (the code) on every result of a tab,
    and a theme named twice when the query named it and the filter held it. A filter on one
    value is true of every result, so it is not said; of two values, the record's one is, in
    the page's language."""
    one = client.get("/search", params={"q": "refugees", "kind": "initiative", "lang": "de"})
    why = re.findall(WHY, one.text)
    assert why
    assert not any("Art des Eintrags" in line for line in why), why
    two = {"q": "refugees", "kind": ["initiative", "organisation"], "lang": "de"}
    why = re.findall(WHY, client.get("/search", params=two).text)
    assert any("Art des Eintrags: Initiative" in line for line in why), why
    themed = client.get(
        "/search", params={"q": "Beschäftigung für Geflüchtete", "theme": "employment"}
    ).text
    lines = [html.unescape(re.sub(r"<[^>]+>", "", w)) for w in re.findall(WHY, themed)]
    assert any("(from “Beschäftigung”)" in line for line in lines), lines
    assert all(line.count("Theme: Employment") == 1 for line in lines), lines


WHY = r'<p class="why">(.*?)</p>'


def test_a_result_with_no_known_end_says_when_it_started(records_dir: Path) -> None:
    """A trial read a bare "2015" on a result as a one-year project. "since 2015", as it then
    said, a German trial read as still running ("seit 2015") on a pilot that ended: with no
    known end, a result says only when it started."""
    record = (
        '---\nname: Open Door\nstart: "2015"\ncountries: [AT]\n'
        "sources: {a: {url: 'https://example.org/od'}}\n---\n"
        "Lantern families open their doors to newcomers in the valley.\n"
    )
    store = ingested(records_dir, {"initiative/open-door": record}, base=BASE)
    with client_of(store, base=BASE, follow_redirects=True) as c:
        page = c.get("/search", params={"q": "lantern families", "mode": "keyword"}).text
        spanish = c.get("/search", params={"q": "lantern", "mode": "keyword", "lang": "es"}).text
    kinds = re.findall(r'<p class="kind">(.*?)</p>', page)
    assert "Initiative · started 2015" in kinds
    assert "Initiative · Local practice · 2019–2022" in kinds  # the test initiative, as before
    assert "Iniciativa · inicio en 2015" in re.findall(r'<p class="kind">(.*?)</p>', spanish)


def test_the_chips_of_one_facet_say_they_combine_with_or(client: TestClient) -> None:
    """A German trial expected a second theme to narrow the list: values of one facet add to
    it, and the chips now say so ("oder"); chips of different facets still narrow."""
    page = client.get(
        "/search", params={"q": "refugees", "country": ["ES", "AT"], "lang": "de"}
    ).text
    chips = page.split('<p class="filters">', 1)[1].split("</p>", 1)[0]
    assert re.search(r"Land: [^<]+ ✕</a> <span class=\"muted\">oder</span> <a", chips), chips
    one = client.get("/search", params={"q": "refugees", "country": "ES", "theme": "housing"})
    assert '<span class="muted">or</span>' not in one.text.split('<p class="filters">', 1)[1]


def test_downloads_speak_the_pages_language_when_only_the_browser_named_it(
    client: TestClient,
) -> None:
    """A Spanish trial searched from the home page with a Spanish browser: the page was Spanish,
    its URL had no `lang`, and the CSV, Excel and JSON files came in English."""
    page = client.get(
        "/search", params={"q": "refugees"}, headers={"Accept-Language": "es-ES,es;q=0.9"}
    ).text
    link = re.search(r'href="(/api/search/download\?[^"]+format=csv)"', page)
    assert link is not None
    assert "lang=es" in link.group(1)
    rows = client.get(html.unescape(link.group(1))).text.splitlines()
    assert any("España" in row for row in rows[1:]), rows[:3]


def test_the_downloads_are_named_where_the_list_starts(client: TestClient) -> None:
    """A Spanish trial looked for the files under the page numbers: the line that sorts the
    list names them too, and leads to them; a search that finds nothing offers none."""
    page = client.get("/search", params={"q": "refugees", "lang": "es"}).text
    sort_line = page.split('<p class="sort">', 1)[1].split("</p>", 1)[0]
    assert '<a class="to-downloads" href="#downloads">Descargar todos los resultados' in sort_line
    files = page.split('id="downloads"', 1)[1].split("</p>", 1)[0]
    assert "format=csv" in files
    assert "format=xlsx" in files
    nothing = client.get("/search", params={"q": "xqzvbnm plorkt"}).text
    assert "#downloads" not in nothing
    assert 'id="downloads"' not in nothing


def test_filters_that_leave_nothing_say_so_and_keep_their_labels(client: TestClient) -> None:
    """A search whose words match but whose filters leave nothing: the heading blames the
    filters, says how many records the words find without them and links there; the chips
    keep the values' names in the page's language (a trial saw "Paese: IT", "Tema: housing")."""
    params = {"q": "refugees", "country": "AT", "theme": "housing", "year_from": "1990"}
    html = client.get("/search", params={**params, "lang": "it"}).text
    said = status(html)
    assert said.startswith("Nessuna scheda corrisponde a questi filtri")
    words = client.get("/search", params={"q": "refugees", "lang": "it"}).text
    found = int(re.search(r"di (\d+) schede?", status(words)).group(1))  # type: ignore[union-attr]
    assert f"«refugees» trova {found} sched" in said
    assert re.search(r'<a href="/search\?q=refugees&amp;lang=it">mostral[ae]</a>', html)
    assert "Paese: Austria" in html
    assert "Paese: AT" not in html
    assert "Tema: Abitazione" in html
    assert "Tema: housing" not in html
    assert "Nothing matched" not in client.get("/search", params=params).text
    nonsense = client.get("/search", params={"q": "xqzvbnm plorkt", "country": "AT"}).text
    assert status(nonsense) == "Nothing matched “xqzvbnm plorkt”"  # the words find nothing


def test_a_french_reason_sets_a_space_before_its_semicolons(client: TestClient) -> None:
    """French typography: "mentionne « x » ; Thème : …" (a trial read "« x »; Thème")."""
    params = {"q": "refugees", "kind": ["initiative", "organisation"]}
    whys = re.findall(WHY, client.get("/search", params={**params, "lang": "fr"}).text)
    joined = [w for w in whys if ";" in w]
    assert joined, whys[:3]
    assert all(re.search("[^\u00a0];", w) is None for w in joined), joined[:3]
    english = re.findall(WHY, client.get("/search", params={**params, "lang": "en"}).text)
    assert any("»; " not in w and "; " in w for w in english), english[:3]
    assert not any("\u00a0;" in w for w in english), english[:3]


def test_a_year_range_given_backwards_reads_as_the_years_between(client: TestClient) -> None:
    """A German trial typed "von 2020 bis 2010" and read "year_from=2020, year_to=2010 ist kein
    Zeitraum": the page reads it as 2010–2020, and its links carry it in order."""
    backwards = client.get(
        "/search", params={"q": "refugees", "year_from": "2023", "year_to": "2018"}
    )
    ordered = client.get(
        "/search", params={"q": "refugees", "year_from": "2018", "year_to": "2023"}
    )
    assert "could not be used" not in backwards.text
    assert titles(backwards.text) == titles(ordered.text)
    assert (
        'name="year_from" inputmode="numeric" autocomplete="off" min="1000" max="9999" value="2018"'
        in backwards.text
    )
    main = backwards.text.split("<main", 1)[1].split("</main>")[0]
    assert "year_from=2023" not in main
    api = client.get("/api/search", params={"year_from": "2023", "year_to": "2018"})
    assert api.status_code == 400


def test_a_country_given_by_another_code_is_the_same_filter(
    records_dir: Path, tmp_path: Path
) -> None:
    """A researcher's loop over ISO 3166 codes found nothing for GB: the graph writes the
    United Kingdom UK (the EU's code). GB, GBR and UK now filter alike, in the API and on the
    page, whose chip and facet read the graph's code."""
    record = (
        "---\nname: Highland Welcome\ncountries: [UK]\n"
        "sources: {a: {url: 'https://example.org/h'}}\n---\nA village welcomes refugees.\n"
    )
    with searching(records_dir, tmp_path, {"initiative/highland": record}) as c:
        totals = {
            code: c.get("/api/search", params={"country": code}).json()["total"]
            for code in ("UK", "GB", "gbr")
        }
        page = c.get("/search", params={"country": "GB"}).text
    assert totals == {"UK": 1, "GB": 1, "gbr": 1}
    assert "Country: United Kingdom" in page
    assert "no record has country=GB" not in html.unescape(page)
    assert 'href="/initiative/highland"' in page


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "close in meaning"), ("it", "di significato vicino")]
)
def test_the_why_line_says_close_in_meaning_without_a_raw_score(
    client: TestClient, lang: str, said: str
) -> None:
    """A German and an Italian trial read "close in meaning (0,68)" and could make nothing of
    the number: the page says what it means; the API keeps the similarity, the downloads their
    score column."""
    from kg.search.explain import Why

    why = client.app.state.templates.env.get_template("_why.html").make_module({"lang": lang})  # type: ignore[attr-defined]
    assert str(why.why_line(Why(similarity=0.68, close=True))) == said


def test_a_result_says_which_query_words_it_does_not_hold(client: TestClient) -> None:
    """A search trial's "football club migration statistics Brazil" listed practices holding
    one of its words, and nothing said the others matched nowhere; the page, in its language,
    and the API say it of each result, as the big engines' "Missing:" line does. A word no
    record holds is said once, above the results, and not again under each (a practitioner
    trial read "does not mention “Zorblax”" under every result below the page's line)."""
    params = {"q": "refugees in villages of Brazil"}
    page = client.get("/search", params=params).text
    assert "No record mentions “Brazil”." in page
    whys = [w for w in re.findall(WHY, page) if "mentions" in w]
    assert whys
    assert not any("“Brazil”" in line for line in whys), whys
    partial = [line for line in whys if "“villages”" not in line.partition("does not")[0]]
    assert partial
    assert all("does not mention “villages”" in line for line in partial), partial
    german = re.findall(WHY, client.get("/search", params={**params, "lang": "de"}).text)
    german = [w for w in german if "erwähnt „" in w]
    assert german
    assert any("erwähnt „villages“ nicht" in line for line in german), german
    assert not any("Brazil" in line for line in german), german
    hits = client.get("/api/search", params=params).json()["results"]
    assert hits
    assert all("Brazil" in h["why"]["missing_terms"] for h in hits if h["why"]["matched_terms"])
    held = client.get("/api/search", params={"q": "refugees in villages"}).json()["results"]
    whole = [h for h in held if len(h["why"]["matched_terms"]) == 2]
    assert whole
    assert all(h["why"]["missing_terms"] == [] for h in whole)


def test_a_named_result_says_its_name_matched(client: TestClient) -> None:
    """A search trial read no reason on the page for a record found by its name."""
    api = client.get("/api/search", params={"q": "Alpine Welcome"}).json()["results"]
    assert api[0]["named"]
    assert api[0]["why"]["summary"].startswith("name matches")
    page = client.get("/search", params={"q": "Alpine Welcome", "lang": "es"}).text
    whys = re.findall(WHY, page)
    assert "el nombre coincide" in whys[0]
    assert not any("el nombre coincide" in w for w in whys[1:])


@pytest.mark.parametrize(
    "params",
    [
        {"q": "refugees"},
        {"country": "ES", "theme": "housing"},
        {"q": "xqzvbnm plorkt"},
        {"q": "refugees", "country": "AT", "theme": "housing", "year_from": "1990"},
    ],
)
def test_the_page_has_one_h1_and_it_comes_before_the_filters_headings(
    client: TestClient, params: dict[str, str]
) -> None:
    # an audit found the results' heading after the filters' (WCAG 1.3.1, heading order)
    html = client.get("/search", params=params).text
    main = html.split("<main", 1)[1]
    levels = re.findall(r"<h([1-6])[ >]", main)
    assert levels.count("1") == 1, levels
    assert levels[0] == "1", levels


def test_page_numbers_link_the_ends_and_the_pages_around_this_one() -> None:
    assert page_numbers(6, 35) == [1, None, 4, 5, 6, 7, 8, None, 35]
    assert page_numbers(1, 4) == [1, 2, 3, 4]
    assert page_numbers(3, 8) == [1, 2, 3, 4, 5, None, 8]
    assert page_numbers(3, 7) == [1, 2, 3, 4, 5, 6, 7]  # a gap of one number shows it
    assert page_numbers(1, 1) == [1]


def austrian_villages(n: int) -> dict[str, str]:
    """`n` initiatives in Austria alike but for their names: pages of results to move through."""
    return {
        f"initiative/village-{i}": (
            f"---\nname: Village {i}\ncountries: [AT]\n"
            "sources: {a: {url: 'https://example.org/v'}}\n---\n"
            "A village welcomes refugees with jobs and housing.\n"
        )
        for i in range(n)
    }


def test_the_pager_links_page_numbers(records_dir: Path, tmp_path: Path) -> None:
    """A trial met 35 pages of organisations with only "Previous" and "Next"."""
    with searching(records_dir, tmp_path, austrian_villages(70)) as c:
        fourth = c.get("/search", params={"country": "AT", "page": "4", "lang": "de"}).text
        pager = fourth.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
        linked = re.findall(r'<a href="([^"]*page=(\d+)[^"]*)" aria-label="Seite \2 von 7"', pager)
        assert [n for _, n in linked] == ["2", "3", "5", "6", "7"]
        assert re.search(r'<strong aria-current="page">.*Seite 4 von 7.*</strong>', pager)
        first = re.search(r'<a href="([^"]*)" aria-label="Seite 1 von 7"', pager)
        assert first is not None  # page 1: the search without a page number
        assert "page=" not in first.group(1)
        assert "…" not in pager  # 1 … would hide nothing here: 1 2 3 [4] 5 6 7
        page6 = c.get(html.unescape(linked[-2][0])).text
        assert re.search(r'<strong aria-current="page">.*Seite 6 von 7', page6)
        assert len(titles(page6)) == 10


def test_a_page_reached_by_offset_links_one_position(records_dir: Path, tmp_path: Path) -> None:
    """An analyst's `/search?…&offset=10` linked its JSON as `offset=10&offset=10`; the pager
    sets its own position, never beside a leftover one (the language links keep it: the same
    page in another language)."""
    with searching(records_dir, tmp_path, austrian_villages(25)) as c:
        page = c.get("/search", params={"country": "AT", "offset": "10"}).text
        hrefs = [html.unescape(h) for h in re.findall(r'href="(/(?:api/)?search\?[^"]*)"', page)]
        json_link = next(h for h in hrefs if h.startswith("/api/search?"))
        assert parse_qs(urlsplit(json_link).query)["offset"] == ["10"]
        assert all(len(parse_qs(urlsplit(h).query).get("offset", [])) <= 1 for h in hrefs)
        pager = page.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
        assert "offset" not in pager
        assert c.get(json_link).json()["offset"] == 10


def test_a_snippet_in_another_language_says_which(records_dir: Path, tmp_path: Path) -> None:
    """An English results page showed a French practice's description with nothing telling a
    screen reader or the browser's translator it was French (WCAG 2.1 SC 3.1.2)."""
    record = (
        "---\nname: Club Rural\ncountries: [FR]\nthemes: [education]\n"
        "descriptions:\n  fr: Des bénévoles du village apprennent le français aux réfugiés.\n"
        "sources: {a: {url: 'https://example.org/club'}}\n---\n"
    )
    with searching(records_dir, tmp_path, {"initiative/club-rural": record}) as c:
        page = c.get("/search", params={"q": "bénévoles"}).text
        api = c.get("/api/search", params={"q": "bénévoles"}).json()
        french = c.get("/search", params={"q": "bénévoles", "lang": "fr"}).text
    assert re.search(r'<p class="snippet" lang="fr">[^<]*<mark>bénévoles</mark>', page)
    hit = next(h for h in api["results"] if h["slug"] == "club-rural")
    assert hit["snippet_language"] == "fr"
    assert '<p class="snippet">' in french
    assert 'class="snippet" lang=' not in french


def test_the_sparql_shown_holds_the_tab_and_says_it_leaves_the_words_out(
    client: TestClient,
) -> None:
    """A trial opened "show as SPARQL" on the Organisations tab of a word search and got every
    initiative the filters kept, with nothing saying why the rows were not the page's."""
    tab = html.unescape(
        client.get("/search", params={"q": "refugees", "kind": "organisation"}).text
    )
    assert 'VALUES ?kind { "organisation" }' in tab
    assert "This query holds the filters, not the words searched" in tab
    browsing = html.unescape(client.get("/search", params={"kind": "organisation"}).text)
    assert 'VALUES ?kind { "organisation" }' in browsing
    assert "not the words searched" not in browsing  # nothing left out


def test_a_theme_the_query_names_is_in_view_before_show_all(
    records_dir: Path, tmp_path: Path
) -> None:
    """A phone trial's "community sponsorship": its theme, held by few results, was 17th of 30
    behind "Show all"; a value the query names is listed first, as a chosen one is."""
    themes = [
        "employment", "housing", "education", "health", "reception", "language-learning",
        "social-cohesion", "agriculture-food", "capacity-building", "entrepreneurship",
        "access-to-services", "mentoring-volunteering", "culture-sport-leisure",
    ]  # fmt: skip
    records = {
        f"initiative/village-{n}": (
            f"---\nname: Village {n}\nthemes: [{theme}, {themes[(n + 1) % len(themes)]}]\n"
            "sources: {a: {url: 'https://example.org/v'}}\n---\n"
            "A community of volunteers welcomes newcomers in a small village.\n"
        )
        for n, theme in enumerate(themes)
    }
    records["initiative/host-groups"] = (
        "---\nname: Host Groups\nthemes: [community-sponsorship]\n"
        "sources: {a: {url: 'https://example.org/h'}}\n---\n"
        "Community sponsorship groups find a home for a refugee family.\n"
    )

    def theme_in_view(q: str) -> tuple[bool, bool]:
        html = c.get("/search", params={"q": q, "lang": "en"}).text
        facet = html.split('data-facet="theme"', 1)[1].split("</section>", 1)[0]
        in_view, _, hidden = facet.partition('<details class="more">')
        return "Community sponsorship</a>" in in_view, "Community sponsorship</a>" in hidden

    with searching(records_dir, tmp_path, records) as c:
        assert theme_in_view("community sponsorship") == (True, False)
        # not named, it keeps its place by count: behind "Show all"
        assert theme_in_view("community volunteers") == (False, True)


def test_a_search_that_finds_nothing_offers_the_spelling_the_records_use(
    records_dir: Path, tmp_path: Path
) -> None:
    """ "Lesbos" is spelt right, so it is not corrected; the records say "Lesvos", so it found
    nothing and the page offered only topics. It now asks "Did you mean Lesvos?", and the
    link finds the record; nonsense is offered no spelling."""
    record = (
        "---\nname: Island Hosting\ncountries: [GR]\nthemes: [housing]\n"
        "sources: {a: {url: 'https://example.org/x'}}\n---\n"
        "Families on Lesvos host refugees in their homes.\n"
    )
    with searching(records_dir, tmp_path, {"initiative/island-hosting": record}) as c:
        api = c.get("/api/search", params={"q": "Lesbos"}).json()
        assert (api["total"], api["suggestion"]) == (0, "Lesvos")
        page = c.get("/search", params={"q": "Lesbos", "lang": "es"}).text
        offer = re.search(r'<p class="suggestion">(.*?)<a href="([^"]+)">([^<]+)</a>', page)
        assert offer is not None
        assert (offer[1].strip(), offer[3]) == ("¿Quisiste decir", "Lesvos")
        href = html.unescape(offer[2])
        assert "q=Lesvos" in href
        assert "lang=es" in href
        assert "island-hosting" in c.get(href).text
        nonsense = c.get("/api/search", params={"q": "xqzvbnm plorkt"}).json()
        assert (nonsense["total"], nonsense["suggestion"]) == (0, None)


def test_a_word_no_record_holds_is_said_once_above_the_results(client: TestClient) -> None:
    """A practitioner trial's "Zorblax Rural Futures" listed 112 records, and only each one's
    "does not mention" hinted that "Zorblax" matched nowhere."""
    # by words alone: the fake embedder reads no meaning, which a query of several words needs
    params = {"q": "Zorblax mountain jobs", "mode": "keyword"}
    api = client.get("/api/search", params=params).json()
    assert api["total"] > 0
    assert api["unheld_words"] == ["Zorblax"]
    page = client.get("/search", params=params).text
    assert "No record mentions “Zorblax”." in page
    french = client.get("/search", params={**params, "lang": "fr"}).text
    assert "Aucune fiche ne mentionne «\u00a0Zorblax\u00a0»." in french
    named = client.get("/api/search", params={"q": "Alpine Welcome"}).json()
    assert named["unheld_words"] == []
    plain = client.get("/search", params={"q": "mountain jobs", "mode": "keyword"}).text
    assert "mountain" in plain
    assert "No record mentions" not in plain


def test_the_type_of_initiative_is_a_filter_named_in_the_pages_language(
    client: TestClient,
) -> None:
    """A mayor wants what a municipality did, not a research consortium: the type of
    initiative filters the results, in German as "Lokale Praxis", and each result says its
    type as its page does."""
    html = client.get("/search", params={"q": "refugees", "lang": "de"}).text
    section = html.split('data-facet="initiative_type"', 1)[1].split("</section>", 1)[0]
    assert "Art der Initiative" in section
    link = re.search(r'<a href="(/search\?[^"]*initiative_type=local-practice[^"]*)"', section)
    assert link is not None
    assert "Lokale Praxis" in section
    filtered = client.get(link.group(1).replace("&amp;", "&")).text
    assert titles(filtered) == ["village-welcome?lang=de"]
    assert "Initiative · Lokale Praxis" in filtered
    assert "VALUES ?type { &lt;https://w3id.org/rikg/ns#LocalPractice&gt; }" in filtered


def test_a_result_whose_text_names_the_concept_in_another_language_says_so(
    records_dir: Path, tmp_path: Path
) -> None:
    """An Italian searching "gruppo di azione locale" finds a practice whose English text
    speaks of local action groups without being classified under LEADER: its line says which
    words of its text brought it in, in Italian, not that it lacks the query's words."""
    records = {
        "initiative/lags": "---\nname: Two Valleys\ncountries: [CZ]\n"
        "sources: {a: {url: 'https://example.org/v'}}\n---\n"
        "Two local action groups found homes for refugee families.\n",
    }
    with searching(records_dir, tmp_path, records) as c:
        page = c.get("/search", params={"q": "gruppo di azione locale", "lang": "it"}).text
    assert "/initiative/lags" in page
    assert "menziona «local action group» (Finanziamento: " in html.unescape(page)
    assert "da «gruppo di azione locale»)" in html.unescape(page)


def test_a_control_character_in_the_query_never_reaches_the_page(client: TestClient) -> None:
    """A trial's `/search?q=%00` put a raw NUL into the title, the Open Graph tags, the search
    box and the heading: invalid HTML. The page is the empty search's."""
    page = client.get("/search", params={"q": "\x00"})
    assert page.status_code == 200
    assert "\x00" not in page.text
    found = client.get("/search", params={"q": "language\x00courses"}).text
    assert "\x00" not in found
    assert 'value="language courses"' in found


def test_a_year_range_counts_as_one_filter(client: TestClient) -> None:
    """The phone's "Filters (n)" button counts a year range once, though its two ends are two
    chips (a trial read "Filters (3)" for a country and a range)."""
    page = client.get(
        "/search", params={"country": "AT", "year_from": "2015", "year_to": "2020"}
    ).text
    assert re.search(r'class="filters-button">Filters \(2\)</label>', page)
    one_end = client.get("/search", params={"country": "AT", "year_from": "2015"}).text
    assert re.search(r'class="filters-button">Filters \(2\)</label>', one_end)


def test_the_year_range_is_a_group_named_by_its_facet(client: TestClient) -> None:
    """ "from" and "to" alone named no years to a screen reader (a French keyboard trial)."""
    page = client.get("/search", params={"q": "refugees"}).text
    form = re.search(r'<form action="/search#filters"[^>]*class="year-range"[^>]*>', page)
    assert form is not None
    assert 'role="group" aria-labelledby="facet-year-h"' in form.group(0)
    heading = re.search(r'<h2 id="facet-year-h">([^<]+)</h2>', page)
    assert heading is not None
    assert heading.group(1).strip()


@pytest.mark.parametrize(
    ("page", "said"),
    [("de", "Sprache der Suche: Italienisch"), ("fr", "langue de la recherche : italien")],
)
def test_the_querys_language_is_named_in_the_pages_language(
    client: TestClient, page: str, said: str
) -> None:
    """A German trial read "Sprache der Suche: Italiano", a French one "langue de la
    recherche : Italiano": the language is named as the page's language names it."""
    text = client.get(
        "/search", params={"q": "accoglienza dei migranti nelle aree montane", "lang": page}
    ).text
    assert said in html.unescape(text).replace("\u202f", " ").replace("\xa0", " ")
