"""`contact_url` (issue 17): an organisation's or project's own contact page."""

from pathlib import Path

from rdflib import URIRef

from ingest.mapping import record_graph
from ingest.pipeline import validate_sources
from ingest.record_format import parse_record
from kg.vocab import RIKG
from tests.conftest import BASE

NOW = "2026-01-01T00:00:00+00:00"


def add_field(records_dir: Path, line: str) -> None:
    path = records_dir / "organisation" / "test-ngo.md"
    text = path.read_text()
    path.write_text(text.replace("---\n", f"---\n{line}\n", 1))


def test_contact_url_maps_to_contact_page(records_dir: Path) -> None:
    add_field(records_dir, 'contact_url: "https://example.org/contact"')
    rec = parse_record(records_dir / "organisation" / "test-ngo.md")
    _, g = record_graph(rec, base=BASE, ingested_at=NOW)
    org = URIRef(f"{BASE}id/organisation/test-ngo")
    assert (org, RIKG.contactPage, URIRef("https://example.org/contact")) in g
    assert [e.message for e in validate_sources([records_dir], base=BASE)] == []


def test_contact_url_that_is_not_a_web_address_is_refused(records_dir: Path) -> None:
    add_field(records_dir, 'contact_url: "mailto:someone@example.org"')
    messages = [e.message for e in validate_sources([records_dir], base=BASE)]
    # the record is refused (so initiatives linking to it fail too), first for its contact_url
    assert (
        "test-ngo.md: contact_url: 'mailto:someone@example.org' is not an http(s) URL"
        in (messages[0])
    )
