"""Checks a public query must pass before any engine sees it.

pyoxigraph 0.5 crashes the whole process on about 3,000 nested groups, and `SERVICE` or `LOAD`
make it send HTTP requests to any address. Both are refused here, on a token
scan that skips strings, IRIs and comments, so a literal containing "SERVICE" is harmless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import BadRequest, Forbidden, QueryTooLarge

#: deepest nesting of { } and ( ) accepted; pyoxigraph's parser is safe well beyond this
MAX_DEPTH = 200
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_OPS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    keywords: frozenset[str]

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str, *, max_bytes: int) -> QueryInfo:
    """The form of a read query, or a `KGError` saying why it may not run."""
    info = _scan(text, max_bytes=max_bytes)
    if info.form == "UPDATE":
        raise BadRequest("this is a SPARQL Update: send it as `update`, with the admin token")
    if "SERVICE" in info.keywords:
        raise Forbidden("SERVICE (federated query) is not allowed on this endpoint")
    return info


def inspect_update(text: str, *, max_bytes: int) -> QueryInfo:
    """Checks for an update (admin only): size and depth; `LOAD` and `SERVICE` stay refused."""
    info = _scan(text, max_bytes=max_bytes)
    if info.keywords & {"SERVICE", "LOAD"}:
        raise Forbidden("LOAD and SERVICE fetch remote data and are not allowed here")
    return info


def _scan(text: str, *, max_bytes: int) -> QueryInfo:
    size = len(text.encode())
    if size > max_bytes:
        raise QueryTooLarge(
            f"query is {size} bytes; the limit is {max_bytes} (KG_SPARQL_MAX_QUERY_BYTES)"
        )
    code = strip_literals(text)
    depth = deepest = 0
    for ch in code:
        if ch in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise BadRequest(f"query nests {deepest} levels deep; the limit is {MAX_DEPTH}")
    words = [w.upper() for w in _WORD.findall(code)]
    keywords = frozenset(words)
    form = next((w for w in words if w in _FORMS or w in _UPDATE_OPS), "")
    if form in _UPDATE_OPS or (form == "" and "WITH" in keywords):
        form = "UPDATE"
    return QueryInfo(form=form or "SELECT", keywords=keywords)


def strip_literals(text: str) -> str:
    """The query with strings, IRIs, comments and variable names blanked out."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "<" and _iri_end(text, i) > 0:
            i = _iri_end(text, i)
            out.append(" <> ")
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            out.append(' "" ')
            continue
        if ch in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
            out.append(" ?v ")
            continue
        if ch == ":" or (ch.isalnum() and i > 0 and text[i - 1] == ":"):
            # the local part of a prefixed name (ex:service) is not a keyword
            m = re.compile(r":[\w.\-]*").match(text, i) if ch == ":" else None
            if m:
                i = m.end()
                out.append(" ")
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _iri_end(text: str, i: int) -> int:
    """End of an IRI reference starting at `i`, or 0 when `<` is a less-than operator."""
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == ">":
            return j + 1
        if c in ' \t\n\r<"{}|^`\\':
            return 0
        j += 1
    return 0
