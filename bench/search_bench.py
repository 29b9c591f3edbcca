"""Search latency and index build cost (issue 4) on synthetic initiatives, with the real model.

One run measures, on the same machine and the same texts:

1. raw `model.encode` throughput of the passages of the first `--raw` records (the baseline);
2. index build cost for those records from a cold vector cache (embedding, BM25, facets), per
   1,000 records, beside (1);
3. hybrid search latency with filters, query embedding included (the query-vector cache is
   cleared before every query), p50/p95 at each of `--sizes`, plus keyword, vector and
   unfiltered hybrid for comparison.

Embedding 100,000 records would take most of an hour on 2 cores, so the first `--embed`
records are embedded for real and larger collections reuse their vectors cyclically (record i
gets the vector of record i mod `--embed`); texts, BM25 and facets are distinct for every
record. The vector part of a query costs the same whatever the vectors hold.

    python -m bench.search_bench [--sizes 1000,10000,100000] [--embed 10000] [--rdf out.nq]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox

from bench.machine import describe, markdown
from kg.search import SearchQuery, search
from kg.search.cache import VectorCache
from kg.search.documents import Concept, SearchDoc, gather_concepts
from kg.search.embed import SentenceTransformerEmbedder
from kg.search.index import assemble_index, build_index, passages
from kg.settings import PROJECT_ROOT
from kg.vocab import INITIATIVE_TYPES

RESULTS = Path(__file__).parent / "results"

# --- the synthetic collection -----------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


ONSETS = _words("Al Bel Cas Dor Fal Gran Hel Lor Mar Nov Or Pra Ros San Tor Val Ver Zel Mon Cor")
ENDINGS = {
    "es": ["ejo", "illa", "ares", "ona", "eda", "uela"],
    "it": ["ano", "ello", "ina", "ola", "ate", "ezzo"],
    "de": ["berg", "dorf", "heim", "au", "feld", "bach"],
    "fr": ["ac", "ville", "eux", "ière", "on", "ange"],
    "pl": ["ów", "ice", "owo", "in", "ek"],
    "": ["a", "en", "is", "o", "ing", "ova"],
}
LANG = {"ES": "es", "IT": "it", "DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "PL": "pl"}
COUNTRIES = _words("ES IT DE AT FR PL GR PT SE FI IE NL SI HU RO BE CZ HR SK BG")
TARGETS = {
    "refugees": ["refugees", "refugee families", "people granted international protection"],
    "asylum-seekers": ["asylum seekers", "people waiting for an asylum decision"],
    "third-country-nationals": ["non-EU nationals", "third-country nationals"],
    "newcomers": ["newcomers", "newly arrived migrants", "recent arrivals"],
    "migrant-families": ["migrant families", "families with children", "households"],
    "migrant-youth": ["young migrants", "unaccompanied minors", "migrant students"],
    "migrant-women": ["migrant women", "mothers", "women who arrived alone"],
    "migrant-workers": ["seasonal workers", "migrant farm workers", "care workers"],
    "people-fleeing-ukraine": ["people fleeing the war in Ukraine", "Ukrainian families"],
    "host-communities": ["long-time residents", "the host community"],
}
ACTIVITIES = {
    "housing": [
        "renovates empty houses for {t}",
        "matches {t} with landlords in small towns",
        "offers temporary homes to {t} on arrival",
    ],
    "employment": [
        "connects {t} with farms and care homes that need staff",
        "recognises the skills and diplomas of {t}",
        "trains {t} as {trade}",
    ],
    "language-learning": [
        "runs evening language classes for {t}",
        "pairs {t} with volunteer conversation partners",
    ],
    "education": ["helps {t} enrol in the village school", "offers homework clubs for {t}"],
    "health": ["brings mobile health clinics to {t}", "trains interpreters for doctors of {t}"],
    "social-cohesion": ["organises village festivals with {t}", "runs shared allotments for {t}"],
    "community-sponsorship": ["forms sponsor groups that raise funds and find a home for {t}"],
    "depopulation-revitalisation": [
        "reopens shops and schools by welcoming {t}",
        "brings {t} to villages that lose inhabitants",
    ],
    "mobility-transport": [
        "runs a shared minibus so {t} reach work and services",
        "lends bicycles and driving lessons to {t}",
    ],
    "access-to-services": [
        "opens a one-stop help desk for {t}",
        "maps the public services {t} can reach",
    ],
    "governance-partnership": ["brings mayors, employers and NGOs together for {t}"],
    "reception": ["coordinates the first reception of {t} in small municipalities"],
    "social-orientation": ["offers orientation sessions on banking, health and schools to {t}"],
    "entrepreneurship": ["coaches {t} who start small businesses", "lends start-up capital to {t}"],
    "agriculture-food": ["employs {t} on organic farms", "runs a cooperative kitchen with {t}"],
    "mentoring-volunteering": ["trains local volunteers as mentors for {t}"],
}
TRADES = ["carers", "cooks", "farm mechanics", "forestry workers", "bus drivers", "builders"]
CHALLENGE_TEXT = {
    "reduced-services": "Public services and shops have been closing in the area.",
    "labour-market-constraints": "Local jobs are seasonal, informal or far away.",
    "lack-of-migrant-networks": "Few migrants lived in the area before, so there is no community.",
    "migrant-mobility": "Many newcomers moved on to the cities after a few months.",
    "diversity-of-profiles": "Participants differ widely in languages, skills and status.",
    "diversity-of-rural-areas": "The villages range from peri-urban to remote mountain areas.",
}
OUTCOMES = [
    "Between {y} and {y2} it reached {n} families.",
    "{n} people found work through the project.",
    "{m} municipalities joined the network.",
    "A handbook for local authorities was published in {y2}.",
    "The village school kept its {m} classes thanks to new pupils.",
]
KINDS = ["local practice", "research project", "regional programme", "pilot", "network"]
LOCAL = {
    "es": [
        "Proyecto que acoge a familias migrantes en pueblos de {p}.",
        "Programa de empleo y vivienda para personas refugiadas en {p}.",
    ],
    "it": [
        "Progetto di accoglienza dei rifugiati nei borghi di {p}.",
        "Iniziativa di inserimento lavorativo dei migranti in agricoltura a {p}.",
    ],
    "de": [
        "Projekt zur Integration Geflüchteter in den Dörfern um {p}.",
        "Wohn- und Arbeitsvermittlung für Zugewanderte im ländlichen Raum bei {p}.",
    ],
    "fr": [
        "Projet d'accueil de familles réfugiées dans les villages de {p}.",
        "Programme d'emploi pour les personnes migrantes en milieu rural près de {p}.",
    ],
    "pl": ["Projekt integracji migrantów na obszarach wiejskich wokół {p}."],
}
NAME_A = _words("New Open Shared Rural Green Common Welcome Rooted Living Future Mountain Valley")
NAME_B = _words("Paths Roots Homes Villages Bridges Horizons Neighbours Commons Trails Seeds Doors")
QUERY_TEMPLATES = [
    "{act} in rural {country}",
    "projects for {t} in small villages",
    "{theme} for {t}",
    "how villages welcome {t}",
    "{theme} and {theme2} in {country}",
]


def _place(rng: random.Random, lang: str) -> str:
    return rng.choice(ONSETS) + rng.choice(ENDINGS.get(lang, ENDINGS[""]))


def generate(n: int, concepts: dict[str, Concept], *, seed: int) -> list[SearchDoc]:
    """`n` records (mostly initiatives; some organisations and policies), deterministic."""
    rng = random.Random(seed)
    nuts: dict[str, list[str]] = {}
    for c in concepts.values():
        if c.facet == "nuts":
            nuts.setdefault({"EL": "GR"}.get(c.code[:2], c.code[:2]), []).append(c.code)
    funding = sorted(c.code for c in concepts.values() if c.facet == "funding")
    # an initiative's subtype from a generator of its own, so the rest is what it always was
    subtypes, typing = sorted(INITIATIVE_TYPES), random.Random(seed + 1)
    out = []
    for i in range(n):
        kind = "initiative" if i % 10 < 8 else ("organisation" if i % 10 == 8 else "policy")
        countries = rng.sample(
            COUNTRIES[:8] if rng.random() < 0.7 else COUNTRIES, rng.randint(1, 3)
        )
        lang = LANG.get(countries[0], "")
        place = _place(rng, lang)
        themes = rng.sample(sorted(ACTIVITIES), rng.randint(2, 4))
        groups = rng.sample(sorted(TARGETS), rng.randint(1, 3))
        challenges = rng.sample(sorted(CHALLENGE_TEXT), rng.randint(0, 2))
        name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {place}"
        org = f"{rng.choice(['Municipality of', 'LAG', 'Caritas', 'University of'])} {place}"
        sentences = [f"{name} is a {rng.choice(KINDS)} run by {org} around {place}."]
        for theme in themes:
            t = rng.choice(TARGETS[rng.choice(groups)])
            act = rng.choice(ACTIVITIES[theme]).format(t=t, trade=rng.choice(TRADES))
            sentences.append(f"It {act}.")
        sentences += [CHALLENGE_TEXT[c] for c in challenges]
        start = rng.randint(1998, 2024)
        end = start + rng.randint(1, 6) if rng.random() < 0.7 else None
        y, m = rng.randint(start, 2025), rng.randint(3, 40)
        claims = [rng.choice(OUTCOMES).format(y=start, y2=y, n=rng.randint(5, 900), m=m)]
        facets = {
            "kind": [kind],
            "theme": sorted(themes),
            "target_group": sorted(groups),
            "funding": sorted(rng.sample(funding, rng.randint(1, 2))),
            "challenge": sorted(challenges),
            "country": sorted(countries),
        }
        if kind == "initiative":
            facets["initiative_type"] = [typing.choice(subtypes)]
        regions = [(c, r) for c in countries for r in nuts.get(c, ())]
        if regions and rng.random() < 0.3:
            country, code = rng.choice(regions)
            facets["nuts"] = sorted(r for r in nuts[country] if code.startswith(r))
        descriptions = {"en": " ".join(sentences)}
        if lang in LOCAL and rng.random() < 0.4:
            descriptions[lang] = rng.choice(LOCAL[lang]).format(p=place)
        out.append(
            SearchDoc(
                iri=f"http://127.0.0.1:8000/id/{kind}/synthetic-{i}",
                kind=kind,
                slug=f"synthetic-{i}",
                names={"en": name},
                descriptions=descriptions,
                claims=claims,
                places=[place],
                linked_names=[org],
                facets={k: v for k, v in facets.items() if v},
                start=start if kind != "organisation" else None,
                end=end if kind != "organisation" else None,
            )
        )
    return out


def queries(rng: random.Random, concepts: dict[str, Concept]) -> list[str]:
    """Practitioner-like queries from the same vocabulary, plus multilingual ones."""
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    out = []
    for _ in range(300):
        theme, theme2 = rng.sample(sorted(ACTIVITIES), 2)
        t = rng.choice(TARGETS[rng.choice(sorted(TARGETS))])
        act = rng.choice(ACTIVITIES[theme]).format(t=t, trade=rng.choice(TRADES))
        country = by_code[("country", rng.choice(COUNTRIES))].label("en")
        out.append(
            rng.choice(QUERY_TEMPLATES).format(
                act=act,
                t=t,
                country=country,
                theme=by_code[("theme", theme)].label(rng.choice(["en", "es", "it", "de"])),
                theme2=by_code[("theme", theme2)].label("en").lower(),
            )
        )
    return out


def to_nquads(doc: SearchDoc, concepts: dict[tuple[str, str], Concept]) -> str:
    """The record as N-Quads in its own named graph (the shape `kg ingest` writes)."""

    def lit(text: str, lang: str | None = None) -> str:
        escaped = json.dumps(text, ensure_ascii=False)
        return f"{escaped}@{lang}" if lang else escaped

    s, g = f"<{doc.iri}>", f"<{doc.iri.replace('/id/', '/graph/')}>"
    preds = {
        "theme": "http://purl.org/dc/terms/subject",
        "target_group": "https://w3id.org/rikg/ns#targetGroup",
        "funding": "https://w3id.org/rikg/ns#fundingProgramme",
        "challenge": "https://w3id.org/rikg/ns#addressesChallenge",
        "country": "http://purl.org/dc/terms/spatial",
        "nuts": "http://purl.org/dc/terms/spatial",
    }
    lines = [
        f"{g} <http://schema.org/about> {s}",
        f"{s} <https://w3id.org/rikg/ns#kind> {lit(doc.kind)}",
        f"{s} <http://schema.org/name> {lit(doc.name, 'en')}",
    ]
    lines += [
        f"{s} <http://schema.org/description> {lit(t, la)}" for la, t in doc.descriptions.items()
    ]
    for facet, pred in preds.items():
        for code in doc.facets.get(facet, ()):
            if (facet, code) in concepts:
                lines.append(f"{s} <{pred}> <{concepts[(facet, code)].iri}>")
    lines += [
        f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{INITIATIVE_TYPES[code]}>"
        for code in doc.facets.get("initiative_type", ())
    ]
    if doc.start:
        year = "<http://www.w3.org/2001/XMLSchema#gYear>"
        lines.append(f'{s} <http://schema.org/startDate> "{doc.start}"^^{year}')
    return "".join(f"{line} {g} .\n" for line in lines)


# --- measurements ---------------------------------------------------------------------------
FILTER_SETS = [
    {"theme": ["housing"]},
    {"country": ["ES"]},
    {"kind": ["initiative"], "theme": ["employment"]},
    {"target_group": ["refugees"], "country": ["IT"]},
    {"funding": ["amif"]},
    {"challenge": ["reduced-services"], "kind": ["initiative"]},
]


def concepts_from_ontology() -> dict[str, Concept]:
    store = ox.Store()
    for path in sorted((PROJECT_ROOT / "ontology" / "schemes").glob("*.ttl")):
        graph = ox.NamedNode(f"urn:scheme:{path.stem}")
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return gather_concepts(store)


def percentiles(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "queries": len(ms),
    }


def throughput(
    docs: list[SearchDoc],
    concepts: dict[str, Concept],
    embedder: SentenceTransformerEmbedder,
    cache: VectorCache,
) -> dict[str, Any]:
    """Raw model.encode of the records' passages, then an index build of the same records
    from a cold vector cache."""
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    texts = [t for d in docs for t in passages(d, by_code)]
    model = embedder._load()
    start = time.perf_counter()
    model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
    raw = time.perf_counter() - start
    start = time.perf_counter()
    build_index(docs, concepts, embedder=embedder, cache=cache, version="bench", progress=False)
    built = time.perf_counter() - start
    per_k = 1000 / len(docs)
    return {
        "records": len(docs),
        "passages": len(texts),
        "passages_per_record": round(len(texts) / len(docs), 2),
        "raw_encode_s": round(raw, 2),
        "raw_encode_texts_per_s": round(len(texts) / raw, 1),
        "raw_encode_s_per_1000_records": round(raw * per_k, 2),
        "index_build_s": round(built, 2),
        "index_build_s_per_1000_records": round(built * per_k, 2),
        "build_over_raw": round(built / raw, 3),
    }


def latency(
    docs: list[SearchDoc],
    concepts: dict[str, Concept],
    pool: np.ndarray,
    embedder: SentenceTransformerEmbedder,
    texts: list[str],
    *,
    n_queries: int,
    seed: int,
) -> dict[str, Any]:
    rows = np.arange(len(docs)) % len(pool)
    start = time.perf_counter()
    index = assemble_index(docs, concepts, pool[rows], version="bench", embedder=embedder)
    assembled = time.perf_counter() - start
    rng = random.Random(seed)
    out: dict[str, Any] = {
        "records": len(docs),
        "vectors_tiled": len(docs) > len(pool),
        "index_without_embedding_s": round(assembled, 2),
        "index_without_embedding_s_per_1000_records": round(assembled * 1000 / len(docs), 3),
    }
    variants = [
        ("hybrid_filtered", "hybrid", True, n_queries),
        ("hybrid", "hybrid", False, n_queries // 2),
        ("keyword_filtered", "keyword", True, n_queries // 2),
        ("vector_filtered", "vector", True, n_queries // 2),
    ]
    for name, mode, filtered, count in variants:
        timings, totals = [], []
        for _ in range(count):
            filters = rng.choice(FILTER_SETS) if filtered else {}
            query = SearchQuery(rng.choice(texts), mode=mode, filters=filters, limit=10)
            index.encode_query.cache_clear()  # every query pays for its embedding
            start = time.perf_counter()
            results = search(index, query)
            timings.append(time.perf_counter() - start)
            totals.append(results.total)
        out[name] = {**percentiles(timings), "mean_total": round(statistics.fmean(totals))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--embed", type=int, default=4_000, help="records embedded for real")
    parser.add_argument("--raw", type=int, default=500, help="records for the throughput test")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rdf", type=Path, help="also write the synthetic records as N-Quads")
    parser.add_argument("--output", type=Path, default=RESULTS / "search.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started, load = time.perf_counter(), os.getloadavg()

    concepts = concepts_from_ontology()
    t = time.perf_counter()
    docs = generate(max(sizes), concepts, seed=args.seed)
    generated = time.perf_counter() - t
    print(f"generated {len(docs)} records in {generated:.1f}s", flush=True)
    if args.rdf:
        by_code = {(c.facet, c.code): c for c in concepts.values()}
        args.rdf.write_text("".join(to_nquads(d, by_code) for d in docs))

    embedder = SentenceTransformerEmbedder()
    t = time.perf_counter()
    embedder.encode_query("load the model")
    model_load = time.perf_counter() - t
    tmp = Path(tempfile.mkdtemp(prefix="kg-search-bench-"))
    try:
        cache = VectorCache(tmp / "vectors.sqlite")
        build = throughput(docs[: args.raw], concepts, embedder, cache)
        print(json.dumps(build), flush=True)
        t = time.perf_counter()  # the throughput records are cached: only the rest is new
        pool_index, _ = build_index(
            docs[: args.embed], concepts, embedder=embedder, cache=cache, version="pool"
        )
        pool_secs = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pool = pool_index.vectors
    print(f"embedded {len(pool)} records in {pool_secs:.1f}s", flush=True)

    texts = queries(random.Random(args.seed), concepts)
    sizes_out = []
    for n in sizes:
        result = latency(
            docs[:n], concepts, pool, embedder, texts, n_queries=args.queries, seed=args.seed
        )
        print(json.dumps(result), flush=True)
        sizes_out.append(result)

    report = {
        "machine": {**describe(), "load_average_at_start": load},
        "model": embedder.name,
        "generate_s": round(generated, 1),
        "model_load_s": round(model_load, 1),
        "throughput": build,
        "embedded_records": len(pool),
        "embedded_in_s": round(pool_secs, 1),  # records after the first --raw ones
        "latency": sizes_out,
        "wall_clock_s": round(time.perf_counter() - started, 1),
    }
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1))
    print(markdown(report["machine"]))


if __name__ == "__main__":
    main()
