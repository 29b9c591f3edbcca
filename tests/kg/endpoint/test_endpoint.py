"""kg.endpoint.Endpoint: answers a job with (answer, etag, hit), without HTTP."""

import asyncio
from collections.abc import Iterator

import pytest

from kg.endpoint import Endpoint, QueryRequest
from kg.endpoint.execute import Answer
from kg.errors import TooManyQueries
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


def test_an_answer_new_each_run_is_neither_kept_nor_tagged(endpoint: Endpoint) -> None:
    job = QueryRequest(
        query="SELECT (STRUUID() AS ?u) WHERE {}",
        media="application/sparql-results+json",
        row_cap=10,
        repeatable=False,
    )
    first = asyncio.run(endpoint.answer_async(job))
    second = asyncio.run(endpoint.answer_async(job))
    assert (first.hit, second.hit) == (False, False)
    assert (first.etag, second.etag) == (None, None)
    assert first.answer.body != second.answer.body


def test_the_etag_follows_the_content_type_sent(endpoint: Endpoint) -> None:
    """One answer sent as `application/json` and as SPARQL JSON: two strong tags (RFC 9110
    §8.8.3), each the same from the cache and from `etag`."""
    own = asyncio.run(endpoint.answer_async(JOB))
    synonym = asyncio.run(endpoint.answer_async(JOB, content_type="application/json"))
    assert synonym.hit is True
    assert own.etag != synonym.etag == endpoint.etag(JOB, "application/json")
    assert own.etag == endpoint.etag(JOB, JOB.media) == endpoint.etag(JOB)


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


class _HeldRunner:
    """A runner whose queries run until `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    def run(self, request: QueryRequest) -> Answer:
        raise NotImplementedError

    async def run_async(self, request: QueryRequest) -> Answer:
        await self.release.wait()
        return Answer(b"{}", request.media, "v")

    def close(self) -> None:
        pass


def test_one_client_cannot_hold_every_worker() -> None:
    """With 3 query workers a client runs at most 2 uncached queries at once: its third is
    `TooManyQueries` (429) with a Retry-After within the time limit, while another client's
    query still runs; once one of its queries ends the client gets a slot again."""
    settings = Settings.from_env(
        {
            "KG_STORE": "memory",
            "KG_WORKERS": "1",
            "KG_SPARQL_WORKERS": "3",
            "KG_SPARQL_TIMEOUT": "7",
        }
    )
    runner = _HeldRunner()
    endpoint = Endpoint(LocalStore(None), settings, runner=runner)

    def job(n: int) -> QueryRequest:
        return QueryRequest(f"ASK {{ ?s ?p {n} }}", JOB.media, 10)

    async def scenario() -> None:
        held = [asyncio.create_task(endpoint.answer_async(job(n), "a")) for n in range(2)]
        other = asyncio.create_task(endpoint.answer_async(job(9), "b"))
        await asyncio.sleep(0.05)
        with pytest.raises(TooManyQueries) as refused:
            await endpoint.answer_async(job(3), "a")
        assert refused.value.status == 429
        assert 1 <= refused.value.retry_after <= 7
        assert not other.done()  # b's query is running, not refused
        runner.release.set()
        await asyncio.gather(*held, other)
        assert (await endpoint.answer_async(job(3), "a")).hit is False

    asyncio.run(scenario())


def test_without_a_rate_limit_a_client_has_no_cap_on_running_queries() -> None:
    """`KG_RATE_LIMIT_PER_MINUTE=0` lifts the per-client limits, the cap on running queries
    with the rate: a load test sends every request from one address."""
    settings = Settings.from_env(
        {
            "KG_STORE": "memory",
            "KG_WORKERS": "1",
            "KG_SPARQL_WORKERS": "3",
            "KG_RATE_LIMIT_PER_MINUTE": "0",
        }
    )
    runner = _HeldRunner()
    endpoint = Endpoint(LocalStore(None), settings, runner=runner)

    async def scenario() -> None:
        jobs = [QueryRequest(f"ASK {{ ?s ?p {n} }}", JOB.media, 10) for n in range(4)]
        held = [asyncio.create_task(endpoint.answer_async(j, "a")) for j in jobs]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in held)  # none refused
        runner.release.set()
        assert len(await asyncio.gather(*held)) == 4

    asyncio.run(scenario())
