"""kg.endpoint.Endpoint: answers a job with (answer, etag, hit), without HTTP."""

import asyncio
from collections.abc import Iterator

import pytest

from kg.endpoint import Endpoint, QueryRequest
from kg.settings import Settings
from kg.store import LocalStore

JOB = QueryRequest(
    query="SELECT ?s WHERE { ?s ?p ?o }", media="application/sparql-results+json", row_cap=10
)


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    store = LocalStore(None)
    settings = Settings.from_env({"KG_STORE": "memory", "KG_BASE_URI": "http://e/"})
    found = Endpoint(store, settings)
    found.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> <http://e/c> } }")
    yield found
    found.close()


def test_second_answer_is_a_cache_hit_with_the_same_etag(endpoint: Endpoint) -> None:
    first = asyncio.run(endpoint.answer_async(JOB))
    second = asyncio.run(endpoint.answer_async(JOB))
    assert (first.hit, second.hit) == (False, True)
    assert first.etag == second.etag == endpoint.etag(JOB)
    assert first.answer.rows == 1
    assert b"http://e/a" in second.answer.body


def test_an_update_changes_the_etag_and_the_answer(endpoint: Endpoint) -> None:
    before = asyncio.run(endpoint.answer_async(JOB))
    endpoint.update("INSERT DATA { GRAPH <http://e/g> { <http://e/x> <http://e/b> 1 } }")
    after = asyncio.run(endpoint.answer_async(JOB))
    assert after.hit is False
    assert after.etag != before.etag
    assert after.answer.rows == 2


def test_the_etag_depends_on_the_dataset_and_the_format(endpoint: Endpoint) -> None:
    other = QueryRequest(
        query=JOB.query, media=JOB.media, row_cap=10, default_graphs=("http://e/g",)
    )
    csv = QueryRequest(query=JOB.query, media="text/csv", row_cap=10)
    assert len({endpoint.etag(JOB), endpoint.etag(other), endpoint.etag(csv)}) == 3
