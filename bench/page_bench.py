"""A record page requested repeatedly by 10 clients (issue 15), beside a bare Starlette app.

One run, on one store (the bundled records):

1. `kg serve` (one server process, and `--workers 2`) serves `/initiative/{slug}`;
2. a bare Starlette app on one uvicorn process (`bench.page_bench --bare`) serves the very
   bytes the first one answered, with the same Content-Type — the baseline;
3. 10 clients (keep-alive HTTP/1.1 connections on one asyncio loop, a minimal client so the
   client costs little CPU beside the servers) request the page for `--seconds`; the servers
   take turns, `--rounds` times (interleaved, so a busy machine weighs on all alike).

With `--compare TREE` (a source tree of an earlier commit) its `kg serve` takes turns too.

    python -m bench.page_bench [--seconds 10] [--rounds 2] [--clients 10] [--compare TREE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.machine import describe, markdown

RESULTS = Path(__file__).parent / "results"
PAGE = "/initiative/nuevos-senderos"


async def _client(host: str, port: int, path: str, stop: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n\r\n".encode()
    try:
        while time.monotonic() < stop:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{path}: {head[:40]!r}")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def _drive(url: str, clients: int, seconds: float) -> dict[str, float]:
    host, port = url.split("//", 1)[1].rstrip("/").split(":")
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(_client(host, int(port), PAGE, stop, latencies) for _ in range(clients)))
    elapsed = time.monotonic() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
    }


def load(url: str, clients: int, seconds: float) -> dict[str, float]:
    return asyncio.run(_drive(url, clients, seconds))


def bare(body_file: Path, media: str, port: int) -> None:
    """The baseline: Starlette, one route, the page's bytes from memory, one uvicorn process."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = body_file.read_bytes()

    async def page(request: Request) -> Response:
        return Response(body, media_type=media)

    app = Starlette(routes=[Route("/{kind}/{slug}", page), Route("/healthz", page)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info")


def _wait(url: str) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--output", type=Path, default=RESULTS / "page.json")
    parser.add_argument("--compare", type=Path, help="source tree of an earlier commit")
    parser.add_argument(
        "--bare", nargs=3, metavar=("BODY", "MEDIA", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.bare:
        bare(Path(args.bare[0]), args.bare[1], int(args.bare[2]))
        return
    from bench.live import free_port, kg_env

    tmp = Path(tempfile.mkdtemp(prefix="kg-page-bench-"))
    kg = [sys.executable, "-m", "cli.main"]
    procs: list[subprocess.Popen[bytes]] = []
    urls: dict[str, str] = {}
    try:
        env = kg_env(tmp, free_port(), KG_RATE_LIMIT_PER_MINUTE="0")
        subprocess.run([*kg, "ingest"], env=env, check=True, capture_output=True)
        servers = [("kg serve", "1", None), ("kg serve --workers 2", "2", None)]
        if args.compare is not None:
            servers.append(("kg serve, earlier commit", "1", args.compare.resolve()))
        for name, workers, tree in servers:
            port = free_port()
            penv = {**env, "KG_PORT": str(port), "KG_WORKERS": workers}
            if tree is not None:
                penv["PYTHONPATH"] = str(tree)
            log = open(tmp / f"{port}.log", "wb")  # noqa: SIM115 - lives with the server
            procs.append(
                subprocess.Popen([*kg, "serve"], env=penv, stdout=log, stderr=log, cwd=tree)
            )
            urls[name] = f"http://127.0.0.1:{port}/"
        for url in urls.values():
            _wait(url)
            for _ in range(4):  # every process has loaded the model (it warms at start)
                urllib.request.urlopen(url + "api/search?q=village", timeout=120).read()
        time.sleep(5)
        with urllib.request.urlopen(urls["kg serve"] + PAGE.lstrip("/")) as r:
            body, media = r.read(), r.headers["Content-Type"]
        (tmp / "page.html").write_bytes(body)
        port = free_port()
        log = open(tmp / "bare.log", "wb")  # noqa: SIM115 - lives with the server
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.page_bench",
                    "--bare",
                    str(tmp / "page.html"),
                    media,
                    str(port),
                ],
                stdout=log,
                stderr=log,
            )
        )
        urls["bare Starlette"] = f"http://127.0.0.1:{port}/"
        _wait(urls["bare Starlette"])
        for url in urls.values():  # warm: the page rendered once in every process
            load(url, args.clients, 1.0)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, url in urls.items():
                runs[name].append(load(url, args.clients, args.seconds))
                print(name, json.dumps(runs[name][-1]), flush=True)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
    baseline = statistics.median(r["requests_per_s"] for r in runs["bare Starlette"])
    rows: dict[str, Any] = {}
    for name, results in runs.items():
        rps = statistics.median(r["requests_per_s"] for r in results)
        rows[name] = {
            "requests_per_s": round(rps, 1),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p95_ms": statistics.median(r["p95_ms"] for r in results),
            "of_bare": round(rps / baseline, 3),
            "runs": results,
        }
    report = {
        "machine": describe(),
        "page": PAGE,
        "page_bytes": len(body),
        "clients": args.clients,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "servers": rows,
    }
    for name, row in rows.items():
        print(f"{name}: {row['requests_per_s']} req/s ({row['of_bare']:.0%} of bare)")
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(markdown(report["machine"]))


if __name__ == "__main__":
    main()
