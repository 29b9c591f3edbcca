"""The bundled model through ONNX Runtime (issue 15 item 5): exported from the bundled weights
once, then reused; its vectors agree with sentence-transformers on torch."""

from pathlib import Path

import numpy as np
import pytest

from kg.search.backends import make_embedder
from kg.search.embed import SentenceTransformerEmbedder
from kg.search.onnx import OnnxEmbedder
from kg.settings import BUNDLED_MODEL

TEXTS = [
    "Families who moved to a mountain village for a job in the local dairy.",
    "Language courses and housing for refugees in sparsely populated provinces.",
    "A LEADER group funds a welcome desk in the town hall.",
    "Short.",
]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx")


@pytest.mark.parametrize(
    ("backend", "closest", "alone"), [("onnx", 0.9999, 0.9999), ("onnx-int8", 0.98, 0.99)]
)
def test_onnx_vectors_agree_with_torch(
    onnx_dir: Path, backend: str, closest: float, alone: float
) -> None:
    torch_vectors = SentenceTransformerEmbedder().encode_passages(TEXTS)
    embedder = make_embedder(BUNDLED_MODEL, backend=backend, onnx_dir=onnx_dir)
    assert embedder.name == f"{BUNDLED_MODEL}@{backend}"  # its own vector cache and index
    vectors = embedder.encode_passages(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * torch_vectors).sum(axis=1).min() >= closest
    query = embedder.encode_query(TEXTS[0])
    assert query.shape == (384,)
    # alone or in a batch: the same vector (int8: activations are quantised per batch)
    assert float(query @ vectors[0]) > alone


def test_export_is_made_once_and_reused(onnx_dir: Path) -> None:
    OnnxEmbedder(BUNDLED_MODEL, onnx_dir, backend="onnx-int8").encode_query("warm")
    files = {p: p.stat().st_mtime_ns for p in onnx_dir.rglob("*.onnx")}
    assert {p.name for p in files} == {"model.onnx", "model-int8.onnx"}
    OnnxEmbedder(BUNDLED_MODEL, onnx_dir, backend="onnx-int8").encode_query("again")
    assert {p: p.stat().st_mtime_ns for p in onnx_dir.rglob("*.onnx")} == files


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend 'gpu'"):
        make_embedder(BUNDLED_MODEL, backend="gpu")
