from fastapi.testclient import TestClient

from ingest.pipeline import ingest_records
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import BASE
from web.app import create_app


def test_healthz_counts_records(settings: Settings, records_dir, memory_store: GraphStore) -> None:
    ingest_records(memory_store, [records_dir], base=BASE)
    client = TestClient(create_app(settings, store=memory_store))
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["records"] == {"initiative": 1, "organisation": 1}
