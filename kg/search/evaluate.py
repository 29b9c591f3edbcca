"""Search quality, measured: nDCG@10, recall@10 and MRR per ranking mode, the share of
navigational queries whose named record comes first, the share of off-topic queries with no
result.

A queries file has one JSON object per line (`eval/README.md`): `{"q": ..., "relevant":
{"slug": grade}}` with grade 2 (highly relevant), 1 (relevant) or 0 (judged not relevant: a
pooled record read and found not to answer); `{"q": ..., "top": "slug"}`
(the record the query names); or `{"q": ...}` alone (nothing should match). nDCG uses the gain
2^grade − 1 and the discount log2(rank + 1); recall@10 counts relevant records of any grade
among the first ten; MRR is 1 / rank of the first relevant record in the result set (0 when
none is found). nDCG'@10 (`judged_ndcg`) is nDCG@10 of the ranking with the records the file
does not judge taken out ("condensed lists", T. Sakai, "Alternatives to Bpref", SIGIR 2007):
judgments written for a smaller graph miss the records added since, and an unjudged record
ranked above a judged one lowers nDCG@10 whether it answers the query or not. The two together
say whether a loss is a judged record ranked low (both fall) or unjudged records ranked above
judged ones (only nDCG@10 falls), which only new judgments can settle; nDCG@10 stays the
measure. Queries are asked as a user would: the default search with no filter, every
kind of record in its relevance order (named record, then initiatives, then other kinds;
`kg.search.rank`); `kinds` restricts the kinds for comparison.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import BadRequest
from kg.search.index import SearchIndex
from kg.search.rank import MODES, SearchQuery, rank

K = 10


@dataclass(frozen=True)
class Judged:
    text: str
    relevant: dict[str, int]
    top: str | None = None  # navigational: the record that must come first
    offtopic: bool = False  # nothing should match

    @property
    def kind(self) -> str:
        return "navigational" if self.top else "offtopic" if self.offtopic else "graded"


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float
    mrr: float
    queries: int
    judged_ndcg: float = 0.0  # nDCG'@10: unjudged records taken out (module docstring)
    first: float = 0.0  # navigational: share with the named record first
    empty: float = 0.0  # off-topic: share with no result


@dataclass(frozen=True)
class QueryResult:
    query: Judged
    mode: str
    ranked: list[str]
    ndcg: float
    recall: float
    rr: float
    total: int = 0
    judged_ndcg: float = 0.0


def load_queries(path: Path) -> list[Judged]:
    out = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = str(data["q"])
            if "relevant" in data:
                relevant = {str(k): int(v) for k, v in data["relevant"].items()}
                if bad := sorted(set(relevant.values()) - {0, 1, 2}):
                    raise ValueError(f"grade {bad[0]} is not 0, 1 or 2")
                judged = Judged(text, relevant)
            elif "top" in data:
                judged = Judged(text, {str(data["top"]): 2}, top=str(data["top"]))
            else:
                judged = Judged(text, {}, offtopic=True)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BadRequest(
                f"{path}:{n}: expected {{'q': ..., 'relevant': {{slug: grade}}}}, "
                f"{{'q': ..., 'top': slug}} or {{'q': ...}}: {exc}"
            ) from None
        out.append(judged)
    return out


def ndcg(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best > 0 else 0.0


def judged_ndcg(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    """nDCG@k of `ranked` without the records `relevant` does not name (Sakai's condensed
    list; module docstring): 1.0 when the judged records come in the best order, whatever
    unjudged records stand between them."""
    return ndcg([s for s in ranked if s in relevant], relevant, k)


def recall(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    wanted = {s for s, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    for i, slug in enumerate(ranked):
        if relevant.get(slug, 0) > 0:
            return 1 / (i + 1)
    return 0.0


def run(
    index: SearchIndex,
    queries: Sequence[Judged],
    *,
    modes: Sequence[str] = MODES,
    kinds: Sequence[str] = (),
    fusion: str = "weighted",
) -> list[QueryResult]:
    out = []
    filters = {"kind": list(kinds)} if kinds else {}
    for mode in modes:
        for q in queries:
            ranking = rank(index, SearchQuery(q.text, mode=mode, filters=filters, fusion=fusion))
            ranked = [index.docs[int(r)].slug for r in ranking.rows]
            out.append(
                QueryResult(
                    q,
                    mode,
                    ranked,
                    ndcg(ranked, q.relevant),
                    recall(ranked, q.relevant),
                    reciprocal_rank(ranked, q.relevant),
                    len(ranking.rows),
                    judged_ndcg(ranked, q.relevant),
                )
            )
    return out


def pool(results: Sequence[QueryResult], depth: int = K) -> dict[str, list[str]]:
    """The records to judge next (TREC pooling): per graded query, each record that any mode
    ranked in its first `depth` and the file does not judge, sorted by slug so an assessor
    cannot read the rank order from the list. Queries with nothing to judge are left out.
    `kg eval --pool FILE` writes it; `eval/README.md` says how such a pool was judged."""
    out: dict[str, set[str]] = {}
    for r in results:
        if r.query.kind == "graded":
            fresh = {s for s in r.ranked[:depth] if s not in r.query.relevant}
            out.setdefault(r.query.text, set()).update(fresh)
    return {q: sorted(slugs) for q, slugs in out.items() if slugs}


def summarise(results: Sequence[QueryResult]) -> dict[str, Scores]:
    by_mode: dict[str, list[QueryResult]] = {}
    for r in results:
        by_mode.setdefault(r.mode, []).append(r)
    return {
        mode: Scores(
            ndcg=sum(r.ndcg for r in rs) / len(rs),
            recall=sum(r.recall for r in rs) / len(rs),
            mrr=sum(r.rr for r in rs) / len(rs),
            queries=len(rs),
            judged_ndcg=sum(r.judged_ndcg for r in rs) / len(rs),
            first=sum(1 for r in rs if r.query.top and r.ranked[:1] == [r.query.top]) / len(rs),
            empty=sum(1 for r in rs if r.total == 0) / len(rs),
        )
        for mode, rs in by_mode.items()
    }
