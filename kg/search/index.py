"""The search index: BM25 over every searchable word of a record, one vector per record, and the
facet values of each record, built from the graph and saved beside the embedding cache.

What goes in (issue 4 item 1, issue 9 item 2):

- keyword text: names, acronyms, translations, descriptions in every language, notes, claims,
  place names, organisation and policy names, and the SKOS labels (preferred and alternative, in
  every language of the schemes) of every concept, country and NUTS region the record links to;
- vector: the normalised mean of a few passages — names with the English description, each
  other-language description, the claims, and the English labels of its concepts. One vector per
  record keeps the 100,000-record matrix at 150 MB; measured on the dev queries the mean of
  passages beats a single passage (0.953 vs 0.881 nDCG@10, vector mode) and matches the maximum
  over passages (0.946) at a third of the memory.

Saved and loaded by `kg.search.persist` (`FORMAT` names the saved layout).
"""

from __future__ import annotations

import functools
import logging
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
import numpy.typing as npt

from kg.search.cache import VectorCache, embed_passages
from kg.search.dictionary import NONE as NO_WORDS
from kg.search.dictionary import Words, zipf_in
from kg.search.documents import CONCEPT_FACETS, LINKS, PROPER_NAMES, Concept, SearchDoc
from kg.search.embed import Embedder, Vectors
from kg.search.names import NameIndex
from kg.search.passages import PassageReader
from kg.search.spelling import Speller, abbreviation
from kg.search.text import LANGUAGES, WORD, coined_parts, fold, term, tokenize, words
from kg.search.understand import ConceptMatcher, Understanding
from kg.vocab import INITIATIVE_TYPE_NAMES

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.INFO)  # bm25s sets DEBUG on import: one line per build
FORMAT = 13  # bump when the saved layout or what goes into it changes
IntArray = npt.NDArray[np.int32]
#: order of kinds when there is no query to rank by (browsing with filters only)
PRACTICE_FACETS = ("theme", "target_group", "challenge", "opportunity")
SAMPLE = 4096  # records whose similarity to a query stands for the whole collection
PHRASE_DEPTH = 50  # records holding every query term read for the phrase (`holds_phrase`)
KIND_ORDER = {"initiative": 0, "policy": 1, "event": 2, "organisation": 3, "source": 4}


@dataclass(frozen=True, slots=True)
class Tie:
    """How a record is linked with `record` (a row): by `link` (`LINKS`), which it holds
    (`outward`: a project whose coordinator is `record`) or `record` holds (a project's
    coordinator, linked with the project)."""

    record: int
    link: str
    outward: bool


@dataclass
class SearchIndex:
    version: str
    model: str
    docs: list[SearchDoc]
    concepts: dict[str, Concept]
    vectors: Vectors
    bm25: bm25s.BM25
    embedder: Embedder | None = None
    #: folded word of the keyword text → records holding it (the spelling vocabulary)
    words: dict[str, int] = field(default_factory=dict)
    #: folded word written with accents somewhere → each way the records write it, with the
    #: number of records that do ("integration" → {"intégration": 3, "integration": 7}): a
    #: correction is shown as people write it (`kg.search.spelling`)
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    #: folded words of the five languages, only read as forms of themselves
    #: (`kg.search.dictionary`); set by `SearchService` from its cache folder
    dictionary: Words = field(default_factory=lambda: NO_WORDS)
    #: per entry of the BM25 matrix (aligned with `bm25.scores["indices"]`): the languages
    #: (`LANGUAGE_BITS`) of the record's own texts (`own_keyword_texts`) that hold the term;
    #: 0 when only its concepts' labels do
    own: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    #: language key of `LANGUAGE_BITS` → the folded words the records' own texts write in it
    #: (which languages' records need reading for a word typed: `_typed_bits`)
    written_in: Mapping[str, frozenset[str]] = field(default_factory=dict)
    positions: dict[str, int] = field(init=False)
    by_code: dict[tuple[str, str], Concept] = field(init=False)
    postings: dict[str, dict[str, IntArray]] = field(init=False)
    start: IntArray = field(init=False)
    end: IntArray = field(init=False)
    matcher: ConceptMatcher = field(init=False)
    browse_rank: IntArray = field(init=False)
    facet_values: dict[str, dict[str, int]] = field(init=False)
    value_start: npt.NDArray[np.intp] = field(init=False)
    value_ids: IntArray = field(init=False)
    value_totals: npt.NDArray[np.intp] = field(init=False)
    names: NameIndex = field(init=False)
    docs_initiative: npt.NDArray[np.bool_] = field(init=False)
    name_rank: IntArray = field(init=False)
    sample_vectors: Vectors = field(init=False)
    _concept_vectors: tuple[list[Concept], Vectors] | None = field(init=False, default=None)
    _concept_terms: dict[tuple[str, str], frozenset[str]] = field(init=False, default_factory=dict)
    #: concept IRI → `mentioning`'s answer, computed once per index
    _mentions: dict[str, dict[int, str]] = field(init=False, default_factory=dict)
    _passages: PassageReader = field(init=False, default_factory=PassageReader)
    #: (facet, code, lang) → `label`, for the five languages of `LANGUAGES`: a search's facets
    #: name every value they count (about 280 labels a search at 100,000 records)
    _labels: dict[tuple[str, str, str], str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.positions = {d.iri: i for i, d in enumerate(self.docs)}
        self.by_code = {(c.facet, c.code): c for c in self.concepts.values()}
        rows: dict[str, dict[str, list[int]]] = {}
        for i, doc in enumerate(self.docs):
            for facet, codes in doc.facets.items():
                by_value = rows.setdefault(facet, {})
                for code in codes:
                    by_value.setdefault(code, []).append(i)
        self.postings = {
            f: {c: np.asarray(r, dtype=np.int32) for c, r in v.items()} for f, v in rows.items()
        }
        self._value_matrix()
        self.start = np.asarray([d.start or 0 for d in self.docs], dtype=np.int32)
        self.end = np.asarray([d.end or 0 for d in self.docs], dtype=np.int32)
        self.matcher = ConceptMatcher(self.concepts.values(), self._translating)
        # A-Z by the title a result shows ("ReROOT: Arrival Infrastructures…" under R, not A),
        # a letter with a diacritic beside its base letter ("Łódzkie" under L, "Šťastné" under
        # S: they had followed Z), then case and accents apart to keep the order total
        titles = [(fold(d.title), d.title.casefold(), d.title) for d in self.docs]
        order = sorted(
            range(len(self.docs)),
            key=lambda i: (KIND_ORDER.get(self.docs[i].kind, 9), titles[i]),
        )
        self.browse_rank = np.empty(len(self.docs), dtype=np.int32)
        self.browse_rank[order] = np.arange(len(self.docs), dtype=np.int32)
        by_name = sorted(range(len(self.docs)), key=titles.__getitem__)
        self.name_rank = np.empty(len(self.docs), dtype=np.int32)
        self.name_rank[by_name] = np.arange(len(self.docs), dtype=np.int32)
        self.names = NameIndex(self.docs)
        self.docs_initiative = np.asarray([d.kind == "initiative" for d in self.docs], bool)
        # a fixed, evenly spread sample of records: the collection's similarity to a query is
        # described by its mean and spread over these (kg.search.rank), whatever the filters
        sample = np.unique(np.linspace(0, max(len(self.docs) - 1, 0), SAMPLE).astype(np.intp))
        self.sample_vectors = np.ascontiguousarray(self.vectors[sample[: len(self.vectors)]])
        self.encode_query = functools.lru_cache(maxsize=512)(self._encode_query)
        # a query's terms are matched by the ranking and again by its page's explanations
        self._kept = functools.lru_cache(maxsize=64)(self._kept_by)
        # every concept's mentions, found here once (0.6 s at 100,000 records) rather than by
        # the first search naming it: that search had waited up to 30 ms
        for concept in self.concepts.values():
            if concept.facet not in PLACE_FACETS:
                self.mentioning(concept)

    @functools.cached_property
    def links(self) -> dict[int, dict[int, Tie]]:
        """Record → the records it is linked with, either way, each by its closest link
        (`SearchDoc.linked`, `LINKS` order: a project and its coordinator, partners and funders,
        an organisation and its projects, a policy and the practices contributing to it); built
        on the first search that names a record."""
        out: dict[int, dict[int, Tie]] = {}

        def add(row: int, other: int, tie: Tie) -> None:
            ties = out.setdefault(row, {})
            if other not in ties or LINKS.index(tie.link) < LINKS.index(ties[other].link):
                ties[other] = tie

        for i, doc in enumerate(self.docs):
            for link, iris in doc.linked.items():
                for iri in iris:
                    j = self.positions.get(iri)
                    if j is not None and j != i:
                        add(i, j, Tie(j, link, outward=True))
                        add(j, i, Tie(i, link, outward=False))
        return out

    def linked_to(self, named: Sequence[int]) -> dict[int, tuple[Tie, ...]]:
        """The records linked with a record of `named` and not named themselves: row → how it
        is linked with each (`Tie.record`: the named record), in `named` order."""
        out: dict[int, list[Tie]] = {}
        for n in named:
            for row in self.links.get(n, {}):
                if row not in named:
                    out.setdefault(row, []).append(self.links[row][n])
        return {row: tuple(ties) for row, ties in out.items()}

    @functools.cached_property
    def facet_postings(
        self,
    ) -> dict[str, tuple[list[str], npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
        """Per facet, its `postings` end to end: (codes, records, where each code's records
        begin), for counting a filtered facet's values in one gather (`kg.search.rank`); built
        on the first filtered search, not at load. The records are numpy's index type: a
        gather by 32-bit indices converts them first, which doubled its time (300,000
        postings: 0.39 against 0.18 ms)."""
        out = {}
        for f, by_code in self.postings.items():
            if by_code:  # a facet some record names with no value has no postings
                lengths = [len(r) for r in by_code.values()]
                out[f] = (
                    list(by_code),
                    np.concatenate(list(by_code.values())).astype(np.intp),
                    np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp),
                )
        return out

    @functools.cached_property
    def speller(self) -> Speller:
        """Spelling correction against the words of the keyword text (`words`), leaving the
        words of `dictionary` as written."""
        vocab = self.bm25.vocab_dict
        return Speller(
            self.words,
            lambda t: t in vocab,
            self.dictionary,
            self.spellings,
            self.dictionary.zipf,
            zipf_in,
            self.dictionary.zipfs,
            capitals={
                fold(word)
                for doc in self.docs
                for text in (*doc.names.values(), *doc.alt_names)
                for word in WORD.findall(text)
                if abbreviation(word)
            }
            # an acronym's words, of any length ("MATILDE", "WHOLE-COMM")
            | {
                fold(word)
                for doc in self.docs
                for a in doc.acronyms
                for word in WORD.findall(a)
                if word.isupper()
            },
        )

    def concept_vectors(self) -> tuple[list[Concept], Vectors]:
        """The practice concepts (themes, target groups, rural challenges and opportunities)
        and the vectors of their English labels, embedded on first use."""
        if self._concept_vectors is None:
            if self.embedder is None:
                raise RuntimeError("this index has no embedder attached")
            chosen = [c for c in self.concepts.values() if c.facet in PRACTICE_FACETS]
            chosen.sort(key=lambda c: (c.facet, c.code))
            vectors = self.embedder.encode_passages([c.label("en") for c in chosen])
            self._concept_vectors = (chosen, vectors)
        return self._concept_vectors

    def closest_passages(
        self, rows: Iterable[int], terms: Sequence[str], vector: Vectors
    ) -> dict[int, float]:
        """Of the records `rows` (best match first), those with a passage holding the
        weightier half of `terms` (`kg.search.passages`; a term weighs ln(1 + N / n), N
        records, n of them holding it, as BM25's IDF), each with the cosine of its closest
        such passage to the query `vector`: row → -1.0 to 1.0."""
        if self.embedder is None:
            raise RuntimeError("this index has no embedder attached")
        weights = {t: math.log(1 + len(self) / max(1, self.known(t))) for t in set(terms)}
        parts = ((int(r), own_parts(self.docs[int(r)])) for r in rows)
        return self._passages.closest(self.embedder, parts, weights, vector)

    def known(self, term: str) -> int:
        """How many records hold the index term (0 when none)."""
        token = self.bm25.vocab_dict.get(term)
        if token is None or not self.docs:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[token + 1] - indptr[token])

    def __len__(self) -> int:
        return len(self.docs)

    def _encode_query(self, text: str) -> Vectors:
        if self.embedder is None:
            raise RuntimeError("this index has no embedder attached")
        return self.embedder.encode_query(text)

    def _value_matrix(self) -> None:
        """The facet values of each record as one sparse row per record (CSR: `value_ids`
        from `value_start[i]` to `value_start[i + 1]`), so counting the values of a result set
        reads only that set's rows instead of every posting list (issue 4 latency)."""
        self.facet_values = {}
        number: dict[tuple[str, str], int] = {}
        ids: list[int] = []
        counts = np.zeros(len(self.docs), dtype=np.intp)
        for i, doc in enumerate(self.docs):
            for facet, codes in doc.facets.items():
                for code in codes:
                    value = number.setdefault((facet, code), len(number))
                    self.facet_values.setdefault(facet, {})[code] = value
                    ids.append(value)
                counts[i] += len(codes)
        self.value_ids = np.asarray(ids, dtype=np.int32)
        self.value_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        self.value_totals = np.bincount(self.value_ids, minlength=len(number)).astype(np.intp)

    def value_counts(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """How many of `rows` (distinct records) carry each facet value, numbered as in
        `facet_values`; a set of more than half the records is counted through the others."""
        if 2 * len(rows) <= len(self.docs):
            return self._count_values(rows)
        chosen = np.zeros(len(self.docs), dtype=bool)
        chosen[rows] = True
        return self.value_totals - self._count_values(np.flatnonzero(~chosen))

    def _count_values(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        starts = self.value_start[rows]
        lengths = self.value_start[rows + 1] - starts
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        slots = np.repeat(starts - ends + lengths, lengths) + np.arange(total)
        picked = self.value_ids[slots]
        return np.bincount(picked, minlength=len(self.value_totals)).astype(np.intp)

    def matches(
        self, t: str, u: Understanding | None = None
    ) -> tuple[IntArray, npt.NDArray[np.float32]]:
        """The records holding the index term `t`, ascending, and its BM25 score in each (the
        matrix's postings). For a query `u` in one of the five languages, without the records
        that hold `t` only through labels of their concepts in other languages, a false friend
        of the language-blind stemmer (`kg.search.text`): a Spanish trial's "cuidado de
        mayores" (care of older people) found 37 records, some through the English label
        "mayors", and "billet de train Paris" found records through the Italian "tra pari"
        (peer learning) and the English "training". Such a match is kept when a label of the
        query's language holds `t`, or one of a language the schemes attest as translating it
        (`attested`: "migranti" and an English label's "migrants"), or a label writes a word
        of the query as typed, before any spelling correction ("Integration" in German and
        "labour market integration"; "mayros" corrected to "mayors" is not so written), or
        the label is a name (`PROPER_NAMES`: a place or a programme, "Castilla y León" in an
        Italian query). The record's own texts are read alike, by their language tags (`own`):
        a trial's "cuidado de mayores migrantes" listed first records whose English
        description or claim says "mayor". An own text matches when it is in the query's
        language or an attested one, when texts of its language write the word as typed
        (`_typed_bits`: Italian "case", English "case studies"), or when it is untagged (place
        names, identifiers, types, linked records' names) (`says` gives this for one record)."""
        if t not in self.bm25.vocab_dict or not self.docs:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        start, end = self._span(t)
        scores = self.bm25.scores
        rows, data = scores["indices"][start:end], scores["data"][start:end]
        lang = _judged_in(u)
        if u is None or lang is None:
            return rows, data
        keep = self._kept(t, lang, _typed(t, u))
        return (rows, data) if keep is None else (rows[keep], data[keep])

    def _span(self, t: str) -> tuple[int, int]:
        """Where the postings of the known term `t` lie in the BM25 matrix."""
        token = self.bm25.vocab_dict[t]
        indptr = self.bm25.scores["indptr"]
        return int(indptr[token]), int(indptr[token + 1])

    def _kept_by(self, t: str, lang: str, typed: frozenset[str]) -> npt.NDArray[np.bool_] | None:
        """Which postings of the known term `t` `matches` keeps for a query in `lang` with
        the words `typed`; None for all of them."""
        start, end = self._span(t)
        said = (self.own[start:end] & (self._trusted(t, lang) | self._typed_bits(typed))) != 0
        if said.all():
            return None
        rows = self.bm25.scores["indices"][start:end]
        carrying = np.zeros(len(self.docs), dtype=bool)
        empty = np.zeros(0, dtype=np.int32)
        for facet, code in self._holding(t, lang, typed):
            carrying[self.postings.get(facet, {}).get(code, empty)] = True
        keep = said | carrying[rows]
        return None if keep.all() else keep

    def says(self, row: int, t: str, u: Understanding | None) -> bool:
        """Whether record `row`'s own text (`own_keyword_texts`, not its concepts' labels)
        holds the index term `t` as the query `u` matches it (`matches`): in an untagged
        text, one of the query's language or of a language attested as translating `t`, or
        of a language whose texts write a word of the query as typed (`_typed_bits`). Any own
        text for a query of no clear language or of another language than the five."""
        if t not in self.bm25.vocab_dict or not self.docs:
            return False
        start, end = self._span(t)
        rows = self.bm25.scores["indices"][start:end]
        j = int(np.searchsorted(rows, row))
        if j >= len(rows) or rows[j] != row or not self.own[start + j]:
            return False
        lang = _judged_in(u)
        if u is None or lang is None:
            return True
        wanted = self._trusted(t, lang) | self._typed_bits(_typed(t, u))
        return bool(int(self.own[start + j]) & wanted)

    def _trusted(self, t: str, lang: str) -> int:
        """The bits (`LANGUAGE_BITS`) of the own texts that match `t` for a query in `lang`:
        untagged ones, the query's language, and those the schemes attest as translating `t`
        (`attested`; a label of another language than the five counts as any other)."""
        return LANGUAGE_BITS[""] | functools.reduce(
            operator.or_, (LANGUAGE_BITS[language_key(k)] for k in self._translating(t, lang)), 0
        )

    def _translating(self, t: str, lang: str) -> frozenset[str]:
        """`lang` and the languages the schemes attest as translating `t` from it
        (`attested`)."""
        return self.attested.get((t, lang), frozenset()) | {lang}

    def _typed_bits(self, typed: frozenset[str]) -> int:
        """The bits of the languages some own text of which writes a word of `typed` as typed
        (`written_in`): a word spelt alike in two languages is taken as one word (Italian
        "case", English "case studies"; German "Integration"). Read per language, not per
        record: reading each record's texts at query time doubled the mean hybrid search at
        100,000 records (bench/RESULTS.md), so one English text quoting a Spanish "mayores"
        would let every English "mayor" answer it."""
        return functools.reduce(
            operator.or_,
            (LANGUAGE_BITS[key] for key, written in self.written_in.items() if typed & written),
            0,
        )

    def holders(self, t: str, u: Understanding | None) -> set[tuple[str, str]] | None:
        """The concepts, as (facet, code), whose labels hold the index term `t` for the query
        `u` (`matches`): a label of its language, of a language attested as translating `t`,
        writing a word of the query as typed, or naming a place or programme. None when every
        label does (no query, or one of no clear language or another language than the
        five)."""
        lang = _judged_in(u)
        if u is None or lang is None:
            return None
        return self._holding(t, lang, _typed(t, u))

    def _holding(self, t: str, lang: str, typed: frozenset[str]) -> set[tuple[str, str]]:
        trusted = self._translating(t, lang)
        return {
            key
            for key, langs, written in self.label_holders.get(t, ())
            if key[0] in PROPER_NAMES or langs & trusted or written & typed
        }

    @functools.cached_property
    def label_holders(
        self,
    ) -> dict[str, list[tuple[tuple[str, str], frozenset[str], frozenset[str]]]]:
        """Index term → the concepts whose labels (`keyword_labels`) hold it: ((facet, code),
        the languages of those labels, the folded words of them that give the term)."""
        out: dict[str, list[tuple[tuple[str, str], frozenset[str], frozenset[str]]]] = {}
        for concept in self.concepts.values():
            held: dict[str, tuple[set[str], set[str]]] = {}
            for lang, label in keyword_labels_by_language(concept.facet, concept):
                for w in WORD.findall(fold(label)):
                    if (t := term(w)) is not None:
                        langs, written = held.setdefault(t, (set(), set()))
                        langs.add(lang)
                        written.add(w)
            for t, (langs, written) in held.items():
                out.setdefault(t, []).append(
                    ((concept.facet, concept.code), frozenset(langs), frozenset(written))
                )
        return out

    @functools.cached_property
    def attested(self) -> dict[tuple[str, str], frozenset[str]]:
        """(index term, language) → the other languages the schemes attest as translating the
        term: those in which a label of the same concept holds it too ("migrant" in Italian
        "Lavoratori migranti" and English "Migrant workers")."""
        out: dict[tuple[str, str], set[str]] = {}
        for t, holders in self.label_holders.items():
            for _, langs, _ in holders:
                if len(langs) > 1:
                    for lang in langs:
                        out.setdefault((t, lang), set()).update(langs - {lang})
        return {key: frozenset(langs) for key, langs in out.items()}

    def terms_in(
        self, rows: Sequence[int], terms: Sequence[str], u: Understanding | None = None
    ) -> list[set[str]]:
        """Which of `terms` each record of `rows` contains: read from the BM25 postings, which
        hold exactly the terms of `keyword_text` (no record text is tokenised at query time),
        as the query `u` matches them (`matches`)."""
        found: list[set[str]] = [set() for _ in rows]
        if not rows or not self.docs:
            return found
        slot = np.full(len(self.docs), -1, dtype=np.int32)  # record → its place in `rows`
        slot[np.asarray(rows, dtype=np.intp)] = np.arange(len(rows), dtype=np.int32)
        for t in dict.fromkeys(terms):
            places = slot[self.matches(t, u)[0]]
            for j in places[places >= 0]:
                found[int(j)].add(t)
        return found

    def holds_phrase(
        self, terms: Sequence[str], u: Understanding | None = None, *, depth: int = PHRASE_DEPTH
    ) -> bool:
        """Whether a record's keyword text holds `terms` one right after the other (as the
        analyser reads it: stopwords dropped, so "Castilla-La Mancha" is castill, manch). Of the
        records holding every term as the query `u` matches them (`holding_all`), the first
        `depth` are read; a phrase only past them is not seen."""
        wanted = list(terms)
        if len(wanted) < 2 or not self.docs:
            return False
        return bool(self.holding_phrase(wanted, self.holding_all(wanted, u)[:depth]))

    def holding_phrase(self, terms: Sequence[str], rows: Iterable[int]) -> list[int]:
        """Those of `rows` whose keyword text holds `terms` one right after the other (as the
        analyser reads it), in the order given; each text tokenised, so callers bound `rows`."""
        wanted = list(terms)
        n = len(wanted)
        out = []
        for row in rows:
            said = tokenize(self.keyword_text(self.docs[int(row)]))
            if any(said[i : i + n] == wanted for i in range(len(said) - n + 1)):
                out.append(int(row))
        return out

    def mentioning(self, concept: Concept, *, depth: int = PHRASE_DEPTH) -> dict[int, str]:
        """The records not classified under `concept` whose own text (`own_text`: not the
        labels of their concepts) holds one of its labels of two or more index terms, in any
        language, one term right after the other ("local action groups" in an English text
        holds the LEADER concept's "local action group"; stopwords dropped, forms stemmed):
        row → the label found, the first in the scheme's order. For each label, of the
        unclassified records holding all its terms (`holding_all`) the first `depth` are read;
        a mention only past them is not seen. Computed once per concept, for all of them when
        the index is built or loaded (0.6 s at 100,000 records)."""
        cached = self._mentions.get(concept.iri)
        if cached is not None:
            return cached
        empty = np.zeros(0, dtype=np.int32)
        carrying = np.zeros(len(self.docs), dtype=bool)
        carrying[self.postings.get(concept.facet, {}).get(concept.code, empty)] = True
        found: dict[int, str] = {}
        folded: dict[int, str] = {}
        for _, label in concept.all_labels():
            wanted = tokenize(label)
            n = len(wanted)
            if n < 2:
                continue
            # the terms' first letters in order, a few words apart at most (stopwords): a
            # cheap test that spares stemming most texts (terms keep their words' beginnings)
            gap = r"\W+(?:\w+\W+){0,3}?"
            near = re.compile(gap.join(re.escape(t[:4]) + r"\w*" for t in wanted))
            holding = self.holding_all(wanted)
            for row in holding[~carrying[holding]][:depth].tolist():
                if row in found:
                    continue
                if row not in folded:
                    folded[row] = fold(own_text(self.docs[row]))
                if not near.search(folded[row]):
                    continue
                text = tokenize(folded[row])
                if any(text[i : i + n] == wanted for i in range(len(text) - n + 1)):
                    found[row] = label
        self._mentions[concept.iri] = found
        return found

    def holding_all(self, terms: Iterable[str], u: Understanding | None = None) -> IntArray:
        """The rows of the records holding every one of `terms` (index terms; as the query `u`
        matches them: `matches`), ascending: the intersection of their postings, from the
        rarest term's and keeping, term by term, the rows the next one holds (a lookup table
        over the postings' range, not a sort: at 100,000 records common terms hold half of
        them). Empty when a term is unknown."""
        postings = []
        for t in dict.fromkeys(terms):
            if t not in self.bm25.vocab_dict or not self.docs:
                return np.zeros(0, dtype=np.int32)
            postings.append(self.matches(t, u)[0])
        if not postings:
            return np.zeros(0, dtype=np.int32)
        postings.sort(key=len)
        rows: IntArray = postings[0]
        for posting in postings[1:]:
            if not len(rows):
                break
            rows = rows[np.isin(rows, posting, assume_unique=True, kind="table")]
        return rows

    def keyword_text(self, doc: SearchDoc) -> str:
        return keyword_text(doc, self.by_code)

    def label(self, facet: str, code: str, lang: str = "en") -> str:
        """The label of a filter value in `lang`: a concept's, an initiative type's English
        name (`INITIATIVE_TYPE_NAMES`; the pages translate it), else `code` itself. Kept per
        index for the languages of `LANGUAGES` (any other `lang` is looked up each time, so
        the memo stays bounded by the index's values)."""
        key = (facet, code, lang)
        found = self._labels.get(key)
        if found is None:
            concept = self.by_code.get((facet, code))
            if concept is not None:
                found = concept.label(lang)
            elif facet == "initiative_type":
                found = INITIATIVE_TYPE_NAMES.get(code, code)
            else:
                found = code
            if lang in LANGUAGES:
                self._labels[key] = found
        return found

    def label_terms(self, doc: SearchDoc) -> set[str]:
        """The index terms of the labels, in every language, of the record's concepts: words
        its keyword text holds without the record saying them."""
        found: set[str] = set()
        for terms in self.concept_terms(doc).values():
            found |= terms
        return found

    def concept_terms(self, doc: SearchDoc) -> dict[tuple[str, str], frozenset[str]]:
        """(facet, code) of each of the record's concepts → the index terms of its labels in
        every language."""
        out = {}
        for facet in CONCEPT_FACETS:
            for code in doc.facets.get(facet, ()):
                if (facet, code) not in self._concept_terms:
                    concept = self.by_code.get((facet, code))
                    labels = keyword_labels(facet, concept) if concept else []
                    self._concept_terms[(facet, code)] = frozenset(tokenize(" ".join(labels)))
                out[(facet, code)] = self._concept_terms[(facet, code)]
        return out

    def filter_code(self, facet: str, value: str) -> str:
        """The code a filter value stands for: the value itself when it is a code, else the
        concept whose preferred label it is in any of the five languages, case, accents and
        punctuation aside (`country=Spain`, `country=España` → `ES`; `theme=Vivienda` →
        `housing`; `challenge=mountain-location` → `mountain-areas`), or whose IRI ends in it
        (the EU authority's `country=ESP` → `ES`), else one of its alternative labels, the
        names its browse page lists (`funding=H2020`, `funding=LEADER`; an analyst's filters
        by them had found nothing), or the concept's own IRI, as SPARQL answers and the
        records' data give it (a web editor's trial filtered by a theme's IRI and got
        nothing). A label two concepts of the facet share, or no label, leaves the value as
        given."""
        if (facet, value) in self.by_code:
            return value
        if (concept := self.concepts.get(value)) is not None and concept.facet == facet:
            return concept.code
        key = (facet, _label_key(value))
        return self._codes_by_label.get(key) or self._codes_by_alt_label.get(key, value)

    def unheld(self, filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """The filter values (codes, after `filter_code`) no record holds, by facet: they match
        nothing (a misspelt or old value). Facets that are not concept facets (`year`) are
        not judged."""
        return {
            facet: missing
            for facet, values in filters.items()
            if facet in self.facet_values
            and (missing := [v for v in values if v not in self.facet_values[facet]])
        }

    @functools.cached_property
    def _codes_by_label(self) -> dict[tuple[str, str], str]:
        return _unique(
            (concept.facet, label, concept.code)
            for concept in self.concepts.values()
            for label in [*concept.labels.values(), concept.iri.rsplit("/", 1)[-1]]
        )

    @functools.cached_property
    def _codes_by_alt_label(self) -> dict[tuple[str, str], str]:
        return _unique(
            (concept.facet, label, concept.code)
            for concept in self.concepts.values()
            for _, label in concept.alt_labels
        )


def _label_key(label: str) -> str:
    """A label as a filter value may write it: case, accents and punctuation aside
    ("Mountain location", "mountain-location", "mountain_location" are one key)."""
    return " ".join(re.findall(r"[^\W_]+", fold(label.strip())))


def _unique(labelled: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """(facet, label key) → code, for the keys that name one concept of their facet only."""
    found: dict[tuple[str, str], set[str]] = {}
    for facet, label, code in labelled:
        found.setdefault((facet, _label_key(label)), set()).add(code)
    return {key: codes.pop() for key, codes in found.items() if len(codes) == 1}


def own_parts(doc: SearchDoc) -> list[str]:
    """What the record itself says, text by text: names, identifiers, descriptions, notes,
    claims, places, types and the names of records it links to."""
    return [text for _, text in own_parts_by_language(doc)]


def own_parts_by_language(doc: SearchDoc) -> list[tuple[str, str]]:
    """`own_parts`, each as (language, text): the tag of a name, description, alternate name,
    note or claim; "" for an untagged text, an identifier, a place, a type and a linked
    record's name (names of places and organisations, read alike in every language)."""
    tags = doc.languages
    parts = [*doc.names.items(), *((tags.get(a, ""), a) for a in doc.alt_names)]
    parts += [("", i) for i in doc.identifiers]
    parts += doc.descriptions.items()
    parts += [(tags.get(text, ""), text) for text in (*doc.notes, *doc.claims)]
    parts += [("", text) for text in (*doc.places, *doc.types, *doc.linked_names)]
    return parts


def own_text(doc: SearchDoc) -> str:
    """`own_parts` as one text (`keyword_text` adds its concepts' labels)."""
    return "\n".join(own_parts(doc))


def _judged_in(u: Understanding | None) -> str | None:
    """The language whose rule judges the words of the query `u` (`SearchIndex.matches`:
    `Understanding.words_lang`), or None when every text and label matches it (no query, or
    one of no clear language or of another language than the five)."""
    if u is None or u.foreign or u.words_lang not in LANGUAGES:
        return None
    return u.words_lang


def _typed(t: str, u: Understanding) -> frozenset[str]:
    """The query's words, folded as typed (before any spelling correction), whose term is `t`."""
    return frozenset(w for _, _, w in words(u.text) if term(w) == t)


def own_keyword_text(doc: SearchDoc) -> str:
    """`own_text` and the words its names join in camel case (`coined_parts`: "Alps" of
    "PlurAlps"): the keyword text the record itself gives, without its concepts' labels."""
    return "\n".join(text for _, text in own_keyword_texts(doc))


def own_keyword_texts(doc: SearchDoc) -> list[tuple[str, str]]:
    """`own_keyword_text` text by text, as (language, text) (`own_parts_by_language`; the
    coined parts, a name's own words, are untagged)."""
    coined = coined_parts(" ".join([*doc.names.values(), *doc.alt_names]))
    return [*own_parts_by_language(doc), ("", coined)]


#: which bit of `SearchIndex.own` stands for own text of a language: one each for the five,
#: one for any other ("*"), one for untagged text ("")
LANGUAGE_BITS = {"": 1, **{lang: 2 << i for i, lang in enumerate(LANGUAGES)}, "*": 64}


def language_key(lang: str) -> str:
    """The key of `LANGUAGE_BITS` for own text tagged `lang` ("es-ES" → "es", "sv" → "*",
    "" → "")."""
    base = lang.split("-")[0].lower()
    return (base if base in LANGUAGE_BITS else "*") if base else ""


#: facets whose labels are proper names: a word of a name of several words is not a word of
#: the record ("paesi" is not the Netherlands' "Paesi Bassi", "unido" not "Reino Unido")
PLACE_FACETS = frozenset({"country", "nuts"})


def keyword_text(doc: SearchDoc, by_code: dict[tuple[str, str], Concept]) -> str:
    """`own_keyword_text` and the labels, in every language, of the concepts the record is
    classified under (`label_text`)."""
    return "\n".join([own_keyword_text(doc), label_text(doc, by_code)])


def label_text(doc: SearchDoc, by_code: dict[tuple[str, str], Concept]) -> str:
    """The labels, in every language, of the concepts the record is classified under
    (`keyword_labels`), one per line."""
    parts = []
    for facet in CONCEPT_FACETS:
        for code in doc.facets.get(facet, ()):
            concept = by_code.get((facet, code))
            if concept is not None:
                parts.extend(keyword_labels(facet, concept))
    return "\n".join(parts)


def keyword_labels(facet: str, concept: Concept) -> list[str]:
    """The labels of `concept` as words of the records classified under it (`keyword_text`):
    every label, but a country's or region's name of several words as one word (`joined`):
    such a name is matched whole, not word by word (an Italian trial's "paesi di montagna",
    villages in the mountains, ranked Dutch practices first: "country: Paesi Bassi (from
    «paesi»)")."""
    return [label for _, label in keyword_labels_by_language(facet, concept)]


def keyword_labels_by_language(facet: str, concept: Concept) -> list[tuple[str, str]]:
    """`keyword_labels`, each with its language: (lang, label)."""
    labels = concept.all_labels()
    if facet in PLACE_FACETS:
        return [
            (lang, joined(label) if len(tokenize(label)) > 1 else label) for lang, label in labels
        ]
    return labels


def joined(label: str) -> str:
    """A name of several words as one word ("Paesi Bassi" → "paesibassi"): how the keyword
    index holds such a place name, matched only by a query that names the place whole
    (`keyword_labels`; `kg.search.rank` adds it to the query's terms then)."""
    return "".join(m.group() for m in WORD.finditer(fold(label)))


def passages(doc: SearchDoc, by_code: dict[tuple[str, str], Concept]) -> list[str]:
    """The texts whose mean embedding stands for the record (see the module docstring)."""
    names = [doc.name, *(n for n in doc.names.values() if n != doc.name), *sorted(doc.alt_names)]
    head = "; ".join(dict.fromkeys(names))
    main = doc.descriptions.get("en") or next(iter(doc.descriptions.values()), "")
    out = [f"{head}. {main or ', '.join(doc.types)}".strip()]
    out += [text for lang, text in sorted(doc.descriptions.items()) if text != main]
    if doc.claims:
        out.append(" ".join(sorted(doc.claims)))
    labels = [
        by_code[(f, c)].label("en")
        for f in ("theme", "target_group", "challenge", "opportunity", "funding")
        for c in doc.facets.get(f, ())
        if (f, c) in by_code
    ]
    if labels:
        out.append(f"{doc.name}: {', '.join(labels)}")
    return out


def build_index(
    docs: Sequence[SearchDoc],
    concepts: dict[str, Concept],
    *,
    embedder: Embedder,
    cache: VectorCache,
    version: str,
    progress: bool = True,
) -> tuple[SearchIndex, int]:
    """A new index over `docs`; returns it with the number of texts that had to be embedded."""
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    texts: list[str] = []
    owner: list[int] = []
    for i, doc in enumerate(docs):
        for text in passages(doc, by_code):
            texts.append(text)
            owner.append(i)
    chunk_vectors, encoded = embed_passages(embedder, texts, cache, progress=progress)
    # every record has at least one passage, and a record's passages are contiguous
    starts = [i for i in range(len(owner)) if i == 0 or owner[i] != owner[i - 1]]
    vectors = (
        np.add.reduceat(chunk_vectors, starts, axis=0).astype(np.float32)
        if starts
        else np.zeros((0, chunk_vectors.shape[1]), dtype=np.float32)
    )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.where(norms > 0, norms, 1.0)
    index = assemble_index(
        docs, concepts, vectors, version=version, embedder=embedder, progress=progress
    )
    return index, encoded


def assemble_index(
    docs: Sequence[SearchDoc],
    concepts: dict[str, Concept],
    vectors: Vectors,
    *,
    version: str,
    embedder: Embedder,
    progress: bool = False,
) -> SearchIndex:
    """The index of `docs` given their record vectors: the keyword index and facet postings."""
    by_code = {(c.facet, c.code): c for c in concepts.values()}
    bm25 = bm25s.BM25()
    corpus: list[list[str]] = []
    words: Counter[str] = Counter()
    written: Counter[str] = Counter()  # the words written with accents, as written
    own_terms: list[dict[str, int]] = []  # per record, its own text's terms → language bits
    written_in: dict[str, set[str]] = {}  # language key → the folded words own texts write
    for doc in docs:  # one pass: the index terms and the spelling vocabulary
        held: dict[str, int] = {}
        own: list[str] = []
        said: list[str] = []
        parts = own_keyword_texts(doc)
        for lang, text in parts:
            key, folded = language_key(lang), _folded(text)
            bit = LANGUAGE_BITS[key]
            written_in.setdefault(key, set()).update(folded)
            own += folded
            for w in folded:
                if (t := term(w)) is not None:
                    said.append(t)
                    held[t] = held.get(t, 0) | bit
        texts = ("\n".join(text for _, text in parts), label_text(doc, by_code))
        labelled = _folded(texts[1])
        words.update({*own, *labelled})
        written.update(_accented(texts[0]) | _accented(texts[1]))
        labels = [t for w in labelled if (t := term(w)) is not None]
        own_terms.append(held)
        corpus.append(said + labels or [""])
    if docs:
        bm25.index(corpus, show_progress=progress and len(docs) > 5000)
    return SearchIndex(
        version,
        embedder.name,
        list(docs),
        concepts,
        vectors,
        bm25,
        embedder,
        dict(words),
        spellings=_spellings(written, words),
        own=_own_entries(bm25, own_terms) if docs else np.zeros(0, dtype=np.uint8),
        written_in={key: frozenset(ws) for key, ws in sorted(written_in.items())},
    )


def _folded(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return WORD.findall(fold(text.lower()))


def _accented(text: str) -> set[str]:
    """The words `text` writes with accents, lowercased as written (the spelling vocabulary)."""
    text = text.lower()
    return set() if text.isascii() else {w for w in WORD.findall(text) if not w.isascii()}


def _own_entries(bm25: bm25s.BM25, own_terms: Sequence[dict[str, int]]) -> npt.NDArray[np.uint8]:
    """`SearchIndex.own`: per entry of the BM25 matrix (term by term, a record each), the
    language bits (`LANGUAGE_BITS`) of the record's own texts holding its term (`own_terms`,
    by row: term → bits); 0 when only its concepts' labels do."""
    scores, vocab = bm25.scores, bm25.vocab_dict
    size = len(scores["indptr"]) - 1
    term_of = np.repeat(np.arange(size, dtype=np.int64), np.diff(scores["indptr"]))
    entries = scores["indices"].astype(np.int64) * size + term_of
    pairs = [
        (row * size + vocab[t], bits)
        for row, held in enumerate(own_terms)
        for t, bits in held.items()
        if t in vocab
    ]
    keys = np.fromiter((k for k, _ in pairs), dtype=np.int64, count=len(pairs))
    bits = np.fromiter((b for _, b in pairs), dtype=np.uint8, count=len(pairs))
    order = np.argsort(keys)
    keys, bits = keys[order], bits[order]
    out = np.zeros(len(entries), dtype=np.uint8)
    if len(keys):
        at = np.minimum(np.searchsorted(keys, entries), len(keys) - 1)
        found = keys[at] == entries
        out[found] = bits[at[found]]
    return out


def _spellings(written: Counter[str], words: Counter[str]) -> dict[str, dict[str, int]]:
    """Folded word → {spelling: records} for the folded words some record writes with
    accents; the plain spelling is counted as the records holding the word otherwise."""
    out: dict[str, dict[str, int]] = {}
    for word, n in sorted(written.items()):
        out.setdefault(fold(word), {})[word] = n
    for f, spelt in out.items():
        plain = words[f] - sum(spelt.values())
        if plain > 0:
            spelt[f] = plain
    return out
