"""The SPARQL 1.1 Service Description of the endpoint (returned for a request with no query)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.endpoint.serialize import GRAPH_MEDIA, SOLUTION_MEDIA
from kg.formats import serialize_graph
from kg.namespaces import RIKG_NS
from kg.queries import PREFIXES

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N-Quads",
    "application/trig": "TriG",
    "text/n3": "N3",
}


DATASET_NOTE = (
    "Without FROM, FROM NAMED, default-graph-uri or named-graph-uri the default graph is the "
    "union of all named graphs; each named graph holds one record and its provenance."
)
FUNCTION_NOTE = (
    'rikg:similarity(?record, \\"text\\") scores a record against a text by meaning '
    "(cosine similarity)."
)


def service_description(endpoint: str, void: str, *, updates: bool) -> str:
    """Turtle describing the endpoint, its formats, features and dataset."""
    formats = ", ".join(f"<{FORMATS}{_FORMAT_IRIS[m]}>" for m in [*SOLUTION_MEDIA, *GRAPH_MEDIA])
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if updates else "")
    return f"""@prefix sd: <{SD}> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {formats} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:extensionFunction <{RIKG_NS}similarity> ;
    sd:defaultDataset [ a sd:Dataset ; void:inDataset <{void}> ;
        rdfs:comment "{DATASET_NOTE}" ] .
<{RIKG_NS}similarity> a sd:Function ;
    rdfs:comment "{FUNCTION_NOTE}" .
"""


def render(endpoint: str, void: str, media: str, *, updates: bool) -> bytes:
    turtle = service_description(endpoint, void, updates=updates)
    if media == "text/turtle":
        return turtle.encode()
    quads = ox.parse(turtle, ox.RdfFormat.TURTLE)
    return serialize_graph([q.triple for q in quads], GRAPH_MEDIA[media], prefixes=PREFIXES)
