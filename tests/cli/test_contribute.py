"""`kg draft` and `kg moderate` as a curator runs them (subprocesses, the real model)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
DESCRIPTION = (
    "Raíces Nuevas ayuda desde 2019 a familias refugiadas a instalarse en pueblos de Teruel. "
    "La Fundación Cepaim ofrece vivienda, empleo y clases de español, con 350.000 euros."
)


def kg(tmp: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KG_STORE": str(tmp / "store"),
        "KG_CACHE_DIR": str(tmp / "cache"),
        "KG_DATA_DIR": str(tmp / "data"),
        "KG_QUEUE_DIR": str(tmp / "queue"),
        "KG_CONTRIB_DIR": str(tmp / "contributed"),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("contribute-cli")
    done = kg(folder, "ingest")
    assert done.returncode == 0, done.stderr
    return folder


def test_draft_from_standard_input_prints_a_marked_record(tmp: Path) -> None:
    out = kg(
        tmp, "draft", "--name", "Raíces Nuevas", "--source", "https://e.org/rn", stdin=DESCRIPTION
    )
    assert out.returncode == 0, out.stderr
    front = out.stdout.split("---\n")[1]
    assert "name: Raíces Nuevas  # suggestion" in front
    assert re.search(r"- ES242  # suggestion 0\.\d\d: Teruel", front)
    assert re.search(r"- fundacion-cepaim  # suggestion", front)
    assert 'start: "2019"' in front
    assert "amount: 350000" in front
    assert 'url: "https://e.org/rn"' in front


def test_draft_reads_a_saved_web_page_and_writes_files(tmp: Path) -> None:
    page = tmp / "page.html"
    page.write_text(
        "<html><head><script>var x = 'Fundación Cepaim';</script></head><body><nav>Menu</nav>"
        f"<h1>Raíces Nuevas</h1><p>{DESCRIPTION}</p><p>Con la Asociación Vecinal de Ejulve.</p>"
        "</body></html>"
    )
    out = kg(tmp, "draft", str(page), "--out", str(tmp / "drafts"))
    assert out.returncode == 0, out.stderr
    record = (tmp / "drafts" / "initiative" / "raices-nuevas.md").read_text()
    assert "Menu" not in record
    assert "var x" not in record
    org = tmp / "drafts" / "organisation" / "asociacion-vecinal-de-ejulve.md"
    assert "name: Asociación Vecinal de Ejulve  # suggestion" in org.read_text()


def test_draft_refuses_too_little_text(tmp: Path) -> None:
    out = kg(tmp, "draft", stdin="A village.")
    assert out.returncode == 1
    assert (
        out.stderr.strip() == "error: description: give at least a few sentences about the practice"
    )


def test_draft_eval_themes_and_countries_precise(tmp: Path) -> None:
    out = kg(tmp, "draft", "--eval")
    assert out.returncode == 0, out.stderr
    rows = {
        m[1]: (float(m[2]), float(m[3]))
        for m in re.finditer(r"^(\w+)\s+([\d.]+)\s+([\d.]+)\s+\d+\s+\d+$", out.stdout, re.M)
    }
    assert rows["themes"][0] >= 0.8, out.stdout
    assert rows["countries"][0] >= 0.8, out.stdout
    assert set(rows) >= {"themes", "target_groups", "countries", "funding", "partners"}


def test_moderate_from_the_command_line(tmp: Path) -> None:
    from kg.moderation import ModerationQueue

    queue = ModerationQueue(tmp / "queue")
    record = kg(
        tmp, "draft", "--name", "Raíces Nuevas", "--source", "https://e.org/rn", stdin=DESCRIPTION
    )
    good = queue.submit(
        description=DESCRIPTION,
        record_text=record.stdout,
        lang="es",
        sources=["https://e.org/rn"],
        contact_name="Ana",
        contact_email="ana@example.org",
    )[0]
    spam = queue.submit(
        description="buy now",
        record_text="---\nname: x\n---\n",
        lang="en",
        sources=[],
        contact_name="x",
        contact_email="x@example.org",
    )[0]
    listed = kg(tmp, "moderate", "list")
    assert listed.returncode == 0
    assert "2 pending" in listed.stdout
    shown = kg(tmp, "moderate", "show", good.id)
    assert "ana@example.org" in shown.stdout  # the moderator's own view only
    assert kg(tmp, "moderate", "reject", spam.id, "--reason", "advertising").returncode == 0
    accepted = kg(tmp, "moderate", "accept", good.id)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.strip() == "accepted: initiative/raices-nuevas"
    name = kg(
        tmp,
        "query",
        "SELECT ?d WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/dateAccepted> ?d ; "
        "<http://schema.org/about> <http://127.0.0.1:8000/id/initiative/raices-nuevas> } }",
    )
    assert re.search(r"\d{4}-\d{2}-\d{2}", name.stdout), name.stdout + name.stderr
    again = kg(tmp, "moderate", "accept", good.id)
    assert again.returncode == 1
    assert "already accepted" in again.stderr
    assert kg(tmp, "moderate", "show", "../../etc/passwd").returncode == 1
    state = json.loads(next((tmp / "queue" / "rejected").glob("*.json")).read_text())
    assert state["reason"] == "advertising"
    # a plain re-ingest keeps the contributed record (it reads both folders)
    assert "0 removed" in kg(tmp, "ingest", "--no-index").stdout
    # withdrawn: out of the graph and the search, its file gone, the contributor erased
    assert kg(tmp, "moderate", "withdraw", spam.id, "--reason", "x").returncode == 1
    gone = kg(tmp, "moderate", "withdraw", good.id, "--reason", "the practice asked us to")
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout.strip() == "withdrawn: initiative/raices-nuevas"
    about = "<http://127.0.0.1:8000/id/initiative/raices-nuevas>"
    asked = kg(tmp, "query", f"ASK {{ GRAPH ?g {{ {about} ?p ?o }} }}")
    assert "false" in asked.stdout.lower(), asked.stdout + asked.stderr
    assert "raices-nuevas" not in kg(tmp, "search", "Raíces Nuevas Teruel").stdout
    assert not list((tmp / "contributed").rglob("raices-nuevas.md"))
    assert "ana@example.org" not in kg(tmp, "moderate", "show", good.id).stdout
    # withdrawn by mistake: published again at its own address
    back = kg(tmp, "moderate", "republish", good.id)
    assert back.returncode == 0, back.stderr
    assert back.stdout.strip() == "published again: initiative/raices-nuevas"
    asked = kg(tmp, "query", f"ASK {{ GRAPH ?g {{ {about} ?p ?o }} }}")
    assert "true" in asked.stdout.lower(), asked.stdout + asked.stderr
    assert kg(tmp, "moderate", "republish", good.id).returncode == 1  # not withdrawn now
