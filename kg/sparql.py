"""Running SPARQL against the store, with parser errors mapped into the error family."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from kg.errors import BadRequest, QuerySyntaxError
from kg.queries import PREFIXES
from kg.sparql_syntax import (
    QUERY_FORMS,
    UPDATE_OPS,
    dataset_clauses,
    opening,
    rebound,
    shape,
    slips,
    tokens,
    undeclared_prefixes,
    ungrouped_variables,
)


def run_query(
    store: ox.Store,
    query: str,
    *,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    custom_functions: dict[ox.NamedNode, Callable[..., object]] | None = None,
    has_dataset: bool | None = None,
    base_iri: str | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL 1.1 query over the dataset SPARQL 1.1 defines for it.

    A dataset given by the protocol (`default_graphs`, `named_graphs`: absolute IRIs) is exactly
    the dataset and overrides the query's FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4): a
    default graph not given is empty, named graphs not given are none. Otherwise FROM / FROM
    NAMED in the query are exactly the dataset (SPARQL 1.1 Query §13.2). Only without either is
    the default graph the union of all named graphs (this store keeps every record in its own
    named graph). A graph named twice, by the protocol or in the query, is one graph of the
    dataset: its triples are not counted twice (pyoxigraph 0.5 would). Raises
    `QuerySyntaxError` (parser message with line:column) or `BadRequest` (a graph name that is
    not an IRI). `has_dataset`: whether the query has FROM / FROM NAMED, when the caller has
    tokenised it already (`kg.sparql_syntax.shape`); else it is tokenised here. `base_iri`:
    the IRI relative IRIs resolve against when the query declares no BASE (SPARQL 1.1 Query
    §4.1.1.2; RFC 3986 §5.1.4, the base of the application's context); None: a relative IRI is
    a syntax error.
    """
    options: dict[str, object] = {}
    if default_graphs or named_graphs:
        options["default_graph"] = _names(dict.fromkeys(default_graphs or ()))
        options["named_graphs"] = _names(dict.fromkeys(named_graphs or ()))
    elif not (shape(query).has_dataset if has_dataset is None else has_dataset):
        options["use_default_graph_as_union"] = True
    elif (clauses := dataset_clauses(query, PREFIXES)) is not None and _repeats(*clauses):
        # a graph named twice is one graph of the merge (§13.2), not two copies of it, which is
        # how pyoxigraph 0.5 reads `FROM <g> FROM <g>`: the same dataset given without repeats
        options["default_graph"] = _names(dict.fromkeys(clauses[0]))
        options["named_graphs"] = _names(dict.fromkeys(clauses[1]))
    try:
        return store.query(
            query,
            prefixes=PREFIXES,
            base_iri=base_iri,
            custom_functions=custom_functions,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {_explained(query, str(exc))}") from exc


#: a sentence in the parser's list of what it expected: pyoxigraph reports a query that breaks
#: a rule of SPARQL 1.1 Query §18.2 (grouping, scope) so, among every token it could have
#: read ("expected one of "$", "(", IF, The SELECT contains a variable that is unbound, …")
_RULE = re.compile(r"(?:(?<=of )|(?<=, ))([A-Za-z*]+(?: [A-Za-z*]+){2,})(?=, |$)", re.MULTILINE)
_GROUPING = (
    "in a query with GROUP BY or an aggregate (COUNT, SUM, SAMPLE, …) the SELECT may only name "
    "GROUP BY keys and aggregates (SPARQL 1.1 Query §11.4)"
)

#: the parser's words for a rule, in the words of the specification
_PLAIN = {
    "SELECT * is not authorized with GROUP BY": (
        "SELECT * cannot be used with GROUP BY: select the GROUP BY keys and aggregates by name "
        "(SPARQL 1.1 Query §11.4)"
    ),
    "The SELECT overrides an existing variable using an expression": (
        "a (… AS ?v) in the SELECT names a variable the query already binds: choose a new name "
        "(SPARQL 1.1 Query §18.2.4.1)"
    ),
}


def _explained(query: str, message: str) -> str:
    """The parser's message made plain. For a prefix it could not find (which it reports as a
    list of every character a name may hold): which prefix that is, where, and how to declare
    it (the namespace rdflib knows under that name when it knows one). For a rule of the
    language the query breaks (which it reports among the tokens it expected): that rule alone,
    and for a selected variable neither grouped nor aggregated, which one and what to do."""
    where = message.split(": expected", 1)[0]  # "error at 1:30"
    first = opening(query)
    if first is None and next(tokens(query), None) is None:
        # the parser: "expected [_]", a researcher's trial could not read it
        return f"{where}: the query is empty: send a SELECT, ASK, CONSTRUCT or DESCRIBE query"
    if first is not None and first.text.upper() not in QUERY_FORMS | UPDATE_OPS:
        # the parser names one keyword it expected, where it stopped reading ("SELEC ?x {}" →
        # "error at 1:10: expected CONSTRUCT"): say what is wrong, where it is
        return (
            f"error at {first.line}:{first.column}: a query starts with SELECT, ASK, CONSTRUCT "
            f"or DESCRIBE (after its BASE and PREFIX lines), not “{first.text}”"
        )
    rules = _RULE.findall(message)
    if rules and "Prefix not found" not in message:
        if any("unbound" in r for r in rules):
            bare = ungrouped_variables(query)
            if bare:
                names = ", ".join(bare)
                return (
                    f"{where}: {names} {'is' if len(bare) == 1 else 'are'} selected but neither "
                    f"grouped nor aggregated: {_GROUPING}; add {names} to GROUP BY, or select "
                    f"an aggregate of {'it' if len(bare) == 1 else 'each'} such as "
                    f"(SAMPLE({bare[0]}) AS {bare[0]}_)"
                )
            return f"{where}: a selected variable is neither grouped nor aggregated: {_GROUPING}"
        return f"{where}: {'; '.join(_PLAIN.get(r, r) for r in rules)}"
    if "Prefix not found" not in message:
        again = _rebound(query) if message.endswith(": expected [_]") else None
        return _slip(query, where) or again or message
    missing = undeclared_prefixes(query, PREFIXES)
    if not missing:
        return message
    import rdflib  # only here: query workers start without it

    names = ", ".join(f"{p}:" for p in missing)
    said = f"prefix {names} is" if len(missing) == 1 else f"prefixes {names} are"
    declared = ", ".join(f"{p}:" for p in sorted(PREFIXES))
    known = dict(rdflib.Graph().namespace_manager.namespaces())
    lines = [f"PREFIX {p}: <{known[p]}>" for p in missing if p in known]
    advice = f", for example {' '.join(lines)}" if lines else ""
    return (
        f"{where}: {said} not declared (this endpoint declares {declared}); declare "
        f"{'it' if len(missing) == 1 else 'each'} with a PREFIX line before the query{advice}"
    )


def _slip(query: str, where: str) -> str | None:
    """The first common slip of the query (`kg.sparql_syntax.slips`: a string, a bracket left
    open, commas between selected variables) at or before the place the parser stopped
    (`where`, "error at 1:28"), said where it is: the parser lists the tokens it expected
    there instead ("expected one of ",", ".", ";", "{", …"), which a researcher's trial could
    not act on. None when there is none."""
    at = re.fullmatch(r"error at (\d+):(\d+)", where.strip())
    stopped = (int(at[1]), int(at[2])) if at else None
    for slip in slips(query):
        if stopped is None or (slip.line, slip.column) <= stopped:
            return f"error at {slip.line}:{slip.column}: {slip.what}"
    return None


def _rebound(query: str) -> str | None:
    """For the parser's bare "expected [_]": a `BIND` naming a variable already in scope
    (`kg.sparql_syntax.rebound`), said where it is. None otherwise."""
    slip = rebound(query)
    return None if slip is None else f"error at {slip.line}:{slip.column}: {slip.what}"


def _repeats(default: list[str], named: list[str]) -> bool:
    return len(set(default)) < len(default) or len(set(named)) < len(named)


def _names(iris: Iterable[str]) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(iri) for iri in iris]
    except ValueError as exc:
        raise BadRequest(f"graph name is not an absolute IRI: {exc}") from exc
