"""Ingest throughput (issues 7, 15): our store write path against raw `Store.bulk_load`.

Both load the same synthetic initiatives (embedding excluded) into a fresh on-disk store in
the same run. Ours is `LocalStore.apply` on one `GraphChange` per named graph holding its
N-Triples, which is what `kg ingest` hands the store once records are mapped and validated
(mapping and SHACL are not measured: `bulk_load` does neither): the graph-name checks, the
lookups of graphs to replace, building the one TriG document of all payloads, the staging
snapshot, the load, flush, close, rename and the atomic publish of `CURRENT`. The baseline is
`Store(path)`, one `bulk_load` of the same quads as N-Quads bytes (prepared before the clock
starts) and `flush`. Each is loaded `--rounds` times (default 2), alternating which goes first;
wall-clock totals give the ratio, process CPU time (all threads) is recorded beside it.

    python -m bench.ingest_bench [--initiatives 100000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from bench.machine import describe, markdown
from bench.synthetic import generate
from kg.store import GraphChange, LocalStore

RESULTS = Path(__file__).parent / "results"


def run(initiatives: int, rounds: int = 2) -> dict[str, object]:
    """`rounds` loads each way, alternating which goes first (raw, ours, ours, raw, …) so that
    neither side always meets the disk and caches the other left; the ratio is of the totals."""
    graphs = list(generate(initiatives, seed=7))
    changes = [GraphChange(g.graph, g.ntriples) for g in graphs]
    nquads = "".join(as_nquads(g.ntriples, g.graph) for g in graphs).encode()
    triples = nquads.count(b"\n")
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {"raw": [], "ours": []}
    cpu: dict[str, list[float]] = {"raw": [], "ours": []}
    stored: set[int] = set()
    for i in range(rounds):
        for side in ("raw", "ours") if i % 2 == 0 else ("ours", "raw"):
            tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
            try:
                wall, used = time.perf_counter(), time.process_time()
                load = _raw(tmp, nquads) if side == "raw" else _ours(tmp, changes)
                times[side].append(time.perf_counter() - wall)
                cpu[side].append(time.process_time() - used)
                # a few synthetic partners repeat: the store keeps a set, both the same one
                stored.add(len(load()))
                del load
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            print(f"{side}: {times[side][-1]:.2f} s", flush=True)
    assert len(stored) == 1, stored
    raw_secs, ours_secs = sum(times["raw"]), sum(times["ours"])
    return {
        "initiatives": initiatives,
        "graphs": len(graphs),
        "triples": triples,
        "quads_stored": stored.pop(),
        "rounds": rounds,
        "raw_bulk_load_s": [round(t, 2) for t in times["raw"]],
        "ours_s": [round(t, 2) for t in times["ours"]],
        "raw_cpu_s": [round(t, 2) for t in cpu["raw"]],
        "ours_cpu_s": [round(t, 2) for t in cpu["ours"]],
        "raw_triples_per_s": round(triples * rounds / raw_secs),
        "ours_triples_per_s": round(triples * rounds / ours_secs),
        "ratio": round(raw_secs / ours_secs, 3),
        "cpu_ratio": round(sum(cpu["raw"]) / sum(cpu["ours"]), 3),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _raw(tmp: Path, nquads: bytes) -> Callable[[], ox.Store]:
    """The timed baseline; returns how to reach what it stored (not timed)."""
    raw = ox.Store(str(tmp / "raw"))
    raw.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    raw.flush()
    return lambda: raw


def _ours(tmp: Path, changes: list[GraphChange]) -> Callable[[], ox.Store]:
    """The timed write path of `kg ingest`; returns how to open the published snapshot."""
    ours = LocalStore(tmp / "ours")
    ours.apply(changes)
    return ours.current


def as_nquads(ntriples: str, graph: str) -> str:
    """The baseline's input: N-Triples lines (each ending ' .') as N-Quads lines in `graph`."""
    return ntriples.replace(" .\n", f" <{graph}> .\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="loads each way (default 2)")
    args = parser.parse_args()
    result = run(args.initiatives, args.rounds)
    machine = describe()
    print(json.dumps(result, indent=1))
    print(f"ours / raw bulk_load throughput: {result['ratio']:.1%}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(
        json.dumps({"result": result, "machine": machine}, indent=1)
    )
    print(markdown(machine))


if __name__ == "__main__":
    main()
