"""A store holding the small test record set (and the ontology), shared by tests of the readers."""

from pathlib import Path

import pytest

from kg.store import LocalStore
from tests.conftest import BASE, ingested


@pytest.fixture
def loaded(records_dir: Path) -> LocalStore:
    store = ingested(records_dir, base=BASE)
    return store
