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

`withdraw(record, …)` takes a published contribution off the site: its file leaves the
contributed folder and the same ingest removes its graph; should the ingest refuse, the file
is put back and the store is unchanged. A withdrawn address is never given to another practice
(Cool URIs: a URI names one thing for good): its slug is kept under
`{contrib_dir}/.withdrawn/initiative/`, and a name with that slug is refused, except when the
withdrawn practice itself is published again (`publish(…, restore=True)`).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.mapping import RecordMapper
from ingest.pipeline import IngestReport, ingest_records, validate_sources
from ingest.record_format import SLUG, Record, parse_record, parse_record_text
from kg.errors import BadRequest, RecordError, ValidationFailed
from kg.moderation import write_atomic
from kg.store import GraphStore

KIND = "initiative"
#: `{contrib_dir}/{WITHDRAWN}/{kind}/{slug}`: the addresses of withdrawn contributions
WITHDRAWN = ".withdrawn"


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
    restore: bool = False,
) -> Published:
    """Validate, file and ingest one accepted record (dates as YYYY-MM-DD); `restore`: it is a
    withdrawn practice published again, at its own address.

    Raises `ValidationFailed` (each error names field and reason) or `BadRequest` (no name, or
    a slug taken by another record or by a withdrawn one); the store and the folders are then
    unchanged.
    """
    data, body = _read(text)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("name: the record needs the practice's name")
    slug = slugify(name)
    data["contributed_on"] = contributed_on
    data["reviewed_on"] = reviewed_on
    final = _join(data, body)
    target = contrib_dir / KIND / f"{slug}.md"
    clash = _clash(slug, final, records_dir=records_dir, contrib_dir=contrib_dir, restore=restore)
    if clash:
        raise BadRequest(clash)
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
        if restore:
            _tombstone(contrib_dir, slug).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = ingest_records(store, [records_dir, contrib_dir], base=base)
    return Published(KIND, slug, report)


def withdraw(
    record: str, *, store: GraphStore, records_dir: Path, contrib_dir: Path, base: str
) -> IngestReport:
    """Unpublish the contributed record `record` (`initiative/{slug}`): remove its file from
    `contrib_dir` and ingest, so its graph, search entry and page are gone (one atomic store
    snapshot). A record already without a file (a kill after the removal, a second
    "withdraw") is ingested away all the same. Raises `BadRequest` for a `record` that names
    no contributed initiative (curated records are not withdrawn here: their files are edited
    in the repository); on a refused ingest (`ValidationFailed`) the file is put back."""
    kind, _, slug = record.partition("/")
    if kind != KIND or not SLUG.match(slug):
        raise BadRequest(f"record: {record!r} is not a contributed practice")
    target = contrib_dir / KIND / f"{slug}.md"
    aside = contrib_dir / f".withdrawing-{slug}.md"
    write_atomic(_tombstone(contrib_dir, slug), f"{record}\n")  # before the file leaves
    if target.exists():
        target.replace(aside)
    sources = [records_dir, contrib_dir] if contrib_dir.is_dir() else [records_dir]
    try:
        report = ingest_records(store, sources, base=base)
    except BaseException:
        if aside.exists():
            aside.replace(target)
        raise
    aside.unlink(missing_ok=True)
    return report


def check(
    text: str, *, base: str, records_dir: Path | None = None, contrib_dir: Path | None = None
) -> list[str]:
    """What would refuse `text` on "accept", without publishing: its front matter, then each
    field as the ingest maps it (`ingest.mapping`: values, concepts, contact details in the
    text), one message naming the field (the mapping stops at the first bad field), then, given
    the folders, the name whose slug a curated or another contributed record holds (the same
    message as `publish`, so "Save" does not call acceptable what "accept" refuses). SHACL
    and the checks against the other records' links run on "accept" (`publish`)."""
    try:
        data, body = _read(text)
        RecordMapper(_parse(text), base=base).map()
    except BadRequest as exc:
        return [exc.message]
    except RecordError as exc:
        return [_said(exc)]
    if records_dir is None or contrib_dir is None:
        return []
    try:
        slug = slugify(str(data.get("name", "")))
    except BadRequest as exc:
        return [exc.message]
    clash = _clash(slug, _join(data, body), records_dir=records_dir, contrib_dir=contrib_dir)
    return [clash] if clash else []  # (a missing name is the mapping's first refusal)


def _tombstone(contrib_dir: Path, slug: str) -> Path:
    return contrib_dir / WITHDRAWN / KIND / slug


def _clash(
    slug: str, final: str, *, records_dir: Path, contrib_dir: Path, restore: bool = False
) -> str:
    """Why `slug` cannot be filed ("" when it can): a curated record holds it, another
    contributed record does (the same record accepted again, moderation dates aside, can), or
    a withdrawn one did (unless it is that one, published again: `restore`)."""
    if (records_dir / KIND / f"{slug}.md").exists():
        return f"name: a record {KIND}/{slug} exists already; choose another name"
    if not restore and _tombstone(contrib_dir, slug).exists():
        return (
            f"name: {KIND}/{slug} is the address of a practice withdrawn from the site, and an "
            "address is never given to another practice; choose another name (or publish the "
            "withdrawn one again from its submission)"
        )
    target = contrib_dir / KIND / f"{slug}.md"
    if target.exists() and _without_dates(target.read_text(encoding="utf-8")) != _without_dates(
        final
    ):
        return f"name: a contributed record {KIND}/{slug} exists already; choose another name"
    return ""


def _parse(text: str) -> Record:
    """The record `text` is, read as the record format reads a file (`parse_record_text`);
    its slug comes from its name on "accept", so a placeholder stands for it here."""
    as_file = Path(KIND) / "contribution.md"
    return parse_record_text(text.replace("\r\n", "\n").encode("utf-8"), as_file)


def _said(exc: RecordError) -> str:
    """A refusal as the moderator reads it: field, reason, and the line of the record."""
    where = f", line {exc.line} of the record" if exc.line is not None else ""
    return f"{exc.field}{where}: {exc.reason}"


def _read(text: str) -> tuple[dict[str, object], str]:
    """The front matter and the body of `text`; raises `BadRequest` saying why not."""
    try:
        record = _parse(text)
    except RecordError as exc:
        raise BadRequest(_said(exc)) from None
    return dict(record.data), record.body


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


def _join(data: dict[str, object], body: str) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{body}\n"


def _without_dates(text: str) -> str:
    return re.sub(r"(?m)^(contributed_on|reviewed_on): .*\n", "", text)
