"""The dataset description: VoID and DCAT (issue 6), as triples; serialised at the edge.

The DCAT part follows DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/) and the DCAT-AP 3 profile
data.europa.eu harvests (https://semiceu.github.io/DCAT-AP/): a `dcat:Catalog` holding the
dataset and the SPARQL service (a harvester reads catalogues); the dataset with a title and a
description per interface language, a publisher IRI (`foaf:Agent`), its licence, issue time
(the earliest ingest of a graph still in the store) and modification time (the snapshot's),
and, from the EU Vocabularies DCAT-AP recommends, the countries its initiatives are in
(`dct:spatial`), the languages of its labels (`dct:language`), its data theme (SOCI,
population and society), an irregular update frequency (each ingest), plus keywords; one
`dcat:Distribution` per dump with `dcat:accessURL` and `dcat:downloadURL`, IANA media-type IRIs
for `dcat:mediaType` and `dcat:compressFormat`, the EU file type (`dct:format`) and the file's
SHA-256 (`spdx:checksum`); the SPARQL endpoint as a `dcat:DataService` reached from a
distribution through `dcat:accessService`, each distribution with a sentence saying what it
holds (`dct:description`), the endpoint's with the EU file type of SPARQL results. The catalogue
is issued with the dataset (the first ingest: it is made from the store and lists that one
dataset) and names the EU data-theme table its `dcat:theme` comes from (`dcat:themeTaxonomy`).
DCAT-AP's range shapes ask the values of `dct:license`, `dct:conformsTo`, `foaf:homepage`,
`dcat:landingPage` and `dcat:themeTaxonomy` to carry their class (`dct:LicenseDocument`,
`dct:Standard`, `foaf:Document`, `skos:ConceptScheme`): each such value is typed once. No
`dcat:contactPoint`: the service has no public contact page, and a person is never named; no
publisher `dct:type`, the kind of organisation behind the project being stated nowhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pyoxigraph as ox

from kg import queries
from kg.dumps import Dump
from kg.graphs import select, triple_count
from kg.vocab import (
    DCAT_NS,
    DCT_NS,
    FOAF_NS,
    LICENSE,
    OWL_NS,
    PROV_NS,
    RDF_NS,
    RDFS_NS,
    RIKG_NS,
    SCHEMA_NS,
    SKOS_NS,
    VOID_NS,
    XSD_NS,
    is_country,
)

VOID = VOID_NS
DCAT = DCAT_NS
DCT = DCT_NS
XSD = XSD_NS
FOAF = FOAF_NS
RDF_TYPE = ox.NamedNode(f"{RDF_NS}type")
VOCABULARIES = [SCHEMA_NS, DCT_NS, SKOS_NS, PROV_NS, RIKG_NS, OWL_NS]
#: IANA's registry IRIs for media types, the `dct:MediaType` values DCAT-AP asks for
IANA = "http://www.iana.org/assignments/media-types/"
GZIP = f"{IANA}application/gzip"
#: the specification each served format follows (`dct:conformsTo`)
FORMAT_SPECS = {
    "application/n-quads": "https://www.w3.org/TR/n-quads/",
    "application/n-triples": "https://www.w3.org/TR/n-triples/",
    "text/turtle": "https://www.w3.org/TR/turtle/",
    "application/ld+json": "https://www.w3.org/TR/json-ld11/",
}
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
#: the EU Vocabularies' authority tables (DCAT-AP's controlled vocabularies)
EU = "http://publications.europa.eu/resource/authority/"
#: the EU file type of each dump's format (`dct:format`)
FILE_TYPES = {
    "application/n-quads": f"{EU}file-type/RDF_N_QUADS",
    "application/n-triples": f"{EU}file-type/RDF_N_TRIPLES",
    "text/turtle": f"{EU}file-type/RDF_TURTLE",
    "application/ld+json": f"{EU}file-type/JSON_LD",
}
#: the languages of the labels (English, German, Spanish, French, Italian)
DATA_LANGUAGES = [f"{EU}language/{code}" for code in ("ENG", "DEU", "SPA", "FRA", "ITA")]
DATA_THEME = f"{EU}data-theme/SOCI"  # population and society
THEME_TAXONOMY = f"{EU}data-theme"  # the concept scheme DATA_THEME is in
#: the EU file type of what the SPARQL endpoint answers (`dct:format`): SPARQL query results
SPARQL_RESULTS = f"{EU}file-type/SPARQLQRES"
FREQUENCY = f"{EU}frequency/IRREG"  # a snapshot per ingest, when records change
KEYWORDS = ("migration", "refugees", "integration", "rural areas", "good practices")
SPDX = "http://spdx.org/rdf/terms#"
LICENSE_DOCUMENT = f"{DCT}LicenseDocument"
STANDARD = f"{DCT}Standard"
TITLE = "Rural Integration Knowledge Graph"
DESCRIPTION = (
    "Projects and good practices for integrating migrants and refugees in rural Europe, every "
    "fact with its source."
)
PUBLISHER_NAME = "Rural Integration Knowledge Graph project"
COUNTS_NOTE = (
    "void:triples counts statements per named graph, as a query over the union default graph "
    "matches them and as the N-Quads dump holds them: a triple stated in several named graphs "
    "counts once per graph. rikg:distinctTriples counts each distinct "
    "triple once, as the Turtle and JSON-LD dumps hold them. Each distribution's void:triples "
    "is the number of statements in that file."
)
DISTINCT_NOTE = "The number of distinct triples of the dataset, whatever graph holds them."
#: what each dump holds (its distribution's `dct:description`), as `kg.dumps` writes it
DUMP_NOTES = {
    "application/n-quads": (
        "Every statement of the dataset in N-Quads, each in the named graph that holds it, "
        "with the graphs' provenance; gzip-compressed."
    ),
    "application/n-triples": (
        "The distinct triples of the dataset's union graph in N-Triples, a line each; "
        "gzip-compressed."
    ),
    "text/turtle": "The distinct triples of the dataset's union graph in Turtle; gzip-compressed.",
    "application/ld+json": (
        "The distinct triples of the dataset's union graph in JSON-LD; gzip-compressed."
    ),
}
SPARQL_NOTE = (
    "A SPARQL 1.1 endpoint answering SELECT, ASK, CONSTRUCT and DESCRIBE queries over the "
    "dataset and its named graphs."
)


def iana(media_type: str) -> ox.NamedNode:
    """The IANA registry IRI of a media type (`text/turtle` → `…/media-types/text/turtle`)."""
    return ox.NamedNode(f"{IANA}{media_type}")


def partition(doc: str, cls: str) -> ox.NamedNode:
    """The IRI of the class partition of `cls` in the description `doc` (`…/void#`): named
    from a digest of the class IRI, not a blank node, so that one store version is described
    in the same bytes every time and a class keeps its partition's IRI from one to the next."""
    return ox.NamedNode(f"{doc}class-{hashlib.sha256(cls.encode()).hexdigest()[:16]}")


def citation(base: str, *, modified: str, version: str | None) -> str:
    """How to cite the dataset in English (`dct:bibliographicCitation`; the data page says it
    in the page's language): its title, the snapshot (`version`: `StoreVersion.name`) and its
    date (`modified`, ISO 8601), where it lives and its licence — "Rural Integration Knowledge
    Graph (snapshot 20261207T174647947590-4315, 2026-12-07). http://…/ Licence: CC BY 4.0."
    An analyst's trial found no way to cite the whole dataset, nor which state of it."""
    state = f"snapshot {version}, {modified[:10]}" if version else modified[:10]
    return f"{TITLE} ({state}). {base} Licence: CC BY 4.0."


def describe(
    store: ox.Store,
    *,
    base: str,
    dumps: list[Dump],
    modified: str,
    titles: Mapping[str, str] | None = None,
    descriptions: Mapping[str, str] | None = None,
    version: str | None = None,
) -> list[ox.Triple]:
    """The VoID + DCAT description of the dataset in `store` served under `base`.

    `dumps` are the files at `{base}data/`; `modified` the current snapshot's ISO 8601 time;
    `version` its name (`StoreVersion.name`), given as the dataset's `dcat:version` (DCAT 3
    §6.4.7), so a citation can name the state it used;
    `titles` and `descriptions` map a language tag to the dataset's title and description in
    that language (English only when not given). IRIs minted here all live under
    `{base}.well-known/void#` (the dataset, its publisher, distributions, class partitions and
    SPARQL service); there is no blank node, and the same store gives the same triples in the
    same order.
    """
    doc = f"{base}.well-known/void#"
    ds = ox.NamedNode(f"{doc}dataset")
    sparql = ox.NamedNode(f"{base}sparql")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode
    ) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def a(s: ox.NamedNode | ox.BlankNode, cls: str) -> None:
        out.append(ox.Triple(s, RDF_TYPE, ox.NamedNode(cls)))

    #: a value of a property DCAT-AP gives a range class → that class, stated once at the end
    kinds: dict[str, str] = {}

    def ranged(s: ox.NamedNode, p: str, value: str, cls: str) -> None:
        add(s, p, ox.NamedNode(value))
        kinds.setdefault(value, cls)

    def lit(value: object, dtype: str | None = None) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(dtype) if dtype else None)

    def named(s: ox.NamedNode) -> None:
        """The title and description in every language given, and the labels' languages."""
        for lang, text in (titles or {"en": TITLE}).items():
            add(s, f"{DCT}title", ox.Literal(text, language=lang))
        for lang, text in (descriptions or {"en": DESCRIPTION}).items():
            add(s, f"{DCT}description", ox.Literal(text, language=lang))
        for language in DATA_LANGUAGES:
            add(s, f"{DCT}language", ox.NamedNode(language))

    a(ds, f"{VOID}Dataset")
    a(ds, f"{DCAT}Dataset")
    named(ds)
    add(ds, f"{RDFS_NS}comment", ox.Literal(COUNTS_NOTE, language="en"))
    ranged(ds, f"{DCT}license", LICENSE, LICENSE_DOCUMENT)
    publisher = ox.NamedNode(f"{doc}publisher")
    add(ds, f"{DCT}publisher", publisher)
    a(publisher, f"{FOAF}Agent")
    a(publisher, f"{FOAF}Organization")
    add(publisher, f"{FOAF}name", ox.Literal(PUBLISHER_NAME, language="en"))
    ranged(publisher, f"{FOAF}homepage", base, f"{FOAF}Document")
    first = select(store, queries.FIRST_INGEST)
    issued = first[0].get("first") if first else None
    if issued:
        add(ds, f"{DCT}issued", lit(issued, f"{XSD}dateTime"))
    add(ds, f"{DCT}modified", lit(modified, f"{XSD}dateTime"))
    if version:
        add(ds, f"{DCAT}version", lit(version))
    cite = citation(base, modified=modified, version=version)
    add(ds, f"{DCT}bibliographicCitation", ox.Literal(cite, language="en"))
    add(ds, f"{DCT}identifier", lit(ds.value))
    add(ds, f"{DCAT}theme", ox.NamedNode(DATA_THEME))
    add(ds, f"{DCT}accrualPeriodicity", ox.NamedNode(FREQUENCY))
    for keyword in KEYWORDS:
        add(ds, f"{DCAT}keyword", ox.Literal(keyword, language="en"))
    countries = sorted(
        row["concept"]
        for row in select(store, queries.CONCEPT_USAGE)
        if row["p"] == f"{DCT}spatial" and is_country(row["concept"])
    )
    for country in countries:
        add(ds, f"{DCT}spatial", ox.NamedNode(country))
    add(ds, f"{VOID}sparqlEndpoint", sparql)
    ranged(ds, f"{DCAT}landingPage", base, f"{FOAF}Document")
    add(ds, f"{VOID}uriSpace", lit(f"{base}id/"))
    add(ds, f"{VOID}exampleResource", ox.NamedNode(f"{base}id/initiative/matilde"))
    for vocab in VOCABULARIES:
        add(ds, f"{VOID}vocabulary", ox.NamedNode(vocab))
    add(ds, f"{VOID}triples", lit(triple_count(store), f"{XSD}integer"))
    distinct = select(store, queries.DISTINCT_TRIPLES)[0]["n"]
    add(ds, f"{RIKG_NS}distinctTriples", lit(distinct, f"{XSD}integer"))
    distinct_property = ox.NamedNode(f"{RIKG_NS}distinctTriples")
    out.append(
        ox.Triple(
            distinct_property,
            ox.NamedNode(f"{RDFS_NS}comment"),
            ox.Literal(DISTINCT_NOTE, language="en"),
        )
    )
    add(
        ds,
        f"{VOID}distinctSubjects",
        lit(select(store, queries.DISTINCT_SUBJECTS)[0]["n"], f"{XSD}integer"),
    )
    for row in select(store, queries.CLASS_PARTITIONS):
        part = partition(doc, row["class"])
        add(ds, f"{VOID}classPartition", part)
        add(part, f"{VOID}class", ox.NamedNode(row["class"]))
        add(part, f"{VOID}entities", lit(row["n"], f"{XSD}integer"))

    # the SPARQL endpoint: a data service serving the dataset (DCAT 3 §6.8), reached from a
    # distribution's dcat:accessService (DCAT-AP); its description is the SPARQL 1.1 Service
    # Description /sparql answers to an RDF client that sends no query
    service = ox.NamedNode(f"{doc}sparql-service")
    a(service, f"{DCAT}DataService")
    add(service, f"{DCT}title", ox.Literal("SPARQL 1.1 endpoint", language="en"))
    add(service, f"{DCAT}endpointURL", sparql)
    add(service, f"{DCAT}endpointDescription", sparql)
    add(service, f"{DCAT}servesDataset", ds)
    ranged(service, f"{DCT}conformsTo", SPARQL_PROTOCOL, STANDARD)
    add(service, f"{DCT}format", ox.NamedNode(SPARQL_RESULTS))
    ranged(service, f"{DCT}license", LICENSE, LICENSE_DOCUMENT)
    add(service, f"{DCT}publisher", publisher)
    endpoint = ox.NamedNode(f"{doc}distribution-sparql")
    add(ds, f"{DCAT}distribution", endpoint)
    a(endpoint, f"{DCAT}Distribution")
    add(endpoint, f"{DCT}title", ox.Literal("SPARQL 1.1 endpoint", language="en"))
    add(endpoint, f"{DCT}description", ox.Literal(SPARQL_NOTE, language="en"))
    add(endpoint, f"{DCAT}accessURL", sparql)
    add(endpoint, f"{DCAT}accessService", service)
    ranged(endpoint, f"{DCT}conformsTo", SPARQL_PROTOCOL, STANDARD)
    add(endpoint, f"{DCT}format", ox.NamedNode(SPARQL_RESULTS))
    ranged(endpoint, f"{DCT}license", LICENSE, LICENSE_DOCUMENT)

    # the catalogue a harvester reads (DCAT-AP 3: mandatory), holding the dataset and service
    catalog = ox.NamedNode(f"{doc}catalog")
    a(catalog, f"{DCAT}Catalog")
    named(catalog)
    add(catalog, f"{DCT}publisher", publisher)
    ranged(catalog, f"{FOAF}homepage", base, f"{FOAF}Document")
    ranged(catalog, f"{DCT}license", LICENSE, LICENSE_DOCUMENT)
    if issued:
        add(catalog, f"{DCT}issued", lit(issued, f"{XSD}dateTime"))
    add(catalog, f"{DCT}modified", lit(modified, f"{XSD}dateTime"))
    ranged(catalog, f"{DCAT}themeTaxonomy", THEME_TAXONOMY, f"{SKOS_NS}ConceptScheme")
    # DCAT-AP's concept scheme has a mandatory title: the EU table's own
    add(ox.NamedNode(THEME_TAXONOMY), f"{DCT}title", ox.Literal("Data theme", language="en"))
    add(catalog, f"{DCAT}dataset", ds)
    add(catalog, f"{DCAT}service", service)

    for dump in dumps:
        url = ox.NamedNode(f"{base}data/{dump.name}")
        add(ds, f"{VOID}dataDump", url)
        dist = ox.NamedNode(f"{doc}distribution-{dump.name}")
        add(ds, f"{DCAT}distribution", dist)
        a(dist, f"{DCAT}Distribution")
        add(
            dist, f"{DCT}title", ox.Literal(f"{dump.name} ({dump.media_type}, gzip)", language="en")
        )
        add(dist, f"{DCT}description", ox.Literal(DUMP_NOTES[dump.media_type], language="en"))
        add(dist, f"{DCAT}accessURL", ox.NamedNode(f"{base}data/"))
        add(dist, f"{DCAT}downloadURL", url)
        add(dist, f"{DCAT}mediaType", iana(dump.media_type))
        add(dist, f"{DCT}format", ox.NamedNode(FILE_TYPES[dump.media_type]))
        if dump.sha256:
            checksum = ox.NamedNode(f"{doc}checksum-{dump.name}")
            add(dist, f"{SPDX}checksum", checksum)
            a(checksum, f"{SPDX}Checksum")
            add(checksum, f"{SPDX}algorithm", ox.NamedNode(f"{SPDX}checksumAlgorithm_sha256"))
            add(checksum, f"{SPDX}checksumValue", lit(dump.sha256, f"{XSD}hexBinary"))
        add(dist, f"{DCAT}compressFormat", ox.NamedNode(GZIP))
        ranged(dist, f"{DCT}conformsTo", FORMAT_SPECS[dump.media_type], STANDARD)
        add(dist, f"{DCAT}byteSize", lit(dump.bytes, f"{XSD}nonNegativeInteger"))
        add(dist, f"{VOID}triples", lit(dump.statements, f"{XSD}integer"))
        ranged(dist, f"{DCT}license", LICENSE, LICENSE_DOCUMENT)
        add(dist, f"{DCT}modified", lit(modified, f"{XSD}dateTime"))

    # the licence, the W3C specifications, the site's home page and the theme table, each typed
    # once with the class DCAT-AP's range shapes ask of the properties they are values of
    for value, cls in kinds.items():
        a(ox.NamedNode(value), cls)
    return out
