"""Publish an accepted contribution: a record file in `KG_CONTRIB_DIR`, then an ingest.

`publish(text, …)` takes the record file a moderator accepted (the format of
`ingest/records/README.md`), adds the moderation dates (`contributed_on`, `reviewed_on`; they
become `dcterms:dateSubmitted` / `dcterms:dateAccepted` of the record's named graph), and:

1. validates it with every other record (parse, mapping, SHACL) from a staging folder — a
   refused record raises `ValidationFailed` and nothing is written;
2. moves the file into `{contrib_dir}/initiative/{slug}.md` (an atomic rename);
3. ingests the curated and the contributed folders (one atomic store snapshot).

A kill between 2 and 3 leaves a valid record file that the next ingest (or the moderator's
second "accept", which finds the same file) publishes; a kill before 2 leaves nothing. The
slug comes from the record's name (lower case, ASCII, hyphens) and never from a path a user
typed; an existing different record of that slug is refused.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.mapping import RecordMapper
from ingest.pipeline import IngestReport, ingest_records, validate_sources
from ingest.record_format import FRONT, FRONT_LINE, SLUG, parse_record
from kg.errors import BadRequest, RecordError, ValidationFailed
from kg.moderation import write_atomic
from kg.store import GraphStore

KIND = "initiative"


@dataclass(frozen=True)
class Published:
    """Where the accepted record now lives (`kind`, `slug`) and what the ingest did."""

    kind: str
    slug: str
    report: IngestReport


def publish(
    text: str,
    *,
    store: GraphStore,
    records_dir: Path,
    contrib_dir: Path,
    base: str,
    contributed_on: str,
    reviewed_on: str,
) -> Published:
    """Validate, file and ingest one accepted record (dates as YYYY-MM-DD).

    Raises `ValidationFailed` (each error names field and reason) or `BadRequest` (no name, or
    a slug taken by another record); the store and the folders are then unchanged.
    """
    data, body = _split(text)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("name: the record needs the practice's name")
    slug = slugify(name)
    data["contributed_on"] = contributed_on
    data["reviewed_on"] = reviewed_on
    final = _join(data, body)
    target = contrib_dir / KIND / f"{slug}.md"
    curated = records_dir / KIND / f"{slug}.md"
    if curated.exists():
        raise BadRequest(f"name: a record {KIND}/{slug} exists already; choose another name")
    if target.exists() and _without_dates(target.read_text(encoding="utf-8")) != _without_dates(
        final
    ):
        raise BadRequest(f"name: a contributed record {KIND}/{slug} exists already")
    staging = contrib_dir / f".staging-{slug}"
    shutil.rmtree(staging, ignore_errors=True)
    staged = staging / KIND / f"{slug}.md"
    try:
        write_atomic(staged, final)
        parse_record(staged)  # a malformed front matter is named before the slower checks
        others = [records_dir, contrib_dir] if contrib_dir.is_dir() else [records_dir]
        errors = validate_sources([*others, staging], base=base)
        if errors:  # named as the moderator knows the record, not by the staging path
            raise ValidationFailed(
                [RecordError(f"{KIND}/{slug}", e.field, e.reason) for e in errors]
            )
        write_atomic(target, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = ingest_records(store, [records_dir, contrib_dir], base=base)
    return Published(KIND, slug, report)


def check(text: str, *, base: str) -> list[str]:
    """What would refuse `text` on "accept", without publishing: its front matter, then each
    field as the ingest maps it (`ingest.mapping`: values, concepts, contact details in the
    text), one message naming the field (the mapping stops at the first bad field). SHACL and
    the checks against other records run on "accept" (`publish`)."""
    try:
        data, _ = _split(text)
        name = data.get("name")
        slug = slugify(name) if isinstance(name, str) and name.strip() else "unnamed"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / KIND / f"{slug}.md"
            path.parent.mkdir()
            path.write_text(text, encoding="utf-8")
            RecordMapper(parse_record(path), base=base).map()
    except RecordError as exc:
        return [f"{exc.field}: {exc.reason}"]
    except BadRequest as exc:
        return [exc.message]
    return []  # (a missing name is the mapping's first refusal)


def slugify(name: str) -> str:
    """'Proyecto Arraigo (Spain)' → 'proyecto-arraigo-spain' (ASCII, at most 60 characters, cut
    after a whole word when the name is longer)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > 60:
        cut = slug[:61]  # a hyphen at 60 ends a whole word
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:60]
    if not SLUG.match(slug):
        raise BadRequest("name: give a name with letters or digits")
    return slug


def _split(text: str) -> tuple[dict[str, object], str]:
    match = FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        raise BadRequest("record: must start with a '---' YAML block and end it with '---'")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark, begun = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        where = ""
        if mark is not None:  # where the parser noticed, and where what it was reading began
            where = f" (line {mark.line + FRONT_LINE} of the record"
            if begun is not None and begun.line != mark.line:
                where += f", in what begins on line {begun.line + FRONT_LINE}"
            where += ")"
        problem = getattr(exc, "problem", None) or exc
        raise BadRequest(f"record: YAML: {problem}{where}") from exc
    if not isinstance(data, dict):
        raise BadRequest("record: the front matter must be a mapping of field: value")
    return data, match.group(2).strip()


def _join(data: dict[str, object], body: str) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{body}\n"


def _without_dates(text: str) -> str:
    return re.sub(r"(?m)^(contributed_on|reviewed_on): .*\n", "", text)
