"""`kg ingest` / `kg validate` for curated records: parse, validate with SHACL, then write.

Unchanged files are recognised by content hash and skipped before parsing, so a re-ingest of
unchanged sources reads files, asks the store two queries (records, ontology and schemes) and
writes nothing; an edited ontology or scheme file alone is written on its own.

The titles the files give the documents they cite (`sources: {key: {url, title}}`) are not
written into each record's graph but once into one graph of their own
(`kg.vocab.source_titles_graph`): many records cite the same document, and a triple stated in
several named graphs is counted once per graph over the union default graph (pyoxigraph 0.5),
so a researcher's `COUNT` of titles was too high. A full ingest writes that graph from the
titles of every record file; a partial one (`kg ingest FILE`), and a record refused or not
parsed whose earlier graph stays, keep the titles the store holds for the documents the other
records cite, so none is lost (a title a file no longer gives stays until the next full
ingest).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from ingest.record_format import Record, content_digest, parse_record, record_files
from kg.errors import RecordError, ValidationFailed
from kg.graphs import content_hashes, source_titles
from kg.settings import PROJECT_ROOT
from kg.store import GraphChange, GraphStore
from kg.vocab import RIKG_NS, graph_iri, record_iri, source_titles_graph

if TYPE_CHECKING:
    from rdflib import Graph

# rdflib, pySHACL and the mapper are imported only when something changed: a re-ingest of
# unchanged sources then costs little more than hashing the files (issue 2).
ONTOLOGY = PROJECT_ROOT / "ontology"

log = logging.getLogger(__name__)
MAPPER_VERSION = "8"  # 2: source titles in their own graph; 3: contact details refused;
# 4: a fact's `conflict` named after a field disputes that field; 5: tracking parameters dropped;
# 6: `same_as` is schema:sameAs (was owl:sameAs); 7: a value of a field may carry `conflict`;
# 8: a fact's place among the record's facts (schema:position)


@dataclass
class IngestReport:
    files: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)  # ontology and scheme graphs rewritten

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)

    def summary(self) -> str:
        schemes = f"; {len(self.schemes)} ontology or scheme files updated" if self.schemes else ""
        return (
            f"{self.files} files: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged, "
            f"{len(self.errors)} refused{schemes}"
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
    from rdflib import Graph

    from ingest.mapping import record_graph
    from ingest.validate import validate_graph

    graphs: dict[str, Graph] = {}
    errors: list[RecordError] = []
    union = Graph()
    files: dict[str, str] = {}
    graph_files: dict[str, str] = {}
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
        graph_files[g_iri] = rec.file
    for problem in validate_graph(union, files):
        if problem.severity == "Violation":
            errors.append(problem.as_error())
    bad = {e.file for e in errors}
    valid = {g: graph for g, graph in graphs.items() if graph_files[g] not in bad}
    return valid, errors


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
    if prune and _unchanged(paths, existing, base):  # fast path: no record to parse or write
        report.unchanged = len(paths)
        _apply_schemes(store, report, base=base)  # an edited scheme file is still read
        return report
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
        _apply_schemes(store, report, base=base)
        return report
    titles = _take_titles(graphs)
    stay = [g for g in existing if g not in graphs and g not in removed]
    current = store.current()
    for g in stay:  # records kept as they are in the store: the titles of what they cite
        titles |= source_titles(current, g, cited=True)
    changes = []
    for rec in changed:
        g = graph_iri(base, rec.kind, rec.slug)
        if g not in graphs:
            continue
        changes.append(GraphChange(g, graphs[g].serialize(format="nt")))
        (report.updated if g in existing else report.added).append(rec.file)
    changes += [GraphChange(g, None) for g in removed]
    changes += _titles_change(store, titles, base=base)
    report.removed = removed
    schemes = ontology_changes(store, base=base)
    report.schemes = [c.graph for c in schemes]
    store.apply(changes + schemes)
    return report


def _apply_schemes(store: GraphStore, report: IngestReport, *, base: str) -> None:
    """The ontology and scheme files that changed, written on their own (no record did)."""
    schemes = ontology_changes(store, base=base)
    report.schemes = [c.graph for c in schemes]
    store.apply(schemes)


def _take_titles(graphs: dict[str, Graph]) -> set[tuple[str, str]]:
    """The (document IRI, title) pairs the record graphs give what they cite, taken out of
    each graph (module docstring)."""
    from rdflib.namespace import DCTERMS  # deferred with the mapper: see the note at the top

    titles: set[tuple[str, str]] = set()
    for graph in graphs.values():
        for cited in set(graph.objects(None, DCTERMS.source)):
            for title in list(graph.objects(cited, DCTERMS.title)):
                titles.add((str(cited), str(title)))
                graph.remove((cited, DCTERMS.title, title))
    return titles


def _titles_change(
    store: GraphStore, titles: set[tuple[str, str]], *, base: str
) -> list[GraphChange]:
    """The graph of source titles replaced when its titles changed (dropped when none)."""
    g_iri = source_titles_graph(base)
    pairs = sorted(titles)
    digest = hashlib.sha256("\n".join(f"{s}\x00{t}" for s, t in pairs).encode()).hexdigest()[:32]
    graphs = content_hashes(store.current(), adapter="sources")
    held = graphs.get(g_iri)
    stale = [GraphChange(g, None) for g in sorted(graphs) if g != g_iri]  # another base URI's
    if held == digest or (not pairs and held is None):
        return stale
    if not pairs:
        return [*stale, GraphChange(g_iri, None)]
    from rdflib import RDF, RDFS, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV

    graph = Graph()
    for cited, title in pairs:
        graph.add((URIRef(cited), DCTERMS.title, Literal(title)))
    g = URIRef(g_iri)
    graph.add((g, RDF.type, PROV.Entity))
    graph.add((g, RDFS.label, Literal("Titles of the documents the record files cite", lang="en")))
    graph.add((g, URIRef(f"{RIKG_NS}adapter"), Literal("sources")))
    graph.add((g, URIRef(f"{RIKG_NS}contentHash"), Literal(digest)))
    return [*stale, GraphChange(g_iri, graph.serialize(format="nt"))]


def ontology_changes(store: GraphStore, *, base: str) -> list[GraphChange]:
    """The ontology, its SHACL shapes and the concept schemes, one named graph per file
    (`{base}graph/ontology/{stem}`), replaced when they change;
    an ontology graph no file gives (a scheme file removed, or the store ingested before under
    another base URI) is dropped, so a scheme is never served twice."""
    existing = content_hashes(store.current(), adapter="ontology")
    # the SHACL shapes are published too, so those who validate what they harvest have them
    # where the ontology is (a researcher's trial found no address for them)
    paths = [
        ONTOLOGY / "rikg.ttl",
        ONTOLOGY / "shapes.ttl",
        *sorted((ONTOLOGY / "schemes").glob("*.ttl")),
    ]
    wanted = {f"{base}graph/ontology/{path.stem}": path for path in paths}
    changes = [GraphChange(g, None) for g in sorted(existing) if g not in wanted]
    for g_iri, path in wanted.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
        if existing.get(g_iri) == digest:
            continue
        from rdflib import Graph  # deferred with the mapper: see the note at the top

        graph = _skolemised(Graph().parse(path), f"{base}.well-known/genid/{path.stem}/")
        nt = graph.serialize(format="nt")
        nt += (
            f'<{g_iri}> <https://w3id.org/rikg/ns#contentHash> "{digest}" .\n'
            f'<{g_iri}> <https://w3id.org/rikg/ns#adapter> "ontology" .\n'
            f'<{g_iri}> <https://w3id.org/rikg/ns#sourceFile> "ontology/{path.name}" .\n'
        )
        changes.append(GraphChange(g_iri, nt))
    return changes


def _skolemised(graph: Graph, prefix: str) -> Graph:
    """`graph` with each blank node replaced by the IRI `{prefix}{canonical label}`: a skolem
    IRI (RDF 1.1 Concepts §3.5), the same for the same file on every ingest. The store labels
    blank nodes anew on every load, so a file that holds them (the SHACL shapes'
    `sh:property [ … ]` and `sh:in ( … )` lists) would otherwise give different statements
    for the same content, and nobody outside could name a shape."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    canonical = Graph()
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical.skolemize(basepath=prefix)


def validate_sources(sources: Iterable[Path], *, base: str) -> list[RecordError]:
    records, errors = load_records(source_paths(sources))
    _, problems = check(records, base=base)
    return errors + problems


def _salt(digest: str, base: str) -> str:
    """The digest also covers the base URI and mapper version: either change re-maps."""
    return hashlib.sha256(f"{digest}|{base}|{MAPPER_VERSION}".encode()).hexdigest()[:32]


def _salted(record: Record, base: str) -> Record:
    digest = _salt(record.digest, base)
    return Record(record.kind, record.slug, record.data, record.body, record.path, digest)


def _unchanged(paths: list[Path], existing: dict[str, str], base: str) -> bool:
    """Every file's graph is in the store with the same content hash, and nothing else is."""
    if len(paths) != len(existing):
        return False
    for path in paths:
        g = graph_iri(base, path.parent.name, path.stem)
        try:
            digest = _salt(content_digest(path.read_bytes()), base)
        except OSError:
            return False
        if existing.get(g) != digest:
            return False
    return True
