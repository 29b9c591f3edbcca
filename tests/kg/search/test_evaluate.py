"""Search quality metrics: graded gain for nDCG, recall and reciprocal rank."""

import math
from pathlib import Path

import pytest

from kg.errors import BadRequest
from kg.search.evaluate import judged_ndcg, load_queries, ndcg, recall, reciprocal_rank


def test_metrics_use_graded_gain() -> None:
    relevant = {"a": 2, "b": 1}
    assert ndcg(["a", "b"], relevant) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg(["b", "a"], relevant) == pytest.approx(swapped)
    assert recall(["x", "b"], relevant) == 0.5
    assert reciprocal_rank(["x", "y", "b"], relevant) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], relevant) == 0.0


def test_judged_ndcg_leaves_out_the_records_the_file_does_not_judge() -> None:
    relevant = {"a": 2, "b": 1}
    # an unjudged record above the judged ones lowers nDCG, not nDCG'
    assert ndcg(["x", "a", "b"], relevant) < 1.0
    assert judged_ndcg(["x", "a", "b"], relevant) == pytest.approx(1.0)
    # judged records in the wrong order, or one judged irrelevant above them, lower both
    assert judged_ndcg(["b", "x", "a"], relevant) == pytest.approx(ndcg(["b", "a"], relevant))
    assert judged_ndcg(["z", "a", "b"], {**relevant, "z": 0}) < 1.0


def test_a_file_may_judge_a_record_not_relevant_but_no_other_grade(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"q": "farm work", "relevant": {"a": 2, "b": 0}}\n')
    (judged,) = load_queries(path)
    # a record read and found not to answer is judged: it stays out of recall, in nDCG'
    assert recall(["b", "a"], judged.relevant) == 1.0
    assert judged_ndcg(["b", "a"], judged.relevant) < 1.0
    path.write_text('{"q": "farm work", "relevant": {"a": 2}}\n{"q": "x", "relevant": {"b": 3}}\n')
    with pytest.raises(BadRequest, match=r"q\.jsonl:2: .*grade 3 is not 0, 1 or 2"):
        load_queries(path)


def test_the_pool_holds_every_unjudged_record_of_any_modes_first_ten() -> None:
    from kg.search.evaluate import Judged, QueryResult, pool

    q = Judged("farm work", {"a": 2, "b": 0})
    nav = Judged("Alpine Welcome", {}, top="alpine-welcome")

    def ranked(mode: str, query: Judged, slugs: list[str]) -> QueryResult:
        return QueryResult(query, mode, slugs, 0.0, 0.0, 0.0)

    results = [
        ranked("hybrid", q, ["a", "z", "b", *(f"h{n}" for n in range(7)), "past-ten"]),
        ranked("keyword", q, ["c", "a"]),
        ranked("vector", q, ["a", "b"]),
        ranked("hybrid", nav, ["other"]),  # navigational: judged by its `top`, not pooled
    ]
    pooled = pool(results)
    # judged records (a 0 included) and the eleventh are not asked again; slugs sorted, so
    # the list does not tell the assessor which ranked first
    assert pooled == {"farm work": ["c", *(f"h{n}" for n in range(7)), "z"]}
    assert pool(results[2:3]) == {}  # nothing left to judge: the query is not listed
