"""`search(index, query)`: one page of ranked, explained hits with facet counts."""

from __future__ import annotations

import dataclasses

import numpy as np

from kg.search.documents import SearchDoc
from kg.search.explain import RELATIONS, LinkedTo, explain, name_as_searched
from kg.search.index import PRACTICE_FACETS, SearchIndex
from kg.search.rank import SENSE, Ranking, facet_counts, known_start, rank
from kg.search.text import fold, term, tokenize, words
from kg.search.types import Correction, Hit, Label, SearchQuery, SearchResults
from kg.search.understand import Understanding

__all__ = ["Hit", "Label", "SearchResults", "search"]
#: concepts offered when nothing matched
CLOSEST = 5
#: the cosine between a query and a concept's label sharing one of its words for the concept to
#: be offered when nothing matched (`_closest`). Measured (7 December) on the 332 searches of
#: our everyday, on-topic and word lists and six driving-lesson searches in five languages:
#: "driving lessons" and "driving licence" 0.58; of the everyday ones, "coches de segunda mano"
#: (used cars) and "coche compartido" 0.59, offered Mobility and transport, the graph's topic
#: nearest to cars, and the rest 0.47 and less ("used cars for sale" and "car sharing",
#: "impôts déclaration en ligne" and "travail non déclaré", "Share Sera" and "ride sharing"
#: 0.37, French "location vacances" and "Mountain location" 0.44).
SHARED_SENSE = 0.5


def search(index: SearchIndex, query: SearchQuery) -> SearchResults:
    """Rank the whole result set, count its facets, explain the requested page; an offset past
    the end gives an empty page (the caller decides whether to show the last one)."""
    ranking = rank(index, query)
    page = range(query.offset, min(query.offset + query.limit, len(ranking.rows)))
    filters = {f: list(v) for f, v in query.filters.items() if v}
    rows = [int(ranking.rows[i]) for i in page]
    u = ranking.understanding
    contained = index.terms_in(rows, u.terms if u is not None else (), u)
    hits = []
    for i, row, terms in zip(page, rows, contained, strict=True):
        doc = index.docs[row]
        why, snippet, snippet_lang = explain(
            index,
            doc,
            ranking.understanding,
            filters=filters,
            keyword=None if ranking.keyword is None else float(ranking.keyword[row]),
            similarity=None if ranking.similarity is None else float(ranking.similarity[row]),
            terms=terms,
            lang=query.lang,
            close=ranking.similarity is not None and ranking.similarity[row] >= ranking.near,
            named=row in ranking.named,
            linked=[
                LinkedTo(
                    name_as_searched(index.docs[t.record], u.terms if u is not None else ()),
                    RELATIONS[t.link, t.outward][0],
                )
                for t in ranking.linked.get(row, ())
            ],
            mentions=ranking.mentions.get(row, ()),
        )
        hits.append(
            Hit(
                doc,
                round(float(ranking.scores[i]), 4),
                snippet,
                why,
                _values(index, doc, "theme", query.lang),
                _values(index, doc, "country", query.lang),
                row in ranking.named,
                snippet_lang,
            )
        )
    return SearchResults(
        query,
        len(ranking.rows),
        hits,
        facet_counts(
            index,
            ranking.rows,
            lang=query.lang,
            facet_rows=ranking.facet_rows,
            selected={f: tuple(v) for f, v in filters.items()},
        ),
        u,
        u.corrected if u is not None else None,
        tuple(Correction(a, b) for a, b in u.corrections) if u is not None else (),
        _closest(index, query, u) if u is not None and not len(ranking.rows) else (),
        _undated(index, ranking),
        _open_ended(index, ranking, query),
        _suggestion(index, query, ranking) if not len(ranking.rows) else None,
        _unheld(index, ranking) if len(ranking.rows) else (),
        _end_unknown(index, ranking, query),
    )


def _end_unknown(index: SearchIndex, ranking: Ranking, query: SearchQuery) -> int:
    """Sorted by end year: the results with a start and no known end (0 in other orders),
    which `kg.search.rank` lists after every result whose end is known: the graph cannot tell
    a running practice from an end its sources do not give."""
    if query.sort != "end" or not len(ranking.rows):
        return 0
    start, end = index.start[ranking.rows], index.end[ranking.rows]
    return int(np.count_nonzero((end == 0) & (start > 0)))


def _unheld(index: SearchIndex, ranking: Ranking) -> tuple[str, ...]:
    """The query's words, as typed (after spelling correction), that no record holds, for a
    search that found records through its other words: a practitioner trial's "Zorblax Rural
    Futures" listed 112 records and only each one's "does not mention" said that "Zorblax"
    matched nowhere. Not said when the query names a record: its name may hold the word in its
    own way ("youth4all"). The page says only that no record mentions it: results found by
    meaning may hold none of the other words either. A word held only by labels of another
    language that merely look like it ("mayores", the English "mayors") is held by none
    (`SearchIndex.matches`)."""
    u = ranking.understanding
    if u is None or ranking.named:
        return ()
    forms = {fold(typed) for typed, _ in u.forms}  # searched as a known form of themselves
    text = u.searched
    unheld = (
        text[s:e]
        for s, e, w in words(text)
        if (t := term(w)) is not None and w not in forms and not len(index.matches(t, u)[0])
    )
    return tuple(dict.fromkeys(unheld))


def _suggestion(index: SearchIndex, query: SearchQuery, ranking: Ranking) -> str | None:
    """For a search that found nothing, a query that finds records: its words the index does
    not know spelt as the nearest it knows (`Speller.suggest`), the filters kept; None when
    there is none. "Mathilde", a name of the languages, is not corrected to MATILDE (a word
    spelt right is not changed unasked), so it found nothing and said nothing. Words are
    judged in the query's language; one word ("loger") has no clear language, and is judged
    in the page's, so a French word is not offered an English one."""
    u = ranking.understanding
    if u is None:
        return None
    one_word = len(list(words(query.text))) == 1
    lang = query.lang if u.lang == "und" and one_word else u.lang
    text = index.speller.suggest(query.text, lang)
    if text is None:
        return None
    found = rank(index, dataclasses.replace(query, text=text, correct=True))
    return text if len(found.rows) else None


def _undated(index: SearchIndex, ranking: Ranking) -> int:
    """Records the year range alone leaves out for having no dates, neither start nor end
    (0 without a range); organisations, which have no years of activity in the graph, are not
    counted."""
    if "year" not in ranking.facet_rows:
        return 0
    others, _ = ranking.facet_rows["year"]
    undated = others & (known_start(index.start, index.end) == 0)
    undated[index.postings.get("kind", {}).get("organisation", np.zeros(0, np.int32))] = False
    return int(np.count_nonzero(undated))


def _open_ended(index: SearchIndex, ranking: Ranking, query: SearchQuery) -> int:
    """Results the year range holds only by taking a record with no known end as still active:
    started before the range's first year, no end year (0 without a range). Events and
    organisations have no such reading (an event dated by its start alone took place then)."""
    if query.years is None or not len(ranking.rows):
        return 0
    start, end = index.start[ranking.rows], index.end[ranking.rows]
    return int(np.count_nonzero((end == 0) & (start > 0) & (start < query.years[0])))


def _closest(index: SearchIndex, query: SearchQuery, u: Understanding) -> tuple[Label, ...]:
    """For a page where nothing matched: first the concepts the query names by a label (a
    French trial's "garder l'école ouverte" names Education by "école", which alone finds
    records, but found nothing and was offered nothing), then those with a label that holds a
    word of the query few concepts' labels hold (`ConceptMatcher.sharing`) and is close to the
    query in meaning (`SHARED_SENSE`): a trial's "driving lessons" found nothing and was
    offered nothing, where "driving licence" labels Mobility and transport; "best pizza near
    me" shares "best" with "best practices" and is offered nothing. Then the
    concepts (themes, target groups, challenges, opportunities) nearest to the query in
    meaning, `CLOSEST` in all: labels embedded on first use. Of the nearest in meaning, only
    those at least `SENSE` similar (the cosine a query of several words must reach with a
    record to make sense, `kg.search.rank`): nonsense is nearest to some concept too
    ("xqzvbn plorf" at 0.22 to "Resettlement", where "bus to town" is at 0.40 to "Mobility
    and transport"), and offering it as a closest topic would be a guess. A query of function
    words only ("the", "of and the") says nothing to be near: a search trial's "the" was
    offered "Refugees"."""
    named = {f"{m.concept.facet}:{m.concept.code}": m.concept.label(query.lang) for m in u.concepts}
    if index.embedder is None or not index.concepts or not tokenize(query.text):
        return tuple(Label(v, label) for v, label in named.items())[:CLOSEST]
    vector = index.encode_query(query.text)
    for concept, labels in index.matcher.sharing(u.terms):
        if concept.facet in PRACTICE_FACETS and any(
            float(index.encode_query(label) @ vector) >= SHARED_SENSE for label in labels
        ):
            named.setdefault(f"{concept.facet}:{concept.code}", concept.label(query.lang))
    concepts, vectors = index.concept_vectors()
    sims = vectors @ vector
    best = [i for i in np.argsort(-sims, kind="stable")[:CLOSEST] if sims[i] >= SENSE]
    near = {f"{concepts[i].facet}:{concepts[i].code}": concepts[i].label(query.lang) for i in best}
    return tuple(Label(v, label) for v, label in {**named, **near}.items())[:CLOSEST]


def _values(index: SearchIndex, doc: SearchDoc, facet: str, lang: str) -> list[Label]:
    """The record's values of `facet`, labelled in `lang`: themes in the record's order,
    countries in the alphabetical order of their names (accents folded), "Alemania, Austria,
    Bélgica", not the order of their codes (a trial). Themes are those the record states, not
    the broader ones its filter also matches (a researcher read "Agriculture and food" in the
    download of a record that states "Seasonal agricultural work" only); a country is shown
    too where the record names only a region of it."""
    given = doc.facets if facet == "country" or doc.stated is None else doc.stated
    labels = [Label(c, index.label(facet, c, lang)) for c in given.get(facet, ())]
    return sorted(labels, key=lambda v: fold(v.label)) if facet == "country" else labels
