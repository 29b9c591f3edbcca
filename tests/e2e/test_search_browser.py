"""Issue 13 in Debian's Chromium against the live server and the real model: a name query, a
nonsense query, a typo, OR within a facet, a year range, "show all", sort, the CSV download,
counts that equal the clicks, similar initiatives, and the phone layout (390×844)."""

import csv
import io
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from bench.live import LiveServer, live_server
from tests.e2e.browser import BROKEN_WORDS, chromium, local_page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
TOTAL = re.compile(r"of ([\d,]+) records?")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("search")) as s:
        yield s


@pytest.fixture
def page(server: LiveServer) -> Iterator[Page]:
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True) as (
            p,
            outside,
        ),
    ):
        yield p
        assert outside == [], f"requests left the server: {outside}"


@pytest.fixture
def phone(server: LiveServer) -> Iterator[Page]:
    with (
        chromium() as browser,
        local_page(
            browser,
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        ) as (p, outside),
    ):
        yield p
        assert outside == [], f"requests left the server: {outside}"


def total(page: Page) -> int:
    status = page.locator("[role=status]").inner_text()  # the one live region: the count
    found = TOTAL.search(status)
    return int(found.group(1).replace(",", "")) if found else 0


def facet(page: Page, name: str) -> Locator:
    return page.locator(f"section.facet[data-facet={name}]")


def test_a_name_query_lists_the_named_record_first(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search?q=" + "Fundación Cepaim")
    first = page.locator("li.hit").first
    expect(first.locator("h2")).to_have_text("Fundación Cepaim")
    expect(first).to_have_class(re.compile("named"))


def test_a_nonsense_query_says_nothing_matched_and_offers_help(
    server: LiveServer, page: Page
) -> None:
    page.goto(server.url)
    page.get_by_label("Search practices in your own words").fill("qwzrtp vbnkxj")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".summary h2")).to_have_text("Nothing matched “qwzrtp vbnkxj”")
    expect(page.locator("li.hit")).to_have_count(0)
    expect(page.locator("ul.closest")).to_have_count(0)  # no topic is close to nonsense
    expect(
        page.get_by_role("link", name="browse by theme, country or rural challenge")
    ).to_be_visible()
    # a real question the graph holds nothing for is offered the topics close to it ("bus to
    # town" was one until a practice's passage on its restored school bus was read)
    page.get_by_label("Search practices in your own words").fill("taxi service")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".summary h2")).to_have_text("Nothing matched “taxi service”")
    topic = page.locator("ul.closest li a", has_text="Access to services")
    topic.click()  # a closest topic lists its records
    assert total(page) > 0
    # a word of a concept's label that means what the query does points to it: a French
    # trial's "driving lessons" found nothing and was offered nothing ("driving licence" is a
    # label of Mobility and transport); "best pizza near me" shares "best practices"' word only
    page.goto(server.url + "search?q=driving+lessons")
    expect(page.locator(".summary h2")).to_have_text("Nothing matched “driving lessons”")
    expect(page.locator("ul.closest li a").first).to_have_text("Mobility and transport")
    page.goto(server.url + "search?q=best+pizza+near+me")
    expect(page.locator(".summary h2")).to_have_text("Nothing matched “best pizza near me”")
    expect(page.locator("ul.closest")).to_have_count(0)


def test_a_typo_is_corrected_and_the_original_stays_one_click_away(
    server: LiveServer, page: Page
) -> None:
    page.goto(server.url + "search?q=comunity+sponsorshp")
    expect(page.locator("p.corrected")).to_contain_text(
        "Showing results for community sponsorship — search instead for comunity sponsorshp"
    )
    assert total(page) > 0
    expect(page.locator("li.hit h2").first).to_contain_text("Community Sponsorship")
    page.locator("p.corrected a").click()
    page.wait_for_url("**correct=0*")
    expect(page.locator("p.corrected")).to_have_count(0)
    expect(page.locator(".summary h2")).to_contain_text("Nothing matched")


def test_a_spelling_of_the_languages_is_offered_the_records_and_the_named_record_its_partners(
    server: LiveServer, page: Page
) -> None:
    """A practitioner trial's "Mathilde" found nothing and was offered "Capacity building";
    MATILDE's coordinator was seventh of its records, behind its partners."""
    page.goto(server.url + "search?q=Mathilde")
    expect(page.locator(".summary h2")).to_have_text("Nothing matched “Mathilde”")
    column = page.locator(".results-column").bounding_box()
    grid = page.locator(".grid.search").bounding_box()
    assert column is not None
    assert grid is not None
    assert column["width"] > 0.9 * grid["width"]  # no filters: the text takes the page's width
    expect(page.locator("p.suggestion")).to_have_text("Did you mean Matilde?")
    page.locator("p.suggestion a").click()
    page.wait_for_url("**q=Matilde*")
    hits = page.locator("li.hit")
    expect(hits.first).to_have_class(re.compile("named"))
    expect(hits.first.locator(".snippet")).to_contain_text("MATILDE")
    # headed by the short name people know it by, as its page is titled
    expect(hits.nth(1).locator("h2")).to_have_text("UEF: University of Eastern Finland")
    expect(hits.nth(1).locator(".why")).to_contain_text("coordinator of “MATILDE”")
    expect(hits.nth(2).locator(".why")).to_contain_text("partner in “MATILDE”")


def test_values_of_one_facet_combine_with_or(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search?q=refugees")
    spain = int(
        facet(page, "country").locator("li", has_text="Spain").locator(".count").inner_text()
    )
    italy = int(
        facet(page, "country").locator("li", has_text="Italy").locator(".count").inner_text()
    )
    facet(page, "country").get_by_role("link", name="Spain").click()
    page.wait_for_url("**country=ES*")
    assert total(page) == spain
    assert page.evaluate("window.scrollY") == 0  # a desktop page opens at its top
    facet(page, "country").get_by_role("link", name="Italy").click()
    page.wait_for_url("**country=IT*")
    assert "country=ES" in page.url
    assert max(spain, italy) < total(page) <= spain + italy
    for hit in page.locator("li.hit").all():
        assert re.search("Spain|Italy", hit.inner_text())


def test_each_facet_count_is_what_its_click_gives(server: LiveServer, page: Page) -> None:
    for query in ("search?q=migrant+workers+in+agriculture", "search?q=acogida+de+refugiados"):
        page.goto(server.url + query)
        for name in ("kind", "country", "theme"):
            links = facet(page, name).locator("ul").first.locator("li")
            values = [
                (li.locator("a").get_attribute("href"), int(li.locator(".count").inner_text()))
                for li in links.all()[:6]
            ]
            assert values, (query, name)
            for href, count in values:
                assert href is not None
                page.goto(server.url + href.lstrip("/"))
                assert total(page) == count, (query, name, href)
            page.goto(server.url + query)


def test_a_year_range_keeps_records_active_in_it(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search?q=integration")
    before = total(page)
    form = page.locator("form.year-range")
    form.get_by_label("from").fill("2019")
    form.get_by_label("to").fill("2021")
    form.get_by_role("button", name="Apply").click()
    page.wait_for_url("**year_from=2019*")
    assert 0 < total(page) < before
    for kind in page.locator("li.hit p.kind").all_inner_texts():
        years = [int(y) for y in re.findall(r"\d{4}", kind)]
        assert years
        assert years[0] <= 2021
        assert len(years) == 1 or years[1] >= 2019


def test_back_shows_the_year_range_of_the_page_it_returns_to(
    server: LiveServer, page: Page
) -> None:
    """A range typed backwards is applied as the years between; Back then shows the earlier
    page's own range (none), not the years typed into its boxes, which the browser would
    otherwise restore beside results that ignore them."""
    page.goto(server.url + "search?q=integration")
    form = page.locator("form.year-range")
    form.get_by_label("from").fill("2021")
    form.get_by_label("to").fill("2019")
    form.get_by_role("button", name="Apply").click()
    page.wait_for_url("**year_from=*")
    expect(form.get_by_label("from")).to_have_value("2019")
    expect(form.get_by_label("to")).to_have_value("2021")
    page.go_back()
    page.wait_for_url("**search?q=integration")
    expect(form.get_by_label("from")).to_have_value("")
    expect(form.get_by_label("to")).to_have_value("")


def test_show_all_reaches_every_value(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search")
    countries = facet(page, "country")
    shown = countries.locator("ul").first.locator("li").count()
    more = countries.locator("details.more")
    hidden = more.locator("li")
    expect(more.locator("summary")).to_have_text(f"Show all {shown + hidden.count()}")
    expect(hidden.first).to_be_hidden()
    more.locator("summary").click()
    expect(hidden.last).to_be_visible()
    count = int(hidden.last.locator(".count").inner_text())
    hidden.last.locator("a").click()
    page.wait_for_url("**country=*")
    assert total(page) == count


def test_a_keyboard_reaches_the_first_result_in_a_few_presses(
    server: LiveServer, page: Page
) -> None:
    """A keyboard-only trial pressed Tab some 130 times, through every filter, to reach the
    first result: the page's second skip link leads past them."""
    page.goto(server.url + "search?q=refugees")
    first = page.locator("li.hit a").first
    page.keyboard.press("Tab")  # "Skip to content", then the one to the results
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(first).to_be_focused()


def test_sort_by_start_year(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search?q=rural+integration&kind=initiative")
    page.locator("p.sort").get_by_role("link", name="start year, newest first").click()
    page.wait_for_url("**sort=start*")
    starts = [
        int(m.group(1))
        for t in page.locator("li.hit p.kind").all_inner_texts()
        if (m := re.search(r"(\d{4})", t))
    ]
    assert len(starts) >= 5
    assert starts == sorted(starts, reverse=True)


def test_a_results_theme_tag_searches_that_theme(server: LiveServer, page: Page) -> None:
    """Two trials tapped a result's theme, which looked like a link and did nothing: it now
    opens the search for that theme, where every result carries it or one of the narrower
    themes it includes (a result's tags are the themes its record states; the theme's page
    names those it includes)."""
    page.goto(server.url + "search?q=refugees")
    tag = page.locator("li.hit p.tags a.chip").first
    name = tag.inner_text()
    tag.click()
    page.wait_for_url("**/search?theme=*")
    code = page.url.split("theme=", 1)[1].split("&", 1)[0]
    theme_page = page.context.new_page()
    theme_page.goto(f"{server.url}browse/theme/{code}")
    narrower = [
        chip.inner_text().rsplit(" (", 1)[0]
        for chip in theme_page.locator("#narrower a.chip").all()
    ]
    theme_page.close()
    hits = page.locator("li.hit")
    expect(hits.first).to_be_visible()
    for hit in hits.all():
        said = {t.strip() for t in hit.locator("p.tags a.chip").all_inner_texts()}
        assert said & {name, *narrower}, (said, name, narrower)


def test_csv_download_holds_every_result(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "search?q=refugees&kind=initiative")
    expected = total(page)
    assert expected > 10  # more than one page
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = info.value.path()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's sign of UTF-8
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == expected
    assert {r["kind"] for r in rows} == {"initiative"}
    first = page.locator("li.hit h2").first.inner_text()  # "MATILDE: Migration Impact …"
    assert first == rows[0]["name"] or first.endswith(": " + rows[0]["name"])
    assert info.value.suggested_filename == "search-results-refugees.csv"


def test_a_download_takes_the_name_of_its_search_in_its_language(
    server: LiveServer, page: Page
) -> None:
    """A German trial's file was "search-results-gefluchtete-dorf.xlsx": the browser now
    saves it under the name the server gives in the search's language and letters."""
    page.goto(server.url + "search?q=Geflüchtete+Dorf&lang=de")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel").click()
    assert info.value.suggested_filename == "Suchergebnisse-geflüchtete-dorf.xlsx"


def test_similar_initiatives_on_an_initiative_page(server: LiveServer, page: Page) -> None:
    api = httpx.get(server.url + "api/similar/initiative/nuevos-senderos").json()["results"]
    page.goto(server.url + "initiative/nuevos-senderos")
    section = page.locator("section", has=page.get_by_role("heading", name="Similar initiatives"))
    names = section.locator("a").all_inner_texts()
    assert len(names) >= 3
    assert names == [r["name"] for r in api]
    section.locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(api[0]["name"])


def test_phone_folds_the_facets_into_a_filters_panel(server: LiveServer, phone: Page) -> None:
    phone.goto(server.url + "search?q=community+sponsorship")
    button = phone.locator("label.filters-button")
    expect(button).to_be_visible()
    panel = phone.locator(".facet-panel")
    expect(panel).to_be_hidden()
    first_hit = phone.locator("li.hit").first.bounding_box()
    box = button.bounding_box()
    assert box is not None
    assert first_hit is not None
    assert box["y"] < first_hit["y"]  # above the results
    before = total(phone)
    button.tap()
    expect(panel).to_be_visible()
    assert panel.evaluate(BROKEN_WORDS) == []
    width = panel.bounding_box()
    assert width is not None
    assert width["width"] > 300  # the phone's width, not an 80 px column
    phone.screenshot(path="docs/screenshots/search-phone.png", full_page=False)
    link = facet(phone, "country").locator("li a").first
    count = int(facet(phone, "country").locator("li .count").first.inner_text())
    link.tap()
    phone.wait_for_url("**country=*")
    assert total(phone) == count <= before
    expect(phone.locator("p.filters")).to_contain_text("Country:")
    # the panel stays open for the next filter (a trial reopened it for each); its switch
    # closes it
    expect(panel).to_be_visible()
    button.tap()
    expect(panel).to_be_hidden()
    button.tap()
    expect(panel).to_be_visible()
    # the open panel is screens long: a button at the bottom of the screen leads to the
    # results it gives (a French trial found them four screens below after each filter)
    show = phone.locator("a.show-results")
    expect(show).to_be_visible()
    expect(show).to_contain_text(f"Show {count} result")
    box = show.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 844 + 1  # inside the screen, wherever the panel is
    show.tap()
    phone.wait_for_url("**#results")
    expect(panel).to_be_hidden()  # leaving #filters closes it
    first = phone.locator("li.hit").first.bounding_box()
    assert first is not None
    assert 0 <= first["y"] < 844  # the first result is on the screen


def test_the_filters_switch_says_what_the_screen_shows(server: LiveServer, phone: Page) -> None:
    """An accessibility audit (WCAG 2.1) found, on a phone after a filter: the panel open but
    its switch "not checked" (SC 4.1.2), the switch named "Filters" without its count, the
    filters after every result in the tab order though above them on screen (SC 2.4.3), and
    the sticky "Show N results" over the filter that had focus (SC 2.4.11)."""
    phone.goto(server.url + "search?q=community+sponsorship")
    switch = phone.locator("#filters-toggle")
    order = phone.evaluate(
        "[...document.querySelectorAll('a, input, button, summary')].findIndex(e => "
        "e.closest('#filters')) < [...document.querySelectorAll('a, input, button, summary')]"
        ".findIndex(e => e.closest('li.hit'))"
    )
    assert order  # the filters come before the results
    phone.locator("label.filters-button").tap()
    expect(switch).to_be_checked()
    facet(phone, "country").locator("li a").first.tap()
    phone.wait_for_url("**country=*")
    expect(phone.locator(".facet-panel")).to_be_visible()
    expect(switch).to_be_checked()
    assert phone.get_by_role("checkbox", name="Filters (1)").count() == 1
    switch.focus()
    covered = []
    for _ in range(40):
        phone.keyboard.press("Tab")
        covered += phone.evaluate(
            """() => { const e = document.activeElement;
            const s = document.querySelector('.show-results');
            if (!e.closest('.facet-panel') || e === s) return [];
            const a = e.getBoundingClientRect(), b = s.getBoundingClientRect();
            return a.bottom > b.top && a.top < b.bottom ? [e.textContent.trim()] : []; }"""
        )
    assert covered == []
    phone.locator("label.filters-button").tap()
    expect(switch).not_to_be_checked()
    expect(phone.locator(".facet-panel")).to_be_hidden()


#: for each facet value: its label's text, the right edge of that text as laid out (which a
#: link narrower than its text overflows) and the left edge of its count
LABEL_AND_COUNT = """row => {
  const link = row.querySelector("a"), range = document.createRange();
  range.selectNodeContents(link);
  return [link.innerText, range.getBoundingClientRect().right,
          row.querySelector(".count").getBoundingClientRect().left];
}"""
#: the words of a text split across lines; a hyphen or slash is a place to break
SPLIT_WORDS = BROKEN_WORDS.replace("/\\S+/g", "/[^\\s\\-\\/]+/g")


@pytest.mark.parametrize("width", [768, 820, 1024])
def test_on_a_tablet_no_facet_label_runs_into_its_count(server: LiveServer, width: int) -> None:
    """A German tablet trial (820 × 1180) read "Bevölkerungsrückgan11": a word longer than
    the filter column ran under its count. Every label of every facet, all values shown,
    ends before its count and splits no word (a hyphen may end a line)."""
    with (
        chromium() as browser,
        local_page(browser, viewport={"width": width, "height": 1180}, has_touch=True) as (
            tablet,
            outside,
        ),
    ):
        assert SPLIT_WORDS != BROKEN_WORDS  # the pattern it rewrites is still there
        tablet.goto(server.url + "search?q=Integration&lang=de")
        for more in tablet.locator(".facet details.more").all():
            more.evaluate("d => d.open = true")
        rows = tablet.locator(".facet li:has(.count)").all()
        assert len(rows) > 20
        for row in rows:
            text, right, count = row.evaluate(LABEL_AND_COUNT)
            assert right <= count + 0.5, (text, right, count)
        assert tablet.locator(".facets").evaluate(SPLIT_WORDS) == []
        assert outside == []
