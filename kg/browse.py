"""Entry points into the graph: concept usage counts and what links to a concept."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import queries
from kg.errors import NotFound
from kg.graphs import select
from kg.record_document import concept_labels, label_of, pick_lang
from kg.vocab import SKOS_NS as SKOS


@dataclass
class Concept:
    iri: str
    labels: dict[str, str]
    count: int = 0

    def label(self, lang: str = "en") -> str:
        return label_of(self.iri, self.labels, lang) or self.iri.rsplit("/", 1)[-1]


@dataclass
class ConceptPage:
    iri: str
    labels: dict[str, str]
    alt_labels: dict[str, list[str]]
    definitions: dict[str, str]  # by language tag
    notation: str
    records: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    #: the concepts enclosing this one, outermost first (a region's country, then its region)
    broader: list[Concept] = field(default_factory=list)
    #: the concepts directly inside this one (a theme's narrower themes), by IRI; no counts
    narrower: list[Concept] = field(default_factory=list)

    def label(self, lang: str = "en") -> str:
        """The page's title: the label in `lang` (`kg.record_document.label_of`: a region
        without one keeps its official name, as in every list that names it)."""
        return label_of(self.iri, self.labels, lang) or self.iri.rsplit("/", 1)[-1]

    def definition(self, lang: str = "en") -> tuple[str, str]:
        """The definition in `lang`, else English (`kg.record_document.pick_lang`), and the
        language it is in (the page's `lang=` attribute)."""
        chosen = pick_lang(self.definitions, lang)
        return self.definitions.get(chosen, ""), chosen


def usage(store: ox.Store) -> dict[str, list[Concept]]:
    """Concepts by linking property, most used first, each with its labels."""
    labels = concept_labels(store)
    out: dict[str, list[Concept]] = defaultdict(list)
    for row in select(store, queries.CONCEPT_USAGE):
        c = row["concept"]
        out[row["p"]].append(Concept(c, labels.get(c, {}), int(row["n"])))
    for concepts in out.values():
        concepts.sort(key=lambda c: (-c.count, c.label()))
    return dict(out)


def known(store: ox.Store, iri: str) -> bool:
    """Whether the graph says anything of the concept `iri` or links anything to it: whether
    `concept_page` would give a page (one ASK instead of the page's four queries; the
    concept pages had read everything twice, once to learn that the concept exists)."""
    answer = store.query(
        queries.CONCEPT_KNOWN,
        prefixes=queries.PREFIXES,
        substitutions={ox.Variable("concept"): ox.NamedNode(iri)},
    )
    return bool(answer)


def concept_page(store: ox.Store, iri: str) -> ConceptPage | None:
    """Labels, definition and linked records of a concept; None when the graph has neither."""
    node = ox.NamedNode(iri)
    info = select(store, queries.CONCEPT_INFO, concept=node)
    records = select(store, queries.CONCEPT_RECORDS, concept=node)
    if not info and not records:
        return None
    labels: dict[str, str] = {}
    alts: dict[str, list[str]] = defaultdict(list)
    definitions: dict[str, str] = {}
    notation = ""
    above: set[str] = set()
    for row in info:
        p, o = row["p"], row["o"]
        if p == f"{SKOS}prefLabel":
            labels.setdefault(row.get("lang", ""), o)
        elif p == f"{SKOS}altLabel":
            alts[row.get("lang", "")].append(o)
        elif p == f"{SKOS}definition":
            definitions.setdefault(row.get("lang", ""), o)
        elif p == f"{SKOS}notation":
            notation = o
        elif p == f"{SKOS}broader":
            above.add(o)
    by_p: dict[str, list[dict[str, str]]] = defaultdict(list)
    seen = set()
    for row in records:
        if (row["p"], row["record"]) not in seen:
            seen.add((row["p"], row["record"]))
            by_p[row["p"]].append(row)
    below: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select(store, queries.CONCEPT_NARROWER, concept=node):
        found = below[row["narrower"]]
        if "label" in row:
            found.setdefault(row.get("lang", ""), row["label"])
    narrower = [Concept(n, below[n]) for n in sorted(below)]
    return ConceptPage(
        iri,
        labels,
        dict(alts),
        definitions,
        notation,
        dict(by_p),
        _broader(store, node, above),
        narrower,
    )


def _broader(store: ox.Store, node: ox.NamedNode, above: set[str]) -> list[Concept]:
    """The chain of `skos:broader` above `node` (whose own broader concepts are `above`),
    outermost first, as `Concept`s with their preferred labels; empty for a top concept. A
    chain that branches (a concept with two broader ones) follows the first by IRI."""
    if not above:
        return []
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    up: dict[str, set[str]] = defaultdict(set)
    for row in select(store, queries.CONCEPT_BROADER, concept=node):
        labels[row["up"]].setdefault(row.get("lang", ""), row["label"])
        if "broader" in row:
            up[row["up"]].add(row["broader"])
    up[node.value] = above
    chain: list[Concept] = []
    current = node.value
    while (nexts := sorted(up.get(current, set()) & labels.keys())) and len(chain) < len(labels):
        current = nexts[0]
        chain.append(Concept(current, labels[current]))
    return chain[::-1]


def concept_document(store: ox.Store, iri: str) -> list[ox.Triple]:
    """A concept's data document: its SKOS statements as its scheme gives them (labels in
    every language, definition, notation, scheme), the labels of what it links to, the
    records that link to it with their names, and the concepts inside it: its direct ones as
    `skos:narrower` (the inverse of `skos:broader`, SKOS §8), and every one below with its
    `skos:broader`, labels and the records placed in it (`dcterms:spatial`), so the document
    holds the records its page lists. Raises `NotFound` when the graph holds nothing about
    `iri`."""
    result = store.query(
        queries.CONCEPT_DOCUMENT,
        prefixes=queries.PREFIXES,
        substitutions={ox.Variable("c"): ox.NamedNode(iri)},
    )
    assert isinstance(result, ox.QueryTriples)
    triples = sorted(set(result), key=str)
    del result  # pyoxigraph results must not outlive their thread (e.g. in a traceback)
    if not triples:
        raise NotFound(f"nothing is known of {iri}")
    return triples
