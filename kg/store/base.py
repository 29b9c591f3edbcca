"""What every graph store offers the application: the `GraphStore` protocol and its value types.

Two stores implement it: `kg.store.local.LocalStore` (embedded pyoxigraph, immutable snapshots
on disk or one store in memory) and `kg.store.remote.RemoteStore` (any SPARQL 1.1 store over
HTTP). `kg.store.open_store(settings)` picks one; nothing outside `kg.store` asks which it got.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox


@dataclass(frozen=True)
class GraphChange:
    """Replace one named graph with an N-Triples payload, or drop it when `ntriples` is None."""

    graph: str
    ntriples: str | None


@dataclass(frozen=True)
class StoreVersion:
    """One published state of the graph: `name` changes with every write; `created` is an ISO
    8601 timestamp (seconds, UTC)."""

    name: str
    created: str

    @property
    def etag(self) -> str:
        return self.name


class GraphStore(Protocol):
    """The graph as the application sees it: read the current version, write a new one."""

    root: Path | None  # folder of the on-disk snapshots; None in memory or in a remote store

    def current(self) -> ox.Store:
        """The graph to query now (a pyoxigraph `Store`, or an object answering like one)."""
        ...

    def version(self) -> StoreVersion:
        """The version `current()` serves; caches (ETags, answers, index, dumps) key on it."""
        ...

    def snapshot_path(self) -> Path | None:
        """Directory of the published snapshot that worker processes open read-only; None when
        there is none to open."""
        ...

    def write(self) -> AbstractContextManager[ox.Store]:
        """A writable view of the graph; changes are published when the block ends."""
        ...

    def apply(self, changes: Sequence[GraphChange]) -> int:
        """Replace or drop named graphs; returns the number of graphs changed."""
        ...

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as one write."""
        ...

    def public_queries(self, timeout: float) -> GraphStore | None:
        """How public SPARQL queries run: None when they must run in worker processes that open
        `snapshot_path()` (so one past `timeout` seconds can be killed); otherwise the store to
        query from threads of this process, each query waiting at most `timeout` seconds."""
        ...


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
