"""The name lane (issue 13 item 1): records whose name the query is, or closely matches.

Name fields are a record's names in every language, alternate names and acronyms,
identifiers (grant numbers) and its slug, each reduced to its index terms (`kg.search.text`).
A field F matches the query's terms Q (in order, stopwords removed, after spelling correction)
when one holds the other as a contiguous run and the shorter is at least half the longer:

- F is a run of Q, |F| ≥ |Q| / 2 — "Matilde project" names MATILDE;
- Q is the start of F, |Q| ≥ |F| / 2 — "Action Plan on Integration and Inclusion" names the
  "… 2021–2027" plan; or, when Q holds a coined word (one the language lists do not hold:
  `ordinary` below), any run of F — "Cepaim" names Fundación Cepaim. A phrase of ordinary
  words inside a name is a subject: a search trial's "desarrollo rural", "cooperativa
  sociale", "social innovation", "employment services" had pinned the organisations Red
  Estatal de Desarrollo Rural, K-Pax Cooperativa Sociale, CSI Center for Social Innovation and
  the Swedish Public Employment Service.

A field also matches when the query, its letters and digits run together, is the field run
together (`squashed`): people type a name's words joined or split otherwise than the record
writes them ("wholecomm", "agri4integration", "ern 4 mob", "youth 4 all" for WHOLE-COMM, Agri 4
Integration, ERN4MOB, Youth4All). Stopwords count there, as the name is written; at least
`SQUASHED_MIN` characters, so two letters never name a record.

A run of one term that is a common word of the collection (held by more than `COMMON` of the
records: "integration", "rural", "project") names nothing: "integration" is a subject, not the
organisation Integration Halland, nor "project" the firm ON Projects (whose "ON" is a stopword).
A query of the whole name as written ("Integration Halland") still names it; so does a run of
several terms, specific by their conjunction ("Rural Pact"). Nor does one word of the languages
(`ordinary`: a word of the spelling dictionary, `kg.search.dictionary`) name a record of which
it is only a part: "Austria" is a subject, not the organisation BAB Austria, nor "district" the
Burgenland district; a coined word, which the language lists do not hold, does: "Cepaim" is
Fundación Cepaim, "Halland" Integration Halland. 10 % is MySQL's full-text rule
(a word in half the rows is noise) made stricter for names: on the bundled graph the name
words such a rule could touch are "together" (14 %) and, below 10 %, "share", "arrival",
"agri", "leader" (6.5–7.4 %), while the subject words are held by 24-41 %.

The match score is |shorter| / |longer| (1 for an exact name). Matched records come first in the
relevance order, whatever their kind, ahead of the fused keyword and meaning scores: a field-
aware ranking such as BM25F would weigh names more but could still let a long description full
of the query's words outrank a short exact name; a separate lane cannot. The rule needs no
weight, and it reads no other record, so it holds at any collection size.

Lookups are by hash: every field and every run of a field that qualifies is hashed into one
sorted array, so a query costs |Q|² binary searches whatever the collection size (each hit is
checked against the record's terms, so hash collisions cannot match).
"""

from __future__ import annotations

import zlib
from collections.abc import Container, Sequence

import numpy as np
import numpy.typing as npt

from kg.search.documents import SearchDoc
from kg.search.text import WORD, fold, tokenize

#: share of the records above which a term is a common word of the collection (docstring)
COMMON = 0.1
#: characters a name run together must have to be matched so (module docstring)
SQUASHED_MIN = 4


def name_fields(doc: SearchDoc) -> list[tuple[str, ...]]:
    """The term sequences of the record's name fields, distinct."""
    texts = [*doc.names.values(), *doc.alt_names, *doc.identifiers, doc.slug.replace("-", " ")]
    return list(dict.fromkeys(t for text in texts if (t := tuple(tokenize(text)))))


def squashed(text: str) -> str:
    """The letters and digits of `text`, folded and run together: 'Agri 4 Integration' →
    'agri4integration'."""
    return "".join(WORD.findall(fold(text)))


def squashed_fields(doc: SearchDoc) -> list[str]:
    """The record's name fields run together (`squashed`), at least `SQUASHED_MIN` long."""
    texts = [*doc.names.values(), *doc.alt_names, *doc.identifiers, doc.slug]
    return list(dict.fromkeys(k for text in texts if len(k := squashed(text)) >= SQUASHED_MIN))


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
                    for first in range(len(terms) - n + 1):
                        keys.append(_key(terms[first : first + n], whole=False))
                        rows.append(row)
            for joined in squashed_fields(doc):
                keys.append(_key(("~", joined), whole=True))
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

    def match(
        self,
        terms: Sequence[str],
        text: str = "",
        common: Container[str] = (),
        ordinary: Container[str] = (),
    ) -> dict[int, float]:
        """Record row → match score in [0.5, 1] for every record the terms name; `text` is
        the query as typed (matched run together: module docstring), `common` the query terms
        that are common words of the collection (a run of one of them alone names nothing),
        `ordinary` those that are words of the languages (one alone names no record of which
        it is only part)."""
        q = tuple(terms)
        found: dict[int, float] = {}
        joined = squashed(text)
        if len(joined) >= SQUASHED_MIN:
            (rows,) = self._rows_of([_key(("~", joined), whole=True)])
            for row in rows.tolist():
                if joined in squashed_fields(self._docs[row]):
                    found[row] = 1.0
        if not q:
            return found
        n = len(q)
        runs = [
            q[first : first + size]
            for size in range(n, (n + 1) // 2 - 1, -1)
            for first in range(0, n - size + 1)
            if size > 1 or q[first] not in common
        ]
        keys = [_key(run, whole=True) for run in runs] + [_key(q, whole=False)]
        *whole, part = self._rows_of(keys)
        for run, rows in zip(runs, whole, strict=True):
            for row in rows.tolist():
                if run in name_fields(self._docs[row]):
                    found[row] = max(found.get(row, 0.0), len(run) / n)
        plain = all(t in ordinary for t in q)  # words of the languages only: a subject?
        if n == 1 and (q[0] in common or plain):
            return found
        for row in part.tolist():
            for fields in name_fields(self._docs[row]):
                inside = fields[:n] == q or (not plain and _holds(fields, q))
                if 2 * n >= len(fields) and inside:
                    found[row] = max(found.get(row, 0.0), n / len(fields))
        return found


def _holds(fields: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """Whether `run` occurs in `fields` as a contiguous run."""
    n = len(run)
    return any(fields[i : i + n] == run for i in range(len(fields) - n + 1))
