"""Every format the project reads or writes, in one table, and the one content negotiation.

One `Format` per media type: the kind of answer it carries (`results` for SELECT/ASK, `graph`
for RDF, `page` for HTML), its `format=` names, its file extension, the media types clients send
that mean it (`synonyms`, matched only when a client names them exactly), and pyoxigraph's
format. Routes, the CLI and the endpoint look formats up here, and negotiate with
`negotiate` (RFC 9110 §12.5.1).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.errors import BadRequest, NotAcceptable
from kg.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    media: str
    kind: str  # "results", "graph" or "page"
    names: tuple[str, ...] = ()  # `format=` values and CLI `--format` names; names[0] is short
    extension: str | None = None  # of a data document or dump
    synonyms: tuple[str, ...] = ()  # other media types that mean this one
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    w3c: str | None = None  # its name under http://www.w3.org/ns/formats/ (service description)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.media

    @property
    def is_xml(self) -> bool:
        return self.media.endswith("xml")

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say their charset."""
        return self.media + ("; charset=utf-8" if self.media.startswith("text/") else "")


SPARQL_JSON = Format(
    "application/sparql-results+json",
    "results",
    ("json", "srj"),
    "srj",
    ("application/json",),
    results=ox.QueryResultsFormat.JSON,
    w3c="SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "application/sparql-results+xml",
    "results",
    ("xml", "srx"),
    "srx",
    ("application/xml", "text/xml"),
    results=ox.QueryResultsFormat.XML,
    w3c="SPARQL_Results_XML",
)
CSV = Format(
    "text/csv",
    "results",
    ("csv",),
    "csv",
    results=ox.QueryResultsFormat.CSV,
    w3c="SPARQL_Results_CSV",
)
TSV = Format(
    "text/tab-separated-values",
    "results",
    ("tsv",),
    "tsv",
    results=ox.QueryResultsFormat.TSV,
    w3c="SPARQL_Results_TSV",
)
TURTLE = Format(
    "text/turtle",
    "graph",
    ("turtle", "ttl"),
    "ttl",
    # Turtle is a subset of N3 (W3C Turtle §1), so a record's Turtle answers a client that
    # asks for N3 only (tabulator-era linked-data clients; a trial's got 406 from `/id/`)
    ("application/x-turtle", "text/n3", "text/rdf+n3"),
    ox.RdfFormat.TURTLE,
    w3c="Turtle",
)
N_TRIPLES = Format(
    "application/n-triples",
    "graph",
    ("nt", "ntriples", "n-triples"),
    "nt",
    ("text/plain",),  # N-Triples' type of old; rdflib and some crawlers still ask for it
    ox.RdfFormat.N_TRIPLES,
    w3c="N-Triples",
)
JSON_LD = Format(
    "application/ld+json",
    "graph",
    ("jsonld", "json-ld", "json"),
    "jsonld",
    ("application/json",),
    ox.RdfFormat.JSON_LD,
    w3c="JSON-LD",
)
RDF_XML = Format(
    "application/rdf+xml",
    "graph",
    ("rdfxml", "rdf+xml", "rdf", "xml"),
    "rdf",
    ("application/xml", "text/xml"),
    ox.RdfFormat.RDF_XML,
    w3c="RDF_XML",
)
N_QUADS = Format(
    "application/n-quads",
    "graph",
    ("nq", "nquads", "n-quads"),
    "nq",
    (),
    ox.RdfFormat.N_QUADS,
    w3c="N-Quads",
)
TRIG = Format("application/trig", "graph", ("trig",), "trig", (), ox.RdfFormat.TRIG, w3c="TriG")
N3 = Format("text/n3", "graph", ("n3",), "n3", ("text/rdf+n3",), ox.RdfFormat.N3, w3c="N3")
HTML = Format("text/html", "page", ("html",), "html", ("application/xhtml+xml",))
JSON = Format("application/json", "data", ("json",), "json")

#: SELECT / ASK answers, server preference first
RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: CONSTRUCT / DESCRIBE answers and graphs, server preference first
GRAPH_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG, N3)
#: data documents (`/{kind}/{slug}.{ext}`, concepts', the vocabulary's)
DOCUMENT_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
#: a record's data document as a dataset: each statement in the named graph it is stored in
DATASET_FORMATS = (TRIG, N_QUADS)
#: every format of a record's data document
RECORD_FORMATS = (*DOCUMENT_FORMATS, *DATASET_FORMATS)
ALL = (*RESULT_FORMATS, *GRAPH_FORMATS, HTML, JSON)


def by_media(media: str) -> Format | None:
    """The format of a media type (parameters ignored, case-insensitive), synonyms included
    (its own type first: `application/json` is plain JSON)."""
    media = media.partition(";")[0].strip().lower()
    return next((f for f in ALL if f.media == media), None) or next(
        (f for f in ALL if media in f.synonyms), None
    )


def by_name(name: str, offered: Sequence[Format]) -> Format | None:
    """The offered format a `format=` value names: a short name (`json`, `ttl`) or a media
    type (or its synonym)."""
    key = name.strip().lower()
    return next((f for f in offered if key in f.names or key == f.media), None) or next(
        (f for f in offered if key in f.synonyms), None
    )


def by_extension(ext: str, offered: Sequence[Format] = DOCUMENT_FORMATS) -> Format | None:
    return next((f for f in offered if f.extension == ext), None)


# --- negotiation (RFC 9110 §12.5.1) ---------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The format chosen and the media type to send it under: its own, unless the client
    accepts only a synonym it named (`text/plain` for N-Triples)."""

    format: Format
    media: str

    @property
    def content_type(self) -> str:
        return self.media + ("; charset=utf-8" if self.media.startswith("text/") else "")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, in the order sent.

    A missing or empty header accepts anything (`*/*`). A q-value that is not a number makes
    its range unacceptable (q=0).
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def quality(accepted: Sequence[tuple[str, float]], media: str) -> float | None:
    """The q-value the most specific matching range gives `media` (RFC 9110 §12.5.1: an exact
    type beats `type/*`, which beats `*/*`), or None when no range matches."""
    main = media.partition("/")[0]
    best: tuple[int, float] | None = None
    for rng, q in accepted:
        rank = 3 if rng == media else 2 if rng == f"{main}/*" else 1 if rng == "*/*" else 0
        if rank and (best is None or rank > best[0] or (rank == best[0] and q > best[1])):
            best = (rank, q)
    return None if best is None else best[1]


def negotiate(header: str | None, offered: Sequence[Format]) -> Choice | None:
    """The offered format the client prefers, or None when it accepts none of them.

    q=0 means "not acceptable"; the most specific range decides a type's q; equal q goes to
    the server's order. A synonym (`application/json` for SPARQL JSON results) counts only
    when the client names it exactly, never through a wildcard, and never when the client
    refused the format's own type; the answer is then sent under the synonym the client named.
    """
    accepted = parse_accept(header)
    best: tuple[float, int, Choice] | None = None
    for order, fmt in enumerate(offered):
        own = quality(accepted, fmt.media)
        if own == 0.0:
            continue
        candidates = [] if own is None else [(own, fmt.media)]
        for synonym in fmt.synonyms:
            exact = [q for rng, q in accepted if rng == synonym]
            if exact and exact[0] > 0 and (own is None or exact[0] > own):
                candidates.append((exact[0], synonym))
        if not candidates:
            continue
        q, media = max(candidates, key=lambda c: c[0])
        if best is None or q > best[0]:
            best = (q, order, Choice(fmt, media))
    return best[2] if best else None


def accepts(header: str | None, media: str) -> bool:
    """Whether the client accepts `media` itself (q > 0 by its most specific range)."""
    q = quality(parse_accept(header), media)
    return q is not None and q > 0


# --- RDF -----------------------------------------------------------------------------------


def serialize_graph(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad],
    fmt: Format,
    *,
    prefixes: Mapping[str, str] | None = None,
    compact: bool = False,
) -> bytes:
    """Triples (or quads, for N-Quads and TriG) written in `fmt`; triples go in the default
    graph of a dataset format; with `compact`, JSON-LD in compacted form (`compact_json_ld`).
    Raises `NotAcceptable` when `fmt` is XML and a term holds a character XML 1.0 cannot
    carry."""
    if fmt.rdf is None:
        raise BadRequest(f"{fmt.media} is not an RDF format")
    items: list[ox.Triple] | list[ox.Quad] = list(triples)  # type: ignore[assignment]
    if fmt.is_xml:
        for t in items:
            for term in (t.subject, t.predicate, t.object):
                check_xml_text(term_text(term), fmt)
            if fmt.rdf == ox.RdfFormat.RDF_XML:
                check_xml_predicate(t.predicate.value)
    if fmt.rdf == ox.RdfFormat.JSON_LD and compact:
        return compact_json_ld(items, prefixes or {})  # type: ignore[arg-type]  # triples
    use_prefixes = prefixes if fmt.rdf not in (ox.RdfFormat.JSON_LD,) else None
    buf = io.BytesIO()
    ox.serialize(items, buf, fmt.rdf, prefixes=dict(use_prefixes) if use_prefixes else None)
    return buf.getvalue()


def serialize_document(triples: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: Format) -> bytes:
    """A data document (a record's or a concept's `.ttl`, `.nt`, `.jsonld`, `.rdf`; a record's
    quads as `.trig`, `.nq`) in `fmt`: Turtle, TriG and RDF/XML with the site's prefixes,
    JSON-LD compacted with them as its context, N-Triples and N-Quads as they are. Raises as
    `serialize_graph`."""
    prefixes = PREFIXES if fmt.extension in ("ttl", "rdf", "jsonld", "trig") else None
    return serialize_graph(triples, fmt, prefixes=prefixes, compact=True)


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact_json_ld(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """Triples as JSON-LD 1.1 in compacted form: `prefixes` as its `@context`, IRIs written
    with them ("schema:name"), types under `@type`, one node object per subject in `@graph`
    (W3C JSON-LD 1.1 API §6, compaction) — what a person or a script reads, where pyoxigraph
    writes the expanded form only. Written by rdflib's serializer: a few ms per hundred
    triples, for documents of one record, not for dumps or large query results."""
    from rdflib import BNode, Graph, Literal, URIRef  # only here: the rest needs no rdflib

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.Literal):
            typed = t.language is None and t.datatype.value != XSD_STRING
            # as written: rdflib would rewrite "…Z" as "…+00:00", another literal
            return Literal(
                t.value,
                lang=t.language,
                datatype=URIRef(t.datatype.value) if typed else None,
                normalize=False,
            )
        raise BadRequest("JSON-LD 1.1 cannot carry a quoted triple")

    graph = Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    text: str = graph.serialize(format="json-ld", context=dict(prefixes), auto_compact=True)
    # rdflib writes nodes and values in the order of its sets, which differs between processes:
    # the same record gave two documents (and two ETags) from two server processes
    stable = json.dumps(_in_order(json.loads(text)), ensure_ascii=False, indent=2)
    return stable.encode("utf-8")


def _in_order(value: Any, *, listed: bool = False) -> Any:
    """A JSON-LD document in one order: keys sorted, and arrays, which JSON-LD reads as sets
    except under `@list`, sorted by their JSON."""
    if isinstance(value, dict):
        return {k: _in_order(v, listed=k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_in_order(v) for v in value]
        return items if listed else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def parse_graph(data: bytes, fmt: Format, *, base_iri: str | None = None) -> list[ox.Quad]:
    """The quads of an RDF document. Raises `BadRequest` naming the format and the parser's
    message when it is not valid."""
    if fmt.rdf is None:
        raise BadRequest(f"{fmt.media} is not an RDF format")
    try:
        return list(ox.parse(data, fmt.rdf, base_iri=base_iri))
    except (SyntaxError, ValueError) as exc:
        raise BadRequest(f"the request body is not valid {fmt.media}: {exc}") from exc


# --- XML 1.0 characters -----------------------------------------------------------------------


def xml_illegal(text: str) -> str | None:
    """The first character of `text` XML 1.0 (§2.2, production Char) cannot carry, or None."""
    for ch in text:
        c = ord(ch)
        if c < 0x20 and ch not in "\t\n\r":
            return ch
        if 0xD800 <= c <= 0xDFFF or c in (0xFFFE, 0xFFFF):
            return ch
    return None


def check_xml_text(text: str, fmt: Format) -> None:
    """Raises `NotAcceptable` naming the character when `text` cannot be written as XML 1.0.

    XML 1.0 has no escape for these characters (not even `&#7;`), so an XML answer holding
    one would be malformed; the client is told to ask for another format instead.
    """
    bad = xml_illegal(text)
    if bad is not None:
        other = "application/sparql-results+json" if fmt.kind == "results" else "text/turtle"
        raise NotAcceptable(
            f"the answer holds the character U+{ord(bad):04X}, which XML 1.0 cannot carry, "
            f"so it cannot be sent as {fmt.media}; ask for {other} instead"
        )


#: the end of an IRI that can be an XML element's local name (an NCName)
_LOCAL_NAME = re.compile(r"[^\W\d][\w.\-]*\Z")


def check_xml_predicate(iri: str) -> None:
    """Raises `NotAcceptable` when a predicate IRI cannot be written in RDF/XML.

    RDF/XML writes a predicate as an element name, namespace plus local name, so the IRI must
    end in an XML name (RDF 1.1 XML Syntax §2.2); `http://example.org/1` or one ending in `/` or
    `#` cannot be written, and the writer would produce a malformed document."""
    if _LOCAL_NAME.search(iri) is None:
        raise NotAcceptable(
            f"the predicate <{iri}> does not end in an XML name, so the answer cannot be "
            "written as application/rdf+xml; ask for text/turtle instead"
        )


def term_text(term: object) -> str:
    """Every character a term writes: IRI, value, language tag, datatype; nested for triples."""
    if isinstance(term, ox.Triple):
        return " ".join(term_text(t) for t in (term.subject, term.predicate, term.object))
    if isinstance(term, ox.Literal):
        return term.value + (term.language or "") + term.datatype.value
    return str(getattr(term, "value", ""))


__all__ = [
    "ALL",
    "CSV",
    "DOCUMENT_FORMATS",
    "GRAPH_FORMATS",
    "HTML",
    "JSON",
    "JSON_LD",
    "N3",
    "N_QUADS",
    "N_TRIPLES",
    "RDF_XML",
    "RESULT_FORMATS",
    "SPARQL_JSON",
    "SPARQL_XML",
    "TRIG",
    "TSV",
    "TURTLE",
    "Choice",
    "Format",
    "accepts",
    "by_extension",
    "by_media",
    "by_name",
    "check_xml_text",
    "negotiate",
    "parse_accept",
    "parse_graph",
    "quality",
    "serialize_graph",
    "term_text",
    "xml_illegal",
]
