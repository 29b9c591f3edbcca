"""Every SPARQL string of the application, in one place (style.md habit 2).

User values never enter these strings: they are bound with `substitutions=`.
"""

from __future__ import annotations

PREFIXES = {
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rikg": "https://w3id.org/rikg/ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

#: content hash of every named graph one adapter produced (change detection at ingest)
GRAPH_HASHES = """
SELECT ?g ?hash ?adapter WHERE {
  GRAPH ?g { ?g rikg:contentHash ?hash ; rikg:adapter ?adapter }
}"""

#: counts for /healthz and the home page
COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?r) AS ?n) WHERE {
  GRAPH ?g { ?r rikg:kind ?kind }
} GROUP BY ?kind"""

TRIPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
