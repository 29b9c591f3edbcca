"""Query understanding (issue 9, item 3): the query's language, and the concepts it names.

A query word sequence that covers every word of a concept label, in any language of the schemes
("patrocinio comunitario", "Geflüchtete Familien", "LEADER"), expands the query to that concept.
The concept then appears in each hit's explanation, and its English label is added to the text
the embedding model sees, which lets the English-only default model work on queries in Spanish,
Italian, German or French (measured in `kg/search/rank.py`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.search.documents import Concept
from kg.search.text import tokenize, words

#: languages we accept from detection; others are reported as undetermined
LANGUAGES = ("en", "es", "it", "de", "fr", "pt", "nl", "pl", "el", "sv")
_detect_lock = threading.Lock()


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
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _detect_lock:  # the seed is global state of langdetect
        DetectorFactory.seed = 0
        try:
            candidates = detect_langs(text)
        except LangDetectException:
            return "und"
    top = candidates[0] if candidates else None
    if top is None or top.prob < 0.6 or top.lang not in LANGUAGES:
        return "und"
    return str(top.lang)


def understand(text: str, matcher: ConceptMatcher) -> Understanding:
    terms = tuple(tokenize(text))
    return Understanding(text, terms, detect_language(text), tuple(matcher.match(terms)))
