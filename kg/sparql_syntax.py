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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: one token each; tried in order at every position (SPARQL 1.1 Query §19.8)
#: a prefixed name's local part may hold "." but not end in one (SPARQL 1.1 Query §19.8,
#: PN_LOCAL): `?s a schema:Thing. ?s …` is the name and the end of its pattern
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
              (?:(?:[\w\-:]|%[0-9A-Fa-f]{2}|\\.)
                 (?:(?:[\w\-.:]|%[0-9A-Fa-f]{2}|\\.)*(?:[\w\-:]|%[0-9A-Fa-f]{2}|\\.))?)?)
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
#: functions whose value is new each time a query runs (SPARQL 1.1 Query §17.4: `RAND`, `NOW`
#: "for the current query execution", `UUID`, `STRUUID`): an answer using one is not reused
FRESH_EACH_RUN = frozenset({"RAND", "NOW", "UUID", "STRUUID"})
#: the prologue's declarations and the tokens each takes, its keyword included (SPARQL 1.1
#: Query §4.1: `BASE <iri>`, `PREFIX p: <iri>`; SPARQL 1.2 adds `VERSION "1.2"`)
PROLOGUE = {"BASE": 2, "PREFIX": 3, "VERSION": 2}
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
class Opening:
    """The first token after a query's prologue, where its form keyword belongs: `text`, and
    its `line` and `column`, both from 1 (as pyoxigraph's "error at 1:10" counts)."""

    text: str
    line: int
    column: int


def opening(text: str) -> Opening | None:
    """The token that follows the prologue (`BASE`, `PREFIX`, `VERSION` declarations) of
    `text`, or None when nothing follows it (an empty query, or a prologue alone)."""
    skip = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "ws" or kind == "comment":
            continue
        if skip:
            skip -= 1
        elif kind == "word" and m.group().upper() in PROLOGUE:
            skip = PROLOGUE[m.group().upper()] - 1
        else:
            before = text[: m.start()]
            line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
            return Opening(m.group(), before.count("\n") + 1, m.start() - line_start + 1)
    return None


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

    @property
    def repeatable(self) -> bool:
        """Whether running the query again on the same data gives the same answer: False when
        it calls one of `FRESH_EACH_RUN` (`ORDER BY RAND()`, `BIND(NOW() AS ?t)`)."""
        return not self.keywords & FRESH_EACH_RUN


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
        if prologue and word in PROLOGUE:
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


def dataset_clauses(text: str, prefixes: Mapping[str, str]) -> tuple[list[str], list[str]] | None:
    """The IRIs of a query's `FROM` and `FROM NAMED` clauses, in order and as written
    (repeats kept): `(default, named)`. Prefixed names are expanded with the query's `PREFIX`
    declarations, then `prefixes` (the endpoint's predeclared ones). None when a clause names
    an IRI these tokens cannot resolve alone (a relative IRI, `BASE`, an undeclared prefix, an
    escape in a local name): the parser then reads the clauses itself."""
    declared = dict(prefixes)
    default: list[str] = []
    named: list[str] = []
    found = list(tokens(text))
    for i, tok in enumerate(found):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "BASE":
            return None
        if word == "PREFIX" and i + 2 < len(found) and found[i + 2].kind == "iri":
            declared[found[i + 1].text[:-1]] = found[i + 2].text[1:-1]
        if word != "FROM":
            continue
        into, j = default, i + 1
        if j < len(found) and found[j].kind == "word" and found[j].text.upper() == "NAMED":
            into, j = named, j + 1
        if j >= len(found):
            return None
        iri = _absolute(found[j], declared)
        if iri is None:
            return None
        into.append(iri)
    return default, named


def undeclared_prefixes(text: str, prefixes: Mapping[str, str]) -> list[str]:
    """The prefixes of the prefixed names in `text` (`foaf` of `foaf:name`) that neither a
    `PREFIX` of the text nor `prefixes` (the endpoint's predeclared ones) declares, in the
    order first used. Names in strings, IRIs and comments are not names."""
    declared = set(prefixes)
    found = list(tokens(text))
    missing: dict[str, None] = {}
    for i, tok in enumerate(found):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and i + 1 < len(found):
            declared.add(found[i + 1].text[:-1])
        elif tok.kind == "pname" and (i == 0 or found[i - 1].text.upper() != "PREFIX"):
            prefix = tok.text.partition(":")[0]
            if prefix not in declared:
                missing[prefix] = None
    return list(missing)


def _absolute(tok: Token, declared: Mapping[str, str]) -> str | None:
    if tok.kind == "iri":
        iri = tok.text[1:-1]
        return iri if _SCHEME.match(iri) else None
    if tok.kind == "pname" and "\\" not in tok.text and "%" not in tok.text:
        prefix, _, local = tok.text.partition(":")
        namespace = declared.get(prefix)
        return None if namespace is None else namespace + local
    return None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

__all__ = [
    "QUERY_FORMS",
    "UPDATE_OPS",
    "Shape",
    "Token",
    "dataset_clauses",
    "shape",
    "tokens",
    "undeclared_prefixes",
]


#: the solution modifiers that may follow GROUP BY (SPARQL 1.1 Query §18.2.4.1 order)
_AFTER_GROUP = frozenset({"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"})


def ungrouped_variables(text: str) -> list[str]:
    """The variables (`?name`) the outermost SELECT of a grouping query selects bare although
    its GROUP BY does not group by them: SPARQL 1.1 Query §11.4 lets a grouped query select only
    its GROUP BY keys and aggregates. The query groups when it has GROUP BY at its outermost
    level or a parenthesised expression in its SELECT clause (an aggregate); otherwise, and for
    `SELECT *`, the list is empty. Read from the tokens, for an error message: a key given as
    `(expr AS ?v)` counts as `?v`."""
    toks = list(_significant(text))
    words = [t.upper() if k == "word" else "" for k, t in toks]
    if "SELECT" not in words:
        return []
    i = words.index("SELECT") + 1
    selected: list[str] = []
    depth, expressions = 0, False
    while i < len(toks) and not (
        depth == 0 and (toks[i][1] == "{" or words[i] in ("WHERE", "FROM"))
    ):
        kind, tok = toks[i]
        if tok == "*" and depth == 0:
            return []
        if tok == "(":
            depth, expressions = depth + 1, True
        elif tok == ")":
            depth -= 1
        elif kind == "var" and depth == 0:
            selected.append(tok)
        i += 1
    keys: set[str] = set()
    grouped = False
    depth = 0
    while i < len(toks):
        tok = toks[i][1]
        if tok in ("{", "("):
            depth += 1
        elif tok in ("}", ")"):
            depth -= 1
        elif depth == 0 and words[i] == "GROUP":
            grouped = True
            i += 2  # GROUP BY
            inner = 0
            while i < len(toks) and not (inner == 0 and words[i] in _AFTER_GROUP):
                kind, tok = toks[i]
                inner += tok == "("
                inner -= tok == ")"
                if kind == "var" and (inner == 0 or words[i - 1] == "AS"):
                    keys.add(tok)
                i += 1
            break
        i += 1
    if not (grouped or expressions):
        return []
    return [v for v in dict.fromkeys(selected) if v[1:] not in {k[1:] for k in keys}]


def star_variables(text: str) -> list[str] | None:
    """For a `SELECT *` query (`SELECT DISTINCT *`, `SELECT REDUCED *`), its variable names in
    the order they first appear after the projection, without `?`/`$`; None for any other
    query. SPARQL 1.1 Query §18.2.1 leaves the order of `*`'s variables open; pyoxigraph gives
    them A-Z, where Jena, Virtuoso and rdflib give them in the order the pattern names them,
    as a researcher reading `SELECT * WHERE { ?s schema:name ?name }` expects (`?s`, then
    `?name`; a trial got `name, s`). Variables of a sub-query that it does not project are
    listed too: the caller orders the engine's own variables by this list."""
    toks = _significant(text)
    prologue = True
    for kind, tok in toks:
        word = tok.upper() if kind == "word" else ""
        if prologue and word in PROLOGUE:
            for _ in range(PROLOGUE[word] - 1):
                next(toks, None)
            continue
        prologue = False
        if word != "SELECT":
            return None
        break
    else:
        return None
    kind, tok = next(toks, ("", ""))
    if kind == "word" and tok.upper() in ("DISTINCT", "REDUCED"):
        kind, tok = next(toks, ("", ""))
    if tok != "*":
        return None
    return list(dict.fromkeys(t[1:] for k, t in toks if k == "var"))


@dataclass(frozen=True)
class Slip:
    """A common slip in a query's text, for an error message: what it is and where (line and
    column from 1, as pyoxigraph counts)."""

    what: str
    line: int
    column: int


#: every word SPARQL 1.1 (and 1.2, as pyoxigraph reads it) takes bare, outside IRIs, prefixed
#: names and strings: keywords and built-in functions (Query §19.8 and §17.4, Update §19)
KEYWORDS = frozenset(
    """BASE PREFIX VERSION SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE
    ORDER BY ASC DESC LIMIT OFFSET VALUES UNDEF GROUP HAVING OPTIONAL GRAPH SERVICE SILENT BIND
    MINUS FILTER UNION NOT IN EXISTS TRUE FALSE LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO
    INSERT DELETE DATA WITH USING DEFAULT ALL LATERAL STR LANG LANGMATCHES DATATYPE BOUND IRI
    URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS
    STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW
    UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI
    ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    SEPARATOR TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR STRLANGDIR HASLANG HASLANGDIR
    ADJUST""".split()  # noqa: SIM905 - as words, the list reads as the grammar lists them
)


def slips(text: str) -> list[Slip]:
    """The slips the parser reports only as the list of tokens it expected, in the order met:
    a string not closed ("a quote opened at 1:25"), a comma between selected variables (SQL's
    habit: `SELECT ?s, ?o`; SPARQL 1.1 Query §19.8 rule [9] separates them by spaces), an
    operator with nothing after it (`FILTER(?o = )`), a bare word that is no keyword, and a
    `{`, `(` or `[` still open where the text ends."""
    found: list[Slip] = []
    stack: list[tuple[str, int]] = []
    pairs = {"}": "{", ")": "(", "]": "["}
    projection = False
    depth = 0
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup or "punct", m.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "punct" and tok in ("'", '"'):
            found.append(Slip(f"the string opened here with {tok} is not closed", *_at(text, m)))
            return found  # the rest of the text is the string's, as the parser reads it
        if kind == "word" and tok != "a" and tok.upper() not in KEYWORDS:
            # a bare word SPARQL does not have: a misspelt keyword (`LIMT 10`), or a name
            # without its prefix (the parser names what it expected after it, not the word)
            near = process.extractOne(tok.upper(), sorted(KEYWORDS), scorer=fuzz.ratio)
            keyword = near[0] if near and near[1] >= 80 else None
            if keyword and tok.isupper():  # written as keywords are
                said = f"did you mean {keyword}?"
            elif keyword:
                said = f"{keyword} misspelt, or a name without its prefix (prefix:{tok})?"
            else:
                said = f"a name needs its prefix (prefix:{tok})"
            found.append(Slip(f"“{tok}” is not a word of SPARQL: {said}", *_at(text, m)))
        if tok in _BINARY and _next_significant(text, m.end()) in (")", "}", ",", "]", ""):
            what = "a condition" if tok in ("&&", "||") else "a value"
            said = f"{what} is missing after “{tok}”: {_OPERAND[what]}"
            found.append(Slip(said, *_at(text, m)))
        if kind == "word" and tok.upper() == "SELECT":
            projection = True
        elif (kind == "word" and tok.upper() in ("WHERE", "FROM")) or tok == "{":
            projection = False
        if projection and depth == 0 and tok == ",":
            where = _at(text, m)
            found.append(Slip("selected variables are separated by spaces, not commas", *where))
        if tok in ("{", "(", "["):
            stack.append((tok, m.start()))
            depth += tok == "("
        elif tok in pairs:
            if pairs[tok] not in (o for o, _ in stack):
                found.append(Slip(f"this {tok} closes nothing", *_at(text, m)))
                continue
            while stack[-1][0] != pairs[tok]:  # `FILTER(?o = 1 }`: the ( is left open
                opener, offset = stack.pop()
                depth -= opener == "("
                line, column = _at(text, m)
                said = f"this {opener} is not closed before the {tok} at {line}:{column}"
                found.append(Slip(said, *_line_column(text, offset)))
            stack.pop()
            depth -= tok == ")"
    closers = {v: k for k, v in pairs.items()}
    for opener, offset in stack:
        said = f"this {opener} is not closed: the query ends before its {closers[opener]}"
        found.append(Slip(said, *_line_column(text, offset)))
    return sorted(found + _short_triples(text), key=lambda slip: (slip.line, slip.column))


#: what a triple pattern still needs after its subject, a `;` or a `,` (SPARQL 1.1 Query §4.2)
_NEEDED = {
    3: "a triple pattern is a subject, a predicate and an object",
    2: "after “;” come a predicate and an object",
    1: "after “,” comes an object",
}


def _short_triples(text: str) -> list[Slip]:
    """Triple patterns of names and variables alone that end (at `.`, `;`, `,`, `}` or a
    keyword) with fewer terms than they need, `{ ?s ?p }`, which the parser reports as the
    keywords it expected ("expected one of LATERAL, SERVICE, [_]"), or with more, two
    patterns without the "." between them (`{ ?s a <X> ?s <y> ?n }`: "expected OPTIONAL",
    a researcher's trial). A pattern holding
    anything else (a literal, a path, a blank node, a list) is not judged, nor what follows a
    keyword until the next `{` (an expression, a projection, a VALUES block)."""
    found: list[Slip] = []
    run: list[re.Match[str]] = []  # the terms of the pattern being read
    need, simple, level = 3, True, 0
    skip: int | None = None  # reading no patterns: after a keyword, or in a VALUES block
    values = False

    def judge() -> None:
        if not (level and skip is None and simple and run and len(run) != need):
            return
        terms = " ".join(m.group() for m in run)
        if len(run) < need:
            said = f"this pattern has {len(run)} of {need} terms ({terms}): {_NEEDED[need]}"
            found.append(Slip(said, *_at(text, run[0])))
        else:  # `?s a <X> ?s <name> ?n`: two patterns with no "." between them
            after = " ".join(m.group() for m in run[:need])
            said = f"a “.” is missing after “{after}”: triple patterns are separated by “.”"
            found.append(Slip(said, *_at(text, run[need])))

    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup or "punct", m.group()
        if kind in ("ws", "comment"):
            continue
        if tok == "{":
            level += 1
            skip = level if values else None  # a VALUES block holds data, not patterns
            values = False
            run, need, simple = [], 3, True
        elif tok in ("}", ".", ";", ","):
            judge()
            if tok == "}":
                skip = None if skip == level else skip
                level -= 1
            elif tok == "." and skip == -1:  # `FILTER(…) .`: patterns follow
                skip = None
            run, simple = [], True
            need = {";": 2, ",": 1}.get(tok, 3)
        elif kind == "word" and tok != "a" and tok.upper() in KEYWORDS - {"TRUE", "FALSE"}:
            judge()
            run, need, simple = [], 3, True
            values = tok.upper() == "VALUES"
            skip = skip if skip is not None else -1  # until the next `{`
        elif skip is None:
            if kind in ("var", "iri", "pname") or tok == "a":
                run.append(m)
            else:
                simple = False
    return found


#: the operators that take an operand after them (SPARQL 1.1 Query §17.3 and §9.1: `*`, `+`
#: and `?` close a path element, and `*` is `SELECT *` and `COUNT(*)`, so they are left out)
_BINARY = frozenset({"=", "!=", "<", ">", "<=", ">=", "&&", "||", "/"})
_OPERAND = {
    "a value": "give a variable, a literal, an IRI or a function call",
    "a condition": "give an expression, or remove the operator",
}


def _next_significant(text: str, offset: int) -> str:
    """The first significant token at or after `offset` ("" when the text ends first)."""
    for m in _TOKEN.finditer(text, offset):
        if (m.lastgroup or "punct") not in ("ws", "comment"):
            return m.group()
    return ""


def rebound(text: str) -> Slip | None:
    """The first `BIND(… AS ?x)` naming a variable its group already used before it (in a
    pattern, or in a group inside it), which SPARQL 1.1 Query refuses (§18.2.1, the grammar's
    note 12) and pyoxigraph reports only as "expected [_]". A nested `SELECT`'s unprojected
    variables count as used: read only once the parser has refused the query."""
    groups: list[set[str]] = [set()]
    before = ""
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup or "punct", m.group()
        if kind in ("ws", "comment"):
            continue
        if tok == "{":
            groups.append(set())
        elif tok == "}" and len(groups) > 1:
            inner = groups.pop()
            groups[-1] |= inner  # a group's variables are in scope after it
        elif kind == "var":
            name = tok[1:]
            if before.upper() == "AS" and len(groups) > 1 and name in groups[-1]:
                said = (
                    f"{tok} is already bound where this BIND binds it again: a BIND must name "
                    "a variable not used before it in its group (SPARQL 1.1 Query §18.2.1); "
                    f"choose another name, such as {tok}2"
                )
                return Slip(said, *_at(text, m))
            groups[-1].add(name)
        before = tok
    return None


def _at(text: str, m: re.Match[str]) -> tuple[int, int]:
    return _line_column(text, m.start())


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return before.count("\n") + 1, offset - line_start + 1
