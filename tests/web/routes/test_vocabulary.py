"""`/ns`, where the `rikg:` namespace resolves: the vocabulary for people and for software."""

import gzip
import json
import re

import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from kg.settings import PROJECT_ROOT
from kg.vocab import RIKG_NS
from tests.web.conftest import BASE

OWN = PROJECT_ROOT / "ontology" / "rikg.ttl"
TERM = re.compile(re.escape(RIKG_NS) + r"([A-Za-z]+)")


def anchors(client: TestClient) -> set[str]:
    return set(re.findall(r'<section class="term" id="([^"]+)">', client.get("/ns").text))


def test_every_term_has_its_anchor_on_the_page(client: TestClient) -> None:
    """A term's IRI is the namespace plus `#name`, so the page must hold an anchor per term
    for the IRI to land on its description."""
    own = rdflib.Graph().parse(OWN)
    defined = {str(s).removeprefix(RIKG_NS) for s in own.subjects() if str(s).startswith(RIKG_NS)}
    assert anchors(client) == defined


def test_every_rikg_term_the_site_uses_is_described(client: TestClient) -> None:
    """The graph's statements, its VoID description and the endpoint's service description
    use no `rikg:` term that `/ns` leaves undescribed (`rikg:distinctTriples` and the
    `rikg:similarity` function were)."""
    used = set()
    rows = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?p ?c WHERE { ?s ?p ?o OPTIONAL { ?s a ?c } }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    for row in rows:
        used |= {TERM.match(v["value"]) for v in row.values()} - {None}  # type: ignore[arg-type]
    for path, accept in (
        ("/.well-known/void", "application/n-triples"),
        ("/sparql", "application/n-triples"),
    ):
        r = client.get(path, headers={"Accept": accept})
        assert r.status_code == 200, path
        used |= set(TERM.finditer(r.text))
    names = {m.group(1) for m in used if m is not None}
    assert {"Initiative", "coordinator", "distinctTriples", "similarity"} <= names
    assert names <= anchors(client)


def test_a_browser_gets_the_page_in_its_language(client: TestClient) -> None:
    r = client.get("/ns", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    assert '<h2 id="classes">Klassen</h2>' in r.text
    assert 'href="http://schema.org/Project"><code>schema:Project</code>' in r.text
    assert 'href="#Initiative"><code>rikg:Initiative</code>' in r.text  # a domain of ours
    for ext in ("ttl", "nt", "jsonld", "rdf"):
        assert f'href="/ns.{ext}"' in r.text


def test_software_gets_the_statements_in_the_format_it_asks_for(client: TestClient) -> None:
    own = rdflib.Graph().parse(OWN)
    for accept, fmt, ext in (
        ("text/turtle", "turtle", "ttl"),
        ("application/ld+json", "json-ld", "jsonld"),
        ("application/rdf+xml", "xml", "rdf"),
        ("application/n-triples", "nt", "nt"),
    ):
        r = client.get("/ns", headers={"Accept": accept})
        assert r.status_code == 200, accept
        assert r.headers["content-type"].startswith(accept)
        assert r.headers["content-location"] == f"/ns.{ext}"
        assert "Accept" in r.headers["vary"]
        assert isomorphic(rdflib.Graph().parse(data=r.content, format=fmt), own), accept
        named = client.get(f"/ns.{ext}")
        assert named.content == r.content
    assert "@context" in json.loads(client.get("/ns.jsonld").content)


def test_unknown_formats_are_refused_clearly(client: TestClient) -> None:
    r = client.get("/ns", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.text
    assert client.get("/ns.xyz").status_code == 404


def test_head_and_conditional_requests(client: TestClient) -> None:
    got = client.get("/ns", headers={"Accept": "text/turtle"})
    head = client.head("/ns", headers={"Accept": "text/turtle"})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == got.headers["etag"]
    again = client.get(
        "/ns", headers={"Accept": "text/turtle", "If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304


def test_the_data_page_leads_to_the_vocabulary(client: TestClient) -> None:
    assert 'href="/ns"' in client.get("/data/", headers={"Accept": "text/html"}).text


def test_english_labels_on_another_languages_page_say_they_are_english(
    client: TestClient,
) -> None:
    """A trial read the German page's English headings and labels unmarked: a screen reader
    would speak them as German."""
    page = client.get("/ns?lang=de", headers={"Accept": "text/html"}).text
    assert '<h1 lang="en">Rural Integration Knowledge Graph ontology</h1>' in page
    assert '<p lang="en">The organisation that leads the initiative.</p>' in page  # a comment
    assert '<span class="muted">Initiative</span>' in page  # German has its own label
    # every term is labelled in the five languages (a researcher's trial found 30 of 37 in
    # English alone on the German page)
    assert '<span class="muted">Koordinator</span>' in page
    assert '<span class="muted" lang="en">' not in page


def test_the_shapes_every_record_is_checked_against_are_published(client: TestClient) -> None:
    """A researcher's trial found no address for the SHACL shapes (`/shapes`, `/ns/shapes`,
    SPARQL: none): they are a named graph of the store beside the ontology, linked from
    `/ns`, and their IRI leads to them in the format asked for."""
    page = client.get("/ns", headers={"Accept": "text/html"}).text
    assert '<a href="/graph/ontology/shapes">SHACL shapes</a>' in page
    moved = client.get("/graph/ontology/shapes", headers={"Accept": "text/turtle"})
    assert moved.status_code == 303
    r = client.get(moved.headers["location"], headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    shapes = rdflib.Graph().parse(data=r.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targets = set(shapes.objects(None, sh.targetClass))
    assert rdflib.URIRef("https://w3id.org/rikg/ns#Initiative") in targets


def test_a_harvester_validates_records_with_the_published_shapes(client: TestClient) -> None:
    """What the shapes are published for: a harvester fetches them from the site (the shapes'
    namespace `/shapes`) and runs pySHACL on the graph's dump; it conforms, and the same
    dump with a record's name taken out does not, with the shapes' message. Their blank
    nodes are named by skolem IRIs, each resolving to the graph."""
    from pyshacl import validate

    located = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert located.status_code == 303
    shapes = rdflib.Graph().parse(
        data=client.get(located.headers["location"], headers={"Accept": "text/turtle"}).text,
        format="turtle",
    )
    assert not any(isinstance(t, rdflib.BNode) for triple in shapes for t in triple)
    dump = client.get("/data/rikg.ttl.gz")
    assert dump.status_code == 200
    data = rdflib.Graph().parse(data=gzip.decompress(dump.content), format="turtle")
    conforms, _, report = validate(data, shacl_graph=shapes)
    assert conforms, report
    matilde = rdflib.URIRef(f"{BASE}id/initiative/village-welcome")
    data.remove((matilde, rdflib.URIRef("http://schema.org/name"), None))
    conforms, _, report = validate(data, shacl_graph=shapes)
    assert not conforms
    assert "needs a name" in report
    skolem = next(str(s) for s in shapes.subjects() if "/.well-known/genid/shapes/" in str(s))
    node = client.get(skolem.removeprefix(BASE.rstrip("/")))
    assert node.status_code == 303
    assert node.headers["location"] == located.headers["location"]
    assert client.get("/.well-known/genid/shapes/nothing").status_code == 404


def test_a_browser_reads_the_shapes_as_text(client: TestClient) -> None:
    """A trial's browser followed `/ns`'s link to the shapes and got RDF/XML, which Chromium
    shows as an unstyled XML tree: a browser is led to their Turtle document, which it shows
    as text; software still gets the graph in the format it asks for."""
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    for path in ("/shapes", "/graph/ontology/shapes"):
        r = client.get(path, headers=browser)
        assert (r.status_code, r.headers["location"]) == (303, "/shapes.ttl"), path
    document = client.get("/shapes.ttl", headers=browser)
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("text/turtle")
    graph = client.get("/shapes", headers={"Accept": "application/n-triples"})
    assert graph.headers["location"].startswith("/rdf-graphs?graph=")
    same = client.get(graph.headers["location"], headers={"Accept": "application/n-triples"})
    assert isomorphic(
        rdflib.Graph().parse(data=document.text, format="turtle"),
        rdflib.Graph().parse(data=same.text, format="nt"),
    )
    assert client.get("/shapes.xyz").status_code == 404
