"""The `kg` command as a user runs it: a subprocess with KG_ variables."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BUNDLED


def kg(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KG_STORE": str(tmp_path / "store"),
        "KG_CACHE_DIR": str(tmp_path / "c"),
        "KG_DATA_DIR": str(tmp_path / "data"),  # ingest writes the dumps: not in the checkout
        "KG_QUEUE_DIR": str(tmp_path / "queue"),
        "KG_CONTRIB_DIR": str(tmp_path / "contributed"),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float, str]:
    tmp = tmp_path_factory.mktemp("cli")
    start = time.perf_counter()
    first = kg(tmp, "ingest")
    first_secs = time.perf_counter() - start
    assert first.returncode == 0, first.stderr
    start = time.perf_counter()
    second = kg(tmp, "ingest")
    second_secs = time.perf_counter() - start
    assert second.returncode == 0, second.stderr
    return tmp, first_secs, second_secs, second.stdout


def test_query_finds_matilde_by_grant(ingested: tuple[Path, float, float, str]) -> None:
    tmp = ingested[0]
    out = kg(
        tmp,
        "query",
        'SELECT ?n WHERE { ?p <http://schema.org/identifier> "870831" ; '
        "<http://schema.org/name> ?n }",
    )
    assert out.returncode == 0, out.stderr
    assert "Migration Impact Assessment to Enhance Integration" in out.stdout


def test_every_seed_slug_is_a_project_with_name_description_source(
    ingested: tuple[Path, float, float, str],
) -> None:
    slugs = sorted(p.stem for p in (BUNDLED / "initiative").glob("*.md"))
    out = kg(
        ingested[0],
        "query",
        "--format",
        "csv",
        """
        SELECT ?p WHERE { ?p a schema:Project ; schema:name ?n ; schema:description ?d ;
                             dcterms:source ?s } GROUP BY ?p""",
    )
    found = sorted(line.rsplit("/", 1)[-1] for line in out.stdout.split()[1:])
    assert found == slugs


def test_reingest_unchanged_reports_zero_changes_and_is_5x_faster(
    ingested: tuple[Path, float, float, str],
) -> None:
    _, first, second, stdout = ingested
    assert "(0 changes" in stdout
    assert first / second >= 5, f"first {first:.2f}s, re-run {second:.2f}s"


def test_query_formats(ingested: tuple[Path, float, float, str]) -> None:
    q = "SELECT ?s WHERE { ?s a schema:Project } LIMIT 1"
    assert kg(ingested[0], "query", "-f", "json", q).stdout.startswith('{"head"')
    ttl = kg(
        ingested[0],
        "query",
        "-f",
        "turtle",
        "CONSTRUCT { ?s a schema:Project } WHERE { ?s a schema:Project } LIMIT 1",
    )
    assert "schema:Project" in ttl.stdout


def test_syntax_error_is_one_line(tmp_path: Path) -> None:
    out = kg(tmp_path, "query", "SELEC nonsense")
    assert out.returncode == 1
    assert out.stderr.startswith("error: SPARQL syntax error")


def test_broken_record_names_file_and_field(tmp_path: Path) -> None:
    rec = tmp_path / "records" / "initiative" / "bad.md"
    rec.parent.mkdir(parents=True)
    rec.write_text("---\nname: Bad\nstart: 'soon'\nsources: {a: {url: 'https://x.org'}}\n---\nB\n")
    out = kg(tmp_path, "ingest", str(tmp_path / "records"))
    assert out.returncode == 1
    assert f"{rec}: start:" in out.stderr
    assert len([line for line in out.stderr.splitlines() if "bad.md" in line]) == 1


def test_os_error_is_one_line(tmp_path: Path) -> None:
    out = kg(tmp_path, "query", f"@{tmp_path / 'missing.rq'}")
    assert out.returncode == 1
    assert out.stderr == f"error: No such file or directory: {tmp_path / 'missing.rq'}\n"


def test_usage_error_is_not_a_traceback(tmp_path: Path) -> None:
    out = kg(tmp_path, "no-such-command")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "No such command" in out.stderr
