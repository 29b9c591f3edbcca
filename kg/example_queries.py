"""The catalogue of example SPARQL queries shown in the editor at `/sparql` (issue 3 item 4).

Each example is a file `kg/examples/NN-slug.rq` that ships as package data and starts with two
header comments, then the query (with its own PREFIX lines, so it runs in any client)::

    # title: Initiatives per country
    # question: In which countries do the initiatives work, and how many in each?
    PREFIX ...

The slug is the file name without its number and extension. Researchers can copy the files as
they are; `tests/kg/test_example_queries.py` runs every one against the bundled records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.errors import NotFound

HEADER = re.compile(r"^#\s*(title|question):\s*(.+?)\s*$")
ORDER = re.compile(r"^\d+-")


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    question: str
    query: str


def parse_example(name: str, text: str) -> Example:
    """One example from its file name and text; a missing header is a packaging bug."""
    fields: dict[str, str] = {}
    for line in text.splitlines()[:2]:
        match = HEADER.match(line)
        if match:
            fields[match.group(1)] = match.group(2)
    missing = {"title", "question"} - set(fields)
    if missing:
        raise ValueError(f"{name}: header comment(s) missing: {', '.join(sorted(missing))}")
    slug = ORDER.sub("", name.removesuffix(".rq"))
    return Example(slug, fields["title"], fields["question"], text.strip() + "\n")


@cache
def _load() -> tuple[Example, ...]:
    folder = resources.files("kg").joinpath("examples")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return tuple(parse_example(f.name, f.read_text(encoding="utf-8")) for f in files)


def load_examples() -> list[Example]:
    """Every example, sorted by file name (the order of the catalogue)."""
    return list(_load())


def get_example(slug: str) -> Example:
    for example in _load():
        if example.slug == slug:
            return example
    raise NotFound(f"no example query named {slug!r}")
