from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.errors import ValidationFailed
from kg.graphs import select, triple_count
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE

NAMES = "SELECT ?g ?n WHERE { GRAPH ?g { ?s <http://schema.org/name> ?n } }"


def names(store: GraphStore) -> dict[str, str]:
    return {r["g"].rsplit("/", 1)[-1]: r["n"] for r in select(store.current(), NAMES)}


def test_changing_one_file_replaces_exactly_that_record(records_dir: Path) -> None:
    store = LocalStore(None)
    first = ingest_records(store, [records_dir], base=BASE)
    assert len(first.added) == 2
    before = {q for q in store.current() if "test-ngo" in q.graph_name.value}
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace("name: Village Welcome", "name: Village Welcome II"))
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.updated == [str(path)]
    assert report.unchanged == 1
    assert names(store)["village-welcome"] == "Village Welcome II"
    assert {q for q in store.current() if "test-ngo" in q.graph_name.value} == before


def test_unchanged_sources_write_nothing(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    version = store.version().name
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.changes == 0
    assert store.version().name == version


def test_invalid_record_refuses_the_whole_ingest(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    count = triple_count(store.current())
    bad = records_dir / "initiative" / "broken.md"
    bad.write_text(
        "---\nname: Broken\nthemes: [nonsense]\nsources: {a: {url: 'https://x.org'}}\n---\nB\n"
    )
    with pytest.raises(ValidationFailed, match=r"broken\.md: themes"):
        ingest_records(store, [records_dir], base=BASE)
    assert triple_count(store.current()) == count


def test_keep_going_loads_the_valid_records(records_dir: Path) -> None:
    store = LocalStore(None)
    bad = records_dir / "initiative" / "broken.md"
    bad.write_text(
        "---\nname: Broken\nthemes: [nonsense]\nsources: {a: {url: 'https://x.org'}}\n---\nB\n"
    )
    report = ingest_records(store, [records_dir], base=BASE, keep_going=True)
    assert [e.file for e in report.errors] == [str(bad)]
    assert set(names(store)) == {"village-welcome", "test-ngo"}


def test_removed_file_removes_its_graph(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    (records_dir / "initiative" / "village-welcome.md").unlink()
    (records_dir / "organisation" / "test-ngo.md").write_text(
        "---\nname: Test NGO\nsources: {a: {url: 'https://x.org'}}\n---\n"
    )
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.removed == [f"{BASE}graph/initiative/village-welcome"]
    assert set(names(store)) == {"test-ngo"}


TITLE = "<https://example.org/a> <http://purl.org/dc/terms/title> ?t"
TITLES = f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ {TITLE} }} }}"
UNION_TITLES = f"SELECT ?t WHERE {{ {TITLE} }}"
NGO_CITING_A = (
    "---\nname: Test NGO\norg_type: ngo\ncountry: ES\n"
    'sources:\n  a: {url: "https://example.org/a", title: "Source A"}\n---\n'
)


def _titles(store: GraphStore) -> list[tuple[str, str]]:
    return sorted((r["g"].rsplit("/", 2)[-2], r["t"]) for r in select(store.current(), TITLES))


def _union_titles(store: GraphStore) -> list[str]:
    result = store.current().query(UNION_TITLES, use_default_graph_as_union=True)
    return [row["t"].value for row in result]  # type: ignore[union-attr]


def test_a_document_two_records_cite_has_its_title_once(records_dir: Path) -> None:
    """Both records give https://example.org/a the title "Source A": the statement is in the
    graph of source titles only, so the union default graph (what `/sparql` queries) holds it
    once, and each record's document still names it."""
    from kg.record_document import document

    (records_dir / "organisation" / "test-ngo.md").write_text(NGO_CITING_A)
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    assert _titles(store) == [("sources", "Source A")]
    assert _union_titles(store) == ["Source A"]
    for kind, slug in (("initiative", "village-welcome"), ("organisation", "test-ngo")):
        triples = document(store.current(), base=BASE, kind=kind, slug=slug)
        assert "Source A" in {t.object.value for t in triples}


def test_titles_follow_the_files_and_a_partial_ingest_loses_none(records_dir: Path) -> None:
    store = LocalStore(None)
    ngo = records_dir / "organisation" / "test-ngo.md"
    ngo.write_text(NGO_CITING_A)
    ingest_records(store, [records_dir], base=BASE)
    # one file ingested on its own: the title the other record gives stays
    ngo.write_text(NGO_CITING_A.replace("Source A", "A, renamed"))
    ingest_records(store, [ngo], base=BASE, prune=False)
    assert sorted(_union_titles(store)) == ["A, renamed", "Source A"]
    # a full ingest: exactly the titles the files give
    village = records_dir / "initiative" / "village-welcome.md"
    village.write_text(village.read_text().replace('title: "Source A"', 'title: "A, renamed"'))
    ingest_records(store, [records_dir], base=BASE)
    assert _union_titles(store) == ["A, renamed"]


def test_a_refused_record_keeps_the_titles_of_what_it_cites(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    village = records_dir / "initiative" / "village-welcome.md"
    village.write_text(village.read_text().replace("themes: [housing", "themes: [nonsense"))
    (records_dir / "organisation" / "test-ngo.md").write_text(
        "---\nname: Test NGO II\norg_type: ngo\ncountry: ES\n"
        "sources: {a: {url: 'https://example.org/ngo'}}\n---\n"
    )
    report = ingest_records(store, [records_dir], base=BASE, keep_going=True)
    assert [e.file for e in report.errors] == [str(village)]
    assert names(store)["test-ngo"] == "Test NGO II"  # the other record was written
    assert _union_titles(store) == ["Source A"]  # the refused one's earlier graph stays, titled


def test_an_edited_scheme_file_alone_is_written(
    records_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new SKOS label in a scheme file, no record changed: the next ingest writes the scheme's
    graph (it returned early, having found every record unchanged) and says so."""
    import shutil

    import ingest.pipeline as pipeline

    ontology = tmp_path / "ontology"
    shutil.copytree(pipeline.ONTOLOGY, ontology)
    monkeypatch.setattr(pipeline, "ONTOLOGY", ontology)
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    theme = ontology / "schemes" / "theme.ttl"
    theme.write_text(theme.read_text().replace('"language courses"@en,', '"language classes"@en,'))
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.schemes == [f"{BASE}graph/ontology/theme"]
    assert "1 ontology or scheme files updated" in report.summary()
    labels = "SELECT ?l WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#altLabel> ?l } }"
    assert "language classes" in {r["l"] for r in select(store.current(), labels)}
    assert ingest_records(store, [records_dir], base=BASE).schemes == []  # once only


def test_a_store_ingested_under_another_base_keeps_no_graph_of_it(records_dir: Path) -> None:
    """Ingested again under a new base URI, a store serves every graph once, under the new
    base: the records, the ontology and concept schemes, and the titles of the sources (a
    store reused from a trial on another port served every scheme twice)."""
    store = LocalStore(None)
    ingest_records(store, [records_dir], base="http://old.example/")
    ingest_records(store, [records_dir], base=BASE)
    graphs = {r["g"] for r in select(store.current(), "SELECT DISTINCT ?g { GRAPH ?g { } }")}
    assert graphs
    assert all(g.startswith(BASE) for g in graphs), sorted(graphs)[:3]
    again = ingest_records(store, [records_dir], base=BASE)
    assert again.changes == 0
    assert again.schemes == []


def test_no_published_text_names_a_working_folder() -> None:
    """A researcher read "Derived from the seed documents in shared/seeds" in the published
    description of two concept schemes: a path of the project's working files, which no reader
    of the graph can open."""
    from rdflib import Graph, Literal

    from kg.settings import PROJECT_ROOT

    for path in sorted((PROJECT_ROOT / "ontology").rglob("*.ttl")):
        texts = [o for o in Graph().parse(path).objects() if isinstance(o, Literal)]
        assert texts, path
        assert not [t for t in texts if "shared/" in t], path
