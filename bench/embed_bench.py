"""Embedding throughput (issue 7): our indexing path against raw `SentenceTransformer.encode`.

Both embed the same passages (those `kg ingest` would index for synthetic records) with the
same loaded model, in the same run. Ours is `embed_passages`: content hashes, a cold vector
cache (SQLite), batching and storing every vector; the baseline is one `model.encode` call.

    python -m bench.embed_bench [--records 400]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.machine import describe, markdown
from bench.search_bench import concepts_from_ontology, generate
from kg.search.cache import VectorCache, embed_passages
from kg.search.embed import SentenceTransformerEmbedder
from kg.search.index import passages

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--output", type=Path, default=RESULTS / "embed.json")
    args = parser.parse_args()
    load = os.getloadavg()
    concepts = concepts_from_ontology()
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    docs = generate(args.records, concepts, seed=11)
    texts = list(dict.fromkeys(t for d in docs for t in passages(d, by_code)))
    embedder = SentenceTransformerEmbedder()
    model = embedder._load()
    model.encode(texts[:64], batch_size=embedder.batch_size)  # warm up
    runs = []
    for _ in range(2):  # alternate, so drift in machine load hits both alike
        start = time.perf_counter()
        model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
        raw = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            cache = VectorCache(Path(tmp) / "vectors.sqlite")
            start = time.perf_counter()
            _, encoded = embed_passages(embedder, texts, cache, progress=False)
            ours = time.perf_counter() - start
            cache.close()
        assert encoded == len(texts)
        runs.append({"raw_s": round(raw, 2), "ours_s": round(ours, 2)})
        print(json.dumps(runs[-1]), flush=True)
    raw_total = sum(r["raw_s"] for r in runs)
    ours_total = sum(r["ours_s"] for r in runs)
    report = {
        "machine": {**describe(), "load_average_at_start": load},
        "model": embedder.name,
        "texts": len(texts),
        "runs": runs,
        "raw_texts_per_s": round(len(texts) * len(runs) / raw_total, 1),
        "ours_texts_per_s": round(len(texts) * len(runs) / ours_total, 1),
        "ratio": round(raw_total / ours_total, 3),
    }
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=1))
    print(f"ours / raw encode throughput: {report['ratio']:.1%}")
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(markdown(report["machine"]))


if __name__ == "__main__":
    main()
