"""Memory of `kg serve --workers N` (issue 15 item 2): RSS and PSS of every process, by role.

Ingests the bundled records into a temporary folder once, then for each N starts the server,
waits until it answers, runs one search (loads the model and maps the search index) and one
SPARQL query in every server process, and reads /proc/PID/status (VmRSS) and
/proc/PID/smaps_rollup (Pss: shared pages split between the processes that map them) of the
process tree. PSS adds up to what the tree really costs; RSS counts shared pages in each.

    python -m bench.serve_memory [--workers 1 2] [--backend onnx-int8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.live import free_port, kg_env, stop

RESULTS = Path(__file__).parent / "results"


def children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return kids


def memory(pid: int) -> dict[str, float]:
    """VmRSS and Pss of a process, MiB."""
    out = {}
    for name, key in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                out[key.rstrip(":").lower()] = round(int(line.split()[1]) / 1024, 1)
    return out


def tree(root: int, workers: int) -> dict[str, list[dict[str, float]]]:
    """Memory by role: manager (N > 1), server processes, SPARQL query workers, and
    multiprocessing's resource tracker."""
    roles: dict[str, list[dict[str, float]]] = {
        "server": [],
        "sparql worker": [],
        "resource tracker": [],
    }
    servers = [root]
    if workers > 1:
        roles["manager"] = [memory(root)]
        servers = []
        for pid in children(root):
            (
                servers.append(pid)
                if _spawned(pid)
                else roles["resource tracker"].append(memory(pid))
            )
    for pid in servers:
        roles["server"].append(memory(pid))
        for kid in children(pid):
            role = "sparql worker" if _spawned(kid) else "resource tracker"
            roles[role].append(memory(kid))
    return roles


def _spawned(pid: int) -> bool:
    """Started by multiprocessing to run our code (not its resource tracker)."""
    return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as r:
        return bytes(r.read())


def measure(tmp: Path, workers: int, extra: dict[str, str]) -> dict[str, object]:
    """RSS and PSS of `kg serve --workers N` on the store in `tmp`; `extra` carries the
    KG_BASE_URI the store was ingested under (`kg serve` refuses another)."""
    port = free_port()
    env = kg_env(tmp, port, KG_WORKERS=str(workers), KG_RATE_LIMIT_PER_MINUTE="0", **extra)
    log = (tmp / f"server-{workers}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get(url + "healthz")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / f"server-{workers}.log").read_text()) from None
                time.sleep(0.5)
        # enough requests on new connections that every server process has answered each kind
        for n in range(8 * workers):
            get(url + f"api/search?q=housing+for+families+{n}")
            get(url + "sparql?query=" + quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} #{n}"))
        time.sleep(2)
        roles = tree(proc.pid, workers)
    finally:
        stop(proc, timeout=20)
        log.close()
    totals = {
        role: {k: round(sum(m[k] for m in ms), 1) for k in ("vmrss", "pss")}
        for role, ms in roles.items()
    }
    return {
        "workers": workers,
        "processes": roles,
        "totals": totals,
        "all": {k: round(sum(t[k] for t in totals.values()), 1) for k in ("vmrss", "pss")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backend", default="onnx-int8", help="KG_EMBED_BACKEND")
    parser.add_argument("--output", type=Path, default=RESULTS / "serve_memory.json")
    args = parser.parse_args()
    extra = {"KG_EMBED_BACKEND": args.backend, "KG_SPARQL_WORKERS": "2"}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = kg_env(tmp, free_port(), **extra)
        subprocess.run([sys.executable, "-m", "cli.main", "ingest"], env=env, check=True)
        extra["KG_BASE_URI"] = env["KG_BASE_URI"]  # the servers on other ports keep it
        report = [measure(tmp, n, extra) for n in args.workers]
    for r in report:
        print(json.dumps({k: v for k, v in r.items() if k != "processes"}))
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps({"backend": args.backend, "runs": report}, indent=1))


if __name__ == "__main__":
    main()
