"""Spelling correction of query words against the words of the index (issue 13 item 3).

The vocabulary is every word of the keyword text — names, acronyms, alternate names,
identifiers, descriptions in every language, and the SKOS labels of linked concepts in all five
languages — with the number of records holding it. A query word is left alone when its index
term is known (so "villages" is never "corrected" when only "village" occurs: both have the same
term). An unknown word is replaced by the known word at the smallest optimal-string-alignment
distance (Levenshtein plus the transposition of two neighbours, "mountian" → "mountain"),
computed by rapidfuzz; ties go first to the words that keep the first letter typed (the first
letter of a misspelling is seldom wrong: a few per cent of misspellings in the studies of
Kukich's survey, "Techniques for automatically correcting words in text", ACM Computing
Surveys 24(4), 1992; so "cources" is "courses", not "sources"), then to the word commoner in
the query's language (detected from the
whole query, `kg.search.understand`; wordfreq's lists, `kg.search.dictionary.zipf_in`), so
"familes" in "logement des familes réfugiées" is "familles" and in "refugee familes" is
"families"; then to the word more records hold; then to the first alphabetically.
A word of the dictionary (`kg.search.dictionary`: the words of the five languages) is only
read as another form of itself: a known word that keeps all its letters but the last, for a
word of six letters or more ("Aktionsgruppe" → "aktionsgruppen", "Sprachkurs" → "sprachkurse",
"ayudan" → "ayuda", "Ukrainer" → "ukraine"), or, failing that, a known word of six letters or
more that it begins with, up to `SUFFIX` letters shorter: the stem a verb or adjective shares
with the noun the records use (a French trial's "accueillir" → "accueil", "villageois" →
"village"; the records say "accueil" in 43 places and never the infinitive). Otherwise it
stays as written: "quality" is not "equality", "cierra" not "tierra", "mañana" not "manage",
"Real" not "rea"; nor is it read as a word of another language ("garder", to keep, in a French
query is not the English "garden": `Speller._foreign`). Such a form is searched but not
announced: the word was spelt right, so no "Showing results for" names it (`Speller.read`:
the text shown keeps "Dörfern", the words searched hold "dorfer").

A word no record uses and nothing above reads is, last, read as the known word of its family:
the two share their Snowball stem (Porter's algorithms for the five languages, by PyStemmer)
in the query's language, or in the first of the five that joins them for a query of no
detected language, a stem of at least `STEM_LENGTH` letters; of several, a word of the
query's language, then the one more records hold. An Italian trial's "spopolati"
(depopulated) found nothing while the records say "spopolamento" (depopulation) in 37 places:
both stem to "spopol". This reading is announced ("Showing results for spopolamento, search
instead for spopolati"): a stem joins unrelated words too (Spanish "deportaciones" and
"deporte", sport), so the page says what was searched. Of 15,000 rare words of wordfreq's
lists (Zipf 1.8 to 3, five languages) the bundled graph reads about 1 % so, most of them as a
word of their family ("arraigadas" → "arraigo", "immigrated" → "immigrants").

A misspelling of a word the records never use ("acceuillir", where the records say "accueil")
is near no known word. It is first corrected against the dictionary: the commonest dictionary
word one edit away (the candidates Norvig's corrector generates: every deletion,
transposition, substitution and insertion of a letter), if it is commoner than the word typed;
then read as that word's known form, as above ("acceuillir" → "accueillir" → "accueil").
This one is a misspelling, so it is announced, as the known word searched. So is a misspelling
two edits from the nearest word the records hold and one from a dictionary word of the same
index term: "volunter" is "volunteer", which the records write only as "volunteers" (it had
been shown as "Showing results for volunteers").

How far a correction may go follows the length of the word, as Elasticsearch's `AUTO`
fuzziness: no edit for words of up to 2 characters, one for 3 to 5, two for longer words.
Digits are never corrected (grant numbers, years). A short word typed in capitals is an
abbreviation the user knows (`ABBREVIATION`): it is corrected only to a word the records' names
write in capitals too ("EUMNT" → "EUMINT"), never to a common word (a Polish trial's "LGD", a
LEADER local action group, had become "Led" and the search found nothing). Nor is a word the
language lists (`kg.search.dictionary`) know, unless its correction is more likely than the
word as typed: the noisy-channel model of spelling (Kernighan, Church and Gale 1990), with the
correction's frequency as its prior and each edit costing a factor of 20 (`EDIT_COST` = 1.3 on
the Zipf scale): 10-15 % of the queries sent to a search engine hold a misspelling (Cucerzan
and Brill, "Spelling correction as an iterative process that exploits the collective knowledge
of web users", EMNLP 2004), about one word in twenty of queries of two or three words. It was a
factor of 100, one word in a hundred, as in running text; a search trial's "Ukranian" (Zipf
2.3, a misspelling common enough on the web to be listed) then stayed as typed beside
"Ukrainian" (4.2), and its five practices fell to ranks 26-44. "Lapland" is a place, not a
misspelling of the rarer "Oppland" a record names; "comunity" (Zipf 2.0) is "community" (5.3,
one edit); but "Ukrainerinnen" (1.9), a German trial's word for Ukrainian women, is not
"Trainerinnen" (2.6, two edits), which it had become. Such a word, likelier as typed, is
read as a dictionary word is, as a form of itself: a German trial's "leerstehenden" (vacant,
Zipf 2.85) is searched as "leerstehende", which the records say. A word the lists do not
know at all ("famlies") is open to any correction within its budget. Whether the corrected
query finds anything is decided afterwards by the same evidence rule as any query
(`kg.search.rank`), so a word corrected into a stray match of nonsense still yields nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.search.text import LANGUAGES, WORD, fold, term

#: the letters of the candidates one edit from a misspelling (`one_edit`): folded words are
#: ASCII but for the few letters NFKD cannot decompose (`kg.search.text.EXTRA_FOLDS`)
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
#: the cost of one edit on the Zipf scale (a factor of 20: module docstring)
EDIT_COST = 1.3
FORM_LENGTH = 6  # shorter real words are too often another word with one letter changed
SUFFIX = 4  # letters a word may have beyond a known word it begins with, to be read as it
FOREIGN = 1.0  # Zipf units: a known word ten times commoner in another language is of it
#: Zipf value of a word met once per million words of its language (wordfreq's scale): a word
#: typed that is at least this common is taken as meant, not offered a neighbour (`_kept`)
COMMON_WORD = 3.0
#: the shortest Snowball stem that joins a word to its family: shorter ones join other words
#: (Italian "formati", trained, and "forma", shape, both stem to "form"; German "motorischen"
#: and "motor", French "brandissant" and "brand"), measured on 15,000 rare words of the lists
STEM_LENGTH = 6
#: the shortest part of a German compound read as two words (`Speller._compound`)
COMPOUND_PART = 3
#: the linking letters between the parts of a German compound ("Integration-s-hilfe")
LINKING = ("", "s", "es")
#: PyStemmer's names of the Snowball algorithms for the languages of `LANGUAGES`
SNOWBALL = {"en": "english", "es": "spanish", "it": "italian", "de": "german", "fr": "french"}


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length (Elasticsearch `AUTO` fuzziness)."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


@dataclass(frozen=True)
class Reading:
    """A query text as searched: `searched` with every unknown word replaced (the rest as
    written); `shown` the same with misspellings replaced but the forms of dictionary words as
    typed; `changes` the (typed, searched, is a form) triples in the order of the text."""

    searched: str
    shown: str
    changes: list[tuple[str, str, bool]]

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """The (typed, searched) pairs of the misspellings: what "Showing results for" names."""
        return [(typed, fixed) for typed, fixed, form in self.changes if not form]

    @property
    def forms(self) -> list[tuple[str, str]]:
        """The (typed, searched) pairs of words read as another form of themselves."""
        return [(typed, fixed) for typed, fixed, form in self.changes if form]


class Speller:
    """`correct(text)` → the corrected text and the (original, corrected) word pairs;
    `read(text)` → the same, and the text as searched (with the forms of dictionary words)."""

    def __init__(
        self,
        words: Mapping[str, int],
        known: Callable[[str], bool],
        dictionary: Container[str] = frozenset(),
        spellings: Mapping[str, Mapping[str, int]] | None = None,
        zipf: Callable[[str], float] = lambda word: 0.0,
        zipf_in: Callable[[str, str], float] = lambda word, lang: 0.0,
        zipfs: Callable[[Sequence[str]], Sequence[float]] | None = None,
        capitals: Container[str] = frozenset(),
    ) -> None:
        """`words`: folded word → number of records holding it; `known(term)`: whether the
        index holds that term; `dictionary`: folded words only read as forms of themselves;
        `spellings`: folded word → {each way the records write it: records}, for the words
        written with accents (a correction is shown in the spelling nearest to what was
        typed: "intégraton" → "intégration", "integraton" → "integration"); `zipf(word)`: how
        common a folded word is in the languages (`kg.search.dictionary.Words.zipf`, 0.0 when
        unknown): a word the lists know is corrected only into a likelier one (`EDIT_COST`);
        `zipf_in(word, lang)`: how common a
        word as written is in one language (`kg.search.dictionary.zipf_in`), which breaks ties
        between equally near corrections for a query in that language; `zipfs(words)`: `zipf`
        of many words at once (`kg.search.dictionary.Words.zipfs`; default: `zipf` of each);
        `capitals`: folded words the records' names write in capitals ("amif", "eumint"), the
        only corrections of a word typed in capitals."""
        words = {w: n for w, n in words.items() if term(w) is not None}  # stopwords: not searched
        self._choices = sorted(words)
        self._words = frozenset(words)
        self._counts = [words[w] for w in self._choices]
        self._known = known
        self._dictionary = dictionary
        self._zipf = zipf
        self._zipf_in = zipf_in
        self._zipfs = zipfs or (lambda words: [zipf(w) for w in words])
        self._spellings = spellings or {}
        self._capitals = capitals
        #: language → Snowball stem → the known words of that stem (`_stems`, on first use)
        self._families: dict[str, dict[str, list[str]]] = {}

    def word(self, word: str, lang: str = "und") -> str | None:
        """The known word to read `word` (folded) as, in a query of language `lang` (ISO 639-1,
        or "und"), or None when it is known, a dictionary word with no known form, or nothing
        is near enough."""
        read = self._read(word, lang)
        return None if read is None else read[0]

    def _read(
        self, word: str, lang: str, *, strict: bool = True, detected: bool = False
    ) -> tuple[str, bool] | None:
        """`word`'s reading and whether it is a form of a dictionary word (not a misspelling).
        Not `strict`: the nearest known word, even for a word of the languages and when the
        word as typed is the likelier (`suggest`). `detected`: `lang` was read from the
        query's own words, so a word of another language in it may be a misspelling
        (`_of_another`)."""
        t = term(word)
        if t is None or self._known(t) or any(c.isdigit() for c in word):
            return None
        limit = max_edits(word)
        if limit == 0 or not self._choices:
            return None
        near = process.extract(
            word, self._choices, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        form = (
            strict and word in self._dictionary and not (detected and self._of_another(word, lang))
        )
        return self._nearest(word, lang, near, strict=strict, form=form)

    def _of_another(self, word: str, lang: str) -> bool:
        """Whether the dictionary word `word` (folded) is a word of another of `LANGUAGES`
        and none of the query's language `lang`: then it is open to correction into a word of
        the records, as a word the lists do not know is, if that is likelier (`_likelier`).
        An Italian trial's "accoglenza difusa" was shown as "accoglienza difusa": "difusa" is
        Spanish (Zipf 3.1; the Italian "diffusa" 4.5), and was read only as a form of itself.
        A folded word no list holds as written (an accented word typed with its accents, as
        "jubilación") is not judged. Only for a query whose language its own words tell
        (`read`'s `detected`): one word is of no clear language, and is judged by the page's,
        where a name of another language ("Malta" on the French page) is no misspelling."""
        return self._usage(word, lang) == 0.0 and self._foreign(word, lang)

    def _nearest(
        self,
        word: str,
        lang: str,
        near: list[tuple[str, int, int]],
        *,
        strict: bool,
        form: bool,
    ) -> tuple[str, bool] | None:
        """`_read` of `word` given the known words within its edit budget (`near`: rapidfuzz's
        (word, distance, index) triples). `form`: a word of the lists, read only as a form of
        itself."""
        found = near
        if form:  # a real word: only another form of it, in its language (module docstring)
            found = [
                f
                for f in found
                if _same_word(word, self._choices[f[2]])
                and not self._foreign(self._choices[f[2]], lang)
            ]
            if not found:
                start = self._known_start(word)
                return (start, True) if start is not None else self._kin(word, lang)
        if not found:
            if not strict:
                return None
            return self._respelt(word, lang) or self._kin(word, lang)
        nearest = min(f[1] for f in found)
        found = [f for f in found if f[1] == nearest]
        first = [f for f in found if self._choices[f[2]][:1] == word[:1]]
        found = first or found  # the first letter kept (module docstring)
        if len(found) > 1 and lang != "und":  # the query's language first (module docstring)
            usage = {f[2]: self._usage(self._choices[f[2]], lang) for f in found}
            top = max(usage.values())
            found = [f for f in found if usage[f[2]] == top]
        _, _, best = min(found, key=lambda f: (-self._counts[f[2]], self._choices[f[2]]))
        if strict and not form and nearest > 1 and (closer := self._closer_form(word)):
            return closer, False
        if strict and not form and nearest == 1 and (own := self._own_form(word, lang, best)):
            return own, False
        if (
            strict
            and not form
            and not self._likelier(self._zipf(self._choices[best]), nearest, word)
        ):
            # a rare word, likelier than the correction: a name ("Lapland"), or a form of a
            # known word ("leerstehenden", where the records say "leerstehende")
            return self._nearest(word, lang, near, strict=True, form=True)
        return self._choices[best], form

    def _respelt(self, word: str, lang: str) -> tuple[str, bool] | None:
        """A misspelling near no known word, read through the commonest dictionary word one
        edit away (module docstring): that word's known form, the word itself when the index
        holds it, or None."""
        near = one_edit(word)
        zipfs = self._zipfs(near)
        best = max(range(len(near)), key=lambda i: (zipfs[i], near[i]))
        spelt = near[best]
        if spelt not in self._dictionary or not self._likelier(zipfs[best], 1, word):
            return None
        t = term(spelt)
        if t is not None and self._known(t):
            return spelt, False
        read = self._read(spelt, lang)
        return None if read is None or not read[1] else (read[0], False)

    def _closer_form(self, word: str) -> str | None:
        """The commonest dictionary word one edit from `word` (the first letter kept, if one
        does) whose index term the index holds, when it is likelier than `word` as typed;
        else None. The records may hold only another form of the word meant: "volunter" is
        two edits from "volunteers", the only form they write, and one from "volunteer";
        both are searched as the same term, and the page says the nearer."""
        near = self._indexed_one_edit(word)
        first = [w for w in near if w[:1] == word[:1]]
        near = first or near
        if not near:
            return None
        zipfs = self._zipfs(near)
        best = max(range(len(near)), key=lambda i: (zipfs[i], near[i]))
        return near[best] if self._likelier(zipfs[best], 1, word) else None

    def _own_form(self, word: str, lang: str, best: int) -> str | None:
        """A word of the query's language `lang` as near `word` (one edit, the first letter
        kept) as the known word `best` (an index into the known words) and commoner in `lang`,
        whose index term the index holds though the records write only another form of it
        (the commonest such in `lang`, when likelier than `word` as typed); else None. The tie
        between equally near words goes to the query's language (module docstring), and a
        dictionary word one edit away whose term is searched is as near as a known one: a
        French trial's "famile" on the French page had become the English "family" (Zipf 3.6
        in French), one edit away as "famille" (5.3), which the records write only as
        "familles"."""
        if lang not in LANGUAGES:
            return None
        known = self._usage(self._choices[best], lang)
        near = [w for w in self._indexed_one_edit(word) if w[:1] == word[:1]]
        zipfs = {w: self._zipf_in(w, lang) for w in near}
        own = max((w for w in near if zipfs[w] > known), key=lambda w: (zipfs[w], w), default=None)
        return own if own is not None and self._likelier(self._zipf(own), 1, word) else None

    def _indexed_one_edit(self, word: str) -> list[str]:
        """The dictionary words one edit from `word` whose index term the index holds: forms
        of a word the records write otherwise (`_closer_form`, `_own_form`)."""
        return [w for w in one_edit(word) if w in self._dictionary and self._indexed(w)]

    def _likelier(self, zipf: float, edits: int, word: str) -> bool:
        """Whether a correction as common as `zipf`, `edits` away, is likelier than `word`
        as typed (module docstring): always for a word the lists do not know."""
        typed = self._zipf(word)
        return typed == 0.0 or zipf - EDIT_COST * edits > typed

    def _known_start(self, word: str) -> str | None:
        """The longest known word of at least `FORM_LENGTH` letters that `word` begins with,
        at most `SUFFIX` letters shorter than it, or None."""
        shortest = max(FORM_LENGTH, len(word) - SUFFIX)
        return next(
            (word[:n] for n in range(len(word) - 1, shortest - 1, -1) if word[:n] in self._words),
            None,
        )

    def _kin(self, word: str, lang: str) -> tuple[str, bool] | None:
        """`word` read as the known word of its family (`_family`), announced as a correction
        is: a stem joins other words too (Spanish "deportaciones" and "deporte", sport), so
        the page says what was searched and offers the word as typed."""
        family = self._family(word, lang)
        return None if family is None else (family, False)

    def _family(self, word: str, lang: str) -> str | None:
        """The known word sharing `word`'s Snowball stem of `STEM_LENGTH` letters or more in
        `lang` (in the first of `LANGUAGES` that has one when `lang` is "und"), or None. Of
        several, a word of that language first (the Spanish "presentarla" is "presentacion",
        not the English "presented" more records hold), then the one more records hold."""
        for code in (lang,) if lang in SNOWBALL else LANGUAGES:
            stemmer = Stemmer.Stemmer(SNOWBALL[code])
            stem = stemmer.stemWord(word)
            family = self._stems(code, stemmer).get(stem, []) if len(stem) >= STEM_LENGTH else []
            if family:
                return next((w for w in family if self._usage(w, code) > 0), family[0])
        return None

    def _stems(self, lang: str, stemmer: Stemmer.Stemmer) -> dict[str, list[str]]:
        """Snowball stem in `lang` → the known words of that stem, those more records hold
        first (then A–Z), computed on first use: 0.02 s for the 6,400 words of the bundled
        graph. Only words the stemmer shortens, so ending in a suffix of `lang`: an English
        "later" is no Italian stem, and "laterano" (Lateran) is not read as it."""
        stems = self._families.get(lang)
        if stems is None:
            stems = {}
            order = sorted(range(len(self._choices)), key=lambda i: -self._counts[i])
            words = [self._choices[i] for i in order]
            for word, stem in zip(words, stemmer.stemWords(words), strict=True):
                if stem != word:  # an ending of the language taken off, not a foreign word
                    stems.setdefault(stem, []).append(word)
            self._families[lang] = stems
        return stems

    def _foreign(self, folded: str, lang: str) -> bool:
        """Whether the known word `folded` is a word of another language than the query's
        `lang` rather than of `lang`: at least `FOREIGN` (Zipf units: ten times) commoner in
        one of the other languages. A French "garder" (to keep) is no form of the English
        "garden" the records hold, though it keeps all its letters but the last (a trial's
        "garder l'école ouverte" found gardens). False when `lang` is "und"."""
        if lang not in LANGUAGES:
            return False
        own = self._usage(folded, lang)
        return any(self._usage(folded, other) >= own + FOREIGN for other in LANGUAGES)

    def _usage(self, folded: str, lang: str) -> float:
        """How common a known word is in `lang`, in the commonest way the records write it."""
        return max(self._zipf_in(w, lang) for w in self._spellings.get(folded, {folded: 1}))

    def correct(self, text: str, lang: str = "und") -> tuple[str, list[tuple[str, str]]]:
        """The text with each unknown word replaced (the rest as written), and the changes."""
        read = self.read(text, lang)
        return read.searched, [(typed, fixed) for typed, fixed, _ in read.changes]

    def read(self, text: str, lang: str = "und", *, detected: bool = False) -> Reading:
        """How `text`, a query in language `lang` (ISO 639-1 or "und"), is searched and shown
        (`Reading`). `detected`: `lang` was identified from the text itself, not taken from
        the page it was typed on (`_of_another`)."""
        searched: list[str] = []
        shown: list[str] = []
        changes: list[tuple[str, str, bool]] = []
        pos = 0
        for m in WORD.finditer(text):
            read = self._read(fold(m.group()), lang, detected=detected)
            if read is None and lang == "de" and (parts := self._compound(m.group())):
                read = (parts, True)  # a compound of two known words (`_compound`)
            if read is None:
                continue
            fixed, form = read
            if not form and abbreviation(m.group()) and fixed not in self._capitals:
                continue  # "LGD" is not "led" (module docstring)
            between = text[pos : m.start()]
            searched += [between, fixed]
            shown += [between, m.group() if form else self._written(fixed, m.group())]
            changes.append((m.group(), fixed, form))
            pos = m.end()
        searched.append(text[pos:])
        shown.append(text[pos:])
        return Reading("".join(searched), "".join(shown), changes)

    def _compound(self, typed: str) -> str | None:
        """A German compound that neither the index nor wordfreq's German list knows, read as
        its two parts when the index knows both ("Dorfschule" → "dorf schule"): of the splits
        into two words of the German list, a linking "s" or "es" dropped, the one whose parts
        are commonest together (the geometric mean of their frequencies, the arithmetic mean
        of their Zipf values: P. Koehn and K. Knight, "Empirical Methods for Compound
        Splitting", EACL 2003). A word the list holds is left whole: a compound common enough
        to be listed has a meaning of its own ("Ostsee" is not "ost see", "Stadtplan" not a
        plan of a town's practices), as have the names it holds ("Rosenheim", "Bergmann"; a
        review found them split into "rosen heim" and "berg mann"). Searched as a form, not
        announced: the word was spelt right. Only for a word nothing else reads (`read`):
        "Landkreis" stays the records' "Landkreise". A German trial's "Dorfschule" found
        nothing while "Schule Dorf" found the village school first. None otherwise."""
        best = self._split(typed)
        if best is None:
            return None
        parts = [fold(p) for p in best]
        return " ".join(parts) if all(self._indexed(p) for p in parts) else None

    def _indexed(self, word: str) -> bool:
        """Whether the index holds the term of `word`."""
        t = term(fold(word))
        return t is not None and self._known(t)

    def _split(self, typed: str) -> tuple[str, str] | None:
        """The two words of German's list (lowercase, as typed) a German compound that neither
        the index nor that list knows reads as, the split whose parts are commonest together
        (`_compound`), or None."""
        word = typed.lower()
        t = term(fold(word))
        if t is None or self._known(t) or len(word) < 2 * COMPOUND_PART or not word.isalpha():
            return None
        if self._zipf_in(word, "de") > 0:
            return None
        best: tuple[str, str] | None = None
        score = 0.0
        for cut in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
            second = word[cut:]
            for link in LINKING:
                if not word[:cut].endswith(link) or cut - len(link) < COMPOUND_PART:
                    continue
                first = word[: cut - len(link)]
                zipfs = (self._zipf_in(first, "de"), self._zipf_in(second, "de"))
                if min(zipfs) > 0 and sum(zipfs) / 2 > score:
                    best, score = (first, second), sum(zipfs) / 2
        return best

    def suggest(self, text: str, lang: str = "und") -> str | None:
        """A "Did you mean" for a query that found nothing: `text` with every word the index
        does not know replaced by its correction (`read`) or, where `read` keeps the word as
        typed — a word of the languages ("Mathilde", a name in French and German, where the
        records say MATILDE) or a word likelier than its correction — by the nearest word the
        index knows one edit away. None when a word has no such neighbour (nonsense has none,
        so it is offered nothing; two edits made "qwerty" "werte" and "anti-racism"
        "anci-raise") or nothing would change. A German compound neither the index nor the
        language's list knows is offered as its two parts when the index knows one
        (`_parts_known`). Offered, not searched: the caller checks that the suggestion finds
        records."""
        shown: list[str] = []
        pos = 0
        changed = False
        for m in WORD.finditer(text):
            typed = m.group()
            t = term(fold(typed))
            if t is None or self._known(t) or any(c.isdigit() for c in typed):
                continue
            word = fold(typed)
            read = self._read(word, lang)
            # a German compound nothing reads, offered as its parts
            offered = self._parts_known(typed) if read is None and lang == "de" else None
            if offered is None:
                if read is None:  # one letter away at most: "qwerty" is not "werte"
                    read = self._read(word, lang, strict=False)
                    if read is not None and (
                        OSA.distance(word, read[0]) > 1 or self._kept(typed, read[0], lang)
                    ):
                        read = None
                if read is None or (abbreviation(typed) and read[0] not in self._capitals):
                    return None
                if read[1]:  # another form of a word spelt right: searched so, shown as typed
                    continue
                offered = self._written(read[0], typed)
            shown += [text[pos : m.start()], offered]
            pos = m.end()
            changed = True
        shown.append(text[pos:])
        return "".join(shown) if changed else None

    def _parts_known(self, typed: str) -> str | None:
        """For `suggest`: a German compound the index does not know as its two parts
        (`_split`), each capitalised as German writes nouns, when the index knows one of
        them; else None. A German trial's "Leerstandsnutzung" (use of vacant buildings)
        found nothing and was offered nothing, while "Leerstand" finds 24 records: it is
        offered "Leerstand Nutzung", whose results say which word they do not mention."""
        parts = self._split(typed)
        if parts is None:
            return None
        if not any(self._indexed(p) for p in parts):
            return None
        return " ".join(p[:1].upper() + p[1:] for p in parts)

    def _kept(self, typed: str, near: str, lang: str) -> bool:
        """Whether the word `typed`, a word of the query's language `lang` (else of the one of
        `LANGUAGES` where it is commonest), stays as it is rather than be offered `near`
        (folded), the known word one letter away: when it is a common word of that language
        (`COMMON_WORD`: once per million words or more, as typed, accents and all) or `near`
        is at least `FOREIGN` (Zipf units: ten times) rarer in that language than `typed`. A
        French trial's "loger" (to house) was offered the English "lower" (on an English page
        "longer"), a Spanish "tiempo" (weather) the Italian "tempo", "novia" "nova", the German
        "Wetter" on an Italian page "better"; the French "soldes d'été" (summer sales) was
        offered "soldes d'etc" (the unaccented "ete" is rarer than "etc", "été" far commoner),
        the German "Handy" (mobile phone) "Hand". A name the records write in capitals that is
        no word of that language is still offered ("Mathilde" → MATILDE, "Share Sera" → SHARE
        SIRA; not "Homme" → HOME). False for a word of no language's list ("Lesbos" →
        "Lesvos")."""
        word = fold(typed)
        usage = {
            code: max(self._zipf_in(typed.lower(), code), self._zipf_in(word, code))
            for code in LANGUAGES
        }
        own = lang if usage.get(lang, 0.0) > 0 else max(LANGUAGES, key=usage.__getitem__)
        near_usage = self._usage(near, own)
        if near in self._capitals and near_usage == 0:
            return False
        return usage[own] > 0 and (usage[own] >= COMMON_WORD or usage[own] >= near_usage + FOREIGN)

    def _written(self, fixed: str, typed: str) -> str:
        """The correction `fixed` (folded) as the records write it: of its spellings, the
        nearest to `typed` (accents and all), then the one more records write; capitalised
        as typed."""
        spelt = self._spellings.get(fixed)
        lower = typed.lower()
        word = min(spelt, key=lambda w: (OSA.distance(lower, w), -spelt[w], w)) if spelt else fixed
        if abbreviation(typed):
            return word.upper()
        return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def one_edit(word: str) -> list[str]:
    """Every string one optimal-string-alignment edit from `word` over `ALPHABET` (each
    deletion, transposition of neighbours, substitution and insertion), without repeats, as
    Norvig's "How to Write a Spelling Corrector" generates them: 54n + 25 for n letters."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changes = [a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in ALPHABET]
    return list(dict.fromkeys(deletes + swaps + changes + inserts))


#: the most letters of an abbreviation typed in capitals (EAFRD); a longer word in capitals is
#: a word typed so ("VILAGE")
ABBREVIATION = 5


def abbreviation(word: str) -> bool:
    """Whether `word` is written as an abbreviation is: in capitals, 2 to `ABBREVIATION`
    letters ("LGD", "AMIF")."""
    return 1 < len(word) <= ABBREVIATION and word.isupper()


def _same_word(word: str, other: str) -> bool:
    """Whether `other` reads as a form of `word`: it keeps every letter of a word of at least
    `FORM_LENGTH` letters but the last (an ending added, dropped or changed)."""
    return len(word) >= FORM_LENGTH and other.startswith(word[:-1])
