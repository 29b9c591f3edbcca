"""kg.formats: the one media-type table and RFC 9110 §12.5.1 negotiation."""

import json
import random

import pyoxigraph as ox
import pytest

from kg import formats
from kg.errors import NotAcceptable
from kg.formats import (
    CSV,
    GRAPH_FORMATS,
    HTML,
    JSON_LD,
    N3,
    N_TRIPLES,
    RESULT_FORMATS,
    SPARQL_JSON,
    SPARQL_XML,
    TURTLE,
    compact_json_ld,
)

S = "http://schema.org/"


def pick(accept: str | None, offered: tuple[formats.Format, ...]) -> tuple[str, str] | None:
    choice = formats.negotiate(accept, offered)
    return (choice.format.media, choice.media) if choice else None


def test_q_zero_is_never_chosen_and_the_most_specific_range_decides() -> None:
    accept = (
        "application/*;q=0.5, application/sparql-results+json;q=0, "
        "application/sparql-results+xml;q=0, text/csv;q=0.4"
    )
    assert pick(accept, RESULT_FORMATS) == (CSV.media, CSV.media)
    graphs = "text/*;q=0.9, text/turtle;q=0, application/ld+json;q=0.5"
    assert pick(graphs, GRAPH_FORMATS) == (N3.media, N3.media)
    assert pick("text/turtle;q=0, application/ld+json;q=0.5", GRAPH_FORMATS) == (
        JSON_LD.media,
        JSON_LD.media,
    )
    assert pick("*/*;q=0", RESULT_FORMATS) is None
    assert pick("image/png", RESULT_FORMATS) is None


def test_server_order_breaks_ties_and_no_header_accepts_anything() -> None:
    assert pick(None, RESULT_FORMATS) == (SPARQL_JSON.media, SPARQL_JSON.media)
    assert pick("", GRAPH_FORMATS) == (TURTLE.media, TURTLE.media)
    assert pick("*/*", (HTML, *RESULT_FORMATS)) == (HTML.media, HTML.media)
    assert pick("text/csv, application/sparql-results+xml", RESULT_FORMATS) == (
        SPARQL_XML.media,
        SPARQL_XML.media,
    )


def test_synonyms_count_only_when_named_and_are_sent_as_named() -> None:
    assert pick("text/plain", GRAPH_FORMATS) == (N_TRIPLES.media, "text/plain")
    assert pick("text/*", (N_TRIPLES,)) is None  # text/plain only through a wildcard
    assert pick("application/json", RESULT_FORMATS) == (SPARQL_JSON.media, "application/json")
    refused = "application/sparql-results+json;q=0, application/json"
    assert pick(refused, (SPARQL_JSON,)) is None
    # the format's own type wins when the client accepts it as well
    both = "application/json, application/sparql-results+json;q=0.5"
    assert pick(both, (SPARQL_JSON,)) == (SPARQL_JSON.media, "application/json")
    assert pick("application/sparql-results+json, application/json", (SPARQL_JSON,)) == (
        SPARQL_JSON.media,
        SPARQL_JSON.media,
    )


def test_malformed_q_values_make_a_range_unacceptable() -> None:
    assert pick("text/csv;q=high", (CSV,)) is None
    assert formats.parse_accept("text/csv;q=2") == [("text/csv", 1.0)]


def test_lookups_by_name_extension_and_media() -> None:
    assert formats.by_name("json", RESULT_FORMATS) is SPARQL_JSON
    assert formats.by_name("json", GRAPH_FORMATS) is JSON_LD
    assert formats.by_name("application/n-quads", GRAPH_FORMATS) is formats.N_QUADS
    assert formats.by_extension("ttl") is TURTLE
    assert formats.by_media("text/turtle; charset=utf-8") is TURTLE
    assert formats.by_media("application/json") is formats.JSON


def test_xml_refuses_characters_xml_cannot_carry() -> None:
    assert formats.xml_illegal("tab\tnewline\ncr\r") is None
    assert formats.xml_illegal("bell\x07") == "\x07"
    assert formats.xml_illegal("\ufffe") == "\ufffe"
    with pytest.raises(NotAcceptable, match="U\\+000C"):
        formats.check_xml_text("form\x0cfeed", SPARQL_XML)


def test_a_json_ld_document_is_the_same_bytes_whatever_the_order_of_its_triples() -> None:
    """Two server processes wrote the same record in two orders, so its ETag flipped and a
    revalidation got 200 instead of 304 (a trial)."""
    s, name, kind = (
        ox.NamedNode("https://x.org/id/a"),
        ox.NamedNode(f"{S}name"),
        ox.NamedNode(f"{S}keywords"),
    )
    triples = [
        ox.Triple(s, name, ox.Literal(n, language=lang))
        for n, lang in [("A", "en"), ("Á", "es"), ("Ä", "de")]
    ]
    triples += [ox.Triple(s, kind, ox.Literal(str(i))) for i in range(12)]
    triples += [
        ox.Triple(ox.NamedNode(f"https://x.org/id/b{i}"), name, ox.Literal("b")) for i in range(5)
    ]
    prefixes = {"schema": S}
    first = compact_json_ld(triples, prefixes)
    for seed in range(5):
        shuffled = list(triples)
        random.Random(seed).shuffle(shuffled)
        assert compact_json_ld(shuffled, prefixes) == first
    back = set(ox.parse(first, ox.RdfFormat.JSON_LD))
    assert {(q.subject, q.predicate, q.object) for q in back} == {
        (t.subject, t.predicate, t.object) for t in triples
    }


def test_a_data_document_is_written_with_the_sites_prefixes_except_in_n_triples() -> None:
    name = ox.NamedNode(f"{S}name")
    triples = [ox.Triple(ox.NamedNode("https://example.org/x"), name, ox.Literal("X"))]
    turtle = formats.serialize_document(triples, TURTLE).decode()
    assert "@prefix schema:" in turtle
    assert "schema:name" in turtle
    assert f"<{S}name>" in formats.serialize_document(triples, N_TRIPLES).decode()
    assert "@prefix" not in formats.serialize_document(triples, N_TRIPLES).decode()
    document = json.loads(formats.serialize_document(triples, JSON_LD))
    assert document["@context"]["schema"] == S
    assert (document["@id"], document["schema:name"]) == ("https://example.org/x", "X")
