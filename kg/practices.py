"""Practices as pages list them: a short summary of each initiative, who to contact, which
to feature on the home page.

All SPARQL here runs through `kg.graphs.select` (values bound, never pasted)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.graphs import select
from kg.queries import (
    INITIATIVE_FACTS,
    ORGANISATION_CONTACTS,
    PLACE_COUNTS,
    RECORD_BUDGETS,
    RECORD_DISPUTED_DATES,
    RECORD_LINKS,
)
from kg.record_document import concept_labels, pick, pick_lang, short_name, titled
from kg.sentences import first_sentence
from kg.vocab import EU_COUNTRY, NUTS, RIKG_NS

S, D = "http://schema.org/", "http://purl.org/dc/terms/"


@dataclass
class Summary:
    """What a list shows of one initiative: name, a line on what it is, where, when."""

    iri: str
    names: dict[str, str] = field(default_factory=dict)
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (language tag, name)
    descriptions: dict[str, str] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)  # country and NUTS IRIs
    sources: set[str] = field(default_factory=set)
    starts: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)
    modified: str = ""

    def name(self, lang: str = "en") -> str:
        return pick(self.names, lang) or self.iri.rsplit("/", 1)[-1]

    def title(self, lang: str = "en") -> str:
        """`name(lang)`, led by the short name people know it by ("MATILDE: Migration
        Impact…"), as its page is titled (`kg.record_document.short_name`)."""
        return titled(self.name(lang), short_name(self.names.values(), self.alternates))

    def name_lang(self, lang: str = "en") -> str:
        """The language tag of `name(lang)` ("" when untagged; WCAG 2.1 SC 3.1.2)."""
        return pick_lang(self.names, lang)

    def what(self, lang: str = "en", limit: int = 220) -> str:
        """The first sentence of the description in `lang` (else English;
        `kg.sentences.first_sentence`: "SU.PR.EME. Italia is …" is one), at most `limit`
        characters (cut at a word, with an ellipsis)."""
        text = pick(self.descriptions, lang)
        first = first_sentence(text) if text.strip() else ""
        if len(first) <= limit:
            return first
        return first[:limit].rsplit(" ", 1)[0] + "…"

    def what_lang(self, lang: str) -> str:
        """The language of `what(lang)`: `lang` when the record has a description in it."""
        for key in (lang, "en", ""):
            if key in self.descriptions:
                return key
        return next(iter(self.descriptions), "")


def summaries(store: ox.Store) -> dict[str, Summary]:
    """Every initiative's summary, by record IRI."""
    out: dict[str, Summary] = {}
    for row in select(store, INITIATIVE_FACTS):
        s = out.setdefault(row["record"], Summary(row["record"]))
        p, o, lang = row["p"], row["o"], row.get("lang", "")
        s.modified = max(s.modified, row.get("modified", ""))
        if p == f"{S}name":
            s.names.setdefault(lang, o)
        elif p == f"{S}alternateName":
            s.alternates.append((lang, o))
        elif p == f"{S}description":
            s.descriptions.setdefault(lang, o)
        elif p == f"{D}spatial" and o not in s.places:
            s.places.append(o)
        elif p == f"{D}source":
            s.sources.add(o)
        elif p == f"{S}startDate":
            s.starts.add(o[:4])
        elif p == f"{S}endDate":
            s.ends.add(o[:4])
    for s in out.values():
        s.places.sort(key=lambda iri: (not iri.startswith(str(EU_COUNTRY)), iri))
    return out


def featured(infos: Iterable[Summary], n: int = 6) -> list[Summary]:
    """The practices the home page features: the best-sourced initiatives, most recently
    updated first among equals, at most one per country while there are enough countries.

    The rule (README, "Home page"): rank initiatives by the number of distinct sources their
    facts cite, then by the time of their last ingest, then by name; walk the ranking and take
    an initiative unless a taken one already shares its first country; fill up with the rest of
    the ranking when fewer than `n` countries remain. `infos`: every initiative's summary
    (`summaries`)."""
    ranked = sorted(
        infos,
        key=lambda s: (-len(s.sources), _negated(s.modified), s.name().lower()),
    )
    chosen: list[Summary] = []
    countries: set[str] = set()
    for s in ranked:
        first = next((p for p in s.places if p.startswith(str(EU_COUNTRY))), s.iri)
        if first not in countries:
            chosen.append(s)
            countries.add(first)
        if len(chosen) == n:
            return chosen
    chosen += [s for s in ranked if s not in chosen][: n - len(chosen)]
    return chosen


def _negated(stamp: str) -> tuple[int, ...]:
    """A sort key that puts later ISO timestamps first."""
    return tuple(-ord(c) for c in stamp)


@dataclass
class Contact:
    """A coordinator as a way in: its page here, its website, its own contact page."""

    iri: str
    name: str
    urls: list[str] = field(default_factory=list)
    contact_pages: list[str] = field(default_factory=list)


def coordinator_contacts(store: ox.Store, record: str) -> list[Contact]:
    """The coordinators of an initiative with the websites and contact pages their records
    give (organisations only: never a person)."""
    return _contacts(store, record, f"{RIKG_NS}coordinator")


def partner_contacts(store: ox.Store, record: str) -> list[Contact]:
    """The partners of an initiative (`rikg:partner`), as `coordinator_contacts` gives its
    coordinators."""
    return _contacts(store, record, f"{RIKG_NS}partner")


def _contacts(store: ox.Store, record: str, role: str) -> list[Contact]:
    out: dict[str, Contact] = {}
    bound = {"record": ox.NamedNode(record), "role": ox.NamedNode(role)}
    for row in select(store, ORGANISATION_CONTACTS, **bound):
        c = out.setdefault(row["org"], Contact(row["org"], row["name"]))
        if row.get("url") and row["url"] not in c.urls:
            c.urls.append(row["url"])
        if row.get("contact") and row["contact"] not in c.contact_pages:
            c.contact_pages.append(row["contact"])
    return list(out.values())


def record_websites(store: ox.Store) -> dict[str, list[str]]:
    """Every record's own web addresses by record IRI: its websites (`schema:url`), then its
    contact pages (`rikg:contactPage`, a sub-property of it); records that give none are
    absent. Organisations' and projects' pages only: the records hold no person's address."""
    out: dict[str, list[str]] = defaultdict(list)
    for row in select(store, RECORD_LINKS):
        if row["url"] not in out[row["record"]]:
            out[row["record"]].append(row["url"])
    return dict(out)


@dataclass(frozen=True)
class BudgetLine:
    amount: str  # xsd:decimal as stored ("834050", "3000283.75")
    currency: str  # ISO 4217
    kind: str  # `rikg:amountKind` ("total", "eu-contribution"), "" when not stated
    disputed: bool = False  # `rikg:disputed`: its sources give other figures too


def record_budgets(store: ox.Store) -> dict[str, list[BudgetLine]]:
    """Every record's budget lines by record IRI, in the record's order; records that state
    none are absent. Where sources disagree each figure is a line of its own, marked
    `disputed`."""
    out: dict[str, list[BudgetLine]] = defaultdict(list)
    for row in select(store, RECORD_BUDGETS):
        out[row["record"]].append(
            BudgetLine(
                row["amount"],
                row["currency"],
                row.get("kind") or "",
                row.get("disputed") == "true",
            )
        )
    return dict(out)


def record_disputed_dates(store: ox.Store) -> dict[str, dict[str, list[str]]]:
    """The start and end dates whose sources disagree, by record IRI: {"start": [...],
    "end": [...]}, each value as stored ("2002", "2022-12"), in order; records whose dates all
    agree are absent. A download's `start` and `end` give the widest span, these the values
    behind it (a researcher's table showed 2002 for a start its sources give as 2002 or 2006)."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for row in select(store, RECORD_DISPUTED_DATES):
        which = "start" if row["p"].endswith("startDate") else "end"
        out[row["record"]].setdefault(which, []).append(row["value"])
    return dict(out)


def place_counts(store: ox.Store) -> tuple[dict[str, int], dict[str, int]]:
    """Initiatives per country (alpha-3 code) and per NUTS region (code), as the map shows; a
    place counts for the regions enclosing it, as on their pages (`kg.browse.usage`)."""
    countries: dict[str, int] = {}
    regions: dict[str, int] = {}
    for row in select(store, PLACE_COUNTS):
        iri, n = row["place"], int(row["n"])
        if iri.startswith(str(EU_COUNTRY)):
            countries[iri.rsplit("/", 1)[-1]] = n
        elif iri.startswith(str(NUTS)):
            regions[iri.rsplit("/", 1)[-1]] = n
    return countries, regions


def place_labels(store: ox.Store) -> dict[str, dict[str, str]]:
    """Labels of countries and regions by IRI and language."""
    return defaultdict(dict, concept_labels(store))
