"""Ranking: BM25 and vector similarity fused into one list, filtered and faceted by the graph.

Fusion, chosen by measurement (issue 4 item 2). On `eval/dev-queries.jsonl` (initiatives,
bundled model, nDCG@10): keyword 0.951, vector 0.985; reciprocal rank fusion (k = 60) 0.981 —
it cannot beat its better input when one input is clearly better; a convex combination of
normalised scores, `0.6 · vector + 0.4 · keyword`, 0.989 (crosslingual file: RRF 0.902, convex
0.942). The convex combination is kept, as in Bruch et al., "An analysis of fusion functions for
hybrid retrieval" (TOIS 2023): it uses how far apart scores are, not only their order. α = 0.6
is the middle of the plateau 0.55–0.7 on both files, not a peak. BM25 is divided by its best
score among the candidates; similarity is min-max scaled over the candidates (the union of
keyword matches and the vector set), so the weight means the same whatever the collection size.
`fusion="rrf"` keeps RRF available for comparison (`kg eval --fusion rrf`).

The result set (what `total` and the facet counts describe): keyword mode, every record with a
query word; vector mode, records whose similarity stands out for this query (at least one
standard deviation above the mean over the filtered records — a scale-free rule that holds for
models whose cosines sit in different ranges), never fewer than the 10 nearest nor more than
100; hybrid, the union of both.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kg.errors import BadRequest
from kg.search.documents import FACETS
from kg.search.index import IntArray, SearchIndex
from kg.search.understand import Understanding, understand

MODES = ("hybrid", "keyword", "vector")
FUSIONS = ("weighted", "rrf")
FILTERS = tuple(f for f in FACETS if f != "year")
ALPHA = 0.6
RRF_K = 60
VECTOR_Z = 1.0
VECTOR_MIN, VECTOR_MAX = 10, 100
SIMILARITY_BLOCK = 2048  # filtered rows multiplied at a time: 3 MB, stays in the cache
Floats = npt.NDArray[np.float32]
Rows = npt.NDArray[np.intp]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    mode: str = "hybrid"
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    limit: int = 10
    offset: int = 0
    lang: str = "en"
    fusion: str = "weighted"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise BadRequest(f"mode must be one of {', '.join(MODES)}")
        if self.fusion not in FUSIONS:
            raise BadRequest(f"fusion must be one of {', '.join(FUSIONS)}")
        unknown = sorted(set(self.filters) - set(FILTERS))
        if unknown:
            raise BadRequest(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTERS)}")
        if self.limit < 0 or self.offset < 0:
            raise BadRequest("limit and offset must not be negative")
        # codes as the graph writes them: ES, ES24 (concept ids are lowercase already)
        normal = {
            f: tuple(v.strip().upper() if f in ("country", "nuts") else v.strip() for v in vals)
            for f, vals in self.filters.items()
            if vals
        }
        object.__setattr__(self, "filters", normal)


@dataclass(frozen=True)
class Ranking:
    """The result set in rank order, with each row's fused, keyword and vector scores."""

    rows: Rows
    scores: Floats
    keyword: Floats | None
    similarity: Floats | None
    understanding: Understanding | None


def parse_years(value: str) -> tuple[int, int]:
    """`2020` or `2018-2021` (an initiative is active in year Y if start ≤ Y ≤ end)."""
    first, _, last = value.strip().partition("-")
    try:
        years = (int(first), int(last or first))
    except ValueError:
        raise BadRequest(f"year must be YYYY or YYYY-YYYY, not {value!r}") from None
    if years[0] > years[1]:
        raise BadRequest(f"year range {value!r} ends before it starts")
    return years


def filter_mask(index: SearchIndex, query: SearchQuery) -> npt.NDArray[np.bool_]:
    """Records passing every filter: values of one facet combine with AND (kind: with OR)."""
    mask = np.ones(len(index), dtype=bool)
    for facet, values in query.filters.items():
        if not values:
            continue
        postings = index.postings.get(facet, {})
        empty = np.zeros(0, dtype=np.int32)
        if facet == "kind":
            keep = np.zeros(len(index), dtype=bool)
            for value in values:
                keep[postings.get(value, empty)] = True
            mask &= keep
            continue
        for value in values:
            keep = np.zeros(len(index), dtype=bool)
            keep[postings.get(value, empty)] = True
            mask &= keep
    if query.years is not None:
        first, last = query.years
        mask &= (
            (index.start > 0) & (index.start <= last) & ((index.end == 0) | (index.end >= first))
        )
    return mask


def rank(index: SearchIndex, query: SearchQuery) -> Ranking:
    """The whole result set in rank order (pagination and explanations come after)."""
    mask = filter_mask(index, query)
    text = query.text.strip()
    u = understand(text, index.matcher) if text else None
    if u is None or len(index) == 0 or (query.mode == "keyword" and not u.terms):
        rows = np.flatnonzero(mask)
        rows = rows[np.argsort(index.browse_rank[rows], kind="stable")]
        return Ranking(rows, np.zeros(len(rows), np.float32), None, None, u)
    keyword = _keyword(index, u) if query.mode != "vector" else None
    similarity = _similarity(index, u, mask) if query.mode != "keyword" else None
    matched = np.zeros(len(index), dtype=bool) if keyword is None else mask & (keyword > 0)
    near = np.zeros(len(index), dtype=bool) if similarity is None else _near(similarity, mask)
    rows = np.flatnonzero(matched | near)
    if query.mode == "keyword":
        assert keyword is not None
        scores = keyword[rows]
    elif query.mode == "vector":
        assert similarity is not None
        scores = similarity[rows]
    elif query.fusion == "rrf":
        assert keyword is not None
        assert similarity is not None
        scores = _rrf(keyword, similarity, mask)[rows]
    else:
        assert keyword is not None
        assert similarity is not None
        scores = _convex(keyword[rows], similarity[rows])
    order = _by_score(scores.astype(np.float32), index.browse_rank[rows])
    return Ranking(rows[order], scores[order].astype(np.float32), keyword, similarity, u)


def _by_score(scores: Floats, ties: IntArray) -> Rows:
    """The order of `np.lexsort((ties, -scores))` (score descending, then `ties` ascending)
    by one sort of 64-bit keys, unique as the tie ranks are: half the time over 80,000 rows.
    The high half is the float's bits mapped to an unsigned integer of the same order (negated:
    higher scores first), the low half the tie rank (non-negative, below 2**31)."""
    bits = (-scores + np.float32(0.0)).view(np.uint32)  # + 0.0: -0.0 and 0.0 tie, as in lexsort
    flip = np.where(bits >> 31 == 1, np.uint32(0xFFFFFFFF), np.uint32(0x80000000))
    keys = (bits ^ flip).astype(np.uint64) << np.uint64(32) | ties.astype(np.uint64)
    return np.argsort(keys)


def _keyword(index: SearchIndex, u: Understanding) -> Floats:
    """BM25 scores of every record: `bm25s.BM25.get_scores`, whose `np.add.at` took 3 to 20 ms
    at 100,000 records; a term's postings name each record once, so a plain indexed add is the
    same sum in the same order."""
    ids = [index.bm25.vocab_dict[t] for t in dict.fromkeys(u.terms) if t in index.bm25.vocab_dict]
    scores = np.zeros(len(index), dtype=np.float32)
    matrix = index.bm25.scores if ids else {}
    for token in ids:
        start, end = int(matrix["indptr"][token]), int(matrix["indptr"][token + 1])
        scores[matrix["indices"][start:end]] += matrix["data"][start:end]
    return scores


def _similarity(index: SearchIndex, u: Understanding, mask: npt.NDArray[np.bool_]) -> Floats:
    """Cosine similarity to the (concept-expanded) query; only filtered rows are computed.

    `einsum`, not `@`: BLAS splits a matrix-vector product over both cores, and with anything
    else running on this 2-core machine that made it 2 to 3 times slower (issue 4 latency); the
    product is bound by memory, which one core saturates."""
    vector = index.encode_query(u.expanded())
    rows = np.flatnonzero(mask)
    if 2 * len(rows) > len(index):  # most rows: one pass over the whole matrix is cheaper
        out = np.asarray(np.einsum("ij,j->i", index.vectors, vector), dtype=np.float32)
        out[~mask] = -1.0
        return out
    out = np.full(len(index), -1.0, dtype=np.float32)
    # Copying the filtered rows (`vectors[rows]`) writes as much as it reads; blocks that stay
    # in the cache cost a third of that.
    block = np.empty((min(len(rows), SIMILARITY_BLOCK), index.vectors.shape[1]), np.float32)
    for first in range(0, len(rows), SIMILARITY_BLOCK):
        chunk = rows[first : first + SIMILARITY_BLOCK]
        # mode="clip" (the rows are valid): "raise" copies through a temporary buffer
        np.take(index.vectors, chunk, axis=0, out=block[: len(chunk)], mode="clip")
        out[chunk] = np.einsum("ij,j->i", block[: len(chunk)], vector)
    return out


def _near(similarity: Floats, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The vector result set (see the module docstring)."""
    rows = np.flatnonzero(mask)
    near = np.zeros(len(similarity), dtype=bool)
    if len(rows) == 0:
        return near
    values = similarity[rows]
    k = min(len(rows), VECTOR_MAX)
    top = np.argpartition(-values, k - 1)[:k]
    top = top[np.argsort(-values[top], kind="stable")]
    threshold = float(values.mean() + VECTOR_Z * values.std())
    keep = (values[top] >= threshold) | (np.arange(len(top)) < VECTOR_MIN)
    near[rows[top[keep]]] = True
    return near


def _convex(keyword: Floats, similarity: Floats) -> Floats:
    best = float(keyword.max()) if len(keyword) else 0.0
    kw = keyword / best if best > 0 else np.zeros_like(keyword)
    low, high = (float(similarity.min()), float(similarity.max())) if len(similarity) else (0, 0)
    vec = (similarity - low) / (high - low) if high > low else np.ones_like(similarity)
    return np.asarray(ALPHA * vec + (1 - ALPHA) * kw, dtype=np.float32)


def _rrf(keyword: Floats, similarity: Floats, mask: npt.NDArray[np.bool_]) -> Floats:
    def ranks(scores: Floats) -> Floats:
        order = np.argsort(-np.where(mask, scores, -np.inf), kind="stable")
        out = np.empty(len(scores), dtype=np.float32)
        out[order] = np.arange(1, len(scores) + 1)
        return out

    fused = 1.0 / (RRF_K + ranks(similarity))
    return np.asarray(fused + np.where(keyword > 0, 1.0 / (RRF_K + ranks(keyword)), 0), np.float32)


# --- facets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def facet_counts(
    index: SearchIndex, rows: Rows, *, lang: str = "en"
) -> dict[str, list[FacetValue]]:
    """For each facet, how many records of the result set carry each value (most first)."""
    counts = index.value_counts(rows)
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        if facet == "year":
            out[facet] = _year_counts(index, rows)
            continue
        values = [
            FacetValue(code, index.label(facet, code, lang), int(counts[number]))
            for code, number in index.facet_values.get(facet, {}).items()
            if counts[number]
        ]
        out[facet] = sorted(values, key=lambda v: (-v.count, v.label.lower()))
    return out


def _year_counts(index: SearchIndex, rows: Rows) -> list[FacetValue]:
    start, end = index.start[rows], index.end[rows]
    dated = start > 0
    if not dated.any():
        return []
    start, end = start[dated], end[dated]
    this_year = datetime.date.today().year
    end = np.where(end == 0, max(this_year, int(start.max())), np.maximum(end, start))
    first, last = int(start.min()), int(end.max())
    size = last - first + 2
    delta = np.bincount(start - first, minlength=size)
    delta -= np.bincount(end - first + 1, minlength=size)
    counts = np.cumsum(delta)[:-1]
    return [FacetValue(str(first + i), str(first + i), int(c)) for i, c in enumerate(counts)]
