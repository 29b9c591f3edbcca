"""Content negotiation by `Accept` with quality values (RFC 9110 §12.5.1)."""

from web.negotiation import HTML, choose, extension_for, parse_accept

RDF = ["text/turtle", "application/ld+json"]


def test_q_values_order_the_ranges_and_bad_ones_count_as_zero() -> None:
    assert parse_accept("text/html;q=0.5, application/json, text/*;q=x") == [
        ("application/json", 1.0),
        ("text/html", 0.5),
        ("text/*", 0.0),
    ]
    assert parse_accept(None) == [("*/*", 1.0)]


def test_the_client_preference_wins_and_server_order_breaks_ties() -> None:
    assert choose("application/ld+json, text/turtle;q=0.9", RDF) == "application/ld+json"
    assert choose("*/*", RDF) == "text/turtle"
    assert choose("text/*;q=0.2, application/*;q=0.8", RDF) == "application/ld+json"


def test_a_specific_range_overrides_a_wildcard_and_q0_refuses() -> None:
    assert choose("text/*, text/turtle;q=0", RDF) is None
    assert choose("image/png", RDF) is None
    assert choose("text/html, */*;q=0.1", [*RDF, HTML]) == HTML


def test_extensions_of_data_documents() -> None:
    assert extension_for("application/n-triples") == "nt"
    assert extension_for("text/html") is None
