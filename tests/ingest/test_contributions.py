"""`ingest.contributions.publish`: an accepted contribution is published whole or not at all."""

from pathlib import Path

import pytest

from ingest.contributions import check, publish, slugify, withdraw
from ingest.pipeline import ingest_records
from kg.errors import BadRequest, ValidationFailed
from kg.store import GraphStore, LocalStore

BASE = "http://kg.test/"
RECORD = """---
name: Raíces Nuevas
themes: [housing]
countries: [ES]
partners: [test-ngo]
descriptions:
  es: Familias refugiadas se instalan en pueblos de Teruel con vivienda y empleo.
sources:
  source-1: {url: "https://example.org/raices", title: "Raíces Nuevas"}
---
"""
DATES = {"contributed_on": "2026-11-20", "reviewed_on": "2026-11-29"}


def graph_count(store: GraphStore) -> int:
    return len(list(store.current().named_graphs()))


@pytest.fixture
def store(records_dir: Path) -> GraphStore:
    s = LocalStore(None)
    ingest_records(s, [records_dir], base=BASE)
    return s


def test_publish_files_and_ingests_with_provenance(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    contrib = tmp_path / "contributed"
    published = publish(
        RECORD, store=store, records_dir=records_dir, contrib_dir=contrib, base=BASE, **DATES
    )
    assert (published.kind, published.slug) == ("initiative", "raices-nuevas")
    text = (contrib / "initiative" / "raices-nuevas.md").read_text()
    assert "contributed_on: '2026-11-20'" in text
    assert "reviewed_on: '2026-11-29'" in text
    ask = store.current().query(
        "ASK { GRAPH ?g { ?g <http://purl.org/dc/terms/dateSubmitted> ?s ;"
        " <http://purl.org/dc/terms/dateAccepted> ?r ;"
        " <http://schema.org/about> <http://kg.test/id/initiative/raices-nuevas> } }"
    )
    assert bool(ask)
    assert [p.name for p in contrib.iterdir()] == ["initiative"]  # no staging left


def test_a_refused_record_publishes_nothing(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    before = graph_count(store)
    contrib = tmp_path / "contributed"
    bad = RECORD.replace("themes: [housing]", "themes: [no-such-theme]")
    with pytest.raises(ValidationFailed) as info:
        publish(bad, store=store, records_dir=records_dir, contrib_dir=contrib, base=BASE, **DATES)
    assert info.value.errors[0].message.startswith("initiative/raices-nuevas: themes")
    assert graph_count(store) == before
    assert not (contrib / "initiative" / "raices-nuevas.md").exists()
    assert not any(contrib.glob(".staging-*"))


def test_names_taken_or_missing_are_refused(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    contrib = tmp_path / "contributed"
    taken = RECORD.replace("name: Raíces Nuevas", "name: Village Welcome")
    with pytest.raises(BadRequest, match="exists already"):
        publish(
            taken, store=store, records_dir=records_dir, contrib_dir=contrib, base=BASE, **DATES
        )
    with pytest.raises(BadRequest, match="name"):
        publish(
            RECORD.replace("name: Raíces Nuevas\n", ""),
            store=store,
            records_dir=records_dir,
            contrib_dir=contrib,
            base=BASE,
            **DATES,
        )


def test_accepting_again_after_a_crash_publishes_the_same_file(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    contrib = tmp_path / "contributed"
    args = {"store": store, "records_dir": records_dir, "contrib_dir": contrib, "base": BASE}
    publish(RECORD, **args, **DATES)
    again = publish(RECORD, **args, contributed_on="2026-11-20", reviewed_on="2026-11-30")
    assert again.slug == "raices-nuevas"
    other = RECORD.replace("themes: [housing]", "themes: [employment]")
    with pytest.raises(BadRequest, match="contributed record"):
        publish(other, **args, **DATES)


def test_a_withdrawn_contribution_leaves_the_graph_and_its_folder(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    contrib = tmp_path / "contributed"
    args = {"store": store, "records_dir": records_dir, "contrib_dir": contrib, "base": BASE}
    before = graph_count(store)
    publish(RECORD, **args, **DATES)
    assert graph_count(store) == before + 1
    withdraw("initiative/raices-nuevas", **args)
    assert graph_count(store) == before
    about = "ASK { GRAPH ?g { <http://kg.test/id/initiative/raices-nuevas> ?p ?o } }"
    assert not bool(store.current().query(about))
    assert list(contrib.rglob("*.md")) == []
    withdraw("initiative/raices-nuevas", **args)  # again (a retry after a kill): no error
    assert graph_count(store) == before
    # the address is never given to another practice of the same name (a trial's second
    # "Orti Condivisi" took the withdrawn one's URI), but the withdrawn one may come back
    other = RECORD.replace("themes: [housing]", "themes: [employment]")
    with pytest.raises(BadRequest, match="withdrawn from the site"):
        publish(other, **args, **DATES)
    assert check(other, base=BASE, records_dir=records_dir, contrib_dir=contrib) != []
    assert graph_count(store) == before
    publish(RECORD, **args, **DATES, restore=True)
    assert graph_count(store) == before + 1
    assert not list((contrib / ".withdrawn").rglob("raices-nuevas"))
    with pytest.raises(BadRequest, match="not a contributed practice"):
        withdraw("initiative/../../etc", **args)
    with pytest.raises(BadRequest, match="not a contributed practice"):
        withdraw("organisation/test-ngo", **args)


def test_a_refused_withdrawal_puts_the_file_back(
    store: GraphStore, records_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contrib = tmp_path / "contributed"
    args = {"store": store, "records_dir": records_dir, "contrib_dir": contrib, "base": BASE}
    publish(RECORD, **args, **DATES)
    before = graph_count(store)

    def refused(*_: object, **__: object) -> None:
        raise ValidationFailed([])

    monkeypatch.setattr("ingest.contributions.ingest_records", refused)
    with pytest.raises(ValidationFailed):
        withdraw("initiative/raices-nuevas", **args)
    assert (contrib / "initiative" / "raices-nuevas.md").exists()
    assert not list(contrib.glob(".withdrawing-*"))
    assert graph_count(store) == before


def test_slugify() -> None:
    assert slugify("Proyecto Arraigo (España)") == "proyecto-arraigo-espana"
    long = "Raíces Nuevas – acogida de familias refugiadas en pueblos de Soria"
    assert (
        slugify(long) == "raices-nuevas-acogida-de-familias-refugiadas-en-pueblos-de"
    )  # whole words
    assert slugify("x" * 80) == "x" * 60
    with pytest.raises(BadRequest):
        slugify("¿?")


def test_check_names_what_would_refuse_an_edited_record() -> None:
    assert check(RECORD, base=BASE) == []
    broken = RECORD.replace("themes: [housing]", "themes: [housing")
    (problem,) = check(broken, base=BASE)
    # where the parser noticed, and the line a moderator must fix (themes)
    assert problem.startswith("front matter, line 4 of the record: YAML:")
    assert problem.endswith("(in what begins on line 3)")
    # a theme the scheme lacks is named on "Save", not first on "accept"
    (problem,) = check(RECORD.replace("themes: [housing]", "themes: [cheese-making]"), base=BASE)
    assert problem.startswith("themes: cheese-making is not a theme concept")
    (problem,) = check(RECORD.replace("countries: [ES]", "countries: [Spain]"), base=BASE)
    assert problem.startswith("countries: 'Spain' is not an ISO 3166")
    with_phone = RECORD.replace("y empleo.", "y empleo. Tel. 600 123 456.")
    (problem,) = check(with_phone, base=BASE)
    assert problem.startswith("descriptions: holds contact details (telephone '600 123 456')")


def test_check_names_a_name_taken_as_accept_would(
    store: GraphStore, records_dir: Path, tmp_path: Path
) -> None:
    contrib = tmp_path / "contributed"
    dirs = {"records_dir": records_dir, "contrib_dir": contrib}
    assert check(RECORD, base=BASE, **dirs) == []
    curated = RECORD.replace("name: Raíces Nuevas", "name: Village Welcome")
    (said,) = check(curated, base=BASE, **dirs)
    with pytest.raises(BadRequest) as accepting:
        publish(curated, store=store, base=BASE, **dirs, **DATES)
    assert said == accepting.value.message
    assert said.startswith("name: a record initiative/village-welcome exists already")
    publish(RECORD, store=store, base=BASE, **dirs, **DATES)
    assert check(RECORD, base=BASE, **dirs) == []  # the same record, accepted again
    second = RECORD.replace("themes: [housing]", "themes: [employment]")
    (said,) = check(second, base=BASE, **dirs)
    with pytest.raises(BadRequest) as accepting:
        publish(second, store=store, base=BASE, **dirs, **DATES)
    assert said == accepting.value.message
    assert said.startswith("name: a contributed record initiative/raices-nuevas exists already")
