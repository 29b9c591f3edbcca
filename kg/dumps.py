"""Whole-dataset dumps for harvesters (issue 6), regenerated when the store changes.

Dumps live in `KG_DATA_DIR/{snapshot}/` with a `manifest.json` giving each file's size and
triple (or quad) count, so the VoID description can state them without re-reading the files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import formats
from kg.export import export_graph
from kg.store import GraphStore

log = logging.getLogger(__name__)

#: file name → (export format, media type, what a statement is): the N-Quads dump holds one
#: statement per triple and named graph, N-Triples, Turtle and JSON-LD the distinct triples of
#: the union (N-Triples a line each, for tools that read a dump line by line or split it)
DUMPS = {
    "rikg.nq.gz": ("nq", "application/n-quads", "quads"),
    "rikg.nt.gz": ("nt", "application/n-triples", "triples"),
    "rikg.ttl.gz": ("turtle", "text/turtle", "triples"),
    "rikg.jsonld.gz": ("jsonld", "application/ld+json", "triples"),
}


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    bytes: int
    statements: int
    unit: str
    sha256: str = ""  # of the file as served (gzip); "" in a manifest written before it was kept


def ensure_dumps(store: GraphStore, data_dir: Path) -> list[Dump]:
    """Dumps for the current snapshot, written once per snapshot (atomically, by rename), and
    again when its manifest lacks one of `DUMPS` (a snapshot dumped by an earlier version).

    The dumps of earlier snapshots are removed: the folders of `data_dir` holding a
    `manifest.json`, and nothing else (a store or a folder of one's own kept in `data_dir`
    stays; one had been emptied by the first ingest)."""
    version = store.version().name
    folder = data_dir / version
    manifest = folder / "manifest.json"
    if manifest.exists():
        kept = [Dump(**d) for d in json.loads(manifest.read_text())]
        if {d.name for d in kept} == set(DUMPS):
            return kept
        # written before a format was added (the N-Triples dump): written again, whole
        shutil.rmtree(folder, ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{version}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    current = store.current()
    dumps = []
    for name, (fmt, media, unit) in DUMPS.items():
        data = export_graph(current, fmt)
        count = _count(data, fmt)
        # no time in the gzip header: the same snapshot gives the same bytes whenever written
        packed = gzip.compress(data, compresslevel=6, mtime=0)
        (tmp / name).write_bytes(packed)
        digest = hashlib.sha256(packed).hexdigest()
        dumps.append(Dump(name, media, len(packed), count, unit, digest))
    (tmp / "manifest.json").write_text(json.dumps([asdict(d) for d in dumps], indent=1))
    try:
        tmp.rename(folder)
    except OSError:  # another process won the race: theirs is as good as ours
        shutil.rmtree(tmp, ignore_errors=True)
    for old in data_dir.iterdir():  # earlier snapshots' dumps: only folders this wrote
        if (
            old.name != version
            and not old.name.startswith(".")
            and (old / "manifest.json").exists()
        ):
            shutil.rmtree(old, ignore_errors=True)
    return dumps


def dump_path(data_dir: Path, version: str, name: str) -> Path | None:
    """Path of a dump by name; None for anything not in DUMPS (no path traversal)."""
    if name not in DUMPS:
        return None
    path = data_dir / version / name
    return path if path.exists() else None


def _count(data: bytes, fmt: str) -> int:
    """The statements the file holds, as a parser reads them: distinct quads of an N-Quads
    file, distinct triples of an N-Triples, Turtle or JSON-LD one (`fmt`: a name of
    `kg.formats`)."""
    named = formats.by_name(fmt, formats.GRAPH_FORMATS)
    if named is None or named.rdf is None:
        raise ValueError(f"no RDF format named {fmt!r}")
    return len(set(ox.parse(data, named.rdf)))
