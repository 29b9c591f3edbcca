"""`kg moderate accept` SIGKILLed at points across its run: no accepted submission is lost, no
record is half published, and accepting again (or the next ingest) finishes the job."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest.record_format import parse_record
from kg.moderation import ModerationQueue
from kg.settings import Settings
from kg.store import open_store
from tests.conftest import DATA

pytestmark = pytest.mark.e2e
TRIALS = 6
BASE = "http://kg.test/"
RECORD = """---
name: {name}
themes: [housing]
countries: [ES]
partners: [test-ngo]
sources:
  source-1: {{url: "https://example.org/{slug}", title: "{name}"}}
---
Refugee families settle in villages with empty houses and local jobs ({name}).
"""


def env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KG_STORE": str(tmp / "store"),
        "KG_BASE_URI": BASE,
        "KG_RECORDS_DIR": str(tmp / "records"),
        "KG_QUEUE_DIR": str(tmp / "queue"),
        "KG_CONTRIB_DIR": str(tmp / "contributed"),
        "KG_DATA_DIR": str(tmp / "data"),
        "KG_CACHE_DIR": str(tmp / "cache"),
    }


def kg(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env(tmp),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def submit(queue: ModerationQueue, n: int) -> str:
    name = f"Village Practice {n}"
    return queue.submit(
        description=name,
        record_text=RECORD.format(name=name, slug=f"village-practice-{n}"),
        lang="en",
        sources=[],
        contact_name="C",
        contact_email=f"c{n}@example.org",
    )[0].id


def published(tmp: Path, n: int) -> bool:
    """The record's graph in the store, and whole: its name and its review date together."""
    settings = Settings.from_env(env(tmp))
    store: ox.Store = open_store(settings).current()
    graph = ox.NamedNode(f"{BASE}graph/initiative/village-practice-{n}")
    names = list(store.quads_for_pattern(None, ox.NamedNode("http://schema.org/name"), None, graph))
    reviewed = list(
        store.quads_for_pattern(
            graph, ox.NamedNode("http://purl.org/dc/terms/dateAccepted"), None, graph
        )
    )
    assert bool(names) == bool(reviewed), "half a record was published"
    return bool(names)


def test_killed_accepts_lose_nothing_and_publish_whole_records(tmp_path: Path) -> None:
    shutil.copytree(DATA / "records", tmp_path / "records")
    assert kg(tmp_path, "ingest", "--no-index").returncode == 0
    queue = ModerationQueue(tmp_path / "queue")
    started = time.perf_counter()
    clean = kg(tmp_path, "moderate", "accept", submit(queue, 0))
    duration = time.perf_counter() - started
    assert clean.returncode == 0, clean.stderr
    assert published(tmp_path, 0)
    outcomes = []
    for n in range(1, TRIALS + 1):
        sub_id = submit(queue, n)
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "moderate", "accept", sub_id],
            env=env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * (0.35 + 0.65 * n / TRIALS))  # from imports to the last write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = queue.get(sub_id).state  # the submission is never lost
        record = tmp_path / "contributed" / "initiative" / f"village-practice-{n}.md"
        if record.exists():  # a record file is whole or absent
            assert f"Village Practice {n}" in parse_record(record).data["name"]
        was_published = published(tmp_path, n)
        if state == "accepted":
            assert was_published
        outcomes.append((state, record.exists(), was_published))
        if state == "pending":  # the moderator accepts again
            again = kg(tmp_path, "moderate", "accept", sub_id)
            assert again.returncode == 0, again.stderr
        assert queue.get(sub_id).state == "accepted"
        assert published(tmp_path, n)
    assert not list((tmp_path / "contributed").glob(".staging-*"))  # cleared by the retries
    again = kg(tmp_path, "ingest", "--no-index")
    assert again.returncode == 0
    assert "0 added, 0 updated, 0 removed" in again.stdout, (again.stdout, outcomes)
    # the kills landed at different points: at least one before and one after the file landed
    assert any(not file for _s, file, _p in outcomes), outcomes
    assert any(file for _s, file, _p in outcomes), outcomes
