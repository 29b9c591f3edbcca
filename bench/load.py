"""A bounded load test (issue 8): concurrent clients on loopback mixing search, record pages,
SPARQL and the home page against a live `kg serve`, for a fixed time.

Reports requests and failures per route (a failure is a 5xx, a timeout or a connection error),
p50/p95 latency per route, and the server's memory (RSS of the server and its query workers)
sampled through the run, so a leak shows as growth after the warm-up.

    python -m bench.load [--clients 50] [--seconds 120] [--baseline WORKTREE]

The server runs as deployed: `KG_WORKERS` server processes (default: the number of cores).
With `--baseline`, the same load is first run against a server started from another commit's
work tree (its code and its bundled records, the same interpreter), then against this one, in
one run, and the throughput ratio is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.machine import describe

RESULTS = Path(__file__).parent / "results"
QUERIES = [
    "families who moved to a village for a job",
    "housing for refugees in small towns",
    "language classes volunteers",
    "community sponsorship",
    "migrant farm workers exploitation",
    "acogida de familias en pueblos despoblados",
    "integrazione dei rifugiati nei borghi",
    "LEADER cooperation good practice",
]
FILTERS = ["", "&country=ES", "&theme=housing", "&kind=initiative&country=IT", "&funding=amif"]
SPARQL = [
    "SELECT ?c (COUNT(?i) AS ?n) WHERE { ?i a rikg:Initiative ; dcterms:spatial ?c } GROUP BY ?c",
    'SELECT ?name WHERE { ?p schema:identifier "870831" ; schema:name ?name }',
    "SELECT ?o (COUNT(?i) AS ?n) WHERE { ?i rikg:partner|rikg:coordinator ?o } GROUP BY ?o "
    "HAVING (COUNT(?i) > 1)",
    "ASK { ?s a schema:Project }",
]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (server processes, their query workers)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    total = 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def pick(rng: random.Random, slugs: list[str]) -> tuple[str, str, dict[str, str] | None]:
    """(route name, path, form body or None) for one request of the mix."""
    roll = rng.random()
    q = rng.choice(QUERIES).replace(" ", "+")
    if roll < 0.30:
        return "api_search", f"/api/search?q={q}{rng.choice(FILTERS)}", None
    if roll < 0.45:
        return "search_page", f"/search?q={q}{rng.choice(FILTERS)}", None
    if roll < 0.75:
        return "record_page", f"/initiative/{rng.choice(slugs)}", None
    if roll < 0.95:
        return "sparql", "/sparql", {"query": rng.choice(SPARQL)}
    return "home", "/", None


async def client(base: str, slugs: list[str], stop: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < stop:
            name, path, form = pick(rng, slugs)
            started = time.monotonic()
            try:
                if form is None:
                    r = await http.get(path)
                else:
                    r = await http.post(
                        path, data=form, headers={"Accept": "application/sparql-results+json"}
                    )
                status = r.status_code
            except httpx.HTTPError as exc:
                tally.failures[name].append(f"{type(exc).__name__}: {exc}")
                continue
            tally.latencies[name].append(time.monotonic() - started)
            tally.statuses[name][status] += 1
            if status >= 500:
                tally.failures[name].append(f"{status} {path}")


async def sample_memory(pid: int, stop: float, out: list[tuple[float, float]]) -> None:
    start = time.monotonic()
    while time.monotonic() < stop:
        out.append((round(time.monotonic() - start, 1), rss_mib(pid)))
        await asyncio.sleep(2)


async def drive(base: str, pid: int, slugs: list[str], clients: int, seconds: float) -> Tally:
    tally = Tally()
    memory: list[tuple[float, float]] = []
    stop = time.monotonic() + seconds
    await asyncio.gather(
        sample_memory(pid, stop, memory),
        *(client(base, slugs, stop, i, tally) for i in range(clients)),
    )
    tally.memory = memory  # type: ignore[attr-defined]
    return tally


def run(
    server_url: str, pid: int, slugs: list[str], *, clients: int, seconds: float
) -> dict[str, Any]:
    # warm-up: model, search index, workers, templates
    with httpx.Client(base_url=server_url, timeout=120) as http:
        http.get("/api/search?q=warm+up")
        http.get(f"/initiative/{slugs[0]}")
    started = time.monotonic()
    tally = asyncio.run(drive(server_url, pid, slugs, clients, seconds))
    wall = time.monotonic() - started
    routes = {}
    for name, values in sorted(tally.latencies.items()):
        ms = sorted(v * 1000 for v in values)
        routes[name] = {
            "requests": len(ms),
            "failed": len(tally.failures[name]),
            "statuses": dict(tally.statuses[name]),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        }
    memory: list[tuple[float, float]] = tally.memory  # type: ignore[attr-defined]
    settled = [m for t, m in memory if t >= min(20.0, seconds / 4)] or [m for _, m in memory]
    total = sum(r["requests"] for r in routes.values())
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": total,
        "requests_per_s": round(total / wall, 1),
        "failed": sum(len(v) for v in tally.failures.values()),
        "failures_sample": [f for v in tally.failures.values() for f in v][:10],
        "routes": routes,
        "memory_mib": {
            "first": memory[0][1] if memory else None,
            "after_warmup": settled[0] if settled else None,
            "max": max(m for _, m in memory) if memory else None,
            "last": memory[-1][1] if memory else None,
        },
        "memory_samples": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument(
        "--baseline", type=Path, help="work tree of an earlier commit, loaded first in this run"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args()
    from kg.settings import PROJECT_ROOT

    report: dict[str, Any] = {}
    if args.baseline is not None:
        report["baseline"] = measure(args.baseline.resolve(), args.clients, args.seconds)
        report["baseline"]["tree"] = str(args.baseline)
    report.update(measure(PROJECT_ROOT, args.clients, args.seconds))
    if args.baseline is not None:
        report["throughput_vs_baseline"] = round(
            report["requests_per_s"] / report["baseline"]["requests_per_s"], 2
        )
    report["machine"] = describe()
    print(json.dumps(strip(report), indent=1))
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))


def measure(tree: Path, clients: int, seconds: float) -> dict[str, Any]:
    """One load run against a server started from `tree` with its bundled records."""
    from bench.live import live_server

    slugs = sorted(p.stem for p in (tree / "ingest/records/initiative").glob("*.md"))
    workers = str(os.cpu_count() or 1)
    folder = Path(tempfile.mkdtemp(prefix="kg-load-"))
    with live_server(folder, tree=tree, KG_RATE_LIMIT_PER_MINUTE="0", KG_WORKERS=workers) as s:
        report = run(s.url.rstrip("/"), s.process.pid, slugs, clients=clients, seconds=seconds)
    report["records"] = len(list((tree / "ingest/records").rglob("*.md")))
    return report


def strip(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its memory samples (printed; the file keeps them)."""
    out = {k: v for k, v in report.items() if k != "memory_samples"}
    if isinstance(out.get("baseline"), dict):
        out["baseline"] = strip(out["baseline"])
    return out


if __name__ == "__main__":
    main()
