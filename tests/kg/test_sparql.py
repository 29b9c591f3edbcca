"""Running SPARQL on the store: predeclared prefixes, union default graph, clear syntax errors."""

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.sparql import run_query
from kg.sparql_syntax import slips

NQ = (
    b'<http://x/a> <http://schema.org/name> "A" <http://x/g1> .\n'
    b'<http://x/b> <http://schema.org/name> "B" <http://x/g2> .\n'
)


def store() -> ox.Store:
    s = ox.Store()
    s.load(NQ, ox.RdfFormat.N_QUADS)
    return s


def names(result: object) -> list[str]:
    return sorted(sol["n"].value for sol in result)  # type: ignore[attr-defined]


def test_the_default_graph_is_the_union_and_prefixes_are_predeclared() -> None:
    assert names(run_query(store(), "SELECT ?n WHERE { ?s schema:name ?n }")) == ["A", "B"]


def test_a_given_default_graph_narrows_the_query() -> None:
    result = run_query(
        store(), "SELECT ?n WHERE { ?s schema:name ?n }", default_graphs=["http://x/g2"]
    )
    assert names(result) == ["B"]


def test_relative_iris_resolve_against_the_given_base_unless_the_query_has_one() -> None:
    """SPARQL 1.1 Query §4.1.1.2: a relative IRI needs a base; the endpoint's own is the
    default (RFC 3986 §5.1.4), a BASE in the query wins, and without either it is an error."""
    query = "SELECT ?n WHERE { <a> schema:name ?n }"
    assert names(run_query(store(), query, base_iri="http://x/")) == ["A"]
    own = "BASE <http://x/b> " + query.replace("<a>", "<b>")
    assert names(run_query(store(), own, base_iri="http://elsewhere/")) == ["B"]
    with pytest.raises(QuerySyntaxError):
        run_query(store(), query)


def test_a_syntax_error_says_where() -> None:
    with pytest.raises(QuerySyntaxError, match=r"error at 1:\d+"):
        run_query(store(), "SELECT ?n WHERE { ?s schema:name }")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("", "the query is empty"),
        ("  # only a comment\n", "the query is empty"),
        ("SELEC ?x WHERE { ?x ?p ?o }", "starts with SELECT, ASK, CONSTRUCT or DESCRIBE"),
        ("PREFIX ex: <http://e/> BASE <http://b/> SLECT * {}", "not “SLECT”"),
        ('VERSION "1.2" SELEC * {}', "not “SELEC”"),
        ("{ ?s ?p ?o }", "error at 1:1: a query starts with .*, not “{”"),
        ("PREFIX ex: <http://e/>\n\n  SELEC * {}", "error at 3:3: "),
    ],
)
def test_an_empty_query_or_a_misspelt_form_is_said_plainly(query: str, said: str) -> None:
    """A researcher's trial read "expected [_]" for an empty query and "expected CONSTRUCT" for
    `SELEC ?x …`: the parser's list of what it could read next, not what is wrong, and where
    it stopped reading (the end of the query), not where the wrong word is."""
    with pytest.raises(QuerySyntaxError, match=said):
        run_query(store(), query)


def test_a_graph_named_twice_counts_once() -> None:
    query = "SELECT ?n FROM <http://x/g1> FROM <http://x/g1> WHERE { ?s schema:name ?n }"
    assert names(run_query(store(), query)) == ["A"]
    given = run_query(
        store(), "SELECT ?n WHERE { ?s schema:name ?n }", default_graphs=["http://x/g1"] * 2
    )
    assert names(given) == ["A"]


def test_an_undeclared_prefix_is_named_with_how_to_declare_it() -> None:
    """The parser reports it as every character a name may hold ("expected one of Prefix not
    found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …"): a researcher could not read it."""
    with pytest.raises(QuerySyntaxError) as refused:
        run_query(ox.Store(), "SELECT * WHERE { ?s foaf:name ?n ; ex:knows ?k }")
    assert str(refused.value) == (
        "SPARQL syntax error: error at 1:30: prefixes foaf:, ex: are not declared (this "
        "endpoint declares dcterms:, owl:, prov:, rdf:, rdfs:, rikg:, schema:, sh:, skos:, "
        "xsd:); declare each with a PREFIX line before the query, for example "
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>"
    )
    with pytest.raises(QuerySyntaxError, match=r"error at 1:37: expected BY"):
        run_query(ox.Store(), "SELECT * WHERE { ?s ?p ?o } GROUP ?s")  # others: the parser's


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * WHERE { ?s ?p ?o ", "error at 1:16: this { is not closed: the query ends"),
        ("SELECT ?s, ?o { ?s ?p ?o }", "error at 1:10: selected variables are separated by spaces"),
        ('SELECT * { ?s ?p "open }', 'error at 1:18: the string opened here with " is not closed'),
        ("SELECT * {\n  ?s ?p ?o FILTER(?o = 1 }", r"error at 2:18: this \( is not closed before"),
        ("SELECT * { ?s ?p ?o } }", "error at 1:23: this } closes nothing"),
        # a misspelt keyword: the parser stopped after it, listing what may follow a pattern
        (
            "SELECT * { ?s ?p ?o } LIMT 10",
            "error at 1:23: “LIMT” is not a word of SPARQL: did you mean LIMIT\\?",
        ),
        # an operator with nothing after it: the parser listed every function it knows
        (
            "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }",
            "error at 1:37: a value is missing after “=”: give a variable, a literal",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o FILTER(?o > 1 && ) }",
            "error at 1:41: a condition is missing after “&&”",
        ),
        # a triple pattern short of a term: the parser listed keywords
        (
            "SELECT ?s WHERE { ?s ?p }",
            r"error at 1:19: this pattern has 2 of 3 terms \(\?s \?p\): a triple pattern is a "
            "subject, a predicate and an object",
        ),
        (
            "SELECT * WHERE {\n  ?s ?p ?o ;\n     ?q .\n}",
            r"error at 3:6: this pattern has 1 of 2 terms \(\?q\): after “;” come a predicate",
        ),
        # two patterns without the "." between them: the parser said "expected OPTIONAL"
        (
            "SELECT ?s WHERE { ?s a <http://x/P> ?s <http://x/name> ?n }",
            "error at 1:37: a “.” is missing after “\\?s a <http://x/P>”: triple patterns are "
            "separated by “.”",
        ),
        # a name ending a pattern with no space before its "." is the name and the end
        # (PN_LOCAL does not end in "."): the slip said is the real one, not a missing "."
        (
            "PREFIX s: <http://s/> SELECT * { ?x a s:Thing. ?x s:name ?n . FILTER(?n = ) }",
            "error at 1:73: a value is missing after “=”",
        ),
        # a variable bound twice: the parser said "expected [_]"
        (
            "SELECT * WHERE {\n  BIND(1 AS ?x)\n  BIND(2 AS ?x)\n}",
            r"error at 3:13: \?x is already bound where this BIND binds it again: a BIND must "
            r"name a variable not used before it in its group",
        ),
        (
            "SELECT * { ?s name ?o }",
            "error at 1:15: “name” is not a word of SPARQL: NAMED "
            "misspelt, or a name without its prefix \\(prefix:name\\)\\?",
        ),
    ],
)
def test_a_common_slip_is_said_where_it_is(query: str, said: str) -> None:
    """A researcher's trial read `expected one of ",", ".", ";", "{", "{|", "}", "~", [_]` for a
    query whose `{` was never closed, and "expected DISTINCT" for `SELECT ?s, ?o`: what the
    parser could read at the place it stopped (the end), not the slip and where it is."""
    with pytest.raises(QuerySyntaxError, match=said):
        run_query(ox.Store(), query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s (rdf:type+)/rdfs:label ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o != <http://example.org/x>) }",
        "SELECT * WHERE { VALUES ?s { rdf:a rdf:b } ?s ?p ?o FILTER(?o) . ?o ?q ?r }",
        "SELECT * WHERE { VALUES (?a ?b) { (1 2) } ?s ?p ?a ; ?q ?b , ?s }",
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2 } }",
        "SELECT * WHERE { GRAPH ?g { ?s a ?t } OPTIONAL { ?s rdfs:label ?l } }",
        "SELECT * WHERE { ?s ?p [ rdfs:label ?l ] . ?s ?p (1 2) }",
    ],
)
def test_operators_in_their_place_are_no_slip(query: str) -> None:
    """`*`, `+` and `/` closing a path or an aggregate's parentheses are no missing value."""
    assert slips(query) == []
    run_query(store(), query)


def test_a_selected_variable_neither_grouped_nor_aggregated_is_named() -> None:
    """The parser reports it among every token it expected, as "a variable that is unbound"
    at the end of the query; a researcher read that as a typo somewhere (a trial)."""
    query = (
        "SELECT ?i ?name (COUNT(?t) AS ?n)\n"
        "WHERE { ?i schema:name ?name ; schema:about ?t }\nGROUP BY ?i"
    )
    with pytest.raises(QuerySyntaxError) as refused:
        run_query(store(), query)
    said = str(refused.value)
    assert said.startswith(
        "SPARQL syntax error: error at 3:12: ?name is selected but neither grouped nor "
        "aggregated: in a query with GROUP BY or an aggregate"
    )
    assert "add ?name to GROUP BY, or select an aggregate of it such as (SAMPLE(?name)" in said
    assert "expected one of" not in said
    implicit = "SELECT ?name (COUNT(?s) AS ?n) WHERE { ?s schema:name ?name }"
    with pytest.raises(QuerySyntaxError, match=r"\?name is selected but neither grouped"):
        run_query(store(), implicit)  # an aggregate without GROUP BY groups all in one


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", "SELECT * cannot be used with GROUP BY"),
        (
            "SELECT (COUNT(?o) AS ?s) WHERE { ?s ?p ?o } GROUP BY ?s",
            "a (… AS ?v) in the SELECT names a variable the query already binds",
        ),
    ],
)
def test_a_broken_rule_of_the_language_is_said_alone(query: str, said: str) -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        run_query(store(), query)
    assert said in str(refused.value)
    assert "expected one of" not in str(refused.value)
