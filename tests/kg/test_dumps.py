"""Dataset dumps: written once per store version, counted, and found only by their names."""

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from kg.dumps import DUMPS, dump_path, ensure_dumps
from kg.store import LocalStore


def test_dumps_are_made_once_per_version_and_the_old_ones_go(
    loaded: LocalStore, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = ensure_dumps(loaded, data)
    assert {d.name for d in first} == set(DUMPS)
    version = loaded.version().name
    nq = next(d for d in first if d.name.endswith(".nq.gz"))
    path = dump_path(data, version, nq.name)
    assert path is not None
    quads = list(ox.parse(gzip.decompress(path.read_bytes()), ox.RdfFormat.N_QUADS))
    assert len(quads) == nq.statements == len(loaded.current())
    assert ensure_dumps(loaded, data) == first  # from the manifest, not rewritten
    with loaded.write() as staging:
        staging.add(
            ox.Quad(
                ox.NamedNode("http://x/a"),
                ox.NamedNode("http://x/b"),
                ox.Literal("c"),
                ox.NamedNode("http://x/g"),
            )
        )
    ensure_dumps(loaded, data)
    assert [p.name for p in data.iterdir() if not p.name.startswith(".")] == [loaded.version().name]


def test_a_store_kept_in_the_data_folder_survives_its_dumps(tmp_path: Path) -> None:
    """`KG_STORE=/srv/kg/data/store` beside `KG_DATA_DIR=/srv/kg/data`: the first ingest had
    removed the store's snapshots with the dumps of earlier ones."""
    data = tmp_path / "data"
    store = LocalStore(data / "store")
    (data / "notes").mkdir()
    (data / "notes" / "README").write_text("mine")
    for n in range(3):  # three snapshots, each dumped; the dumps before the last go
        with store.write() as staging:
            staging.add(_quad(n))
        ensure_dumps(store, data)
    assert (data / "notes" / "README").read_text() == "mine"
    assert len(LocalStore(data / "store").current()) == 3
    folders = [p.name for p in data.iterdir() if (p / "manifest.json").exists()]
    assert folders == [store.version().name]


def _quad(n: int) -> ox.Quad:
    x = ox.NamedNode(f"http://x/{n}")
    return ox.Quad(x, ox.NamedNode("http://x/b"), ox.Literal("c"), ox.NamedNode("http://x/g"))


def test_only_known_dump_names_resolve(tmp_path: Path) -> None:
    assert dump_path(tmp_path, "v1", "../../etc/passwd") is None
    assert dump_path(tmp_path, "v1", next(iter(DUMPS))) is None  # not written yet


def test_each_dump_states_the_statements_its_file_holds(loaded: LocalStore, tmp_path: Path) -> None:
    """N-Quads: one statement per triple and graph; Turtle and JSON-LD: the distinct triples."""
    with loaded.write() as staging:  # a triple stated in two graphs, as a cited source's title is
        quad = next(iter(staging))
        staging.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode("http://x/g")))
    current = loaded.current()
    distinct = {(q.subject, q.predicate, q.object) for q in current}
    assert len(distinct) == len(current) - 1
    data = tmp_path / "data"
    formats = {
        "rikg.nq.gz": ox.RdfFormat.N_QUADS,
        "rikg.nt.gz": ox.RdfFormat.N_TRIPLES,
        "rikg.ttl.gz": ox.RdfFormat.TURTLE,
        "rikg.jsonld.gz": ox.RdfFormat.JSON_LD,
    }
    for dump in ensure_dumps(loaded, data):
        path = dump_path(data, loaded.version().name, dump.name)
        assert path is not None
        assert dump.sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), dump.name
        parsed = list(ox.parse(gzip.decompress(path.read_bytes()), formats[dump.name]))
        assert dump.statements == len(parsed), dump.name  # no statement written twice
        expected = len(current) if dump.unit == "quads" else len(distinct)
        assert dump.statements == expected, dump.name


def test_a_snapshot_dumped_before_a_format_was_added_is_dumped_again(
    loaded: LocalStore, tmp_path: Path
) -> None:
    """A snapshot whose dumps were written before the N-Triples one existed kept listing
    three files (and `rikg.nt.gz` was 404) until its data changed (a review): a manifest
    lacking a dump is written again, with every dump."""
    data = tmp_path / "data"
    version = loaded.version().name
    ensure_dumps(loaded, data)
    manifest = data / version / "manifest.json"
    old = [d for d in json.loads(manifest.read_text()) if d["name"] != "rikg.nt.gz"]
    manifest.write_text(json.dumps(old))
    (data / version / "rikg.nt.gz").unlink()
    again = ensure_dumps(loaded, data)
    assert {d.name for d in again} == set(DUMPS)
    assert dump_path(data, version, "rikg.nt.gz") is not None
