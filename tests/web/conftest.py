from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_records
from kg.settings import Settings
from kg.store import LocalStore
from web.app import create_app

BASE = "http://testserver/"


@pytest.fixture
def client(records_dir: Path) -> Iterator[TestClient]:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    settings = Settings.from_env({"KG_BASE_URI": BASE, "KG_STORE": "memory"})
    with TestClient(create_app(settings, store=store), follow_redirects=False) as c:
        yield c
