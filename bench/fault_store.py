"""Faults of the store (issue 8): ingests killed with SIGKILL, and a store that cannot be written.

Each run works on copies: a folder of the bundled records ("before"), a changed copy ("after":
some descriptions edited, a record added, one removed) and a store holding the before graph.
A clean, uninterrupted ingest of the changes gives the expected after graph and the duration
from which kill delays are drawn. Graphs are compared by digest of their quads, leaving out
`prov:generatedAtTime` (the ingest time stamps each record graph).
"""

from __future__ import annotations

import fcntl
import hashlib
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.live import kg_env
from kg.settings import PROJECT_ROOT
from kg.store import LocalStore

#: one base URI for every store and server of a run, so stores can be copied between them
BASE = "http://127.0.0.1:8000/"
KG = [sys.executable, "-m", "cli.main"]
INGEST = [*KG, "ingest", "--no-index"]
GENERATED_AT = "<http://www.w3.org/ns/prov#generatedAtTime>"
#: quads in named graphs: what the SPARQL count of the live runs asks
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class State:
    """A store's content: each named graph's digest, and the number of quads in named graphs."""

    graphs: dict[str, str]
    quads: int
    version: str

    def lost_from(self, expected: State) -> int:
        """Graphs of `expected` that are missing here or differ."""
        return sum(1 for g, d in expected.graphs.items() if self.graphs.get(g) != d)


@dataclass(frozen=True)
class Workspace:
    root: Path
    before: Path  # records folder
    after: Path
    base: Path  # holds store/ and data/ with the before graph: copied, never written
    cache: Path  # embedding cache shared by the servers of the run
    changes: list[str]
    expected_before: State
    expected_after: State
    ingest_secs: float  # the clean before → after ingest, process start to exit


def read_state(store: Path) -> State:
    graph_store = LocalStore(store)
    lines: dict[str, list[str]] = {}
    quads = 0
    for q in graph_store.current():
        quads += not isinstance(q.graph_name, ox.DefaultGraph)
        if str(q.predicate) != GENERATED_AT:
            lines.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object}")
    graphs = {
        g: hashlib.sha256("\n".join(sorted(ls)).encode()).hexdigest()[:16]
        for g, ls in lines.items()
    }
    return State(graphs, quads, graph_store.version().name)


def ingest_env(folder: Path, records: Path, *, cache: Path, **extra: str) -> dict[str, str]:
    """`kg_env` of the live tests with this run's base URI, records and shared cache."""
    return kg_env(
        folder,
        int(extra.pop("port", "8000")),
        KG_BASE_URI=BASE,
        KG_RECORDS_DIR=str(records),
        KG_CACHE_DIR=str(cache),
        **extra,
    )


def copy_base(ws: Workspace, folder: Path) -> None:
    """`folder/store` and `folder/data` as copies of the before store."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("store", "data"):
        shutil.copytree(ws.base / name, folder / name, symlinks=True)


def change_records(folder: Path, rng: random.Random) -> list[str]:
    """Edit five descriptions, add a record (a renamed copy), remove an unreferenced one."""
    files = sorted(folder.glob("*/*.md"))
    texts = {p: p.read_text() for p in files}
    unreferenced = [
        p
        for p in files
        if p.parent.name == "initiative"
        and p.stem != "matilde"  # the live runs fetch its page
        and not any(re.search(rf"\b{p.stem}\b", t) for q, t in texts.items() if q != p)
    ]
    removed = rng.choice(unreferenced)
    removed.unlink()
    changes = [f"removed {removed.parent.name}/{removed.stem}"]
    template = rng.choice([p for p in unreferenced if p != removed])
    added = folder / "initiative" / "fault-run-copy.md"
    text = re.sub(r"(?m)^name: .*$", "name: Fault Run Copy", texts[template], count=1)
    added.write_text(re.sub(r"(?m)^acronym: .*$", "acronym: FRC", text, count=1))
    changes.append(f"added initiative/{added.stem} (copy of {template.stem})")
    for path in rng.sample([p for p in files if p not in (removed, template)], 5):
        with path.open("a") as fh:
            fh.write(f"\n\nEdited by the fault run ({rng.randrange(10**6)}).\n")
        changes.append(f"edited {path.parent.name}/{path.stem}")
    return changes


def run_kg(
    args: list[str], env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def copy_records(target: Path, *, only: Sequence[str] = ()) -> None:
    """The bundled records; with `only`, those initiatives and every record they name (a small
    set that still validates, for the short CI run)."""
    files = sorted((PROJECT_ROOT / "ingest" / "records").glob("*/*.md"))
    keep = set(files)
    if only:
        texts = {p: p.read_text() for p in files}
        keep = {p for p in files if p.parent.name == "initiative" and p.stem in only}
        while new := {
            q
            for p in keep
            for q in files
            if q not in keep and re.search(rf"\b{q.stem}\b", texts[p])
        }:
            keep |= new
    for path in keep:
        (target / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.parent.name / path.name)


def prepare(root: Path, *, seed: int, only: Sequence[str] = ()) -> Workspace:
    """Record folders, the before store, and the expected after graph from a clean ingest."""
    before, after = root / "records-before", root / "records-after"
    copy_records(before, only=only)
    shutil.copytree(before, after)
    changes = change_records(after, random.Random(seed))
    cache = root / "cache"
    cache.mkdir(parents=True)
    # vectors are keyed by model and text: the project's cache spares the servers re-embedding
    seed_cache = PROJECT_ROOT / "var" / "cache" / "embeddings.sqlite"
    if seed_cache.exists():
        shutil.copy(seed_cache, cache / seed_cache.name)
    base = root / "base"
    done = run_kg(INGEST, ingest_env(base, before, cache=cache))
    if done.returncode != 0:
        raise RuntimeError(f"ingest of the bundled records failed: {done.stderr}")
    ws = Workspace(root, before, after, base, cache, changes, read_state(base / "store"),
                   read_state(base / "store"), 0.0)  # fmt: skip
    ref = root / "reference"
    copy_base(ws, ref)
    started = time.perf_counter()
    done = run_kg(INGEST, ingest_env(ref, after, cache=cache))
    secs = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"ingest of the changed records failed: {done.stderr}")
    expected_after = read_state(ref / "store")
    assert expected_after.graphs != ws.expected_before.graphs
    shutil.rmtree(ref)
    return Workspace(
        root, before, after, base, cache, changes, ws.expected_before, expected_after, secs
    )


@dataclass(frozen=True)
class KillTrial:
    delay: float  # seconds after the ingest process started
    finished_first: bool  # the ingest had exited before the kill
    staging_left: bool  # killed while writing: a half-written snapshot was left behind
    seen: str  # "before", "after" or "mixed": what the store served after the kill
    lock_free: bool
    next_ingest_ok: bool
    records_lost: int
    next_ingest_secs: float


@dataclass(frozen=True)
class Aftermath:
    """What a killed ingest left: the graph served, the lock, and the next ingest's outcome."""

    seen: str  # "before", "after" or "mixed"
    lock_free: bool
    next_ingest_ok: bool
    records_lost: int
    next_ingest_secs: float


def aftermath(ws: Workspace, folder: Path, env: dict[str, str]) -> Aftermath:
    """Judge the store a killed ingest left in `folder`, then run the next ingest on it."""
    store = folder / "store"
    seen = read_state(store)
    if seen.graphs == ws.expected_before.graphs:
        verdict, lost = "before", 0
    elif seen.graphs == ws.expected_after.graphs:
        verdict, lost = "after", 0
    else:
        verdict = "mixed"
        lost = min(seen.lost_from(ws.expected_before), seen.lost_from(ws.expected_after))
    lock_free = _lock_free(store)
    started = time.perf_counter()
    done = run_kg(INGEST, env)
    secs = time.perf_counter() - started
    final = read_state(store)
    lost += final.lost_from(ws.expected_after)
    next_ok = done.returncode == 0 and final.graphs == ws.expected_after.graphs
    return Aftermath(verdict, lock_free, next_ok, lost, round(secs, 2))


def kill_trial(ws: Workspace, folder: Path, *, delay: float) -> KillTrial:
    copy_base(ws, folder)
    env = ingest_env(folder, ws.after, cache=ws.cache)
    proc = subprocess.Popen(INGEST, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    finished_first = proc.wait() != -9
    staging_left = any((folder / "store" / "versions").glob("*.tmp"))
    after = aftermath(ws, folder, env)
    shutil.rmtree(folder, ignore_errors=True)
    return KillTrial(
        round(delay, 3), finished_first, staging_left, after.seen, after.lock_free,
        after.next_ingest_ok, after.records_lost, after.next_ingest_secs,
    )  # fmt: skip


def kill_trials(ws: Workspace, *, trials: int, seed: int) -> list[KillTrial]:
    rng = random.Random(seed)
    delays = [rng.uniform(0, ws.ingest_secs) for _ in range(trials)]
    return [kill_trial(ws, ws.root / f"kill-{n}", delay=d) for n, d in enumerate(delays)]


def _lock_free(store: Path) -> bool:
    """The writer lock can be taken at once (the kernel freed the killed writer's)."""
    lock = store / ".write.lock"
    if not lock.exists():
        return True
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
    return True
