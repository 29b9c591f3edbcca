"""The VoID + DCAT description of the dataset: counts from the graph, its dumps and endpoint,
and the DCAT-AP constraints data.europa.eu's harvester checks (shapes in tests/kg/shapes/)."""

from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from kg.dumps import Dump
from kg.store import LocalStore
from kg.void import describe
from tests.conftest import BASE

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DS = ox.NamedNode(f"{BASE}.well-known/void#dataset")
SHAPES = Path(__file__).parent / "shapes" / "dcat_ap.ttl"
DUMPS = [
    Dump("kg.nq.gz", "application/n-quads", 10, 5, "quads", "ab" * 32),
    Dump("kg.ttl.gz", "text/turtle", 9, 4, "triples"),  # a manifest from before checksums
]
EU = "http://publications.europa.eu/resource/authority/"


def objects(triples: list[ox.Triple], subject: ox.NamedNode, predicate: str) -> list[str]:
    return [
        t.object.value for t in triples if t.subject == subject and t.predicate.value == predicate
    ]


def as_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    return rdflib.Graph().parse(
        data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt"
    )


def described(store: LocalStore) -> list[ox.Triple]:
    return describe(store.current(), base=BASE, dumps=DUMPS, modified="2026-01-01T00:00:00Z")


def test_counts_endpoint_and_dumps_are_described(loaded: LocalStore) -> None:
    triples = described(loaded)
    assert objects(triples, DS, f"{VOID}triples") == [str(len(loaded.current()))]
    assert objects(triples, DS, f"{VOID}sparqlEndpoint") == [f"{BASE}sparql"]
    assert objects(triples, DS, f"{VOID}dataDump") == [
        f"{BASE}data/kg.nq.gz",
        f"{BASE}data/kg.ttl.gz",
    ]
    assert objects(triples, DS, f"{VOID}uriSpace") == [f"{BASE}id/"]
    classes = {t.object.value for t in triples if t.predicate.value == f"{VOID}class"}
    assert "https://w3id.org/rikg/ns#Initiative" in classes


def test_the_description_passes_the_dcat_ap_shapes(loaded: LocalStore) -> None:
    conforms, _, report = validate(
        as_rdflib(described(loaded)), shacl_graph=str(SHAPES), inference="none"
    )
    assert conforms, report


def test_the_shapes_catch_what_the_tester_found(loaded: LocalStore) -> None:
    """Literal media types, a distribution without accessURL and a blank publisher fail."""
    g = as_rdflib(described(loaded))
    dist = rdflib.URIRef(f"{BASE}.well-known/void#distribution-kg.nq.gz")
    g.set((dist, rdflib.URIRef(f"{DCAT}mediaType"), rdflib.Literal("application/n-quads")))
    g.remove((dist, rdflib.URIRef(f"{DCAT}accessURL"), None))
    ds, publisher = rdflib.URIRef(DS.value), rdflib.BNode()
    g.set((ds, rdflib.URIRef(f"{DCT}publisher"), publisher))
    conforms, results, _ = validate(g, shacl_graph=str(SHAPES), inference="none")
    assert not conforms
    paths = {
        str(p)
        for p in results.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#resultPath"))
    }
    assert {f"{DCAT}mediaType", f"{DCAT}accessURL", f"{DCT}publisher"} <= paths


def test_media_types_are_iana_iris_and_every_distribution_has_an_access_url(
    loaded: LocalStore,
) -> None:
    triples = described(loaded)
    nq = ox.NamedNode(f"{BASE}.well-known/void#distribution-kg.nq.gz")
    iana = "http://www.iana.org/assignments/media-types/"
    assert objects(triples, nq, f"{DCAT}mediaType") == [f"{iana}application/n-quads"]
    assert objects(triples, nq, f"{DCAT}compressFormat") == [f"{iana}application/gzip"]
    assert objects(triples, nq, f"{DCAT}downloadURL") == [f"{BASE}data/kg.nq.gz"]
    assert objects(triples, nq, f"{VOID}triples") == ["5"]  # the dump's own count
    distributions = objects(triples, DS, f"{DCAT}distribution")
    assert len(distributions) == 3  # two dumps and the SPARQL endpoint
    for d in distributions:
        assert objects(triples, ox.NamedNode(d), f"{DCAT}accessURL"), d
        assert objects(triples, ox.NamedNode(d), f"{DCT}license"), d


def test_the_sparql_endpoint_is_a_data_service_serving_the_dataset(loaded: LocalStore) -> None:
    triples = described(loaded)
    service = ox.NamedNode(f"{BASE}.well-known/void#sparql-service")
    assert f"{DCAT}DataService" in objects(triples, service, RDF_TYPE)
    assert f"{DCAT}Distribution" not in objects(triples, service, RDF_TYPE)
    assert objects(triples, service, f"{DCAT}endpointURL") == [f"{BASE}sparql"]
    assert objects(triples, service, f"{DCAT}endpointDescription") == [f"{BASE}sparql"]
    assert objects(triples, service, f"{DCAT}servesDataset") == [DS.value]
    access = ox.NamedNode(f"{BASE}.well-known/void#distribution-sparql")
    assert objects(triples, access, f"{DCAT}accessService") == [service.value]


def test_publisher_is_a_named_agent_and_no_contact_point_is_invented(loaded: LocalStore) -> None:
    triples = described(loaded)
    (publisher,) = objects(triples, DS, f"{DCT}publisher")
    assert publisher.startswith(BASE)
    agent = ox.NamedNode(publisher)
    assert "http://xmlns.com/foaf/0.1/Agent" in objects(triples, agent, RDF_TYPE)
    assert objects(triples, agent, "http://xmlns.com/foaf/0.1/name")
    assert not [t for t in triples if t.predicate.value == f"{DCAT}contactPoint"]
    assert not [t for t in triples if "mailto:" in t.object.value]


def test_titles_and_descriptions_in_the_languages_given(loaded: LocalStore) -> None:
    triples = describe(
        loaded.current(),
        base=BASE,
        dumps=[],
        modified="2026-01-01T00:00:00Z",
        titles={"en": "Graph", "es": "Grafo"},
        descriptions={"en": "About", "de": "Über"},
    )
    titles = {
        (t.object.value, t.object.language)
        for t in triples
        if t.subject == DS
        and t.predicate.value == f"{DCT}title"
        and isinstance(t.object, ox.Literal)
    }
    assert titles == {("Graph", "en"), ("Grafo", "es")}
    assert sorted(objects(triples, DS, f"{DCT}description")) == ["About", "Über"]


def test_issued_is_the_first_ingest_and_modified_the_snapshot(loaded: LocalStore) -> None:
    triples = described(loaded)
    (issued,) = objects(triples, DS, f"{DCT}issued")
    times = [
        q.object.value
        for q in loaded.current()
        if q.predicate.value == "http://www.w3.org/ns/prov#generatedAtTime"
    ]
    assert issued == min(times)
    assert objects(triples, DS, f"{DCT}modified") == ["2026-01-01T00:00:00Z"]


def test_both_counts_are_stated_and_explained(loaded: LocalStore) -> None:
    with loaded.write() as staging:  # one triple stated in a second graph, as a cited source is
        quad = next(iter(staging))
        staging.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode("http://x/g")))
    triples = described(loaded)
    current = loaded.current()
    distinct = {(q.subject, q.predicate, q.object) for q in current}
    assert objects(triples, DS, f"{VOID}triples") == [str(len(current))]
    assert objects(triples, DS, "https://w3id.org/rikg/ns#distinctTriples") == [str(len(distinct))]
    assert len(distinct) == len(current) - 1
    (note,) = objects(triples, DS, "http://www.w3.org/2000/01/rdf-schema#comment")
    assert "once per graph" in note
    assert "N-Quads" in note


def test_a_harvester_finds_the_catalogue_and_the_recommended_fields(loaded: LocalStore) -> None:
    """A data.europa.eu harvester trial found no `dcat:Catalog` (mandatory in DCAT-AP 3) and
    none of the recommended spatial, language, theme, keyword, format or checksum fields."""
    triples = described(loaded)
    catalog = ox.NamedNode(f"{BASE}.well-known/void#catalog")
    assert objects(triples, catalog, RDF_TYPE) == [f"{DCAT}Catalog"]
    assert objects(triples, catalog, f"{DCAT}dataset") == [DS.value]
    assert objects(triples, catalog, f"{DCAT}service") == [f"{BASE}.well-known/void#sparql-service"]
    assert objects(triples, DS, f"{DCT}spatial") == [f"{EU}country/ESP"]  # the records' country
    assert f"{EU}language/ITA" in objects(triples, DS, f"{DCT}language")
    assert objects(triples, DS, f"{DCAT}theme") == [f"{EU}data-theme/SOCI"]
    assert objects(triples, DS, f"{DCAT}keyword")
    nq = ox.NamedNode(f"{BASE}.well-known/void#distribution-kg.nq.gz")
    assert objects(triples, nq, f"{DCT}format") == [f"{EU}file-type/RDF_N_QUADS"]
    (checksum,) = objects(triples, nq, "http://spdx.org/rdf/terms#checksum")
    assert objects(triples, ox.NamedNode(checksum), "http://spdx.org/rdf/terms#checksumValue") == [
        "ab" * 32
    ]
    ttl = ox.NamedNode(f"{BASE}.well-known/void#distribution-kg.ttl.gz")
    assert objects(triples, ttl, "http://spdx.org/rdf/terms#checksum") == []  # none to state


def test_every_dump_the_data_page_offers_states_its_file_type_and_specification(
    loaded: LocalStore,
) -> None:
    """A researcher's trial found the N-Triples dump described without `dct:format` and
    `dct:conformsTo`, which the other dumps had: every format `kg.dumps` writes has both."""
    from kg.dumps import DUMPS as WRITTEN

    dumps = [Dump(name, media, 10, 5, unit) for name, (_, media, unit) in WRITTEN.items()]
    triples = describe(loaded.current(), base=BASE, dumps=dumps, modified="2026-01-01T00:00:00Z")
    for dump in dumps:
        dist = ox.NamedNode(f"{BASE}.well-known/void#distribution-{dump.name}")
        assert objects(triples, dist, f"{DCT}format"), dump.name
        assert objects(triples, dist, f"{DCT}conformsTo"), dump.name


#: the DCAT-AP 3.0.1 range shapes (range.ttl) of the properties a harvester found untyped: the
#: licence, the specifications, the home page and landing page, and the theme table, as
#: `sh:class` constraints on the catalogue, dataset, data service and distributions
RANGE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix : <http://kg.test/shapes#> .

:license sh:path dct:license ; sh:class dct:LicenseDocument .
:conformsTo sh:path dct:conformsTo ; sh:class dct:Standard .
:homepage sh:path foaf:homepage ; sh:class foaf:Document .
:landingPage sh:path dcat:landingPage ; sh:class foaf:Document .
:themeTaxonomy sh:path dcat:themeTaxonomy ; sh:class skos:ConceptScheme .
:Catalog a sh:NodeShape ; sh:targetClass dcat:Catalog ;
    sh:property :license, :homepage, :themeTaxonomy .
:Dataset a sh:NodeShape ; sh:targetClass dcat:Dataset ;
    sh:property :license, :conformsTo, :landingPage .
:DataService a sh:NodeShape ; sh:targetClass dcat:DataService ;
    sh:property :license, :conformsTo, :landingPage .
:Distribution a sh:NodeShape ; sh:targetClass dcat:Distribution ;
    sh:property :license, :conformsTo .
:ConceptScheme a sh:NodeShape ; sh:targetClass skos:ConceptScheme ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] .
"""
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def range_check(g: rdflib.Graph) -> tuple[bool, set[str]]:
    """Whether `g` passes `RANGE_SHAPES`, and the values that fail them."""
    shapes = rdflib.Graph().parse(data=RANGE_SHAPES, format="turtle")
    conforms, results, _ = validate(g, shacl_graph=shapes, inference="none")
    values = rdflib.URIRef("http://www.w3.org/ns/shacl#value")
    return conforms, {str(v) for v in results.objects(None, values)}


def test_licence_specifications_and_pages_have_the_classes_dcat_ap_ranges_ask(
    loaded: LocalStore,
) -> None:
    """A harvester's DCAT-AP 3.0.1 range check found the CC BY 4.0 licence not a
    `dct:LicenseDocument`, the W3C specifications not `dct:Standard`s and the home and landing
    page not a `foaf:Document`: each is typed, once, and the licence stays Creative Commons'."""
    triples = described(loaded)
    assert range_check(as_rdflib(triples)) == (True, set())
    for value, cls in [
        (LICENCE, f"{DCT}LicenseDocument"),
        ("https://www.w3.org/TR/sparql11-protocol/", f"{DCT}Standard"),
        ("https://www.w3.org/TR/n-quads/", f"{DCT}Standard"),
        (BASE, "http://xmlns.com/foaf/0.1/Document"),
        (f"{EU}data-theme", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    ]:
        assert objects(triples, ox.NamedNode(value), RDF_TYPE) == [cls], value
    licences = {t.object.value for t in triples if t.predicate.value == f"{DCT}license"}
    assert licences == {LICENCE}
    # without the types, the same shapes fail on each of those values
    g = as_rdflib(triples)
    g.remove((None, rdflib.RDF.type, rdflib.URIRef(f"{DCT}LicenseDocument")))
    g.remove((None, rdflib.RDF.type, rdflib.URIRef(f"{DCT}Standard")))
    g.remove((None, rdflib.RDF.type, rdflib.URIRef("http://xmlns.com/foaf/0.1/Document")))
    conforms, failing = range_check(g)
    assert not conforms
    assert {LICENCE, BASE, "https://www.w3.org/TR/turtle/"} <= failing


def test_recommended_fields_the_project_knows_are_stated_and_no_others(
    loaded: LocalStore,
) -> None:
    """DCAT-AP's recommended fields a harvester found missing: the catalogue's issue date (the
    first ingest, as the dataset's) and theme table, a description of every distribution, and
    the SPARQL endpoint's file type. The publisher's kind is known nowhere: no `dct:type`."""
    triples = described(loaded)
    catalog = ox.NamedNode(f"{BASE}.well-known/void#catalog")
    assert objects(triples, catalog, f"{DCT}issued") == objects(triples, DS, f"{DCT}issued")
    assert objects(triples, catalog, f"{DCT}issued")
    assert objects(triples, catalog, f"{DCAT}themeTaxonomy") == [f"{EU}data-theme"]
    for dist in objects(triples, DS, f"{DCAT}distribution"):
        (text,) = [
            t.object
            for t in triples
            if t.subject.value == dist and t.predicate.value == f"{DCT}description"
        ]
        assert isinstance(text, ox.Literal), dist
        assert text.language == "en", dist
    nq = ox.NamedNode(f"{BASE}.well-known/void#distribution-kg.nq.gz")
    assert "N-Quads" in objects(triples, nq, f"{DCT}description")[0]
    for node in ("distribution-sparql", "sparql-service"):
        endpoint = ox.NamedNode(f"{BASE}.well-known/void#{node}")
        assert objects(triples, endpoint, f"{DCT}format") == [f"{EU}file-type/SPARQLQRES"]
    publisher = ox.NamedNode(f"{BASE}.well-known/void#publisher")
    assert objects(triples, publisher, f"{DCT}type") == []


def test_the_catalogue_has_no_issue_date_before_any_ingest() -> None:
    """An empty store has no first ingest: neither the dataset nor the catalogue is dated."""
    triples = described(LocalStore(None))
    assert not [t for t in triples if t.predicate.value == f"{DCT}issued"]


def test_the_dataset_says_how_to_cite_the_state_described(loaded: LocalStore) -> None:
    """An analyst's trial found no citation of the whole dataset, nor of which state of it:
    the description cites the snapshot (its name and date), the site and the licence."""
    triples = describe(
        loaded.current(), base=BASE, dumps=DUMPS, modified="2026-03-04T05:06:07Z", version="v9"
    )
    assert objects(triples, DS, f"{DCT}bibliographicCitation") == [
        f"Rural Integration Knowledge Graph (snapshot v9, 2026-03-04). {BASE} Licence: CC BY 4.0."
    ]
