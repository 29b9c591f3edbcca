import pytest

from kg.dates import finest, within


@pytest.mark.parametrize(
    ("values", "kept"),
    [
        (["2024", "2024-07-31"], ["2024-07-31"]),  # a year and a day in it agree
        (["2024-07", "2024-07-31", "2024"], ["2024-07-31"]),
        (["2019", "2020-02-01"], ["2019", "2020-02-01"]),  # neither lies within the other
        (["2024-07-31", "2024-08-01", "2024"], ["2024-07-31", "2024-08-01"]),
        (["2021-12", "2022-06"], ["2021-12", "2022-06"]),
        (["2022", "2022"], ["2022"]),
    ],
)
def test_finest_keeps_what_no_other_date_says_more_precisely(
    values: list[str], kept: list[str]
) -> None:
    assert finest(values) == kept


def test_a_date_lies_within_its_year_and_month_only() -> None:
    assert within("2024-07-31", "2024")
    assert within("2024-07-31", "2024-07")
    assert within("2024", "2024")
    assert not within("2024", "2024-07-31")
    assert not within("20245", "2024")  # a prefix of the text is not a date within
