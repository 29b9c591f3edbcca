"""What the search index knows of each record, gathered from the graph with `kg.queries`.

A `SearchDoc` holds the text a practitioner would search (names, acronyms, translations,
descriptions in every language, notes, claims, places, the names of linked organisations and
policies) and the facet values of the record (concept ids, ISO country codes, NUTS codes, years).
The labels of linked concepts, in every language of the schemes, join the keyword text in
`kg.search.index` (issue 9, item 2).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pyoxigraph as ox

from kg import queries
from kg.record_document import label_of, short_name, titled
from kg.vocab import INITIATIVE_TYPES, SCHEME_NS

#: concept scheme IRI → facet field (record field names of ingest/records/README.md, singular)
SCHEME_FIELDS = {
    f"{SCHEME_NS}theme": "theme",
    f"{SCHEME_NS}target-group": "target_group",
    f"{SCHEME_NS}funding": "funding",
    f"{SCHEME_NS}challenge": "challenge",
    f"{SCHEME_NS}opportunity": "opportunity",
    "http://publications.europa.eu/resource/authority/country": "country",
    "http://data.europa.eu/nuts": "nuts",
}
#: the facets whose concepts' labels are proper names (places, funding programmes): the same
#: name in every language, which the model cannot read (`kg.search.rank`, item 2)
PROPER_NAMES = frozenset({"country", "nuts", "funding"})
#: the target groups that are people who migrate (refugees, asylum seekers, migrant workers…),
#: not those who receive them (local authorities, employers, volunteers, host communities,
#: integration professionals): the graph's subject, whatever else a query says (`kg.search.rank`).
#: People fleeing Ukraine are not among them: their one-word labels are a nationality
#: ("Ukrainer", "ucraini"), which everyday searches name too ("Ukrainer Rezepte Borschtsch": a
#: review); their labels of several words count, as every concept's do.
MIGRANT_GROUPS = frozenset(
    {
        "refugees",
        "asylum-seekers",
        "resettled-refugees",
        "third-country-nationals",
        "newcomers",
        "migrant-families",
        "migrant-youth",
        "migrant-women",
        "migrant-workers",
        "unaccompanied-minors",
        "irregular-migrants",
    }
)
#: facets of the search API, in display order
FACETS = (
    "kind",
    "initiative_type",
    "theme",
    "target_group",
    "country",
    "nuts",
    "funding",
    "challenge",
    "opportunity",
    "year",
)
#: class of an initiative subtype → its code in the `initiative_type` filter
TYPE_CODES = {str(iri): code for code, iri in INITIATIVE_TYPES.items()}
CONCEPT_FACETS = ("theme", "target_group", "funding", "challenge", "opportunity", "country", "nuts")
YEAR = re.compile(r"^(\d{4})")
#: how a record links to another record (the fields of `kg.queries.SEARCH_LINKS`), the closest
#: tie first: the order in which the records linked with a named one follow it
#: (`kg.search.rank`): its coordinator, partners, funders, organisers, publisher, parent
#: organisation, the records it is about (a source, an event), related records, and last the
#: policies it contributes to — an EU action plan has dozens of contributing practices, so the
#: link says less of either than a partnership does
LINKS = (
    "coordinator",
    "partner",
    "funder",
    "organiser",
    "publisher",
    "parent",
    "about",
    "related",
    "policy",
)
#: the links to organisations, whose names join the record's searchable text
ORGANISATION_LINKS = LINKS[:6]


@dataclass
class Concept:
    """A SKOS concept: the facet it belongs to, its filter code and labels by language."""

    iri: str
    facet: str
    code: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: list[tuple[str, str]] = field(default_factory=list)  # (lang, label)
    broader: str | None = None

    def label(self, lang: str = "en") -> str:
        """The label in `lang`, else (a region) the official name, else English
        (`kg.record_document.label_of`), else the code."""
        return label_of(self.iri, self.labels, lang) or self.code

    def all_labels(self) -> list[tuple[str, str]]:
        return [*self.labels.items(), *self.alt_labels]


@dataclass
class SearchDoc:
    iri: str
    kind: str
    slug: str
    names: dict[str, str] = field(default_factory=dict)
    alt_names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)  # untagged alternate names, A–Z
    identifiers: list[str] = field(default_factory=list)  # grant numbers, document numbers
    descriptions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    #: the language tag of each tagged alternate name, note and claim, by its text (the
    #: lists above are sorted apart from their tags); an untagged text has none
    languages: dict[str, str] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    linked_names: list[str] = field(default_factory=list)
    #: the records it links to, by link (`LINKS`) → IRIs, A–Z
    linked: dict[str, list[str]] = field(default_factory=dict)
    facets: dict[str, list[str]] = field(default_factory=dict)
    #: the concepts the record itself states, by facet; `facets` adds the broader ones (None:
    #: an index written before this field, whose tags fall back to `facets`)
    stated: dict[str, list[str]] | None = None
    start: int | None = None
    end: int | None = None

    @property
    def name(self) -> str:
        """The English name, else the untagged one, else any; the slug when it has none."""
        return self.names.get(self.name_lang) or self.slug

    @property
    def title(self) -> str:
        """`name`, led by the record's short name where it has one ("MATILDE: Migration
        Impact Assessment…"), as its page's title is (`kg.record_document.short_name`)."""
        return titled(self.name, self.short_name)

    @property
    def short_name(self) -> str | None:
        """The short name the record is known by ("MATILDE", "Whole-COMM"), or None
        (`kg.record_document.short_name`)."""
        # the index keeps which alternate names are untagged (`acronyms`), not their tags
        tagged = [("", a) for a in self.acronyms] + [("*", a) for a in self.alt_names]
        return short_name(self.names.values(), tagged)

    @property
    def name_lang(self) -> str:
        """The language tag of `name` ("" when untagged): a result list marks a name in
        another language than the page's (WCAG 2.1 SC 3.1.2)."""
        for key in ("en", ""):
            if key in self.names:
                return key
        return next(iter(self.names), "")

    def description(self, lang: str = "en") -> str:
        return (
            self.descriptions.get(lang)
            or self.descriptions.get("en")
            or next(iter(self.descriptions.values()), "")
        )

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], {})}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchDoc:
        return cls(**data)


def gather(store: ox.Store) -> tuple[list[SearchDoc], dict[str, Concept]]:
    """Every record of the store as a SearchDoc (ordered by IRI) and every concept by IRI."""
    concepts = gather_concepts(store)
    docs: dict[str, SearchDoc] = {}
    for row in _rows(store, queries.SEARCH_TEXTS):
        iri, kind = row["record"].value, row["kind"].value
        doc = docs.get(iri)
        if doc is None:
            doc = docs[iri] = SearchDoc(iri, kind, iri.rstrip("/").rsplit("/", 1)[-1])
        _add_text(doc, row["field"].value, cast(ox.Literal, row["text"]))
    links: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _rows(store, queries.SEARCH_LINKS):
        links[row["record"].value].add((row["field"].value, row["target"].value))
    for iri, doc in docs.items():
        _add_links(doc, links.get(iri, set()), docs, concepts)
    for row in _rows(store, queries.SEARCH_DATES):
        doc = docs.get(row["record"].value)
        if doc is not None:
            _add_dates(doc, row.get("start"), row.get("end"))
    for doc in docs.values():
        if doc.kind == "event" and doc.end is None:
            # an event dated by its start alone (schema:Event, one occurrence) took place in
            # that year: it is not "ongoing", as a practice with no known end is taken to be
            doc.end = doc.start
    for doc in docs.values():  # the same graph gives the same texts, whatever the query order
        for values in (
            doc.alt_names,
            doc.acronyms,
            doc.identifiers,
            doc.notes,
            doc.claims,
            doc.places,
            doc.types,
        ):
            values.sort()
        doc.linked_names = sorted(set(doc.linked_names))
        doc.languages = dict(sorted(doc.languages.items()))
        doc.linked = {k: sorted(set(v)) for k, v in sorted(doc.linked.items())}
    return [docs[k] for k in sorted(docs)], concepts


def filter_code(facet: str, iri: str, notation: str | None) -> str:
    """The value that filters a search by the concept `iri` (`/search?{facet}={code}`): the
    ISO 3166 or NUTS code (`skos:notation`, "FR", "ES24") of a place, whose IRI ends otherwise
    (`…/country/FRA`); the concept id, as record files write it, for the rest ("housing")."""
    return notation if facet in ("country", "nuts") and notation else iri.rsplit("/", 1)[-1]


def gather_concepts(store: ox.Store) -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    for row in _rows(store, queries.SEARCH_CONCEPTS):
        iri = row["concept"].value
        scheme = row["scheme"].value if "scheme" in row else ""
        facet = SCHEME_FIELDS.get(scheme)
        if facet is None:
            continue
        notation = row["notation"].value if "notation" in row else None
        concept = concepts.setdefault(iri, Concept(iri, facet, filter_code(facet, iri, notation)))
        if "broader" in row and concept.broader is None:
            concept.broader = row["broader"].value
    for row in _rows(store, queries.SEARCH_CONCEPT_LABELS):
        labelled = concepts.get(row["concept"].value)
        if labelled is None:
            continue
        label = cast(ox.Literal, row["label"])
        lang = label.language or "en"
        if row["preferred"].value == "true":
            labelled.labels.setdefault(lang, label.value)
        else:
            labelled.alt_labels.append((lang, label.value))
    for concept in concepts.values():
        concept.alt_labels.sort()
    return concepts


def _rows(store: ox.Store, query: str) -> Iterator[dict[str, Any]]:
    solutions = cast(ox.QuerySolutions, store.query(query, prefixes=queries.PREFIXES))
    names = [v.value for v in solutions.variables]
    for sol in solutions:
        yield {n: sol[n] for n in names if sol[n] is not None}


def _add_text(doc: SearchDoc, field_name: str, text: ox.Literal) -> None:
    value, lang = text.value.strip(), text.language or ""
    if field_name == "name":
        doc.names.setdefault(lang, value)
    elif field_name == "alternateName":
        doc.alt_names.append(value)
        if not lang:  # a record's own `acronym`
            doc.acronyms.append(value)
        else:
            _tag(doc, value, lang)
    elif field_name == "identifier":
        doc.identifiers.append(value)
    elif field_name == "description":
        doc.descriptions.setdefault(lang or "en", value)
    else:
        {"note": doc.notes, "claim": doc.claims, "place": doc.places, "type": doc.types}[
            field_name
        ].append(value)
        if lang and field_name in ("note", "claim"):
            _tag(doc, value, lang)


def _tag(doc: SearchDoc, text: str, lang: str) -> None:
    """Record the language of `text` (`SearchDoc.languages`); a text tagged in two languages
    keeps the first tag in order, whatever order the graph gives them in."""
    doc.languages[text] = min(lang, doc.languages.get(text, lang))


def _add_links(
    doc: SearchDoc,
    links: set[tuple[str, str]],
    docs: dict[str, SearchDoc],
    concepts: dict[str, Concept],
) -> None:
    facets: dict[str, set[str]] = defaultdict(set)
    stated: dict[str, set[str]] = defaultdict(set)
    facets["kind"].add(doc.kind)
    for field_name, target in sorted(links):
        if field_name == "initiative_type":
            if target in TYPE_CODES:  # rikg:LocalPractice → local-practice
                facets[field_name].add(TYPE_CODES[target])
        elif target in concepts:
            stated[concepts[target].facet].add(concepts[target].code)
            # a NUTS region also counts for its larger regions and its country (prefix codes)
            current: Concept | None = concepts[target]
            while current is not None:
                facets[current.facet].add(current.code)
                current = concepts.get(current.broader) if current.broader else None
        elif field_name in LINKS and target in docs:
            if field_name in (*ORGANISATION_LINKS, "policy"):
                doc.linked_names.append(docs[target].name)
            if target != doc.iri:
                doc.linked.setdefault(field_name, []).append(target)
    for code in list(facets.get("nuts", ())):
        facets["nuts"].update(
            c.code for c in concepts.values() if c.facet == "nuts" and code.startswith(c.code)
        )
    doc.facets = {k: sorted(v) for k, v in facets.items()}
    doc.stated = {k: sorted(v) for k, v in stated.items()}


def _add_dates(doc: SearchDoc, start: ox.Literal | None, end: ox.Literal | None) -> None:
    """Keep the widest span where sources disagree."""
    for term, is_start in ((start, True), (end, False)):
        m = YEAR.match(term.value) if term is not None else None
        if m is None:
            continue
        year = int(m.group(1))
        if is_start:
            doc.start = year if doc.start is None else min(doc.start, year)
        else:
            doc.end = year if doc.end is None else max(doc.end, year)
