"""The value types every store shares: a version's ETag and creation time, a graph change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kg.store.base import GraphChange, StoreVersion, now


def test_the_etag_of_a_version_is_its_name() -> None:
    assert StoreVersion("v-2024-01", "2024-01-01T00:00:00+00:00").etag == "v-2024-01"


def test_now_is_utc_to_the_second() -> None:
    stamp = now()
    parsed = datetime.fromisoformat(stamp)
    assert parsed.utcoffset() == timedelta(0)
    assert parsed.microsecond == 0
    assert abs(datetime.now(UTC) - parsed) < timedelta(seconds=5)


def test_a_change_is_immutable_and_a_drop_has_no_triples() -> None:
    drop = GraphChange("http://x/g", None)
    assert drop.ntriples is None
    with pytest.raises(AttributeError):
        drop.graph = "http://x/h"  # type: ignore[misc]
