"""`search(index, query)`: one page of ranked, explained hits, the size of the whole result set,
facet counts of that set, and the closest concepts when nothing matched."""

from __future__ import annotations

from kg.search.engine import search
from kg.search.index import SearchIndex
from kg.search.rank import rank
from kg.search.types import SearchQuery


def test_a_page_of_hits_out_of_the_whole_result_set(small_index: SearchIndex) -> None:
    first = search(small_index, SearchQuery("refugee families", mode="keyword", limit=1))
    second = search(small_index, SearchQuery("refugee families", mode="keyword", limit=1, offset=1))
    assert first.total == second.total == 3  # the three records that mention refugees
    assert len(first.hits) == len(second.hits) == 1
    assert first.hits[0].doc.slug != second.hits[0].doc.slug
    assert "<mark>" in first.hits[0].snippet


def test_facets_count_the_result_set_not_the_page(small_index: SearchIndex) -> None:
    results = search(small_index, SearchQuery("refugee families", mode="keyword", limit=1))
    themes = {f.value: f.count for f in results.facets["theme"]}
    assert themes == {"housing": 3, "education": 1, "employment": 1}


def test_filters_without_words_list_the_matching_records(small_index: SearchIndex) -> None:
    results = search(small_index, SearchQuery(filters={"country": ["es"], "theme": ["employment"]}))
    assert [h.doc.slug for h in results.hits] == ["house-and-work"]
    assert [c.value for c in results.hits[0].countries] == ["ES"]
    assert [t.label for t in results.hits[0].themes] == ["Housing", "Employment"]
    assert results.understanding is None


def test_a_records_name_brings_it_first_and_marks_it(small_index: SearchIndex) -> None:
    hits = search(small_index, SearchQuery("farm jobs")).hits
    assert hits[0].doc.slug == "farm-jobs"
    assert hits[0].named
    assert not any(h.named for h in hits[1:])


def test_an_offset_past_the_end_gives_an_empty_page(small_index: SearchIndex) -> None:
    results = search(small_index, SearchQuery("refugee", mode="keyword", offset=50))
    assert results.total == 3
    assert results.hits == []


def test_nothing_matched_offers_the_concepts_close_in_meaning(small_index: SearchIndex) -> None:
    """A query about housing that the filters leave with no record is offered the theme
    Housing; nonsense is offered no concept, as every concept is as far from it as a guess."""
    results = search(small_index, SearchQuery("housing", filters={"country": ["PL"]}))
    assert results.total == 0
    assert [c.value for c in results.concepts] == ["theme:housing"]
    nonsense = search(small_index, SearchQuery("xqzvkwp", mode="keyword"))
    assert nonsense.total == 0
    assert nonsense.concepts == ()


def test_a_hit_is_close_in_meaning_only_above_the_rankings_threshold(
    small_index: SearchIndex,
) -> None:
    query = SearchQuery("refugee families housing", limit=20)
    ranking = rank(small_index, query)
    assert ranking.similarity is not None
    hits = search(small_index, query).hits
    close = {h.doc.slug: h.why.close for h in hits}
    for row in ranking.rows[:20]:
        slug = small_index.docs[int(row)].slug
        assert close[slug] == bool(ranking.similarity[row] >= ranking.near)
    assert not all(close.values())  # some hits are there for their words alone


def test_a_hit_is_tagged_with_the_themes_it_states_and_found_by_the_broader_ones() -> None:
    """A researcher read "Agriculture and food" in the downloaded row of a practice that states
    "Seasonal agricultural work" only: its tags are its own concepts; the broader one, which
    its facet holds, still finds it."""
    from tests.kg.search import small

    index = small.build()
    record = next(d for d in index.docs if d.slug == "house-and-work")
    record.stated = {"theme": ["employment"], "country": ["ES"]}  # housing: as if broader
    results = search(index, SearchQuery(filters={"theme": ["housing"]}))
    hit = next(h for h in results.hits if h.doc.slug == "house-and-work")
    assert [t.label for t in hit.themes] == ["Employment"]
    assert [c.value for c in hit.countries] == ["ES"]


def test_nothing_matched_offers_the_concepts_the_query_names(small_index: SearchIndex) -> None:
    """A French trial's "garder l'école ouverte" found nothing (two of its three words are in
    no record) and was offered nothing, though "école" names the theme Education, which alone
    finds records. A concept the query names by a label leads the topics offered, whatever
    its distance in meaning (the fake embedder's is arbitrary)."""
    results = search(small_index, SearchQuery("vivienda garderie ouvertement", lang="fr"))
    assert results.total == 0
    assert results.concepts[0].value == "theme:housing"
    assert results.concepts[0].label == "Housing"  # the small scheme has no French label
