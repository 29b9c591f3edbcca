"""`kg ingest cordis PATH`: CORDIS projects and organisations into the store (issue 7).

Each project is one named graph, each organisation another, with provenance (adapter `cordis`)
and a content hash of the rows it came from, so a re-ingest of an unchanged export writes
nothing. A project that a curated record names with `schema:sameAs <https://cordis.europa.eu/
project/id/{id}>` is merged: its CORDIS statements go into the graph `graph/cordis/{id}` about the
curated record, which keeps its own statements. Projects are never pruned: exports of several
programmes (or selections) can be loaded one after the other.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from ingest.cordis.export import Row
from ingest.cordis.load import Selection, load_export
from ingest.cordis.rows import Participation, Project
from ingest.pipeline import IngestReport, ontology_changes
from kg.errors import RecordError, ValidationFailed
from kg.graphs import content_hashes, graphs_with_participants, same_as_records
from kg.personal import contact_details
from kg.store import GraphChange, GraphStore
from kg.vocab import CORDIS_PROJECT, graph_iri, record_iri

if TYPE_CHECKING:
    from rdflib import Graph

# rdflib, pySHACL and the mapper are imported only when a project changed, as in
# ingest/pipeline.py: a re-run on an unchanged export costs little more than hashing it.

log = logging.getLogger(__name__)
ADAPTER = "cordis"
MAPPER_VERSION = "3"  # 2: FP4-FP7 programmes, project web sites (issue 16); 3: schema:sameAs


@dataclass
class CordisReport(IngestReport):
    projects: int = 0
    organisations: int = 0
    merged: list[str] = field(default_factory=list)  # curated records CORDIS facts attach to

    def summary(self) -> str:
        return (
            f"{self.projects} CORDIS projects ({len(self.merged)} merged into curated records), "
            f"{self.organisations} organisations: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged, {len(self.errors)} refused"
        )


@dataclass
class Plan:
    """One named graph to write: a project or an organisation."""

    g_iri: str
    record: str  # the standalone record IRI: what SHACL checks and messages name
    target: str  # the subject the statements are about (a curated record when merged)
    digest: str
    where: str  # "file:line" of the row, for messages
    project: Project | None = None
    parts: list[Participation] = field(default_factory=list)
    drop: str | None = None  # this project's graph in its other form (merged / standalone)


def ingest_cordis(
    store: GraphStore,
    path: Path,
    *,
    base: str,
    selection: Selection | None = None,
    keep_going: bool = False,
) -> CordisReport:
    """Load the selected projects of a CORDIS export; atomic: all changes or none."""
    projects, errors = load_export(path, selection or Selection())
    current = store.current()
    existing = content_hashes(current, adapter=ADAPTER)
    curated = {
        same.rstrip("/"): rec
        for same, rec in same_as_records(current, prefix=CORDIS_PROJECT, adapter="records").items()
    }
    plans = [_project_plan(p, base, curated) for p in projects]
    org_plans = _organisation_plans(projects, base)
    report = CordisReport(projects=len(plans), organisations=len(org_plans))
    report.errors.extend(errors)
    report.merged = sorted(p.target for p in plans if p.target != p.record)
    changed = [p for p in [*plans, *org_plans] if existing.get(p.g_iri) != p.digest]
    report.unchanged = len(plans) + len(org_plans) - len(changed)
    # the store is asked only when the export leaves some project's organisations unsaid
    unread = [p for p in changed if p.project is not None and not p.project.participations_read]
    organised = graphs_with_participants(current, adapter=ADAPTER) if unread else set()
    kept_apart = _would_lose_participants(unread, organised)
    report.errors.extend(kept_apart)
    refused = {e.file for e in kept_apart}
    changed = [p for p in changed if p.where not in refused]
    graphs: dict[str, Graph] = {}
    if changed:
        graphs, problems = _map_and_validate(changed, org_plans, base=base, source=path)
        report.errors.extend(problems)
    if report.errors and not keep_going:
        raise ValidationFailed(report.errors)
    changes = []
    for plan in changed:
        if plan.g_iri not in graphs:
            continue
        changes.append(GraphChange(plan.g_iri, graphs[plan.g_iri].serialize(format="nt")))
        (report.updated if plan.g_iri in existing else report.added).append(plan.g_iri)
        if plan.drop and plan.drop in existing:
            changes.append(GraphChange(plan.drop, None))
            report.removed.append(plan.drop)
    if changes:
        store.apply(changes + ontology_changes(store, base=base))
    return report


def _project_plan(project: Project, base: str, curated: dict[str, str]) -> Plan:
    from ingest.cordis.mapping import project_slug

    standalone_graph = graph_iri(base, "initiative", project_slug(project.id))
    merged_graph = graph_iri(base, ADAPTER, project.id)
    record = record_iri(base, "initiative", project_slug(project.id))
    target = curated.get(f"{CORDIS_PROJECT}{project.id}", record)
    rows = [project.row, *project.extra_rows, *(p.row for p in project.participations)]
    return Plan(
        g_iri=standalone_graph if target == record else merged_graph,
        record=record,
        target=target,
        digest=_digest(base, target, rows),
        where=_where(project.row),
        project=project,
        drop=merged_graph if target == record else standalone_graph,
    )


def _organisation_plans(projects: list[Project], base: str) -> list[Plan]:
    by_org: dict[str, list[Participation]] = defaultdict(list)
    for project in projects:
        for part in project.participations:
            by_org[part.org_key].append(part)
    plans = []
    for key, parts in sorted(by_org.items()):
        slug = f"cordis-{key}"
        record = record_iri(base, "organisation", slug)
        first = min(parts, key=lambda p: (int(p.project_id), p.row.entry))
        ids = sorted({p.project_id for p in parts}, key=int)
        digest = _digest(base, ",".join(ids), [first.row])
        g = graph_iri(base, "organisation", slug)
        plans.append(Plan(g, record, record, digest, _where(first.row), parts=parts))
    return plans


def _map_and_validate(
    changed: list[Plan], org_plans: list[Plan], *, base: str, source: Path
) -> tuple[dict[str, Graph], list[RecordError]]:
    """Graphs of the changed plans that pass the SHACL shapes, and the errors of the others."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS

    from ingest.cordis.mapping import (
        annotate,
        attach,
        cordis_page,
        organisation_graph,
        organisation_iri,
        project_graph,
    )
    from ingest.validate import validate_graph

    now = datetime.now(UTC).isoformat(timespec="seconds")
    orgs = {p.record: p for p in org_plans}
    needed = {p.record: p for p in changed if p.project is None}
    for plan in changed:  # a changed project is checked with the organisations it names
        for part in plan.project.participations if plan.project else []:
            iri = str(organisation_iri(base, part.org_key))
            needed.setdefault(iri, orgs[iri])
    standalone: dict[str, Graph] = {}
    union = Graph()
    todo = [p for p in changed if p.project is not None] + list(needed.values())
    for plan in tqdm(todo, desc="mapping", unit="rec", disable=len(todo) < 500):
        if plan.project is not None:
            graph = project_graph(plan.project, base=base)
        else:
            graph = organisation_graph(plan.parts, base=base)
        standalone[plan.record] = graph
        union += graph
    files = {p.record: p.where for p in todo}
    problems = [pr.as_error() for pr in validate_graph(union, files) if pr.severity == "Violation"]
    problems += [e for p in changed if p.project is not None for e in _contact_details(p)]
    bad = {pr.file for pr in problems}
    out: dict[str, Graph] = {}
    for plan in changed:
        if plan.where in bad:
            continue
        graph = standalone[plan.record]
        if plan.target != plan.record:
            graph = attach(graph, standalone=plan.record, target=plan.target)
        if plan.project is not None:
            pages = [str(cordis_page(plan.project.id))]
            row = plan.project.row
        else:
            pages = sorted({str(o) for o in graph.objects(URIRef(plan.record), DCTERMS.source)})
            row = plan.parts[0].row
        annotate(
            graph,
            g_iri=plan.g_iri,
            subject=plan.target,
            digest=plan.digest,
            source_file=_source_file(source, row.file),
            sources=[URIRef(page) for page in pages],
            ingested_at=now,
        )
        out[plan.g_iri] = graph
    return out, problems


def _would_lose_participants(unread: list[Plan], organised: set[str]) -> list[RecordError]:
    """Of the changed projects whose organisations the export leaves unsaid (`unread`), those
    whose graph the store holds with a coordinator or partners (`organised`) are refused: their
    graphs would be written without them (a trial's project-only export removed the
    organisations and places an earlier full export had given). Exports add up; one that does
    not say who took part says nothing against it."""
    out = []
    for plan in unread:
        project = plan.project
        if project is None or plan.g_iri not in organised:
            continue
        out.append(
            RecordError(
                plan.where,
                "organization",
                f"project {project.id} is known with its coordinator and partners from an "
                "earlier export, and this one has no organisation table: loading it would "
                "remove them. Load the project and organisation tables together (the whole "
                "export's zip or folder)",
            )
        )
    return out


def _contact_details(plan: Plan) -> list[RecordError]:
    """A project whose title, acronym or objective holds an e-mail address or a telephone
    number (`kg.personal`, national numbers in its participants' countries) is refused, as a
    curated record is: personal data is never published."""
    project = plan.project
    assert project is not None
    regions = sorted({p.country for p in project.participations if p.country})
    out = []
    for name, text in (
        ("title", project.title),
        ("acronym", project.acronym),
        ("objective", project.objective),
    ):
        found = contact_details(text or "", regions)
        if found:
            shown = ", ".join(f"{f.kind} {f.text!r}" for f in found)
            out.append(
                RecordError(
                    plan.where,
                    name,
                    f"holds contact details ({shown}); personal data is never published",
                )
            )
    return out


def _source_file(source: Path, file: str) -> str:
    """The file a row came from, named from the export given: `export.zip/project.csv`,
    `folder/sub/project.csv`, or the table file itself when that was given (it was named
    twice, `wrongcol.csv/wrongcol.csv`)."""
    inside = file[len(str(source)) :].lstrip("/") if file.startswith(str(source)) else ""
    return f"{source.name}/{inside}" if inside else source.name


def _digest(base: str, target: str, rows: list[Row]) -> str:
    payload = json.dumps(
        [base, MAPPER_VERSION, target, [r.values for r in rows]], sort_keys=True
    ).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def _where(row: Row) -> str:
    return f"{row.file}:{row.line}" if row.line is not None else f"{row.file} (entry {row.entry})"
