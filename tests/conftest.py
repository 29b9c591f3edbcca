"""Shared fixtures: small record folders, in-memory and on-disk stores, settings from mappings."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.settings import PROJECT_ROOT, Settings
from kg.store import GraphStore, LocalStore, open_store

DATA = Path(__file__).parent / "data"
BUNDLED = PROJECT_ROOT / "ingest" / "records"
BASE = "http://kg.test/"
#: the team's shared folder (CORDIS samples, facts files, seeds): `../shared` beside the project,
#: or KG_SHARED_DIR. Tests that need it fail, never skip, when it is missing.
SHARED = Path(os.environ.get("KG_SHARED_DIR") or PROJECT_ROOT.parent / "shared")
#: the RDF media types the server writes, each with the name rdflib parses it by
RDF_FORMATS = [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(autouse=True)
def _state_outside_the_checkout(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A test's settings that keep the default state folders (`var/data`, `var/cache`,
    `var/queue`, `var/contributed`, relative to the working directory) write them in a
    folder of its own, not in the checkout, where a test once removed the dumps of a server
    running beside the tests. End-to-end tests start servers from the checkout and keep it."""
    if request.node.get_closest_marker("e2e") or request.node.get_closest_marker("browser"):
        return
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def ingested(
    records_dir: Path, extra: Mapping[str, str] | None = None, *, base: str = BASE
) -> LocalStore:
    """A fresh in-memory store holding the records of `records_dir` under `base`, after
    writing `extra` into it: record texts by "kind/slug" ("event/rural-day")."""
    for name, text in (extra or {}).items():
        path = records_dir / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=base)
    return store


def edit_record(records_dir: Path, old: str, new: str) -> Path:
    """The test initiative's file in `records_dir` with `old` (which it must hold) written
    `new`; its path."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


@pytest.fixture
def records_dir(tmp_path: Path) -> Path:
    """A copy of the small test record set, safe to edit."""
    target = tmp_path / "records"
    shutil.copytree(DATA / "records", target)
    return target


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {"KG_STORE": str(tmp_path / "store"), "KG_BASE_URI": BASE},
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
    )


@pytest.fixture
def disk_store(settings: Settings) -> GraphStore:
    return open_store(settings)


@pytest.fixture
def memory_store() -> GraphStore:
    return LocalStore(None)
