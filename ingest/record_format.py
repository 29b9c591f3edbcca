"""Curated record files (`ingest/records/{kind}/{slug}.md`): parse front matter and body.

The format is described in `ingest/records/README.md`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import RecordError
from kg.vocab import KINDS


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, first: int, again: int) -> None:
        super().__init__(f"{key} given twice")
        self.key, self.first, self.again = key, first, again


class _RecordLoader(yaml.SafeLoader):
    """YAML's safe loader without its timestamp rule: `start: 2021-13-01` stays the text the
    curator wrote (YAML 1.1 would turn it into a date, and raise on an impossible one), so the
    shapes can say what is wrong with it. A key given twice in one mapping is refused (YAML 1.2
    forbids it; PyYAML would silently keep the last value)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                first, again = seen[key] + FRONT_LINE, key_node.start_mark.line + FRONT_LINE
                raise _DuplicateKey(str(key), first, again)
            if isinstance(key, str | int | float | bool):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
#: the front matter starts on the file's second line: YAML line 0 is file line 2
FRONT_LINE = 2
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)


@dataclass(frozen=True)
class Record:
    kind: str
    slug: str
    data: dict[str, Any]
    body: str
    path: Path
    digest: str = field(compare=False)

    @property
    def file(self) -> str:
        return str(self.path)


def content_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


def parse_record(path: Path) -> Record:
    """Read one record file; a malformed one raises RecordError naming file and field."""
    return parse_record_text(path.read_bytes(), path)


def parse_record_text(raw: bytes, path: Path) -> Record:
    """The record that `raw` would be as the file `path` (`kind/slug.md`: its folder names the
    kind, its name the slug), read without touching the disk. Raises RecordError naming file,
    field and reason; a YAML error names the line where the parser noticed it and, when that
    differs, the line where what it was reading began (an unclosed `[` is noticed lines later)."""
    kind, slug = path.parent.name, path.stem
    if kind not in KINDS:
        raise RecordError(str(path), "kind", f"folder {kind!r} is not one of {', '.join(KINDS)}")
    if not SLUG.match(slug):
        raise RecordError(str(path), "slug", "file name must be lowercase words joined by '-'")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(str(path), "file", f"not UTF-8 ({exc.reason})") from exc
    match = FRONT.match(text)
    if not match:
        raise RecordError(str(path), "front matter", "file must start with a '---' YAML block")
    try:
        data = yaml.load(match.group(1), Loader=_RecordLoader)  # noqa: S506 - a safe loader
    except _DuplicateKey as exc:
        reason = f"given twice (first on line {exc.first}); keep one"
        raise RecordError(str(path), exc.key, reason, line=exc.again) from exc
    except yaml.YAMLError as exc:
        mark, begun = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        line = mark.line + FRONT_LINE if mark is not None else None
        said = str(getattr(exc, "problem", None) or exc)
        problem = f"YAML: {said}"
        if said == "mapping values are not allowed here":  # PyYAML's words for "a: b: c"
            problem += "; a value holding ': ' must be written in quotes (name: \"A: B\")"
        if mark is not None and begun is not None and begun.line != mark.line:
            problem += f" (in what begins on line {begun.line + FRONT_LINE})"
        raise RecordError(str(path), "front matter", problem, line=line) from exc
    if not isinstance(data, dict):
        raise RecordError(str(path), "front matter", "must be a mapping of field: value")
    for key in ("kind", "slug"):
        if key in data and data[key] != {"kind": kind, "slug": slug}[key]:
            raise RecordError(str(path), key, f"{data[key]!r} disagrees with the file's place")
    return Record(kind, slug, data, match.group(2).strip(), path, content_digest(raw))


def record_files(root: Path) -> Iterator[Path]:
    for kind in KINDS:
        yield from sorted((root / kind).glob("*.md"))
