"""Read the tables of a CORDIS project export (facts.md Part 2.1), zipped or extracted.

The CSV export is `;`-delimited, double-quoted (quoted fields may hold `;` and newlines), UTF-8
with an optional BOM; its column order varies by release, so columns are found by header name
(compared case-insensitively). The JSON export holds the same tables as arrays of objects whose
keys mirror the CSV headers. Each row keeps the file and line it came from for error messages.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import RecordError

csv.field_size_limit(1 << 24)  # objectives are long; the default 128 KiB limit is too tight


@dataclass(frozen=True)
class Row:
    """One row of an export table: lower-cased header → stripped text."""

    file: str
    line: int | None  # first line of the row in a CSV file; None in JSON
    entry: int  # 1-based position in its table
    values: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty value among `names` (aliases across releases), or ""."""
        for name in names:
            value = self.values.get(name.lower(), "")
            if value:
                return value
        return ""

    def error(self, field: str, reason: str) -> RecordError:
        if self.line is None:
            return RecordError(self.file, field, f"entry {self.entry}: {reason}")
        return RecordError(self.file, field, reason, line=self.line)


class Export:
    """A CORDIS export: a `.zip` (CSV or JSON) or a folder holding the extracted files."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise RecordError(str(path), "path", "no such file or folder")
        self.path = path
        self._members = _zip_members(path) if path.is_file() else _folder_members(path)

    def table(self, stem: str) -> tuple[list[Row], list[RecordError]]:
        """Rows of `stem.csv` (or `stem.json`); a table the export lacks has no rows."""
        for suffix in (".csv", ".json"):
            member = self._members.get(f"{stem.lower()}{suffix}")
            if member is not None:
                name = f"{self.path}/{member}" if self.path.is_file() else member
                raw = self._read(member)
                return _read_csv(name, raw) if suffix == ".csv" else _read_json(name, raw)
        return [], []

    def _read(self, member: str) -> bytes:
        if self.path.is_file():
            with zipfile.ZipFile(self.path) as zf:
                return zf.read(member)
        return Path(member).read_bytes()


def _zip_members(path: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = sorted(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise RecordError(str(path), "file", f"not a zip file ({exc})") from exc
    return {PurePosixPath(n).name.lower(): n for n in reversed(names) if not n.endswith("/")}


def _folder_members(path: Path) -> dict[str, str]:
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".csv", ".json"))
    # the shallowest file of a name wins (an extracted zip may add one folder level)
    files.sort(key=lambda p: len(p.parts), reverse=True)
    return {p.name.lower(): str(p) for p in files}


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # tolerate a BOM (facts.md 2.1)
    except UnicodeDecodeError as exc:
        raise RecordError(name, "file", f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def _read_csv(name: str, raw: bytes) -> tuple[list[Row], list[RecordError]]:
    reader = csv.reader(io.StringIO(_decode(name, raw), newline=""), delimiter=";", quotechar='"')
    rows: list[Row] = []
    errors: list[RecordError] = []
    header: list[str] | None = None
    start = 1
    for fields in _records(reader, name, errors):
        line, start = start, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [f.strip().lower() for f in fields]
            continue
        if len(fields) != len(header):
            reason = f"expected {len(header)} fields, found {len(fields)}"
            errors.append(RecordError(name, "row", reason, line=line))
            continue
        values = dict(zip(header, (f.strip() for f in fields), strict=True))
        rows.append(Row(name, line, len(rows) + 1, values))
    return rows, errors


def _records(reader: Any, name: str, errors: list[RecordError]) -> Iterator[list[str]]:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RecordError(name, "row", str(exc), line=reader.line_num))
            return


def _read_json(name: str, raw: bytes) -> tuple[list[Row], list[RecordError]]:
    try:
        data = json.loads(_decode(name, raw))
    except json.JSONDecodeError as exc:
        raise RecordError(name, "file", f"JSON: {exc.msg}", line=exc.lineno) from exc
    if isinstance(data, dict) and len(data) == 1:  # some tools wrap the array in one key
        data = next(iter(data.values()))
    if not isinstance(data, list):
        raise RecordError(name, "file", "expected a JSON array of objects")
    rows: list[Row] = []
    errors: list[RecordError] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RecordError(name, "row", f"entry {i}: not a JSON object"))
            continue
        values = {str(k).lower(): _text(v) for k, v in item.items()}
        rows.append(Row(name, None, i, values))
    return rows, errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    return str(value).strip()
