"""Running SPARQL on the store: predeclared prefixes, union default graph, clear syntax errors."""

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.sparql import run_query

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
    with pytest.raises(QuerySyntaxError, match=r"error at 1:27: expected one of"):
        run_query(ox.Store(), "SELECT * WHERE { ?s ?p ?o ")  # other errors: the parser's own
