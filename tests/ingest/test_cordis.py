"""The CORDIS adapter (issue 7) on small exports that follow facts.md Part 2.1.

The fixtures under tests/data/cordis are invented projects (ids 9900001xx) plus MATILDE with only
the facts that facts.md gives; the tests zip them, as CORDIS ships them.
"""

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest.cordis import Selection, ingest_cordis, load_export
from ingest.pipeline import ingest_records
from kg.errors import RecordError, ValidationFailed
from kg.graphs import triple_count
from kg.queries import PREFIXES
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE, BUNDLED, DATA

CORDIS = DATA / "cordis"
ROOTSHARE = f"{BASE}id/initiative/cordis-990000101"
MATILDE = f"{BASE}id/initiative/matilde"


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    return target


@pytest.fixture
def csv_zip(tmp_path: Path) -> Path:
    return zipped(CORDIS / "csv", tmp_path / "cordis-h2020projects-csv.zip")


@pytest.fixture
def json_zip(tmp_path: Path) -> Path:
    return zipped(CORDIS / "json", tmp_path / "cordis-h2020projects-json.zip")


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CORDIS / "csv", tmp_path / "export"))


def values(store: GraphStore, query: str) -> set[str]:
    """Values of ?v over the union of all named graphs."""
    result = store.current().query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return {row["v"].value for row in result if row["v"] is not None}


def test_csv_zip_with_bom_shuffled_columns_and_both_decimal_marks(csv_zip: Path) -> None:
    assert (CORDIS / "csv" / "project.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    projects, errors = load_export(csv_zip, Selection())
    assert errors == []
    by_id = {p.id: p for p in projects}
    assert set(by_id) == {"990000101", "990000102", "870831"}
    assert by_id["990000101"].total_cost == Decimal("2999875.50")  # "2999875,50"
    assert by_id["990000102"].eu_contribution == Decimal("1250000.5")  # "1250000.5"
    assert by_id["990000101"].objective.endswith("welcome newcomers.\nIt has a second line.")
    assert by_id["990000101"].subjects == ["sociology"]
    assert by_id["990000101"].topic_titles == {
        "MIGRATION-99-2019": "Fictional topic: newcomers in rural villages"
    }
    roles = {(p.org_key, p.role) for p in by_id["990000101"].participations}
    assert roles == {
        ("990000001", "coordinator"),
        ("990000002", "partner"),
        ("990000003", "partner"),
    }


def test_json_zip_and_folder_read_like_the_csv_zip(
    csv_zip: Path, json_zip: Path, csv_dir: Path
) -> None:
    def facts(path: Path) -> dict[str, tuple[object, ...]]:
        projects, errors = load_export(path, Selection())
        assert errors == []
        return {
            p.id: (p.title, p.start, p.total_cost, p.eu_contribution, len(p.participations))
            for p in projects
        }

    from_csv = facts(csv_zip)
    assert facts(csv_dir) == from_csv
    from_json = facts(json_zip)
    assert from_json == {k: v for k, v in from_csv.items() if k != "870831"}


def test_malformed_rows_are_reported_with_file_and_line(csv_dir: Path) -> None:
    project_csv = csv_dir / "project.csv"
    header = project_csv.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    bad = ['"990000109"' if h == '"id"' else '"2021-13-40"' if h == '"startDate"' else '"x"'
           for h in header]  # fmt: skip
    with project_csv.open("a", encoding="utf-8") as fh:
        fh.write(";".join(bad) + "\n" + '"only";"three";"fields"\n')
    projects, errors = load_export(csv_dir, Selection())
    # the first project's objective spans two lines, so the appended rows start on lines 6, 7
    assert [e.message for e in errors] == [
        # ISO in form, no day in fact: which part is wrong (a data steward's trial)
        f"{project_csv}:6: startDate: '2021-13-40' is not a valid date (month 13)",
        f'{project_csv}:7: row: expected 20 fields, found 3; field 3 starts "fields" '
        "(the row ends after it)",
    ]
    assert len(projects) == 3
    assert all(isinstance(e, RecordError) and e.line for e in errors)


def test_a_malformed_row_refuses_the_ingest_unless_keep_going(csv_dir: Path) -> None:
    org_csv = csv_dir / "organization.csv"
    text = org_csv.read_text(encoding="utf-8-sig")
    org_csv.write_text(text.replace('"coordinator";"990000102"', '"boss";"990000102"'))
    store = LocalStore(None)
    with pytest.raises(ValidationFailed, match=r"organization\.csv:5: role: unknown role 'boss'"):
        ingest_cordis(store, csv_dir, base=BASE)
    assert triple_count(store.current()) == 0
    report = ingest_cordis(store, csv_dir, base=BASE, keep_going=True)
    assert len(report.errors) == 1
    assert f"{BASE}graph/initiative/cordis-990000102" in report.added


def test_a_renamed_column_refuses_the_table_and_keeps_what_was_loaded(csv_dir: Path) -> None:
    """A data steward's trial renamed `startDate` (and `ecMaxContribution`): the ingest said
    "59 updated", exit 0, and the start dates and EU contributions loaded before were gone."""
    store = LocalStore(None)
    ingest_cordis(store, csv_dir, base=BASE)
    start = f"SELECT ?v WHERE {{ <{ROOTSHARE}> schema:startDate ?v }}"
    before = values(store, start)
    assert before
    version = store.version().name
    project_csv = csv_dir / "project.csv"
    text = project_csv.read_text(encoding="utf-8-sig")
    project_csv.write_text(text.replace('"startDate"', '"start_date"', 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as refused:
        ingest_cordis(store, csv_dir, base=BASE)
    [error] = refused.value.errors
    assert error.message.startswith(f"{project_csv}: startDate: no column startDate in this ")
    # the columns it has, as the file writes them, to see the rename
    assert "start_date, endDate" in error.message
    assert "frameworkProgramme" in error.message
    assert store.version().name == version
    assert values(store, start) == before
    # nor with keep_going: the table is not read, so no project of it is rewritten without it
    report = ingest_cordis(store, csv_dir, base=BASE, keep_going=True)
    assert not [g for g in report.updated if "/initiative/" in g]
    assert values(store, start) == before


def loaded_with_participants(csv_dir: Path) -> tuple[LocalStore, str, set[str]]:
    """A store holding the whole export, a query of one project's organisations and places,
    and its answer."""
    store = LocalStore(None)
    ingest_cordis(store, csv_dir, base=BASE)
    who = f"SELECT ?v WHERE {{ <{ROOTSHARE}> rikg:coordinator|rikg:partner|dcterms:spatial ?v }}"
    before = values(store, who)
    assert before
    return store, who, before


def changed_projects(csv_dir: Path, name: str) -> Path:
    """A folder beside the export holding its project table alone, one objective changed."""
    folder = csv_dir.parent / name
    folder.mkdir()
    text = (csv_dir / "project.csv").read_text(encoding="utf-8-sig")
    (folder / "project.csv").write_text(text.replace("A fictional project", "A changed one", 1))
    return folder


def test_an_export_without_organisations_keeps_those_loaded_before(csv_dir: Path) -> None:
    """Exports add up: a project table loaded alone after the whole export (the CORDIS samples
    are project tables alone) had removed every project's coordinator, partners and places."""
    store, who, before = loaded_with_participants(csv_dir)
    alone = changed_projects(csv_dir, "projects-only")
    project_csv = alone / "project.csv"
    with pytest.raises(ValidationFailed) as refused:
        ingest_cordis(store, alone, base=BASE)
    # each of the three projects, all three known with organisations
    refusals = [e.message.split(": ", 2) for e in refused.value.errors]
    assert refusals[0][:2] == [f"{project_csv}:2", "organization"]
    assert [r[1] for r in refusals] == ["organization"] * 3
    assert all("Load the project and organisation tables together" in r[2] for r in refusals)
    assert values(store, who) == before
    # the whole export loads as before; a project known without organisations still loads
    # from a project table alone, changed
    assert ingest_cordis(store, csv_dir, base=BASE).errors == []
    assert values(store, who) == before
    fresh = LocalStore(None)
    ingest_cordis(fresh, csv_dir / "project.csv", base=BASE)
    report = ingest_cordis(fresh, alone, base=BASE)
    assert report.errors == []
    assert len(report.updated) == 1


def test_an_organisation_table_speaks_only_for_the_projects_it_names(csv_dir: Path) -> None:
    """A folder of two programmes' exports with the organisations of one: the other's projects,
    known with their organisations, are refused, not stripped of them (a review)."""
    store, who, before = loaded_with_participants(csv_dir)
    mixed = changed_projects(csv_dir, "mixed")
    (mixed / "other-projects.csv").write_text(
        "id;acronym;title;startDate;endDate;totalCost;ecMaxContribution;objective\n"
        "990000199;OTHER;Other project;2020-01-01;2021-01-01;100;100;Another fictional one.\n"
    )
    orgs = (csv_dir / "organization.csv").read_text(encoding="utf-8-sig").splitlines()
    other = orgs[1].replace('"990000101"', '"990000199"', 1).replace('"ROOTSHARE"', '"OTHER"')
    (mixed / "other-organizations.csv").write_text(f"{orgs[0]}\n{other}\n")
    with pytest.raises(ValidationFailed) as refused:
        ingest_cordis(store, mixed, base=BASE)
    assert {e.message.split(": ")[1] for e in refused.value.errors} == {"organization"}
    assert all(str(mixed / "project.csv") in e.message for e in refused.value.errors)
    assert values(store, who) == before
    report = ingest_cordis(store, mixed, base=BASE, keep_going=True)
    assert f"{BASE}graph/initiative/cordis-990000199" in report.added
    # a refused project is counted once, as refused, not also as unchanged
    outcomes = report.unchanged + len(report.added) + len(report.updated) + len(report.errors)
    assert outcomes == 5  # 4 projects, 1 organisation
    assert values(store, who) == before


def test_provenance_names_the_file_once_and_an_export_without_projects_says_what_it_has(
    csv_dir: Path,
) -> None:
    store = LocalStore(None)
    ingest_cordis(store, csv_dir / "project.csv", base=BASE)
    q = 'SELECT DISTINCT ?v WHERE { ?g rikg:sourceFile ?v ; rikg:adapter "cordis" }'
    assert values(store, q) == {"project.csv"}  # was "project.csv/project.csv"
    folder = LocalStore(None)
    ingest_cordis(folder, csv_dir, base=BASE)
    assert values(folder, q) == {"export/project.csv", "export/organization.csv"}
    only = csv_dir.parent / "organisations-only"
    only.mkdir()
    shutil.copy(csv_dir / "organization.csv", only)
    with pytest.raises(RecordError, match=r"found: organization\.csv \(organisation table\)"):
        load_export(only, Selection())


def test_contact_details_in_an_objective_refuse_that_project(csv_dir: Path) -> None:
    """Personal data is never published: an objective naming a person's e-mail address
    refuses its project, named by file, line and field, as a curated record is refused; with
    `keep_going` the other projects load and nothing of it is stored."""
    project_csv = csv_dir / "project.csv"
    text = project_csv.read_text(encoding="utf-8-sig")
    project_csv.write_text(
        text.replace("A fictional project used by the tests;", "Write to j.doe@example.org;", 1),
        encoding="utf-8",
    )
    store = LocalStore(None)
    with pytest.raises(ValidationFailed) as refused:
        ingest_cordis(store, csv_dir, base=BASE)
    [error] = refused.value.errors
    assert error.message.startswith(f"{project_csv}:2: objective: holds contact details")
    assert "j.doe@example.org" in error.message
    assert triple_count(store.current()) == 0
    report = ingest_cordis(store, csv_dir, base=BASE, keep_going=True)
    assert len(report.errors) == 1
    assert f"{BASE}graph/initiative/cordis-990000101" not in report.added
    assert f"{BASE}graph/initiative/cordis-990000102" in report.added
    assert not values(store, 'SELECT ?v WHERE { ?s ?p ?v FILTER(CONTAINS(STR(?v), "j.doe")) }')


def test_selection_by_topic_call_and_keyword(csv_zip: Path) -> None:
    def ids(selection: Selection) -> set[str]:
        return {p.id for p in load_export(csv_zip, selection)[0]}

    assert ids(Selection(topics=("MIGRATION-",))) == {"990000101"}
    assert ids(Selection(calls=("H2020-SC6-MIGRATION",))) == {"990000101", "870831"}
    assert ids(Selection(keywords=("Agriculture",))) == {"990000102"}
    assert ids(Selection(topics=("MIGRATION-", "HORIZON-CL2"), keywords=("farm",))) == {"990000102"}


def test_projects_map_to_initiatives_with_organisations_roles_and_places(csv_zip: Path) -> None:
    store = LocalStore(None)
    report = ingest_cordis(store, csv_zip, base=BASE, selection=Selection(topics=("MIGRATION-",)))
    assert report.projects == 1
    assert report.organisations == 3
    q = f"SELECT ?v WHERE {{ <{ROOTSHARE}> rikg:coordinator/schema:name ?v }}"
    assert values(store, q) == {"FICTIONAL UNIVERSITY OF THE NORTHERN HILLS"}
    q = f"SELECT ?v WHERE {{ <{ROOTSHARE}> dcterms:spatial ?v }}"
    assert {v.rsplit("/", 1)[-1] for v in values(store, q)} == {
        "ESP", "ITA", "GRC", "ES242", "ITC11", "EL41"
    }  # fmt: skip
    q = f"SELECT ?v WHERE {{ <{ROOTSHARE}> rikg:budget [ rikg:amountKind ?k ; schema:value ?v ] }}"
    assert values(store, q) == {"2999875.5"}
    q = f"SELECT ?v WHERE {{ <{ROOTSHARE}> schema:sameAs|rikg:fundingTopic|rikg:fundingCall ?v }}"
    assert values(store, q) == {
        "https://cordis.europa.eu/project/id/990000101",
        "MIGRATION-99-2019",
        "H2020-SC6-MIGRATION-2019",
    }
    q = f"SELECT ?v WHERE {{ GRAPH ?v {{ ?v schema:about <{ROOTSHARE}> ; rikg:adapter ?a }} }}"
    assert values(store, q) == {f"{BASE}graph/initiative/cordis-990000101"}


def test_reingest_of_an_unchanged_export_changes_nothing(csv_zip: Path) -> None:
    store = LocalStore(None)
    first = ingest_cordis(store, csv_zip, base=BASE)
    assert first.changes == 9  # 3 projects, 6 organisations
    version = store.version().name
    again = ingest_cordis(store, csv_zip, base=BASE)
    assert again.changes == 0
    assert again.unchanged == 9
    assert store.version().name == version


def test_a_curated_project_is_merged_not_duplicated(csv_zip: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    curated = f"{BASE}graph/initiative/matilde"
    before = set(store.current().quads_for_pattern(None, None, None, ox.NamedNode(curated)))
    report = ingest_cordis(store, csv_zip, base=BASE)
    assert report.merged == [MATILDE]
    after = set(store.current().quads_for_pattern(None, None, None, ox.NamedNode(curated)))
    assert after == before  # the curated record's own statements are untouched
    q = 'SELECT ?v WHERE { ?v schema:identifier "870831" ; rikg:kind ?k }'
    assert values(store, q) == {MATILDE}
    q = "SELECT ?v WHERE { GRAPH ?g { ?v ?p ?o } FILTER(CONTAINS(STR(?v), 'cordis-870831')) }"
    assert values(store, q) == set()
    q = f"""SELECT ?v WHERE {{ GRAPH <{BASE}graph/cordis/870831> {{
        <{MATILDE}> rikg:coordinator ?o .
        <{BASE}graph/cordis/870831> rikg:adapter "cordis" }}
        ?o schema:name ?v }}"""
    assert values(store, q) == {"University of Eastern Finland"}
    q = f"SELECT ?v WHERE {{ GRAPH <{BASE}graph/cordis/870831> {{ <{MATILDE}> schema:name ?v }} }}"
    assert values(store, q) == set()  # CORDIS's title is an alternate name there
    # a later curated ingest (which prunes its own graphs) keeps the CORDIS graphs
    ingest_records(store, [BUNDLED], base=BASE)
    assert ingest_cordis(store, csv_zip, base=BASE).changes == 0


def test_cordis_records_pass_the_shacl_shapes(csv_zip: Path) -> None:
    from rdflib import Graph

    from ingest.validate import validate_graph

    store = LocalStore(None)
    ingest_cordis(store, csv_zip, base=BASE)
    union = Graph()
    union.parse(data=store.current().dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    flat = Graph()
    for triple in union.triples((None, None, None)):
        flat.add(triple)
    assert [p for p in validate_graph(flat, {}) if p.severity == "Violation"] == []


def test_a_curated_project_mapped_before_schema_same_as_is_still_merged(csv_zip: Path) -> None:
    """Records mapped before 6 December linked their CORDIS page with owl:sameAs. A CORDIS
    ingest run on such a store before the records are ingested again still merges the project
    into its curated record instead of publishing a duplicate (a review)."""
    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    current = store.current()
    graph = ox.NamedNode(f"{BASE}graph/initiative/matilde")
    schema_same = ox.NamedNode("http://schema.org/sameAs")
    for quad in list(current.quads_for_pattern(ox.NamedNode(MATILDE), schema_same, None, graph)):
        current.remove(quad)
        current.add(
            ox.Quad(
                quad.subject,
                ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                quad.object,
                graph,
            )
        )
    report = ingest_cordis(store, csv_zip, base=BASE)
    assert report.merged == [MATILDE]
    q = "SELECT ?v WHERE { GRAPH ?g { ?v ?p ?o } FILTER(CONTAINS(STR(?v), 'cordis-870831')) }"
    assert values(store, q) == set()


def test_a_file_saved_in_latin_1_names_its_line_and_how_to_save_it(csv_dir: Path) -> None:
    """European Excel saves CSV in Windows-1252 unless told otherwise; a data steward's trial
    got only the byte offset."""
    project_csv = csv_dir / "project.csv"
    text = project_csv.read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    lines[3] = lines[3].replace("fictional", "fictiónal", 1)
    assert "fictiónal" in lines[3]
    project_csv.write_bytes("\n".join(lines).encode("cp1252"))
    with pytest.raises(RecordError) as refused:
        load_export(csv_dir, Selection())
    assert refused.value.message.startswith(f"{project_csv}:4: file: not UTF-8 (")
    assert "save it as UTF-8" in refused.value.message
    # after a byte-order mark, the byte is still counted from the file's start
    raw = "\n".join(lines).encode("cp1252")
    project_csv.write_bytes(b"\xef\xbb\xbf" + raw)
    with pytest.raises(RecordError) as refused:
        load_export(csv_dir, Selection())
    accent = raw.index("fictiónal".encode("cp1252")) + len("ficti")
    assert f"at byte {3 + accent}" in refused.value.message
    assert refused.value.message.startswith(f"{project_csv}:4: ")
