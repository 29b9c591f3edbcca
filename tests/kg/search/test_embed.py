"""Embedders: the fake one tests use, the e5 prefixes, and a model that is not on this machine
refused with a message saying what to set. No model is loaded here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kg.search.embed import (
    E5Prefixed,
    HashEmbedder,
    ModelUnavailable,
    SentenceTransformerEmbedder,
    Vectors,
    bundled_model_path,
    model_folder,
)
from kg.settings import BUNDLED_MODEL


class Recording(E5Prefixed):
    def __init__(self, e5: bool) -> None:
        self.e5 = e5
        self.seen: list[str] = []

    def _encode(self, texts: list[str]) -> Vectors:
        self.seen += texts
        return np.ones((len(texts), 2), dtype=np.float32)


def test_e5_models_get_query_and_passage_prefixes() -> None:
    e5 = Recording(e5=True)
    e5.encode_passages(["village houses"])
    assert e5.encode_query("houses").shape == (2,)
    assert e5.seen == ["passage: village houses", "query: houses"]
    plain = Recording(e5=False)
    plain.encode_passages(["village houses"])
    plain.encode_query("houses")
    assert plain.seen == ["village houses", "houses"]


def test_the_e5_family_is_told_by_the_model_name() -> None:
    assert SentenceTransformerEmbedder("intfloat/multilingual-e5-small").e5
    assert not SentenceTransformerEmbedder(BUNDLED_MODEL).e5


def test_the_fake_embedder_is_deterministic_normalised_and_word_based() -> None:
    a, b = HashEmbedder(), HashEmbedder()
    v = a.encode_query("refugee families in villages")
    assert np.array_equal(v, b.encode_query("refugee families in villages"))
    assert float(np.linalg.norm(v)) == pytest.approx(1.0)
    near = float(v @ a.encode_query("village families"))
    far = float(v @ a.encode_query("offshore wind turbines"))
    assert near > far
    assert (a.calls, a.texts) == (3, 3)


def test_the_fake_embedder_counts_batches_and_texts() -> None:
    e = HashEmbedder(8)
    assert e.encode_passages(["a b", "c d"]).shape == (2, 8)
    assert e.encode_passages([]).shape == (0, 8)
    assert (e.calls, e.texts) == (2, 2)


def test_the_bundled_model_is_a_local_folder() -> None:
    assert model_folder(BUNDLED_MODEL) == bundled_model_path()
    assert bundled_model_path().is_dir()


def test_a_model_that_is_not_a_local_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="'org/some-model' is not a local folder") as info:
        model_folder("org/some-model")
    assert "KG_EMBED_MODEL" in info.value.message
    assert info.value.status == 503
    assert model_folder(str(tmp_path)) == tmp_path
