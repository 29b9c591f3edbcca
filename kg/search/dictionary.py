"""Words of the five languages as people write them, so spelling correction leaves them alone.

Spelling correction (`kg.search.spelling`) replaces a query word the index does not hold by the
nearest word it does. Without a dictionary that also "corrects" real words the records happen
not to use: "quality" became "equality", "flights" "rights", "weather" "whether", "repair" the
organisation "Cepaim"; "cheap flights" then found 22 records about rights. A word found here is
searched as written: it is either in the index or evidence of nothing (`kg.search.rank`).

The words are those of pyspellchecker's bundled word-frequency lists for English, Spanish,
Italian, German and French (the languages of the graph and its schemes), accent-folded as the
index folds its own words. Only words counted more than `MIN_COUNT` times are kept: the lists'
lowest class (a count of 50 or less) holds 64-95 % of their entries, rare forms the records'
vocabulary covers where it matters, and keeping it would hold some 850,000 words per server
process instead of 166,000 (about 20 MB, read in 40 ms). Misspellings are not in the lists
("mountian", "famlies", "vilages", "refugess", "comunity" and "goverment" are absent from all
five), so typos are still corrected.

Reading the packaged lists takes about a second and briefly 100 MB (gzipped JSON), so the word
list is written once to `{cache_dir}/dictionary/` and read from there.
"""

from __future__ import annotations

import functools
import os
from importlib.metadata import version
from pathlib import Path

from kg.search.text import LANGUAGES, fold

MIN_COUNT = 50


def load(cache_dir: Path) -> frozenset[str]:
    """The folded dictionary words, read from the cache (written there on first use).

    Raises OSError only when the cache folder cannot be written and the list must be built
    every time (never for a readable cache)."""
    return _load(cache_dir / "dictionary" / _file_name())


def _file_name() -> str:
    return f"pyspellchecker-{version('pyspellchecker')}-{'-'.join(LANGUAGES)}-{MIN_COUNT}.txt"


@functools.cache
def _load(path: Path) -> frozenset[str]:
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    except FileNotFoundError:
        pass
    words = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text("\n".join(sorted(words)), encoding="utf-8")
    tmp.replace(path)  # atomic: a process reading meanwhile sees the whole list or none
    return words


@functools.cache  # once per process, however many cache folders it writes to (tests)
def build() -> frozenset[str]:
    """The folded words counted more than `MIN_COUNT` times in any of the five lists."""
    from spellchecker import SpellChecker  # only here: reading the lists is the slow part

    words: set[str] = set()
    for lang in LANGUAGES:
        counts = SpellChecker(language=lang).word_frequency.dictionary
        words.update(fold(w) for w, n in counts.items() if n > MIN_COUNT)
    return frozenset(words)
