"""Issue 6 against the live server: outside RDF tools follow the 303 and parse each format."""

import shutil
import subprocess
from collections.abc import Iterator

import extruct
import httpx
import pytest
from rdflib import OWL, Graph, Literal, URIRef

from bench.live import LiveServer, live_server
from kg.vocab import SCHEMA

pytestmark = pytest.mark.e2e
FORMATS = {
    "text/turtle": ("turtle", "turtle"),
    "application/n-triples": ("ntriples", "nt"),
    "application/rdf+xml": ("rdfxml", "xml"),
    "application/ld+json": (None, "json-ld"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("ld")) as s:
        yield s


def matilde(server: LiveServer) -> URIRef:
    return URIRef(f"{server.url}id/initiative/matilde")


@pytest.mark.parametrize("accept", list(FORMATS))
def test_rdflib_follows_303_and_parses(server: LiveServer, accept: str) -> None:
    r = httpx.get(str(matilde(server)), headers={"Accept": accept}, follow_redirects=False)
    assert r.status_code == 303
    g = Graph().parse(str(matilde(server)), format=FORMATS[accept][1])
    names = {str(n) for n in g.objects(matilde(server), SCHEMA.name)}
    assert any(n.startswith("Migration Impact Assessment") for n in names)
    assert (matilde(server), SCHEMA.identifier, Literal("870831")) in g
    # its CORDIS page identifies it; the project is not that page (a researcher's reasoner
    # would have merged the two through owl:sameAs)
    cordis = URIRef("https://cordis.europa.eu/project/id/870831")
    assert (matilde(server), SCHEMA.sameAs, cordis) in g
    assert not list(g.triples((None, OWL.sameAs, None)))


@pytest.mark.parametrize("accept", [a for a, (r, _) in FORMATS.items() if r])
def test_rapper_follows_303_and_parses(server: LiveServer, accept: str) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper (raptor2-utils) is installed by make test"
    syntax = FORMATS[accept][0]
    out = subprocess.run(
        [rapper, "-q", "-i", syntax, "-o", "ntriples", str(matilde(server))],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    # raptor sends its own Accept for the chosen parser; the server must answer that format
    assert out.returncode == 0, out.stderr
    assert f'<{matilde(server)}> <http://schema.org/identifier> "870831"' in out.stdout


def test_extruct_finds_schema_org_project(server: LiveServer) -> None:
    page = httpx.get(f"{server.url}initiative/matilde").text
    data = extruct.extract(page, base_url=f"{server.url}initiative/matilde", syntaxes=["json-ld"])
    projects = [d for d in data["json-ld"] if d.get("@type") == "Project"]
    assert len(projects) == 1
    project = projects[0]
    assert project["name"].startswith("Migration Impact Assessment")
    assert len(project["description"]) > 100
    assert any(p["name"] == "Austria" for p in project["location"])
    assert "https://cordis.europa.eu/project/id/870831" in project["sameAs"]
    # and the page links to it by name
    assert 'href="https://cordis.europa.eu/project/id/870831"' in page
