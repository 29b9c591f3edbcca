"""The SPARQL 1.1 Service Description of the endpoint (returned for a request with no query)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.endpoint.serialize import GRAPH_MEDIA
from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, serialize_graph
from kg.vocab import FORMATS_NS as FORMATS
from kg.vocab import PREFIXES, RIKG_NS
from kg.vocab import SD_NS as SD

DATASET_NOTE = (
    "Without FROM, FROM NAMED, default-graph-uri or named-graph-uri the default graph is the "
    "union of all named graphs; each named graph holds one record and its provenance."
)
FUNCTION_NOTE = (
    'rikg:similarity(?record, \\"text\\") scores a record against a text by meaning '
    "(cosine similarity)."
)


def service_description(endpoint: str, void: str, *, updates: bool, base: str | None = None) -> str:
    """Turtle describing the endpoint, its formats, features and dataset; with `base`, a
    comment saying relative IRIs in a query without BASE resolve against it (SPARQL 1.1
    Query §4.1.1.2; the Service Description vocabulary has no property for it)."""
    base_note = (
        f'    rdfs:comment "Relative IRIs in a query without BASE resolve against <{base}>." ;\n'
        if base
        else ""
    )
    formats = ", ".join(
        f"<{FORMATS}{f.w3c}>" for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.w3c is not None
    )
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if updates else "")
    return f"""@prefix sd: <{SD}> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{endpoint}> a sd:Service ;
{base_note}    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {formats} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:extensionFunction <{RIKG_NS}similarity> ;
    sd:defaultDataset [ a sd:Dataset ; void:inDataset <{void}> ;
        rdfs:comment "{DATASET_NOTE}" ] .
<{RIKG_NS}similarity> a sd:Function ;
    rdfs:comment "{FUNCTION_NOTE}" .
"""


def render(
    endpoint: str, void: str, media: str, *, updates: bool, base: str | None = None
) -> bytes:
    turtle = service_description(endpoint, void, updates=updates, base=base)
    if media == "text/turtle":
        return turtle.encode()
    quads = ox.parse(turtle, ox.RdfFormat.TURTLE)
    return serialize_graph([q.triple for q in quads], GRAPH_MEDIA[media], prefixes=PREFIXES)
