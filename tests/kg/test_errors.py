"""The one error family: each class carries the HTTP status the web answers with, and the
messages name what went wrong (file, field, reason; every refused record)."""

from __future__ import annotations

import pytest

from kg import errors
from kg.errors import KGError, RateLimited, RecordError, ValidationFailed


def test_a_record_error_names_file_line_field_and_reason() -> None:
    err = RecordError("initiative/x.md", "start", "not a date", line=4)
    assert str(err) == "initiative/x.md:4: start: not a date"
    assert (err.file, err.field, err.reason, err.line) == (
        "initiative/x.md",
        "start",
        "not a date",
        4,
    )
    assert RecordError("a.md", "name", "missing").message == "a.md: name: missing"


def test_validation_failed_counts_and_lists_every_record() -> None:
    found = [RecordError("a.md", "name", "missing"), RecordError("b.md", "kind", "unknown")]
    err = ValidationFailed(found)
    assert err.message.splitlines() == [
        "2 record error(s):",
        "a.md: name: missing",
        "b.md: kind: unknown",
    ]
    assert err.errors == found
    assert err.status == 422


def test_rate_limited_says_when_to_come_back() -> None:
    err = RateLimited("slow down", retry_after=7)
    assert (err.status, err.retry_after, err.message) == (429, 7, "slow down")


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("QuerySyntaxError", 400),
        ("BadRequest", 400),
        ("Forbidden", 403),
        ("NotFound", 404),
        ("NotAcceptable", 406),
        ("QueryTooLarge", 413),
        ("RecordError", 422),
        ("StoreError", 503),
        ("QueryTimeout", 503),
        ("ServiceBusy", 503),
        ("EngineFailed", 500),
        ("TooManyQueries", 429),
    ],
)
def test_each_error_is_a_kg_error_with_its_http_status(name: str, status: int) -> None:
    cls = getattr(errors, name)
    assert issubclass(cls, KGError)
    assert cls.status == status


def test_busy_and_a_timeout_after_waiting_say_when_to_come_back() -> None:
    """Retry-After (RFC 9110 §10.2.3) for an overloaded service and a client over its share;
    a query that simply ran too long has none unless given."""
    assert errors.ServiceBusy("busy", retry_after=3).retry_after == 3
    assert errors.TooManyQueries("one at a time", retry_after=2).retry_after == 2
    assert errors.QueryTimeout("too slow").retry_after is None


def test_an_error_of_the_family_is_caught_as_one() -> None:
    with pytest.raises(KGError, match="no such record"):
        raise errors.NotFound("no such record")
