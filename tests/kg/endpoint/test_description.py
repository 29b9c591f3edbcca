"""The SPARQL 1.1 Service Description of the endpoint."""

import pyoxigraph as ox

from kg.endpoint.description import render

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
