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


def _held_endpoint(timeout: str = "7") -> tuple[Endpoint, _HeldRunner]:
    settings = Settings.from_env(
        {
            "KG_STORE": "memory",
            "KG_WORKERS": "1",
            "KG_SPARQL_WORKERS": "3",
            "KG_SPARQL_TIMEOUT": timeout,
        }
    )
    runner = _HeldRunner()
    return Endpoint(LocalStore(None), settings, runner=runner), runner


def _job(n: int) -> QueryRequest:
    return QueryRequest(f"ASK {{ ?s ?p {n} }}", JOB.media, 10)


def test_one_client_cannot_hold_every_worker_and_its_other_queries_wait() -> None:
    """With 3 query workers a client runs at most 2 uncached queries at once: its next ones
    wait, in order, while another client's query runs; each gets its answer once one of the
    client's queries ends (a script sending 8 at once had got 2 answers and 6 429s)."""
    endpoint, runner = _held_endpoint()
    started: list[int] = []
    real = runner.run_async

    async def run_async(request: QueryRequest) -> Answer:
        started.append(int(request.query.split()[-2]))
        return await real(request)

    runner.run_async = run_async  # type: ignore[method-assign]

    async def scenario() -> None:
        mine = [asyncio.create_task(endpoint.answer_async(_job(n), "a")) for n in range(6)]
        other = asyncio.create_task(endpoint.answer_async(_job(9), "b"))
        await asyncio.sleep(0.05)
        assert sorted(started) == [0, 1, 9]  # two of a's, and b's: b is not kept waiting
        assert not any(t.done() for t in mine)  # a's others wait, none refused
        runner.release.set()
        answers = await asyncio.gather(*mine, other)
        assert all(not a.hit for a in answers)
        assert started[3:] == [2, 3, 4, 5]  # first come, first served

    asyncio.run(scenario())


def test_a_query_waiting_past_the_time_limit_or_beyond_the_queue_gets_429() -> None:
    """A client's query that waited the whole time limit for a slot, or that arrives while
    `WAITING` of its queries wait already, is `TooManyQueries` (429) with a Retry-After within
    the time limit; the slots are then free for the client's next query."""
    endpoint, runner = _held_endpoint(timeout="1")
    assert endpoint.slots is not None
    endpoint.slots.waiting = 2

    async def scenario() -> None:
        held = [asyncio.create_task(endpoint.answer_async(_job(n), "a")) for n in range(2)]
        waiting = [asyncio.create_task(endpoint.answer_async(_job(n), "a")) for n in (2, 3)]
        await asyncio.sleep(0.05)
        with pytest.raises(TooManyQueries, match="and 2 waiting") as refused:
            await endpoint.answer_async(_job(4), "a")  # the queue is full
        assert refused.value.status == 429
        assert 1 <= refused.value.retry_after <= 1
        for task in waiting:  # the time limit passes with both slots still held
            with pytest.raises(TooManyQueries, match="waited 1 s"):
                await task
        runner.release.set()
        await asyncio.gather(*held)
        assert (await endpoint.answer_async(_job(5), "a")).hit is False

    asyncio.run(scenario())


def test_a_waiting_query_given_up_leaves_its_turn_to_the_next() -> None:
    """A waiting query whose request is cancelled (the client went away) takes no slot."""
    endpoint, runner = _held_endpoint()
    assert endpoint.slots is not None

    async def scenario() -> None:
        held = [asyncio.create_task(endpoint.answer_async(_job(n), "a")) for n in range(2)]
        gone = asyncio.create_task(endpoint.answer_async(_job(2), "a"))
        nxt = asyncio.create_task(endpoint.answer_async(_job(3), "a"))
        await asyncio.sleep(0.05)
        gone.cancel()
        runner.release.set()
        await asyncio.gather(*held, nxt)
        assert gone.cancelled()
        assert endpoint.slots is not None
        assert endpoint.slots._running == {}
        assert endpoint.slots._queues == {}

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
