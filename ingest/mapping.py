"""Map a curated record to RDF under the rikg ontology (`ontology/rikg.ttl`).

Every fact given with a source also becomes a `rikg:Claim` (an `rdf:Statement` with
`dcterms:source`), so a page can show each fact's source; where sources give different values,
all are asserted and each claim is marked `rikg:disputed true`. Facts that contradict each
other share a `conflict` name; when it is a field's name (`end`), that field's value is disputed.
A value of a list field may carry the name too (`partners: [{value: …, source: …, conflict: …}]`):
that value alone is disputed (rival co-funders, a country one source adds).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rapidfuzz import fuzz, process
from rdflib import RDF, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from ingest.record_format import Record
from ingest.shacl_words import datatype_reason
from kg.dates import finest
from kg.errors import RecordError
from kg.geo import country_iri, is_nuts_code, nuts_iri
from kg.personal import contact_details, url_contact_details, url_sign_in
from kg.settings import PROJECT_ROOT
from kg.vocab import INITIATIVE_TYPES, RIKG, SCHEMA, SCHEMES, concept_iri, graph_iri, record_iri

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
TYPES = {
    "initiative": [SCHEMA.Project, RIKG.Initiative],
    "organisation": [SCHEMA.Organization, RIKG.Organisation],
    "policy": [SCHEMA.CreativeWork, RIKG.Policy],
    "event": [SCHEMA.Event, RIKG.Event],
    "source": [SCHEMA.CreativeWork, RIKG.SourceDocument],
    "place": [SCHEMA.Place],
}
#: record field → (predicate, kind of the linked record)
LINKS = {
    "coordinator": (RIKG.coordinator, "organisation"),
    "partners": (RIKG.partner, "organisation"),
    "funders": (SCHEMA.funder, "organisation"),
    "organisers": (RIKG.organiser, "organisation"),
    "publisher": (SCHEMA.publisher, "organisation"),
    "parent": (SCHEMA.parentOrganization, "organisation"),
    "contributes_to": (RIKG.contributesTo, "policy"),
    "related": (DCTERMS.relation, "initiative"),
    "about": (SCHEMA.about, "initiative"),
}
CONCEPT_PREDICATES = {
    "themes": DCTERMS.subject,
    "target_groups": RIKG.targetGroup,
    "funding": RIKG.fundingProgramme,
    "challenges": RIKG.addressesChallenge,
    "opportunities": RIKG.buildsOnOpportunity,
}
#: a contributed record's moderation dates, said of its named graph (the record document)
MODERATION = {"contributed_on": DCTERMS.dateSubmitted, "reviewed_on": DCTERMS.dateAccepted}
DATES = {"start": SCHEMA.startDate, "end": SCHEMA.endDate, "date": SCHEMA.datePublished}
SINGLE_VALUED = {*DATES, "grant", "identifier", "participants", "org_type", "policy_type"}
TEXTS = {
    "grant": SCHEMA.identifier,
    "identifier": SCHEMA.identifier,
    "org_type": RIKG.orgType,
    "policy_type": RIKG.policyType,
    "part_of": SCHEMA.superEvent,
}
#: a single-valued field a `conflict` (of a fact or a value) may name, and its value's predicate
FIELD_PREDICATES = {**DATES, "grant": SCHEMA.identifier, "identifier": SCHEMA.identifier}
#: literals that are codes, not prose: never read as contact details
PUBLIC_CODES = {SCHEMA.identifier, RIKG.orgType, RIKG.policyType, RIKG.kind}
#: the record field a literal of the mapped graph comes from, for the error message
TEXT_FIELDS = {
    SCHEMA.name: "name",
    SCHEMA.alternateName: "alternate_names",
    SCHEMA.description: "descriptions",
}
KNOWN = (
    {"kind", "slug", "name", "name_lang", "acronym", "alternate_names", "descriptions", "url"}
    | {"contact_url"}
    | {"same_as", "described_in", "country", "countries", "nuts", "places", "notes", "facts"}
    | {"sources", "initiative_type", "budget", "participants", "online", "file"}
    | set(MODERATION)
    | set(LINKS)
    | set(CONCEPT_PREDICATES)
    | set(DATES)
    | set(TEXTS)
)


@dataclass(frozen=True)
class Claim:
    value: Any
    sources: tuple[str, ...]
    conflict: str | None = None  # the name it shares with what contradicts it (`_conflicts`)


class RecordMapper:
    """Turns one Record into an rdflib Graph; raises RecordError for the first bad field."""

    def __init__(self, record: Record, *, base: str) -> None:
        self.r, self.base = record, base
        self.subject = URIRef(record_iri(base, record.kind, record.slug))
        self.graph = Graph()
        self.source_iris: dict[str, URIRef] = {}
        self.claims: list[tuple[URIRef, Any, Claim, bool]] = []
        self.conflicts: list[tuple[str, str]] = []  # (field, conflict name) of facts and values
        self.links: list[tuple[str, str]] = []  # (field, web address) as given, for _no_contact

    def fail(self, field: str, reason: str) -> RecordError:
        return RecordError(self.r.file, field, reason)

    def map(self) -> Graph:
        d, g, s = self.r.data, self.graph, self.subject
        unknown = sorted(set(d) - KNOWN)
        if unknown:
            raise self.fail(unknown[0], f"unknown field (known fields: see {README})")
        self._sources(d.get("sources"))
        for cls in TYPES[self.r.kind]:
            g.add((s, RDF.type, cls))
        g.add((s, RIKG.kind, Literal(self.r.kind)))
        self._name(d)
        if self.r.body:
            g.add((s, SCHEMA.description, Literal(_plain(self.r.body), lang="en")))
        for lang, text in _mapping(self, "descriptions", d.get("descriptions")).items():
            g.add((s, SCHEMA.description, Literal(str(text).strip(), lang=str(lang))))
        if "initiative_type" in d:
            subtype = INITIATIVE_TYPES.get(str(d["initiative_type"]))
            if subtype is None:
                raise self.fail("initiative_type", f"one of {', '.join(INITIATIVE_TYPES)}")
            g.add((s, RDF.type, subtype))
        for key, pred in DATES.items():
            self._values(key, pred, self._date)
        for key, pred in TEXTS.items():
            self._values(key, pred, lambda _k, v: Literal(str(v)))
        for key, link in (
            ("url", SCHEMA.url),
            ("contact_url", RIKG.contactPage),
            ("same_as", SCHEMA.sameAs),
            ("described_in", SCHEMA.subjectOf),
        ):
            self._values(key, link, self._iri)
        for key, concept_pred in CONCEPT_PREDICATES.items():
            scheme = SCHEMES[key]
            self._values(key, concept_pred, lambda k, v, sc=scheme: self._concept(k, sc, v))
        for key, (link_pred, kind) in LINKS.items():
            self._values(key, link_pred, lambda _k, v, kd=kind: self._link(kd, v))
        for key in ("country", "countries"):
            self._values(key, DCTERMS.spatial, self._country)
        self._values("nuts", DCTERMS.spatial, self._nuts)
        self._places(d.get("places"))
        self._budget(d.get("budget"))
        if "participants" in d:
            self._values("participants", RIKG.participantCount, self._int)
        self._facts(d.get("facts"), d.get("notes"))
        self._conflicts()  # after every claim of facts and fields is read
        if "online" in d:
            mode = "OnlineEventAttendanceMode" if d["online"] else "OfflineEventAttendanceMode"
            g.add((s, SCHEMA.eventAttendanceMode, SCHEMA[mode]))
        if "file" in d:
            g.add((s, SCHEMA.encodingFormat, Literal("text/plain")))
        self._emit_claims()
        self._no_contact_details()
        return g

    def _no_contact_details(self) -> None:
        """Refuse a record whose published text (name, alternate names, descriptions, notes,
        facts) holds an e-mail address or a telephone number, or whose web addresses (sources,
        `url`, `contact_url`, `same_as`, `described_in`) hold an e-mail address, percent-encoded
        or not, or a user name and password (`kg.personal`): personal data is never published.
        National-format numbers count in the record's own countries."""
        for key, url in self.links:
            if url_sign_in(url) is not None:
                raise self.fail(
                    key,
                    f"the web address {url!r} holds a user name or password before its host; "
                    "a published link must not carry sign-in details (RFC 3986 §3.2.1): give "
                    "the page's public address",
                )
            in_url = url_contact_details(url)
            if in_url:
                shown = ", ".join(f"{f.kind} {f.text!r}" for f in in_url)
                raise self.fail(
                    key,
                    f"the web address {url!r} holds contact details ({shown}); personal data "
                    "is never published: give the page's address without them",
                )
        d = self.r.data
        regions = [str(c) for key in ("country", "countries") for c in _list(d.get(key))]
        for _, pred, obj in sorted(self.graph):
            if not isinstance(obj, Literal) or pred in PUBLIC_CODES:
                continue
            if obj.datatype not in (None, XSD.string):
                continue
            found = contact_details(str(obj), regions)
            if found:
                field = TEXT_FIELDS.get(URIRef(str(pred)), str(pred).split("/")[-1].split("#")[-1])
                shown = ", ".join(f"{f.kind} {f.text!r}" for f in found)
                raise self.fail(
                    field,
                    f"holds contact details ({shown}); personal data is never published: "
                    "remove them (a practice's contact page goes in contact_url)",
                )

    # --- field helpers -----------------------------------------------------------------

    def _sources(self, sources: Any) -> None:
        if not isinstance(sources, dict) or not sources:
            raise self.fail("sources", "at least one source is required (key: {url, title})")
        for key, spec in sources.items():
            if not isinstance(spec, dict) or not ({"url", "record"} & set(spec)):
                raise self.fail(f"sources.{key}", "needs a 'url' or a 'record'")
            if "url" in spec:
                iri = self._iri(f"sources.{key}", spec["url"])
            else:
                kind, _, slug = str(spec["record"]).partition("/")
                iri = self._link_kind(f"sources.{key}", kind, slug)
            self.source_iris[str(key)] = iri
            self.graph.add((self.subject, DCTERMS.source, iri))
            if spec.get("title"):
                self.graph.add((iri, DCTERMS.title, Literal(str(spec["title"]))))

    def _name(self, d: dict[str, Any]) -> None:
        name = d.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail("name", "a non-empty name is required")
        lang = str(d.get("name_lang", "en"))
        self.graph.add((self.subject, SCHEMA.name, Literal(name.strip(), lang=lang)))
        if "acronym" in d:
            self._values("acronym", SCHEMA.alternateName, lambda _k, v: Literal(str(v)))
        for alt in _list(d.get("alternate_names")):
            if not isinstance(alt, dict) or "value" not in alt:
                raise self.fail("alternate_names", "each entry needs a 'value' (and 'lang')")
            self._no_conflict("alternate_names", alt)
            lit = Literal(str(alt["value"]), lang=alt.get("lang"))
            self.graph.add((self.subject, SCHEMA.alternateName, lit))
            if "source" in alt:
                self._claim(SCHEMA.alternateName, lit, self._source_keys("alternate_names", alt))

    def _values(self, key: str, pred: URIRef, convert: Any) -> None:
        raw = self.r.data.get(key)
        if raw is None:
            return
        claims = self._claims_of(key, raw)
        values = {c.value for c in claims}
        # dates disagree only when neither lies within the other ("2024", "2024-07-31" agree)
        distinct = finest(map(str, values)) if key in DATES else values
        disputed = key in SINGLE_VALUED and len(distinct) > 1
        for c in claims:
            obj = convert(key, c.value)
            self.graph.add((self.subject, pred, obj))
            if c.conflict and not c.sources:
                raise self.fail(key, f"conflict {c.conflict!r}: a disputed value needs its source")
            if c.sources:
                self.claims.append((pred, obj, c, disputed or c.conflict is not None))

    def _claims_of(self, key: str, raw: Any) -> list[Claim]:
        out = []
        for item in _list(raw):
            if isinstance(item, dict):
                if "value" not in item:
                    raise self.fail(key, "a claim needs 'value' and 'source'")
                out.append(
                    Claim(item["value"], self._source_keys(key, item), self._conflict(key, item))
                )
            else:
                out.append(Claim(item, ()))
        return out

    def _source_keys(self, key: str, item: dict[str, Any]) -> tuple[str, ...]:
        keys = tuple(str(k) for k in _list(item.get("source")))
        for k in keys:
            if k not in self.source_iris:
                raise self.fail(key, f"source {k!r} is not defined under 'sources'")
        return keys

    def _date(self, key: str, value: Any) -> Literal:
        text = str(value)
        if not DATE.match(text):
            raise self.fail(key, f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
        literal = Literal(text, datatype=dtype)
        # rdflib accepts month 00 and 13 in a gYearMonth; impossible days and months of a full
        # date are left to the shapes, which word them the same way (ingest/shacl_words.py)
        if dtype == XSD.gYearMonth and not 1 <= int(text[5:7]) <= 12:
            raise self.fail(key, datatype_reason(Literal(text, datatype=dtype), [dtype]))
        return literal

    def _iri(self, key: str, value: Any) -> URIRef:
        text = str(value).strip()
        if not re.match(r"^https?://\S+\Z", text):
            raise self.fail(key, f"{text!r} is not an http(s) URL")
        self.links.append((key, text))
        return URIRef(_untracked(text).replace(" ", "%20"))

    def _concept(self, key: str, scheme: str, value: Any) -> URIRef:
        if not isinstance(value, str) or not re.match(r"^[a-z0-9-]+\Z", value):
            if isinstance(value, str) and "," in value:
                items = ", ".join(v.strip() for v in value.split(","))
                raise self.fail(key, f"{value!r} is one text; write a list: [{items}]")
            raise self.fail(
                key,
                f"{value!r} is not a concept id (lowercase words joined by '-', "
                f"as in ontology/schemes/{scheme}.ttl)",
            )
        codes = scheme_codes(scheme)
        if codes and value not in codes:  # as the SHACL shapes say it (ingest.shacl_words)
            near = process.extractOne(value, sorted(codes), scorer=fuzz.ratio)
            hint = f"; did you mean {near[0]}?" if near and near[1] >= 70 else ""
            raise self.fail(
                key,
                f"{value} is not a {scheme} concept (ontology/schemes/{scheme}.ttl lists them"
                f"{hint})",
            )
        return URIRef(concept_iri(scheme, value))

    def _link(self, kind: str, value: Any) -> URIRef:
        return self._link_kind(kind, kind, value)

    def _link_kind(self, key: str, kind: str, slug: Any) -> URIRef:
        if not isinstance(slug, str) or not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*\Z", slug):
            raise self.fail(key, f"{slug!r} is not a record slug")
        return URIRef(record_iri(self.base, kind, slug))

    def _country(self, key: str, value: Any) -> URIRef:
        if value is False:  # YAML 1.1 reads an unquoted NO (Norway) as false
            value = "NO"
        try:
            iri = country_iri(str(value))
        except KeyError:
            raise self.fail(key, f"{value!r} is not an ISO 3166 alpha-2 country code") from None
        return self._in_scheme(key, "countries", str(value).strip().upper(), iri)

    def _nuts(self, key: str, value: Any) -> URIRef:
        if not is_nuts_code(str(value)):
            raise self.fail(key, f"{value!r} is not a NUTS code")
        return self._in_scheme(key, "nuts", str(value).strip().upper(), nuts_iri(str(value)))

    def _in_scheme(self, key: str, scheme: str, code: str, iri: str) -> URIRef:
        """`iri` if `ontology/schemes/{scheme}.ttl` has it, else refused as `_concept` refuses
        a concept the scheme lacks (naming the file, and the nearest code when one is close):
        a place the graph has no concept of would have no label, page or facet."""
        notations = scheme_notations(scheme)
        if notations and iri not in notations:
            near = process.extractOne(code, sorted(set(notations.values())), scorer=fuzz.ratio)
            hint = f"; did you mean {near[0]}?" if near and near[1] >= 70 else ""
            raise self.fail(
                key, f"{code} is not in ontology/schemes/{scheme}.ttl (it lists the codes{hint})"
            )
        return URIRef(iri)

    def _int(self, key: str, value: Any) -> Literal:
        if not isinstance(value, int):
            raise self.fail(key, f"{value!r} is not a whole number")
        return Literal(value)

    def _places(self, places: Any) -> None:
        for i, place in enumerate(_list(places)):
            if not isinstance(place, dict) or "name" not in place:
                raise self.fail("places", f"entry {i + 1} needs a 'name'")
            self._no_conflict("places", place)
            node = URIRef(f"{self.subject}#place-{_slugify(str(place['name']))}")
            self.graph.add((self.subject, SCHEMA.location, node))
            self.graph.add((node, RDF.type, SCHEMA.Place))
            self.graph.add((node, SCHEMA.name, Literal(str(place["name"]))))
            if "country" in place:
                self.graph.add(
                    (node, SCHEMA.containedInPlace, self._country("places", place["country"]))
                )
            for code in _list(place.get("nuts")):  # one NUTS code, or a list of them
                nuts = self._nuts("places", code)
                self.graph.add((node, DCTERMS.spatial, nuts))
                self.graph.add((self.subject, DCTERMS.spatial, nuts))
            for k in self._source_keys("places", place):
                self.graph.add((node, DCTERMS.source, self.source_iris[k]))

    def _budget(self, budget: Any) -> None:
        items = _list(budget)
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("amount"), int | float):
                raise self.fail("budget", f"entry {i + 1} needs a numeric 'amount'")
            self._no_conflict("budget", item)
            node = URIRef(f"{self.subject}#amount-{i + 1}")
            self.graph.add((self.subject, RIKG.budget, node))
            self.graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
            amount = Literal(f"{float(item['amount']):.2f}", datatype=XSD.decimal)
            self.graph.add((node, SCHEMA.value, amount))
            self.graph.add((node, SCHEMA.currency, Literal(str(item.get("currency", "EUR")))))
            if "label" in item:
                self.graph.add((node, RIKG.amountKind, Literal(str(item["label"]))))
            for k in self._source_keys("budget", item):
                self.graph.add((node, DCTERMS.source, self.source_iris[k]))
        labels = [str(i.get("label", "")) for i in items if isinstance(i, dict)]
        if len(labels) != len(set(labels)):
            for amount_node in list(self.graph.objects(self.subject, RIKG.budget)):
                self.graph.add((amount_node, RIKG.disputed, Literal(True)))

    def _facts(self, facts: Any, notes: Any) -> None:
        entries = []
        for i, fact in enumerate(_list(facts)):
            if not isinstance(fact, dict) or not fact.get("text") or not fact.get("aspect"):
                raise self.fail("facts", f"entry {i + 1} needs 'aspect', 'text' and 'source'")
            # a fact without its own source is backed by the record's sources, like plain values
            keys = self._source_keys("facts", fact) or tuple(self.source_iris)
            conflict = self._conflict("facts", fact)
            entries.append((str(fact["aspect"]), str(fact["text"]), keys, conflict))
        placed: set[URIRef] = set()
        for position, (aspect, text, keys, conflict) in enumerate(entries, start=1):
            node = URIRef(f"{self.subject}#claim-{_short(aspect + text)}")
            g = self.graph
            if node not in placed:  # a fact given twice is one claim, where it first stands
                placed.add(node)
                # the record's order (a "first strand" before its "second"): a graph keeps none
                g.add((node, SCHEMA.position, Literal(position)))
            g.add((self.subject, RIKG.claim, node))
            g.add((node, RDF.type, RIKG.Claim))
            g.add((node, RDF.subject, self.subject))
            g.add((node, RIKG.aspect, Literal(aspect)))
            g.add((node, RDF.value, Literal(text, lang="en")))
            for k in keys:
                g.add((node, DCTERMS.source, self.source_iris[k]))
            if conflict:
                g.add((node, RIKG.disputed, Literal(True)))
        for i, note in enumerate(_list(notes)):
            note_text: Any = note.get("text") if isinstance(note, dict) else note
            if not note_text:
                raise self.fail("notes", f"entry {i + 1} needs 'text'")
            self.graph.add((self.subject, SKOS.note, Literal(str(note_text), lang="en")))

    def _conflict(self, key: str, item: dict[str, Any]) -> str | None:
        """The `conflict` name an entry of `key` gives, if any: a name (a YAML number or `no`
        had disputed a value unchecked). Each is counted by `_conflicts`."""
        if "conflict" not in item:
            return None
        name = item["conflict"]
        if not isinstance(name, str) or not name.strip():
            raise self.fail(key, f"conflict must be a name, as 'university', not {name!r}")
        self.conflicts.append((key, name))
        return name

    def _no_conflict(self, key: str, item: dict[str, Any]) -> None:
        """Refuse a `conflict` where none is read (names, places, budget amounts: two amounts
        of one label already disagree), rather than drop it unsaid."""
        if "conflict" in item:
            raise self.fail(
                key,
                f"takes no 'conflict' (facts and the values of fields given as "
                f"{{value, source}} do): {item['conflict']!r}",
            )

    def _conflicts(self) -> None:
        """Every `conflict` name shared by two claims at least, facts or values of fields, else
        refused naming the field; a name that is a field's (`end`) disputes that field's
        sourced values too (a fact that the final meeting came after the stated end)."""
        names = [name for _, name in self.conflicts]
        for key, name in self.conflicts:
            if names.count(name) < 2:
                raise self.fail(key, f"conflict {name!r} names only one claim")
        fields = {FIELD_PREDICATES[name] for name in names if name in FIELD_PREDICATES}
        self.claims = [(p, o, c, d or p in fields) for p, o, c, d in self.claims]

    def _claim(self, pred: URIRef, obj: Any, keys: Iterable[str]) -> None:
        self.claims.append((pred, obj, Claim(str(obj), tuple(keys)), False))

    def _emit_claims(self) -> None:
        g = self.graph
        for pred, obj, claim, disputed in self.claims:
            node = URIRef(f"{self.subject}#claim-{_short(str(pred) + str(obj))}")
            g.add((self.subject, RIKG.claim, node))
            g.add((node, RDF.type, RIKG.Claim))
            g.add((node, RDF.subject, self.subject))
            g.add((node, RDF.predicate, pred))
            g.add((node, RDF.object, obj))
            for k in claim.sources:
                g.add((node, DCTERMS.source, self.source_iris[k]))
            if disputed:
                g.add((node, RIKG.disputed, Literal(True)))


#: query parameters that say how a visitor came to a page, not which page it is: campaign
#: tags (Google Analytics' `utm_*`) and ad click identifiers (Facebook's, Google's, Microsoft's)
TRACKING = re.compile(r"utm_[a-z_]*|fbclid|gclid|msclkid", re.IGNORECASE)


def _untracked(url: str) -> str:
    """`url` without its tracking parameters (`TRACKING`), the others kept in their order: a
    source's address names the document, and a trial found `?utm_source=rss` in links the
    pages hand out."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [p for p in parts.query.split("&") if not TRACKING.fullmatch(p.partition("=")[0])]
    return urlunsplit(parts._replace(query="&".join(kept)))


README = "ingest/records/README.md"


def record_graph(record: Record, *, base: str, ingested_at: str) -> tuple[str, Graph]:
    """The record's named graph IRI and its statements, provenance included."""
    graph = RecordMapper(record, base=base).map()
    g_iri = URIRef(graph_iri(base, record.kind, record.slug))
    subject = URIRef(record_iri(base, record.kind, record.slug))
    graph.add((g_iri, RDF.type, PROV.Entity))
    graph.add((g_iri, SCHEMA.about, subject))
    graph.add((g_iri, RIKG.sourceFile, Literal(_relative(record))))
    graph.add((g_iri, RIKG.contentHash, Literal(record.digest)))
    graph.add((g_iri, RIKG.adapter, Literal("records")))
    graph.add((g_iri, PROV.generatedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    for src in set(graph.objects(subject, DCTERMS.source)):
        graph.add((g_iri, PROV.wasDerivedFrom, src))
    for key, pred in MODERATION.items():
        if key in record.data:
            value = str(record.data[key])
            if not ISO_DATE.match(value):
                raise RecordError(record.file, key, f"{value!r} is not a date (YYYY-MM-DD)")
            graph.add((g_iri, pred, Literal(value, datatype=XSD.date)))
    return str(g_iri), graph


def _relative(record: Record) -> str:
    """The file as a reader can place it: `ingest/records/…` or `contributed/…`."""
    parts = record.path.parts
    if "contributed_on" in record.data:
        return "/".join(("contributed", *parts[-2:]))
    return "/".join(parts[parts.index("records") - 1 :]) if "records" in parts else record.file


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _mapping(mapper: RecordMapper, key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise mapper.fail(key, "must map a language code to a text")
    return value


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    text = re.sub(r"[*_`#>]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or _short(text)


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]  # noqa: S324 - an id, not security


__all__ = ["Namespace", "RecordMapper", "record_graph"]


@functools.cache
def scheme_codes(scheme: str) -> frozenset[str]:
    """The concept ids of `ontology/schemes/{scheme}.ttl` (the last path segment of each
    `skos:Concept` in it); empty when there is no such file."""
    path = PROJECT_ROOT / "ontology" / "schemes" / f"{scheme}.ttl"
    if not path.exists():
        return frozenset()
    graph = Graph().parse(path)
    return frozenset(
        str(c).rsplit("/", 1)[-1]
        for c in graph.subjects(RDF.type, SKOS.Concept)
        if str(c).startswith(concept_iri(scheme, ""))
    )


@functools.cache
def scheme_notations(scheme: str) -> dict[str, str]:
    """The concepts of `ontology/schemes/{scheme}.ttl` (`countries`, `nuts`) by IRI, each with
    its code as records write it (`skos:notation`, else the IRI's last segment); empty when
    there is no such file."""
    path = PROJECT_ROOT / "ontology" / "schemes" / f"{scheme}.ttl"
    if not path.exists():
        return {}
    graph = Graph().parse(path)
    return {
        str(c): str(graph.value(c, SKOS.notation) or str(c).rstrip("/").rsplit("/", 1)[-1])
        for c in graph.subjects(RDF.type, SKOS.Concept)
    }
