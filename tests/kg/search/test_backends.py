"""Choosing the embedder from the settings: torch or ONNX, and a clear error for anything else.
Nothing here loads a model (embedders load on first use)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.search.backends import BACKENDS, make_embedder
from kg.search.embed import SentenceTransformerEmbedder
from kg.search.onnx import OnnxEmbedder


def test_torch_is_the_default_backend() -> None:
    embedder = make_embedder("intfloat/multilingual-e5-small")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == "intfloat/multilingual-e5-small"


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_onnx_backends_keep_their_export_in_the_folder_given(tmp_path: Path, backend: str) -> None:
    embedder = make_embedder("some-model", backend=backend, onnx_dir=tmp_path)
    assert isinstance(embedder, OnnxEmbedder)
    assert embedder.name == f"some-model@{backend}"  # its vectors never mix with torch's
    assert embedder.onnx_dir == tmp_path


def test_an_unknown_backend_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend 'tensorflow'") as info:
        make_embedder("some-model", backend="tensorflow")
    assert all(b in str(info.value) for b in BACKENDS)
