"""Split the text of a CORDIS CSV table into records, as real export files are written.

CORDIS files are not strict RFC 4180 (issue 16). Besides the RFC's doubled quote (`""`), files in
the wild escape a quote inside a quoted field with a backslash (`\\"`), and files re-written by
other tools carry bare inner quotes (`so-called "rule-offsetting" schemes; (2) …`). Read here:

- the delimiter is sniffed from the header line (`;`, tab or `,`; `csv.Sniffer`, else the most
  frequent of the three outside quotes);
- in a quoted field `""` and `\\"` are a quote, `\\\\` a backslash, and a `"` closes the field only
  when the delimiter, a line break or the end of the text follows; any other `"` is kept as text;
- a record whose field count still differs from the header's is tried once more as strict
  RFC 4180 (Python's `csv`); if that fails too it is returned as unreadable, with its first line
  and the start of the field where the quoting went wrong, never dropped silently.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

DELIMITERS = ";\t,"
csv.field_size_limit(1 << 24)  # objectives are long; the default 128 KiB limit is too tight


@dataclass(frozen=True)
class Record:
    """One record of a CSV text: its first line (1-based) and its fields."""

    line: int
    fields: list[str]
    raw: str  # the record's text, for the strict retry
    suspect: int | None = None  # index of the first quoted field holding a bare quote


def sniff_delimiter(header_line: str) -> str:
    """`;`, tab or `,`: the delimiter of a table whose first line is `header_line`."""
    try:
        found = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS and found:
        return found
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ";"))


@lru_cache(maxsize=4)
def _patterns(delimiter: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = re.escape(delimiter)
    end = rf"(?={d}|\r\n|\n|\r|\Z)"
    # atomic group: each alternative is taken greedily, so a failed match cannot backtrack
    # exponentially over a long objective
    quoted = re.compile(rf'"((?>[^"\\]+|""|\\.|"(?!{d}|\r\n|\n|\r|\Z))*)"{end}', re.S)
    plain = re.compile(rf"[^{d}\r\n]*")
    return quoted, plain


_ESCAPED = re.compile(r'""|\\["\\]')


def _unescape(text: str) -> tuple[str, bool]:
    """The field's value and whether it held a bare (unescaped) quote."""
    if '"' not in text and "\\" not in text:
        return text, False
    bare = '"' in _ESCAPED.sub("", text)
    return _ESCAPED.sub(lambda m: m.group(0)[-1], text), bare


def records(text: str, delimiter: str) -> Iterator[Record]:
    """The records of `text`, each with its first line; blank lines are skipped."""
    quoted, plain = _patterns(delimiter)
    pos, line, n = 0, 1, len(text)
    while pos < n:
        start, suspect = pos, None
        fields: list[str] = []
        while True:
            m = quoted.match(text, pos) if text.startswith('"', pos) else None
            if m is not None:
                value, bare = _unescape(m.group(1))
                if bare and suspect is None:
                    suspect = len(fields)
            else:  # unquoted, or a quote that never closes: read up to the delimiter
                m = plain.match(text, pos)
                assert m is not None  # the pattern matches the empty string
                value = m.group(0)
                if value.startswith('"') and suspect is None:
                    suspect = len(fields)
            fields.append(value)
            pos = m.end()
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            break
        raw = text[start:pos]
        for newline in ("\r\n", "\n", "\r"):
            if text.startswith(newline, pos):
                pos += len(newline)
                break
        if any(f.strip() for f in fields):
            yield Record(line, fields, raw, suspect)
        line += raw.count("\n") + (raw.count("\r") - raw.count("\r\n")) + 1


def strict(record: Record, delimiter: str) -> list[str] | None:
    """The record read as strict RFC 4180, or None when it is not one record."""
    try:
        rows = list(csv.reader(record.raw.splitlines(keepends=True), delimiter=delimiter))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None
