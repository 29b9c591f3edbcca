import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.graphs import triple_count
from kg.store import GraphChange, GraphStore, LocalStore

NT = '<http://x/s> <http://x/p> "{}" .\n'


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    return LocalStore(None if request.param == "memory" else tmp_path / "store")


def test_apply_replaces_exactly_one_graph(store: GraphStore) -> None:
    store.apply(
        [GraphChange("http://x/g1", NT.format(1)), GraphChange("http://x/g2", NT.format(2))]
    )
    store.apply([GraphChange("http://x/g1", NT.format(3))])
    values = {(q.graph_name.value, q.object.value) for q in store.current()}
    assert values == {("http://x/g1", "3"), ("http://x/g2", "2")}
    store.apply([GraphChange("http://x/g2", None)])
    assert triple_count(store.current()) == 1


def test_every_triple_lands_in_its_own_graph(store: GraphStore) -> None:
    """Payloads go to the loader as TriG blocks: braces in text, comments, blank lines, CRLF,
    a last line without newline and blank nodes all stay N-Triples, each in its graph."""
    text = 'budget {EUR} } <http://x/g2> { "not a graph"'
    literal = text.replace('"', '\\"')
    g1 = f'# record one }}\n\n<http://x/s> <http://x/name> "{literal}"@en .\r\n'
    g1 += "<http://x/s> <http://x/claim> _:c .\n_:c <http://x/p> <http://x/o> . # end }"
    store.apply([GraphChange("http://x/g1", g1), GraphChange("http://x/g2", NT.format(2))])
    quads = list(store.current())
    assert {q.graph_name.value for q in quads if q.object.value != "2"} == {"http://x/g1"}
    assert [q.object.value for q in quads if q.predicate.value == "http://x/name"] == [text]
    assert len(quads) == 4
    store.apply([GraphChange("http://x/g1", NT.format(3))])  # replaced whole, blank node too
    assert {(q.graph_name.value, q.object.value) for q in store.current()} == {
        ("http://x/g1", "3"),
        ("http://x/g2", "2"),
    }


def test_a_payload_cannot_write_outside_its_graph(store: GraphStore) -> None:
    store.apply([GraphChange("http://x/g1", NT.format(1))])
    escape = NT.format(2) + "} <http://x/other> { <http://x/s> <http://x/p> <http://x/o> .\n"
    with pytest.raises(SyntaxError):
        store.apply([GraphChange("http://x/g2", escape)])
    with pytest.raises(ValueError, match="IRI"):
        store.apply([GraphChange("http://x/g> { <http://x/a", NT.format(3))])
    assert {(q.graph_name.value, q.object.value) for q in store.current()} == {("http://x/g1", "1")}


def test_failed_write_publishes_nothing(store: GraphStore) -> None:
    store.apply([GraphChange("http://x/g1", NT.format(1))])
    with pytest.raises(RuntimeError), store.write() as staging:
        staging.add(
            ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c"))
        )
        raise RuntimeError("boom")
    assert triple_count(store.current()) == 1


def test_version_changes_on_write(store: GraphStore) -> None:
    before = store.version().name
    store.apply([GraphChange("http://x/g1", NT.format(1))])
    assert store.version().name != before


def test_killed_writer_leaves_previous_graph(tmp_path: Path) -> None:
    root = tmp_path / "store"
    LocalStore(root).apply([GraphChange("http://x/g1", NT.format("before"))])
    script = textwrap.dedent(f"""
        import time
        from kg.store import GraphChange, LocalStore
        store = LocalStore({str(root)!r})
        with store.write() as staging:
            staging.remove_graph(__import__("pyoxigraph").NamedNode("http://x/g1"))
            print("writing", flush=True)
            time.sleep(60)
    """)
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert line == "writing"
    reader = LocalStore(root)
    assert [q.object.value for q in reader.current()] == ["before"]
    reader.apply([GraphChange("http://x/g2", NT.format("next"))])  # the next write works
    assert triple_count(LocalStore(root).current()) == 2


def test_next_write_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    """A half-made snapshot (also RocksDB's own `.tmp.tmp` checkpoint folder) and the pointer
    file of a kill inside `_publish` (bench/fault_aimed.py lands kills there)."""
    root = tmp_path / "store"
    LocalStore(root).apply([GraphChange("http://x/g1", NT.format(1))])
    left = [root / "versions" / "1.tmp", root / "versions" / "2.tmp.tmp"]
    for folder in left:
        folder.mkdir()
        (folder / "000001.sst").write_text("half")
    (root / "CURRENT.4242.tmp").write_text("1\n")
    LocalStore(root).apply([GraphChange("http://x/g2", NT.format(2))])
    assert not [*(root / "versions").glob("*.tmp"), *root.glob("*.tmp")]
    assert triple_count(LocalStore(root).current()) == 2


def test_readers_see_new_snapshot(tmp_path: Path) -> None:
    root = tmp_path / "store"
    writer, reader = LocalStore(root), LocalStore(root)
    writer.apply([GraphChange("http://x/g1", NT.format(1))])
    assert triple_count(reader.current()) == 1
    time.sleep(0.01)
    writer.apply([GraphChange("http://x/g2", NT.format(2))])
    assert triple_count(reader.current()) == 2


def test_failed_disk_write_is_a_store_error(tmp_path: Path) -> None:
    """pyoxigraph reports a full disk as OSError while loading or flushing (issue 8)."""
    store = LocalStore(tmp_path / "store")
    store.apply([GraphChange("http://x/g1", NT.format(1))])
    with (
        pytest.raises(StoreError, match=r"cannot write the store at .*No space left"),
        store.write(),
    ):
        raise OSError("IO error: No space left on device")
    assert not list((tmp_path / "store" / "versions").glob("*.tmp"))
    assert triple_count(store.current()) == 1
