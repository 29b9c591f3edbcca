"""SPARQL results serialised from the first `cap` rows, so a capped answer is still a valid
document in every standard format (JSON, XML, CSV, TSV; RDF formats for graph results).

pyoxigraph serialises a whole result or nothing, so SELECT formats are written here, following
the W3C "SPARQL 1.1 Query Results JSON/CSV and TSV Formats" and "SPARQL Query Results XML
Format" recommendations, with triple terms as the SPARQL 1.2 result formats write them
(`{"type": "triple"}` in JSON, `<triple>` in XML, `<<( s p o )>>` in TSV).

XML 1.0 cannot carry some characters at all (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F,
U+FFFE, U+FFFF): an answer holding one is refused in XML with a `NotAcceptable` error naming the
character and pointing to JSON, never sent malformed.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyoxigraph as ox

from kg import formats
from kg.vocab import PREFIXES, XSD_NS

if TYPE_CHECKING:  # the type of what io.BytesIO.write takes (typing.Buffer from Python 3.12)
    from typing_extensions import Buffer

XSD_STRING = f"{XSD_NS}string"
ITS = "http://www.w3.org/2005/11/its"  # the namespace of `its:dir` (base direction)

#: media type → serialiser name, for SELECT/ASK and for CONSTRUCT/DESCRIBE
SOLUTION_MEDIA = {f.media: f.names[0] for f in formats.RESULT_FORMATS}
GRAPH_MEDIA = {f.media: f for f in formats.GRAPH_FORMATS}

Row = Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]


def take(items: Iterable[object], cap: int) -> tuple[list[object], bool]:
    """The first `cap` items and whether there were more."""
    head = list(itertools.islice(iter(items), cap + 1))
    return head[:cap], len(head) > cap


#: bytes of SPARQL JSON a worker writes natively before it gives up and writes the capped
#: answer row by row instead (a result this large is almost always over the row cap anyway)
NATIVE_JSON_BUDGET = 32 * 1024 * 1024
JSON_MEDIA = next(m for m, name in SOLUTION_MEDIA.items() if name == "json")


class _OverBudget(Exception):
    """Raised by `_Bounded.write` to stop pyoxigraph's serialiser."""


class _Bounded(io.BytesIO):
    """A buffer pyoxigraph writes into that stops it at `budget` bytes."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget

    def write(self, data: Buffer) -> int:
        written = super().write(data)
        if self.tell() > self.budget:
            raise _OverBudget
        return written


def native_json(
    result: ox.QuerySolutions,
    cap: int,
    *,
    budget: int | None = None,
    link: str | None = None,
    variables: list[str] | None = None,
) -> tuple[bytes, int, bool] | None:
    """`result` as SPARQL JSON written by pyoxigraph (in Rust, byte for byte what `solutions`
    writes, without a Python object per term): `(body, rows, truncated)`, cut to the first `cap`
    rows with the `truncated` flag as `solutions` writes it. None when the document would exceed
    `budget` bytes (default `NATIVE_JSON_BUDGET`): the caller runs the query again and writes it
    row by row (`take`, `solutions`), so a huge result is never held whole. A cut answer names
    `link` in `head.link`, as `solutions` does; `variables`, when given, is the order of
    `head.vars` (the rows are objects, keyed by name). An answer within the cap and without
    `variables` is pyoxigraph's bytes untouched."""
    out = _Bounded(NATIVE_JSON_BUDGET if budget is None else budget)
    try:
        result.serialize(out, ox.QueryResultsFormat.JSON)
    except _OverBudget:
        return None
    body = out.getvalue()
    doc = orjson.loads(body)  # the rows must be counted (a header says how many) and capped
    bindings = doc["results"]["bindings"]
    if variables is not None:
        doc["head"]["vars"] = variables
    if len(bindings) <= cap:
        return (body if variables is None else orjson.dumps(doc)), len(bindings), False
    doc["results"]["bindings"] = bindings[:cap]
    if link is not None:
        doc["head"]["link"] = [*doc["head"].get("link", []), link]
    doc["truncated"] = True
    return orjson.dumps(doc), cap, True


def solutions(
    variables: list[str],
    rows: list[Row],
    media: str,
    *,
    truncated: bool = False,
    link: str | None = None,
) -> bytes:
    """`rows` in the SELECT format `media`. A `truncated` answer is flagged (`"truncated":
    true` in JSON) and, with `link` (a page explaining the row cap), names it where the format
    has a place for links: `head.link` in JSON (SPARQL 1.1 Query Results JSON §3.1), `<link
    href=…/>` in the XML head (SPARQL Query Results XML Format §2.2); CSV and TSV have none."""
    fmt = SOLUTION_MEDIA[media]
    link = link if truncated else None
    if fmt == "json":
        # a term bound in many rows (a country, a type) is converted once; orjson writes the
        # document (UTF-8, no escapes beyond what JSON needs) about 2-3x faster than `json`
        terms: dict[object, dict[str, object]] = {}
        head: dict[str, object] = {"vars": variables}
        if link is not None:
            head["link"] = [link]
        doc: dict[str, object] = {
            "head": head,
            "results": {"bindings": [_json_row(variables, r, terms) for r in rows]},
        }
        if truncated:
            doc["truncated"] = True  # a Datasette-style flag; the header says the same
        return orjson.dumps(doc)
    if fmt == "xml":
        return _xml(variables, rows, link).encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else _tsv(t) for t in r) for r in rows]
        return ("\n".join(lines) + "\n").encode()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv(t) for t in r] for r in rows)
    return buf.getvalue().encode()


def boolean(value: bool, media: str) -> bytes:
    fmt = SOLUTION_MEDIA[media]
    text = "true" if value else "false"
    if fmt == "json":
        return orjson.dumps({"head": {}, "boolean": value})
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    return (
        f"_askResult\r\n{text}\r\n".encode() if fmt == "csv" else f"?_askResult\n{text}\n".encode()
    )


def triples(items: list[ox.Triple], media: str) -> bytes:
    return formats.serialize_graph(items, GRAPH_MEDIA[media], prefixes=PREFIXES)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:  # SPARQL 1.2: a directional language string
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _json_row(
    variables: list[str], row: Row, terms: dict[object, dict[str, object]]
) -> dict[str, object]:
    out: dict[str, object] = {}
    for v, t in zip(variables, row, strict=True):
        if t is not None:
            found = terms.get(t)
            if found is None:
                found = terms[t] = _json_term(t)
            out[v] = found
    return out


def _xml_term(term: object) -> str:
    formats.check_xml_text(formats.term_text(term), formats.SPARQL_XML)
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            lang = f"xml:lang={quoteattr(term.language)}"
            if term.direction is not None:  # as pyoxigraph writes it (SPARQL 1.2, ITS 2.0)
                lang += f' its:dir="{term.direction}" xmlns:its="{ITS}" its:version="2.0"'
            return f"<literal {lang}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    raise TypeError(f"unexpected term {term!r}")


def _xml(variables: list[str], rows: list[Row], link: str | None = None) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    links = f"<link href={quoteattr(link)}/>" if link is not None else ""  # after the variables
    out.append(
        "<head>"
        + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        + links
        + "</head>"
    )
    out.append("<results>")
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out)


def _tsv(term: object) -> str:
    """A term as SPARQL TSV writes it: Turtle / N-Triples syntax, `<<( s p o )>>` for a triple
    term (SPARQL 1.2 Query Results CSV and TSV Formats)."""
    if isinstance(term, ox.Triple):
        return f"<<( {_tsv(term.subject)} {_tsv(term.predicate)} {_tsv(term.object)} )>>"
    return str(term)


def _csv(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.Triple):
        return " ".join(_csv(t) for t in (term.subject, term.predicate, term.object))
    return str(term)
