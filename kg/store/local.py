"""The embedded graph store: pyoxigraph, on disk as immutable snapshots, or in memory for tests.

A write never touches the snapshot readers use. `LocalStore.write()` copies the current snapshot
(RocksDB checkpoint: hard links, milliseconds), applies the changes to the copy and then publishes
it by atomically replacing the `CURRENT` pointer file. A writer killed at any point leaves
`CURRENT` naming the previous, complete snapshot, so the earlier graph keeps serving (issue 2, 8).
Readers open snapshots read-only (no process ever writes a published snapshot, so that is safe)
and switch to a newer one on their next request.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.base import GraphChange, StoreVersion
from kg.store.base import now as _now

log = logging.getLogger(__name__)

KEEP_SNAPSHOTS = 3


class LocalStore:
    """Snapshots under `root/versions/`, the published one named in `root/CURRENT`; with `root`
    None, one store in memory."""

    def __init__(self, root: Path | str | None) -> None:
        self.root = Path(root) if root is not None else None
        self._lock = threading.Lock()
        self._reader: ox.Store | None = None
        self._reader_key: tuple[int, int, str] | None = None
        self._version = StoreVersion("memory-0", _now())
        self._memory: ox.Store | None = ox.Store() if root is None else None
        if self.root is not None:
            try:
                (self.root / "versions").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create store folder {self.root}: {exc.strerror}") from exc

    # --- reading -------------------------------------------------------------------------

    @property
    def pointer(self) -> Path:
        assert self.root is not None
        return self.root / "CURRENT"

    def current(self) -> ox.Store:
        """The published snapshot, reopened when a writer has published a newer one."""
        if self._memory is not None:
            return self._memory
        try:
            st = self.pointer.stat()
        except FileNotFoundError:
            return self._empty()
        with self._lock:
            key = (st.st_mtime_ns, st.st_ino, "")
            if self._reader is None or key != self._reader_key:
                name = self.pointer.read_text().strip()
                path = self.root / "versions" / name  # type: ignore[operator]
                try:
                    self._reader = ox.Store.read_only(str(path))
                except OSError as exc:
                    raise StoreError(f"cannot open snapshot {path}: {exc}") from exc
                self._reader_key = key
                self._version = _read_meta(path, name)
            return self._reader

    def _empty(self) -> ox.Store:
        with self._lock:
            if self._reader is None or self._reader_key is not None:
                self._reader, self._reader_key = ox.Store(), None
                self._version = StoreVersion("empty", _now())
            return self._reader

    def version(self) -> StoreVersion:
        self.current()
        return self._version

    def snapshot_path(self) -> Path | None:
        """Directory of the published snapshot (worker processes open it read-only)."""
        if self.root is None or not self.pointer.exists():
            return None
        return self.root / "versions" / self.pointer.read_text().strip()

    # --- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[ox.Store]:
        """A writable copy of the current graph, published when the block ends without error."""
        if self._memory is not None:
            with self._lock:
                staging = ox.Store()
                staging.bulk_extend(self._memory)
                yield staging
                self._memory = staging
                self._version = StoreVersion(f"memory-{uuid.uuid4().hex[:8]}", _now())
            return
        assert self.root is not None
        versions = self.root / "versions"
        with _writer_lock(self.root):
            _remove_stale(versions)
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
            tmp = versions / f"{name}.tmp"
            try:
                source = self.snapshot_path()
                if source is not None:
                    ox.Store.read_only(str(source)).backup(str(tmp))
                    staging = ox.Store(str(tmp))
                else:
                    staging = ox.Store(str(tmp))
            except OSError as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                raise StoreError(f"cannot write the store at {self.root}: {exc}") from exc
            try:
                yield staging
                staging.flush()
                # the last reference when the caller has dropped its own (`apply` does): the
                # store is closed before its folder is renamed and published; one still open
                # was closed later, after the rename, at a cost of about a second
                del staging
                final = versions / name
                tmp.rename(final)
                (versions / f"{name}.json").write_text(json.dumps({"created": _now()}))
                _publish(self.pointer, name)
            except BaseException as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                if isinstance(exc, OSError):  # a full disk while loading or flushing (issue 8)
                    raise StoreError(f"cannot write the store at {self.root}: {exc}") from exc
                raise
            _prune(versions, keep=name)

    def apply(self, changes: Sequence[GraphChange]) -> int:
        """Replace or drop named graphs in one published step; returns the graphs changed."""
        if not changes:
            return 0
        with self.write() as store:
            _apply(store, changes)
            del store  # closed before `write` publishes it (`write`: the last reference)
        return len(changes)

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        with self.write() as store:
            store.bulk_extend(quads)
            del store  # as in `apply`

    def public_queries(self, timeout: float) -> LocalStore | None:
        """On disk: None, queries run in worker processes that can be killed at the limit. In
        memory the store cannot be shared with another process, so queries run in threads."""
        return self if self.root is None else None


def _apply(store: ox.Store, changes: Sequence[GraphChange]) -> None:
    """Drop replaced graphs, then load all new content in one bulk load.

    The staging snapshot is private until published, so the non-transactional bulk loader is
    safe here; atomicity comes from the pointer swap. The new content reaches the loader as one
    TriG document in which each payload, unchanged, is the body of its graph's block
    (`<graph> {` payload `}`): N-Triples is a subset of Turtle (RDF 1.1 Turtle, section 1) and
    a TriG block holds Turtle triples (RDF 1.1 TriG, section 2.2), so the store's parser puts
    every triple in its graph and no line is rewritten in Python. Graph names are checked as
    IRIs, and a payload holding `}` is first parsed as strict N-Triples, so a block can only
    close where we close it.

    Raises SyntaxError (pyoxigraph's) when a payload is not N-Triples, ValueError when a graph
    name is not an IRI.
    """
    if not changes:
        return
    # A fresh snapshot (the first ingest) has no graph to replace: skip one lookup per change.
    fresh = next(iter(store.named_graphs()), None) is None
    parts: list[str] = []
    for change in changes:
        graph = ox.NamedNode(change.graph)  # ValueError unless an IRI: no `>` to end it early
        if not fresh and store.contains_named_graph(graph):
            store.remove_graph(graph)
        if change.ntriples:
            parts += ("<", change.graph, "> {\n", _checked(change.ntriples), "\n}\n")
    if parts:
        store.bulk_load("".join(parts), format=ox.RdfFormat.TRIG)


def _checked(ntriples: str) -> str:
    """`ntriples` itself; when it holds `}`, after parsing it as N-Triples (where a `}` can
    only sit inside a literal or a comment). Raises SyntaxError when it is not N-Triples."""
    if "}" in ntriples:
        for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
            pass
    return ntriples


def _read_meta(path: Path, name: str) -> StoreVersion:
    meta = path.with_name(f"{name}.json")
    try:
        created = json.loads(meta.read_text())["created"]
    except (OSError, ValueError, KeyError):
        created = _now()
    return StoreVersion(name, created)


def _publish(pointer: Path, name: str) -> None:
    tmp = pointer.with_name(f"CURRENT.{os.getpid()}.tmp")
    with open(tmp, "w") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, pointer)
    dir_fd = os.open(pointer.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def _writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time across processes; the kernel frees the lock if the writer dies."""
    try:
        fh = open(root / ".write.lock", "a")  # noqa: SIM115 - held for the whole block below
    except OSError as exc:
        raise StoreError(f"cannot write the store at {root}: {exc.strerror}") from exc
    with fh:
        deadline = time.monotonic() + 600
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError("another ingest holds the store lock") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale(versions: Path) -> None:
    """Snapshots and pointer files a killed writer left half-written (we hold the writer lock,
    so none is live): a kill inside `_publish` leaves `CURRENT.{pid}.tmp` beside `CURRENT`."""
    for tmp in versions.glob("*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)
    for tmp in versions.parent.glob("CURRENT.*.tmp"):
        tmp.unlink(missing_ok=True)


def _prune(versions: Path, *, keep: str) -> None:
    """Keep the newest few snapshots: readers that opened an older one may still be using it."""
    names = sorted(p.name for p in versions.iterdir() if p.is_dir() and not p.suffix)
    for old in names[:-KEEP_SNAPSHOTS]:
        if old != keep:
            shutil.rmtree(versions / old, ignore_errors=True)
            (versions / f"{old}.json").unlink(missing_ok=True)
