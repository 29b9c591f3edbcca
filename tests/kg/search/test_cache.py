"""The embedding cache: a text is embedded once per model, vectors come back in the order of the
texts, survive a restart, and an unusable cache folder is a clear store error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kg.errors import StoreError
from kg.search.cache import VectorCache, embed_passages, text_key
from kg.search.embed import HashEmbedder


def test_vectors_come_back_in_the_order_of_the_texts() -> None:
    embedder = HashEmbedder()
    texts = ["village houses", "farm jobs", "village houses"]
    vectors, encoded = embed_passages(embedder, texts, VectorCache(None), progress=False)
    assert vectors.shape == (3, embedder.dim)
    assert encoded == 2  # the repeated text once
    for i, text in enumerate(texts):
        assert np.allclose(vectors[i], embedder.encode_query(text))


def test_the_cache_file_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.sqlite"
    first = HashEmbedder()
    embed_passages(first, ["village houses"], VectorCache(path), progress=False)
    again = HashEmbedder()
    vectors, encoded = embed_passages(again, ["village houses"], VectorCache(path), progress=False)
    assert (encoded, again.texts) == (0, 0)
    assert np.allclose(vectors[0], first.encode_query("village houses"))


def test_each_model_has_its_own_vectors() -> None:
    cache = VectorCache(None)
    embed_passages(HashEmbedder(name="model-a"), ["farm jobs"], cache, progress=False)
    other = HashEmbedder(32, name="model-b")
    vectors, encoded = embed_passages(other, ["farm jobs"], cache, progress=False)
    assert encoded == 1
    assert vectors.shape == (1, 32)
    assert set(cache.get("model-a", [text_key("farm jobs")])) == {text_key("farm jobs")}


def test_no_texts_give_no_vectors() -> None:
    vectors, encoded = embed_passages(HashEmbedder(16), [], VectorCache(None), progress=False)
    assert (vectors.shape, encoded) == ((0, 16), 0)


def test_a_cache_folder_that_cannot_be_made_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=f"cannot create cache folder {blocker}"):
        VectorCache(blocker / "vectors.sqlite")
