"""The dataset description: VoID and DCAT (issue 6), as triples; serialised at the edge."""

from __future__ import annotations

import pyoxigraph as ox

from kg import queries
from kg.dumps import Dump
from kg.graphs import select, triple_count
from kg.vocab import (
    DCAT_NS,
    DCT_NS,
    OWL_NS,
    PROV_NS,
    RDF_NS,
    RIKG_NS,
    SCHEMA_NS,
    SKOS_NS,
    VOID_NS,
    XSD_NS,
)

VOID = VOID_NS
DCAT = DCAT_NS
DCT = DCT_NS
XSD = XSD_NS
RDF_TYPE = ox.NamedNode(f"{RDF_NS}type")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VOCABULARIES = [SCHEMA_NS, DCT_NS, SKOS_NS, PROV_NS, RIKG_NS, OWL_NS]


def describe(store: ox.Store, *, base: str, dumps: list[Dump], modified: str) -> list[ox.Triple]:
    ds = ox.NamedNode(f"{base}.well-known/void#dataset")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode
    ) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def lit(value: object, dtype: str | None = None) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(dtype) if dtype else None)

    out.append(ox.Triple(ds, RDF_TYPE, ox.NamedNode(f"{VOID}Dataset")))
    out.append(ox.Triple(ds, RDF_TYPE, ox.NamedNode(f"{DCAT}Dataset")))
    add(ds, f"{DCT}title", ox.Literal("Rural Integration Knowledge Graph", language="en"))
    add(
        ds,
        f"{DCT}description",
        ox.Literal(
            "Projects and good practices for the integration of migrants and refugees in rural "
            "areas of Europe, each fact with its source.",
            language="en",
        ),
    )
    add(ds, f"{DCT}license", ox.NamedNode(LICENSE))
    publisher = ox.BlankNode()
    add(ds, f"{DCT}publisher", publisher)
    out.append(
        ox.Triple(publisher, RDF_TYPE, ox.NamedNode("http://xmlns.com/foaf/0.1/Organization"))
    )
    add(
        publisher,
        "http://xmlns.com/foaf/0.1/name",
        lit("Rural Integration Knowledge Graph project"),
    )
    add(ds, f"{DCT}modified", lit(modified, f"{XSD}dateTime"))
    add(ds, f"{VOID}sparqlEndpoint", ox.NamedNode(f"{base}sparql"))
    add(ds, f"{DCAT}landingPage", ox.NamedNode(base))
    add(ds, f"{VOID}uriSpace", lit(f"{base}id/"))
    add(ds, f"{VOID}exampleResource", ox.NamedNode(f"{base}id/initiative/matilde"))
    for vocab in VOCABULARIES:
        add(ds, f"{VOID}vocabulary", ox.NamedNode(vocab))
    add(ds, f"{VOID}triples", lit(triple_count(store), f"{XSD}integer"))
    distinct = select(store, queries.DISTINCT_TRIPLES)[0]["n"]
    add(ds, f"{RIKG_NS}distinctTriples", lit(distinct, f"{XSD}integer"))
    add(
        ds,
        f"{VOID}distinctSubjects",
        lit(select(store, queries.DISTINCT_SUBJECTS)[0]["n"], f"{XSD}integer"),
    )
    for row in select(store, queries.CLASS_PARTITIONS):
        part = ox.BlankNode()
        add(ds, f"{VOID}classPartition", part)
        add(part, f"{VOID}class", ox.NamedNode(row["class"]))
        add(part, f"{VOID}entities", lit(row["n"], f"{XSD}integer"))
    service = ox.NamedNode(f"{base}sparql")
    dist = ox.BlankNode()
    add(ds, f"{DCAT}distribution", dist)
    out.append(ox.Triple(dist, RDF_TYPE, ox.NamedNode(f"{DCAT}Distribution")))
    add(dist, f"{DCAT}accessURL", service)
    add(dist, f"{DCT}title", lit("SPARQL 1.1 endpoint"))
    for dump in dumps:
        url = ox.NamedNode(f"{base}data/{dump.name}")
        add(ds, f"{VOID}dataDump", url)
        dist = ox.BlankNode()
        add(ds, f"{DCAT}distribution", dist)
        out.append(ox.Triple(dist, RDF_TYPE, ox.NamedNode(f"{DCAT}Distribution")))
        add(dist, f"{DCAT}downloadURL", url)
        add(dist, f"{DCAT}mediaType", lit(dump.media_type))
        add(dist, f"{DCAT}compressFormat", lit("application/gzip"))
        add(dist, f"{DCAT}byteSize", lit(dump.bytes, f"{XSD}nonNegativeInteger"))
        add(dist, f"{VOID}triples", lit(dump.statements, f"{XSD}integer"))
        add(dist, f"{DCT}license", ox.NamedNode(LICENSE))
    return out
