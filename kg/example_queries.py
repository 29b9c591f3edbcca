"""The catalogue of example SPARQL queries shown in the editor at `/sparql` (issue 3 item 4).

Each example is a file `kg/examples/NN-slug.rq` that ships as package data and starts with two
header comments with a blank line between them, then the query (with its own PREFIX lines, so
it runs in any client)::

    # title: Initiatives per country

    # question: In which countries do the initiatives work, and how many in each?
    PREFIX ...

The slug is the file name without its number and extension. Researchers can copy the files as
they are; `tests/kg/test_example_queries.py` runs every one against the bundled records.

The title and question in the other four languages of the interface are in
`kg/examples/translations.json` (slug → language → `title`, `question`), not in the query files:
a comment line more in a query file is one more line clients such as SPARQLWrapper read as part
of the query (see `parse_example`). The queries' own comments and variable names stay English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

HEADER = re.compile(r"^#\s*(title|question):\s*(.+?)\s*$")
ORDER = re.compile(r"^\d+-")


@dataclass(frozen=True)
class Example:
    slug: str
    title: str  # in English, as the file says it
    question: str
    query: str
    #: language → (title, question) in the other languages of the interface
    translations: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def lang_in(self, lang: str) -> str:
        """The language the example is told in on a page in `lang`: `lang` when translated
        into it, else English."""
        return lang if lang in self.translations else "en"

    def title_in(self, lang: str) -> str:
        return self.translations[lang][0] if lang in self.translations else self.title

    def question_in(self, lang: str) -> str:
        return self.translations[lang][1] if lang in self.translations else self.question


def parse_example(name: str, text: str) -> Example:
    """One example from its file name and text; a missing header is a packaging bug."""
    fields: dict[str, str] = {}
    # the two header lines, a blank line between them: clients that find a query's type by
    # searching its text (SPARQLWrapper) drop every other line of a block of comments, and read
    # a word such as "address" or "load" in the second one as an update operation
    for line in text.splitlines()[:3]:
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
    told = json.loads(folder.joinpath("translations.json").read_text(encoding="utf-8"))
    examples = [parse_example(f.name, f.read_text(encoding="utf-8")) for f in files]
    return tuple(
        replace(
            e,
            translations={
                lang: (said["title"], said["question"])
                for lang, said in told.get(e.slug, {}).items()
            },
        )
        for e in examples
    )


def load_examples() -> list[Example]:
    """Every example, sorted by file name (the order of the catalogue)."""
    return list(_load())
