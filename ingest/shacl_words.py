"""SHACL validation results in a curator's words: `field: plain reason` (issue 16).

pySHACL's own messages (`Node Literal("2021-13-01", datatype=xsd:date) must conform to one or
more shapes in [ sh:datatype xsd:gYear ] , …`) name RDF terms and shapes. `reason` reads the
result's constraint component (SHACL §4, https://www.w3.org/TR/shacl/#core-components) and the
shape's parameters and says what is wrong with the value as the record file wrote it:

- datatype (also an `sh:or` of datatypes): `2021-13-01 is not a valid date (month 13)`,
  `12.5 is not a whole number`;
- class: `nobody-known is not a known organisation record (no organisation/nobody-known.md)`;
- node (a concept scheme): `time-travel is not a theme concept (ontology/schemes/theme.ttl …)`;
- minCount: the shape's `sh:message`, else `is required` / `needs at least N values`;
- maxCount: `has 2 values (A, B); at most 1 is allowed`;
- pattern: `euro is not <the shape's sh:message>`, else `… does not match the pattern …`;
- in: `charity is not one of company, ngo, …`;
- nodeKind, min/max bounds: a plain sentence; a SPARQL constraint: its `sh:message` as pySHACL
  fills it in.
"""

from __future__ import annotations

import calendar
import re

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.vocab import KINDS

#: datatype → how a curator names it
NOUNS = {
    XSD.date: "date (YYYY-MM-DD)",
    XSD.gYear: "year (YYYY)",
    XSD.gYearMonth: "month (YYYY-MM)",
    XSD.integer: "whole number",
    XSD.decimal: "decimal number",
    XSD.boolean: "true or false",
    XSD.dateTime: "date and time",
    URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"): "text with a language",
    XSD.string: "text",
}
#: classes the shapes link to → record kind
CLASS_KINDS = {
    "http://schema.org/Organization": "organisation",
    "https://w3id.org/rikg/ns#Organisation": "organisation",
    "https://w3id.org/rikg/ns#Initiative": "initiative",
    "https://w3id.org/rikg/ns#Policy": "policy",
    "https://w3id.org/rikg/ns#Event": "event",
    "https://w3id.org/rikg/ns#SourceDocument": "source",
}
SCHEME = re.compile(r"^https://w3id\.org/rikg/scheme/([a-z-]+)/([^/]+)\Z")


def reason(result: Node, report: Graph, shapes: Graph, data: Graph) -> str:
    """The plain reason for one `sh:ValidationResult` of `report`."""
    component = str(report.value(result, SH.sourceConstraintComponent) or "")
    kind = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    shape = report.value(result, SH.sourceShape)
    value = report.value(result, SH.value)
    own = shapes.value(shape, SH.message) if shape is not None else None
    said = str(own) if own is not None else ""
    shown = show(value) if value is not None else ""

    def param(name: str) -> Node | None:
        return shapes.value(shape, SH[name]) if shape is not None else None

    if kind == "Datatype":
        return datatype_reason(value, [param("datatype")])
    if kind == "Or":
        members = _list(shapes, param("or"))
        types = [shapes.value(m, SH.datatype) for m in members]
        if types and all(types):
            return datatype_reason(value, types)
        return said or f"{shown} matches none of the allowed forms"
    if kind == "Class":
        return _unknown_record(value, param("class"))
    if kind == "Node" and isinstance(value, URIRef):
        match = SCHEME.match(str(value))
        if match:
            scheme, concept = match.groups()
            return f"{concept} is not a {scheme} concept (ontology/schemes/{scheme}.ttl lists them)"
        return said or f"{shown} is not an allowed value"
    if kind == "MinCount":
        n = int(str(param("minCount")))
        return said or ("is required" if n == 1 else f"needs at least {n} values")
    if kind == "MaxCount":
        n = int(str(param("maxCount")))
        values = _values(data, report, result)
        listed = f" ({', '.join(show(v) for v in values)})" if values else ""
        return f"has {len(values)} values{listed}; at most {n} is allowed"
    if kind == "Pattern":
        if said:
            return f"{shown} is not {said}"
        return f"{shown} does not match the pattern {param('pattern')}"
    if kind == "In":
        allowed = ", ".join(sorted(show(v) for v in _list(shapes, param("in"))))
        return f"{shown} is not one of {allowed}"
    if kind == "NodeKind":  # the shape's sh:message may be about its other constraints
        return f"{shown} must be a link (an http or https IRI)"
    if kind in ("MinInclusive", "MinExclusive", "MaxInclusive", "MaxExclusive"):
        bound = param(kind[0].lower() + kind[1:])
        words = {"Min": "at least", "Max": "at most"}[kind[:3]]
        strict = " (excluded)" if kind.endswith("Exclusive") else ""
        return f"{shown} must be {words} {show(bound)}{strict}"
    message = report.value(result, SH.resultMessage)
    return said or (str(message) if message is not None else "does not conform")


def show(term: Node | None) -> str:
    """A term as a record file writes it: a literal's text, a record's or concept's slug."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    match = SCHEME.match(text)
    if match:
        return match.group(2)
    for kind in KINDS:
        marker = f"/id/{kind}/"
        if marker in text:
            return text.split(marker, 1)[1]
    return text


def datatype_reason(value: Node | None, expected: list[Node | None]) -> str:
    """Why `value` is not of the `expected` datatypes: an invalid date says which part."""
    text = show(value)
    dtype = value.datatype if isinstance(value, Literal) else None
    invalid = isinstance(value, Literal) and (value.ill_typed or bool(_why_invalid(text, dtype)))
    if dtype is not None and dtype in expected and invalid:
        noun = NOUNS.get(dtype, "value").split(" (", 1)[0]
        why = _why_invalid(text, dtype)
        return f"{text} is not a valid {noun}" + (f" ({why})" if why else "")
    nouns = [NOUNS.get(d, str(d)) for d in expected if isinstance(d, URIRef)]
    return f"{text} is not a {' or a '.join(nouns)}"


def date_reason(text: str) -> str:
    """Why `text`, written as an ISO date (`YYYY-MM-DD`), names no day: "month 13", "day 30;
    February 2021 has 28 days"; "" when it names one or is not so written."""
    return _why_invalid(text, XSD.date)


def _why_invalid(text: str, datatype: Node | None) -> str:
    match = re.match(r"^(-?\d{4,})-(\d{2})(?:-(\d{2}))?\Z", text)
    if not match or datatype not in (XSD.date, XSD.gYearMonth):
        return ""
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return f"month {month}"
    if match.group(3) is not None:
        day, days = int(match.group(3)), calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"day {day}; {calendar.month_name[month]} {year} has {days} days"
    return ""


def _unknown_record(value: Node | None, cls: Node | None) -> str:
    kind = CLASS_KINDS.get(str(cls), "")
    slug = show(value)
    if not kind:
        return f"{slug} is not a {show(cls)}"
    return f"{slug} is not a known {kind} record (no {kind}/{slug}.md)"


def _values(data: Graph, report: Graph, result: Node) -> list[Node]:
    focus, path = report.value(result, SH.focusNode), report.value(result, SH.resultPath)
    if focus is None or not isinstance(path, URIRef):
        return []
    return sorted(set(data.objects(focus, path)), key=str)


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []
