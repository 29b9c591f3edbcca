"""Query understanding (issue 9, item 3): the query's language, and the concepts it names.

A query word sequence that covers every word of a concept label, in any language of the schemes
("patrocinio comunitario", "Geflüchtete Familien", "LEADER"), expands the query to that concept.
The concept then appears in each hit's explanation, and its English label is added to the text
the embedding model sees, which lets the English-only default model work on queries in Spanish,
Italian, German or French (measured in `kg/search/rank.py`).
"""

from __future__ import annotations

import functools
import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kg.search.documents import Concept
from kg.search.text import tokenize, words

#: languages we accept from detection; others are reported as undetermined
LANGUAGES = ("en", "es", "it", "de", "fr", "pt", "nl", "pl", "el", "sv")
_BLOCK = 64  # n-grams drawn at a time by `_probabilities`


@dataclass(frozen=True)
class ConceptMatch:
    concept: Concept
    label: str  # the label the query matched, as written in the scheme
    lang: str


@dataclass(frozen=True)
class Understanding:
    text: str
    terms: tuple[str, ...]
    lang: str  # ISO 639-1, or "und"
    concepts: tuple[ConceptMatch, ...]

    def expanded(self) -> str:
        """The query for the embedding model: the text plus English labels of its concepts."""
        folded = " ".join(tokenize(self.text))
        extra = []
        for m in self.concepts:
            label = m.concept.label("en")
            if " ".join(tokenize(label)) not in folded and label not in extra:
                extra.append(label)
        return f"{self.text} ({'; '.join(extra)})" if extra else self.text


class ConceptMatcher:
    """Concept labels (preferred and alternative, every language) indexed by their terms."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._by_term: dict[str, list[tuple[frozenset[str], Concept, str, str]]] = defaultdict(list)
        for concept in concepts:
            for lang, label in concept.all_labels():
                terms = frozenset(tokenize(label))
                if terms:
                    entry = (terms, concept, label, lang)
                    for t in terms:
                        self._by_term[t].append(entry)

    def match(self, terms: Iterable[str]) -> list[ConceptMatch]:
        """Concepts all of whose label terms occur in `terms`; the longest label wins."""
        present = set(terms)
        best: dict[str, ConceptMatch] = {}
        size: dict[str, int] = {}
        for t in sorted(present):
            for label_terms, concept, label, lang in self._by_term.get(t, ()):
                if label_terms <= present and len(label_terms) > size.get(concept.iri, 0):
                    best[concept.iri] = ConceptMatch(concept, label, lang)
                    size[concept.iri] = len(label_terms)
        return sorted(best.values(), key=lambda m: (m.concept.facet, m.concept.code))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language by langdetect (seeded: deterministic), or "und"."""
    if sum(1 for _ in words(text)) < 2:
        return "und"
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    detector.cleaning_text()
    try:
        probabilities = _probabilities(detector)
    except LangDetectException:
        return "und"
    best = int(np.argmax(probabilities))  # the first of equals, as langdetect's stable sort
    lang = str(detector.langlist[best])
    if probabilities[best] < 0.6 or lang not in LANGUAGES:
        return "und"
    return lang


@functools.cache
def _factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


def _probabilities(detector: Any) -> npt.NDArray[np.float64]:
    """`Detector.get_probabilities` of langdetect 1.0.9 (seed 0) without its Python loops: 5 to
    10 ms per query became under 1 ms (issue 4's latency criterion).

    langdetect runs 7 trials; each multiplies the language probabilities by the profiles of
    n-grams drawn at random, normalising and stopping once one language holds 0.99999 (tested
    after the first draw and then after every fifth, at most 1,000 draws). Here the draws come
    from `_Draws`, the same generator stream, and a trial sums logarithms over blocks of draws
    (the stopping test is scale-free), so the draws, the stopping points and the probabilities
    are langdetect's to rounding (checked on 700 queries and descriptions)."""
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    ngrams = detector._extract_ngrams()
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    distinct = list(dict.fromkeys(ngrams))
    table = np.array([detector.word_lang_prob_map[w] for w in distinct], dtype=np.float64)
    position = {w: i for i, w in enumerate(distinct)}
    choices = np.array([position[w] for w in ngrams], dtype=np.intp)
    last = detector.ITERATION_LIMIT + 1  # the draw at which a trial stops whatever the odds
    total = np.zeros(table.shape[1], dtype=np.float64)
    stream = _Draws()
    for _ in range(detector.n_trial):
        alpha = detector.alpha + stream.gauss() * detector.ALPHA_WIDTH
        logs = np.log(table + alpha / detector.BASE_FREQ)
        score = np.zeros(table.shape[1], dtype=np.float64)  # a uniform prior: any constant
        done = 0
        while True:
            picks = choices[stream.below(len(choices), min(_BLOCK, last - done))]
            path = score + np.cumsum(logs[picks], axis=0)
            drawn = np.arange(done + 1, done + len(picks) + 1)
            checked = (drawn - 1) % 5 == 0
            at = path[checked]
            top = 1.0 / np.exp(at - at.max(axis=1, keepdims=True)).sum(axis=1)
            stop = (top > detector.CONV_THRESHOLD) | (drawn[checked] == last)
            if stop.any():
                used = int(drawn[checked][int(np.argmax(stop))]) - done
                stream.keep(used)
                final = path[used - 1]
                break
            stream.keep(len(picks))
            score, done = path[-1], done + len(picks)
        prob = np.exp(final - final.max())
        total += prob / prob.sum() / detector.n_trial
    return total


class _Draws:
    """The stream of `random.Random(0)` (Mersenne Twister, as langdetect seeds it) read in blocks
    through numpy: `gauss()` and `choice()` as Python computes them, and `below(n, k)` the next
    k draws of `choice` over n items, of which `keep(j)` consumes only the first j."""

    def __init__(self) -> None:
        key = random.Random(0).getstate()[1]  # langdetect's seed
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": np.array(key[:624], dtype=np.uint32), "pos": key[624]},
        }
        self._raw = np.zeros(0, dtype=np.uint64)
        self._pos = 0
        self._spare: float | None = None
        self._pending = np.zeros(0, dtype=np.intp)

    def _take(self, count: int) -> npt.NDArray[np.uint64]:
        while len(self._raw) < self._pos + count:
            self._raw = np.concatenate([self._raw[self._pos :], self._bits.random_raw(4096)])
            self._pos = 0
        return self._raw[self._pos : self._pos + count]

    def _random(self) -> float:
        a, b = (int(x) for x in self._take(2))
        self._pos += 2
        return ((a >> 5) * 67108864.0 + (b >> 6)) * (1.0 / 9007199254740992.0)

    def gauss(self) -> float:
        """`Random.gauss(0.0, 1.0)`, pairs and all."""
        if self._spare is not None:
            z, self._spare = self._spare, None
            return z
        x2pi = self._random() * (2.0 * math.pi)
        g2rad = math.sqrt(-2.0 * math.log(1.0 - self._random()))
        self._spare = math.sin(x2pi) * g2rad
        return math.cos(x2pi) * g2rad

    def below(self, n: int, count: int) -> npt.NDArray[np.intp]:
        """`getrandbits(n.bit_length())` rejecting values ≥ n, as `Random._randbelow` does."""
        shift = np.uint64(32 - n.bit_length())
        size = 2 * count + 64
        while True:
            values = self._take(size) >> shift
            accepted = np.flatnonzero(values < n)
            if len(accepted) >= count:  # each value passes with odds over 1/2
                break
            size *= 2
        self._pending = accepted[:count]
        return values[self._pending].astype(np.intp)

    def keep(self, used: int) -> None:
        self._pos += int(self._pending[used - 1]) + 1


def understand(text: str, matcher: ConceptMatcher) -> Understanding:
    terms = tuple(tokenize(text))
    return Understanding(text, terms, detect_language(text), tuple(matcher.match(terms)))
