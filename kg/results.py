"""Serialising query results at the edge (the CLI): a table for people, else any format of
`kg.formats` by name (json, xml, csv, tsv; turtle, nt, jsonld, rdfxml, nq, trig, n3)."""

from __future__ import annotations

import pyoxigraph as ox

from kg import formats
from kg.errors import BadRequest
from kg.queries import PREFIXES as _PREFIXES


def _names(offered: tuple[formats.Format, ...]) -> str:
    return ", ".join(n for f in offered for n in f.names)


def render(result: object, fmt: str = "table") -> str:
    """Text of a query result in `fmt` (table for people, else a standard format)."""
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return _table(result)
        found = formats.by_name(fmt, formats.RESULT_FORMATS)
        if found is None or found.results is None:
            raise BadRequest(
                f"format {fmt!r} is not one of table, {_names(formats.RESULT_FORMATS)}"
            )
        out = result.serialize(format=found.results)
        return out.decode() if isinstance(out, bytes) else ""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        graph = formats.by_name("turtle" if fmt == "table" else fmt, formats.GRAPH_FORMATS)
        if graph is None:
            raise BadRequest(f"format {fmt!r} is not one of {_names(formats.GRAPH_FORMATS)}")
        return formats.serialize_graph(list(result), graph, prefixes=_PREFIXES).decode()
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
