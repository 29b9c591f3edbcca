"""Read the tables of a CORDIS export (issue 16), whatever they are called.

A source is a `.zip`, a folder (its `.zip` files included) or a single table file. Every `.csv`,
`.tsv`, `.json` and `.xlsx` in it is read, and its table is recognised by its header, not its
file name (`project.csv`, `fp7_test_projects.csv` and `cordis-h2020projects.csv` are all project
tables): see `TABLE_COLUMNS`. Both generations of the export are read, the 2019–2021 one
(`rcn;id;acronym;status;programme;topics;…` and `projectRcn;projectID;…;role;id;name;…`) and the
current one; `rows.py` maps their column names to the same fields. CSV text is UTF-8 (a BOM is
tolerated), delimited by `;`, tab or `,` (sniffed) and quoted as `csvtext` describes. Columns are
found by header name, compared case-insensitively. Contact-person columns (`contact…`) are
dropped as the file is read: they are personal data and are never stored, hashed or shown.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ingest.cordis import csvtext
from kg.errors import RecordError

TABLE_SUFFIXES = (".csv", ".tsv", ".json", ".xlsx")
#: table → sets of header names; a table whose header holds every name of one set is that table
TABLE_COLUMNS: dict[str, list[set[str]]] = {
    "organization": [{"projectid", "role", "name"}],
    "topics": [{"projectid", "topic"}],
    "euroSciVoc": [{"projectid", "euroscivoctitle"}],
    "project": [{"id", "title", "startdate"}, {"id", "title", "acronym"}],
}
#: table → the columns its fields are read from, as CORDIS spells them (one name of each
#: tuple: aliases across the export's generations; compared case-insensitively). Every CORDIS
#: export has them; a table without one is refused, as a renamed column would otherwise empty
#: that field in every project or organisation loaded before (a trial's "start_date" for
#: "startDate" removed the start dates, and exit 0).
REQUIRED_COLUMNS: dict[str, list[tuple[str, ...]]] = {
    "project": [
        ("id", "projectID"),
        ("title",),
        ("acronym",),
        ("startDate",),
        ("endDate",),
        ("totalCost",),
        ("ecMaxContribution",),
        ("objective",),
    ],
    "organization": [("projectID",), ("role",), ("name",), ("country",)],
}
KIND_NAMES = {
    "project": "project table",
    "organization": "organisation table",
    "topics": "topics table",
    "euroSciVoc": "euroSciVoc table",
}
log = logging.getLogger(__name__)
#: how much of an unreadable field a message quotes
QUOTE_CHARS = 40


def is_personal(column: str) -> bool:
    """Contact-person columns (contactFirstNames, contactTelephoneNumber, contactForm, …)."""
    return column.lower().startswith("contact")


@dataclass(frozen=True)
class Row:
    """One row of an export table: lower-cased header → stripped text."""

    file: str
    line: int | None  # first line of the row in a CSV file, its row in a sheet; None in JSON
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


@dataclass
class Table:
    """One file of the export, recognised as `kind` (or "" when its header is not a table's)."""

    name: str
    kind: str
    rows: list[Row]
    errors: list[RecordError]
    header: list[str]  # as the file writes it (rows are keyed lower-cased)

    def missing(self) -> list[str]:
        """The columns of `REQUIRED_COLUMNS` this table lacks (the first alias of each)."""
        have = {h.lower() for h in self.header}
        required = REQUIRED_COLUMNS.get(self.kind, [])
        return [names[0] for names in required if not {n.lower() for n in names} & have]


class Export:
    """A CORDIS export: a `.zip`, a folder or one table file, read whole on opening."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise RecordError(str(path), "path", "no such file or folder")
        self.path = path
        self.tables = [_table(name, raw) for name, raw in _members(path)]
        for name in self.unrecognised():
            log.info("%s: not a project, organisation, topics or euroSciVoc table; not read", name)

    def table(self, kind: str) -> tuple[list[Row], list[RecordError]]:
        """Rows of every table of `kind` (in file-name order); none when the export lacks it.
        A table without a column of `REQUIRED_COLUMNS` gives one error naming the columns
        missing, and none of its rows."""
        rows: list[Row] = []
        errors: list[RecordError] = []
        for table in self.tables:
            if table.kind != kind:
                continue
            missing = table.missing()
            if missing:
                found = ", ".join(h for h in table.header if h)
                errors.append(
                    RecordError(
                        table.name,
                        missing[0],
                        f"no column {', '.join(missing)} in this {KIND_NAMES[kind]}: every "
                        "CORDIS export has it, and without it the field would be emptied in "
                        f"every record loaded before (is it renamed?); the columns are: {found}",
                    )
                )
                continue
            rows += table.rows
            errors += table.errors
        return rows, errors

    def found(self) -> str:
        """The export's table files, each with what it was read as, for messages."""
        return ", ".join(
            f"{PurePosixPath(t.name).name} ({KIND_NAMES.get(t.kind, 'not a table we read')})"
            for t in self.tables
        )

    def unrecognised(self) -> list[str]:
        return [t.name for t in self.tables if not t.kind]


def _members(path: Path) -> Iterable[tuple[str, bytes]]:
    """(name for messages, bytes) of every table file under `path`, each table once: a file
    whose bytes were already read (a zip beside its extracted copy) is skipped, and so is the
    same table in another format beside it (`project.xlsx` beside `project.csv`: the first of
    TABLE_SUFFIXES is read)."""
    seen: set[str] = set()
    tables: set[str] = set()
    for name, raw in _all_members(path):
        digest = hashlib.sha256(raw).hexdigest()
        table = str(PurePosixPath(name).with_suffix("")).lower()
        if digest in seen or table in tables:
            log.info("%s: the same table was read from another file; skipped", name)
            continue
        seen.add(digest)
        tables.add(table)
        yield name, raw


def _order(name: str) -> tuple[int, str, int]:
    """Shallow files first; beside each other, a table's formats in TABLE_SUFFIXES order."""
    pure = PurePosixPath(name)
    suffix = pure.suffix.lower()
    rank = TABLE_SUFFIXES.index(suffix) if suffix in TABLE_SUFFIXES else len(TABLE_SUFFIXES)
    return len(pure.parts), str(pure.with_suffix("")).lower(), rank


def _all_members(path: Path) -> Iterable[tuple[str, bytes]]:
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file()]
        for p in sorted(files, key=lambda p: _order(str(p))):
            if p.suffix.lower() == ".zip":
                yield from _zip_members(p)
            elif p.suffix.lower() in TABLE_SUFFIXES:
                yield str(p), p.read_bytes()
    elif path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        yield from _zip_members(path)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        yield str(path), path.read_bytes()
    else:
        raise RecordError(str(path), "file", f"not a table ({', '.join(TABLE_SUFFIXES)}, .zip)")


def _zip_members(path: Path) -> Iterable[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            for name in sorted(names, key=_order):
                if PurePosixPath(name).suffix.lower() in TABLE_SUFFIXES:
                    yield f"{path}/{name}", zf.read(name)
    except zipfile.BadZipFile as exc:
        raise RecordError(str(path), "file", f"not a zip file ({exc})") from exc


def _table(name: str, raw: bytes) -> Table:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".json":
        header, rows, errors = _read_json(name, raw)
    elif suffix == ".xlsx":
        header, rows, errors = _read_xlsx(name, raw)
    else:
        header, rows, errors = _read_csv(name, raw)
    return Table(name, _kind(header), rows, errors, header)


def _kind(header: Iterable[str]) -> str:
    columns = {h.lower() for h in header}
    for kind, signatures in TABLE_COLUMNS.items():
        if any(sig <= columns for sig in signatures):
            return kind
    return ""


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # tolerate a byte-order mark
    except UnicodeDecodeError as exc:
        # the offset is counted after a byte-order mark
        at = exc.start + (len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
        line = raw.count(b"\n", 0, at) + 1
        how = " (CSV UTF-8 in Excel)" if PurePosixPath(name).suffix.lower() != ".json" else ""
        reason = f"not UTF-8 ({exc.reason} at byte {at}); save it as UTF-8{how}"
        raise RecordError(name, "file", reason, line=line) from exc


def _row(name: str, line: int | None, entry: int, header: list[str], cells: list[str]) -> Row:
    values = {h: c.strip() for h, c in zip(header, cells, strict=True) if h and not is_personal(h)}
    return Row(name, line, entry, values)


def _read_csv(name: str, raw: bytes) -> tuple[list[str], list[Row], list[RecordError]]:
    text = _decode(name, raw)
    delimiter = csvtext.sniff_delimiter(text.split("\n", 1)[0])
    rows: list[Row] = []
    errors: list[RecordError] = []
    header: list[str] = []
    written: list[str] = []  # the header as the file writes it
    for record in csvtext.records(text, delimiter):
        if not header:
            written = [f.strip() for f in record.fields]
            header = [w.lower() for w in written]
            continue
        fields = record.fields
        if len(fields) != len(header):
            fields = csvtext.strict(record, delimiter) or fields
        if len(fields) != len(header):
            errors.append(_unreadable(name, record, header))
            continue
        rows.append(_row(name, record.line, len(rows) + 1, header, fields))
    return written, rows, errors


def _unreadable(name: str, record: csvtext.Record, header: list[str]) -> RecordError:
    """A row whose fields cannot be told apart: its line and the start of the field at fault."""
    fields = record.fields
    reason = f"expected {len(header)} fields, found {len(fields)}"
    if record.suspect is not None:
        index, why = record.suspect, "a quote inside it cannot be read"
    elif len(fields) > len(header):
        index, why = len(header), "an extra field"
    else:
        index, why = len(fields) - 1, "the row ends after it"
    start = fields[index].strip()
    quoted = start[:QUOTE_CHARS] + ("…" if len(start) > QUOTE_CHARS else "")
    column = header[index] if record.suspect is not None and index < len(header) else "row"
    return RecordError(name, column, f'{reason}; field {index + 1} starts "{quoted}" ({why})',
                       line=record.line)  # fmt: skip


def _read_json(name: str, raw: bytes) -> tuple[list[str], list[Row], list[RecordError]]:
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
    header: dict[str, None] = {}
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RecordError(name, "row", f"entry {i}: not a JSON object"))
            continue
        header |= dict.fromkeys(str(k) for k in item)
        keys = [str(k).lower() for k in item]
        rows.append(_row(name, None, i, keys, [_text(v) for v in item.values()]))
    return list(header), rows, errors


def _read_xlsx(name: str, raw: bytes) -> tuple[list[str], list[Row], list[RecordError]]:
    """The first sheet of a workbook whose first non-empty row is the header."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError or its own errors
        raise RecordError(name, "file", f"not an XLSX workbook ({exc})") from exc
    sheet = book.worksheets[0]
    rows: list[Row] = []
    errors: list[RecordError] = []
    header: list[str] = []
    written: list[str] = []  # the header as the sheet writes it
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if not header:
            written = texts
            header = [t.lower() for t in texts]
            continue
        if any(texts[len(header) :]):
            reason = f"expected {len(header)} cells, found {len(texts)}"
            errors.append(RecordError(name, "row", reason, line=number))
            continue
        texts = (texts + [""] * len(header))[: len(header)]
        rows.append(_row(name, number, len(rows) + 1, header, texts))
    book.close()
    return written, rows, errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime cell: its date
        return str(value.date().isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
