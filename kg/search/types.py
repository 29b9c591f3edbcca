"""The public types of search: the query (`SearchQuery`, parsed from URL or CLI parameters by
`SearchQuery.from_params`, the one parser behind `/api/search`, `/search` and `kg search`) and
the results (`SearchResults` of `Hit`s with `FacetValue` counts)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import BadRequest
from kg.geo import ISO2_TO_ISO3, ISO3_TO_ISO2
from kg.search.documents import FACETS

if TYPE_CHECKING:
    from kg.search.documents import SearchDoc
    from kg.search.explain import Why
    from kg.search.understand import Understanding

MODES = ("hybrid", "keyword", "vector")
FUSIONS = ("weighted", "rrf")
#: result orders: by relevance (named record, the records linked with it, then initiatives,
#: then other kinds, each by score), newest start or end year first, or name A–Z
SORTS = ("relevance", "start", "end", "name")
FILTERS = tuple(f for f in FACETS if f != "year")


def filter_value(name: str, value: str) -> str:
    """A filter value as the graph writes it: country and NUTS codes upper-case (ES, ES24),
    concept ids as given (lowercase already); surrounding spaces dropped. A country may be
    given by any code `kg.geo` knows for it, ISO 3166 alpha-2 or alpha-3 or the EU's own: GB,
    GBR and UK are the United Kingdom, whose code in the graph (`skos:notation`) is UK; EL and
    GRC are Greece (GR). A researcher's loop over ISO codes had found nothing for GB. An IRI
    (a country's or region's as SPARQL answers give it) is kept as written, to be read as its
    concept's code (`kg.search.index.SearchIndex.filter_code`), with or without the angle
    brackets SPARQL and Turtle write around it (a web editor pasted `<http://…/ESP>` and found
    nothing)."""
    if "://" in value:
        return value.strip().removeprefix("<").removesuffix(">").strip()
    if name == "country":
        code = value.strip().upper()
        iso3 = code if code in ISO3_TO_ISO2 else ISO2_TO_ISO3.get(code)
        return ISO3_TO_ISO2[iso3] if iso3 else code
    return value.strip().upper() if name == "nuts" else value.strip()


MAX_LIMIT = 100
MAX_TEXT = 500
YEARS = (1000, 9999)  # bounds of an open year range


def parse_years(value: str) -> tuple[int, int]:
    """`2020`, `2018-2021`, or an open range `2018-` / `-2021` (an initiative is active in year
    Y if start ≤ Y ≤ end; a record without an end is still active), each year within `YEARS`
    as `year_from`/`year_to` are. Raises `BadRequest`."""
    first, dash, last = value.strip().partition("-")
    try:
        low = int(first) if first.strip() else YEARS[0]
        high = int(last) if last.strip() else (YEARS[1] if dash else low)
    except ValueError:
        raise BadRequest(f"year must be YYYY, YYYY-YYYY, YYYY- or -YYYY, not {value!r}") from None
    if not first.strip() and not last.strip():
        raise BadRequest(f"year must be YYYY, YYYY-YYYY, YYYY- or -YYYY, not {value!r}")
    if not (YEARS[0] <= low <= YEARS[1] and YEARS[0] <= high <= YEARS[1]):
        raise BadRequest(f"year must be from {YEARS[0]} to {YEARS[1]}, not {value!r}")
    if low > high:
        raise BadRequest(f"year range {value!r} ends before it starts")
    return low, high


@dataclass(frozen=True)
class SearchQuery:
    """One search. `filters`: facet → values; values of one facet combine with OR, facets with
    AND. `years`: active in some year of (first, last). `limit` hits from `offset`. `lang`:
    language of concept labels. `correct`: replace query words the index does not know by the
    closest word it knows (see `kg.search.spelling`)."""

    text: str = ""
    mode: str = "hybrid"
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    limit: int = 10
    offset: int = 0
    lang: str = "en"
    fusion: str = "weighted"
    sort: str = "relevance"
    correct: bool = True

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise BadRequest(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.fusion not in FUSIONS:
            raise BadRequest(f"fusion must be one of {', '.join(FUSIONS)}, not {self.fusion!r}")
        if self.sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        unknown = sorted(set(self.filters) - set(FILTERS))
        if unknown:
            raise BadRequest(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTERS)}")
        if self.limit < 0 or self.offset < 0:
            raise BadRequest("limit and offset must not be negative")
        # codes as the graph writes them: ES, ES24 (concept ids are lowercase already)
        normal = {
            f: tuple(dict.fromkeys(filter_value(f, v) for v in vals if v.strip()))
            for f, vals in self.filters.items()
            if vals
        }
        object.__setattr__(self, "filters", {f: v for f, v in normal.items() if v})

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], *, limit: int = 10, max_limit: int = MAX_LIMIT
    ) -> SearchQuery:
        """The query of URL or command-line parameters: `q`, `mode`, `sort`, `lang`, `fusion`,
        one list per filter (`theme`, `country`, … as `FILTERS`), `year` (YYYY, YYYY-YYYY,
        YYYY-, -YYYY) or `year_from`/`year_to`, `limit` (0–`max_limit`) with `offset` or `page`
        (1-based, pages of `limit`), `correct` (`0`/`false`/`off` turns spelling correction off).

        `params` maps a name to a string or a list of strings (a Starlette `QueryParams` or any
        object with `getlist` gives every repeated value); empty values count as absent.
        Raises `BadRequest` naming the parameter and the reason."""

        def values(name: str) -> list[str]:
            if hasattr(params, "getlist"):
                raw: Any = params.getlist(name)
            else:
                raw = params.get(name)
            if raw is None:
                return []
            items = [raw] if isinstance(raw, str | int) else list(raw)
            return [str(v).strip() for v in items if v is not None and str(v).strip()]

        def one(name: str, default: str) -> str:
            found = values(name)
            return found[0] if found else default

        def number(name: str, default: int, low: int, high: int | None = None) -> int:
            text = one(name, str(default))
            try:
                value = int(text)
            except ValueError:
                raise BadRequest(f"{name} must be an integer, not {text!r}") from None
            if value < low or (high is not None and value > high):
                bound = f"from {low} to {high}" if high is not None else f"at least {low}"
                raise BadRequest(f"{name} must be {bound}, not {value}")
            return value

        size = number("limit", limit, 0, max_limit)
        page = number("page", 1, 1)
        offset = (page - 1) * size if values("page") else number("offset", 0, 0)
        years = None
        if values("year"):
            years = parse_years(one("year", ""))
        elif values("year_from") or values("year_to"):
            low = number("year_from", YEARS[0], *YEARS)
            high = number("year_to", YEARS[1], *YEARS)
            if low > high:
                raise BadRequest(f"year_to {high} is before year_from {low}")
            years = (low, high)
        return cls(
            text=_without_controls(one("q", ""))[:MAX_TEXT],
            mode=one("mode", "hybrid"),
            filters={f: values(f) for f in FILTERS if values(f)},
            years=years,
            limit=size,
            offset=offset,
            lang=one("lang", "en"),
            fusion=one("fusion", "weighted"),
            sort=one("sort", "relevance"),
            correct=one("correct", "1").lower() not in ("0", "false", "off", "no"),
        )


#: control characters (C0, DEL, C1): never text a person typed, and a NUL echoed into a page
#: is invalid HTML (a trial's `q=%00` reached the title and the search box)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _without_controls(text: str) -> str:
    """`text` with each run of control characters (tab and line breaks too) as one space."""
    return _CONTROLS.sub(" ", text).strip()


@dataclass(frozen=True)
class Label:
    value: str  # concept id, ISO code
    label: str


@dataclass(frozen=True)
class FacetValue:
    """A facet value and how many records carry it (`kg.search.rank.facet_counts`); `adds`:
    for a value not selected in a facet that has selected values (OR), how many results its
    click adds (None otherwise)."""

    value: str
    label: str
    count: int
    adds: int | None = None


@dataclass(frozen=True)
class Correction:
    """A query word the index does not know and the known word it was read as."""

    original: str
    corrected: str


@dataclass(frozen=True)
class Hit:
    doc: SearchDoc
    score: float
    snippet: str  # HTML: escaped text, matches in <mark>
    why: Why
    themes: list[Label]
    countries: list[Label]
    named: bool = False  # the query is (or closely matches) this record's name
    snippet_lang: str = ""  # BCP 47 tag of the snippet's text; "": the data does not say


@dataclass(frozen=True)
class SearchResults:
    """One page of a search. `total`: the size of the whole result set (the filters applied);
    `facets`: per facet, the values in the result set with counts (see `kg.search.rank`);
    `corrected`: the query as searched when spelling correction changed it."""

    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    understanding: Understanding | None
    corrected: str | None = None
    corrections: tuple[Correction, ...] = ()
    concepts: tuple[Label, ...] = ()  # the closest concepts, offered when nothing matched
    #: with a year range: how many records match everything else but have no known dates, so
    #: the range leaves them out (the page says so)
    undated: int = 0
    #: with a year range: how many results it holds only because they have no known end (they
    #: started before it and are counted as still active, `kg.search.rank.active_until`)
    open_ended: int = 0
    #: when nothing matched: a query that finds records ("Did you mean"), its unknown words
    #: spelt as the nearest words of the index (`kg.search.engine`)
    suggestion: str | None = None
    #: the query's words, as typed, that no record holds, when the others found records
    #: (`kg.search.engine`): the page says so once, not only under each result
    unheld: tuple[str, ...] = ()
    #: sorted by end year: how many results have a start and no known end, listed after those
    #: whose end is known (`kg.search.rank`; the page says so)
    end_unknown: int = 0
