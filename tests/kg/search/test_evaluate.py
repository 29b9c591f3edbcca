"""Search quality metrics: graded gain for nDCG, recall and reciprocal rank."""

import math

import pytest

from kg.search.evaluate import judged_ndcg, ndcg, recall, reciprocal_rank


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
