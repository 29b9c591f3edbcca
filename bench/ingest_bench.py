"""Ingest throughput (issues 7, 15): our store write path against raw `Store.bulk_load`.

Both load the same synthetic initiatives (embedding excluded) into a fresh on-disk store in
the same run. Ours is `LocalStore.apply` on one `GraphChange` per named graph holding its
N-Triples, which is what `kg ingest` hands the store once records are mapped and validated
(mapping and SHACL are not measured: `bulk_load` does neither): the graph-name checks, the
lookups of graphs to replace, building the one TriG document of all payloads, the staging
snapshot, the load, flush, close, rename and the atomic publish of `CURRENT`. The baseline is
`Store(path)`, one `bulk_load` of the same quads as N-Quads bytes (prepared before the clock
starts) and `flush`.

    python -m bench.ingest_bench [--initiatives 100000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.machine import describe, markdown
from bench.synthetic import generate
from kg.store import GraphChange, LocalStore

RESULTS = Path(__file__).parent / "results"


def run(initiatives: int) -> dict[str, object]:
    graphs = list(generate(initiatives, seed=7))
    changes = [GraphChange(g.graph, g.ntriples) for g in graphs]
    nquads = "".join(as_nquads(g.ntriples, g.graph) for g in graphs).encode()
    triples = nquads.count(b"\n")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        start = time.perf_counter()
        raw = ox.Store(str(tmp / "raw"))
        raw.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        raw.flush()
        raw_secs = time.perf_counter() - start
        stored = len(raw)  # a few synthetic partners repeat: the store keeps a set
        del raw
        start = time.perf_counter()
        ours = LocalStore(tmp / "ours")
        ours.apply(changes)
        ours_secs = time.perf_counter() - start
        assert len(ours.current()) == stored
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "initiatives": initiatives,
        "graphs": len(graphs),
        "triples": triples,
        "raw_bulk_load_s": round(raw_secs, 2),
        "ours_s": round(ours_secs, 2),
        "raw_triples_per_s": round(triples / raw_secs),
        "ours_triples_per_s": round(triples / ours_secs),
        "ratio": round(raw_secs / ours_secs, 3),
    }


def as_nquads(ntriples: str, graph: str) -> str:
    """The baseline's input: N-Triples lines (each ending ' .') as N-Quads lines in `graph`."""
    return ntriples.replace(" .\n", f" <{graph}> .\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=100_000)
    args = parser.parse_args()
    result = run(args.initiatives)
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
