"""Search quality metrics: graded gain for nDCG, recall and reciprocal rank."""

import math

import pytest

from kg.search.evaluate import ndcg, recall, reciprocal_rank


def test_metrics_use_graded_gain() -> None:
    relevant = {"a": 2, "b": 1}
    assert ndcg(["a", "b"], relevant) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg(["b", "a"], relevant) == pytest.approx(swapped)
    assert recall(["x", "b"], relevant) == 0.5
    assert reciprocal_rank(["x", "y", "b"], relevant) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], relevant) == 0.0
