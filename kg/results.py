"""Serialising query results at the edge: table, JSON, CSV, TSV, XML and RDF formats."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.errors import BadRequest
from kg.queries import PREFIXES as _PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


def render(result: object, fmt: str = "table") -> str:
    """Text of a query result in `fmt` (table for people, else a standard format)."""
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return _table(result)
        if fmt not in RESULT_FORMATS:
            raise BadRequest(f"format {fmt!r} is not one of table, {', '.join(RESULT_FORMATS)}")
        out = result.serialize(format=RESULT_FORMATS[fmt])
        return out.decode() if isinstance(out, bytes) else ""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise BadRequest(f"format {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")
        buf = io.BytesIO()
        ox.serialize(result, buf, GRAPH_FORMATS[fmt], prefixes=_PREFIXES)
        return buf.getvalue().decode()
    raise BadRequest("unknown result type")


def _table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(sol[n]) for n in names] for sol in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return str(term)
