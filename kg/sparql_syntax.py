"""The tokens of a SPARQL 1.1/1.2 query or update, and what the endpoint decides from them.

pyoxigraph parses and runs a query in one call and exposes no parse tree, so the checks that
must come before a query runs (its form, `SERVICE`, `LOAD`, a dataset clause, nesting depth)
read the query's tokens as the SPARQL 1.1 grammar (§19.8, terminals) defines them: IRIs,
strings, comments, variables, prefixed names (`load:x`, `service:`), blank node labels and
language tags are tokens of their own, so a keyword is only ever a keyword. pyoxigraph's parser
still decides whether the query is valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: one token each; tried in order at every position (SPARQL 1.1 Query §19.8)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<bnode>_:[\w\-.]*[\w\-])
  | (?P<pname>(?:[^\W\d_][\w\-.]*)?:
              (?:(?:[\w\-:]|%[0-9A-Fa-f]{2}|\\.)(?:[\w\-.:]|%[0-9A-Fa-f]{2}|\\.)*)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct><<\(|\)>>|<<|>>|\^\^|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_OPS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_OPEN, _CLOSE = frozenset({"{", "(", "[", "<<", "<<("}), frozenset({"}", ")", "]", ">>", ")>>"})


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, bnode, pname, langtag, number, word, punct
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of `text` (whitespace and comments dropped). An unterminated
    string or IRI is read as punctuation, as the parser would reject it anyway."""
    for kind, word in _significant(text):
        yield Token(kind, word)


def _significant(text: str) -> Iterator[tuple[str, str]]:
    # the last alternative matches any character, so the matches are contiguous: `finditer`
    # reads the text as `match` at each end would, in C
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind != "ws" and kind != "comment":
            yield kind, m.group()


@dataclass(frozen=True)
class Shape:
    """What a request's text is, from its tokens.

    `form`: SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or "" when no form keyword follows the
    prologue (the parser will say why). `keywords`: every keyword, upper-cased. `has_dataset`:
    the query has FROM or FROM NAMED (SPARQL 1.1 Query §13.2). `depth`: deepest nesting of
    groups, brackets, parentheses and quoted triples.
    """

    form: str
    keywords: frozenset[str]
    has_dataset: bool
    depth: int

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def shape(text: str) -> Shape:
    """The `Shape` of a query or update text."""
    form = ""
    keywords: set[str] = set()
    depth = deepest = 0
    prologue = True
    for kind, text_ in _significant(text):
        if kind == "punct":
            if text_ in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif text_ in _CLOSE:
                depth -= 1
        if kind != "word":
            continue
        word = text_.upper()
        keywords.add(word)
        if prologue and word in ("BASE", "PREFIX"):
            continue
        if prologue:
            prologue = False
            if word in QUERY_FORMS:
                form = word
            elif word in UPDATE_OPS:
                form = "UPDATE"
    return Shape(
        form=form, keywords=frozenset(keywords), has_dataset="FROM" in keywords, depth=deepest
    )


__all__ = ["QUERY_FORMS", "UPDATE_OPS", "Shape", "Token", "shape", "tokens"]
