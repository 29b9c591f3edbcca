"""The embedding cache: vectors keyed by (model name, sha256 of the exact text encoded).

One SQLite file under `settings.cache_dir`. A record whose text is unchanged is never
re-embedded (issue 4); another model has its own keys, so switching models rebuilds cleanly and
switching back costs nothing.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from kg.errors import StoreError
from kg.search.embed import Embedder, Vectors
from kg.sqlite_files import BUSY_TIMEOUT, prepare_wal

log = logging.getLogger(__name__)
BATCH = 256
SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
  model TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, sha256)
) WITHOUT ROWID
"""


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class VectorCache:
    """Vectors by (model, text hash); `path=None` keeps them in memory (tests)."""

    def __init__(self, path: Path | None) -> None:
        if path is None:
            self.db = sqlite3.connect(":memory:", check_same_thread=False)
            self.db.execute(SCHEMA)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create cache folder {path.parent}: {exc}") from exc
            prepare_wal(path, [SCHEMA])  # server processes open it together
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)

    def get(self, model: str, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT sha256, vector FROM vectors WHERE model = ? AND sha256 IN ({marks})",  # noqa: S608 - only placeholders
                [model, *chunk],
            )
            found.update(rows)
        return found

    def put(self, model: str, items: Sequence[tuple[str, bytes]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors (model, sha256, vector) VALUES (?, ?, ?)",
                [(model, k, v) for k, v in items],
            )

    def close(self) -> None:
        self.db.close()


def embed_passages(
    embedder: Embedder, texts: Sequence[str], cache: VectorCache, *, progress: bool = True
) -> tuple[Vectors, int]:
    """Vectors for `texts` (row i for text i), encoding only those not cached; returns the
    vectors and how many texts were encoded."""
    keys = [text_key(t) for t in texts]
    found = cache.get(embedder.name, sorted(set(keys)))
    # longest first, as `model.encode` orders one call: batches of similar length pad least
    pending = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
    missing = sorted(pending.items(), key=lambda kt: (-len(kt[1]), kt[0]))
    if missing:
        log.info("embedding %d new texts with %s", len(missing), embedder.name)
        bar = tqdm(
            total=len(missing), desc="embedding", unit="text", disable=not progress, leave=False
        )
        for i in range(0, len(missing), BATCH):
            chunk = missing[i : i + BATCH]
            vectors = embedder.encode_passages([t for _, t in chunk])
            items = [
                (k, v.astype(np.float32).tobytes())
                for (k, _), v in zip(chunk, vectors, strict=True)
            ]
            cache.put(embedder.name, items)
            found.update(items)
            bar.update(len(chunk))
        bar.close()
    dim = embedder.dim if not found else len(next(iter(found.values()))) // 4
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = np.frombuffer(found[k], dtype=np.float32)
    return out, len(missing)
