"""Issue 16: every shape of CORDIS table found in the wild reads into the same RDF.

Fixtures: tests/data/cordis-shapes (invented projects; see its README).
"""

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.cordis import Selection, ingest_cordis, load_export
from kg.errors import ValidationFailed
from kg.export import export_graph
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE, DATA
from tests.ingest.cordis_facts import initiative_count, project_facts, rows_of

SHAPES = DATA / "cordis-shapes"
GEN2019 = SHAPES / "gen2019"


def ingested(path: Path, *, keep_going: bool = False) -> GraphStore:
    store = LocalStore(None)
    ingest_cordis(store, path, base=BASE, keep_going=keep_going)
    return store


def test_2019_2021_generation_reads_by_header_into_the_same_fields() -> None:
    store = ingested(GEN2019)
    assert initiative_count(store) == 3
    facts = project_facts(store, "990000201")
    assert facts["name"] == {
        "Village Work: a fictional project on newcomers finding jobs in small towns"
    }
    assert facts["acronym"] == {"VILLAGEWORK"}
    assert facts["description"] == {
        'A fictional objective; it mentions "quoted words" and a semicolon.'
    }
    assert facts["start"] == {"2020-02-01"}
    assert facts["end"] == {"2023-01-31"}
    assert facts["amounts"] == {"total": "1999000.5", "eu-contribution": "1999000.5"}
    assert facts["funding"] == {"horizon-2020"}
    assert facts["calls"] == {"H2020-SC6-MIGRATION-2019"}
    assert facts["url"] == {"https://example.org/villagework"}
    # the organisation file's `id` column is the organisation id, its roles map as now
    assert facts["coordinator"] == {"cordis-999100001"}
    assert facts["partners"] == {"cordis-999100002", "cordis-999100003"}
    assert facts["spatial"] == {"FIN", "FRA", "AUT"}
    # FARMLINK's frameworkProgramme is empty: its call says Horizon 2020
    assert project_facts(store, "990000203")["funding"] == {"horizon-2020"}


def test_contact_persons_are_never_stored_or_hashed() -> None:
    projects, errors = load_export(GEN2019, Selection())
    assert errors == []
    rows = [p.row for p in projects] + [x.row for p in projects for x in p.participations]
    assert all(not k.startswith("contact") for r in rows for k in r.values)
    dump = export_graph(ingested(GEN2019).current(), "nq").decode()
    assert "FICTIONAL UNIVERSITY OF THE LAKES" in dump
    # the records' graphs (the ontology's own term rikg:contactPage aside)
    records = "\n".join(q for q in dump.splitlines() if "/graph/ontology/" not in q)
    for personal in ("Erika", "Mustermann", "Jeanne", "+358 99", "Project officer", "contact"):
        assert personal not in records


def _gen2019_tables() -> dict[str, list[dict[str, str]]]:
    tables = {}
    for path in sorted(GEN2019.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            tables[path.stem] = list(csv.DictReader(fh, delimiter=";"))
    return tables


def test_json_xlsx_and_zipped_copies_read_like_the_csv(tmp_path: Path) -> None:
    expected = {pid: project_facts(ingested(GEN2019), pid) for pid in ("990000201", "990000202")}
    as_json = tmp_path / "json"
    as_json.mkdir()
    as_xlsx = tmp_path / "xlsx"
    as_xlsx.mkdir()
    for stem, rows in _gen2019_tables().items():
        (as_json / f"{stem}.json").write_text(json.dumps(rows))
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
        book.save(as_xlsx / f"{stem}.xlsx")
    # a zip whose tables carry download names and sit one folder down
    zipped = tmp_path / "download.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for path in GEN2019.glob("*.csv"):
            zf.write(path, f"export-2021/{path.name}")
    for source in (as_json, as_xlsx, zipped):
        store = ingested(source)
        assert initiative_count(store) == 3, source
        assert {pid: project_facts(store, pid) for pid in expected} == expected, source


def test_a_single_table_file_is_a_source(tmp_path: Path) -> None:
    store = ingested(GEN2019 / "cordis-h2020projects.csv")
    facts = project_facts(store, "990000201")
    assert facts["funding"] == {"horizon-2020"}
    # no organisation file: the countries come from the project table's own columns
    assert facts["spatial"] == {"FIN", "FRA", "AUT"}
    assert facts["coordinator"] == set()


def test_tab_separated_organisations_and_fp7_programme() -> None:
    store = ingested(SHAPES / "fp7-tab")
    facts = project_facts(store, "990000301")
    assert facts["funding"] == {"fp7"}
    assert facts["amounts"] == {"total": "1500000", "eu-contribution": "1200000"}
    assert facts["coordinator"] == {"cordis-999300001"}
    assert facts["partners"] == {"cordis-999300002"}
    assert facts["spatial"] == {"GRC", "ESP"}  # CORDIS writes Greece as EL


def test_comma_delimited_fp4_to_fp6_projects_map_to_their_programmes() -> None:
    store = ingested(SHAPES / "older")
    assert {pid: project_facts(store, pid)["funding"] for pid in ("990000401", "990000402")} == {
        "990000401": {"fp4"},
        "990000402": {"fp5"},
    }
    assert project_facts(store, "990000403")["funding"] == {"fp6"}  # from its call FP6-…


def test_framework_programme_concepts_have_labels_in_five_languages() -> None:
    store = ingested(SHAPES / "older")
    q = """SELECT ?c (GROUP_CONCAT(DISTINCT LANG(?l); separator=",") AS ?langs) WHERE {
        ?c skos:inScheme <https://w3id.org/rikg/scheme/funding> ; skos:prefLabel ?l }
        GROUP BY ?c"""
    langs = {r["c"].rsplit("/", 1)[-1]: set(r["langs"].split(",")) for r in rows_of(store, q)}
    for concept in ("fp4", "fp5", "fp6", "fp7", "horizon-2020", "horizon-europe"):
        assert langs[concept] == {"en", "es", "it", "de", "fr"}, concept


def test_inner_quotes_as_written_in_the_wild(tmp_path: Path) -> None:
    store = ingested(SHAPES / "horizon-quotes", keep_going=True)
    described = {
        pid: project_facts(store, pid)["description"]
        for pid in ("990000501", "990000502", "990000503", "990000505")
    }
    assert described == {
        "990000501": {
            'It studies so-called "welcome pacts" in villages; (1) who signs them; '
            "(2) what they change."
        },
        "990000502": {'Newcomers call it a "second home"; the project asks why.'},
        "990000503": {'A "model village" programme, quoted the RFC 4180 way; invented.'},
        "990000505": {'First line of an invented objective.\nSecond line, with "quotes" too.'},
    }
    assert project_facts(store, "990000505")["funding"] == {"horizon-europe"}


def test_a_row_that_cannot_be_split_is_named_never_dropped(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(SHAPES / "horizon-quotes", tmp_path / "export"))
    with pytest.raises(ValidationFailed) as caught:
        ingest_cordis(LocalStore(None), folder, base=BASE)
    assert [e.message for e in caught.value.errors] == [
        f"{folder / 'project.csv'}:5: objective: expected 20 fields, found 21; "
        'field 17 starts "They call it "home" (a quote inside it cannot be read)'
    ]


def test_same_named_tables_in_two_folders_are_both_read_and_copies_once(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    for folder in ("fp7-tab", "gen2019"):
        target = export / folder
        target.mkdir(parents=True)
        for path in (SHAPES / folder).glob("*projects.csv"):
            (target / "projects.csv").write_bytes(path.read_bytes())
    with zipfile.ZipFile(export / "gen2019.zip", "w") as zf:  # a zip beside its extraction
        zf.write(GEN2019 / "cordis-h2020projects.csv", "projects.csv")
    projects, errors = load_export(export, Selection())
    assert errors == []
    assert sorted(p.id for p in projects) == ["990000201", "990000202", "990000203", "990000301"]


def _statements(store: GraphStore) -> set[str]:
    """Every quad but the provenance that names the file, the time and the rows' hash."""
    skip = ("#sourceFile>", "#generatedAtTime>", "#contentHash>")
    lines = export_graph(store.current(), "nq").decode().splitlines()
    return {line for line in lines if not any(s in line for s in skip)}


def test_both_generations_of_the_same_project_give_the_same_statements(tmp_path: Path) -> None:
    """VILLAGEWORK as the 2019–2021 files have it, and rewritten in the current columns."""
    old = tmp_path / "old"
    old.mkdir()
    tables = _gen2019_tables()
    project = next(r for r in tables["cordis-h2020projects"] if r["acronym"] == "VILLAGEWORK")
    orgs = [r for r in tables["cordis-h2020organizations"] if r["projectID"] == project["id"]]
    for stem, rows in (("cordis-h2020projects", [project]), ("cordis-h2020organizations", orgs)):
        with (old / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
    new = tmp_path / "new"
    new.mkdir()
    current = {
        "id": project["id"], "acronym": project["acronym"], "status": "CLOSED",
        "title": project["title"], "startDate": project["startDate"],
        "endDate": project["endDate"], "totalCost": project["totalCost"],
        "ecMaxContribution": project["ecMaxContribution"], "legalBasis": project["programme"],
        "topics": project["topics"], "frameworkProgramme": "", "masterCall": project["call"],
        "subCall": project["call"], "fundingScheme": project["fundingScheme"],
        "objective": project["objective"], "rcn": project["rcn"],
        "projectUrl": project["projectUrl"],
    }  # fmt: skip
    with (new / "project.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(current), delimiter=";")
        writer.writeheader()
        writer.writerow(current)
    org_columns = {
        "projectID": "projectID", "organisationID": "id", "name": "name",
        "shortName": "shortName", "activityType": "activityType", "role": "role",
        "country": "country", "city": "city", "organizationURL": "organizationUrl",
    }  # fmt: skip
    with (new / "organization.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(org_columns), delimiter=";")
        writer.writeheader()
        writer.writerows({k: r[v] for k, v in org_columns.items()} for r in orgs)
    from_old, from_new = _statements(ingested(old)), _statements(ingested(new))
    assert len(from_old) > 40
    assert from_old == from_new


def test_a_table_downloaded_in_two_formats_is_read_once(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GEN2019, tmp_path / "downloads"))
    for stem, rows in _gen2019_tables().items():
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
        book.save(folder / f"{stem}.xlsx")
        (folder / f"{stem}.json").write_text(json.dumps(rows))
    projects, errors = load_export(folder, Selection())
    assert errors == []
    assert sorted(p.id for p in projects) == ["990000201", "990000202", "990000203"]
    assert {p.row.file.rsplit(".", 1)[-1] for p in projects} == {"csv"}
