"""Embedding throughput (issue 7): our indexing path against raw `SentenceTransformer.encode`.

All embed the same passages (those `kg ingest` would index for synthetic records) in the same
run, interleaved round by round; the figures are medians. Ours is `embed_passages`: content
hashes, a cold vector cache (SQLite), batching and storing every vector, once with the torch
model (`KG_EMBED_BACKEND=torch`) and once per ONNX Runtime backend (`onnx`, `onnx-int8`,
issue 15 item 5); the baseline is one raw `SentenceTransformer.encode` call. The report also
gives the lowest cosine between each ONNX vector and the torch one of the same text.

    python -m bench.embed_bench [--records 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.machine import describe, markdown
from bench.search_bench import concepts_from_ontology, generate
from kg.search.cache import VectorCache, embed_passages
from kg.search.embed import Embedder, SentenceTransformerEmbedder
from kg.search.index import passages
from kg.search.onnx import OnnxEmbedder
from kg.settings import BUNDLED_MODEL, Settings

ONNX = ("onnx", "onnx-int8")

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
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
    # the ONNX exports live where `kg` keeps them (KG_ONNX_DIR); made here if missing
    onnx = {b: OnnxEmbedder(BUNDLED_MODEL, Settings().onnx_dir, backend=b) for b in ONNX}
    for other in onnx.values():
        other.encode_passages(texts[:64])  # export on first use, then warm up
    reference = model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)

    def ours(e: Embedder) -> float:
        with tempfile.TemporaryDirectory() as tmp:
            cache = VectorCache(Path(tmp) / "vectors.sqlite")
            start = time.perf_counter()
            _, encoded = embed_passages(e, texts, cache, progress=False)
            secs = time.perf_counter() - start
            cache.close()
        assert encoded == len(texts)
        return secs

    runs = []
    for _ in range(args.rounds):  # interleaved, so drift in machine load hits every path alike
        run: dict[str, float] = {}
        start = time.perf_counter()
        model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
        run["raw_s"] = round(time.perf_counter() - start, 2)
        run["ours_torch_s"] = round(ours(embedder), 2)
        for backend, other in onnx.items():
            run[f"ours_{backend}_s"] = round(ours(other), 2)
        runs.append(run)
        print(json.dumps(run), flush=True)
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    agreement = {
        backend: round(float((reference * other.encode_passages(texts)).sum(axis=1).min()), 4)
        for backend, other in onnx.items()
    }
    report = {
        "machine": {**describe(), "load_average_at_start": load},
        "model": embedder.name,
        "texts": len(texts),
        "runs": runs,
        "median_s": medians,
        "texts_per_s": {k[:-2]: round(len(texts) / v, 1) for k, v in medians.items()},
        # baseline / path, from the medians: above 1 is faster than raw `encode`
        "speed_vs_raw": {k[:-2]: round(medians["raw_s"] / v, 3) for k, v in medians.items()},
        "min_cosine_vs_torch": agreement,
    }
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=1))
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(markdown(report["machine"]))


if __name__ == "__main__":
    main()
