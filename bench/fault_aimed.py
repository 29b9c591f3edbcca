"""Kills aimed inside the store write (issue 8): random kill points almost never hit it.

`GraphStore.write()` takes a fraction of a second of an ingest: a RocksDB checkpoint of the
published snapshot into `versions/{name}.tmp` (itself staged as `{name}.tmp.tmp`), the load and
flush, the rename to `versions/{name}`, its `.json`, then the `CURRENT` swap. Each trial starts
`kg ingest --no-index` of the changed records, watches `versions/` (inotify through libc, else a
1 ms poll) and SIGKILLs the ingest at one of three moments:

- `staging`: as soon as a `*.tmp` staging folder appears;
- `delay`: a seeded delay in [0, 300 ms] after it appears;
- `final`: as soon as the renamed snapshot folder appears, before or around the `CURRENT` swap.

Where the kill landed is read from the store it left (the killed process alone writes it):
`staging present`, `final folder present` (renamed, `CURRENT` not yet swapped), `CURRENT
switched`, or `exited` (the ingest ended first). Then, as for the random kills, the store must
serve exactly the previous or the new graph (the previous one unless `CURRENT` switched), no
lock may be left, and the next ingest must clear stale staging and give the new graph.
"""

from __future__ import annotations

import ctypes
import os
import random
import select
import shutil
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.fault_store import INGEST, Workspace, aftermath, copy_base, ingest_env

PHASES = ("staging", "delay", "final")
LANDED = ("before write", "staging present", "final folder present", "CURRENT switched", "exited")
MAX_DELAY = 0.3
IN_CREATE, IN_MOVED_TO = 0x100, 0x80
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


class FolderWatch:
    """Names that appear in a folder (created or renamed into it), as soon as they appear."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.known = set(os.listdir(folder))
        self.fd = -1
        libc = ctypes.CDLL(None, use_errno=True)
        init = getattr(libc, "inotify_init1", None)
        fd = int(init(os.O_NONBLOCK | os.O_CLOEXEC)) if init is not None else -1
        if fd >= 0 and libc.inotify_add_watch(fd, bytes(folder), IN_CREATE | IN_MOVED_TO) >= 0:
            self.fd = fd
        elif fd >= 0:
            os.close(fd)

    @property
    def kind(self) -> str:
        return "inotify" if self.fd >= 0 else "poll 1 ms"

    def wait(self, timeout: float) -> list[str]:
        """The names that appeared, waiting up to `timeout` seconds for the first."""
        if self.fd >= 0:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            try:
                buf = os.read(self.fd, 1 << 16) if ready else b""
            except BlockingIOError:
                buf = b""
            names, at = [], 0
            while at < len(buf):
                size = EVENT.unpack_from(buf, at)[3]
                start = at + EVENT.size
                names.append(buf[start : start + size].rstrip(b"\0").decode())
                at = start + size
            return names
        deadline = time.monotonic() + timeout
        while True:
            now = set(os.listdir(self.folder))
            new, self.known = sorted(now - self.known), now
            if new or time.monotonic() >= deadline:
                return new
            time.sleep(0.001)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@dataclass(frozen=True)
class AimedTrial:
    phase: str  # one of PHASES
    delay: float  # the planned delay after the staging folder appeared (phase "delay")
    watch: str  # "inotify" or "poll 1 ms"
    kill_after_staging_ms: float | None  # from the staging folder's appearance to the kill
    landed: str  # one of LANDED
    staging_left: bool  # a `*.tmp` staging folder was left by the kill
    pointer_tmp_left: bool  # so was `CURRENT.{pid}.tmp`: killed inside `_publish`
    seen: str  # "before", "after" or "mixed": what the store served after the kill
    served_as_landed: bool  # the previous graph unless CURRENT had switched, else the new one
    lock_free: bool
    next_ingest_ok: bool
    leftovers_after_next: list[str]  # `*.tmp` left in versions/ or the store after next ingest
    records_lost: int
    next_ingest_secs: float


def _pointer(store: Path) -> str:
    path = store / "CURRENT"
    return path.read_text().strip() if path.exists() else ""


def _landed(store: Path, *, published: str, had: set[str], exited: bool) -> str:
    if exited:
        return "exited"
    if _pointer(store) != published:
        return "CURRENT switched"
    names = set(os.listdir(store / "versions")) - had
    if any("." not in n for n in names):
        return "final folder present"
    if any(n.endswith(".tmp") for n in names):
        return "staging present"
    return "before write"


def _leftovers(store: Path) -> list[str]:
    found = [*(store / "versions").glob("*.tmp"), *store.glob("*.tmp")]
    return sorted(str(p.relative_to(store)) for p in found)


def aimed_trial(ws: Workspace, folder: Path, *, phase: str, delay: float) -> AimedTrial:
    copy_base(ws, folder)
    store = folder / "store"
    published, had = _pointer(store), set(os.listdir(store / "versions"))
    env = ingest_env(folder, ws.after, cache=ws.cache)
    watch = FolderWatch(store / "versions")
    kind = watch.kind
    staged: float | None = None
    try:
        proc = subprocess.Popen(
            INGEST, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            if phase == "delay" and staged is not None:
                time.sleep(max(0.0, staged + delay - time.monotonic()))
                break
            names = watch.wait(0.2)
            if staged is None and any(n.endswith(".tmp") for n in names):
                staged = time.monotonic()
            if phase == "staging" and staged is not None:
                break
            if phase == "final" and any("." not in n for n in names):
                break
        proc.kill()
        killed = time.monotonic()
        exited = proc.wait() != -9
    finally:
        watch.close()
    landed = _landed(store, published=published, had=had, exited=exited)
    staging_left = any((store / "versions").glob("*.tmp"))
    pointer_tmp_left = any(store.glob("CURRENT.*.tmp"))
    after = aftermath(ws, folder, env)
    leftovers = _leftovers(store)
    shutil.rmtree(folder, ignore_errors=True)
    switched = landed in ("CURRENT switched", "exited")
    return AimedTrial(
        phase=phase,
        delay=round(delay, 3),
        watch=kind,
        kill_after_staging_ms=None if staged is None else round((killed - staged) * 1000, 2),
        landed=landed,
        staging_left=staging_left,
        pointer_tmp_left=pointer_tmp_left,
        seen=after.seen,
        served_as_landed=after.seen == ("after" if switched else "before"),
        lock_free=after.lock_free,
        next_ingest_ok=after.next_ingest_ok,
        leftovers_after_next=leftovers,
        records_lost=after.records_lost,
        next_ingest_secs=after.next_ingest_secs,
    )


def aimed_trials(ws: Workspace, *, trials: int, seed: int) -> list[AimedTrial]:
    """`trials` kills, the phases in turn; delays of the `delay` phase drawn seeded."""
    rng = random.Random(seed)
    plan = [(PHASES[n % len(PHASES)], rng.uniform(0, MAX_DELAY)) for n in range(trials)]
    return [
        aimed_trial(ws, ws.root / f"aimed-{n}", phase=p, delay=d if p == "delay" else 0.0)
        for n, (p, d) in enumerate(plan)
    ]
