"""Records as linked data: the data document of one record and a view of it for pages.

The document (issue 6) holds the record's named graph — its statements, claims and
provenance — plus the labels of everything it links to, so a harvester needs no second request.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import queries
from kg.errors import NotFound
from kg.graphs import select
from kg.vocab import DCT_NS as DCT
from kg.vocab import FOAF_NS, KINDS, LICENSE, NUTS, RDFS_NS, RIKG_NS, VOID_NS, graph_iri, record_iri
from kg.vocab import PROV_NS as PROV
from kg.vocab import RDF_NS as RDF
from kg.vocab import SCHEMA_NS as SCHEMA
from kg.vocab import SKOS_NS as SKOS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

LABEL_PREDICATES = {
    f"{SCHEMA}name",
    f"{SKOS}prefLabel",
    f"{RDFS_NS}label",
}


def document(store: ox.Store, *, base: str, kind: str, slug: str) -> list[ox.Triple]:
    """The record's data document; NotFound when no such record was ingested."""
    result = _of_record(store, queries.RECORD_DOCUMENT, base=base, kind=kind, slug=slug)
    assert isinstance(result, ox.QueryTriples)
    triples = list(result)
    del result  # pyoxigraph results must not outlive their thread (e.g. in a traceback)
    if not triples:
        raise NotFound(f"no {kind} record {slug!r}")
    return triples


def dataset(
    store: ox.Store, *, base: str, kind: str, slug: str, default: Iterable[ox.Triple] = ()
) -> list[ox.Quad]:
    """The record's data document (`document`) as quads: each statement in the named graph
    the store holds it in (the record's own graph, with its provenance; a linked concept's or
    record's label in that one's graph), then `default` (what the document says of itself,
    `about_document`) in the default graph; for TriG and N-Quads, which keep the graph a
    statement comes from. Each quad once. NotFound as `document`."""
    result = _of_record(store, queries.RECORD_DATASET, base=base, kind=kind, slug=slug)
    assert isinstance(result, ox.QuerySolutions)
    quads = list(dict.fromkeys(ox.Quad(s, p, o, in_) for s, p, o, in_, _ in result))
    del result  # as in `document`
    if not quads:
        raise NotFound(f"no {kind} record {slug!r}")
    return [*quads, *(ox.Quad(t.subject, t.predicate, t.object) for t in default)]


def _of_record(
    store: ox.Store, query: str, *, base: str, kind: str, slug: str
) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """`query` run with `?g` the named graph of the record `kind`/`slug`; NotFound for a kind
    the graph does not have."""
    if kind not in KINDS:
        raise NotFound(f"no record kind {kind!r}; kinds are {', '.join(KINDS)}")
    g = ox.NamedNode(graph_iri(base, kind, slug))
    return store.query(query, prefixes=queries.PREFIXES, substitutions={ox.Variable("g"): g})


def about_document(document: str, topic: str, *, base: str) -> list[ox.Triple]:
    """What a data document (`document`: the page it is the data of) says of itself (Cool URIs
    for the Semantic Web §4.3: the document is not the thing): its `foaf:primaryTopic` is
    `topic` (a record, a concept), its licence the dataset's (CC BY 4.0), and it is part of
    the dataset (`void:inDataset`). A harvester trial found a single record's document
    without its licence."""
    doc = ox.NamedNode(document)
    said = {
        f"{FOAF_NS}primaryTopic": topic,
        f"{DCT}license": LICENSE,
        f"{VOID_NS}inDataset": f"{base}.well-known/void#dataset",
    }
    return [ox.Triple(doc, ox.NamedNode(p), ox.NamedNode(o)) for p, o in said.items()]


def document_modified(triples: list[ox.Triple]) -> str | None:
    """When the record's graph was generated (`prov:generatedAtTime`, ISO 8601), if stated."""
    return next(
        (
            t.object.value
            for t in triples
            if isinstance(t.object, ox.Literal) and t.predicate.value == f"{PROV}generatedAtTime"
        ),
        None,
    )


@dataclass
class Value:
    """One value of a record field, as a page shows it."""

    value: str
    label: str
    href: str | None = None
    lang: str | None = None
    sources: list[str] = field(default_factory=list)
    disputed: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # of a linked concept, by language
    within: list[str] = field(default_factory=list)  # a place's NUTS regions (dcterms:spatial)

    def label_in(self, lang: str) -> str:
        """The label in `lang` where the linked thing has one (concepts: five languages; a
        region: `label_of`)."""
        return label_of(self.value, self.labels, lang) or self.label


@dataclass
class ClaimText:
    aspect: str
    text: str
    sources: list[str]
    disputed: bool
    #: place among the record's facts (`schema:position`, from 1), the order its file gives
    position: int = 0


@dataclass
class RecordView:
    iri: str
    kind: str
    slug: str
    names: dict[str, str]
    descriptions: dict[str, str]
    types: list[str]
    fields: dict[str, list[Value]]
    claims: list[ClaimText]
    sources: list[Value]
    notes: list[str]
    places: list[Value]
    budgets: list[dict[str, str | bool | list[str]]]
    modified: str | None
    source_file: str | None
    labels: dict[str, dict[str, str]]
    contributed: str | None = None  # a contributed record: submitted on (YYYY-MM-DD)
    reviewed: str | None = None  # … and accepted by a moderator on
    adapter: str | None = None  # what wrote the record's graph: records, cordis, contributions
    incoming: dict[str, list[Value]] = field(default_factory=dict)

    def name(self, lang: str = "en") -> str:
        return pick(self.names, lang) or self.slug

    def name_lang(self, lang: str = "en") -> str:
        """The language tag of `name(lang)` ("" when untagged): a page marks a name in another
        language than its own (WCAG 2.1 SC 3.1.2)."""
        return pick_lang(self.names, lang)

    def description(self, lang: str = "en") -> str:
        return pick(self.descriptions, lang)

    def title(self, lang: str = "en") -> str:
        """The record's name in `lang`, led by its acronym where it has one ("SHARE SIRA:
        Strengthening…"): page and card titles, link previews, oEmbed."""
        return titled(self.name(lang), self.acronym())

    def acronym(self) -> str | None:
        """The record's short name (`short_name` of its names and alternate names)."""
        alternates = [(v.lang or "", v.label) for v in self.values(f"{SCHEMA}alternateName")]
        return short_name(self.names.values(), alternates)

    def description_lang(self, lang: str = "en") -> str:
        """The language of the text `description(lang)` gives, for the page's `lang=`."""
        return pick_lang(self.descriptions, lang)

    def label(self, iri: str, lang: str = "en") -> str:
        return label_of(iri, self.labels.get(iri, {}), lang) or iri.rsplit("/", 1)[-1]

    def values(self, predicate: str) -> list[Value]:
        return self.fields.get(predicate, [])

    @property
    def disputes(self) -> list[str]:
        """Predicates or aspects on which the sources disagree."""
        out = [p for p, vals in self.fields.items() if any(v.disputed for v in vals)]
        out += sorted({c.aspect for c in self.claims if c.disputed})
        return out


#: an alternate name written as an acronym (`RecordView.acronym`)
ACRONYM_MAX = 24
ACRONYM = re.compile(
    rf"(?=.*[A-Z].*[A-Z])(?:[A-Z0-9][A-Z0-9 &/-]{{1,{ACRONYM_MAX - 1}}}"  # SHARE SIRA, WHOLE-COMM
    rf"|[A-Za-z0-9][A-Za-z0-9&/+-]{{1,{ACRONYM_MAX - 1}}})"  # one word: PlurAlps, ReROOT, ERN4mob
)


def titled(name: str, short: str | None) -> str:
    """A record's title: `name`, led by its `short_name` where it has one ("MATILDE:
    Migration Impact…")."""
    return f"{short}: {name}" if short else name


def short_name(names: Iterable[str], alternates: Iterable[tuple[str, str]]) -> str | None:
    """A record's short name, where its `alternates` ((language tag, name) pairs; the untagged
    one, a record's own `acronym`, comes first, then A–Z) hold one its names do not: the
    first written as an acronym, at most
    `ACRONYM_MAX` characters with two capitals or more: in capitals, digits, spaces, `-`,
    `&`, `/` ("SHARE SIRA", "WHOLE-COMM", "MATILDE"), or one word ("PlurAlps", "ReROOT",
    "ERN4mob"). Titles, link previews and search results lead with
    it, the name people know a project by (a web developer's trial found "SHARE SIRA" in none
    of them). One a name holds as written ("CIDOB – …") or is, in other letters, is not
    repeated; one a name holds only in other letters is the short name still ("WELCOMING
    SPACES" beside "Investing in 'Welcoming Spaces' in Europe: …", where a webmaster's trial
    got CORDIS's "WelcomingSpaces")."""
    names = list(names)
    for _, alternate in sorted(alternates, key=lambda la: (la[0] != "", la[1])):
        text = alternate.strip()
        same = any(text in n or text.casefold() == n.casefold() for n in names)
        if ACRONYM.fullmatch(text) and not same:
            return text
    return None


def pick(by_lang: dict[str, str], lang: str) -> str:
    """The text in `lang`, else in English, else untagged, else the first there is."""
    return by_lang.get(pick_lang(by_lang, lang), "")


def label_of(iri: str, by_lang: dict[str, str], lang: str) -> str:
    """The label of `iri` in `lang` (`pick`), except for a NUTS region without one: its
    official name, which Eurostat's NUTS table gives in the region's own language and every
    language version of it keeps ("Castilla y León", "Niedersachsen" on a French page), before
    the English one (a French trial read "Castile and León", "Lower Saxony" among French
    words). A region named in several official languages gives the first by language tag; a
    name not in Latin letters is passed over (`_latin`)."""
    if iri.startswith(str(NUTS)) and lang not in by_lang:
        official = sorted(k for k in by_lang if k not in ("en", "") and _latin(by_lang[k]))
        if official:
            return by_lang[official[0]]
    return pick(by_lang, lang)


def _latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin one: an official name in Greek or Cyrillic
    letters ("Καρδίτσα, Τρίκαλα") is not one a reader of the five languages can read, and the
    English name serves instead."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def pick_lang(by_lang: dict[str, str], lang: str) -> str:
    """The language tag of the text `pick` gives ("" for an untagged text or none)."""
    for key in (lang, "en", ""):
        if key in by_lang:
            return key
    return next(iter(by_lang), "")


def view(store: ox.Store, *, base: str, kind: str, slug: str) -> RecordView:
    """Everything a record page shows, built from the data document."""
    triples = document(store, base=base, kind=kind, slug=slug)
    iri = record_iri(base, kind, slug)
    by_subject: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for t in triples:
        s, p, o = _text(t.subject), t.predicate.value, t.object
        by_subject[s].append((p, o))
        if p in LABEL_PREDICATES and isinstance(o, ox.Literal):
            labels[s].setdefault(o.language or "", o.value)
    # claims: who said which value
    claim_sources: dict[tuple[str, str], list[str]] = {}
    disputed: set[tuple[str, str]] = set()
    claims: list[ClaimText] = []
    for props in by_subject.values():
        pd = _props(props)
        if f"{RIKG_NS}Claim" not in pd.get(f"{RDF}type", []):
            continue
        srcs = pd.get(f"{DCT}source", [])
        is_disputed = pd.get(f"{RIKG_NS}disputed", [""])[0] == "true"
        if f"{RDF}predicate" in pd:
            key = (pd[f"{RDF}predicate"][0], pd[f"{RDF}object"][0])
            claim_sources[key] = srcs
            if is_disputed:
                disputed.add(key)
        elif f"{RDF}value" in pd:
            aspect = pd.get(f"{RIKG_NS}aspect", [""])[0]
            position = int(pd.get(f"{SCHEMA}position", ["0"])[0])
            claims.append(ClaimText(aspect, pd[f"{RDF}value"][0], srcs, is_disputed, position))
    fields: dict[str, list[Value]] = defaultdict(list)
    names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    notes: list[str] = []
    places: list[Value] = []
    budgets: list[dict[str, str | bool | list[str]]] = []
    for p, o in by_subject.get(iri, []):
        if p == f"{SCHEMA}name" and isinstance(o, ox.Literal):
            names[o.language or ""] = o.value
        elif p == f"{SCHEMA}description" and isinstance(o, ox.Literal):
            descriptions[o.language or ""] = o.value
        elif p == f"{SKOS}note" and isinstance(o, ox.Literal):
            notes.append(o.value)
        elif p == f"{SCHEMA}location" and isinstance(o, ox.NamedNode):
            pd = _props(by_subject.get(o.value, []))
            place = Value(o.value, pd.get(f"{SCHEMA}name", [o.value])[0])
            place.sources = pd.get(f"{DCT}source", [])
            place.within = pd.get(f"{DCT}spatial", [])
            places.append(place)
        elif p == f"{RIKG_NS}budget" and isinstance(o, ox.NamedNode):
            pd = _props(by_subject.get(o.value, []))
            budgets.append(
                {
                    "iri": o.value,
                    "amount": pd.get(f"{SCHEMA}value", [""])[0],
                    "currency": pd.get(f"{SCHEMA}currency", [""])[0],
                    "kind": pd.get(f"{RIKG_NS}amountKind", [""])[0],
                    "sources": pd.get(f"{DCT}source", []),
                    "disputed": pd.get(f"{RIKG_NS}disputed", [""])[0] == "true",
                }
            )
        elif p in (f"{RIKG_NS}claim", f"{RIKG_NS}kind"):
            continue
        else:
            key = (p, _text(o))
            href = local_href(o.value, base) if isinstance(o, ox.NamedNode) else None
            lang = o.language if isinstance(o, ox.Literal) else None
            label = pick(labels.get(_text(o), {}), "en")
            if not label and _text(o).startswith(str(NUTS)):
                # a region outside the NUTS scheme (a CORDIS organisation's NUTS 3 code): its
                # code (a data steward's trial saw "http://data.europa.eu/nuts/code/ES511")
                label = _text(o).removeprefix(str(NUTS))
            fields[p].append(
                Value(
                    _text(o),
                    label or _text(o),
                    href,
                    lang,
                    claim_sources.get(key, []),
                    key in disputed,
                    labels.get(_text(o), {}),
                )
            )
    # in the record's order (`#amount-1`, `#amount-2`, … as its file lists them: the total
    # first where it gives one), not the store's (an analyst read "local, EAFRD, total")
    budgets.sort(key=lambda b: _natural(str(b["iri"])))
    sources = [
        Value(v.value, pick(_titles(by_subject, v.value), "en") or v.value, v.href)
        for v in fields.pop(f"{DCT}source", [])
    ]
    types = [v.value for v in fields.pop(f"{RDF}type", [])]
    meta = _props(by_subject.get(graph_iri(base, kind, slug), []))
    result = RecordView(
        iri=iri,
        kind=kind,
        slug=slug,
        names=names,
        descriptions=descriptions,
        types=types,
        fields=dict(fields),
        claims=sorted(claims, key=lambda c: c.position),
        sources=sources,
        notes=notes,
        places=places,
        budgets=budgets,
        modified=meta.get(f"{PROV}generatedAtTime", [None])[0],
        source_file=meta.get(f"{RIKG_NS}sourceFile", [None])[0],
        labels=dict(labels),
        contributed=meta.get(f"{DCT}dateSubmitted", [None])[0],
        reviewed=meta.get(f"{DCT}dateAccepted", [None])[0],
        adapter=meta.get(f"{RIKG_NS}adapter", [None])[0],
    )
    result.incoming = incoming(store, base=base, iri=iri)
    for predicate in SYMMETRIC:  # a relation both records state is shown once, as the record's
        own = {v.value for v in result.values(predicate)}
        kept = [v for v in result.incoming.get(predicate, []) if v.value not in own]
        if kept:
            result.incoming[predicate] = kept
        else:
            result.incoming.pop(predicate, None)
    return result


#: predicates whose inverse is themselves (`dcterms:relation`: "a related resource")
SYMMETRIC = (f"{DCT}relation",)


def incoming(store: ox.Store, *, base: str, iri: str) -> dict[str, list[Value]]:
    """Records linking here, by predicate (e.g. initiatives an organisation coordinates)."""
    rows = select(store, queries.RECORD_INCOMING, record=ox.NamedNode(iri))
    out: dict[str, list[Value]] = defaultdict(list)
    seen = set()
    for row in rows:
        key = (row["p"], row["s"])
        if key in seen or row["s"] == iri:
            continue
        seen.add(key)
        out[row["p"]].append(Value(row["s"], row["name"], local_href(row["s"], base)))
    return dict(out)


def local_href(iri: str, base: str) -> str | None:
    """Page path for our own record IRIs (`{base}id/kind/slug` → `/kind/slug`)."""
    prefix = f"{base}id/"
    if iri.startswith(prefix):
        return "/" + iri[len(prefix) :]
    return None


def all_records(store: ox.Store) -> list[dict[str, str]]:
    return select(store, queries.ALL_RECORDS)


def records_of_kind(store: ox.Store, kind: str) -> list[dict[str, str]]:
    return select(store, queries.RECORDS_OF_KIND, kind=ox.Literal(kind))


def kind_listing(kind: str) -> str:
    """The SPARQL CONSTRUCT query (text) listing every record of `kind` (one of `KINDS`) with
    its classes and names, as the endpoint answers it in the RDF format a client asks for: what
    a kind's IRI (`/id/initiative`) leads an RDF client to, where a browser is led to the search
    filtered by kind. Raises `NotFound` for another word."""
    if kind not in KINDS:
        raise NotFound(f"no record kind {kind!r}; kinds are {', '.join(KINDS)}")
    return queries.KIND_LISTING.format(kind=kind)


def concept_labels(store: ox.Store) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select(store, queries.CONCEPT_LABELS):
        out[row["c"]][row.get("lang", "")] = row["label"]
    return dict(out)


def _text(term: Term) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def _props(pairs: list[tuple[str, Term]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for p, o in pairs:
        out[p].append(_text(o))
    return out


def _titles(by_subject: dict[str, list[tuple[str, Term]]], iri: str) -> dict[str, str]:
    for p, o in by_subject.get(iri, []):
        if p == f"{DCT}title" and isinstance(o, ox.Literal):
            return {"en": o.value}
    return {}


def _natural(text: str) -> list[tuple[int, int | str]]:
    """A sort key reading runs of digits as numbers (`amount-10` after `amount-2`)."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]
