"""kg.sparql_syntax: keywords only where the grammar has them."""

import pytest

from kg.sparql_syntax import (
    dataset_clauses,
    shape,
    star_variables,
    tokens,
    undeclared_prefixes,
    ungrouped_variables,
)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX ask: <http://e/> SELECT * { ?s ask:x ?o }", "SELECT"),
        ("PREFIX select: <http://e/> ASK { ?s select: ?o }", "ASK"),
        ("BASE <http://e/> PREFIX load: <l#> CONSTRUCT WHERE { ?s load:p ?o }", "CONSTRUCT"),
        ("# SELECT\nDESCRIBE <http://e/x>", "DESCRIBE"),
        ("PREFIX e: <http://e/> INSERT DATA { e:a e:b e:c }", "UPDATE"),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ('VERSION "1.2" CONSTRUCT WHERE { ?s ?p ?o }', "CONSTRUCT"),
        ("?x", ""),
    ],
)
def test_form_comes_after_the_prologue(text: str, form: str) -> None:
    assert shape(text).form == form


def test_keywords_skip_strings_iris_comments_variables_and_prefixed_names() -> None:
    text = (
        'PREFIX service: <http://e/SERVICE> SELECT ?load WHERE { ?load service:from "SERVICE" . '
        "?s <http://e/LOAD> 'FROM' } # SERVICE FROM"
    )
    info = shape(text)
    assert not info.keywords & {"SERVICE", "LOAD", "FROM"}
    assert info.has_dataset is False
    assert "SERVICE" in shape("SELECT * { service <http://x/> { } }").keywords
    assert shape("SELECT * FROM NAMED <http://g> { }").has_dataset is True


def test_depth_counts_only_real_brackets() -> None:
    assert shape('SELECT * { BIND("{{{{((((" AS ?x) }').depth == 2
    assert shape("SELECT * { { { ?s ?p ?o } } }").depth == 3
    assert shape("SELECT * { ?s ?p << ?a ?b ?c >> }").depth == 2


def test_tokens_of_a_triple_term_and_long_string() -> None:
    kinds = [t.kind for t in tokens('<<( <http://e/s> ?p """a "b" c""" )>>')]
    assert kinds == ["punct", "iri", "var", "string", "punct"]


def test_dataset_clauses_resolve_iris_and_prefixed_names() -> None:
    text = (
        "PREFIX g: <http://e/g/> SELECT * FROM <http://e/g/a> FROM g:a FROM NAMED sch:b "
        "# FROM <http://e/not>\nWHERE { ?s ?p 'FROM <http://e/no>' }"
    )
    assert dataset_clauses(text, {"sch": "http://s/"}) == (
        ["http://e/g/a", "http://e/g/a"],
        ["http://s/b"],
    )


@pytest.mark.parametrize(
    "text",
    [
        "BASE <http://e/> SELECT * FROM <g> WHERE { ?s ?p ?o }",
        "SELECT * FROM <relative> WHERE { ?s ?p ?o }",
        "SELECT * FROM nope:g WHERE { ?s ?p ?o }",
    ],
)
def test_dataset_clauses_left_to_the_parser_when_unresolvable(text: str) -> None:
    assert dataset_clauses(text, {}) is None


@pytest.mark.parametrize(
    ("text", "repeatable"),
    [
        ("SELECT (RAND() AS ?r) {}", False),
        ("SELECT * { ?s ?p ?o } ORDER BY rand()", False),
        ("SELECT (NOW() AS ?t) {}", False),
        ("SELECT (UUID() AS ?u) (STRUUID() AS ?s) {}", False),
        ("SELECT ?rand ?now { ?rand <http://e/p> ?now }", True),  # variables
        ('SELECT * { ?s ?p "RAND() NOW()" } # UUID()', True),  # a string and a comment
        ("PREFIX ex: <http://e/> SELECT * { ?s ex:now ex:rand }", True),  # prefixed names
        ("SELECT (BNODE() AS ?b) {}", True),  # a blank node's label is the answer's own
    ],
)
def test_a_query_calling_a_function_new_each_run_is_not_repeatable(
    text: str, repeatable: bool
) -> None:
    assert shape(text).repeatable is repeatable


def test_undeclared_prefixes_are_those_no_prefix_line_declares() -> None:
    text = (
        'PREFIX ex: <http://e/> SELECT * { ?s ex:p foaf:name ; dc:title "not:this" } # no:pe\n'
        "ORDER BY ?s"
    )
    assert undeclared_prefixes(text, {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}) == [
        "foaf",
        "dc",
    ]
    assert undeclared_prefixes("SELECT * { ?s rdfs:label ?l }", {"rdfs": "x"}) == []


@pytest.mark.parametrize(
    ("query", "bare"),
    [
        ("SELECT ?i ?name (COUNT(?t) AS ?n) WHERE { ?i ?p ?name } GROUP BY ?i", ["?name"]),
        ("SELECT ?name (COUNT(*) AS ?n) WHERE { ?i ?p ?name }", ["?name"]),  # implicit group
        ("SELECT ?i ?n WHERE { ?i ?p ?n } GROUP BY ?i LIMIT 3", ["?n"]),
        ("SELECT ?i ?y WHERE { ?i ?p ?y } GROUP BY ?i ?y HAVING (COUNT(*) > 1)", []),
        ("SELECT ?i ?l WHERE { ?i ?p ?l } GROUP BY ?i (STR(?l) AS ?l)", []),  # a key `AS ?l`
        ("SELECT ?i ?l { { SELECT ?i { ?i ?p ?o } GROUP BY ?i } ?i ?q ?l }", []),  # inner only
        ("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", []),
        ("SELECT ?x WHERE { ?s ?p ?o }", []),  # no grouping
    ],
)
def test_ungrouped_variables_are_the_bare_selected_ones_not_grouped(
    query: str, bare: list[str]
) -> None:
    assert ungrouped_variables(query) == bare


def test_star_variables_are_listed_as_the_query_names_them() -> None:
    query = (
        'PREFIX x: <http://a/?b> SELECT DISTINCT * { ?zeta x:p "?no" . ?mid <http://x?y> $zeta }'
    )
    assert star_variables(query) == ["zeta", "mid"]
    assert star_variables("BASE <http://x/> select * { ?q ?r ?s }") == ["q", "r", "s"]
    assert star_variables("SELECT ?a WHERE { ?b ?a ?c }") is None
    assert star_variables("ASK { ?a ?b ?c }") is None
    assert star_variables("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }") is None
