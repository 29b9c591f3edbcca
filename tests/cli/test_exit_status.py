"""Issue 16: every command's exit status is the one its help states, tried with broken input as
a user gives it; errors are one plain line each, and library warnings and tracebacks reach the
terminal only with --verbose."""

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_main import kg
from tests.conftest import DATA

COMMANDS = ["ingest", "validate", "query", "export", "serve", "search", "eval", "draft"]
COMMANDS += ["moderate", "moderate list", "moderate show", "moderate accept", "moderate reject"]


def broken_records(tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(DATA / "records", tmp_path / "records"))
    path = folder / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace('start: "2019-03"', 'start: "2021-13-01"'))
    return folder


def test_the_help_states_the_exit_status(tmp_path: Path) -> None:
    out = kg(tmp_path, "--help")
    assert out.returncode == 0
    assert "Exit status of every command: 0 done; 1 an error" in " ".join(out.stdout.split())
    for command in COMMANDS:
        text = " ".join(kg(tmp_path, *command.split(), "--help").stdout.split())
        assert re.search(r"[Ee]xits? 1", text), command


def test_validate_exits_1_on_a_broken_record_and_0_when_fixed(tmp_path: Path) -> None:
    folder = broken_records(tmp_path)
    out = kg(tmp_path, "validate", str(folder))
    assert out.returncode == 1
    reason = "start: 2021-13-01 is not a valid date (month 13)"
    assert out.stderr == f"{folder}/initiative/village-welcome.md: {reason}\n"
    assert out.stdout == ""
    shutil.copy(DATA / "records" / "initiative" / "village-welcome.md", folder / "initiative")
    fixed = kg(tmp_path, "validate", str(folder))
    assert (fixed.returncode, fixed.stdout) == (0, "valid\n")


def test_library_warnings_and_tracebacks_only_with_verbose(tmp_path: Path) -> None:
    folder = broken_records(tmp_path)
    for args in (["validate", str(folder), "--verbose"], ["--verbose", "validate", str(folder)]):
        out = kg(tmp_path, *args)
        assert out.returncode == 1
        assert "rdflib" in out.stderr  # its warning about the impossible date, with traceback
        assert "Traceback" in out.stderr
        assert "start: 2021-13-01 is not a valid date (month 13)" in out.stderr
    quiet = kg(tmp_path, "ingest", str(folder), "--no-index")
    assert quiet.returncode == 1
    assert "Traceback" not in quiet.stderr
    assert "rdflib" not in quiet.stderr


@pytest.mark.parametrize(
    ("args", "status", "line"),
    [
        (["ingest", "{records}", "--no-index"], 1,
         "error: {records}/initiative/village-welcome.md: start: 2021-13-01 is not a valid date "
         "(month 13)"),
        (["ingest", "cordis", "{tmp}/nothing-here"], 1,
         "error: {tmp}/nothing-here: path: no such file or folder"),
        (["query", "SELEC ?x WHERE {{}}"], 1, "error: SPARQL syntax error: error at 1:"),
        (["query", "@{tmp}/missing.rq"], 1, "error: No such file or directory: {tmp}/missing.rq"),
        (["export", "--format", "docx"], 1, "error: format 'docx' is not one of"),
        (["search", "village", "--year", "20x"], 1,
         "error: year must be YYYY, YYYY-YYYY, YYYY- or -YYYY, not '20x'"),
        (["search", "village", "--mode", "fuzzy"], 1,
         "error: mode must be one of hybrid, keyword, vector"),
        (["eval", "{tmp}/bad.jsonl"], 1, "error: {tmp}/bad.jsonl:1: expected {{'q': ..."),
        (["eval", "{tmp}/missing.jsonl"], 2, "does not exist"),
        (["serve", "--port", "eighty"], 2, "Invalid value for '--port'"),
        (["validate", "--no-such-option"], 2, "No such option: --no-such-option"),
        (["draft", "{tmp}/missing.txt"], 1, "error: No such file or directory: {tmp}/missing.txt"),
        (["moderate", "list", "--state", "lost"], 1,
         "error: state must be one of pending, accepted, rejected"),
        (["moderate", "show", "nope"], 1, "error: no submission 'nope'"),
        (["moderate", "accept", "nope"], 1, "error: no submission 'nope'"),
        (["moderate", "reject", "nope", "--reason", "spam"], 1, "error: no submission 'nope'"),
    ],
)  # fmt: skip
def test_each_command_with_broken_input(
    tmp_path: Path, args: list[str], status: int, line: str
) -> None:
    records = broken_records(tmp_path)
    (tmp_path / "bad.jsonl").write_text('{"q": "x", "relevant": [1, 2]\n')
    fill = {"records": records, "tmp": tmp_path}
    out = kg(tmp_path, *(a.format(**fill) for a in args))
    assert out.returncode == status, out.stderr
    assert line.format(**fill) in out.stderr
    assert "Traceback" not in out.stderr


def test_serve_exits_1_when_the_store_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {**os.environ, "KG_STORE": str(blocker / "store"), "KG_CACHE_DIR": str(tmp_path / "c")}
    out = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", "0"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert f"error: cannot create store folder {blocker}/store: Not a directory" in out.stderr


def test_serve_exits_1_when_the_store_was_ingested_under_another_base(tmp_path: Path) -> None:
    """Every record page and record URI would be 404 (a trial ingested with the default base
    and served on another port): the server says so instead of starting."""
    assert kg(tmp_path, "ingest", str(DATA / "records"), "--no-index").returncode == 0
    env = {
        **os.environ,
        "KG_STORE": str(tmp_path / "store"),
        "KG_CACHE_DIR": str(tmp_path / "c"),
        "KG_BASE_URI": "https://rural-integration.example.eu/",
    }
    out = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", "0"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert (
        "error: the store's records were ingested under http://127.0.0.1:8000/, but KG_BASE_URI "
        "is https://rural-integration.example.eu/" in out.stderr
    )


def test_model_library_progress_bars_and_logs_only_with_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real model: sentence-transformers' log lines and its loading bar are library noise
    (on the torch backend; the default ONNX one loads without either)."""
    monkeypatch.setenv("KG_EMBED_BACKEND", "torch")
    assert kg(tmp_path, "ingest", str(DATA / "records"), "--no-index").returncode == 0
    quiet = kg(tmp_path, "search", "refugee families in villages", "-n", "1")
    assert quiet.returncode == 0
    assert "Village Welcome" in quiet.stdout
    assert "embedding model all-MiniLM-L6-v2 loaded" in quiet.stderr  # the tool's own line
    assert "Loading weights" not in quiet.stderr
    assert "sentence_transformers" not in quiet.stderr
    loud = kg(tmp_path, "--verbose", "search", "refugee families in villages", "-n", "1")
    assert loud.returncode == 0
    assert "Loading weights" in loud.stderr
    assert "sentence_transformers" in loud.stderr


def test_serve_exits_1_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "KG_STORE": "memory", "KG_CACHE_DIR": str(tmp_path / "c")}
        out = subprocess.run(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
            env=env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
    assert out.returncode == 1
    assert "address already in use" in out.stderr.lower()
    assert f"error: cannot serve on 127.0.0.1:{port} (see above)" in out.stderr
