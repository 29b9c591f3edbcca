"""The embedder a setting names: `KG_EMBED_MODEL` on `KG_EMBED_BACKEND` (issue 15 item 5)."""

from __future__ import annotations

from pathlib import Path

from kg.search.embed import Embedder, SentenceTransformerEmbedder
from kg.search.onnx import OnnxEmbedder

#: `KG_EMBED_BACKEND` values: sentence-transformers on torch, or ONNX Runtime (`kg.search.onnx`)
BACKENDS = ("torch", "onnx", "onnx-int8")


def make_embedder(model: str, *, backend: str = "torch", onnx_dir: Path | None = None) -> Embedder:
    """The embedder of `model` on `backend`; the ONNX ones keep their export in `onnx_dir`."""
    if backend == "torch":
        return SentenceTransformerEmbedder(model)
    if backend not in BACKENDS:
        raise ValueError(f"unknown embedding backend {backend!r}; one of {', '.join(BACKENDS)}")
    return OnnxEmbedder(model, onnx_dir or Path("var/cache/onnx"), backend=backend)
