"""`make bench`: every benchmark in turn; each writes bench/results/*.json."""

from __future__ import annotations

import subprocess
import sys

BENCHES = [
    "bench.ingest_bench",
    "bench.embed_bench",
    "bench.sparql_bench",
    "bench.page_bench",
    "bench.virtuoso_bench",
    "bench.search_bench",
    "bench.load",
    "bench.faults",
]


def main() -> None:
    for name in BENCHES:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, "-m", name], check=True)


if __name__ == "__main__":
    main()
