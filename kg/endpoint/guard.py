"""Checks a public query must pass before any engine sees it.

pyoxigraph 0.5 crashes the whole process on about 3,000 nested groups, and `SERVICE` or `LOAD`
make it send HTTP requests to any address. Both are refused here, decided from the query's
tokens (`kg.sparql_syntax`): a keyword inside a string, an IRI, a comment, a variable or a
prefixed name (`PREFIX load: <…>`, `service:x`) is not a keyword, so legal queries pass.
"""

from __future__ import annotations

from kg.errors import BadRequest, Forbidden, QueryTooLarge
from kg.sparql_syntax import Shape, shape

#: deepest nesting of { } ( ) [ ] << >> accepted; pyoxigraph's parser is safe well beyond this
MAX_DEPTH = 200
QueryInfo = Shape


def inspect_query(text: str, *, max_bytes: int) -> Shape:
    """The shape of a read query, or a `KGError` saying why it may not run.

    Raises `QueryTooLarge` (over `max_bytes` UTF-8 bytes), `BadRequest` (an update, or nesting
    over `MAX_DEPTH`), `Forbidden` (SERVICE).
    """
    info = _check(text, max_bytes=max_bytes)
    if info.form == "UPDATE":
        raise BadRequest("this is a SPARQL Update: send it as `update`, with the admin token")
    if "SERVICE" in info.keywords:
        raise Forbidden("SERVICE (federated query) is not allowed on this endpoint")
    return info


def inspect_update(text: str, *, max_bytes: int) -> Shape:
    """Checks for an update (admin only): size and depth; `LOAD` and `SERVICE` stay refused."""
    info = _check(text, max_bytes=max_bytes)
    if info.keywords & {"SERVICE", "LOAD"}:
        raise Forbidden("LOAD and SERVICE fetch remote data and are not allowed here")
    return info


def _check(text: str, *, max_bytes: int) -> Shape:
    size = len(text.encode())
    if size > max_bytes:
        raise QueryTooLarge(
            f"query is {size} bytes; the limit is {max_bytes} (KG_SPARQL_MAX_QUERY_BYTES)"
        )
    info = shape(text)
    if info.depth > MAX_DEPTH:
        raise BadRequest(f"query nests {info.depth} levels deep; the limit is {MAX_DEPTH}")
    return info


def check_syntax(text: str) -> None:
    """Raises `QuerySyntaxError` (the parser's message, made plain: `kg.sparql.run_query`)
    when the read query `text` does not parse; else nothing. For an error that must say the
    query is wrong before saying the answer's format is (a 406 hid a syntax error from a
    trial's client). Parses against an empty store: a query that parses is answered there
    at once."""
    import pyoxigraph as ox

    from kg.sparql import run_query

    run_query(ox.Store(), text)
