"""A store holding the small test record set (and the ontology), shared by tests of the readers."""

from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.store import LocalStore
from tests.conftest import BASE


@pytest.fixture
def loaded(records_dir: Path) -> LocalStore:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    return store
