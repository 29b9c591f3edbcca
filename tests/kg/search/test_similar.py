"""Similar records: the nearest records of the same kind, re-ranked by the themes they share,
never the record itself, and a clear error for a record the index does not hold."""

from __future__ import annotations

import pytest

from kg.errors import NotFound
from kg.search.index import SearchIndex
from kg.search.similar import similar
from tests.kg.search.small import X


def test_similar_initiatives_exclude_the_record_and_other_kinds(small_index: SearchIndex) -> None:
    found = similar(small_index, f"{X}initiative/empty-houses")
    slugs = [s.doc.slug for s in found]
    assert "empty-houses" not in slugs
    assert sorted(slugs) == ["farm-jobs", "house-and-work", "village-school"]
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_a_shared_theme_is_named_with_its_label_and_lifts_the_record(
    small_index: SearchIndex,
) -> None:
    found = {s.doc.slug: s for s in similar(small_index, f"{X}initiative/empty-houses", lang="es")}
    assert [(v.facet, v.value, v.label) for v in found["house-and-work"].shared] == [
        ("theme", "housing", "Vivienda")
    ]
    assert found["farm-jobs"].shared == []
    # the score mixes meaning and the shared profile (Jaccard: 1 of 2 themes) half and half
    s = found["house-and-work"]
    assert s.score == pytest.approx(0.5 * s.similarity + 0.5 * 0.5, abs=1e-3)
    assert found["farm-jobs"].score == pytest.approx(0.5 * found["farm-jobs"].similarity, abs=1e-3)


def test_limit_and_other_kinds(small_index: SearchIndex) -> None:
    assert len(similar(small_index, f"{X}initiative/empty-houses", limit=1)) == 1
    found = similar(small_index, f"{X}initiative/empty-houses", kinds=("organisation", "policy"))
    assert sorted(s.doc.slug for s in found) == ["cepaim", "pact"]
    assert similar(small_index, f"{X}policy/pact") == []  # the only policy has no peer


def test_a_record_outside_the_index_is_refused_naming_it(small_index: SearchIndex) -> None:
    with pytest.raises(NotFound, match="no record http://x/id/initiative/nowhere in the search"):
        similar(small_index, f"{X}initiative/nowhere")
