"""`/api/search` and `/api/similar` in-process: small test records, the fake embedder."""

import csv
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kg.search import SearchService
from kg.search.cache import VectorCache
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"
MARKUP = """---
name: "Open <Doors> & Homes"
initiative_type: local-practice
themes: [housing]
target_groups: [refugees]
countries: [IT]
start: "2021"
budget:
  - {amount: 6000, currency: PLN, label: grant, source: a}
  - {amount: 500, currency: PLN, label: own-contribution, source: a}
sources:
  a: {url: "https://example.org/doors"}
---
Volunteers open their homes to refugee families <script & friends.
"""


@pytest.fixture
def client(records_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    (records_dir / "initiative" / "open-doors.md").write_text(MARKUP)
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"}, cache_dir=tmp_path)
    search = SearchService(store, settings, embedder=HashEmbedder(), cache=VectorCache(None))
    app = create_app(settings, store=store, search=search)
    with TestClient(app) as c:
        yield c


def test_search_returns_ranked_explained_hits_and_facets(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "refugee families in villages", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"total", "results", "facets"}
    first = body["results"][0]
    assert set(first) >= {"id", "slug", "kind", "name", "snippet", "score", "why", "themes"}
    assert {"countries"} <= set(first)
    assert first["slug"] in {"village-welcome", "open-doors"}
    assert first["why"]["matched_terms"]
    assert {t["value"] for t in first["themes"]} >= {"housing"}
    kinds = {f["value"]: f["count"] for f in body["facets"]["kind"]}
    assert sum(kinds.values()) == body["total"]
    assert kinds["initiative"] == 2


def test_a_named_records_coordinator_follows_it_and_says_why(client: TestClient) -> None:
    """The API and the page say why a record came right after the one the query names."""
    body = client.get("/api/search", params={"q": "Village Welcome"}).json()
    first, second = body["results"][:2]
    assert (first["slug"], first["named"]) == ("village-welcome", True)
    assert second["slug"] == "test-ngo"
    assert second["why"]["linked_to"] == [{"name": "Village Welcome", "relation": "coordinator-of"}]
    assert second["why"]["summary"].startswith("coordinator of “Village Welcome”")
    page = client.get("/search", params={"q": "Village Welcome", "lang": "es"}).text
    assert "coordinador de «Village Welcome»" in page
    # and the other way round: the organisation named, then its project
    body = client.get("/api/search", params={"q": "Test NGO"}).json()
    assert [r["slug"] for r in body["results"][:2]] == ["test-ngo", "village-welcome"]
    assert body["results"][1]["why"]["linked_to"] == [
        {"name": "Test NGO", "relation": "coordinated-by"}
    ]


def test_snippets_escape_record_text(client: TestClient) -> None:
    # keyword mode: the words decide (this test's embedder is a stand-in for the model)
    params = {"q": "volunteers open homes", "mode": "keyword"}
    body = client.get("/api/search", params=params).json()
    hit = next(h for h in body["results"] if h["slug"] == "open-doors")
    assert "<script" not in hit["snippet"]
    assert "<mark>open</mark>" in hit["snippet"]
    assert "families &lt;script &amp; friends" in hit["snippet"]
    assert hit["name"] == "Open <Doors> & Homes"  # JSON carries plain text; HTML escapes it


def test_filters_and_pagination(client: TestClient) -> None:
    base: dict[str, str | int] = {"q": "refugees", "limit": 1}
    spain = client.get("/api/search", params={**base, "country": "es"}).json()
    assert [h["slug"] for h in spain["results"]] == ["village-welcome"]
    assert spain["results"][0]["why"]["filters"][0]["value"] == "ES"
    by_name = client.get("/api/search", params={**base, "country": "España"}).json()
    assert by_name["results"] == spain["results"]  # a country's name reads as its code
    whole = client.get("/api/search", params={**base, "limit": 10}).json()
    n = whole["total"]
    assert n >= 2
    pages = [client.get("/api/search", params={**base, "offset": o}).json() for o in range(n)]
    assert [p["total"] for p in pages] == [n] * n
    assert [p["results"][0]["slug"] for p in pages] == [h["slug"] for h in whole["results"]]
    themes = ["housing", "depopulation-revitalisation"]
    each = [
        {h["slug"] for h in client.get("/api/search", params={"theme": t}).json()["results"]}
        for t in themes
    ]
    both = client.get("/api/search", params={"theme": themes}).json()
    assert {h["slug"] for h in both["results"]} == each[0] | each[1]  # one filter's values: OR
    assert both["total"] == len(each[0] | each[1]) > len(each[0] & each[1])
    active = client.get("/api/search", params={"year": "2022-2023", "kind": "initiative"}).json()
    assert {h["slug"] for h in active["results"]} == {"village-welcome", "open-doors"}
    assert client.get("/api/search", params={"year": "2024"}).json()["total"] == 1


def test_a_filter_value_no_record_holds_is_named_in_the_answer(client: TestClient) -> None:
    """An analyst's `funding=EAFRD` gave `total: 0` and no word why; the answer now names the
    values that match nothing, and none when every value is held."""
    odd = client.get("/api/search", params={"theme": ["housing", "hosing"], "country": "ZZ"})
    assert odd.json()["unmatched"] == {"theme": ["hosing"], "country": ["ZZ"]}
    assert odd.json()["total"] == 0  # country=ZZ: the filters combine with AND
    held = client.get("/api/search", params={"theme": "Vivienda", "country": "España"}).json()
    assert held["unmatched"] == {}
    assert held["total"] >= 1


def test_bad_parameters_are_client_errors(client: TestClient) -> None:
    """Every unreadable parameter is a 400 in one shape, the parameter named."""
    for params in ({"q": "x", "mode": "fuzzy"}, {"q": "x", "limit": 1000}):
        r = client.get("/api/search", params=params)
        assert r.status_code == 400
        assert r.json()["message"].startswith(next(k for k in params if k != "q"))
    bad_year = client.get("/api/search", params={"q": "x", "year": "soon"})
    assert bad_year.status_code == 400
    assert "year" in bad_year.json()["message"]


def test_similar_records(client: TestClient) -> None:
    r = client.get("/api/similar/initiative/village-welcome")
    assert r.status_code == 200
    results = r.json()["results"]
    assert [s["slug"] for s in results] == ["open-doors"]
    assert {v["value"] for v in results[0]["shared"]} == {"housing", "refugees"}
    assert client.get("/api/similar/initiative/nowhere").status_code == 404


def test_search_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/search" in paths
    assert "/api/similar/{kind}/{slug}" in paths


def test_record_page_shows_the_similar_initiatives_of_the_api(client: TestClient) -> None:
    api = client.get("/api/similar/initiative/open-doors").json()["results"]
    assert api
    html = client.get("/initiative/open-doors").text
    section = html.split("Similar initiatives", 1)[1].split("</section>", 1)[0]
    linked = re.findall(r'href="/initiative/([a-z0-9-]+)"', section)
    assert linked == [r["slug"] for r in api]


def test_similar_initiatives_named_in_another_language_say_it(client: TestClient) -> None:
    """On a German page an English name is marked so, as in the result list (WCAG 2.1 SC 3.1.2:
    an accessibility trial heard "Riace model" read with German pronunciation)."""
    html = client.get("/initiative/open-doors?lang=de").text
    section = html.split('class="facts similar"', 1)[1].split("</section>", 1)[0]
    chip = r'<a class="chip" href="/initiative/[a-z0-9-]+(?:\?lang=de)?"([^>]*)>'
    chips = re.findall(chip, section)
    assert chips
    assert all(' lang="en"' in attrs for attrs in chips)


def test_download_gives_every_result_of_the_search(client: TestClient) -> None:
    params = {"q": "refugees", "limit": 1}
    whole = client.get("/api/search", params={**params, "limit": 100}).json()
    got = client.get("/api/search/download", params={**params, "format": "csv"})
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == (
        'attachment; filename="search-results-refugees.csv"; '
        "filename*=UTF-8''search-results-refugees.csv"
    )
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert [r["slug"] for r in rows] == [h["slug"] for h in whole["results"]]
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    data = client.get("/api/search/download", params={**params, "format": "json"}).json()
    assert [h["slug"] for h in data["results"]] == [h["slug"] for h in whole["results"]]
    # the years are in every form, not in the CSV alone (a researcher's trial)
    by_slug = {r["slug"]: r for r in rows}
    for hit in (*whole["results"], *data["results"]):
        assert str(hit.get("start") or "") == by_slug[hit["slug"]]["start"]
        assert str(hit.get("end") or "") == by_slug[hit["slug"]]["end"]
    assert whole["results"][0]["start"] == 2021  # open-doors: start "2021"
    # the funding programme, a filter of the search, is a column (an analyst's question was
    # "by programme"), in the search's language
    assert by_slug["village-welcome"]["funding"] == "Asylum, Migration and Integration Fund"
    # who ran it: a LEADER group's sheet of examples needed it beside each practice
    assert by_slug["village-welcome"]["coordinator"] == "Test NGO"
    assert by_slug["open-doors"]["coordinator"] == ""
    assert by_slug["open-doors"]["funding"] == ""
    # and its budget: an Italian researcher's table of practices found it only through SPARQL
    assert by_slug["open-doors"]["budget"] == "6000 PLN (grant); 500 PLN (own contribution)"
    assert by_slug["village-welcome"]["budget"] == ""
    # where sources disagree on a date, the widest span, and the dates behind it (a researcher
    # found one year with nothing to say the sources give two)
    assert by_slug["village-welcome"]["end"] == "2022"
    assert by_slug["village-welcome"]["disputed_dates"] == "End: 2021-12 / 2022-06"
    assert by_slug["open-doors"]["disputed_dates"] == ""
    spanish = client.get("/api/search/download", params={**params, "lang": "es"})
    spanish_rows = csv.DictReader(io.StringIO(spanish.content.decode("utf-8-sig")))
    assert {r["slug"]: r["disputed_dates"] for r in spanish_rows}["village-welcome"] == (
        "Fin: 2021-12 / 2022-06"
    )
    french = client.get("/api/search/download", params={**params, "lang": "fr"})
    french_rows = csv.DictReader(io.StringIO(french.content.decode("utf-8-sig")))
    assert {r["slug"]: r["disputed_dates"] for r in french_rows}["village-welcome"] == (
        "Fin : 2021-12 / 2022-06"  # French typography, as the pages write it
    )
    # the JSON file holds what the spreadsheet's columns do, as lists and objects (a
    # researcher's JSON had no coordinator, funding or budget)
    items = {r["slug"]: r for r in data["results"]}
    assert items["village-welcome"]["coordinator"] == ["Test NGO"]
    assert items["village-welcome"]["funding"] == ["Asylum, Migration and Integration Fund"]
    assert items["village-welcome"]["disputed_dates"] == {"end": ["2021-12", "2022-06"]}
    assert items["open-doors"]["budget"] == [
        {"amount": "6000", "currency": "PLN", "kind": "grant", "disputed": False},
        {"amount": "500", "currency": "PLN", "kind": "own-contribution", "disputed": False},
    ]
    assert items["open-doors"]["coordinator"] == items["open-doors"]["funding"] == []
    for slug, item in items.items():
        assert item["website"] == by_slug[slug]["website"].split()
        assert "; ".join(item["identifiers"]) == by_slug[slug]["identifiers"]


def test_a_year_range_with_one_end_downloads_as_the_page_shows_it(client: TestClient) -> None:
    """A Spanish trial typed 2020 in "from", left "to" empty and applied: the page showed its
    results, but every download was refused ("year_to: Input should be a valid integer",
    given ''). An empty bound is no bound, in the API as in the page, and the page's links
    to the files leave it out."""
    params = {"q": "refugees", "year_from": "2020", "year_to": ""}
    shown = client.get("/api/search", params=params)
    assert shown.status_code == 200
    assert (
        shown.json()["total"]
        == client.get("/api/search", params={"q": "refugees", "year_from": "2020"}).json()["total"]
    )
    for fmt in ("csv", "json", "xlsx"):
        got = client.get("/api/search/download", params={**params, "format": fmt})
        assert got.status_code == 200, (fmt, got.text[:200])
    page = client.get("/search", params={"q": "refugees", "year_from": "", "year_to": "2030"})
    links = re.findall(r'href="(/api/search/download\?[^"]+)"', page.text)
    assert links
    for link in links:
        assert "year_from=" not in html.unescape(link), link
        assert client.get(html.unescape(link)).status_code == 200
    assert client.get("/api/search", params={"year_from": "then"}).status_code in (400, 422)


def test_the_excel_download_opens_with_its_accents_and_columns(client: TestClient) -> None:
    params = {"q": "refugees"}
    whole = client.get("/api/search", params={**params, "limit": 100}).json()
    got = client.get("/api/search/download", params={**params, "format": "xlsx"})
    assert got.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="search-results-refugees.xlsx"' in got.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Rank",
        "Type",
        "Type of initiative",
        "Record ID",
        "Name",
        "Short name",
        "Summary",
    )
    assert [r[3] for r in rows[1:]] == [h["slug"] for h in whole["results"]]
    assert [r[4] for r in rows[1:]] == [h["name"] for h in whole["results"]]
    # the subtype a mayor filters by, named as the page names it; none for an organisation
    subtypes = {r[3]: r[2] for r in rows[1:]}
    assert subtypes["village-welcome"] == "Local practice"
    assert all(r[2] is None for r in rows[1:] if r[1] != "Initiative")
    # a sheet people work in: the header stays in view, every column filters, pages open
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    page = sheet.cell(row=2, column=8)
    assert page.hyperlink is not None
    assert (
        page.hyperlink.target
        == page.value
        == f"http://testserver/{whole['results'][0]['kind']}/{whole['results'][0]['slug']}"
    )


def test_a_spreadsheet_speaks_the_searchs_language(client: TestClient) -> None:
    """A French coordinator's Excel file had English column titles."""
    got = client.get(
        "/api/search/download", params={"q": "refugees", "format": "xlsx", "lang": "fr"}
    )
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet is not None
    assert sheet.title == "Résultats de la recherche"
    assert next(sheet.iter_rows(values_only=True))[:7] == (
        "Rang",
        "Type",
        "Type d’initiative",
        "ID de la fiche",
        "Nom",
        "Nom court",
        "Résumé",
    )
    kinds = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds
    budget = next(sheet.iter_rows(values_only=True)).index("Budget")
    lines = {row[budget] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "6000 PLN (subvention); 500 PLN (apport propre)" in lines
    assert kinds <= {"Initiative", "Organisation", "Politique", "Événement", "Document source"}


def test_the_csv_opens_in_excel_with_its_accents(client: TestClient) -> None:
    """Without a byte order mark Excel reads UTF-8 as the system's legacy encoding: a French
    trial's "Dépeuplement" read "DÃ©peuplement"."""
    got = client.get("/api/search/download", params={"q": "refugees", "format": "csv"})
    assert got.content.startswith(b"\xef\xbb\xbf")
    header = got.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("rank,kind,initiative_type,slug,name,short_name,summary,url,")


def test_a_download_and_the_api_give_the_short_name_the_lists_show(client: TestClient) -> None:
    """A German trial could not match "Arrival Infrastructures as Sites…" in a download with
    "ReROOT: Arrival Infrastructures…" on the page: the short name is a column of its own."""
    got = client.get("/api/search/download", params={"q": "Village Welcome", "format": "csv"})
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(got.content.decode("utf-8-sig")))}
    assert rows["village-welcome"]["short_name"] == "VW"
    hits = client.get("/api/search", params={"q": "Village Welcome"}).json()["results"]
    assert next(h for h in hits if h["slug"] == "village-welcome")["short_name"] == "VW"


def test_the_download_says_why_in_the_searchs_language(client: TestClient) -> None:
    """The "why" column says what the page says, in the search's language: an Italian
    coordinator's file read "mentions “accoglienza”…" in English beside Italian countries."""
    params = {"q": "refugees", "lang": "es"}
    page = client.get("/search", params=params).text
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/api/search/download", params={**params, "format": "csv"}).text)
        )
    )
    assert rows
    first = rows[0]["why"]
    assert first.startswith("menciona ")  # Spanish, as the page's "Por qué:"
    assert html.escape(first, quote=False) in page  # the page's very words, entities aside


def test_the_api_says_why_in_the_searchs_language(client: TestClient) -> None:
    """The API's `why.summary` and the JSON download's say what the page and the CSV say, in
    the search's language: they had said "mentions “refugees”" on a Spanish search whose CSV
    said "menciona «refugees»"."""
    params = {"q": "refugees", "lang": "es"}
    page = client.get("/search", params=params).text
    api = client.get("/api/search", params=params).json()["results"]
    download = client.get("/api/search/download", params={**params, "format": "json"}).json()
    rows = csv.DictReader(
        io.StringIO(client.get("/api/search/download", params={**params, "format": "csv"}).text)
    )
    first = api[0]["why"]["summary"]
    assert first.startswith("menciona ")
    assert html.escape(first, quote=False) in page
    assert download["results"][0]["why"]["summary"] == first == next(rows)["why"]
    english = client.get("/api/search", params={"q": "refugees"}).json()["results"]
    assert english[0]["why"]["summary"].startswith("mentions ")


def test_a_download_is_named_after_its_search(client: TestClient) -> None:
    """Every download was "search-results.csv": a practitioner's second search overwrote or
    renamed the first."""
    got = client.get(
        "/api/search/download", params={"q": "Vivienda para refugiados", "format": "xlsx"}
    )
    assert (
        'filename="search-results-vivienda-para-refugiados.xlsx"'
        in got.headers["content-disposition"]
    )
    browse = client.get("/api/search/download", params={"country": "ES", "format": "json"})
    assert 'filename="search-results.json"' in browse.headers["content-disposition"]


def test_a_download_of_a_search_in_another_script_is_named_in_ascii_too(
    client: TestClient,
) -> None:
    """A download of a Greek search failed (500): its words, folded, were still Greek, and a
    header holds Latin-1 at most. The ASCII name keeps the words that have an ASCII form; the
    search's own letters are in `filename*`."""
    got = client.get("/api/search/download", params={"q": "πρόσφυγες Lesvos", "format": "csv"})
    assert got.status_code == 200
    disposition = got.headers["content-disposition"]
    assert 'filename="search-results-lesvos.csv"' in disposition
    assert "filename*=UTF-8''search-results-%CF%80%CF%81" in disposition


def test_a_download_is_named_in_the_searchs_language_and_letters(client: TestClient) -> None:
    """A German trial got "search-results-gefluchtete-dorf.xlsx" for "Geflüchtete Dorf": the
    name in the search's language and letters goes as RFC 6266's `filename*`, which browsers
    prefer, beside the ASCII one for older clients."""
    got = client.get(
        "/api/search/download",
        params={"q": "Geflüchtete Dorf", "lang": "de", "format": "xlsx"},
    )
    disposition = got.headers["content-disposition"]
    assert 'filename="search-results-gefluchtete-dorf.xlsx"' in disposition
    name = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(name) == "Suchergebnisse-geflüchtete-dorf.xlsx"
    assert name.isascii()


def test_the_download_gives_each_records_website_and_its_page_in_the_searchs_language(
    records_dir: Path, tmp_path: Path
) -> None:
    """A German coordinator could not build a contact list from the file: it held no website,
    and its page addresses opened in English."""
    ngo = records_dir / "organisation" / "test-ngo.md"
    ngo.write_text(
        ngo.read_text().replace(
            "country: ES\n",
            'country: ES\nurl: ["https://ngo.example.org/", "https://ngo.example.net/"]\n',
        )
    )
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"}, cache_dir=tmp_path)
    search = SearchService(store, settings, embedder=HashEmbedder(), cache=VectorCache(None))
    with TestClient(create_app(settings, store=store, search=search)) as c:
        params = {"q": "Test NGO", "format": "csv"}
        english = list(
            csv.DictReader(
                io.StringIO(c.get("/api/search/download", params=params).text.lstrip("\ufeff"))
            )
        )
        german = list(
            csv.DictReader(
                io.StringIO(
                    c.get("/api/search/download", params={**params, "lang": "de"}).text.lstrip(
                        "\ufeff"
                    )
                )
            )
        )
        workbook = c.get("/api/search/download", params={**params, "format": "xlsx"}).content
    ngo_row = next(r for r in english if r["slug"] == "test-ngo")
    websites = ngo_row["website"].split()
    assert set(websites) == {"https://ngo.example.org/", "https://ngo.example.net/"}
    # in the spreadsheet the website opens (a Spanish trial's cell of two addresses opened
    # neither): a cell holds one link, the first
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    column = [c.value for c in rows[0]].index("Website")
    [site] = [r[column] for r in rows[1:] if r[3].value == "test-ngo"]
    assert site.hyperlink is not None
    assert site.hyperlink.target == websites[0]
    assert ngo_row["url"] == f"{BASE}organisation/test-ngo"
    assert (
        next(r for r in german if r["slug"] == "test-ngo")["url"]
        == f"{BASE}organisation/test-ngo?lang=de"
    )
    assert all(r["website"] == "" for r in english if r["slug"] != "test-ngo")


def test_a_download_says_which_budget_figures_its_sources_dispute(
    records_dir: Path, tmp_path: Path
) -> None:
    """A researcher's table gave two totals for one practice with nothing saying its sources
    disagree, which its page says."""
    path = records_dir / "initiative" / "village-welcome.md"
    totals = (
        "budget:\n"
        "  - {amount: 1200000, currency: EUR, label: total, source: a}\n"
        "  - {amount: 900000, currency: EUR, label: total, source: b}\n"
    )
    path.write_text(path.read_text().replace("facts:\n", totals + "facts:\n"))
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"}, cache_dir=tmp_path)
    search = SearchService(store, settings, embedder=HashEmbedder(), cache=VectorCache(None))
    with TestClient(create_app(settings, store=store, search=search)) as c:
        for lang, said in (("en", "total, disputed"), ("de", "gesamt, strittig")):
            params = {"q": "Village Welcome", "format": "csv", "lang": lang}
            rows = csv.DictReader(
                io.StringIO(c.get("/api/search/download", params=params).text.lstrip("\ufeff"))
            )
            row = next(r for r in rows if r["slug"] == "village-welcome")
            assert row["budget"] == f"1200000 EUR ({said}); 900000 EUR ({said})"


def test_the_type_of_initiative_is_named_and_given_per_result(client: TestClient) -> None:
    """A trial's program read "local-practice" as the filter value's label, and no result
    said its type."""
    got = client.get("/api/search", params={"q": "refugees", "lang": "de", "limit": 100}).json()
    labels = {v["value"]: v["label"] for v in got["facets"]["initiative_type"]}
    assert labels["local-practice"] == "Lokale Praxis"
    italian = client.get("/api/search", params={"q": "refugees", "lang": "it", "limit": 0})
    assert {v["value"]: v["label"] for v in italian.json()["facets"]["kind"]}["initiative"] == (
        "Iniziativa"
    )
    types = {h["slug"]: h["initiative_type"] for h in got["results"]}
    assert types["village-welcome"] == "local-practice"
    assert all(types[h["slug"]] is None for h in got["results"] if h["kind"] != "initiative")


def test_a_downloads_summary_is_the_lead_its_page_opens_with(
    records_dir: Path, tmp_path: Path
) -> None:
    """An Italian trial's spreadsheet held one Italian sentence as the summary of most records
    and the whole English description (900 characters) of the others: the summary is the lead
    of the description in the search's language, else English, as the record's page opens."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    long = (
        "Families settle in villages with empty houses. Hosts visit the village first. "
        "The town hall lends tools. Schools keep their classes open."
    )
    old = (
        "A test initiative that helps refugee families settle in small villages with empty houses."
    )
    assert old in text
    path.write_text(text.replace(old, long))
    store = ingested(records_dir, base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"}, cache_dir=tmp_path)
    search = SearchService(store, settings, embedder=HashEmbedder(), cache=VectorCache(None))
    with TestClient(create_app(settings, store=store, search=search)) as client:
        got = client.get("/api/search/download", params={"q": "villages", "format": "csv"})
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(got.content.decode("utf-8-sig")))}
    assert rows["village-welcome"]["summary"] == "Families settle in villages with empty houses."


def test_api_answers_carry_validators_and_answer_304(client: TestClient) -> None:
    """A web developer's trial found `/api/search` and `/api/similar` without `ETag` or
    `Last-Modified` (the pages and data documents have them): a repeated request with the
    tag gets 304 and no body; another query has another tag."""
    for path, params in (
        ("/api/search", {"q": "refugees", "limit": "2"}),
        ("/api/similar/initiative/village-welcome", {}),
    ):
        first = client.get(path, params=params)
        assert first.status_code == 200, path
        etag = first.headers["etag"]
        assert first.headers["last-modified"]
        again = client.get(path, params=params, headers={"If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b""), path
        assert again.headers["etag"] == etag
    searched = client.get("/api/search", params={"q": "refugees", "limit": "2"})
    other = client.get("/api/search", params={"q": "housing", "limit": "2"})
    assert other.headers["etag"] != searched.headers["etag"]


def test_another_sites_page_gets_absolute_links_in_its_language(client: TestClient) -> None:
    """A web editor's trial built links from the API on its own site: the relative
    `/initiative/…` pointed at that site. Results link to the record's page on this one, in
    the search's language, as the downloads do; `/api/similar` too."""
    english = client.get("/api/search", params={"q": "refugee families"}).json()["results"]
    assert {r["url"] for r in english} >= {f"{BASE}initiative/village-welcome"}
    german = client.get("/api/search", params={"q": "refugee families", "lang": "de"}).json()
    assert f"{BASE}initiative/village-welcome?lang=de" in {r["url"] for r in german["results"]}
    similar = client.get("/api/similar/initiative/village-welcome").json()["results"]
    assert similar
    assert all(r["url"].startswith(f"{BASE}") for r in similar)


def test_the_api_answers_in_the_language_the_browser_asks_for(client: TestClient) -> None:
    """A script on another site's page sent `Accept-Language: de` (the API's CORS allows the
    header) and got English labels: with no `lang` in the URL the header chooses, as on the
    pages, and the answer says its language (`Content-Language`) and that it varies by the
    header, with a validator of its own."""
    asked = client.get("/api/search", params={"country": "IT"}, headers={"Accept-Language": "de"})
    assert asked.headers["content-language"] == "de"
    assert "accept-language" in asked.headers["vary"].lower()
    countries = {v["value"]: v["label"] for v in asked.json()["facets"]["country"]}
    assert countries["IT"] == "Italien"
    named = client.get("/api/search", params={"country": "IT", "lang": "de"})
    assert named.json()["facets"] == asked.json()["facets"]
    english = client.get("/api/search", params={"country": "IT"})
    assert english.headers["content-language"] == "en"
    assert english.headers["etag"] != asked.headers["etag"]
    again = client.get(
        "/api/search",
        params={"country": "IT"},
        headers={"Accept-Language": "de", "If-None-Match": english.headers["etag"]},
    )
    assert again.status_code == 200  # the English answer's tag is not the German one's
    download = client.get(
        "/api/search/download",
        params={"country": "IT", "format": "csv"},
        headers={"Accept-Language": "it"},
    )
    assert download.headers["content-language"] == "it"
    assert "?lang=it" in download.text


def test_a_filter_may_name_a_concept_by_its_iri(client: TestClient) -> None:
    """A web editor's trial filtered by a theme's IRI, as SPARQL answers give it, and got
    nothing, told only in `unmatched`."""
    by_code = client.get("/api/search", params={"theme": "housing"}).json()
    iri = "https://w3id.org/rikg/scheme/theme/housing"
    by_iri = client.get("/api/search", params={"theme": iri}).json()
    assert by_code["total"] > 0
    assert by_iri["total"] == by_code["total"]
    assert by_iri["unmatched"] == {}
    italy = "http://publications.europa.eu/resource/authority/country/ITA"
    by_country = client.get("/api/search", params={"country": italy}).json()
    assert (
        by_country["total"] == client.get("/api/search", params={"country": "IT"}).json()["total"]
    )
    assert by_country["total"] > 0
