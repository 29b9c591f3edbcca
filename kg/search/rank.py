"""Ranking: BM25 and vector similarity fused into one list, filtered and faceted by the graph.

Fusion, chosen by measurement (issue 4 item 2). On `eval/dev-queries.jsonl` (initiatives,
bundled model, nDCG@10): keyword 0.951, vector 0.985; reciprocal rank fusion (k = 60) 0.981 —
it cannot beat its better input when one input is clearly better; a convex combination of
normalised scores, `0.6 · vector + 0.4 · keyword`, 0.989 (crosslingual file: RRF 0.902, convex
0.942). The convex combination is kept, as in Bruch et al., "An analysis of fusion functions for
hybrid retrieval" (TOIS 2023): it uses how far apart scores are, not only their order. α = 0.6
is the middle of the plateau 0.55–0.7 on both files, not a peak. BM25 is divided by its best
score among the candidates; similarity is min-max scaled over the candidates (the union of
keyword matches and the vector set), so the weight means the same whatever the collection size.
`fusion="rrf"` keeps RRF available for comparison (`kg eval --fusion rrf`).

Two corrections to the fusion, measured when the graph had grown from 23 to 77 initiatives
(dev files, nDCG@10, English / cross-lingual / typos: 0.919 / 0.871 / 0.795 before):

- **The model reads English.** all-MiniLM-L6-v2 was trained on English pairs, so for a query
  detected in another language (`kg.search.understand`) the vector weight is `ALPHA_OTHER` =
  0.3 and the keyword side, which matches the records' Spanish, Italian, German and French
  descriptions and the concept labels of every language, weighs more. Cross-lingual 0.871 →
  0.906 with this alone; 0.2–0.4 is the plateau, 0.3 its middle. English queries are unchanged.
- **A record classified under what the query names.** When the query names concepts of the
  schemes (a theme, a target group, a rural challenge, a country, a region: `understand`), a
  record linked to them gains `CONCEPT_BOOST` × the share of those concepts it carries: the
  curated classification is evidence that words and vectors only approximate. 0.25 is the
  middle of the plateau 0.2–0.3 (English 0.946 over all of it; cross-lingual 0.898–0.892;
  typos 0.834–0.848). With both: 0.946 / 0.892 / 0.841; navigational and off-topic unchanged
  (named records lead whatever their score, and the boost never adds a record to the set).
  The boost is also weighed by how much of the query the concepts name
  (`Understanding.concept_coverage`): the classification is evidence for that part of the
  query only. "sponsorship groups Germany" names the country and nothing else of its three
  terms; at the full boost every German record, whatever it does, had gained as much as a
  record matching "sponsorship", and three German practices judged unrelated stood 2nd, 3rd
  and 5th. Measured on the pooled judgments (eval/README.md; English / cross-lingual /
  typos): 0.900 / 0.943 / 0.761 before, 0.902 / 0.942 / 0.779 after; 0.25 stays in the
  plateau (0.2: 0.898 / 0.942 / 0.778, 0.3: 0.908 / 0.941 / 0.784).
- **A record whose text names it in other words.** A concept the query names by a label of
  several words also brings in, and boosts as if classified, the records whose own text holds
  another of its labels of several words, in any language (`_mentions`: "gruppo di azione
  locale" finds an English text's "local action groups"); such a record joins the set, and
  says which label its text holds. A text holding the label the query typed is left to the
  keyword lane. Dev figures unchanged (0.902 / 0.941 / 0.877).
- **Not through a label of another language alone.** The keyword lane is language-blind, so a
  concept's labels in five languages let a false friend match: "cuidado de mayores" (care of
  older people) found records classified under local authorities through the English
  "mayors". For a query in one of the five languages, a term a record holds only through its
  concepts' labels counts when a label of the query's language holds it, or one of a
  language the schemes attest as translating it, or a label writes the word as typed
  (`SearchIndex.matches`; the result set, the evidence rule, the phrase check, each hit's
  matched words and the words said to be in no record read it alike). A place's or a
  programme's name is a name in every language ("Castilla y León" in an Italian query).
  Measured (6 December, this machine): nDCG@10, named first and no result of every dev file
  unchanged; of our lists of 50 everyday, 25 on-topic, 42 funding and 73 single-word
  searches in five languages, three change: "cuidado de mayores" 37 → 21 results; "billet
  de train Paris" 63 → 0 (it had found records through the Italian "tra pari", peer
  learning, so two of its three words seemed known); "bénévolat intégration village"
  129 → 127 (an English label's "villages", which no concept attests as French).

The result set (what `total` and the facet counts describe) is decided record by record, from
evidence that does not depend on the other records, the filters or the collection's size, so a
facet count is exactly what its click gives and a nonsense query finds nothing:

1. **Does the query say anything the graph knows?** Yes when it names a record (the name lane,
   `kg.search.names`), when it names a concept in any language, or when at least half of its
   distinct terms (after spelling correction, `kg.search.spelling`) occur in the index
   (`EVIDENCE`). Calibrated on the eval files: every dev, cross-lingual, typo and navigational
   query has at least 0.67 of its terms known (4 of 6), the off-topic ones at most 0.33
   (1 of 3), and 0.5 lies between. A query in one of the five languages that names people
   who migrate (a target group of `MIGRANT_GROUPS`: refugees, asylum seekers, migrant
   workers…) by one of their labels in its own language has evidence too, whatever its other
   words (`_names_migrants`): an Italian trial's "sostegno psicologico rifugiati" and a German
   one's "Kinderbetreuung Kita Flüchtlinge" found nothing, two of their three words unknown
   to the graph; the records about refugees now come, each saying which words no record
   holds. Not any concept: a first version took every theme, target group and challenge, and
   a review found 31 of 71 everyday searches of its own finding records through one-word
   labels ("Arbeit finden Hamburg", "logement étudiant Lyon": Arbeit, Logement); nor an
   acronym ("BPI prêt garanti") or a nationality ("Ukrainer Rezepte"), which a second review
   found. Measured (6 December) on lists written for this: 33 on-topic searches in five
   languages, 29 → 32 find records; our 30 everyday ones and the first review's 71, none more
   finds records; of the second review's 108, written to name migrants in everyday searches,
   21 more find records, the records about the migrants they name ("Flüchtlinge Fußball WM",
   "refugiados película Netflix"; and its own on-topic ones, "Flüchtlinge Nachrichten heute",
   "Erntehelfer gesucht Spargel"), the page saying which of their words no record holds.
   nDCG@10, named first and no result of every dev file unchanged. English queries stay held
   to the sense check below. Otherwise the result set is empty (`total: 0`).
   Known words alone are weak evidence for a query of several words: everyday words occur
   somewhere in 434 records in five languages, and "used cars for sale", "hotel deals in
   Paris" or "football results" had every word known. Such a query in English (or of no
   clear language: `READ`), naming no record and no concept by a label of several words,
   must also mean what one of its best `SENSE_DEPTH` keyword matches is about: cosine
   similarity of at least `SENSE` between the query and that record. A concept named by one
   word ("jobs", "training", "housing") does not exempt it: "jobs at Google" and "train
   timetable" named a theme so. A fixed number of best matches keeps the rule the same at any
   collection size and whatever the filters. A query whose words stand one after the other
   in a record's text is a phrase of that record and needs no more (`SearchIndex.holds_phrase`):
   "Castilla-La Mancha", a region a practice names, is of no clear language, and the model
   reads it as nothing a record is about (a Spanish trial found nothing for it).
   Calibrated: on the dev files the descriptive, cross-lingual and typo queries' best match is
   at 0.48 or more, the off-topic ones' at 0.06 or less; on two lists of our own, written for
   this and never used for anything else (75 queries on the graph's subjects in the five
   languages, 65 everyday web searches), the on-topic queries this rule applies to reach 0.36
   and more save one ("bus to town" 0.32), the everyday ones 0.31 and less save one
   ("gardening tips for tomatoes" 0.39). 0.35 lies in both gaps; 0.30-0.40 and a depth of
   10-1,000 give the same result sets on both lists.
   A record read whole reads as what most of its statements say, so a query one passage of
   it says can stay far from it: "elderly care" (0.29 from the practice whose newcomers found
   jobs "in homes for the elderly"), "care home jobs", "bus to town", "forestry jobs" found
   nothing, and a German trial's "Pflegekräfte" (care workers) too. When no whole record is
   close enough, the passages (sentences, clauses of lists: `kg.search.passages`) of the
   `PASSAGE_DEPTH` best keyword matches that hold the weightier half of the query's terms
   (weighed by IDF, so "football results" needs a passage saying "football", not only the
   "results" most records have) may stand in for their record: at least `PASSAGE_SENSE`, the
   same cosine a whole record needs. Each such record's closest passage is then its similarity
   in the ranking (MaxP, Dai and Callan, SIGIR 2019), so the record that says it comes first.
   Measured on lists written for this (4 December): 40 on-topic English searches, of which 11
   found nothing and 3 now do not ("doctors shortage", "cooking together", "community
   gardens"); 40 everyday ones, the same 4 find records as before; on two more lists written
   after the value was chosen, 20 on-topic searches unchanged (all but one found records
   before), and 1 of 30 everyday ones more finds records ("dog food delivery", through a
   practice's "food processing and delivery" jobs). nDCG@10, named first and no result of
   every dev file unchanged. Its cost falls only on such queries: at most `BUDGET` (64)
   passages embedded, each once per process (up to 0.15 s on this machine's two cores).
   Queries in Spanish, Italian, German and French are not held to it: the model reads English
   (module docstring, fusion), and held to it they lost 13 of 160 on-topic searches of a
   user trial ("cursos de idiomas", "case vuote", "schrumpfende Dörfer") for one everyday
   search more found nothing. A query of no clear language to the n-gram model whose words
   are at least twice as common in one of those four as in English is read as that language
   (`kg.search.understand.language_of_words`): a Spanish trial's "clase de idiomas" and
   "clases idiomas" had found nothing beside "clases de idiomas" (20 records); nDCG@10, named
   first and no result of every dev file unchanged, and the everyday searches tried then in
   the four languages ("coches usados venta", "meteo domani", "Wetter morgen Berlin") still
   find nothing. A query read as one of them but made of English words as much
   (`kg.search.understand.in_english_words`), and not as much of its page's language
   (`in_page_language`, checked first), is held to it: three or four words give the
   language identifier little to go on, and "car insurance quotes", read as French, had found
   nine records through "quota". On our lists (40 on-topic searches in Spanish, Italian,
   German and French, written for this; the 60 English on-topic and 70 everyday ones of the
   passage check) no on-topic search changes, and that everyday one now finds nothing. A
   one-word query ("women", "orientation": 0.22, 0.14) is not held to it either: the model
   reads a single word poorly, and the word is the evidence. Nor is `mode=keyword`, which
   asks which records hold the words and leaves the model out.
   With the spelling dictionary (`kg.search.dictionary`), everyday searches that find nothing
   rose from 13 of 65 to 61 of 65 on our lists; 73 of our 75 on-topic searches find records
   (before: 75; the two lost are "bus to town" and "anti-racism", which was read as "enti
   raise"), and nDCG@10 of every dev file is unchanged. Two user trials (their own queries,
   measured after the fact, nothing tuned to them): 44 of 54 and 57 of 73 everyday searches
   find nothing; 146 of 160 and 81 of 90 on-topic ones find records.
2. **Which records?** Keyword mode: those holding a query term. Vector mode: those whose
   similarity to the query stands out against the collection — at least `NEAR_Z` standard
   deviations above the mean similarity of the query to a fixed sample of up to 4,096 records
   spread over the index (the same sample whatever the filters; mean and deviation estimate
   the collection's, so the rule means the same at 165 or 100,000 records). `NEAR_Z` = 2, the
   usual "stands out" (about the top 2 % of a normal spread). It was 1, which let in about one
   record in six for any query with evidence, whatever it meant: "MATILDE", a name the model
   cannot read, listed 82 records, among them practices "close in meaning (0.21)". With 2 it
   lists 10; the median result set of the navigational dev queries falls from 70 to 24
   records, of the cross-lingual ones from 106 to 87, and nDCG@10 of every dev file is
   unchanged (the records between 1 and 2 deviations that the judgments call relevant also
   hold query terms, so the keyword side keeps them). Standing out is relative: for a query
   the model reads as little (a place name: "Uckermark") the records that stand out are still
   far from it, and a German trial got seven organisations "close in meaning (0.22)" beside
   the one practice in that district. So a record also needs a cosine of at least `NEAR_MIN`
   to be close in meaning. 0.3 is the middle of the plateau 0.25–0.35 where nDCG@10, named
   first and no result are unchanged on every dev file; "Uckermark" then lists 1 record,
   "MATILDE" 4 (was 10). A query that is a place's or a funding programme's name and
   nothing else ("Sachsen", "Polen", "ESF+": every term held by the label of a country,
   region or programme it names) takes no record by meaning: the model reads a place's name
   as a place somewhere, a programme's as some funding. An Italian trial's "Piemonte" and a
   German one's "Sachsen" listed other regions' governments and villages "close in meaning"
   (0.41-0.46) after the one or two records that are there; "ESF" listed the Red Cross EU
   Office and ELARD beside the two practices the ESF paid for. The records of the place or
   programme are those the classification and the words put there, all the name's words
   together: a record holding "Alto" and not "Adige" is not in Alto Adige (an Italian trial's
   Portuguese and Spanish practices saying "alto" stood after the South Tyrol one). They are
   scored and ordered as for any query (the fusion's scaling is taken over the same
   candidates), and those found by meaning alone or by part of the name are then left out.
   Hybrid: the union.
   Named records always belong, and so do the records linked with them in the graph
   (`SearchIndex.links`: a project's coordinator, partners and funders, an organisation's
   projects, a policy's practices): the link is evidence of its own, and it depends on the
   query alone. The filters then keep the records passing every facet.

Relevance order (`sort=relevance`, documented in the API): named records first (best name match
first), then the records linked with them, whatever their kind (the closest link first:
coordinator, partners, funders, organisers, publisher, parent organisation, the record a
source or event is about, related records, a policy: `LINKS`), then initiatives — the
practices, which are what the judged queries ask for — then the other kinds, each group by
fused score, and in each the records holding word for word what the query asks for so first
(`Understanding.phrases`: a quoted phrase, or a code such as a call's "SC5-21-2016-2017",
whose search had listed six records holding "2016" and "2017" before the one holding the code;
of those holding its words, the first `PHRASE_READ` by score are read; not in vector mode; no
dev query has such a phrase, and their figures are unchanged); records found by meaning alone
(no query word, no concept the query names) come
after all these, initiatives first. Whoever types a project's name wants the project, then
who ran it with whom; an organisation's name, the organisation, then its projects. Before,
"Welcoming Spaces" listed ten practices that share the word "welcoming" before the project's
partners, and the typo file's "Welcomming Spces", whose judges graded the partners related
and those practices not, scored 0.606 (now 1.000; the typo file 0.779 → 0.877, the others
unchanged: no query of theirs names a record). A search trial's
"Ballaghaderreen" had put a Norwegian practice "close in meaning" (score 0) above the county
council that names the town, and "Youth4All" a practice close in meaning above the three
organisations that name the project; every nDCG@10 of the dev files is the same either way.
`sort=start|end` puts the newest first, records without that year after those with it:
`sort=end` lists the records whose sources give an end, then those with a start and no known end
(newest start first; the graph cannot tell an ongoing practice from an end nobody recorded,
and a trial found Riace, 1998 with no end given, listed first as if it ended latest), then the
undated; `sort=name` is A–Z by the title a result shows, its short name
first ("ReROOT: Arrival Infrastructures…" under R).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from kg.search.documents import FACETS, LINKS, MIGRANT_GROUPS, PROPER_NAMES
from kg.search.index import PLACE_FACETS, IntArray, SearchIndex, Tie, joined
from kg.search.names import COMMON
from kg.search.spelling import abbreviation
from kg.search.text import term, tokenize, words
from kg.search.types import FILTERS, FUSIONS, MODES, FacetValue, SearchQuery, parse_years
from kg.search.understand import Mention, Understanding, understand

__all__ = ["FILTERS", "FUSIONS", "MODES", "FacetValue", "Ranking", "SearchQuery", "parse_years"]
ALPHA = 0.6
RRF_K = 60
NEAR_Z = 2.0  # deviations above the collection's mean similarity (module docstring)
NEAR_MIN = 0.3  # and at least this cosine (module docstring)
EVIDENCE = 0.5
ALPHA_OTHER = 0.3  # vector weight for a query not in English (module docstring)
CONCEPT_BOOST = 0.25  # for carrying every concept the query names (module docstring)
SENSE = 0.35  # cosine a keyword match must reach for a query of several words (docstring)
SENSE_DEPTH = 100  # best keyword matches that may reach it
PASSAGE_SENSE = SENSE  # and a passage of one of the best, in its stead (module docstring)
PASSAGE_DEPTH = 20  # best keyword matches whose passages may reach it
READ = ("en", "und")  # query languages the model reads, so the rule can hold them to it
#: best-ranked records holding a quoted phrase's or a code's words that are read for it (a
#: code's words are rare: few records hold them all; a review measured 45 ms a phrase at 50)
PHRASE_READ = 20
SIMILARITY_BLOCK = 2048  # filtered rows multiplied at a time: 3 MB, stays in the cache
#: past this share of the records, one pass over the matrix costs less than gathering the rows
#: (100,000 × 384 on two threads: the pass 5.6 ms, gathering 0.3 of the rows 4.2, 0.4 of them
#: 5.3; one thread: 11.0, 7.9 and 10.4)
FULL_PASS = 0.4
PASS_BLOCK = 4096  # rows of the matrix multiplied at a time: 6.2 ms against 7.0 in one call
#: threads beside the caller's that take blocks of a similarity pass (`_blocks`): the pass is
#: bound by memory, and on this machine's two cores a second stream is what helps
HELPERS = min(3, (os.cpu_count() or 1) - 1)
Floats = npt.NDArray[np.float32]
Rows = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Ranking:
    """The result set in rank order, with each row's fused, keyword and vector scores."""

    rows: Rows
    scores: Floats
    keyword: Floats | None
    similarity: Floats | None
    understanding: Understanding | None
    named: dict[int, float] = field(default_factory=dict)  # row → name match score
    #: the similarity that stands out (`NEAR_Z`): a row at or above it is close in meaning
    near: float = 1.0
    #: per filtered facet (and "year"): the result set without that facet's own filter (a mask
    #: over the index), what its counts are taken over (`facet_counts`), and which records
    #: pass its own filter
    facet_rows: dict[str, tuple[Bools, Bools]] = field(default_factory=dict)
    #: row → how it is linked with the named records (`SearchIndex.linked_to`; filtered out
    #: or not): it follows them
    linked: dict[int, tuple[Tie, ...]] = field(default_factory=dict)
    #: row → the concepts the query names that its text mentions, unclassified (`_mentions`)
    mentions: dict[int, tuple[Mention, ...]] = field(default_factory=dict)


def filter_keeps(index: SearchIndex, query: SearchQuery) -> dict[str, npt.NDArray[np.bool_]]:
    """Per filtered facet (and "year" for a year range): the records passing that filter.
    Records pass the search's filters when they pass every one: values of one facet combine
    with OR, facets with AND; a year range keeps records active in some year of it: from
    their start (`known_start`: a record known only by its end was active in that year) to
    `active_until`."""
    keeps = {}
    empty = np.zeros(0, dtype=np.int32)
    for facet, values in query.filters.items():
        if not values:
            continue
        postings = index.postings.get(facet, {})
        keep = np.zeros(len(index), dtype=bool)
        for value in values:
            keep[postings.get(value, empty)] = True
        keeps[facet] = keep
    if query.years is not None:
        first, last = query.years
        start = known_start(index.start, index.end)
        keeps["year"] = (start > 0) & (start <= last) & (active_until(start, index.end) >= first)
    return keeps


def _a_proper_name(u: Understanding) -> bool:
    """Whether the query is the name of a place or of a funding programme and nothing else:
    every term is held by the label of a country, region or programme it names (module
    docstring, item 2)."""
    return (
        bool(u.concepts)
        and all(m.concept.facet in PROPER_NAMES for m in u.concepts)
        and u.concept_coverage == 1.0
    )


def _lexical(
    index: SearchIndex,
    u: Understanding,
    keyword: Floats | None,
    chosen: Bools,
    named: list[int],
    mentions: dict[int, tuple[Mention, ...]],
) -> Bools:
    """Of the `chosen` records, those found by more than meaning: the query's words, every
    one of them (the words of all the names it is made of together: "Alto" alone is not "Alto
    Adige", an Italian trial's Portuguese and Spanish practices saying "alto" stood after the
    South Tyrol one), a concept the query names (carried or mentioned: `mentions`), or a name
    (`named`: the named records and those linked with them)."""
    held = np.zeros(len(index), dtype=bool)
    candidates = np.flatnonzero(chosen)
    held[candidates] = _concept_share(index, u, candidates, mentions) > 0
    if keyword is not None:
        every = np.zeros(len(index), dtype=bool)
        every[index.holding_all(u.terms, u)] = True
        held |= (keyword > 0) & chosen & every
    held[np.asarray(named, dtype=np.intp)] = True
    return held


def _passing(index: SearchIndex, keeps: Iterable[npt.NDArray[np.bool_]]) -> npt.NDArray[np.bool_]:
    mask = np.ones(len(index), dtype=bool)
    for keep in keeps:
        mask &= keep
    return mask


def known_start(start: IntArray, end: IntArray) -> IntArray:
    """The first year each record is known to be active: its start, or for a record whose
    sources give only an end (MINPLUS: "ended 2021 or 2022") that end; 0 for none. An
    Italian researcher's "active since 2015" had left such records out as having no dates."""
    out: IntArray = np.where(start > 0, start, end)
    return out


def active_until(start: IntArray, end: IntArray) -> IntArray:
    """The last active year of each record: its end, or for a record without one (ongoing)
    this year, or its start when that lies in the future; the year filter and the year facet
    both read it, so a year's count is what its click gives."""
    this_year = datetime.date.today().year
    out: IntArray = np.where(end == 0, np.maximum(start, this_year), np.maximum(end, start))
    return out


def rank(index: SearchIndex, query: SearchQuery) -> Ranking:
    """The whole result set in order (pagination and explanations come after), and per
    filtered facet the result set without that facet's filter (`Ranking.facet_rows`: values
    of one facet combine with OR, so a value's count is taken as if its facet were unfiltered;
    the records close in meaning are then found among the records passing the other filters,
    not only all of them)."""
    keeps = filter_keeps(index, query)
    mask = _passing(index, keeps.values())
    others = {f: _passing(index, [k for g, k in keeps.items() if g != f]) for f in keeps}
    text = query.text.strip()
    if not text or len(index) == 0:
        rows = np.flatnonzero(mask)
        rows = rows[_sorted(index, rows, query.sort)] if query.sort != "relevance" else rows
        if query.sort == "relevance":
            rows = rows[np.argsort(index.browse_rank[rows], kind="stable")]
        facet_rows = {f: (o, keeps[f]) for f, o in others.items()}
        return Ranking(
            rows, np.zeros(len(rows), np.float32), None, None, None, facet_rows=facet_rows
        )
    # a query naming a record as typed, run together ("kpax" for K-Pax), is not misspelt
    as_typed = index.names.match((), text)  # the name run together, looked up once
    correct = query.correct and not as_typed
    u = understand(text, index.matcher, index.speller if correct else None, page=query.lang)
    terms = list(dict.fromkeys(u.terms))
    common = {t for t in terms if index.known(t) > COMMON * len(index)}
    ordinary = {t for _, _, w in words(u.searched) if (t := term(w)) and w in index.dictionary}
    named = {**index.names.match(u.terms, "", common, ordinary), **as_typed}
    known = sum(1 for t in terms if len(index.matches(t, u)[0]))  # as this query matches
    phrases = [m for m in u.concepts if len(m.label.split()) > 1]  # a one-word label is weak
    strong = bool(named or phrases)
    evidence = strong or bool(terms and known >= EVIDENCE * len(terms)) or _names_migrants(u)
    keyword = _keyword(index, u) if evidence and query.mode != "vector" else None
    several = len([w for w in text.split() if tokenize(w)]) > 1
    passages: dict[int, float] = {}  # read by the sense check: row → closest passage
    if evidence and not strong and several and query.mode != "keyword" and u.lang in READ:
        matched = keyword if keyword is not None else _keyword(index, u)
        # the sense check first: it reads the query's embedding, which the ranking needs anyway
        sense, passages = _makes_sense(index, u, matched)
        evidence = sense or index.holds_phrase(u.terms, u)
    if not evidence:
        nothing = np.zeros(0, dtype=np.intp)
        return Ranking(nothing, np.zeros(0, np.float32), None, None, u)
    compared = _compared(mask, others, keyword, named)
    similarity, threshold = (
        (None, 0.0) if query.mode == "keyword" else _similarity(index, u, compared)
    )
    if similarity is not None and passages:
        # a record is as close as its closest passage (MaxP): what let the query in ranks;
        # only where the similarity was computed (the filters and facet counts need it)
        read = np.fromiter(passages, dtype=np.intp)
        closest = np.fromiter(passages.values(), dtype=np.float32)
        similarity[read] = np.where(
            compared[read], np.maximum(similarity[read], closest), similarity[read]
        )
    chosen = np.zeros(len(index), dtype=bool)
    if keyword is not None:
        chosen |= keyword > 0
    mentions = _mentions(index, u) if keyword is not None else {}
    if mentions:
        chosen[np.fromiter(mentions, dtype=np.intp)] = True
    if similarity is not None:
        chosen |= similarity >= threshold
    # records linked with a named one (its partners, its coordinator…): they follow it
    linked = index.linked_to(sorted(named, key=lambda r: -named[r])) if named else {}
    if named:
        chosen[np.fromiter(named, dtype=np.intp)] = True
    if linked:
        chosen[np.fromiter(linked, dtype=np.intp)] = True
    rows = np.flatnonzero(chosen & mask)
    facet_rows = {f: (chosen & o, keeps[f]) for f, o in others.items()}
    # each row's share of the concepts the query names: its boost, and evidence of its words
    shares = (
        _concept_share(index, u, rows, mentions) if u.concepts else np.zeros(len(rows), np.float32)
    )
    if query.mode == "keyword":
        assert keyword is not None
        scores = keyword[rows]
    elif query.mode == "vector":
        assert similarity is not None
        scores = similarity[rows]
    elif query.fusion == "rrf":
        assert keyword is not None
        assert similarity is not None
        scores = _rrf(keyword, similarity, mask)[rows]
    else:
        assert keyword is not None
        assert similarity is not None
        # normalised within each group of the relevance order (initiatives, the rest), so an
        # organisation's scores never rescale the initiatives' fusion
        lead = index.docs_initiative[rows]
        alpha = ALPHA if u.lang in ("en", "und") else ALPHA_OTHER
        scores = np.empty(len(rows), dtype=np.float32)
        for part in (lead, ~lead):
            scores[part] = _convex(keyword[rows[part]], similarity[rows[part]], alpha)
        scores += CONCEPT_BOOST * u.concept_coverage * shares
    scores = scores.astype(np.float32)
    if similarity is not None and _a_proper_name(u):  # scored as any query, then only its own
        held = _lexical(index, u, keyword, chosen, [*named, *linked], mentions)
        keep = held[rows]
        rows, scores, shares = rows[keep], scores[keep], shares[keep]
        facet_rows = {f: (c & held, k) for f, (c, k) in facet_rows.items()}
    if query.sort != "relevance":
        order = _sorted(index, rows, query.sort)
    else:
        order = _by_score(scores, index.browse_rank[rows])
        lead = index.docs_initiative[rows[order]]
        group = np.where(lead, 3.0, 4.0)
        if keyword is not None:  # found by meaning alone: after every record the words found
            lexical = (keyword[rows[order]] > 0) | (shares[order] > 0)
            group[~lexical] += 2
        if u.phrases and query.mode != "vector":  # asked for word for word (docstring)
            group[_holding_phrases(index, u, rows[order])] -= 0.5  # first of their kind
        if linked:  # closest link first: the coordinator before partners, funders…
            closest = np.full(len(index), -1, dtype=np.intp)
            for r, ties in linked.items():
                closest[r] = min(LINKS.index(t.link) for t in ties)
            tie = closest[rows[order]]
            group = np.where(tie >= 0, 1 + (tie + 1) / (len(LINKS) + 1), group)
        if named:
            group[np.isin(rows[order], np.fromiter(named, dtype=np.intp))] = 0
        order = order[np.argsort(group, kind="stable")]
        first = int(np.count_nonzero(group == 0))
        if first > 1:  # best name match first; equal matches by score
            best = sorted(order[:first], key=lambda i: -named[int(rows[i])])
            order[:first] = best
    return Ranking(
        rows[order],
        scores[order],
        keyword,
        similarity,
        u,
        named,
        threshold,
        facet_rows,
        linked,
        mentions,
    )


def _compared(
    mask: Bools, others: dict[str, Bools], keyword: Floats | None, named: dict[int, float]
) -> Bools:
    """The records whose similarity to the query is needed: every record passing the filters
    (they are ranked by it), and of those failing exactly one filter (a facet's count is taken
    without its own filter) the ones no keyword or name has chosen already: whether they stand
    out in meaning decides whether they count."""
    if not others:
        return mask
    extra = np.logical_or.reduce(list(others.values())) & ~mask
    if keyword is not None:
        extra &= keyword <= 0
    if named:
        extra[np.fromiter(named, dtype=np.intp)] = False
    out: Bools = mask | extra
    return out


def _holding_phrases(index: SearchIndex, u: Understanding, ranked: Rows) -> Bools:
    """Which of the `ranked` rows hold every phrase of the query (`Understanding.phrases`)
    word for word. Of the rows holding a phrase's terms, the first `PHRASE_READ` in rank
    order are read: a record holding it further down keeps its place. Each record read is
    tokenised whole (about 1 ms for a 7 KB initiative), so the depth bounds the cost."""
    held = np.ones(len(ranked), dtype=bool)
    for phrase in u.phrases:
        positions = np.flatnonzero(held & np.isin(ranked, index.holding_all(phrase, u)))
        read = positions[:PHRASE_READ]
        holding = set(index.holding_phrase(phrase, ranked[read]))
        held[:] = False
        held[[int(p) for p in read if int(ranked[p]) in holding]] = True
    return held


def _names_migrants(u: Understanding) -> bool:
    """Whether the query, in one of the graph's five languages, names people who migrate (a
    target group of `MIGRANT_GROUPS`: refugees, asylum seekers, migrant workers…) by one of
    their labels in its own language, whatever its other words (module docstring, step 1):
    "sostegno psicologico rifugiati" names refugees by their Italian label, though the graph
    holds neither "sostegno" nor "psicologico". Not by an acronym, which names other things
    too: "BPI" (bénéficiaires de la protection internationale) is also the French public
    investment bank ("BPI prêt garanti", a review)."""
    return not u.foreign and any(
        m.lang == u.lang
        and m.concept.facet == "target_group"
        and m.concept.code in MIGRANT_GROUPS
        and not abbreviation(m.label.removesuffix("s"))  # "BPI", "TCNs"
        for m in u.concepts
    )


def _makes_sense(
    index: SearchIndex, u: Understanding, keyword: Floats
) -> tuple[bool, dict[int, float]]:
    """Whether one of the `SENSE_DEPTH` records with the best keyword scores is at least
    `SENSE` similar to the query, or else a passage of one of the `PASSAGE_DEPTH` best at least
    `PASSAGE_SENSE` (module docstring, step 1); and, when passages were read, each of those
    records' closest passage (row → cosine), which then stands for its similarity."""
    best = np.flatnonzero(keyword > 0)  # the matches: few, next to the index
    if len(best) > SENSE_DEPTH:
        best = best[np.argpartition(-keyword[best], SENSE_DEPTH - 1)[:SENSE_DEPTH]]
    if not len(best):
        return False, {}
    vector = index.encode_query(u.expanded())
    if float(np.max(np.einsum("ij,j->i", index.vectors[np.sort(best)], vector))) >= SENSE:
        return True, {}
    first = best[np.argsort(-keyword[best], kind="stable")][:PASSAGE_DEPTH]
    passages = index.closest_passages(first, u.terms, vector)
    return max(passages.values(), default=-1.0) >= PASSAGE_SENSE, passages


def _mentions(index: SearchIndex, u: Understanding) -> dict[int, tuple[Mention, ...]]:
    """The records whose text mentions, by a label in any language, a concept the query names
    by a label of several words, without being classified under it (`SearchIndex.mentioning`):
    row → the concepts and the labels found. A thesaurus expansion: "gruppo di azione locale"
    names the LEADER concept, whose English label "local action group" an English text holds
    (a trial's Italian query missed such a practice that English and French found). A text
    holding the very label the query typed is left to the query's words (the keyword lane
    scores it; a mention is weaker evidence than a classification and is not boosted again)."""
    found: dict[int, list[Mention]] = {}
    for m in u.concepts:
        typed = tokenize(m.label)
        if m.concept.facet in PLACE_FACETS or len(typed) < 2:
            continue  # a place's own words are matched as typed; a one-word label is weak
        for row, label in index.mentioning(m.concept).items():
            if tokenize(label) != typed:  # the label the query typed: its words found it
                found.setdefault(row, []).append(Mention(m, label))
    return {row: tuple(ms) for row, ms in found.items()}


def _concept_share(
    index: SearchIndex,
    u: Understanding,
    rows: Rows,
    mentions: dict[int, tuple[Mention, ...]] | None = None,
) -> Floats:
    """For each of `rows`, the share of the concepts `u` names that the record is linked to
    (its facet postings) or its text mentions (`mentions`, `_mentions`): 0 to 1."""
    carried = np.zeros(len(index), dtype=np.float32)
    empty = np.zeros(0, dtype=np.int32)
    for m in u.concepts:
        carried[index.postings.get(m.concept.facet, {}).get(m.concept.code, empty)] += 1
    for row, ms in (mentions or {}).items():
        carried[row] += len(ms)
    return np.asarray(carried[rows] / len(u.concepts), dtype=np.float32)


def _sorted(index: SearchIndex, rows: Rows, sort: str) -> Rows:
    """Positions of `rows` in `sort` order (see the module docstring); ties by name."""
    names = index.name_rank[rows]
    if sort == "name":
        return np.argsort(names, kind="stable")
    start, end = index.start[rows].astype(np.int64), index.end[rows].astype(np.int64)
    if sort == "start":
        return np.lexsort((names, -start, start == 0))
    # by end: known ends, then a start without a known end (newest start first), then undated
    group = np.where(end > 0, 0, np.where(start > 0, 1, 2))
    return np.lexsort((names, -start, -end, group))


def _by_score(scores: Floats, ties: IntArray) -> Rows:
    """The order of `np.lexsort((ties, -scores))` (score descending, then `ties` ascending)
    by one sort of 64-bit keys, unique as the tie ranks are: half the time over 80,000 rows.
    The high half is the float's bits mapped to an unsigned integer of the same order (negated:
    higher scores first), the low half the tie rank (non-negative, below 2**31)."""
    bits = (-scores + np.float32(0.0)).view(np.uint32)  # + 0.0: -0.0 and 0.0 tie, as in lexsort
    flip = np.where(bits >> 31 == 1, np.uint32(0xFFFFFFFF), np.uint32(0x80000000))
    keys = (bits ^ flip).astype(np.uint64) << np.uint64(32) | ties.astype(np.uint64)
    return np.argsort(keys)


def place_terms(u: Understanding) -> dict[str, int]:
    """The query's terms for the keyword index, in order, each with its weight: its own (1),
    and for each country or region it names by a name of several words ("Paesi Bassi"), that
    name as the index holds it (`kg.search.index.keyword_labels`), weighing as its words would
    (2: "Paesi Bassi" named whole scored two matched words when the index held them apart)."""
    terms = dict.fromkeys(u.terms, 1)
    for m in u.concepts:
        size = len(tokenize(m.label))
        if m.concept.facet in PLACE_FACETS and size > 1:
            terms.update(dict.fromkeys(tokenize(joined(m.label)), size))
    return terms


def _keyword(index: SearchIndex, u: Understanding) -> Floats:
    """BM25 scores of every record, over the query's terms as it matches them
    (`SearchIndex.matches`: not through labels of other languages alone). Not
    `bm25s.BM25.get_scores`, whose `np.add.at` took 3 to 20 ms at 100,000 records; a term's
    postings name each record once, so a plain indexed add is the same sum in the same order."""
    scores = np.zeros(len(index), dtype=np.float32)
    for t, weight in place_terms(u).items():
        rows, data = index.matches(t, u)
        scores[rows] += data * weight
    return scores


def _similarity(
    index: SearchIndex, u: Understanding, mask: npt.NDArray[np.bool_]
) -> tuple[Floats, float]:
    """Cosine similarity to the (concept-expanded) query of the filtered rows (−1 elsewhere),
    and the similarity that stands out: `NEAR_Z` deviations above the mean over the index's
    fixed sample of records, and at least `NEAR_MIN` (module docstring).

    Each block is a BLAS matrix-vector product held to one BLAS thread (`_one_blas_thread`):
    left to itself BLAS splits every product over both cores, and with anything else running
    on this 2-core machine that made it 2 to 3 times slower (issue 4 latency). Blocks are
    shared instead (`_blocks`): a second thread takes blocks while it gets a core, and the
    calling thread takes the rest, so a busy machine costs no more than one thread. BLAS, not
    `np.einsum`, which was used before: einsum's loop does not use the wide vector
    instructions, so on a machine of slower cores it was compute-bound (100,000 × 384, same
    run: einsum 15.3 ms on one thread and 9.1 on two, BLAS 11.9 and 6.0)."""
    vector = index.encode_query(u.expanded())
    sample = np.einsum("ij,j->i", index.sample_vectors, vector)
    threshold = max(NEAR_MIN, float(sample.mean() + NEAR_Z * sample.std())) if len(sample) else 1.0
    rows = np.flatnonzero(mask)
    out = np.full(len(index), -1.0, dtype=np.float32)
    if len(rows) > FULL_PASS * len(index):  # one pass over the matrix is cheaper

        def part(first: int) -> None:
            block = slice(first, first + PASS_BLOCK)
            if mask[block].any():
                np.dot(index.vectors[block], vector, out=out[block])

        _one_blas_thread()
        _blocks(range(0, len(index), PASS_BLOCK), part)
        out[~mask] = -1.0
        return out, threshold

    # Copying the filtered rows (`vectors[rows]`) writes as much as it reads; blocks that stay
    # in the cache cost a third of that. One buffer per thread.
    width = index.vectors.shape[1]
    buffers = threading.local()

    def gathered(first: int) -> None:
        chunk = rows[first : first + SIMILARITY_BLOCK]
        block = getattr(buffers, "block", None)
        if block is None:
            block = buffers.block = np.empty((SIMILARITY_BLOCK, width), np.float32)
        # mode="clip" (the rows are valid): "raise" copies through a temporary buffer
        np.take(index.vectors, chunk, axis=0, out=block[: len(chunk)], mode="clip")
        out[chunk] = block[: len(chunk)] @ vector

    _one_blas_thread()
    _blocks(range(0, len(rows), SIMILARITY_BLOCK), gathered)
    return out, threshold


@functools.cache
def _one_blas_thread() -> object:
    """The BLAS libraries loaded in this process (numpy's OpenBLAS) held to one thread from
    the first similarity pass on, for good (threadpoolctl). The limit is the library's, for the
    whole process: set and restored around each pass, two searches at once in the server's
    threads restored each other's (the second put back the first's limit of one when it
    ended, the first the library's two while the second ran), so it is set once and kept. The
    search's other products (`kg.search.similar`, the sense check) are as small or smaller."""
    return ThreadpoolController().limit(limits=1, user_api="blas")


_helpers: tuple[int, ThreadPoolExecutor] | None = None


def _blocks(firsts: range, work: Callable[[int], None]) -> None:
    """`work(first)` for each of `firsts`, shared by the calling thread and `HELPERS` helper
    threads: each takes the next block when it is free (`itertools.count` hands out each
    number once, under the GIL), so a helper that gets no core leaves its blocks to the others.
    Blocks write disjoint rows. One or two blocks are done in the calling thread alone."""
    global _helpers
    if len(firsts) <= 2 or HELPERS == 0:
        for first in firsts:
            work(first)
        return
    if _helpers is None or _helpers[0] != os.getpid():  # threads do not survive a fork
        _helpers = (os.getpid(), ThreadPoolExecutor(HELPERS, "kg-search-pass"))
    taken = itertools.count()

    def take() -> None:
        for i in taken:
            if i >= len(firsts):
                return
            work(firsts[i])

    helping = [_helpers[1].submit(take) for _ in range(HELPERS)]
    take()
    for done in helping:
        done.result()


def _convex(keyword: Floats, similarity: Floats, alpha: float = ALPHA) -> Floats:
    best = float(keyword.max()) if len(keyword) else 0.0
    kw = keyword / best if best > 0 else np.zeros_like(keyword)
    low, high = (float(similarity.min()), float(similarity.max())) if len(similarity) else (0, 0)
    vec = (similarity - low) / (high - low) if high > low else np.ones_like(similarity)
    return np.asarray(alpha * vec + (1 - alpha) * kw, dtype=np.float32)


def _rrf(keyword: Floats, similarity: Floats, mask: npt.NDArray[np.bool_]) -> Floats:
    def ranks(scores: Floats) -> Floats:
        order = np.argsort(-np.where(mask, scores, -np.inf), kind="stable")
        out = np.empty(len(scores), dtype=np.float32)
        out[order] = np.arange(1, len(scores) + 1)
        return out

    fused = 1.0 / (RRF_K + ranks(similarity))
    return np.asarray(fused + np.where(keyword > 0, 1.0 / (RRF_K + ranks(keyword)), 0), np.float32)


# --- facets ------------------------------------------------------------------------------


def facet_counts(
    index: SearchIndex,
    rows: Rows,
    *,
    lang: str = "en",
    facet_rows: dict[str, tuple[Bools, Bools]] | None = None,
    selected: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, list[FacetValue]]:
    """For each facet, how many records carry each value (most first; in a filtered facet the
    selected values first, then by `adds`), so that a click on a value gives the count it
    shows.

    A facet without a filter counts over the result set (`rows`): its value's click narrows
    the results to that count. A filtered facet counts over the results without its own
    filter (`facet_rows`, from `Ranking`): its values combine with OR, so a value not selected
    also says how many results it `adds` (those carrying none of the `selected` values); its
    click gives the results plus that many. The year facet of a year range counts over the
    results without the range, as a year's click replaces the range."""
    facet_rows = facet_rows or {}
    chosen = selected or {}
    counts = index.value_counts(rows)
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        if facet == "year":
            base = facet_rows[facet][0] if facet in facet_rows else None
            out[facet] = _year_counts(index, rows if base is None else np.flatnonzero(base))
        elif facet in facet_rows:
            base, keep = facet_rows[facet]
            out[facet] = _or_values(index, facet, base, keep, set(chosen.get(facet, ())), lang)
        else:
            out[facet] = sorted(
                (
                    FacetValue(code, index.label(facet, code, lang), int(counts[number]))
                    for code, number in index.facet_values.get(facet, {}).items()
                    if counts[number]
                ),
                key=_shown_order,
            )
    return out


def _or_values(
    index: SearchIndex, facet: str, base: Bools, keep: Bools, picked: set[str], lang: str
) -> list[FacetValue]:
    """The values of a filtered facet over `base` (the results without its filter), each not
    `picked` with the results it adds (those not in `keep`); counted through the facet's own
    postings (end to end: one gather and one sum per count), as a full `value_counts` would
    count every facet's values."""
    if facet not in index.facet_postings:
        return []
    codes, records, starts = index.facet_postings[facet]
    own = np.add.reduceat(base[records], starts, dtype=np.intp)
    adds = np.add.reduceat((base & ~keep)[records], starts, dtype=np.intp)
    values = [
        FacetValue(code, index.label(facet, code, lang), int(n), None if code in picked else int(a))
        for code, n, a in zip(codes, own, adds, strict=True)
        if n
    ]
    return sorted(values, key=_shown_order)


def _shown_order(value: FacetValue) -> tuple[bool, int, str]:
    """Selected values first, then by the number shown (`adds`, else `count`), then A-Z."""
    shown = value.count if value.adds is None else value.adds
    return (value.adds is not None, -shown, value.label.lower())


def _year_counts(index: SearchIndex, rows: Rows) -> list[FacetValue]:
    """Records active in each year from the first start to the last end, the latest year
    first: the years a practitioner looks for come before "show all" (a volunteer's list began
    at 1998)."""
    end = index.end[rows]
    start = known_start(index.start[rows], end)
    dated = start > 0
    if not dated.any():
        return []
    start, end = start[dated], active_until(start[dated], end[dated])
    first, last = int(start.min()), int(end.max())
    size = last - first + 2
    delta = np.bincount(start - first, minlength=size)
    delta -= np.bincount(end - first + 1, minlength=size)
    counts = np.cumsum(delta)[:-1]
    years = [FacetValue(str(first + i), str(first + i), int(c)) for i, c in enumerate(counts)]
    return years[::-1]
