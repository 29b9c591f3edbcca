"""A SQLite file several processes prepare at the same moment (server processes starting)."""

import multiprocessing
import multiprocessing.synchronize
import sqlite3
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.sqlite_files import prepare_wal

SCHEMA = ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER)"]


def _prepare_and_write(path: Path, key: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    prepare_wal(path, SCHEMA)
    with sqlite3.connect(path, timeout=10) as db:
        db.execute("INSERT INTO t VALUES (?, 1)", (key,))


def test_processes_preparing_one_new_file_together_all_succeed(tmp_path: Path) -> None:
    fork = multiprocessing.get_context("fork")
    for round_ in range(25):
        path = tmp_path / f"shared-{round_}.sqlite"
        barrier = fork.Barrier(6)
        processes = [
            fork.Process(target=_prepare_and_write, args=(path, str(i), barrier)) for i in range(6)
        ]
        for p in processes:
            p.start()
        for p in processes:
            p.join(60)
        assert [p.exitcode for p in processes] == [0] * 6, f"round {round_}"
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 6


def test_preparing_again_keeps_what_the_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "shared.sqlite"  # folders are created
    prepare_wal(path, SCHEMA)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO t VALUES ('a', 1)")
    prepare_wal(path, SCHEMA)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT k FROM t").fetchall() == [("a",)]


def test_a_file_held_locked_past_the_timeout_is_a_store_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    prepare_wal(path, SCHEMA)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match=f"cannot prepare {path}: database is locked"):
            prepare_wal(path, SCHEMA, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
