"""A real `kg serve` process on a free loopback port, over a store ingested from the bundle."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kg_env(tmp: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of a server over a store in `tmp`: one server process unless `extra`
    asks for more (`KG_WORKERS`), so a test sees every request it sends in one process."""
    return {
        **os.environ,
        "KG_STORE": str(tmp / "store"),
        "KG_CACHE_DIR": str(tmp / "cache"),
        "KG_DATA_DIR": str(tmp / "data"),
        "KG_QUEUE_DIR": str(tmp / "queue"),
        "KG_CONTRIB_DIR": str(tmp / "contributed"),
        "KG_BASE_URI": f"http://127.0.0.1:{port}/",
        "KG_PORT": str(port),
        "KG_WORKERS": "1",
        **extra,
    }


@contextmanager
def live_server(
    tmp: Path, *, ingest: bool = True, tree: Path | None = None, **extra: str
) -> Iterator[LiveServer]:
    """`kg ingest` then `kg serve` over a store in `tmp`, from this checkout or from `tree` (a
    work tree of another commit, run with the same interpreter: benchmarks' baselines)."""
    port = free_port()
    env = kg_env(tmp, port, **extra)
    if ingest:
        subprocess.run(
            [sys.executable, "-m", "cli.main", "ingest"],
            env=env,
            check=True,
            capture_output=True,
            cwd=tree,
        )
    log = open(tmp / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tree,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / f"server-{port}.log").read_text()) from None
                time.sleep(0.2)
        yield LiveServer(url, env, proc)
    finally:
        stop(proc, timeout=10)
        log.close()


def stop(proc: subprocess.Popen[bytes], *, timeout: float) -> None:
    """Terminate a server process, killing it if it does not exit within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
