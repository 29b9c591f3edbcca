import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import NotFound
from kg.settings import PROJECT_ROOT
from kg.store import LocalStore
from kg.vocab import RIKG_NS
from kg.vocabulary import vocabulary, vocabulary_document
from tests.conftest import BASE

SCHEMA = "http://schema.org/"


def test_the_document_is_the_ontology_file_without_the_ingests_provenance(
    loaded: LocalStore,
) -> None:
    """What `/ns.ttl` serves says what `ontology/rikg.ttl` says, and nothing of the ingest
    (its graph's source file, hash and adapter)."""
    triples = vocabulary_document(loaded.current(), base=BASE)
    served = rdflib.Graph()
    for t in triples:
        served.parse(data=f"{t} .", format="nt")
    own = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "rikg.ttl")
    assert isomorphic(served, own)


def test_every_term_is_listed_once_with_its_label_comment_and_place(loaded: LocalStore) -> None:
    vocab = vocabulary(loaded.current(), base=BASE)
    assert vocab.prefix == "rikg"
    assert vocab.title("en") == "Rural Integration Knowledge Graph ontology"
    classes = {t.name: t for t in vocab.classes}
    properties = {t.name: t for t in vocab.properties}
    functions = {t.name: t for t in vocab.functions}
    assert classes["Initiative"].parents == (f"{SCHEMA}Project",)
    assert classes["Initiative"].label("es") == "Iniciativa"
    assert classes["Pilot"].label("es") == "Piloto"  # as the search filter names it
    assert classes["Organisation"].label("es") == "Organización"
    for term in [*vocab.classes, *vocab.properties, *vocab.functions]:  # every language
        assert all(term.label_lang(lang) == lang for lang in ("es", "it", "de", "fr")), term.name
    assert properties["coordinator"].domain == (f"{RIKG_NS}Initiative",)
    assert properties["coordinator"].range == (f"{SCHEMA}Organization",)
    assert properties["coordinator"].comment("de") == (
        "The organisation that leads the initiative.",
        "en",
    )
    assert set(functions) == {"similarity"}
    own = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "rikg.ttl")
    defined = {str(s) for s in own.subjects() if str(s).startswith(RIKG_NS)}
    listed = [t.iri for t in [*vocab.classes, *vocab.properties, *vocab.functions]]
    assert sorted(listed) == sorted(defined)


def test_an_empty_store_has_no_vocabulary() -> None:
    with pytest.raises(NotFound):
        vocabulary(LocalStore(None).current(), base=BASE)
