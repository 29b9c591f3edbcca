"""Issue 16: every real CORDIS file in the shared samples folder ingests, and three projects per
file carry the values of their rows. The folder is required: without it this test fails."""

import csv
from pathlib import Path

import pytest

from ingest.cordis import Selection, ingest_cordis, load_export
from kg.store import GraphStore
from tests.cli.test_main import kg
from tests.conftest import BASE, SHARED
from tests.ingest.cordis_facts import initiative_count, project_facts

SAMPLES = SHARED / "cordis-samples"
FP7 = "fp7_test_projects.csv"
HORIZON = "horizon-europe-rows.csv"


def sample_files() -> list[Path]:
    assert SAMPLES.is_dir(), f"{SAMPLES} is missing (set KG_SHARED_DIR to the shared folder)"
    return sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md")


def test_every_sample_file_is_one_we_check() -> None:
    assert [p.name for p in sample_files()] == [FP7, HORIZON]


@pytest.mark.parametrize(("name", "count"), [(FP7, 59), (HORIZON, 4)])
def test_each_sample_file_reads_whole(name: str, count: int) -> None:
    projects, errors = load_export(SAMPLES / name, Selection())
    assert errors == []
    assert len(projects) == count


def test_the_samples_folder_ingests_with_every_row() -> None:
    store = GraphStore(None)
    report = ingest_cordis(store, SAMPLES, base=BASE)
    assert report.errors == []
    assert report.projects == 63
    assert initiative_count(store) == 63


def test_fp7_projects_match_their_rows() -> None:
    """The FP7 file is strict RFC 4180, so Python's csv module gives the rows to compare with."""
    file = sample_files()[0]
    with file.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh, delimiter=";")}
    store = GraphStore(None)
    ingest_cordis(store, file, base=BASE)
    for pid in ("330057", "287711", "250043"):
        row, facts = rows[pid], project_facts(store, pid)
        assert facts["name"] == {row["title"]}
        assert facts["acronym"] == {row["acronym"]}
        assert facts["description"] == {row["objective"]}
        assert facts["start"] == {row["startDate"]}
        assert facts["end"] == {row["endDate"]}
        assert {k: float(v) for k, v in facts["amounts"].items()} == {
            "total": float(row["totalCost"]),
            "eu-contribution": float(row["ecMaxContribution"]),
        }
        assert facts["funding"] == {"fp7"}
        assert facts["calls"] == {row["subCall"]}
    assert project_facts(store, "330057")["acronym"] == {"Local Turn"}


def horizon_rows() -> dict[str, dict[str, str]]:
    """The Horizon Europe rows split without any CSV reader: every field before the objective
    and after it is free of `;`, so the objective is what lies between field 16 and the last 3
    (its outer quotes removed)."""
    lines = sample_files()[1].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    out = {}
    for line in lines[1:]:
        *before, rest = line.split(";", 16)
        objective, *after = rest.rsplit(";", 3)
        assert objective.startswith('"')
        assert objective.endswith('"')
        row = dict(zip(header, [*before, objective[1:-1], *after], strict=True))
        out[row["id"]] = row
    return out


def test_horizon_europe_rows_with_inner_quotes_match_their_rows() -> None:
    """Python's csv module cannot split these rows (bare quotes before `;` in objectives)."""
    rows = horizon_rows()
    assert len(rows) == 4
    store = GraphStore(None)
    ingest_cordis(store, sample_files()[1], base=BASE)
    for pid in ("101165535", "101177315", "101178477"):
        row, facts = rows[pid], project_facts(store, pid)
        assert facts["name"] == {row["title"].strip('"')}
        assert facts["acronym"] == {row["acronym"]}
        assert facts["description"] == {row["objective"]}
        assert facts["start"] == {row["startDate"]}
        assert facts["end"] == {row["endDate"]}
        assert {k: float(v) for k, v in facts["amounts"].items()} == {
            "total": float(row["totalCost"].replace(",", ".")),
            "eu-contribution": float(row["ecMaxContribution"].replace(",", ".")),
        }
        assert facts["calls"] == {row["masterCall"]}
        assert facts["funding"] == {"horizon-europe"}
    (supa,) = project_facts(store, "101177315")["description"]
    assert 'so-called "rule-offsetting" schemes; (2) investigates how legislators' in supa


def test_kg_ingest_cordis_reads_the_samples_folder(tmp_path: Path) -> None:
    out = kg(tmp_path, "ingest", "cordis", str(SAMPLES), "--no-index")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ingest: 63 CORDIS projects")
    assert "0 refused" in out.stdout
