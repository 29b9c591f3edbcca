from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from kg.store import GraphStore, LocalStore
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"


class CountingStore:
    """The app's store, counting every time a route asks it for the graph."""

    def __init__(self, inner: LocalStore) -> None:
        self.inner, self.reads = inner, 0

    def current(self) -> Any:
        self.reads += 1
        return self.inner.current()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


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
