"""The SPARQL 1.1 Service Description of the endpoint."""

import pyoxigraph as ox

from kg.endpoint.description import limits_note, render

SD = "http://www.w3.org/ns/sparql-service-description#"
ENDPOINT = "http://x/sparql"


def described(media: str, *, updates: bool) -> ox.Store:
    store = ox.Store()
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None
    store.load(render(ENDPOINT, "http://x/.well-known/void", media, updates=updates), fmt)
    return store


def languages(store: ox.Store) -> set[str]:
    return {
        q.object.value
        for q in store.quads_for_pattern(
            ox.NamedNode(ENDPOINT), ox.NamedNode(f"{SD}supportedLanguage"), None
        )
    }


def test_updates_are_announced_only_with_an_admin_token() -> None:
    assert languages(described("text/turtle", updates=False)) == {f"{SD}SPARQL11Query"}
    assert languages(described("text/turtle", updates=True)) == {
        f"{SD}SPARQL11Query",
        f"{SD}SPARQL11Update",
    }


def test_every_rdf_format_says_the_same() -> None:
    turtle = described("text/turtle", updates=False)
    for media in ("application/n-triples", "application/rdf+xml", "application/ld+json"):
        assert len(described(media, updates=False)) == len(turtle), media
    features = turtle.quads_for_pattern(None, ox.NamedNode(f"{SD}feature"), None)
    assert [q.object.value for q in features] == [f"{SD}UnionDefaultGraph"]


def test_the_row_cap_and_the_time_limit_are_described() -> None:
    """A harvester trial found the 10,000-row cap only on the query editor's page."""
    note = limits_note(10_000, 10.0)
    turtle = render(ENDPOINT, "http://x/void", "text/turtle", updates=False, limits=note)
    store = ox.Store()
    store.load(turtle, ox.RdfFormat.TURTLE)
    comments = [
        q.object.value
        for q in store.quads_for_pattern(
            ox.NamedNode(ENDPOINT),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
            None,
        )
    ]
    assert comments == [note]
    assert "10,000 rows" in note
    assert "10 seconds" in note
