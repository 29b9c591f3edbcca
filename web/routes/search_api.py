"""`GET /api/search` and `GET /api/similar/{kind}/{slug}` (issue 4): JSON over `kg.search`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from gettext import NullTranslations
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, BeforeValidator, Field
from starlette.datastructures import QueryParams

from kg.practices import BudgetLine, record_budgets, record_disputed_dates, record_websites
from kg.search import SearchQuery, SearchResults, SearchService, Similar
from kg.search.documents import SearchDoc
from kg.search.explain import SharedValue, Why
from kg.search.text import words
from kg.search.types import SORTS, YEARS, FacetValue, Hit, Label
from kg.vocab import INITIATIVE_TYPES, record_iri
from web.http import not_modified, version_validators
from web.i18n import DEFAULT as DEFAULT_LANG
from web.i18n import N_, colon_in, language, translations
from web.openapi import errors, status_304
from web.practice import BUDGET_KINDS, TYPE_LABELS, lead
from web.services import limit, search_service
from web.templating import KIND_LABELS, VALUE_LABELS

router = APIRouter(
    prefix="/api", tags=["search"], dependencies=[Depends(limit)], responses=errors(429)
)
Service = Annotated[SearchService, Depends(search_service)]
Values = Annotated[
    list[str],
    Query(description="Concept codes (repeat for OR), or a concept's label in any language"),
]


class LabelPublic(BaseModel):
    value: str
    label: str


class FacetValuePublic(LabelPublic):
    count: int = Field(
        description="records carrying the value: among the results, or for a facet with "
        "selected values among the results without that facet's own filter"
    )
    adds: int | None = Field(
        None,
        description="for a value not selected in a facet with selected values (they combine "
        "with OR): how many results selecting it adds",
    )


class SharedValuePublic(LabelPublic):
    facet: str
    matched: str | None = None
    mentioned: str | None = Field(
        default=None,
        description="of a concept the query names that the record is not classified under: "
        "the concept's label (in any language) its text holds, which brought it in",
    )


class LinkedToPublic(BaseModel):
    name: str = Field(description="the linked record's name, as the query names it")
    relation: str = Field(
        description="how this record is linked with it: coordinator-of, partner-in, "
        "funder-of, organiser-of, publisher-of, parent-of, policy-of, subject-of (the named "
        "record holds the link), coordinated-by, with-partner, funded-by, organised-by, "
        "published-by, part-of, contributes-to, about (this record holds it), related-to "
        "(either way)"
    )


class WhyPublic(BaseModel):
    summary: str = Field(
        description="the line the search page shows, in the search's language (`lang`): the "
        "words matched, the concepts shared, closeness in meaning, and of a facet filtered on "
        "several values the one this record has (a filter on one value is true of every result)"
    )
    matched_terms: list[str]
    concepts: list[SharedValuePublic]
    filters: list[SharedValuePublic] = Field(description="every filter value the record has")
    keyword_score: float | None
    similarity: float | None
    query_language: str | None
    missing_terms: list[str] = Field(
        default_factory=list,
        description="the query's words, as typed, this record holds neither in its text nor "
        "in its concepts' labels (said only of a record holding another word of the query)",
    )
    linked_to: list[LinkedToPublic] = Field(
        default_factory=list,
        description="the records the query names that this record is linked with, and how (a "
        "project's coordinator and partners, an organisation's projects): it follows them in "
        "the relevance order",
    )


class SearchHitPublic(BaseModel):
    named: bool
    id: str
    slug: str
    kind: str
    name: str
    short_name: str | None = Field(
        None,
        description="the short name the record is known by (its acronym: 'MATILDE'), which "
        "the site's result lists and pages put before its name",
    )
    initiative_type: str | None = Field(
        None,
        description="an initiative's subtype, as the `initiative_type` filter names it "
        "(local-practice, pilot, …); none for other kinds or when the record gives none",
    )
    url: str = Field(
        description="the record's page, an absolute URL, in the search's language (`?lang=` "
        "unless English): what another site links to"
    )
    snippet: str = Field(
        description="HTML: a passage of the record's text, escaped, with the query's words in "
        "<mark>; insert it as HTML, not as text"
    )
    snippet_language: str | None = Field(
        None,
        description="BCP 47 tag of the snippet's language (a description in Spanish: 'es'); "
        "none when the data does not say",
    )
    score: float
    why: WhyPublic
    themes: list[LabelPublic]
    countries: list[LabelPublic]
    start: int | None = Field(
        None,
        description="Start year; where sources disagree, the earliest they give (the record's "
        "page and data list each claim with its source)",
    )
    end: int | None = Field(
        None, description="End year; where sources disagree, the latest; none: no known end"
    )


class SearchResultsPublic(BaseModel):
    total: int
    offset: int
    limit: int
    mode: str
    query: str
    corrected: str | None
    query_language: str | None
    sort: str
    results: list[SearchHitPublic]
    facets: dict[str, list[FacetValuePublic]]
    undated: int = Field(
        0,
        description="with a year range: records matching everything else that have no known "
        "dates, which the range leaves out",
    )
    open_ended: int = Field(
        0,
        description="with a year range: results it holds only because they have no known end "
        "date; they started before the range and are counted as still active",
    )
    end_unknown: int = Field(
        0,
        description="sorted by end year: results with a start and no known end date, listed "
        "after those whose end is known",
    )
    unheld_words: list[str] = Field(
        default_factory=list,
        description="the query's words, as typed (after spelling correction), that no record "
        "holds, when its other words found records; empty when the query names a record",
    )
    suggestion: str | None = Field(
        None,
        description="when nothing matched: a query that finds records with the same filters "
        '("Did you mean"), its words the index does not know spelt as the nearest it '
        "knows ('Lesbos' → 'Lesvos')",
    )
    unmatched: dict[str, list[str]] = Field(
        default_factory=dict,
        description="filter values, by filter, that no record holds: neither the code nor a "
        "label of a concept in use (a misspelt or old value); they match nothing, so with one "
        "of them a filter alone gives total 0",
    )


class SimilarPublic(BaseModel):
    id: str
    slug: str
    kind: str
    name: str
    short_name: str | None = Field(None, description="the short name the record is known by")
    url: str = Field(description="the record's page, an absolute URL")
    score: float
    similarity: float
    shared: list[SharedValuePublic]


class SimilarsPublic(BaseModel):
    id: str
    results: list[SimilarPublic]


#: a year of a year range's bound
Year = Annotated[int, Field(ge=YEARS[0], le=YEARS[1])]


def _absent_if_empty(value: object) -> object:
    """A form's empty box (`year_to=`, what the search page's year range sends when only one
    end is filled) is no bound, as `SearchQuery.from_params` reads it: a trial's downloads
    after "from 2020" were refused as "year_to: Input should be a valid integer"."""
    return None if isinstance(value, str) and not value.strip() else value


def search_parameters(
    q: Annotated[str, Query(description="Text in any language; empty lists by filters.")] = "",
    mode: Literal["hybrid", "keyword", "vector"] = "hybrid",
    theme: Values = [],  # noqa: B006 - FastAPI copies query defaults
    target_group: Values = [],  # noqa: B006
    country: Annotated[
        list[str],
        Query(
            description="ISO 3166 alpha-2 or alpha-3 (ES, ESP; the graph writes the United "
            "Kingdom UK and Greece GR, and takes GB and EL too), or the country's name (Spain, "
            "España)"
        ),
    ] = [],  # noqa: B006
    nuts: Annotated[list[str], Query(description="NUTS code, e.g. ES24")] = [],  # noqa: B006
    funding: Values = [],  # noqa: B006
    challenge: Values = [],  # noqa: B006
    opportunity: Values = [],  # noqa: B006
    kind: Annotated[
        list[str], Query(description="Record kinds, e.g. initiative (repeat for OR)")
    ] = [],  # noqa: B006
    initiative_type: Annotated[
        list[str],
        Query(
            description="Initiative subtypes (repeat for OR): "
            + ", ".join(INITIATIVE_TYPES)
            + "; records of other kinds have none"
        ),
    ] = [],  # noqa: B006
    year: Annotated[
        str | None, Query(description="Active in YYYY, YYYY-YYYY, YYYY- or -YYYY")
    ] = None,
    year_from: Annotated[
        Year | None,
        BeforeValidator(_absent_if_empty),
        Query(description="Active in or after (empty: no bound)"),
    ] = None,
    year_to: Annotated[
        Year | None,
        BeforeValidator(_absent_if_empty),
        Query(description="Active in or before (empty: no bound)"),
    ] = None,
    sort: Annotated[
        Literal["relevance", "start", "end", "name"], Query(description=", ".join(SORTS))
    ] = "relevance",
    correct: Annotated[bool, Query(description="Correct unknown words")] = True,
    lang: Annotated[
        str | None,
        Query(
            description="Language of the answer's labels, `why.summary` and record `url`s "
            "(en, es, it, de, fr; a tag with a region, es-ES, names its language); without it, "
            "the language `Accept-Language` asks for most, else English; said in "
            "`Content-Language`"
        ),
    ] = None,
) -> None:
    """The parameters of a search, for `/api/search` and `/api/search/download` alike: declared
    here so that FastAPI validates them (422 with the field) and the OpenAPI document lists them
    on both; the endpoints read them with `SearchQuery.from_params`."""


SearchParameters = Annotated[None, Depends(search_parameters)]


@router.get(
    "/search",
    response_model=SearchResultsPublic,
    summary="Search records (hybrid, with filters and facets)",
    responses=status_304(),
)
def api_search(
    request: Request,
    response: Response,
    service: Service,
    _search: SearchParameters,
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SearchResultsPublic:
    """Hybrid (meaning + keyword) search with graph filters and facet counts; each hit says why it
    matched. Values of one filter combine with OR, filters with AND. `total` is 0 when the
    query has no evidence in the graph. Order (`sort=relevance`): a record the query names
    first, then the records linked with it (its partners and coordinator, an organisation's
    projects; `why.linked_to`), then initiatives, then organisations, policies, events and
    sources, each by score, and in each the records holding a quoted phrase or a code the
    query gives ("SC5-21-2016-2017") word for word first; and after them the records found
    by meaning alone (no query word, no concept of the query), initiatives first; `score` is
    comparable within one of these groups only; `corrected` is the query as searched when
    unknown words were corrected; `unmatched` names the filter values no record holds.
    Answers carry a strong `ETag` of the store version and the query (with `Last-Modified`),
    and a conditional request gets 304 (RFC 9110 §13.1: a developer's trial found the API
    without the validators the pages have)."""
    params = _with_language(request, request.query_params.multi_items())
    headers = _validators(request, params["lang"])
    if not_modified(request, headers["ETag"], headers.get("Last-Modified")):
        return Response(status_code=304, headers=headers)  # type: ignore[return-value]
    query = SearchQuery.from_params(params)
    answer = _results(
        service.search(query),
        service,
        _why_lines(request, query.lang),
        _page_url(request.app.state.settings.base, query.lang),
    )
    response.headers.update(headers)
    return answer


def _with_language(request: Request, params: Sequence[tuple[str, str]]) -> QueryParams:
    """`params` with the search's language: the URL's `lang`, else the one `Accept-Language`
    asks for most (RFC 9110 §12.5.4), as the pages read it (`web.i18n.language`), said back in
    `Content-Language` with `Vary: Accept-Language` (`web.i18n.ContentLanguage`). A web
    editor's trial fetched the API from another site's page with `Accept-Language: de`, which
    the API's CORS allows, and got English labels."""
    lang = language(request)
    request.state.page_lang = lang
    return QueryParams([*((k, v) for k, v in params if k != "lang"), ("lang", lang)])


def _validators(request: Request, lang: str = "") -> dict[str, str]:
    """`ETag` (the store version, the path, the query string and the language the answer is
    in, `lang`, which `Accept-Language` may have chosen) and `Last-Modified` of an API answer,
    revalidated on each use (`Cache-Control: no-cache`)."""
    version = request.app.state.store.version()
    etag, modified = version_validators(version, request.url.path, request.url.query, lang)
    return {
        "ETag": etag,
        "Cache-Control": "no-cache",
        **({"Last-Modified": modified} if modified else {}),
    }


#: most rows one download gives (the whole result set of the bundled graph many times over)
DOWNLOAD_MAX = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_COLUMNS = (
    "rank",
    "kind",
    "initiative_type",
    "slug",
    "name",
    "short_name",
    "summary",
    "url",
    "website",
    "coordinator",
    "start",
    "end",
    "disputed_dates",
    "countries",
    "themes",
    "funding",
    "budget",
    "identifiers",
    "score",
    "why",
)


@router.get(
    "/search/download",
    response_class=Response,
    summary="Every result of a search as a file (CSV, Excel, JSON)",
    responses={
        200: {
            "description": "Every result, as a file to save",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
def api_search_download(
    request: Request,
    service: Service,
    _search: SearchParameters,
    format: Annotated[
        Literal["csv", "xlsx", "json"], Query(description="csv, xlsx (Excel) or json")
    ] = "csv",
) -> Response:
    """Every result of a search (all pages, up to 10,000, the same parameters as `/api/search`
    without `limit`/`offset`) as a CSV (RFC 4180, comma-separated, UTF-8 with a byte order mark,
    without which Excel reads it in the system's legacy encoding: a French trial's
    "Dépeuplement" read "DÃ©peuplement"; columns `CSV_COLUMNS`), Excel (`xlsx`: opens in any
    locale's spreadsheet with its accents and columns intact, which a CSV does not in a
    spreadsheet that expects `;`; headers in the search's language, links, a filter on every
    column) or JSON attachment (the `/api/search` answer, each result also with `summary`,
    `website`, `coordinator`, `funding` and `identifiers` as lists, `budget` as objects
    `{amount, currency, kind, disputed}` and `disputed_dates` as `{start: [...], end: [...]}`).
    `initiative_type` is an initiative's subtype code
    (`local-practice`, …; empty for other kinds); the summary is the lead of the record's
    description in the search's language, else English, as its page opens with it (the first
    sentence of a longer text: an Italian trial's column held one Italian sentence for most
    records and 900 English characters for others); `short_name` the short name the record is
    known by (its acronym), which the site's lists put before the name; `url` is the record's
    page in that language; `website` the record's own web addresses
    (`kg.practices.record_websites`), space-separated; `coordinator` the organisations that
    coordinate it, by name (a LEADER group's sheet of examples needed who ran each); `start` and
    `end` are years, the widest span where sources disagree (the earliest start, the latest
    end), as in `/api/search`; `disputed_dates` the dates behind them where sources disagree
    ("Start: 2002 / 2006"; a researcher's table showed one year with nothing to say the sources
    give two, while the budget column said "disputed"); `funding` the funding programmes the
    record states, in the search's language; `budget` its budget lines, each amount with its
    currency code and kind
    ("834050 EUR (total); 764915 EUR (total)": where sources disagree, each figure; an Italian
    researcher's table of practices needed them and found them only through SPARQL);
    `identifiers` its grant or document numbers (a CORDIS grant number, an EUR-Lex CELEX
    number). Partners and sources are in the record's data and SPARQL (they are many per record,
    with a source each)."""
    params = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("limit", "offset", "page", "format")
    ]
    query = SearchQuery.from_params(_with_language(request, params), limit=0)
    total = service.search(query).total
    results = service.search(replace(query, limit=min(total, DOWNLOAD_MAX)))
    base = request.app.state.settings.base
    page = _page_url(base, query.lang)
    graph = request.app.state.store.current()  # one snapshot for every column read from it
    websites, budgets = record_websites(graph), record_budgets(graph)
    disputed = record_disputed_dates(graph)
    index = service.index()
    said = translations(query.lang)
    why = _why_lines(request, query.lang)

    def added(hit: Hit) -> dict[str, Any]:
        """What a download adds to a result of the API, as lists and objects."""
        iri = record_iri(base, hit.doc.kind, hit.doc.slug)
        return {
            "summary": lead(text) if (text := hit.doc.description(query.lang)) else None,
            "website": websites.get(iri, []),
            "coordinator": [
                index.docs[index.positions[c]].name
                for c in hit.doc.linked.get("coordinator", ())
                if c in index.positions
            ],
            "funding": [
                service.label("funding", code, query.lang)
                for code in (hit.doc.stated or hit.doc.facets).get("funding", ())
            ],
            "budget": budgets.get(iri, []),
            "identifiers": list(dict.fromkeys(hit.doc.identifiers)),
            "disputed_dates": disputed.get(iri, {}),
        }

    fields = [added(hit) for hit in results.hits]
    if format == "json":
        # the API's answer, each result with what the spreadsheet's columns add (a
        # researcher's JSON had neither coordinator, funding nor budget)
        answer = _results(results, service, why, page).model_dump(mode="json")
        for item, more in zip(answer["results"], fields, strict=True):
            item.update(more, budget=[asdict(line) for line in more["budget"]])
        return Response(
            json.dumps(answer, ensure_ascii=False),
            media_type="application/json",
            headers={"Content-Disposition": _disposition(query.text, query.lang, "json")},
        )
    rows = [
        [
            n,
            hit.doc.kind,
            "; ".join(hit.doc.facets.get("initiative_type", ())),
            hit.doc.slug,
            hit.doc.name,
            hit.doc.short_name or "",
            more["summary"] or "",
            page(hit.doc),
            " ".join(more["website"]),
            "; ".join(more["coordinator"]),
            hit.doc.start or "",
            hit.doc.end or "",
            _disputed_line(more["disputed_dates"], said, query.lang),
            "; ".join(c.label for c in hit.countries),
            "; ".join(t.label for t in hit.themes),
            "; ".join(more["funding"]),
            "; ".join(_budget_line(line, said) for line in more["budget"]),
            "; ".join(more["identifiers"]),
            hit.score,
            why(hit.why),
        ]
        for n, (hit, more) in enumerate(zip(results.hits, fields, strict=True), start=1)
    ]
    if format == "xlsx":
        return Response(
            _workbook(rows, said),
            media_type=XLSX,
            headers={"Content-Disposition": _disposition(query.text, query.lang, "xlsx")},
        )
    out = io.StringIO()
    out.write("\ufeff")  # the byte order mark (docstring)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _disposition(query.text, query.lang, "csv")},
    )


def _disputed_line(dates: dict[str, list[str]], said: NullTranslations, lang: str) -> str:
    """The dates behind a download's `start` and `end` where their sources disagree, each
    value as stored, in the search's language `lang` (`said`: its translations): "Start: 2002
    / 2006; End: 2022-12 / 2023-02" ("Début : 2017 / 2018"); "" when they agree."""
    titles = {"start": N_("Start"), "end": N_("End")}
    return "; ".join(
        f"{said.gettext(titles[which])}{colon_in(lang)}{' / '.join(dates[which])}"
        for which in ("start", "end")
        if which in dates
    )


def _budget_line(line: BudgetLine, said: NullTranslations) -> str:
    """One budget line as a download writes it: the amount as stored, its currency code and
    its kind in the search's language, and "disputed" where its sources give other figures too
    ("834050 EUR (total)", "6000 PLN (subvención)", "1200000 EUR (total, disputed)")."""
    kind = BUDGET_KINDS.get(line.kind)
    said_of = [said.gettext(kind)] if kind else []
    if line.disputed:
        said_of.append(said.gettext(N_("disputed")))
    return f"{line.amount} {line.currency}" + (f" ({', '.join(said_of)})" if said_of else "")


#: the spreadsheet's column titles (`CSV_COLUMNS` in order), translated
SHEET_TITLES = (
    N_("Rank"),
    N_("Type"),
    N_("Type of initiative"),
    # the record's id in its URI (`slug`), not its grant numbers ("Grant or document
    # numbers"): an analyst's trial read "Identifier" as those
    N_("Record ID"),
    N_("Name"),
    N_("Short name"),
    N_("Summary"),
    N_("Page"),
    N_("Website"),
    N_("Coordinator"),
    N_("Start"),
    N_("End"),
    N_("Dates the sources disagree on"),
    N_("Countries"),
    N_("Themes"),
    N_("Funding"),
    N_("Budget"),
    N_("Grant or document numbers"),
    N_("Score"),
    N_("Why"),
)
#: column widths in characters (openpyxl's unit), `CSV_COLUMNS` in order
SHEET_WIDTHS = (6, 12, 16, 24, 40, 16, 60, 40, 40, 30, 8, 8, 24, 20, 30, 24, 30, 16, 8, 40)


def _workbook(rows: Sequence[Sequence[object]], lang: NullTranslations) -> bytes:
    """One sheet, "Search results" in the search's language: the header row (`SHEET_TITLES`)
    frozen and filtered, then `rows` (`CSV_COLUMNS`), record types and initiative types named in
    that language, and the page addresses and websites as links (openpyxl; a cell holds one
    link, so of a record's several websites, space-separated in A–Z order, the first: a
    Spanish trial's cell of two addresses opened neither)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = lang.gettext("Search results")[:31]  # Excel's limit on a sheet's name
    sheet.append([lang.gettext(t) for t in SHEET_TITLES])
    page, website = CSV_COLUMNS.index("url") + 1, CSV_COLUMNS.index("website") + 1
    kind = CSV_COLUMNS.index("kind")
    for row in rows:
        # the record type as the pages name it, in the search's language (a French trial's
        # sheet read "policy", "event")
        cells = list(row)
        cells[kind] = lang.gettext(KIND_LABELS.get(str(cells[kind]), str(cells[kind])))
        subtypes = [t for t in str(cells[kind + 1]).split("; ") if t in TYPE_LABELS]
        cells[kind + 1] = "; ".join(lang.gettext(TYPE_LABELS[t]) for t in subtypes)
        sheet.append(cells)
        cell = sheet.cell(row=sheet.max_row, column=page)
        cell.hyperlink, cell.style = str(cell.value), "Hyperlink"
        cell = sheet.cell(row=sheet.max_row, column=website)
        if cell.value:
            cell.hyperlink, cell.style = str(cell.value).split()[0], "Hyperlink"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, width in enumerate(SHEET_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@router.get(
    "/similar/{kind}/{slug}",
    response_model=SimilarsPublic,
    summary="Records most like one record",
    responses={**errors(404), **status_304()},  # 404: no record of that kind and slug
)
def api_similar(
    request: Request,
    response: Response,
    service: Service,
    kind: str,
    slug: str,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SimilarsPublic:
    """Records most like this one: near in meaning, sharing themes, target groups and profile.
    With an `ETag` and 304 to a conditional request, as `/api/search`."""
    headers = _validators(request)
    if not_modified(request, headers["ETag"], headers.get("Last-Modified")):
        return Response(status_code=304, headers=headers)  # type: ignore[return-value]
    iri = f"{request.app.state.settings.base}id/{kind}/{slug}"
    found = service.similar(iri, limit=limit)
    response.headers.update(headers)
    page = _page_url(request.app.state.settings.base, DEFAULT_LANG)
    return SimilarsPublic(id=iri, results=[_similar(s, page) for s in found])


def _why_lines(request: Request, lang: str) -> Callable[[Why], str]:
    """Why a result came up, as plain text in the search's language `lang`, as the search page
    says it (the `why_line` macro of `_why.html`): the API, the JSON download and the
    spreadsheet columns say the same as the page (the API's had been in English whatever the
    search's language)."""
    module = request.app.state.templates.env.get_template("_why.html").make_module({"lang": lang})

    def line(why: Why) -> str:
        return str(module.why_line(why).unescape())  # the macro gives Markup: plain text here

    return line


def _page_url(base: str, lang: str) -> Callable[[SearchDoc], str]:
    """A record's page as an absolute URL (`KG_BASE_URI`), in the language `lang` (`?lang=`
    unless it is the default): what another site's page links to (a web editor's trial built
    links from the API's relative `/initiative/…`, which pointed at its own site)."""
    suffix = "" if lang == DEFAULT_LANG else f"?lang={lang}"

    def url(doc: SearchDoc) -> str:
        return f"{base}{doc.kind}/{doc.slug}{suffix}"

    return url


def _results(
    results: SearchResults,
    service: SearchService,
    why_line: Callable[[Why], str],
    page: Callable[[SearchDoc], str],
) -> SearchResultsPublic:
    u = results.understanding
    return SearchResultsPublic(
        total=results.total,
        offset=results.query.offset,
        limit=results.query.limit,
        mode=results.query.mode,
        query=results.query.text,
        corrected=results.corrected,
        sort=results.query.sort,
        query_language=u.shown_lang if u is not None else None,
        results=[_hit(h, why_line, page) for h in results.hits],
        facets={
            f: [_facet(v, f, results.query.lang) for v in values]
            for f, values in results.facets.items()
        },
        undated=results.undated,
        open_ended=results.open_ended,
        end_unknown=results.end_unknown,
        unmatched=service.index().unheld(results.query.filters),
        suggestion=results.suggestion,
        unheld_words=list(results.unheld),
    )


def _hit(
    hit: Hit, why_line: Callable[[Why], str], page: Callable[[SearchDoc], str]
) -> SearchHitPublic:
    doc = hit.doc
    return SearchHitPublic(
        named=hit.named,
        id=doc.iri,
        slug=doc.slug,
        kind=doc.kind,
        name=doc.name,
        short_name=doc.short_name,
        initiative_type=next(iter(doc.facets.get("initiative_type", ())), None),
        url=page(doc),
        snippet=hit.snippet,
        snippet_language=hit.snippet_lang or None,
        score=hit.score,
        why=_why(hit.why, why_line(hit.why)),
        themes=[_label(v) for v in hit.themes],
        countries=[_label(v) for v in hit.countries],
        start=doc.start,
        end=doc.end,
    )


def _file_name(prefix: str, said: list[str]) -> str:
    """A download's file name: `prefix` and the search's first six words, at most 80
    characters ("search-results-vivienda-para-refugiados"; a trial's downloads all had one
    name)."""
    return "-".join([prefix, *said[:6]])[:80].rstrip("-")


def _disposition(text: str, lang: str, extension: str) -> str:
    """`Content-Disposition` of a download: its name folded to ASCII for every client, and
    in the search's language and letters as `filename*` (RFC 6266 §4.3, UTF-8
    percent-encoded as RFC 8187 says), which browsers prefer: a German trial got
    "search-results-gefluchtete-dorf.xlsx" for "Geflüchtete Dorf"."""
    found = list(words(text))
    # folding leaves Greek, Cyrillic and other scripts as they are: their words have no ASCII
    # form (a Greek query's download had failed: a header is Latin-1 at most)
    plain = [a for _, _, w in found if (a := w.encode("ascii", "ignore").decode())]
    ascii_name = _file_name("search-results", plain)
    local = _file_name(
        translations(lang).gettext("search-results"), [text[a:b].lower() for a, b, _ in found]
    )
    return (
        f'attachment; filename="{ascii_name}.{extension}"; '
        f"filename*=UTF-8''{quote(local + '.' + extension, safe='')}"
    )


def _why(why: Why, summary: str) -> WhyPublic:
    return WhyPublic(
        summary=summary,
        matched_terms=why.matched_terms,
        concepts=[_shared(c) for c in why.concepts],
        filters=[_shared(f) for f in why.filters],
        keyword_score=why.keyword_score,
        similarity=why.similarity,
        query_language=why.query_language,
        missing_terms=why.missing,
        linked_to=[LinkedToPublic(name=n.name, relation=n.relation) for n in why.linked],
    )


def _similar(s: Similar, page: Callable[[SearchDoc], str]) -> SimilarPublic:
    doc = s.doc
    return SimilarPublic(
        id=doc.iri,
        slug=doc.slug,
        kind=doc.kind,
        name=doc.name,
        short_name=doc.short_name,
        url=page(doc),
        score=s.score,
        similarity=s.similarity,
        shared=[_shared(v) for v in s.shared],
    )


def _label(value: Label) -> LabelPublic:
    return LabelPublic(value=value.value, label=value.label)


def _facet(value: FacetValue, facet: str, lang: str) -> FacetValuePublic:
    """A facet value as the API gives it: a record kind or an initiative type named in `lang`
    as the pages name it (the graph has no concept for them to be labelled by; a trial's
    program read "initiative" and "local-practice" as labels)."""
    own = VALUE_LABELS.get(facet, {})
    label = translations(lang).gettext(own[value.value]) if value.value in own else value.label
    return FacetValuePublic(value=value.value, label=label, count=value.count, adds=value.adds)


def _shared(value: SharedValue) -> SharedValuePublic:
    return SharedValuePublic(
        facet=value.facet,
        value=value.value,
        label=value.label,
        matched=value.matched,
        mentioned=value.mentioned,
    )
