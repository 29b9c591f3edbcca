"""The search service keeps the index of a store current: built once per store version (saved,
then loaded by the next process without embedding), rebuilt after a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.errors import NotFound, StoreError
from kg.search.cache import VectorCache
from kg.search.embed import HashEmbedder
from kg.search.service import SearchService
from kg.search.types import SearchQuery
from kg.settings import Settings
from kg.store import LocalStore
from tests.conftest import BASE


def service(store: LocalStore, settings: Settings, embedder: HashEmbedder) -> SearchService:
    return SearchService(store, settings, embedder=embedder, cache=VectorCache(None))


def test_the_first_refresh_builds_and_saves_the_next_has_nothing_to_do(
    loaded: LocalStore, settings: Settings
) -> None:
    embedder = HashEmbedder()
    first = service(loaded, settings, embedder)
    assert not first.is_current()
    encoded = first.refresh(progress=False)
    assert encoded is not None
    assert encoded > 0
    assert first.is_current()
    assert first.refresh(progress=False) is None


def test_another_process_loads_the_saved_index_without_embedding(
    loaded: LocalStore, settings: Settings
) -> None:
    service(loaded, settings, HashEmbedder()).refresh(progress=False)
    fresh = HashEmbedder()
    other = service(loaded, settings, fresh)
    assert other.is_current()
    hits = other.search(SearchQuery("refugee families", mode="keyword")).hits
    assert [h.doc.slug for h in hits] == ["village-welcome"]
    assert fresh.texts == 0  # no passage embedded (keyword mode embeds no query either)


def test_a_write_to_the_store_gives_a_new_index(
    loaded: LocalStore, settings: Settings, records_dir: Path
) -> None:
    svc = service(loaded, settings, HashEmbedder())
    before = svc.index()
    extra = records_dir / "initiative" / "farm-jobs.md"
    extra.write_text(
        "---\nname: Farm Jobs\ninitiative_type: local-practice\ncountries: [IT]\n"
        'sources:\n  a: {url: "https://example.org/a"}\n---\nMigrants find farm jobs.\n'
    )
    ingest_records(loaded, [records_dir], base=BASE)
    after = svc.index()
    assert after.version != before.version
    assert f"{BASE}id/initiative/farm-jobs" in after.positions
    assert [s.doc.slug for s in svc.similar(f"{BASE}id/initiative/farm-jobs")] == [
        "village-welcome"
    ]


def test_similar_to_an_unknown_record_is_not_found(loaded: LocalStore, settings: Settings) -> None:
    with pytest.raises(NotFound):
        service(loaded, settings, HashEmbedder()).similar(f"{BASE}id/initiative/nowhere")


def test_a_cache_folder_that_cannot_be_made_is_a_store_error(
    loaded: LocalStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    settings = Settings.from_env({"KG_STORE": "memory"}, cache_dir=blocker / "cache")
    with pytest.raises(StoreError, match="cannot create the search index lock"):
        service(loaded, settings, HashEmbedder()).index()


def test_the_same_search_is_answered_once_per_store_version(
    loaded: LocalStore, settings: Settings, records_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.search.service as module

    ranked: list[str] = []
    real = module.search

    def counting(index: object, query: SearchQuery) -> object:
        ranked.append(query.text)
        return real(index, query)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "search", counting)
    svc = service(loaded, settings, HashEmbedder())
    query = SearchQuery("refugee families", mode="keyword", filters={"country": ["ES"]})
    first = svc.search(query)
    again = svc.search(SearchQuery("refugee families", mode="keyword", filters={"country": ["ES"]}))
    assert again is first
    assert ranked == ["refugee families"]
    svc.search(SearchQuery("refugee families", mode="keyword", offset=10))  # another page
    assert len(ranked) == 2

    # after an ingest the answer is the new graph's, not the kept one
    extra = records_dir / "initiative" / "refugee-families-farm.md"
    extra.write_text(
        "---\nname: Refugee Families Farm\ninitiative_type: local-practice\ncountries: [ES]\n"
        'sources:\n  a: {url: "https://example.org/a"}\n---\nRefugee families farm together.\n'
    )
    ingest_records(loaded, [records_dir], base=BASE)
    after = svc.search(query)
    assert len(ranked) == 3
    assert "refugee-families-farm" in [h.doc.slug for h in after.hits]
    assert "refugee-families-farm" not in [h.doc.slug for h in first.hits]


def test_no_search_is_kept_when_the_cache_is_off(loaded: LocalStore, settings: Settings) -> None:
    svc = service(loaded, settings.model_copy(update={"search_cache": 0}), HashEmbedder())
    query = SearchQuery("refugee families", mode="keyword")
    assert svc.search(query) is not svc.search(query)


def test_a_filter_given_by_its_label_finds_what_its_code_finds(
    loaded: LocalStore, settings: Settings
) -> None:
    svc = service(loaded, settings, HashEmbedder())
    coded = svc.search(SearchQuery("refugees", mode="keyword", filters={"country": ["ES"]}))
    named = svc.search(SearchQuery("refugees", mode="keyword", filters={"country": ["Spain"]}))
    assert coded.total > 0
    assert [h.doc.iri for h in named.hits] == [h.doc.iri for h in coded.hits]
    assert svc.resolve(SearchQuery("", filters={"country": ["España"]})).filters == {
        "country": ("ES",)
    }
