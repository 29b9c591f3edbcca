"""The name lane (issue 13 item 1): records whose name the query is, or closely matches.

Name fields are a record's names in every language, alternate names and acronyms,
identifiers (grant numbers) and its slug, each reduced to its index terms (`kg.search.text`).
A field F matches the query's terms Q (in order, stopwords removed, after spelling correction)
when one holds the other as a contiguous run and the shorter is at least half the longer:

- F is a run of Q, |F| ≥ |Q| / 2 — "Matilde project" names MATILDE;
- Q is the start of F, |Q| ≥ |F| / 2 — "Action Plan on Integration and Inclusion" names the
  "… 2021–2027" plan.

The match score is |shorter| / |longer| (1 for an exact name). Matched records come first in the
relevance order, whatever their kind, ahead of the fused keyword and meaning scores: a field-
aware ranking such as BM25F would weigh names more but could still let a long description full
of the query's words outrank a short exact name; a separate lane cannot. The rule needs no
weight, and it reads no other record, so it holds at any collection size.

Lookups are by hash: every field and every start of a field that qualifies is hashed into one
sorted array, so a query costs |Q|² binary searches whatever the collection size (each hit is
checked against the record's terms, so hash collisions cannot match).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kg.search.documents import SearchDoc
from kg.search.text import tokenize


def name_fields(doc: SearchDoc) -> list[tuple[str, ...]]:
    """The term sequences of the record's name fields, distinct."""
    texts = [*doc.names.values(), *doc.alt_names, *doc.identifiers, doc.slug.replace("-", " ")]
    return list(dict.fromkeys(t for text in texts if (t := tuple(tokenize(text)))))


def _key(terms: Sequence[str], *, whole: bool) -> int:
    data = ("=" if whole else "^").encode() + "\x1f".join(terms).encode()
    return zlib.crc32(data) << 32 | zlib.adler32(data)


class NameIndex:
    """Name fields of every record, looked up by the terms of a query."""

    def __init__(self, docs: Sequence[SearchDoc]) -> None:
        self._docs = docs
        keys: list[int] = []
        rows: list[int] = []
        for row, doc in enumerate(docs):
            for terms in name_fields(doc):
                keys.append(_key(terms, whole=True))
                rows.append(row)
                for n in range((len(terms) + 1) // 2, len(terms)):
                    keys.append(_key(terms[:n], whole=False))
                    rows.append(row)
        order = np.argsort(np.asarray(keys, dtype=np.uint64), kind="stable")
        self._keys = np.asarray(keys, dtype=np.uint64)[order]
        self._rows: npt.NDArray[np.int32] = np.asarray(rows, dtype=np.int32)[order]

    def _rows_of(self, keys: list[int]) -> list[npt.NDArray[np.int32]]:
        """The rows under each key (one vectorised lookup for all)."""
        wanted = np.asarray(keys, dtype=np.uint64)
        low = np.searchsorted(self._keys, wanted, side="left")
        high = np.searchsorted(self._keys, wanted, side="right")
        return [self._rows[a:b] for a, b in zip(low.tolist(), high.tolist(), strict=True)]

    def match(self, terms: Sequence[str]) -> dict[int, float]:
        """Record row → match score in [0.5, 1] for every record the terms name."""
        q = tuple(terms)
        found: dict[int, float] = {}
        if not q:
            return found
        n = len(q)
        runs = [
            q[first : first + size]
            for size in range(n, (n + 1) // 2 - 1, -1)
            for first in range(0, n - size + 1)
        ]
        keys = [_key(run, whole=True) for run in runs] + [_key(q, whole=False)]
        *whole, prefix = self._rows_of(keys)
        for run, rows in zip(runs, whole, strict=True):
            for row in rows.tolist():
                if run in name_fields(self._docs[row]):
                    found[row] = max(found.get(row, 0.0), len(run) / n)
        for row in prefix.tolist():
            for fields in name_fields(self._docs[row]):
                if fields[:n] == q and 2 * n >= len(fields):
                    found[row] = max(found.get(row, 0.0), n / len(fields))
        return found
