"""SPARQL endpoint latency and throughput (issue 3) against the same queries run in process.

One run, on one store (the bundled records):

1. in process: each example query of the editor's catalogue (`kg/examples/*.rq`, the semantic
   one excluded: it loads the model) run on the store opened read-only and serialised to
   SPARQL JSON, `--repeat` times — the baseline;
2. over HTTP: the same queries POSTed to a live `kg serve` (worker processes, guards,
   serialisation, HTTP), each made unique with a comment so the result cache is not used;
   then the cached path (the same query again); then the endpoint and the floor (below) on
   one kept-alive connection each (`over_kept_connection`): urllib,
   and so SPARQLWrapper, opens a connection per request; browsers and most HTTP libraries keep
   one open. The difference is what the client's connection costs, not the server's part.
3. throughput: 8 concurrent clients cycling through the queries for `--seconds`, uncached,
   against the endpoint, beside 8 threads running them in process.

Beside them, as a floor (`--floor`, on by default): a bare Starlette app on one uvicorn process
that runs the query in its own event loop on the same snapshot and answers with pyoxigraph's
serialisers — no guard, no cache, no worker process, so no time limit. It is the least any
Python HTTP endpoint over this store costs the same client; the endpoint's ratio is read
against it too.

With `--compare TREE` (a source tree of an earlier commit, e.g. `git archive <commit> | tar -x
-C TREE`) a second `kg serve` runs from that tree on the same store, and every measurement of
the endpoint is taken on both, interleaved, so a before/after comparison comes from one run.

    python -m bench.sparql_bench [--repeat 30] [--seconds 20] [--compare TREE]
"""

from __future__ import annotations

import argparse
import http.client
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
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from bench.machine import describe, markdown
from kg.example_queries import load_examples
from kg.queries import PREFIXES

RESULTS = Path(__file__).parent / "results"
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


def percentiles(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2),
    }


def in_process(store: ox.Store, query: str) -> int:
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        return len(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    if isinstance(result, ox.QueryBoolean):
        return 1
    out = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return len(out or b"")


def over_http(url: str, query: str, *, graph: bool) -> int:
    body = urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": TURTLE if graph else JSON})
    with urllib.request.urlopen(req, timeout=60) as r:
        return len(r.read())


_kept = threading.local()  # one kept-alive connection per thread and server


def over_kept_connection(url: str, query: str, *, graph: bool) -> int:
    """As `over_http`, on a connection kept open between requests (HTTP/1.1 keep-alive), as
    browsers, `requests.Session` and most HTTP libraries send them; urllib (and so
    SPARQLWrapper) opens a connection per request."""
    parts = urlsplit(url)
    conns: dict[str, http.client.HTTPConnection] = _kept.__dict__.setdefault("conns", {})
    conn = conns.get(parts.netloc)
    if conn is None:
        conn = conns[parts.netloc] = http.client.HTTPConnection(parts.netloc, timeout=60)
    headers = {
        "Accept": TURTLE if graph else JSON,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn.request("POST", parts.path, urlencode({"query": query}).encode(), headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise OSError(f"{url}: {response.status} {body[:200]!r}")
    return len(body)


def bare(snapshot: Path, port: int) -> None:
    """The floor: one Starlette route that runs the query in the event loop on the snapshot
    opened read-only, as `in_process` does, and answers with pyoxigraph's serialisers."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    store = ox.Store.read_only(str(snapshot))

    async def sparql(request: Request) -> Response:
        form = await request.form()
        result = store.query(str(form["query"]), prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions):
            body = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
            return Response(body, media_type=JSON)
        if isinstance(result, ox.QueryBoolean):
            return Response(
                b'{"head":{},"boolean":%s}' % str(bool(result)).lower().encode(), media_type=JSON
            )
        body = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
        return Response(body, media_type=TURTLE)

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    app = Starlette(routes=[Route("/sparql", sparql, methods=["POST"]), Route("/healthz", healthz)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _wait(url: str) -> None:
    """Until the server at `url` answers `/healthz` (at most about a minute)."""
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)


def start_floor(tmp: Path, snapshot: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`bare` in a process of its own on a free port: (process, its /sparql URL)."""
    from bench.live import free_port

    port = free_port()
    log = open(tmp / f"floor-{port}.log", "wb")  # noqa: SIM115 - lives as long as the server
    cmd = [sys.executable, "-m", "bench.sparql_bench", "--bare", str(snapshot), str(port)]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    _wait(url)
    return proc, url + "sparql"


def start_server(
    tmp: Path,
    tree: Path | None = None,
    *,
    ingest: bool = True,
    workers: int | None = None,
    base: str | None = None,
) -> tuple[subprocess.Popen[bytes], str, Path]:
    """`kg serve` on the store in `tmp` (ingested first when `ingest`), from this source tree or
    from `tree`; `base`: the KG_BASE_URI the store was ingested under, for a second server on
    it (`kg serve` refuses a store ingested under another base than its own)."""
    from bench.live import free_port, kg_env

    port = free_port()
    # the server as `kg serve` runs by default (a server process per core, their share of the
    # query workers each); the search index is built by the ingest, so no server embeds the
    # records in the background while it is being measured
    processes = workers or os.cpu_count() or 1
    env = kg_env(tmp, port, KG_RATE_LIMIT_PER_MINUTE="0", KG_WORKERS=str(processes))
    if base is not None:
        env["KG_BASE_URI"] = base
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    kg = [sys.executable, "-m", "cli.main"]
    if ingest:
        subprocess.run([*kg, "ingest"], env=env, check=True, capture_output=True)
    log = open(tmp / f"server-{port}.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([*kg, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tree)
    url = f"http://127.0.0.1:{port}/"
    _wait(url)
    # a server loads its search index and model in the background once it answers: measure it
    # in its steady state, not beside that (a search waits for the index; one per process)
    for _ in range(processes):
        urllib.request.urlopen(url + "api/search?q=warm+up", timeout=120).read()
    time.sleep(3)
    return proc, url + "sparql", Path(env["KG_STORE"])


def throughput(run_one: Any, queries: list[tuple[str, bool]], seconds: float) -> float:
    done = [0] * 8
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        n = i
        while time.monotonic() < stop:
            query, graph = queries[n % len(queries)]
            run_one(f"{query}\n# client {i} run {n}", graph)
            done[i] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--output", type=Path, default=RESULTS / "sparql.json")
    parser.add_argument("--compare", type=Path, help="source tree of an earlier commit")
    parser.add_argument(
        "--interleave", action="store_true", help="alternate the sides run by run, not in blocks"
    )
    parser.add_argument(
        "--workers", type=int, help="server processes (KG_WORKERS; default: cores, as kg serve)"
    )
    parser.add_argument(
        "--no-floor", action="store_true", help="leave out the bare Starlette floor"
    )
    parser.add_argument("--bare", nargs=2, metavar=("SNAPSHOT", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(Path(args.bare[0]), int(args.bare[1]))
        return
    examples = [e for e in load_examples() if "similarity" not in e.query]
    tmp = Path(tempfile.mkdtemp(prefix="kg-sparql-bench-"))
    proc, url, store_root = start_server(tmp, workers=args.workers)
    procs = [proc]
    before_url = None
    if args.compare is not None:
        before, before_url, _ = start_server(
            tmp,
            args.compare.resolve(),
            ingest=False,
            workers=args.workers,
            base=url.removesuffix("sparql"),  # the first server's, which ingested the store
        )
        procs.append(before)
    tp_before = None
    try:
        snapshot = store_root / "versions" / (store_root / "CURRENT").read_text().strip()
        store = ox.Store.read_only(str(snapshot))
        floor_url = None
        if not args.no_floor:
            floor, floor_url = start_floor(tmp, snapshot)
            procs.append(floor)
        rows: list[dict[str, Any]] = []
        for ex in examples:
            graph = ex.query.lstrip().upper().find("CONSTRUCT") >= 0 or "DESCRIBE" in ex.query
            local: list[float] = []
            remote: list[float] = []
            cached: list[float] = []
            earlier: list[float] = []
            bare_times: list[float] = []
            kept: list[float] = []
            bare_kept: list[float] = []
            for warm in (url, before_url, floor_url):  # warm the store caches of each server
                if warm is not None:
                    over_http(warm, ex.query, graph=graph)
            # each in a block of `repeat` runs, so each side is measured in its steady state;
            # `--interleave` alternates them run by run instead (then each HTTP request follows
            # an in-process run of the same query on the same two cores, and finds the caches
            # the query worker relies on cold: budgets 4.0 ms in blocks, 4.8 interleaved)
            q, g = ex.query, graph
            sides: list[tuple[list[float], Any]] = [
                (local, lambda i, q=q: in_process(store, q)),
                (remote, lambda i, q=q, g=g: over_http(url, f"{q}\n# run {i}", graph=g)),
                (cached, lambda i, q=q, g=g: over_http(url, q, graph=g)),
            ]
            if before_url is not None:
                sides.append(
                    (
                        earlier,
                        lambda i, q=q, g=g, u=before_url: over_http(u, f"{q}\n# run {i}", graph=g),
                    )
                )
            if floor_url is not None:
                sides.append(
                    (
                        bare_times,
                        lambda i, q=q, g=g, u=floor_url: over_http(u, f"{q}\n# run {i}", graph=g),
                    )
                )
            # the same two on one kept-alive connection each: what the client's connection
            # costs, apart from the server's part
            sides.append(
                (kept, lambda i, q=q, g=g: over_kept_connection(url, f"{q}\n# kept {i}", graph=g))
            )
            if floor_url is not None:
                sides.append(
                    (
                        bare_kept,
                        lambda i, q=q, g=g, u=floor_url: over_kept_connection(
                            u, f"{q}\n# kept {i}", graph=g
                        ),
                    )
                )
            order = (
                [(side, i) for i in range(args.repeat) for side in sides]
                if args.interleave
                else [(side, i) for side in sides for i in range(args.repeat)]
            )
            for (times, run), i in order:
                t = time.perf_counter()
                run(i)
                times.append(time.perf_counter() - t)
            row: dict[str, Any] = {
                "query": ex.slug,
                "in_process": percentiles(local),
                "endpoint": percentiles(remote),
                "endpoint_cached": percentiles(cached),
            }
            if earlier:
                row["endpoint_before"] = percentiles(earlier)
            if bare_times:
                row["floor"] = percentiles(bare_times)
            row["endpoint_kept_alive"] = percentiles(kept)
            if bare_kept:
                row["floor_kept_alive"] = percentiles(bare_kept)
            rows.append(row)
            print(json.dumps(row), flush=True)
        queries = [(e.query, "CONSTRUCT" in e.query) for e in examples]
        tp_local = throughput(lambda q, g: in_process(store, q), queries, args.seconds)
        tp_http = throughput(lambda q, g: over_http(url, q, graph=g), queries, args.seconds)
        if before_url is not None:
            old = before_url
            tp_before = throughput(lambda q, g: over_http(old, q, graph=g), queries, args.seconds)
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
    all_local = [r["in_process"]["p50_ms"] for r in rows]
    all_http = [r["endpoint"]["p50_ms"] for r in rows]
    report: dict[str, Any] = {
        "machine": describe(),
        "store_triples": len(store),
        "queries": rows,
        "median_of_p50_ms": {
            "in_process": round(statistics.median(all_local), 2),
            "endpoint": round(statistics.median(all_http), 2),
            "endpoint_cached": round(
                statistics.median([r["endpoint_cached"]["p50_ms"] for r in rows]), 2
            ),
        },
        "throughput_8_clients_qps": {
            "in_process": round(tp_local, 1),
            "endpoint": round(tp_http, 1),
            "ratio": round(tp_http / tp_local, 3),
        },
    }
    kept_p50 = statistics.median([r["endpoint_kept_alive"]["p50_ms"] for r in rows])
    report["median_of_p50_ms"]["endpoint_kept_alive"] = round(kept_p50, 2)
    report["kept_alive_ratios"] = {
        "endpoint_to_in_process": round(kept_p50 / statistics.median(all_local), 2)
    }
    if floor_url is not None:
        floor_kept = statistics.median([r["floor_kept_alive"]["p50_ms"] for r in rows])
        report["median_of_p50_ms"]["floor_kept_alive"] = round(floor_kept, 2)
        report["kept_alive_ratios"]["floor_to_in_process"] = round(
            floor_kept / statistics.median(all_local), 2
        )
        report["kept_alive_ratios"]["endpoint_to_floor"] = round(kept_p50 / floor_kept, 2)
    if floor_url is not None:
        floor_p50 = statistics.median([r["floor"]["p50_ms"] for r in rows])
        report["median_of_p50_ms"]["floor"] = round(floor_p50, 2)
        report["ratios"] = {
            "endpoint_to_in_process": round(
                statistics.median(all_http) / statistics.median(all_local), 2
            ),
            "floor_to_in_process": round(floor_p50 / statistics.median(all_local), 2),
            "endpoint_to_floor": round(statistics.median(all_http) / floor_p50, 2),
        }
    if tp_before is not None:
        report["median_of_p50_ms"]["endpoint_before"] = round(
            statistics.median([r["endpoint_before"]["p50_ms"] for r in rows]), 2
        )
        report["throughput_8_clients_qps"]["endpoint_before"] = round(tp_before, 1)
        report["throughput_8_clients_qps"]["ratio_before"] = round(tp_before / tp_local, 3)
        report["compared_with"] = str(args.compare)
    print(json.dumps(report["median_of_p50_ms"]), json.dumps(report["throughput_8_clients_qps"]))
    if "ratios" in report:
        print(json.dumps(report["ratios"]))
    print(json.dumps({"kept_alive": report["kept_alive_ratios"]}))
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(markdown(report["machine"]))


if __name__ == "__main__":
    main()
