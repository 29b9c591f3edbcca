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


def limits_note(row_cap: int, timeout_s: float) -> str:
    """What the endpoint cuts and stops, in words (the Service Description vocabulary has no
    property for either): a harvester trial found the row cap only on the editor page."""
    return (
        f"Answers hold at most {row_cap:,} rows or triples: a longer answer is cut and says so "
        "(header X-SPARQL-Truncated: true; in SPARQL JSON and XML also a link to the query "
        "editor's note on it); "
        "page through it with ORDER BY, LIMIT and OFFSET, or take the dumps of the dataset. A "
        f"query is stopped after {timeout_s:g} seconds (503)."
    )


def service_description(
    endpoint: str,
    void: str,
    *,
    updates: bool,
    base: str | None = None,
    limits: str | None = None,
) -> str:
    """Turtle describing the endpoint, its formats, features and dataset; with `base`, a
    comment saying relative IRIs in a query without BASE resolve against it (SPARQL 1.1
    Query §4.1.1.2; the Service Description vocabulary has no property for it); with `limits`
    (`limits_note`), a comment saying what is cut and stopped."""
    base_note = (
        f'    rdfs:comment "Relative IRIs in a query without BASE resolve against <{base}>." ;\n'
        if base
        else ""
    )
    if limits:
        base_note += f'    rdfs:comment "{limits}" ;\n'
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
    endpoint: str,
    void: str,
    media: str,
    *,
    updates: bool,
    base: str | None = None,
    limits: str | None = None,
) -> bytes:
    turtle = service_description(endpoint, void, updates=updates, base=base, limits=limits)
    if media == "text/turtle":
        return turtle.encode()
    quads = ox.parse(turtle, ox.RdfFormat.TURTLE)
    return serialize_graph([q.triple for q in quads], GRAPH_MEDIA[media], prefixes=PREFIXES)
