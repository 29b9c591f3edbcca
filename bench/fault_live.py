"""Faults around a live `kg serve` (issue 8): reads while an ingest runs, and SIGKILL + restart.

Requests count as failed on a status of 500 or more, a connection error or a timeout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import quote, urlencode

from bench.fault_store import COUNT_QUADS, INGEST, KG, Workspace, copy_base, ingest_env, read_state
from bench.live import free_port, live_server

#: a cross product of every triple with itself three times: it keeps a worker busy for hours
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ROUTES = {
    "healthz": "healthz",
    "record page": "initiative/matilde",
    "search": "api/search?q=housing",
    "sparql count": "sparql?query=" + quote(COUNT_QUADS),
}
SPARQL_JSON = "application/sparql-results+json"


def get(url: str, *, timeout: float = 60) -> tuple[int, bytes]:
    """Status and body; status 0 for a connection error or timeout."""
    req = urllib.request.Request(url, headers={"Accept": f"{SPARQL_JSON}, application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return int(r.status), r.read()
    except HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def count_quads(url: str) -> int | None:
    status, body = get(url + ROUTES["sparql count"])
    if status != 200:
        return None
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def version(url: str) -> str | None:
    status, body = get(url + "healthz")
    return str(json.loads(body)["version"]) if status == 200 else None


# --- reads while an ingest runs ------------------------------------------------------------


@dataclass
class ReadsDuringIngest:
    requests: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    slowest_s: float = 0.0
    ingest_ok: bool = False
    ingest_secs: float = 0.0
    versions_seen: list[str] = field(default_factory=list)
    quads_before: int | None = None
    quads_after: int | None = None
    switched: bool = False  # /healthz's version changed and the SPARQL count is the new graph

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "failed": dict(self.failed),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "slowest_s": round(self.slowest_s, 3),
            "ingest_ok": self.ingest_ok,
            "ingest_secs": round(self.ingest_secs, 2),
            "versions_seen": self.versions_seen,
            "quads_before": self.quads_before,
            "quads_after": self.quads_after,
            "switched": self.switched,
        }


def reads_during_ingest(
    ws: Workspace, folder: Path, *, clients: int = 4, settle: float = 2.0
) -> ReadsDuringIngest:
    """Client threads read every route while `kg ingest` of the changed records runs."""
    copy_base(ws, folder)
    env = ingest_env(folder, ws.after, cache=ws.cache)
    extra = {k: v for k, v in env.items() if k in ("KG_BASE_URI", "KG_RECORDS_DIR", "KG_CACHE_DIR")}
    result = ReadsDuringIngest()
    lock, stop = threading.Lock(), threading.Event()
    with live_server(folder, ingest=False, KG_RATE_LIMIT_PER_MINUTE="0", **extra) as server:
        _wait_ready(server.url)  # the search index and model are loaded
        result.quads_before = count_quads(server.url)
        result.versions_seen.append(version(server.url) or "?")

        def client(offset: int) -> None:
            names = list(ROUTES)
            n = offset
            while not stop.is_set():
                name = names[n % len(names)]
                n += 1
                started = time.perf_counter()
                status, body = get(server.url + ROUTES[name])
                secs = time.perf_counter() - started
                with lock:
                    result.requests[name] += 1
                    result.statuses[status] += 1
                    result.slowest_s = max(result.slowest_s, secs)
                    if status == 0 or status >= 500:
                        result.failed[name] += 1
                    elif name == "healthz":
                        seen = str(json.loads(body)["version"])
                        if seen != result.versions_seen[-1]:
                            result.versions_seen.append(seen)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        started = time.perf_counter()
        done = subprocess.run(INGEST, env=env, capture_output=True, check=False)
        result.ingest_secs = time.perf_counter() - started
        result.ingest_ok = done.returncode == 0
        time.sleep(settle)  # the clients read the new graph for a while
        stop.set()
        for t in threads:
            t.join()
        result.quads_after = count_quads(server.url)
        now = version(server.url)
        result.switched = (
            now is not None
            and now != result.versions_seen[0]
            and result.quads_before == ws.expected_before.quads
            and result.quads_after == ws.expected_after.quads
        )
    return result


def _wait_ready(url: str, *, timeout: float = 180) -> None:
    """Search answers (the model and index are loaded) and a query worker has joined."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get(url + ROUTES["search"])[0] == 200 and count_quads(url) is not None:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not get ready in {timeout:g} s")


# --- restart after SIGKILL -----------------------------------------------------------------


@dataclass(frozen=True)
class Restart:
    workers: int  # child processes of the server when it was killed
    lingering: int  # of those, still running 5 s after the kill
    restart_secs: float  # from `kg serve` to /healthz answering, on the same port
    healthy: bool  # /healthz, the record page and the SPARQL count answer as before


def restarts(ws: Workspace, folder: Path, *, rounds: int) -> tuple[list[Restart], bool]:
    """Kill the server with SIGKILL while a worker runs a long query, start it again on the same
    store and port; after the last round, whether the store still holds the same graph."""
    copy_base(ws, folder)
    env = ingest_env(
        folder,
        ws.before,
        cache=ws.cache,
        port=str(free_port()),
        KG_RATE_LIMIT_PER_MINUTE="0",
        KG_SPARQL_TIMEOUT="60",
    )
    url = f"http://127.0.0.1:{env['KG_PORT']}/"
    out: list[Restart] = []
    server = _start(env, folder / "server-0.log")
    try:
        for n in range(rounds):
            healthy = _healthy(url, ws)
            threading.Thread(target=get, args=(_runaway(url),), daemon=True).start()
            time.sleep(1.0)  # the long query is now running in a worker
            workers = _children(server.pid)
            server.send_signal(signal.SIGKILL)
            server.wait()
            lingering = _wait_gone(workers, timeout=5.0)
            for pid in lingering:  # not left running into the next round
                os.kill(pid, signal.SIGKILL)
            started = time.perf_counter()
            server = _start(env, folder / f"server-{n + 1}.log")
            secs = time.perf_counter() - started
            healthy = healthy and _healthy(url, ws)
            out.append(Restart(len(workers), len(lingering), round(secs, 2), healthy))
    finally:
        server.terminate()
        server.wait(timeout=20)
    return out, read_state(folder / "store").graphs == ws.expected_before.graphs


def _wait_gone(pids: list[int], *, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if _running(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _runaway(url: str) -> str:
    return url + "sparql?" + urlencode({"query": RUNAWAY})


def _healthy(url: str, ws: Workspace) -> bool:
    deadline = time.monotonic() + 60  # the query workers join when they are ready
    while (count := count_quads(url)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return (
        get(url + "healthz")[0] == 200
        and get(url + ROUTES["record page"])[0] == 200
        and count == ws.expected_before.quads
    )


def _start(
    env: dict[str, str], log: Path, *, args: list[str] | None = None
) -> subprocess.Popen[bytes]:
    """`kg serve` (or `args`), once its /healthz answers."""
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            args or [*KG, "serve"], env=env, stdout=fh, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{env['KG_PORT']}/healthz"
    deadline = time.monotonic() + 60
    while get(url, timeout=2)[0] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(log.read_text())
        time.sleep(0.1)
    return proc


@contextmanager
def serving(
    env: dict[str, str], log: Path, *, args: list[str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    proc = _start(env, log, args=args)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _running(pid: int) -> bool:
    """Alive and not a zombie (an exited orphan the container's init has not reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
