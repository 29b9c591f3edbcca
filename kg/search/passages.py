"""A record read passage by passage: its sentences, and the clauses of its lists (not
`kg.search.index.passages`, the few long texts whose mean vector stands for the whole record).

The sense check of a query of several words (`kg.search.rank`, step 1) compares the query with
each of its best keyword matches as a whole. A record of twenty statements reads, as a whole,
as what most of them say: "elderly care" is far (cosine 0.29) from the Spanish village whose
new residents found work in a care home for the elderly, and a trial's "care workers" found
nothing where records say it. The passage that says it is close (0.50). So when no whole record
is close enough, the passages of the best matches that hold the weightier half of the query's
terms are read one by one (`PassageReader.closest`). Weighed by how rare a term is (its
inverse document frequency), as BM25 weighs it: a passage that holds only "results" of
"football results" (a word of most records) is not about the query, one that holds "football"
may be.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence

from cachetools import LRUCache

from kg.search.embed import Embedder, Vectors
from kg.search.text import tokenize
from kg.sentences import SENTENCE_END

#: passages one check embeds at most, first come first (its cost is one batch of this size)
BUDGET = 64
#: characters: a shorter part (a place's name, a year) says too little to be read alone
SHORTEST = 15
#: passage vectors kept per process, most recently used (384 floats each: 1.5 MB)
KEPT = 1024
#: a clause of a list: claims list what was done with ";" ("craft workshops; farming; …")
CLAUSE = re.compile(r";\s+")


def passages(parts: Iterable[str]) -> Iterator[str]:
    """The sentences of `parts` (`kg.sentences.SENTENCE_END`), each cut at its semicolons,
    stripped; those under `SHORTEST` characters left out.

    >>> list(passages(["Housing in empty houses; craft workshops. The school stayed open."]))
    ['Housing in empty houses', 'craft workshops', 'The school stayed open.']
    """
    for part in parts:
        for sentence in SENTENCE_END.split(part):
            for clause in CLAUSE.split(sentence):
                clause = clause.strip()
                if len(clause) >= SHORTEST:
                    yield clause


class PassageReader:
    """Embeds passages on first use and keeps their vectors (`KEPT`); safe to share between
    threads (the index is)."""

    def __init__(self) -> None:
        self._kept: LRUCache[str, Vectors] = LRUCache(KEPT)
        self._lock = threading.Lock()

    def closest(
        self,
        embedder: Embedder,
        parts: Iterable[tuple[int, Sequence[str]]],
        weights: Mapping[str, float],
        vector: Vectors,
        *,
        budget: int = BUDGET,
    ) -> dict[int, float]:
        """For each record of `parts` ((row, texts), best match first; the texts as
        `kg.search.index.own_parts` gives them) with a passage holding at least half of the
        weight of the query's terms (`weights`: index term → weight,
        `kg.search.text.tokenize`), the highest cosine, -1.0 to 1.0, between such a passage
        and the query `vector` (unit length). The first `budget` such passages are read, in
        that order; a record without one is left out."""
        wanted = set(weights)
        half = sum(weights.values()) / 2
        read = (
            (row, passage)
            for row, texts in parts
            for passage in passages(texts)
            if sum(weights[t] for t in wanted & set(tokenize(passage))) >= half
        )
        chosen = list(itertools.islice(read, budget)) if wanted else []
        if not chosen:
            return {}
        texts = list(dict.fromkeys(p for _, p in chosen))
        with self._lock:
            known = {p: v for p in texts if (v := self._kept.get(p)) is not None}
        new = [p for p in texts if p not in known]
        if new:
            vectors = embedder.encode_passages(new)
            with self._lock:
                for p, v in zip(new, vectors, strict=True):
                    self._kept[p] = v
                    known[p] = v
        best: dict[int, float] = {}
        for row, passage in chosen:
            similarity = float(known[passage] @ vector)
            best[row] = max(similarity, best.get(row, -1.0))
        return best
