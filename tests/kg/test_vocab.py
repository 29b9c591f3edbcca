from rdflib import OWL, RDF, Graph, Namespace, URIRef

from kg.settings import PROJECT_ROOT
from kg.vocab import RIKG, RIKG_NS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_rikg_namespace_matches_the_ontology() -> None:
    g = Graph().parse(PROJECT_ROOT / "ontology" / "rikg.ttl")
    defined = {
        str(s).removeprefix(RIKG_NS)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SD.Function)
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(RIKG_NS)
    }
    in_code = set(RIKG.__annotations__)
    assert defined == in_code
