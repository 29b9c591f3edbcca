"""Our `/sparql` side by side with Virtuoso's (issue 15 item 7), in one run, on the bundled graph.

1. `kg serve` on the embedded store (`bench.live`: `kg ingest`, then the server as it starts it:
   one server process, two query worker processes; rate limit off), and Debian's Virtuoso
   (`bench.virtuoso`) loaded with the same records **through our ingest** (`kg ingest
   --no-index` with `KG_SPARQL_ENDPOINT`), same base URI;
2. every example query of the editor's catalogue (`kg/examples/*.rq`; the semantic one is left
   out: `rikg:similarity` runs in the embedded engine only) is sent `--repeat` times to both
   endpoints, interleaved (ours, Virtuoso's, ours, …), as a form POST asking for SPARQL JSON
   (N-Triples for CONSTRUCT). Each request is made unique by a trailing comment, so our result
   cache never answers (the server's `X-SPARQL-Cache: miss` header is checked on every request)
   and Virtuoso compiles each text afresh, as we parse it afresh. Beside them, the same query on
   the server's snapshot opened read-only in this process (pyoxigraph, serialised to JSON): what
   the engine itself costs, so the rest of our time is the HTTP and process hop;
3. throughput: 8 client threads cycling through the catalogue, uncached, for `--seconds` per
   endpoint, in alternating halves (ours, Virtuoso's, ours, Virtuoso's) so a busy neighbour on
   the machine weighs on both.

Before timing, each query's answer from both endpoints is compared (row count; the full
multiset comparison is `tests/e2e/test_virtuoso.py`). Prints a markdown table and writes
`bench/results/virtuoso.json`.

    python -m bench.virtuoso_bench [--repeat 30] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from bench.live import live_server
from bench.machine import describe, markdown
from bench.virtuoso import running_virtuoso
from kg.example_queries import Example, load_examples
from kg.queries import PREFIXES

RESULTS = Path(__file__).parent / "results"
JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


def percentiles(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2),
    }


def is_graph(example: Example) -> bool:
    return "CONSTRUCT" in example.query or "DESCRIBE" in example.query


def post(url: str, query: str, *, graph: bool, ours: bool) -> tuple[bytes, str]:
    """POST a query; returns the body and our cache header ("" for Virtuoso)."""
    body = urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": NTRIPLES if graph else JSON})
    with urllib.request.urlopen(req, timeout=120) as r:
        data = r.read()
        return data, (r.headers.get("X-SPARQL-Cache", "") if ours else "")


def size(body: bytes, *, graph: bool) -> int:
    """Rows (or triples, or 1 for ASK) in an answer."""
    if graph:
        return len({q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)})
    parsed = json.loads(body)
    return 1 if "boolean" in parsed else len(parsed["results"]["bindings"])


def in_process(store: ox.Store, query: str) -> None:
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        result.serialize(format=ox.QueryResultsFormat.JSON)
    elif isinstance(result, ox.QueryTriples):
        ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)


def throughput(url: str, examples: list[Example], seconds: float, *, ours: bool, tag: str) -> int:
    """Queries answered by 8 client threads cycling through the catalogue for `seconds`."""
    done = [0] * 8
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        n = i
        while time.monotonic() < stop:
            ex = examples[n % len(examples)]
            _, cache = post(url, f"{ex.query}\n# {tag} {i} {n}", graph=is_graph(ex), ours=ours)
            if ours and cache != "miss":
                raise RuntimeError(f"our cache answered {ex.slug} ({cache!r})")
            done[i] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done)


def load_virtuoso(endpoint: str, env: dict[str, str], tmp: Path) -> float:
    """Our ingest into Virtuoso (same records and base URI as the server); seconds taken."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cli.main", "ingest", "--no-index"],
        env={**env, "KG_SPARQL_ENDPOINT": endpoint, "KG_STORE": str(tmp / "unused-store")},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    examples = [e for e in load_examples() if "rikg:similarity(" not in e.query]
    load_start = os.getloadavg()
    vfolder = tmp / "virtuoso"
    vfolder.mkdir()
    with (
        live_server(tmp / "kg", KG_RATE_LIMIT_PER_MINUTE="0") as live,
        running_virtuoso(vfolder) as virtuoso,
    ):
        load_seconds = load_virtuoso(virtuoso, live.env, tmp)
        ours = live.url + "sparql"
        root = Path(live.env["KG_STORE"])
        store = ox.Store.read_only(str(root / "versions" / (root / "CURRENT").read_text().strip()))
        rows: list[dict[str, Any]] = []
        for ex in examples:
            graph = is_graph(ex)
            a, _ = post(ours, ex.query, graph=graph, ours=True)  # warm: both workers, both caches
            b, _ = post(virtuoso, ex.query, graph=graph, ours=False)
            if size(a, graph=graph) != size(b, graph=graph):
                raise RuntimeError(f"{ex.slug}: {size(a, graph=graph)} vs {size(b, graph=graph)}")
            local: list[float] = []
            mine: list[float] = []
            theirs: list[float] = []
            for i in range(args.repeat):
                text = f"{ex.query}\n# run {i}"
                t = time.perf_counter()
                in_process(store, text)
                local.append(time.perf_counter() - t)
                t = time.perf_counter()
                _, cache = post(ours, text, graph=graph, ours=True)
                mine.append(time.perf_counter() - t)
                if cache != "miss":
                    raise RuntimeError(f"our cache answered {ex.slug} ({cache!r})")
                t = time.perf_counter()
                post(virtuoso, text, graph=graph, ours=False)
                theirs.append(time.perf_counter() - t)
            row = {
                "query": ex.slug,
                "rows": size(a, graph=graph),
                "in_process": percentiles(local),
                "ours": percentiles(mine),
                "virtuoso": percentiles(theirs),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
        counts = {"ours": 0, "virtuoso": 0}
        half = args.seconds / 2
        for round_ in range(2):
            counts["ours"] += throughput(ours, examples, half, ours=True, tag=f"tp{round_}")
            counts["virtuoso"] += throughput(
                virtuoso, examples, half, ours=False, tag=f"tp{round_}"
            )
        triples = len(store)
    return {
        "machine": describe(),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "virtuoso": subprocess.run(
            ["virtuoso-t", "-?"], capture_output=True, text=True, check=False
        ).stderr.splitlines()[:2],
        "virtuoso_load_by_our_ingest_s": round(load_seconds, 1),
        "store_triples": triples,
        "repeat": args.repeat,
        "queries": rows,
        "median_of_p50_ms": {
            side: round(statistics.median(r[side]["p50_ms"] for r in rows), 2)
            for side in ("in_process", "ours", "virtuoso")
        },
        "throughput_8_clients_qps": {
            side: round(n / args.seconds, 1) for side, n in counts.items()
        },
    }


def why(row: dict[str, Any]) -> str:
    """Where Virtuoso's p50 beats ours, which part of ours loses, from the measured p50s: the
    engine (pyoxigraph alone already slower) or the hop (HTTP, worker process, checks: our p50
    minus the in-process one)."""
    engine, ours, theirs = (row[s]["p50_ms"] for s in ("in_process", "ours", "virtuoso"))
    if theirs >= ours:
        return ""
    if engine >= theirs:
        return f"engine: pyoxigraph alone {engine:.1f} ms"
    return f"hop: engine {engine:.1f} + hop {ours - engine:.1f} ms"


def table(report: dict[str, Any]) -> str:
    lines = [
        "| query | rows | in process p50 / p95 | our `/sparql` p50 / p95 | Virtuoso p50 / p95 "
        "| where Virtuoso wins |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["queries"]:
        cells = [
            f"{r[s]['p50_ms']:.1f} / {r[s]['p95_ms']:.1f}"
            for s in ("in_process", "ours", "virtuoso")
        ]
        lines.append(f"| {r['query']} | {r['rows']} | " + " | ".join(cells) + f" | {why(r)} |")
    med = report["median_of_p50_ms"]
    tp = report["throughput_8_clients_qps"]
    lines.append(
        f"| **median of p50** | | **{med['in_process']:.1f}** | **{med['ours']:.1f}** | "
        f"**{med['virtuoso']:.1f}** | |"
    )
    lines.append(f"| **8 clients, queries/s** | | | **{tp['ours']}** | **{tp['virtuoso']}** | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint, throughput")
    parser.add_argument("--output", type=Path, default=RESULTS / "virtuoso.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-bench-") as tmp:
        report = run(args, Path(tmp))
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(table(report))
    print(
        markdown(report["machine"]),
        f"Load average {report['load_average_start']} at start, {report['load_average_end']} "
        f"at end. Virtuoso loaded by our ingest in {report['virtuoso_load_by_our_ingest_s']} s.",
    )


if __name__ == "__main__":
    main()
