"""The answer cache: keyed by store version, bounded in entries and bytes."""

from kg.endpoint.cache import ResultCache
from kg.endpoint.execute import Answer, QueryRequest


def answer(size: int = 10, version: str = "v1") -> Answer:
    return Answer(b"x" * size, "text/csv", version)


def test_an_answer_is_found_again_under_its_key_and_counted() -> None:
    cache = ResultCache()
    key = QueryRequest("ASK {}", "text/csv", 10).key("v1")
    assert cache.get(key) is None
    cache.put(key, answer())
    assert cache.get(key) == answer()
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_new_store_version_misses_the_old_answer() -> None:
    cache = ResultCache()
    request = QueryRequest("ASK {}", "text/csv", 10)
    cache.put(request.key("v1"), answer())
    assert cache.get(request.key("v2")) is None


def test_the_least_recently_used_answer_goes_first() -> None:
    cache = ResultCache(max_entries=2)
    cache.put("a", answer())
    cache.put("b", answer())
    cache.get("a")
    cache.put("c", answer())
    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None


def test_an_answer_too_big_for_the_cache_is_not_kept_and_bytes_are_bounded() -> None:
    cache = ResultCache(max_bytes=800)
    cache.put("huge", answer(size=101))  # over an eighth of the budget
    assert cache.get("huge") is None
    for n in range(10):
        cache.put(str(n), answer(size=100))
    kept = [n for n in range(10) if cache.get(str(n)) is not None]
    assert kept == [2, 3, 4, 5, 6, 7, 8, 9]


def test_clear_forgets_everything() -> None:
    cache = ResultCache()
    cache.put("a", answer())
    cache.clear()
    assert cache.get("a") is None
