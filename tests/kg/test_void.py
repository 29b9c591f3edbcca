"""The VoID + DCAT description of the dataset: counts from the graph, its dumps and endpoint."""

import pyoxigraph as ox

from kg.dumps import Dump
from kg.store import LocalStore
from kg.void import describe
from tests.conftest import BASE

VOID = "http://rdfs.org/ns/void#"
DS = ox.NamedNode(f"{BASE}.well-known/void#dataset")


def objects(triples: list[ox.Triple], predicate: str) -> list[str]:
    return [t.object.value for t in triples if t.subject == DS and t.predicate.value == predicate]


def test_counts_endpoint_and_dumps_are_described(loaded: LocalStore) -> None:
    dump = Dump("kg.nq.gz", "application/n-quads", 10, 5, "quads")
    triples = describe(loaded.current(), base=BASE, dumps=[dump], modified="2026-01-01T00:00:00")
    assert objects(triples, f"{VOID}triples") == [str(len(loaded.current()))]
    assert objects(triples, f"{VOID}sparqlEndpoint") == [f"{BASE}sparql"]
    assert objects(triples, f"{VOID}dataDump") == [f"{BASE}data/kg.nq.gz"]
    assert objects(triples, f"{VOID}uriSpace") == [f"{BASE}id/"]
    classes = {t.object.value for t in triples if t.predicate.value == f"{VOID}class"}
    assert "https://w3id.org/rikg/ns#Initiative" in classes
