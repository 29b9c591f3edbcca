"""`kg ingest cordis PATH` as a user runs it; `kg ingest [SOURCES]` keeps its meaning."""

import zipfile
from pathlib import Path

from tests.cli.test_main import kg
from tests.conftest import DATA


def test_ingest_cordis_zip_with_a_topic_then_again_unchanged(tmp_path: Path) -> None:
    export = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(export, "w") as zf:
        for path in sorted((DATA / "cordis" / "csv").iterdir()):
            zf.write(path, path.name)
    args = ("ingest", "cordis", str(export), "--topic", "MIGRATION-", "--no-index")
    first = kg(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    assert "1 CORDIS projects (0 merged into curated records), 3 organisations" in first.stdout
    again = kg(tmp_path, *args)
    assert again.returncode == 0, again.stderr
    assert "(0 changes" in again.stdout
    out = kg(tmp_path, "query", "-f", "csv", "SELECT ?t WHERE { ?p rikg:fundingTopic ?t }")
    assert out.stdout.split() == ["t", "MIGRATION-99-2019"]
    assert (tmp_path / "store").exists()


def test_cordis_options_need_the_cordis_source(tmp_path: Path) -> None:
    out = kg(tmp_path, "ingest", str(tmp_path), "--topic", "MIGRATION-")
    assert out.returncode == 1
    assert out.stderr == "error: --topic, --call and --keyword go with: kg ingest cordis PATH\n"
    assert kg(tmp_path, "ingest", "cordis").returncode == 1


def test_malformed_cordis_row_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for path in (DATA / "cordis" / "csv").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    with (folder / "project.csv").open("a") as fh:
        fh.write('"broken";"row"\n')
    out = kg(tmp_path, "ingest", "cordis", str(folder), "--no-index")
    assert out.returncode == 1
    assert f"{folder / 'project.csv'}:6: row: expected 20 fields, found 2" in out.stderr


def test_keep_going_loads_the_rest_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for path in (DATA / "cordis" / "csv").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    with (folder / "project.csv").open("a") as fh:
        fh.write('"broken";"row"\n')
    out = kg(tmp_path, "ingest", "cordis", str(folder), "--keep-going", "--no-index")
    assert out.returncode == 1
    assert "3 CORDIS projects" in out.stdout
    assert "1 refused" in out.stdout


def test_ingest_cordis_help_lists_the_shapes_read(tmp_path: Path) -> None:
    out = kg(tmp_path, "ingest", "cordis", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    for shape in (
        "Tables (.csv, .tsv, .json, .xlsx) are recognised by header, not name",
        "rcn;id;acronym;status;programme;topics;",
        "projectRcn;projectID;projectAcronym;role;id;name;",
        "Delimiter `;`, tab or `,` (sniffed)",
        "doubled, backslash-escaped or bare",
        "Programmes FP4-FP7, H2020, Horizon Europe",
        "Contact-person columns (contact...) are never read",
    ):
        assert shape in text
