"""Namespace objects. `RIKG` lists exactly the terms of `ontology/rikg.ttl` (a test checks it)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

RIKG_NS = "https://w3id.org/rikg/ns#"
SCHEME_NS = "https://w3id.org/rikg/scheme/"
SCHEMA = Namespace("http://schema.org/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
CORDIS_PROJECT = "https://cordis.europa.eu/project/id/"
#: EURIO, the Publications Office's research-information ontology behind the CORDIS graph
EURIO = Namespace("http://data.europa.eu/s66#")

#: record kinds of design.md §2, each with its RDF classes
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


def scheme_iri(scheme: str) -> str:
    return f"{SCHEME_NS}{scheme}"


def concept_iri(scheme: str, concept_id: str) -> str:
    return f"{SCHEME_NS}{scheme}/{concept_id}"


def record_iri(base: str, kind: str, slug: str) -> str:
    return f"{base}id/{kind}/{slug}"


def graph_iri(base: str, kind: str, slug: str) -> str:
    """The named graph holding one record's statements and provenance."""
    return f"{base}graph/{kind}/{slug}"
