"""Why a record came up (issue 4 item 4): the query words it contains, the concepts it shares
with the query (found through labels in any language, issue 9 item 3), the filters it passed,
how close it is in meaning, and a snippet with the matches marked.

It also says which query words the record does not hold (`Why.missing`), as the big engines'
"Missing:" line does: a search trial's "football club migration statistics Brazil" listed
practices that mention "migration" and nothing else, and nothing said that "Brazil" matched
nowhere. A word counts as held when the record's text or one of its concepts' labels holds it
(a Spanish word may be held through the Spanish label of the record's theme). Said only of a
record that holds some other word of the query: one found by meaning alone says so instead;
nor of one the query names (`Why.named`, said first: "name matches"), whose name holds the
query's words in its own way ("supreme" in SU.PR.EME.; "4" in Youth4All), nor of one linked
with a record the query names (`Why.linked`: "partner in “WELCOMING SPACES”", "coordinated by
“Cepaim”": `RELATIONS`), which is there for the link, not for the words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.search.documents import SearchDoc
from kg.search.index import SearchIndex, own_parts
from kg.search.text import fold, highlight, term, tokenize, words
from kg.search.understand import Mention, Understanding

FACET_NAMES = {
    "kind": "kind",
    "initiative_type": "type of initiative",
    "theme": "theme",
    "target_group": "target group",
    "country": "country",
    "nuts": "region",
    "funding": "funding",
    "challenge": "rural challenge",
    "opportunity": "rural opportunity",
}


@dataclass(frozen=True)
class SharedValue:
    """A facet value the record shares with the query: a concept it names, or a filter."""

    facet: str
    value: str
    label: str
    matched: str | None = None  # the concept label the query matched, in its own language
    #: the concept's label the record's text holds, when the text mentions the concept without
    #: the record being classified under it (`kg.search.understand.Mention`)
    mentioned: str | None = None
    #: a filter value chosen beside others of its facet (Spain of "Spain or Italy"): saying it
    #: tells which one the record has, where a lone filter is true of every result
    one_of_several: bool = False


#: how a record is linked with a record the query names → (key, English phrase): by the link
#: (`kg.search.documents.LINKS`) and whether the record holds it (True: a project coordinated by
#: the named organisation) or the named record does (False: the named project's coordinator);
#: the web pages translate each key's phrase (web/templating.py, `LINK_PHRASES`)
RELATIONS = {
    ("coordinator", False): ("coordinator-of", "coordinator of {names}"),
    ("partner", False): ("partner-in", "partner in {names}"),
    ("funder", False): ("funder-of", "funder of {names}"),
    ("organiser", False): ("organiser-of", "organiser of {names}"),
    ("publisher", False): ("publisher-of", "publisher of {names}"),
    ("parent", False): ("parent-of", "parent organisation of {names}"),
    ("policy", False): ("policy-of", "policy with contributions from {names}"),
    ("about", False): ("subject-of", "subject of {names}"),
    ("related", False): ("related-to", "related to {names}"),
    ("coordinator", True): ("coordinated-by", "coordinated by {names}"),
    ("partner", True): ("with-partner", "partnered with {names}"),
    ("funder", True): ("funded-by", "funded by {names}"),
    ("organiser", True): ("organised-by", "organised by {names}"),
    ("publisher", True): ("published-by", "published by {names}"),
    ("parent", True): ("part-of", "part of {names}"),
    ("policy", True): ("contributes-to", "contributes to {names}"),
    ("about", True): ("about", "about {names}"),
    ("related", True): ("related-to", "related to {names}"),
}
PHRASES = dict(RELATIONS.values())


@dataclass(frozen=True)
class LinkedTo:
    """A record the query names, and how the explained record is linked with it."""

    name: str  # as the query names it (`name_as_searched`)
    relation: str  # a key of `RELATIONS`' values: "coordinator-of", "with-partner"…


@dataclass(frozen=True)
class Why:
    matched_terms: list[str] = field(default_factory=list)
    concepts: list[SharedValue] = field(default_factory=list)
    filters: list[SharedValue] = field(default_factory=list)
    keyword_score: float | None = None
    similarity: float | None = None
    query_language: str | None = None
    close: bool = False  # the similarity stands out against the collection (kg.search.rank)
    missing: list[str] = field(default_factory=list)  # query words, as typed, it does not hold
    named: bool = False  # the query names it (kg.search.names): its name matched
    #: the records the query names that it is linked with, and how (its project, its
    #: coordinator: `kg.search.rank`, relevance order)
    linked: list[LinkedTo] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line a practitioner can read."""
        parts = ["name matches"] if self.named else []
        for relation, names in self.linked_relations:
            parts.append(PHRASES[relation].format(names=", ".join(f"“{n}”" for n in names)))
        if self.matched_terms:
            parts.append("mentions " + ", ".join(f"“{t}”" for t in self.matched_terms))
        for c in self.concepts:
            said = c.matched and c.matched.casefold() != c.label.casefold()
            via = f" (from “{c.matched}”)" if said else ""
            concept = f"{FACET_NAMES.get(c.facet, c.facet)}: {c.label}"
            if c.mentioned:  # not classified under it: the text names it
                parts.append(f"mentions “{c.mentioned}” ({concept}, from “{c.matched}”)")
            else:
                parts.append(f"{concept}{via}")
        if self.close and self.similarity is not None:
            parts.append(f"close in meaning ({self.similarity:.2f})")
        parts += [f"{FACET_NAMES.get(f.facet, f.facet)}: {f.label}" for f in self.shown_filters]
        if self.missing:
            parts.append("does not mention " + ", ".join(f"“{t}”" for t in self.missing))
        return "; ".join(parts)

    @property
    def linked_relations(self) -> list[tuple[str, list[str]]]:
        """`linked` by relation, in order of first mention: (key, names)."""
        out: dict[str, list[str]] = {}
        for link in self.linked:
            out.setdefault(link.relation, []).append(link.name)
        return list(out.items())

    @property
    def shown_filters(self) -> list[SharedValue]:
        """The filters a reader learns something from: of a facet with several values chosen,
        the one the record has, unless the query named it too (then it is among `concepts`).
        A facet filtered on one value is true of every result, and a trial found it repeated
        on each."""
        named = {(c.facet, c.value) for c in self.concepts}
        return [f for f in self.filters if f.one_of_several and (f.facet, f.value) not in named]


def explain(
    index: SearchIndex,
    doc: SearchDoc,
    u: Understanding | None,
    *,
    filters: dict[str, list[str]],
    keyword: float | None,
    similarity: float | None,
    terms: set[str] | frozenset[str] = frozenset(),
    lang: str = "en",
    close: bool = False,
    named: bool = False,
    linked: Sequence[LinkedTo] = (),
    mentions: Sequence[Mention] = (),
) -> tuple[Why, str, str]:
    """The explanation of one hit, its HTML snippet (text escaped, matches in `<mark>`) and
    the snippet's language (the BCP 47 tag of the description it comes from; "" when the data
    does not say, for a claim, a note or an alternate name);
    `terms` are the query's terms the record contains (`SearchIndex.terms_in`); `close`:
    whether its similarity stands out (only then is it "close in meaning"); `named`: whether
    the query names it; `linked`: the named records it is linked with, and how; `mentions`:
    the concepts the query names that its text mentions, unclassified."""
    label_lang = u.shown_lang if u is not None and u.shown_lang != "und" else lang
    shared = [
        SharedValue(f, v, index.label(f, v, lang), one_of_several=len(values) > 1)
        for f, values in filters.items()
        for v in values
        if v in doc.facets.get(f, ())
    ]
    if u is None:
        text, text_lang = _snippet_source(doc, set(), label_lang, {})
        return Why(filters=shared), highlight(text, ()), text_lang
    found = set(terms)
    read: dict[str, set[str]] = {}  # each text of the record tokenised once per explanation
    terms = _said(index, doc, found, u)
    text = u.searched
    # the terms each word was searched as: its own, or its form's (a German compound's two)
    form_terms = {fold(typed): tokenize(form) for typed, form in u.forms}

    def searched_as(w: str) -> list[str]:
        own = term(w)
        return [own] if own is not None and own in terms else form_terms.get(w, [])

    matched = list(
        dict.fromkeys(
            text[s:e] if w in index.words else _as_written(doc, t, text[s:e])
            for s, e, w in words(text)
            for t in searched_as(w)
            if t in terms
        )
    )
    concepts = [
        SharedValue(m.concept.facet, m.concept.code, m.concept.label(lang), _typed(text, m.label))
        for m in u.concepts
        if m.concept.code in doc.facets.get(m.concept.facet, ())
    ]
    concepts += [
        SharedValue(
            c.match.concept.facet,
            c.match.concept.code,
            c.match.concept.label(lang),
            _typed(text, c.match.label),
            mentioned=c.label,
        )
        for c in mentions
    ]
    # a word a named concept's label holds is explained by it: not again by another concept
    # whose longer label holds it too ("Refugees (from «rifugiati»)" and "Migrant youth (from
    # «rifugiati»)", through "giovani rifugiati": an Italian trial read it as a misreading)
    explained = {
        t
        for m in u.concepts
        if m.concept.code in doc.facets.get(m.concept.facet, ())
        for t in tokenize(m.label)
    } | {t for c in mentions for t in tokenize(c.match.label)}
    concepts += _labels_holding(
        index, doc, found - terms - explained, u, {c.value for c in concepts}, lang
    )
    wanted = {t for t in u.terms if t in terms}
    held = found | explained
    missing: list[str] = []
    # (module docstring: of which records it is said)
    if held & set(u.terms) and not named and not linked:
        unheld = (
            text[s:e]
            for s, e, w in words(text)
            if (t := term(w)) is not None
            and t not in held
            and not (form_terms.get(w) and all(f in held for f in form_terms[w]))
        )
        missing = list(dict.fromkeys(unheld))
    why = Why(
        matched_terms=matched,
        concepts=concepts,
        filters=shared,
        keyword_score=None if keyword is None else round(keyword, 4),
        similarity=None if similarity is None else round(similarity, 4),
        query_language=u.shown_lang,
        close=close,
        missing=missing,
        named=named,
        linked=list(linked),
    )
    text, text_lang = _snippet_source(doc, wanted, label_lang, read)
    return why, highlight(text, wanted), text_lang


def name_as_searched(doc: SearchDoc, terms: Sequence[str]) -> str:
    """The name of `doc` the query holds best, of its names in every language, alternate names
    and identifiers (the fields the name lane reads, `kg.search.names`): the name the query is,
    word for word ("WELCOMING SPACES" for "welcoming spaces", not the 14-word title that also
    holds both words; "MATILDE" for "matilde"); else the one holding most of the query's
    `terms`, the record's own name where it holds as many ("Senderos Aragón", not its alternate
    name "Senderos", for "nuevos senderos"), else the shortest of those ("Nuevos Senderos" for
    that Spanish name, not "New Paths"); the record's name when none holds a term (a name typed
    run together, "youth4all")."""
    wanted = set(terms)
    names = dict.fromkeys([doc.name, *doc.names.values(), *doc.alt_names, *doc.identifiers])
    held = {n: set(tokenize(n)) for n in names}
    exact = [n for n, t in held.items() if t == wanted]
    if wanted and exact:
        return doc.name if doc.name in exact else min(exact, key=len)
    count = {n: len(wanted & t) for n, t in held.items()}
    best = max(count.values(), default=0)
    if not best or count[doc.name] == best:
        return doc.name
    return min((n for n, k in count.items() if k == best), key=len)


def _typed(text: str, label: str) -> str:
    """The words of the query `text` that matched a concept's `label`, as typed ("escuela" for
    the label "escuelas": a trial read "from «escuelas»" as a word it had not written); the
    label itself when none is found."""
    wanted = set(tokenize(label))
    spans = [(s, e) for s, e, w in words(text) if term(w) in wanted]
    if not spans:
        return label
    start, end = spans[0][0], spans[-1][1]
    # the words as one run, the little words between kept ("mineurs non accompagnés": a trial
    # read «mineurs accompagnés», the opposite), unless words of other meaning stand between
    if all(term(w) is None or term(w) in wanted for s, e, w in words(text) if start <= s < end):
        return text[start:end]
    return " ".join(dict.fromkeys(text[s:e] for s, e in spans))


def _labels_holding(
    index: SearchIndex,
    doc: SearchDoc,
    label_only: set[str],
    u: Understanding,
    named: set[str],
    lang: str,
) -> list[SharedValue]:
    """The record's concepts whose labels hold query terms its own text does not, as the query
    `u` matches labels (`SearchIndex.holders`: not a label of another language that only looks
    like its word): the keyword match came through them, so they are named, each with the
    query words their labels hold ("rifugiati" in a theme's Italian label). A concept whose
    alternative labels alone hold a word that another's preferred label holds too is not named
    for it: "migranti" is "Lavoratori migranti", not "Imprenditorialità" through its
    alternative "imprenditoria migrante" (an Italian trial read that as a misreading)."""
    if not label_only:
        return []
    text = u.searched
    holders = {t: index.holders(t, u) for t in label_only}
    found: list[tuple[str, str, frozenset[str], frozenset[str]]] = []  # words held, by pref
    for (facet, code), held in index.concept_terms(doc).items():
        hit = frozenset(
            t for t in held & label_only if (h := holders[t]) is None or (facet, code) in h
        )
        if hit and code not in named:
            concept = index.by_code.get((facet, code))
            preferred = frozenset(tokenize(" ".join(concept.labels.values()))) if concept else hit
            found.append((facet, code, hit, hit & preferred))
    by_preferred = frozenset(t for *_, pref in found for t in pref)
    out = []
    for facet, code, hit, pref in found:
        if not pref and hit <= by_preferred:
            continue
        said = list(dict.fromkeys(text[s:e] for s, e, w in words(text) if term(w) in hit))
        out.append(
            SharedValue(facet, code, index.label(facet, code, lang), ", ".join(said) or None)
        )
    return out


def _snippet_source(
    doc: SearchDoc, wanted: set[str], lang: str, read: dict[str, set[str]]
) -> tuple[str, str]:
    """The text with the most distinct query terms, and its language ("" when the data does not
    say); a description in the query's language (then English) when several tie or none
    matches. `read`: texts already tokenised (text → its terms), filled as texts are read."""
    described = [(text, tag) for tag, text in doc.descriptions.items() if text]
    preferred = [(doc.descriptions[t], t) for t in (lang, "en") if doc.descriptions.get(t)]
    candidates = preferred + described
    candidates += [
        (text, doc.languages.get(text, "")) for text in (*doc.claims, *doc.notes, *doc.alt_names)
    ]
    if not candidates:
        return doc.name, doc.name_lang
    if not wanted:
        return candidates[0]
    best, most = candidates[0], -1
    for text, tag in candidates:  # the first of equals: the preferred order
        hits = len(wanted & _terms(text, read))
        if hits > most:
            (best, most) = (text, tag), hits
            if hits == len(wanted):  # none can hold more
                break
    return best


def _terms(text: str, read: dict[str, set[str]]) -> set[str]:
    """The index terms of `text`, through `read` (text → terms, filled as texts are read)."""
    if text not in read:
        read[text] = set(tokenize(text))
    return read[text]


def _as_written(doc: SearchDoc, searched: str | None, typed: str) -> str:
    """A query word no record writes as typed ("familys", searched as the term of
    "families"; "villager", searched as "village") as the record writes it: the first word
    of its own text with the index term `searched`, so "mentions" quotes what the record
    says; `typed` when none is found (the term came from elsewhere)."""
    for part in own_parts(doc):
        for s, e, w in words(part):
            if term(w) == searched:
                return part[s:e]
    return typed


def _said(index: SearchIndex, doc: SearchDoc, terms: set[str], u: Understanding) -> set[str]:
    """The terms of `terms` the record's own text holds as the query `u` matches it
    (`SearchIndex.says`: not an English "mayor" for a Spanish "mayores"). Its keyword text also
    holds its concepts' labels in five languages ("España vaciada" for a German project
    classified under depopulation), which the explanation names as concepts; "mentions" names
    only what the record says. Only a term also one of those labels is in doubt: the others
    are held by the record's own text as the query matches it (`SearchIndex.terms_in`)."""
    doubtful = terms & index.label_terms(doc)
    if not doubtful:
        return terms
    row = index.positions[doc.iri]
    return (terms - doubtful) | {t for t in doubtful if index.says(row, t, u)}
