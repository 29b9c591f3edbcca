"""Query understanding (issue 9, item 3): the query's language, and the concepts it names.

A query word sequence that covers every word of a concept label, in any language of the schemes
("patrocinio comunitario", "Geflüchtete Familien", "LEADER"), expands the query to that concept.
The concept then appears in each hit's explanation, and its English label is added to the text
the embedding model sees, which lets the English-only default model work on queries in Spanish,
Italian, German or French (measured in `kg/search/rank.py`).

The query's language picks the snippet's language and the labels of the explanation. It is
identified by py3langid (a maintained fork of langid.py: a naive Bayes model over byte n-grams,
made for short texts) restricted to the five languages the graph and its schemes hold. Chosen
by measurement against langdetect 1.0.9 (which this module used to drive through its
internals) and lingua-language-detector 2.1.1 (restricted to the same five languages), on the
22 eval queries whose language is known (English dev and typo queries; Spanish, Italian,
German, French cross-lingual ones) and on 180 short texts (the first eight words of every
record description, in its language), one core:

| identifier | eval queries | 8-word texts | time per text |
|---|---|---|---|
| langdetect 1.0.9 (seeded) | 20 / 22 | 171 / 180 | 3.0 ms / 1.8 ms |
| lingua, high accuracy | 22 / 22 | 176 / 180 | 0.19 ms / 0.23 ms |
| lingua, low accuracy | 22 / 22 | 172 / 180 | 0.42 ms / 0.07 ms |
| **py3langid 0.4.0** | **22 / 22** | **179 / 180** | **0.05 ms** |
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from kg.search.dictionary import zipf_in, zipf_unaccented_in
from kg.search.documents import PROPER_NAMES, Concept
from kg.search.spelling import Reading, Speller
from kg.search.text import LANGUAGES, fold, term, tokenize, words

#: below this probability the language is "und"; the lowest among the eval queries whose
#: language is known is 0.66, the highest among one-word names 0.32 (measured as above)
MIN_PROBABILITY = 0.6
#: how many times English's Zipf sum the words of a text of no clear language must reach in
#: another language to be read as it (`language_of_words`)
WORDS_OVER_ENGLISH = 2.0
#: Zipf units (ten times) by which the page's language is likelier than another for a text of
#: no clear language whose words it holds (`language_of_words`): a French trial's misspelt
#: "integraton rurale" on the French page (French 3.8, Italian 4.2: "rurale" is both) had been
#: read as Italian and corrected to the Italian "integrato"
PAGE_PRIOR = 1.0
#: Zipf units by which a query word is commoner in the query's language than in the language of
#: the concept label it looks like, to be read as a word of its own (`false_friend`)
FOREIGN_WORD = 1.0
#: how many concepts' labels may hold a word for it to point to them (`ConceptMatcher.sharing`)
SHARED_BY = 2


@dataclass(frozen=True)
class ConceptMatch:
    concept: Concept
    label: str  # the label the query matched, as written in the scheme
    lang: str


@dataclass(frozen=True)
class Mention:
    """A concept the query names (`match`) that a record's text mentions by `label`, a label
    of it in any language, without the record being classified under it
    (`kg.search.index.SearchIndex.mentioning`)."""

    match: ConceptMatch
    label: str


@dataclass(frozen=True)
class Understanding:
    text: str
    terms: tuple[str, ...]  # of the corrected text when spelling correction changed it
    lang: str  # ISO 639-1, or "und"
    concepts: tuple[ConceptMatch, ...]
    corrected: str | None = None  # the text as shown, when a misspelling was corrected
    corrections: tuple[tuple[str, str], ...] = ()  # (word as typed, word searched)
    forms: tuple[tuple[str, str], ...] = ()  # (word as typed, its form searched), not shown
    foreign: bool = False  # written in a language outside the five (`in_another_language`)
    #: for a query of no clear language, the language of the page it was typed on when the
    #: query's words are words of it (`of_page_words`); else "und" (`words_lang`)
    page: str = "und"

    @property
    def shown_lang(self) -> str:
        """The query's language as said to the user and used for snippets and labels: `lang`,
        or "und" for a query in another language than the five (a Polish trial's "ukraina
        mieszkania" was said to be German, its snippets in German on an English page)."""
        return "und" if self.foreign else self.lang

    @property
    def words_lang(self) -> str:
        """The language whose words the query's words are taken to be, against false friends
        of the language-blind stemmer (`kg.search.index.SearchIndex.matches`, `false_friend`):
        `lang`, or for a query of no clear language (one word: `detect_language`), the page's
        when its words are words of the page's language (`page`). A trial's "mayores" on the
        Spanish page was read as of no clear language and found town-hall projects through
        the English "mayors"; German "Rente" (pension), English "rent"; Italian "parenti"
        (relatives), English "parents". "refugees" on the Spanish page is no Spanish word,
        and matches as it did. A word typed as the records or labels write it still matches
        them ("LEADER" on that page)."""
        return self.page if self.lang == "und" and self.page in LANGUAGES else self.lang

    @property
    def searched(self) -> str:
        return self.corrected if self.corrected is not None else self.text

    @functools.cached_property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        """What the query asks for word for word, each as its index terms (two or more): a
        quoted phrase, or a code (`PHRASE`: a call code "SC5-21-2016-2017"; an analyst's
        search for it listed six records holding "2016" and "2017" before the one holding the
        code, `kg.search.rank`). Read once: the ranking asks whether there are any, then for
        each."""
        out: list[tuple[str, ...]] = []
        for m in PHRASE.finditer(self.searched):
            quoted, joined = m.groups()
            if joined is not None and not _a_code(joined):
                continue
            terms = tuple(tokenize(quoted or joined))
            if len(terms) > 1 and terms not in out:
                out.append(terms)
        return tuple(out)

    @property
    def concept_coverage(self) -> float:
        """The share of the query's distinct terms that the labels of the concepts it names
        hold, 0 to 1: "mountain areas migration" names the rural challenge "Mountain areas",
        2 of its 3 terms; "sponsorship groups Germany" names the country, 1 of 3
        (`kg.search.rank` weighs its concept boost by it)."""
        distinct = set(self.terms)
        held = {t for m in self.concepts for t in tokenize(m.label)} & distinct
        return len(held) / len(distinct) if distinct else 0.0

    def expanded(self) -> str:
        """The query for the embedding model: the text plus English labels of its concepts."""
        folded = " ".join(tokenize(self.searched))
        extra = []
        for m in self.concepts:
            label = m.concept.label("en")
            if " ".join(tokenize(label)) not in folded and label not in extra:
                extra.append(label)
        return f"{self.searched} ({'; '.join(extra)})" if extra else self.searched


#: a quoted phrase ("…", “…”, «…», „…“, and their mixes) or a code: words joined by hyphens,
#: slashes or full stops, one of them letters and digits ("SC5-21-2016-2017", "H2020-SC6-…")
#: or three of them at least, one with digits ("MIGRATION-02-2018"). Not a hyphenated word
#: ("long-term", "cross-border", "Auvergne-Rhône-Alpes", "COVID-19"): a review found the
#: records holding "long-term" ranked above the one practice saying "unemployed" too
PHRASE = re.compile(r'["“„«]([^"“”„«»]+)["”“»]|(\w+(?:[-‐‑/.]\w+)+)')
_MIXED = re.compile(r"(?=\w*\d)(?=\w*[^\W\d_])\w+")
_JOINERS = re.compile(r"[-‐‑/.]")


def _a_code(joined: str) -> bool:
    """Whether words joined without spaces are a code (`PHRASE`), not a hyphenated word."""
    parts = _JOINERS.split(joined)
    return any(_MIXED.fullmatch(p) for p in parts) or (
        len(parts) >= 3 and any(c.isdigit() for c in joined)
    )


#: (index term, language) → that language and those the schemes attest as translating the
#: term from it (`kg.search.index.SearchIndex.attested`)
Translating = Callable[[str, str], frozenset[str]]


def untranslated(t: str, lang: str) -> frozenset[str]:
    """`Translating` when no scheme attests a translation: only `lang` itself."""
    return frozenset({lang})


class ConceptMatcher:
    """Concept labels (preferred and alternative, every language) indexed by their terms.
    `translating`: which languages the schemes attest as translating an index term
    (`false_friend` reads it)."""

    def __init__(
        self, concepts: Iterable[Concept], translating: Translating = untranslated
    ) -> None:
        self.translating = translating
        self._by_term: dict[str, list[tuple[frozenset[str], Concept, str, str]]] = defaultdict(list)
        for concept in concepts:
            for lang, label in concept.all_labels():
                terms = frozenset(tokenize(label))
                if terms:
                    entry = (terms, concept, label, lang)
                    for t in terms:
                        self._by_term[t].append(entry)

    def match(self, terms: Iterable[str], lang: str | None = None) -> list[ConceptMatch]:
        """Concepts all of whose label terms occur in `terms`; the longest label wins, and of
        labels as long, one in `lang` (the query's language: "familias migrantes" matches
        "Familias migrantes", not the English "Migrant families" with the same terms)."""
        present = set(terms)
        best: dict[str, ConceptMatch] = {}
        rank: dict[str, tuple[int, bool]] = {}
        for t in sorted(present):
            for label_terms, concept, label, label_lang in self._by_term.get(t, ()):
                key = (len(label_terms), label_lang == lang)
                if label_terms <= present and key > rank.get(concept.iri, (0, False)):
                    best[concept.iri] = ConceptMatch(concept, label, label_lang)
                    rank[concept.iri] = key
        return sorted(best.values(), key=lambda m: (m.concept.facet, m.concept.code))

    def sharing(
        self, terms: Iterable[str], most: int = SHARED_BY
    ) -> list[tuple[Concept, list[str]]]:
        """Concepts with a label holding one of `terms` that the labels of at most `most`
        concepts hold, each with those labels, the most terms held first, then by facet and
        code: "driving lessons" shares "driving" with "driving licence" (Mobility and
        transport) alone. A term many concepts' labels hold ("migrant", "rural") says nothing
        of which one is meant."""
        held: dict[str, tuple[Concept, set[str], list[str]]] = {}
        for t in sorted(set(terms)):
            entries = self._by_term.get(t, ())
            if 0 < len({entry[1].iri for entry in entries}) <= most:
                for _, concept, label, _ in entries:
                    _, shared, labels = held.setdefault(concept.iri, (concept, set(), []))
                    shared.add(t)
                    if label not in labels:
                        labels.append(label)
        ordered = sorted(held.values(), key=lambda c: (-len(c[1]), c[0].facet, c[0].code))
        return [(concept, labels) for concept, _, labels in ordered]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, one of `LANGUAGES`, or "und" when the text has
    fewer than two words or no language reaches `MIN_PROBABILITY` (py3langid, deterministic)."""
    if sum(1 for _ in words(text)) < 2:
        return "und"
    lang, probability = _identifier().classify(text)
    return str(lang) if probability >= MIN_PROBABILITY else "und"


def in_english_words(text: str, lang: str) -> bool:
    """Whether the words of `text`, read as `lang` (one of `LANGUAGES`) by `detect_language`,
    are English words at least as much: the sum of their frequencies on the Zipf scale in
    English (`kg.search.dictionary.zipf_in`, wordfreq) is at least their sum in `lang`. Three
    or four words give the n-gram model little to go on: "car insurance quotes" reads as
    French, yet its words are English (Zipf 14.6 against 5.7 in French); "case vuote" (empty
    houses) stays Italian (8.9 against 5.6 in English), as do "cursos de idiomas" and
    "schrumpfende Dörfer". Words neither list holds ("Dorfschule Golzow": a compound and a
    village) are no evidence of English, and the reading stays `lang`. True for English
    itself; False for no text."""
    if lang == "en":
        return True
    typed = [text[s:e].lower() for s, e, _ in words(text)]
    english = sum(zipf_in(w, "en") for w in typed)
    return english > 0 and english >= sum(zipf_in(w, lang) for w in typed)


def in_page_language(text: str, lang: str, page: str) -> bool:
    """Whether `text`, read as `lang` by `detect_language`, is as much in the language of the
    page it was typed on (`page`, one of `LANGUAGES`): every word some list of the five holds
    is a word of `page` (wordfreq's list, accents typed or not:
    `kg.search.dictionary.zipf_unaccented_in`) and their Zipf sum there is at least their sum
    in `lang`. An Italian trial's "asilo nido" (nursery) on the Italian page was read
    as Spanish (Zipf 8.4 in Italian, 7.9 in Spanish), so it matched the Spanish label of a fund,
    and "asilo nido mensa rifugiati" too (16.6 against 7.9); "trabajo agricola" stays Spanish
    there ("trabajo" is no Italian word). Words are looked up with or without their accents
    (`zipf_unaccented_in`: "empleo agricola temporeros" on the Spanish page was read as
    Italian), and words no list of the five holds ("temporeros") are evidence of none."""
    if page not in LANGUAGES or lang not in LANGUAGES:
        return False
    typed = [text[s:e].lower() for s, e, _ in words(text)]
    # words of no language's list, accents or none, are evidence of none ("temporeros")
    held = [w for w in typed if any(zipf_unaccented_in(w, code) for code in LANGUAGES)]
    in_page = [zipf_unaccented_in(w, page) for w in held]
    return (
        bool(held)
        and all(z > 0 for z in in_page)
        and sum(in_page) >= sum(zipf_unaccented_in(w, lang) for w in held)
    )


def false_friend(
    match: ConceptMatch, text: str, lang: str, translating: Translating = untranslated
) -> bool:
    """Whether a concept matched by a label in another language than the query's (`lang`)
    was matched by words of the query's own language that only look like it. Only terms of the
    label that no label of the concept in `lang` holds, and that no concept's labels attest as
    translating between `lang` and the label's language (`translating`: the rule the keyword
    index reads for a record's own text, `kg.search.index.SearchIndex.attested`), can be false
    friends; a concept is not named when either of:

    - each query word holding a term of the label is at least `FOREIGN_WORD` (Zipf units: ten
      times) commoner in `lang` than in the label's language, and its terms can be false
      friends. A Spanish trial's "cuidado de mayores" (care of the elderly) had matched the
      English label "mayors" of local authorities, and its first result was explained "Target
      group: Local authorities (from «mayores»)";
    - some query word of a term that can be a false friend is written otherwise than the label
      writes it, and the label's word of that term is no word of `lang` as much (its Zipf
      frequency in `lang` `FOREIGN_WORD` or more below that in the label's language, wordfreq).
      A French "billet de train" (train ticket) had named education through its English label
      "training" (3.3 in French, 5.2 in English), and the page that found nothing offered the
      theme "Éducation"; the English "association" still names the concept whose French label
      writes "associations" (4.0 in English, 4.6 in French).

    A label's word borrowed by the query's language and written alike ("LEADER" in Italian), a
    word the schemes translate (Italian "migranti" and a label "Migrants"), a cognate that a
    label in the query's language shares ("comuni montani" matches "montaña" of mountain areas,
    whose Italian label is "Aree montane"), a place's or a programme's name (`PROPER_NAMES`:
    the Spanish "Navarra" is Navarre) and every label in a query of no clear language stay
    matched."""
    if lang not in LANGUAGES or match.lang == lang or match.lang not in LANGUAGES:
        return False
    if match.concept.facet in PROPER_NAMES:
        return False
    held = set(tokenize(match.label))
    own = {t for code, label in match.concept.all_labels() if code == lang for t in tokenize(label)}
    found = [(text[s:e].lower(), set(tokenize(w)) & held) for s, e, w in words(text)]
    typed = [(w, t) for w, t in found if t]
    if not typed:
        return False
    unattested = {t for t in held - own if match.lang not in translating(t, lang)}
    if all(
        t <= unattested and zipf_in(w, lang) >= zipf_in(w, match.lang) + FOREIGN_WORD
        for w, t in typed
    ):
        return True
    label_words = [(match.label[s:e].lower(), w) for s, e, w in words(match.label)]
    written = {f for _, f in label_words}
    return any(
        fold(w) not in written
        and not any(
            term(f) == t and zipf_in(x, lang) + FOREIGN_WORD > zipf_in(x, match.lang)
            for x, f in label_words
        )
        for w, terms in typed
        for t in terms & unattested
    )


def of_page_words(text: str, page: str) -> bool:
    """Whether every word of `text` is a word of the page's language `page` (one of
    `LANGUAGES`; wordfreq's list, with or without its accents:
    `kg.search.dictionary.zipf_unaccented_in`): "mayores" or "ninos" on the Spanish page, not
    "refugees" (`Understanding.words_lang`)."""
    typed = [text[s:e].lower() for s, e, _ in words(text)]
    return page in LANGUAGES and bool(typed) and all(zipf_unaccented_in(w, page) for w in typed)


def language_of_words(text: str, page: str = "und") -> str:
    """For a text the n-gram model cannot place (`detect_language` gives "und"), the language
    of the five whose words it holds most commonly (the sum of their Zipf frequencies,
    `kg.search.dictionary.zipf_in`), when that is not English and reaches `WORDS_OVER_ENGLISH`
    times English's sum; else "und". Three short words give the model little: "clase de
    idiomas" (language class) read as no language, was held to the English model's sense check
    and found nothing (a Spanish trial) while "clases de idiomas" read as Spanish found 20
    records. Typed on the page of that language (`page`, ISO 639-1) and made of its words only
    (`of_page_words`), the text needs only to beat English: a French trial's "budget familles"
    (9.6 in French, 4.8 in English: "budget" is a word of both) found nothing on the French
    page, held to the English model's sense check, while "budget" and "familles" each found
    records."""
    typed = [text[s:e].lower() for s, e, _ in words(text)]
    if len(typed) < 2:
        return "und"
    sums = {lang: sum(zipf_in(w, lang) for w in typed) for lang in LANGUAGES}
    # the page's language, where the text holds its words, is likelier to begin with
    prior = {lang: PAGE_PRIOR if lang == page and sums[lang] > 0 else 0.0 for lang in sums}
    best = max(sorted(sums), key=lambda lang: sums[lang] + prior[lang])
    # twice English's at least: a name and a word borrowed everywhere ("MATILDE project":
    # 7.8 in Italian, 5.2 in English) stay of no clear language
    over = 1.0 if best == page and of_page_words(text, page) else WORDS_OVER_ENGLISH
    clear = best != "en" and sums[best] > 0 and sums[best] >= over * sums["en"]
    return best if clear else "und"


def in_another_language(text: str) -> bool:
    """Whether `text` reads as a language outside the graph's five: py3langid over all the
    languages of its model names another one with at least `MIN_PROBABILITY` (Polish
    "ukraina mieszkania" 0.88, Dutch, Finnish and Slovak queries 0.75-0.96; on the eval
    queries of the five languages and the record names of the navigational ones, none does).
    The restricted identifier (`detect_language`) still reads it as the nearest of the five,
    which the ranking keeps; what the user is told of its language is `shown_lang`."""
    if sum(1 for _ in words(text)) < 2:
        return False
    lang, probability = _identifier(restricted=False).classify(text)
    return lang not in LANGUAGES and probability >= MIN_PROBABILITY


@functools.cache
def _identifier(restricted: bool = True) -> Any:
    """py3langid's bundled model, restricted to the languages of the graph unless told
    otherwise (loaded once each)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if restricted:
        identifier.set_languages(list(LANGUAGES))
    return identifier


def language_of(text: str, page: str = "und") -> str:
    """The language of `text` (one of `LANGUAGES`, or "und") typed on the page of `page`:
    `detect_language`, then read as the page's language where its words are as much of it
    (`in_page_language`), as English where they are English words as much
    (`in_english_words`), and for a text the n-gram model cannot place, by its words
    (`language_of_words`)."""
    lang = detect_language(text)
    if lang not in ("en", "und", page) and in_page_language(text, lang, page):
        return page  # words of two languages, typed on a page of one of them
    if lang not in ("en", "und") and in_english_words(text, lang):
        return "en"  # English words the n-gram model read as another language
    if lang == "und":
        return language_of_words(text, page)
    return lang


def understand(
    text: str, matcher: ConceptMatcher, speller: Speller | None = None, *, page: str = "und"
) -> Understanding:
    """The query's terms, language and concepts; with a `speller`, unknown words are corrected
    first (`kg.search.spelling`) and the terms and concepts are those of the corrected text.
    `corrected` is the text as shown ("Showing results for"): misspellings corrected, other
    forms of a dictionary word searched but kept as typed (`Speller.read`). A text read as
    another language but made of English words as much (`in_english_words`) is English: its
    snippets, labels and fusion weights are English ones, and the sense check holds it. One
    read as another language than its page's, but of the page's words as much
    (`in_page_language`), is in the page's language.
    `page`: the language of the page the query was typed on; a misspelling in a query of no
    clear language is read as a word of it where words of several languages are as near
    ("Itali" on a French page is "Italie", not "Italy": a trial). A query whose corrected
    text reads as the page's language is in it, and spelt as it: "acceuil budget" and "famile
    budget" on the French page (a misspelt word is of no language's list, and "budget" as
    English as French) were read as no language or English, held to the English model's sense
    check and found nothing, while "accueil budget" found 78 records."""
    lang = language_of(text, page)  # as typed: a misspelt word or two do not change it
    spelt = lang if lang != "und" else page
    read = (
        Reading(text, text, [])
        if speller is None
        else speller.read(text, spelt, detected=lang != "und")
    )
    # a misspelt word is a word of no language: as corrected, the query may read as the
    # page's ("acceuil budget" on the French page: "budget" alone is as English)
    if (
        speller is not None
        and read.corrections
        and lang != page != "und"
        and language_of(read.searched, page) == page
    ):
        if lang != "und":  # spelt as another language's words: spelt again as the page's
            read = speller.read(text, page, detected=True)
        lang = page
    terms = tuple(tokenize(read.searched))
    u = Understanding(
        text,
        terms,
        lang,
        (),
        read.shown if read.corrections else None,
        tuple(read.corrections),
        tuple(read.forms),
        lang != "und" and in_another_language(text),
        page if lang == "und" and of_page_words(text, page) else "und",
    )
    named = matcher.match(terms, lang)
    return replace(
        u,
        concepts=tuple(
            m
            for m in named
            if not false_friend(m, read.searched, u.words_lang, matcher.translating)
        ),
    )
