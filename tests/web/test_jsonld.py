"""The schema.org description embedded in record pages, and the citation line."""

import json
from pathlib import Path

from ingest.pipeline import ingest_records
from kg.record_document import view
from kg.store import LocalStore
from tests.conftest import BASE
from web.jsonld import citation, dumps, schema_org

PAGE = f"{BASE}initiative/village-welcome"


def record(records_dir: Path):  # type: ignore[no-untyped-def]
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    return view(store.current(), base=BASE, kind="initiative", slug="village-welcome")


def test_an_initiative_is_a_schema_org_project_with_its_facts(records_dir: Path) -> None:
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert doc["@type"] == "Project"
    assert doc["@id"] == f"{BASE}id/initiative/village-welcome"
    assert doc["url"] == PAGE
    assert doc["name"] == "Village Welcome"
    assert doc["alternateName"] == ["VW"]
    assert "refugee families" in doc["description"]


def test_the_script_block_cannot_be_closed_by_a_value() -> None:
    text = dumps({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_the_citation_names_the_record_and_its_address(records_dir: Path) -> None:
    line = citation(record(records_dir), page_url=PAGE)
    assert "Village Welcome" in line
    assert PAGE in line
