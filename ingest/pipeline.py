"""`kg ingest` / `kg validate` for curated records: parse, validate with SHACL, then write.

Unchanged files are recognised by content hash and skipped before parsing, so a re-ingest of
unchanged sources reads files, asks the store one query and writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph
from tqdm import tqdm

from ingest.mapping import record_graph
from ingest.records import Record, parse_record, record_files
from ingest.validate import ONTOLOGY, schemes_graph, validate_graph
from kg.errors import RecordError, ValidationFailed
from kg.graphs import content_hashes
from kg.namespaces import graph_iri, record_iri
from kg.store import GraphChange, GraphStore

log = logging.getLogger(__name__)
MAPPER_VERSION = "1"


@dataclass
class IngestReport:
    files: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)

    def summary(self) -> str:
        return (
            f"{self.files} files: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged, "
            f"{len(self.errors)} refused"
        )


def load_records(paths: Iterable[Path]) -> tuple[list[Record], list[RecordError]]:
    records, errors = [], []
    for path in paths:
        try:
            records.append(parse_record(path))
        except RecordError as exc:
            errors.append(exc)
    return records, errors


def source_paths(sources: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for src in sources:
        out.extend(record_files(src) if src.is_dir() else [src])
    return out


def check(records: list[Record], *, base: str) -> tuple[dict[str, Graph], list[RecordError]]:
    """Map and SHACL-validate records together; returns graphs of the valid ones and errors."""
    graphs: dict[str, Graph] = {}
    errors: list[RecordError] = []
    union = Graph()
    files: dict[str, str] = {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for rec in tqdm(records, desc="mapping", unit="rec", disable=len(records) < 200):
        try:
            g_iri, graph = record_graph(rec, base=base, ingested_at=now)
        except RecordError as exc:
            errors.append(exc)
            continue
        graphs[g_iri] = graph
        union += graph
        files[record_iri(base, rec.kind, rec.slug)] = rec.file
    for problem in validate_graph(union, files):
        if problem.severity == "Violation":
            errors.append(problem.as_error())
    bad = {e.file for e in errors}
    valid = {g: graph for g, graph in graphs.items() if _file_of(graph) not in bad}
    return valid, errors


def _file_of(graph: Graph) -> str:
    from kg.namespaces import RIKG  # local: only here

    for value in graph.objects(None, RIKG.sourceFile):
        return str(value)
    return ""


def ingest_records(
    store: GraphStore,
    sources: Iterable[Path],
    *,
    base: str,
    keep_going: bool = False,
    prune: bool = True,
) -> IngestReport:
    """Bring the store in line with the record files; atomic: all changes or none."""
    paths = source_paths(sources)
    report = IngestReport(files=len(paths))
    existing = content_hashes(store.current(), adapter="records")
    records, parse_errors = load_records(paths)
    report.errors.extend(parse_errors)
    records = [_salted(r, base) for r in records]
    wanted = {graph_iri(base, r.kind, r.slug): r for r in records}
    changed = [r for g, r in wanted.items() if existing.get(g) != r.digest]
    removed = [g for g in existing if g not in wanted] if prune and not parse_errors else []
    report.unchanged = len(records) - len(changed)
    graphs: dict[str, Graph] = {}
    if changed or removed:
        graphs, errors = check(records, base=base)
        report.errors.extend(errors)
    if report.errors and not keep_going:
        raise ValidationFailed(report.errors)
    if not changed and not removed:
        return report
    changes = []
    for rec in changed:
        g = graph_iri(base, rec.kind, rec.slug)
        if g not in graphs:
            continue
        changes.append(GraphChange(g, graphs[g].serialize(format="nt")))
        (report.updated if g in existing else report.added).append(rec.file)
    changes += [GraphChange(g, None) for g in removed]
    report.removed = removed
    changes += ontology_changes(store, base=base)
    store.apply(changes)
    return report


def ontology_changes(store: GraphStore, *, base: str) -> list[GraphChange]:
    """The ontology and concept schemes, one named graph per file, replaced when they change."""
    existing = content_hashes(store.current(), adapter="ontology")
    changes = []
    for path in [ONTOLOGY / "rikg.ttl", *sorted((ONTOLOGY / "schemes").glob("*.ttl"))]:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
        g_iri = f"{base}graph/ontology/{path.stem}"
        if existing.get(g_iri) == digest:
            continue
        graph = Graph().parse(path)
        nt = graph.serialize(format="nt")
        nt += (
            f'<{g_iri}> <https://w3id.org/rikg/ns#contentHash> "{digest}" .\n'
            f'<{g_iri}> <https://w3id.org/rikg/ns#adapter> "ontology" .\n'
            f'<{g_iri}> <https://w3id.org/rikg/ns#sourceFile> "ontology/{path.name}" .\n'
        )
        changes.append(GraphChange(g_iri, nt))
    return changes


def validate_sources(sources: Iterable[Path], *, base: str) -> list[RecordError]:
    records, errors = load_records(source_paths(sources))
    schemes_graph()
    _, problems = check(records, base=base)
    return errors + problems


def _salted(record: Record, base: str) -> Record:
    """The digest also covers the base URI and mapper version: either change re-maps."""
    salt = hashlib.sha256(f"{record.digest}|{base}|{MAPPER_VERSION}".encode()).hexdigest()[:32]
    return Record(record.kind, record.slug, record.data, record.body, record.path, salt)
