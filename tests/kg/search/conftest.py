"""The small hand-built search index of `small.py`, fresh for each test."""

import pytest

from kg.search.index import SearchIndex
from tests.kg.search import small


@pytest.fixture
def small_index() -> SearchIndex:
    return small.build()
