"""The one search query parser behind `/api/search`, `/search` and `kg search`: parameters in,
a checked `SearchQuery` out, and a `BadRequest` naming the parameter for anything wrong."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from kg.errors import BadRequest
from kg.search.types import FILTERS, MAX_LIMIT, MAX_TEXT, SearchQuery, parse_years


def test_defaults() -> None:
    q = SearchQuery.from_params({})
    assert (q.text, q.mode, q.sort, q.lang, q.limit, q.offset, q.years, q.correct) == (
        "",
        "hybrid",
        "relevance",
        "en",
        10,
        0,
        None,
        True,
    )
    assert dict(q.filters) == {}


def test_repeated_filters_from_a_url_combine_and_codes_are_normalised() -> None:
    params = QueryParams(
        "q=housing&country=es&country=IT&country=es&nuts=es24&theme=housing&theme="
    )
    q = SearchQuery.from_params(params)
    assert q.text == "housing"
    assert dict(q.filters) == {"country": ("ES", "IT"), "nuts": ("ES24",), "theme": ("housing",)}


def test_a_page_is_turned_into_an_offset() -> None:
    q = SearchQuery.from_params({"limit": "20", "page": "3"})
    assert (q.limit, q.offset) == (20, 40)
    assert SearchQuery.from_params({"offset": "7"}).offset == 7


@pytest.mark.parametrize(
    ("params", "years"),
    [
        ({"year": "2020"}, (2020, 2020)),
        ({"year": "2018-2021"}, (2018, 2021)),
        ({"year": "2018-"}, (2018, 9999)),
        ({"year": "-2021"}, (1000, 2021)),
        ({"year_from": "2019"}, (2019, 9999)),
        ({"year_from": "2019", "year_to": "2020"}, (2019, 2020)),
    ],
)
def test_years_as_one_parameter_or_two(params: dict[str, str], years: tuple[int, int]) -> None:
    assert SearchQuery.from_params(params).years == years


@pytest.mark.parametrize("value", ["0", "false", "off", "no", "OFF"])
def test_spelling_correction_can_be_turned_off(value: str) -> None:
    assert SearchQuery.from_params({"correct": value}).correct is False


def test_the_text_is_cut_to_its_maximum_length() -> None:
    assert len(SearchQuery.from_params({"q": "a" * (MAX_TEXT + 50)}).text) == MAX_TEXT


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "ten"}, "limit must be an integer, not 'ten'"),
        (
            {"limit": str(MAX_LIMIT + 1)},
            f"limit must be from 0 to {MAX_LIMIT}, not {MAX_LIMIT + 1}",
        ),
        ({"page": "0"}, "page must be at least 1, not 0"),
        ({"offset": "-1"}, "offset must be at least 0, not -1"),
        ({"year": "20x0"}, "year must be YYYY, YYYY-YYYY, YYYY- or -YYYY, not '20x0'"),
        ({"year": "2021-2019"}, "year range '2021-2019' ends before it starts"),
        ({"year": "99-"}, "year must be from 1000 to 9999, not '99-'"),
        ({"year": "2020-10000"}, "year must be from 1000 to 9999, not '2020-10000'"),
        ({"year_from": "99"}, "year_from must be from 1000 to 9999, not 99"),
        ({"year_from": "2021", "year_to": "2019"}, "year_to 2019 is before year_from 2021"),
        ({"mode": "fuzzy"}, "mode must be one of hybrid, keyword, vector, not 'fuzzy'"),
        ({"sort": "score"}, "sort must be one of relevance, start, end, name, not 'score'"),
        ({"fusion": "max"}, "fusion must be one of weighted, rrf, not 'max'"),
    ],
)
def test_bad_parameters_are_refused_naming_them(params: dict[str, str], message: str) -> None:
    with pytest.raises(BadRequest) as info:
        SearchQuery.from_params(params)
    assert info.value.message == message


def test_an_unknown_filter_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(BadRequest, match="unknown filter 'colour'") as info:
        SearchQuery(filters={"colour": ["red"]})
    assert all(f in info.value.message for f in FILTERS)


def test_an_empty_year_is_refused() -> None:
    with pytest.raises(BadRequest, match="year must be YYYY"):
        parse_years("-")


def test_control_characters_are_not_part_of_the_text() -> None:
    """A NUL or other control character is nothing a person typed; echoed into a page it is
    invalid HTML (a trial's `q=%00` reached the title and the search box)."""
    assert SearchQuery.from_params({"q": "\x00"}).text == ""
    assert SearchQuery.from_params({"q": "rural\x00\x1fschools\x85"}).text == "rural schools"
    assert SearchQuery.from_params({"q": "écoles\trurales"}).text == "écoles rurales"
