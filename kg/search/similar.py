"""Similar records for record pages (issue 4 item 5): the nearest records by meaning, re-ranked
by the themes, target groups and rural profile (challenges, opportunities) they share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kg.errors import NotFound
from kg.search.documents import SearchDoc
from kg.search.explain import SharedValue
from kg.search.index import SearchIndex

PROFILE = ("theme", "target_group", "challenge", "opportunity")
CANDIDATES = 30
#: weight of the shared profile (Jaccard overlap) against cosine similarity
PROFILE_WEIGHT = 0.5


@dataclass(frozen=True)
class Similar:
    doc: SearchDoc
    score: float
    similarity: float
    shared: list[SharedValue]


def similar(
    index: SearchIndex, iri: str, *, limit: int = 5, kinds: tuple[str, ...] = (), lang: str = "en"
) -> list[Similar]:
    """Up to `limit` records of `kinds` (default: the record's own kind) most like `iri`."""
    row = index.positions.get(iri)
    if row is None:
        raise NotFound(f"no record {iri} in the search index")
    doc = index.docs[row]
    mask = np.zeros(len(index), dtype=bool)
    for kind in kinds or (doc.kind,):
        mask[index.postings.get("kind", {}).get(kind, np.zeros(0, np.int32))] = True
    mask[row] = False
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return []
    sims = index.vectors[rows] @ index.vectors[row]
    k = min(len(rows), CANDIDATES)
    top = np.argpartition(-sims, k - 1)[:k]
    mine = _profile(doc)
    found = []
    for t in top:
        other = index.docs[int(rows[t])]
        theirs = _profile(other)
        union = mine | theirs
        overlap = len(mine & theirs) / len(union) if union else 0.0
        sim = float(sims[t])
        score = (1 - PROFILE_WEIGHT) * sim + PROFILE_WEIGHT * overlap
        shared = [SharedValue(f, c, index.label(f, c, lang)) for f, c in sorted(mine & theirs)]
        found.append(Similar(other, round(score, 4), round(sim, 4), shared))
    found.sort(key=lambda s: (-s.score, s.doc.name))
    return found[:limit]


def _profile(doc: SearchDoc) -> set[tuple[str, str]]:
    return {(f, c) for f in PROFILE for c in doc.facets.get(f, ())}
