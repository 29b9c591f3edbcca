"""Saving and loading the search index: one folder per model and store version, its arrays
memory-mapped, with the deterministic fake embedder."""

from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import ingest_records
from kg.search import SearchQuery, search
from kg.search.embed import HashEmbedder
from kg.search.index import SearchIndex
from kg.search.persist import index_dir, load_index, save_index
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import BASE
from tests.kg.search.small import service


def test_another_model_has_its_own_cache_and_index(
    disk_store: GraphStore, settings: Settings, records_dir: Path
) -> None:
    ingest_records(disk_store, [records_dir], base=BASE)
    default = HashEmbedder()
    built = service(disk_store, settings, default).refresh(progress=False)
    other = HashEmbedder(32, name="hash-32")
    assert service(disk_store, settings, other).refresh(progress=False) == built
    assert other.texts == default.texts
    version = disk_store.version().name
    for model in ("hash-64", "hash-32"):
        assert (index_dir(settings.cache_dir, model, version) / "index.json").exists()

    # the first model's vectors are still cached: rebuilding its index embeds nothing
    index = index_dir(settings.cache_dir, "hash-64", version)
    for f in index.iterdir():
        f.unlink()
    back = HashEmbedder()
    assert service(disk_store, settings, back).refresh(progress=False) == 0
    assert back.calls == 0


def test_saved_index_answers_like_the_built_one(
    disk_store: GraphStore, settings: Settings, records_dir: Path
) -> None:
    ingest_records(disk_store, [records_dir], base=BASE)
    built = service(disk_store, settings, HashEmbedder()).index()
    loaded = load_index(settings.cache_dir, "hash-64", disk_store.version().name)
    assert loaded is not None
    loaded.embedder = HashEmbedder()
    query = SearchQuery("refugee families in villages", filters={"country": ["ES"]})
    a, b = search(built, query), search(loaded, query)
    assert [(h.doc.iri, h.score, h.snippet) for h in a.hits] == [
        (h.doc.iri, h.score, h.snippet) for h in b.hits
    ]
    assert a.facets == b.facets
    assert (loaded.vectors == built.vectors).all()
    assert loaded.spellings == built.spellings  # how the records write accented words


def test_saved_index_is_mapped_read_only_and_built_once_per_version(
    disk_store: GraphStore, settings: Settings, records_dir: Path
) -> None:
    """Several server processes share one copy of the arrays (issue 15): the service serves the
    saved, memory-mapped index, and a second service of the same version embeds nothing."""
    ingest_records(disk_store, [records_dir], base=BASE)
    first = service(disk_store, settings, HashEmbedder())
    index = first.index()
    assert isinstance(index.vectors, np.memmap)
    assert isinstance(index.bm25.scores["data"], np.memmap)
    assert isinstance(index.own, np.memmap)
    with pytest.raises(ValueError, match="read-only"):
        index.vectors[0, 0] = 1.0
    embedder = HashEmbedder()
    second = service(disk_store, settings, embedder)
    assert len(second.index()) == len(index)
    assert embedder.calls == 0
    folder = index_dir(settings.cache_dir, "hash-64", disk_store.version().name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "bm25_data.npy",
        "bm25_indices.npy",
        "bm25_indptr.npy",
        "bm25_own.npy",
        "index.json",
        "vectors.npy",
    ]


def test_an_index_another_layout_saved_is_replaced_not_rebuilt_at_every_start(
    disk_store: GraphStore, settings: Settings, records_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the saved layout changed (`FORMAT`), the old folder was found complete and never
    replaced: each server process rebuilt the index at every start, in its own memory."""
    from kg.search import persist

    ingest_records(disk_store, [records_dir], base=BASE)
    version = disk_store.version().name
    monkeypatch.setattr(persist, "FORMAT", persist.FORMAT - 1)
    service(disk_store, settings, HashEmbedder()).index()  # saved by the previous layout
    monkeypatch.undo()
    upgraded = service(disk_store, settings, HashEmbedder())
    assert not upgraded.is_current()
    upgraded.index()
    assert load_index(settings.cache_dir, "hash-64", version) is not None  # saved, readable
    assert isinstance(service(disk_store, settings, HashEmbedder()).index().vectors, np.memmap)


def test_the_own_text_flags_survive_saving(tmp_path: Path, small_index: SearchIndex) -> None:
    """`SearchIndex.own` is saved and mapped back with the BM25 matrix it is aligned with."""
    index = small_index
    assert len(set(index.own.tolist())) > 1  # something to lose
    assert index.written_in
    save_index(index, tmp_path)
    loaded = load_index(tmp_path, index.model, index.version)
    assert loaded is not None
    assert loaded.own.tolist() == index.own.tolist()
    assert len(loaded.own) == len(loaded.bm25.scores["indices"])
    assert loaded.written_in == index.written_in
