"""The graph's own vocabulary, `rikg:` (`https://w3id.org/rikg/ns#`), as the store holds it:
the ontology graph an ingest writes from `ontology/rikg.ttl` (`{base}graph/ontology/rikg`).

A hash namespace: a term's IRI is the vocabulary document's plus `#name`, so the document must
describe every term, and a page of it must carry an anchor per term (W3C, "Best Practice
Recipes for Publishing RDF Vocabularies", recipe 3; "Cool URIs for the Semantic Web" §4.1).
`vocabulary` gives the terms for that page, `vocabulary_document` the statements for its data
documents (Turtle, N-Triples, JSON-LD, RDF/XML)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import NotFound
from kg.record_document import pick_lang
from kg.vocab import DCT_NS, OWL_NS, RDF_NS, RDFS_NS, RIKG_NS, SD_NS

#: the vocabulary's own IRI (its `owl:Ontology`), the namespace without its `#`
ONTOLOGY = RIKG_NS.rstrip("#")
DCT_TITLE = f"{DCT_NS}title"
VANN_PREFIX = "http://purl.org/vocab/vann/preferredNamespacePrefix"
#: what a term is, by its `rdf:type`, as the page groups terms
KINDS = {
    f"{OWL_NS}Class": "class",
    f"{RDFS_NS}Class": "class",
    f"{OWL_NS}ObjectProperty": "property",
    f"{OWL_NS}DatatypeProperty": "property",
    f"{OWL_NS}AnnotationProperty": "property",
    f"{RDF_NS}Property": "property",
    f"{SD_NS}Function": "function",
}


@dataclass(frozen=True)
class Term:
    """One class, property or SPARQL extension function of the vocabulary. `name`: its local
    name (the page's anchor); `labels`, `comments`: by language tag; `parents`: its
    `rdfs:subClassOf` or `rdfs:subPropertyOf`; `domain`, `range`: a property's, as IRIs."""

    iri: str
    name: str
    kind: str  # "class", "property" or "function" (a SPARQL extension function)
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    parents: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The label in `lang`, else English (`pick_lang`), else the local name."""
        return self.labels.get(pick_lang(self.labels, lang)) or self.name

    def label_lang(self, lang: str = "en") -> str:
        """The language `label(lang)` is in (a page marks a label not in its own)."""
        return pick_lang(self.labels, lang)

    def comment(self, lang: str = "en") -> tuple[str, str]:
        """The comment in `lang`, else English, and the language it is in."""
        chosen = pick_lang(self.comments, lang)
        return self.comments.get(chosen, ""), chosen


@dataclass(frozen=True)
class Vocabulary:
    """The vocabulary's title and comment (by language), preferred prefix, version, and its
    classes, properties and SPARQL extension functions, each in order of local name."""

    iri: str
    titles: dict[str, str]
    comments: dict[str, str]
    prefix: str
    version: str
    classes: list[Term]
    properties: list[Term]
    functions: list[Term]

    def title(self, lang: str = "en") -> str:
        return self.titles.get(pick_lang(self.titles, lang)) or self.iri

    def title_lang(self, lang: str = "en") -> str:
        return pick_lang(self.titles, lang)


def ontology_graph(base: str) -> str:
    """The named graph an ingest writes `ontology/rikg.ttl` into."""
    return f"{base}graph/ontology/rikg"


def vocabulary_document(store: ox.Store, *, base: str) -> list[ox.Triple]:
    """The statements of `ontology/rikg.ttl` as the store holds them (not the ingest's
    provenance of the graph), sorted. Raises `NotFound` when the store has no ontology (an
    empty store)."""
    graph = ox.NamedNode(ontology_graph(base))
    triples = sorted(
        {q.triple for q in store.quads_for_pattern(None, None, None, graph) if q.subject != graph},
        key=str,
    )
    if not triples:
        raise NotFound("the vocabulary is not in the store; run `kg ingest`")
    return triples


def vocabulary(store: ox.Store, *, base: str) -> Vocabulary:
    """The vocabulary's description and terms (the `rikg:` classes, properties and SPARQL
    extension functions the ontology graph types). Raises `NotFound` as `vocabulary_document`."""
    about: dict[str, dict[str, list[ox.Literal | ox.NamedNode]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for t in vocabulary_document(store, base=base):
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode | ox.Literal):
            about[t.subject.value][t.predicate.value].append(t.object)
    terms = [
        _term(iri, facts)
        for iri, facts in about.items()
        if iri.startswith(RIKG_NS) and any(o.value in KINDS for o in facts[f"{RDF_NS}type"])
    ]
    terms.sort(key=lambda t: (t.name.lower(), t.name))
    own = about.get(ONTOLOGY, defaultdict(list))
    return Vocabulary(
        ONTOLOGY,
        _by_lang(own[DCT_TITLE] or own[f"{RDFS_NS}label"]),
        _by_lang(own[f"{RDFS_NS}comment"]),
        next((o.value for o in own[VANN_PREFIX]), "rikg"),
        next((o.value for o in own[f"{OWL_NS}versionInfo"]), ""),
        [t for t in terms if t.kind == "class"],
        [t for t in terms if t.kind == "property"],
        [t for t in terms if t.kind == "function"],
    )


def _term(iri: str, facts: dict[str, list[ox.Literal | ox.NamedNode]]) -> Term:
    kinds = {KINDS[o.value] for o in facts[f"{RDF_NS}type"] if o.value in KINDS}
    kind = next(k for k in ("class", "property", "function") if k in kinds)
    parents = facts[f"{RDFS_NS}subClassOf"] + facts[f"{RDFS_NS}subPropertyOf"]
    return Term(
        iri,
        iri.removeprefix(RIKG_NS),
        kind,
        _by_lang(facts[f"{RDFS_NS}label"]),
        _by_lang(facts[f"{RDFS_NS}comment"]),
        tuple(sorted(o.value for o in parents)),
        tuple(sorted(o.value for o in facts[f"{RDFS_NS}domain"])),
        tuple(sorted(o.value for o in facts[f"{RDFS_NS}range"])),
    )


def _by_lang(values: list[ox.Literal | ox.NamedNode]) -> dict[str, str]:
    """Literals by language tag ("" for none), the first of each tag in lexical order."""
    out: dict[str, str] = {}
    for o in sorted(values, key=lambda o: o.value):
        if isinstance(o, ox.Literal):
            out.setdefault(o.language or "", o.value)
    return out
