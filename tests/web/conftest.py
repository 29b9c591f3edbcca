from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"


@contextmanager
def client_of(
    store: GraphStore, *, base: str = BASE, follow_redirects: bool = False
) -> Iterator[TestClient]:
    """A client of the app serving `store` under `base`, its lifespan run."""
    settings = Settings.from_env({"KG_BASE_URI": base, "KG_STORE": "memory"})
    with TestClient(create_app(settings, store=store), follow_redirects=follow_redirects) as c:
        yield c


@pytest.fixture
def client(records_dir: Path) -> Iterator[TestClient]:
    with client_of(ingested(records_dir, base=BASE)) as c:
        yield c
