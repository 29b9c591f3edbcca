"""SQLite files that several processes open at once: the embedding cache and the shared
request budgets, both under `KG_CACHE_DIR`.

`kg serve`'s server processes start together and each opens these files at the same moment.
SQLite answers "database is locked" at once, without waiting out the connection's `timeout`,
to a connection that changes the journal mode, or turns a read into a write, while another
connection holds a lock (sqlite.org/lang_transaction.html, "If some other database connection
has already modified the database…"; sqlite.org/wal.html on changing into WAL). Setting WAL
unconditionally on open had killed a starting server process that way. `prepare_wal` is the
one safe way in.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from kg.errors import StoreError

BUSY_TIMEOUT = 10.0  # seconds a process waits for another's lock on a shared file


def prepare_wal(path: Path, schema: Sequence[str], *, timeout: float = BUSY_TIMEOUT) -> None:
    """Make the SQLite file `path` ready for concurrent use: created (folders too) if new, in
    WAL mode (which then stays in the file), every `CREATE … IF NOT EXISTS` statement of
    `schema` run.

    The mode is changed only when it is not WAL yet, and retried while locked for up to
    `timeout` seconds; the schema runs in a transaction that takes its write lock first
    (`BEGIN IMMEDIATE`, which does wait for other writers). Raises `StoreError` naming the file
    when it cannot be created or stays locked longer."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in schema:
                db.execute(statement)
        finally:
            db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot prepare {path}: {exc}") from exc
    finally:
        db.close()
