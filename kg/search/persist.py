"""Saving and loading the search index (`kg.search.index.SearchIndex`) beside the embedding
cache.

The index is saved as one `.npy` file per array (vectors, BM25 matrix, the languages of the
record's own texts that hold each of its entries: `SearchIndex.own`) and `index.json`
(documents, concepts, vocabulary) in `{cache_dir}/index/{model}/{store version}/`, so a server
starts without re-reading the graph, and a changed graph or model never serves a stale index.
The arrays are memory-mapped when loaded, so several server processes share one copy (issue 15).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from kg.search.documents import Concept, SearchDoc
from kg.search.index import FORMAT, SearchIndex
from kg.search.text import ANALYZER

#: how many saved indexes of one model are kept: a server may still be loading the previous one
KEEP_INDEXES = 2


def index_dir(cache_dir: Path, model: str, version: str) -> Path:
    """Where the index of store `version` with `model`, this analyser and this saved layout
    (`FORMAT`) is saved: an index another layout wrote is in another folder, never taken for
    current (after a `FORMAT` change, one that was kept the old folder's name was found
    complete, not read, and rebuilt in every process at every start without being saved)."""
    return cache_dir / "index" / _safe(model) / f"{_safe(version)}-a{ANALYZER}-f{FORMAT}"


ARRAYS = ("vectors", "bm25_data", "bm25_indices", "bm25_indptr", "bm25_own")


def save_index(index: SearchIndex, cache_dir: Path) -> Path:
    """Write the index atomically (a folder renamed into place) and prune older ones.

    Arrays go to one `.npy` file each, so `load_index` can map them read-only: the server
    processes of `kg serve --workers N` then share one copy of the vectors and the BM25 matrix
    in the page cache instead of holding N (issue 15). When another process saved the same
    index meanwhile, its folder is kept and ours dropped (same store version, same content)."""
    target = index_dir(cache_dir, index.model, index.version)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    scores = index.bm25.scores if index.docs else {}
    arrays = {
        "vectors": np.asarray(index.vectors, dtype=np.float32),
        "bm25_data": scores.get("data", np.zeros(0, np.float32)),
        "bm25_indices": scores.get("indices", np.zeros(0, np.int32)),
        "bm25_indptr": scores.get("indptr", np.zeros(1, np.int32)),
        "bm25_own": np.asarray(index.own, dtype=np.uint8),
    }
    for name, array in arrays.items():
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
    meta = {
        "format": FORMAT,
        "version": index.version,
        "model": index.model,
        "bm25": {"k1": index.bm25.k1, "b": index.bm25.b, "method": index.bm25.method},
        "vocab": index.bm25.vocab_dict if index.docs else {},
        "docs": [d.to_json() for d in index.docs],
        "words": index.words,
        "spellings": index.spellings,
        "written_in": {key: sorted(ws) for key, ws in index.written_in.items()},
        "concepts": [c.__dict__ for c in index.concepts.values()],
    }
    # index.json last: its presence marks a complete folder (`SearchService.is_current`)
    (tmp / "index.json").write_text(json.dumps(meta, ensure_ascii=False))
    if (target / "index.json").exists():
        shutil.rmtree(tmp, ignore_errors=True)
        return target
    shutil.rmtree(target, ignore_errors=True)
    try:
        tmp.rename(target)
    except OSError:  # another process renamed its copy into place first
        shutil.rmtree(tmp, ignore_errors=True)
        return target
    _prune(target.parent, keep=target.name)
    return target


def load_index(cache_dir: Path, model: str, version: str) -> SearchIndex | None:
    """The saved index of this model and store version, or None when there is none.

    Its arrays are memory-mapped read-only (`np.load(mmap_mode="r")`): pages are read on use
    and shared by every process that maps the same files; writing to them raises ValueError."""
    folder = index_dir(cache_dir, model, version)
    try:
        meta = json.loads((folder / "index.json").read_text())
        if meta.get("format") != FORMAT:
            return None
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
    except (OSError, ValueError):
        return None
    docs = [SearchDoc.from_json(d) for d in meta["docs"]]
    concepts = {c["iri"]: Concept(**_concept_args(c)) for c in meta["concepts"]}
    bm25 = bm25s.BM25(**meta["bm25"])
    bm25.vocab_dict = meta["vocab"]
    bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
    bm25.nonoccurrence_array = None
    bm25.scores = {
        "data": arrays["bm25_data"],
        "indices": arrays["bm25_indices"],
        "indptr": arrays["bm25_indptr"],
        "num_docs": len(docs),
    }
    vectors = arrays["vectors"]  # float32 as saved; mapped, not copied
    words = {str(w): int(n) for w, n in meta.get("words", {}).items()}
    spellings = {
        str(f): {str(w): int(n) for w, n in spelt.items()}
        for f, spelt in meta.get("spellings", {}).items()
    }
    return SearchIndex(
        meta["version"],
        meta["model"],
        docs,
        concepts,
        vectors,
        bm25,
        None,
        words,
        spellings,
        own=arrays["bm25_own"],
        written_in={str(k): frozenset(map(str, ws)) for k, ws in meta["written_in"].items()},
    )


def _concept_args(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["alt_labels"] = [tuple(pair) for pair in data.get("alt_labels", [])]
    return data


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "_"


def _prune(folder: Path, *, keep: str) -> None:
    """Keep the newest few indexes: a server may still be loading the previous one. Folders
    another process is still writing (`*.tmp-{pid}`) are left alone while that process runs."""
    olds = sorted(
        (p for p in folder.iterdir() if p.is_dir() and p.name != keep and not _being_written(p)),
        key=lambda p: p.stat().st_mtime,
    )
    for old in olds[: max(0, len(olds) - (KEEP_INDEXES - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def _being_written(folder: Path) -> bool:
    _, tmp, pid = folder.name.rpartition(".tmp-")
    if not tmp or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
