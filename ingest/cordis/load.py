"""Load a CORDIS export into Projects, keeping only the selected topics, calls and keywords."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.cordis.export import Export, Row
from ingest.cordis.rows import Project, parse_participation, parse_project
from kg.errors import RecordError


@dataclass(frozen=True)
class Selection:
    """Which projects to keep. Values of one option are alternatives (any may match); the
    options together must all match. Empty options keep everything."""

    topics: tuple[str, ...] = ()  # topic code prefixes, e.g. "MIGRATION-"
    calls: tuple[str, ...] = ()  # call identifier prefixes, e.g. "H2020-SC6-MIGRATION"
    keywords: tuple[str, ...] = ()  # words in keywords, EuroSciVoc labels or the title

    def keeps(self, project: Project) -> bool:
        if self.topics and not _any_prefix(project.topics, self.topics):
            return False
        if self.calls and not _any_prefix(project.calls, self.calls):
            return False
        if self.keywords:
            haystack = " | ".join([*project.keywords, *project.subjects, project.title]).lower()
            if not any(word.lower() in haystack for word in self.keywords):
                return False
        return True


def load_export(path: Path, selection: Selection) -> tuple[list[Project], list[RecordError]]:
    """The selected projects with their topics, EuroSciVoc labels and participations.

    Rows that do not parse are returned as errors (file, line, field, reason); rows of projects
    that the selection leaves out are not checked.
    """
    export = Export(path)
    rows, errors = export.table("project")
    if not rows and not errors:
        raise RecordError(
            str(path),
            "project",
            "no project table in the export (a .csv, .tsv, .json or .xlsx table whose header "
            f"has id, title and acronym or startDate; found: {export.found() or 'no table file'})",
        )
    projects: dict[str, Project] = {}
    for row in rows:
        try:
            project = parse_project(row)
        except RecordError as exc:
            errors.append(exc)
            continue
        if project.id in projects:
            first = projects[project.id].row
            errors.append(row.error("id", f"project {project.id} repeats {_where(first)}"))
            continue
        projects[project.id] = project
    topic_rows, topic_errors = export.table("topics")
    for row in _rows_of(topic_rows, projects):
        project = projects[row.get("projectID")]
        code = row.get("topic")
        if code and code not in project.topics:
            project.topics.append(code)
        if code and row.get("title"):
            project.topic_titles[code] = row.get("title")
        project.extra_rows.append(row)
    esv_rows, esv_errors = export.table("euroSciVoc")
    for row in _rows_of(esv_rows, projects):
        project = projects[row.get("projectID")]
        title = row.get("euroSciVocTitle")
        if title and title not in project.subjects:
            project.subjects.append(title)
        project.extra_rows.append(row)
    errors += topic_errors + esv_errors
    kept = {pid: p for pid, p in projects.items() if selection.keeps(p)}
    org_rows, org_errors = export.table("organization")
    errors += org_errors
    # an organisation table speaks for the project table whose projects it names: a folder of
    # several programmes' exports may hold the organisations of one of them only (a review)
    named = {row.get("projectID") for row in org_rows}
    covered = {p.row.file for p in projects.values() if p.id in named}
    for project in kept.values():
        project.participations_read = project.row.file in covered
    for row in org_rows:
        if row.get("projectID") not in kept:
            continue  # a project left out (or refused): its organisations are not read
        try:
            participation = parse_participation(row)
        except RecordError as exc:
            errors.append(exc)
            continue
        kept[participation.project_id].participations.append(participation)
    errors.sort(key=lambda e: (e.file, e.line or 0))
    return list(kept.values()), errors


def _rows_of(rows: list[Row], projects: dict[str, Project]) -> list[Row]:
    return [r for r in rows if r.get("projectID") in projects]


def _any_prefix(values: list[str], prefixes: tuple[str, ...]) -> bool:
    return any(v.upper().startswith(p.upper()) for v in values for p in prefixes)


def _where(row: Row) -> str:
    return f"line {row.line}" if row.line is not None else f"entry {row.entry}"
