"""The vocabulary: every namespace the application writes or reads, in one place.

Plain strings (`SCHEMA_NS`, `DCT_NS`, …) for building IRIs, `PREFIXES` for SPARQL and
serialisers, and rdflib namespaces for the mapping. `RIKG` lists exactly the terms of
`ontology/rikg.ttl` (a test checks it)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

RIKG_NS = "https://w3id.org/rikg/ns#"
SCHEME_NS = "https://w3id.org/rikg/scheme/"
SCHEMA_NS = "http://schema.org/"
DCT_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
PROV_NS = "http://www.w3.org/ns/prov#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SH_NS = "http://www.w3.org/ns/shacl#"
VOID_NS = "http://rdfs.org/ns/void#"
DCAT_NS = "http://www.w3.org/ns/dcat#"
#: SPARQL 1.1 Service Description, and the W3C's IRIs of result formats
SD_NS = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"

#: prefixes every SPARQL query may use (predeclared) and serialisers write
PREFIXES = {
    "schema": SCHEMA_NS,
    "dcterms": DCT_NS,
    "skos": SKOS_NS,
    "rikg": RIKG_NS,
    "owl": OWL_NS,
    "prov": PROV_NS,
    "rdfs": RDFS_NS,
    "rdf": RDF_NS,
    "xsd": XSD_NS,
    "sh": SH_NS,
}

SCHEMA = Namespace(SCHEMA_NS)
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
CORDIS_PROJECT = "https://cordis.europa.eu/project/id/"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
#: the licence of the dataset and of every document it is served in
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
#: EURIO, the Publications Office's research-information ontology behind the CORDIS graph
EURIO = Namespace("http://data.europa.eu/s66#")

#: record kinds (the folders of `ingest/records/`, and `/{kind}/{slug}` in URLs)
KINDS = ("initiative", "organisation", "policy", "event", "place", "source")

#: concept schemes: record field → scheme name
SCHEMES = {
    "themes": "theme",
    "target_groups": "target-group",
    "funding": "funding",
    "challenges": "challenge",
    "opportunities": "opportunity",
}


class RIKG(DefinedNamespace):
    """The rikg: ontology (https://w3id.org/rikg/ns#)."""

    _NS = Namespace(RIKG_NS)
    _fail = True

    Initiative: URIRef
    ResearchProject: URIRef
    FundedProject: URIRef
    Programme: URIRef
    LocalPractice: URIRef
    Network: URIRef
    Pilot: URIRef
    Organisation: URIRef
    Policy: URIRef
    Event: URIRef
    SourceDocument: URIRef
    Claim: URIRef

    coordinator: URIRef
    partner: URIRef
    organiser: URIRef
    fundingProgramme: URIRef
    targetGroup: URIRef
    addressesChallenge: URIRef
    buildsOnOpportunity: URIRef
    contributesTo: URIRef
    budget: URIRef
    amountKind: URIRef
    fundingTopic: URIRef
    fundingCall: URIRef
    claim: URIRef
    aspect: URIRef
    disputed: URIRef
    kind: URIRef
    orgType: URIRef
    policyType: URIRef
    participantCount: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    adapter: URIRef
    contactPage: URIRef
    distinctTriples: URIRef

    similarity: URIRef  # a SPARQL extension function (sd:Function)


#: initiative subtypes: `initiative_type` of the record format (and the search filter's codes)
#: → class of the ontology
INITIATIVE_TYPES = {
    "research-project": RIKG.ResearchProject,
    "funded-project": RIKG.FundedProject,
    "programme": RIKG.Programme,
    "local-practice": RIKG.LocalPractice,
    "network": RIKG.Network,
    "pilot": RIKG.Pilot,
}
#: their English names, as the ontology labels the classes (the pages translate them)
INITIATIVE_TYPE_NAMES = {
    "research-project": "Research project",
    "funded-project": "Funded project",
    "programme": "Programme",
    "local-practice": "Local practice",
    "network": "Network",
    "pilot": "Pilot",
}


def concept_iri(scheme: str, concept_id: str) -> str:
    return f"{SCHEME_NS}{scheme}/{concept_id}"


def record_iri(base: str, kind: str, slug: str) -> str:
    return f"{base}id/{kind}/{slug}"


def graph_iri(base: str, kind: str, slug: str) -> str:
    """The named graph holding one record's statements and provenance."""
    return f"{base}graph/{kind}/{slug}"


def source_titles_graph(base: str) -> str:
    """The named graph of the titles the record files give the documents they cite: each
    title stated once, however many records cite the document, so the union default graph
    holds it once (a triple in two record graphs is counted twice there by pyoxigraph 0.5)."""
    return graph_iri(base, "sources", "records")


def is_country(iri: str) -> bool:
    """Whether `iri` is a country of the EU country table (not a NUTS region)."""
    return iri.startswith(str(EU_COUNTRY))
