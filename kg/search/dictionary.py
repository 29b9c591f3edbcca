"""Words of the five languages as people write them, so spelling correction leaves them alone.

Spelling correction (`kg.search.spelling`) replaces a query word the index does not hold by the
nearest word it does. Without a dictionary that also "corrects" real words the records happen
not to use: "quality" became "equality", "flights" "rights", "weather" "whether", "cierra"
"tierra", "pastores" "restores", "repair" the organisation "Cepaim". A word found here is only
read as another form of itself (`kg.search.spelling`); otherwise it is searched as written:
either the index holds it or it is evidence of nothing (`kg.search.rank`).

The words are those of wordfreq's "large" lists for English, Spanish, Italian, German and
French (the languages of the graph and its schemes; word frequencies from subtitles, Wikipedia,
books, web and news text) used at least once per million words (`MIN_ZIPF` = 3 on the Zipf
scale), accent-folded as the index folds its own words: about 170,000 words. The lists are
built from web text, so they hold common misspellings too, rarer than that: "mountian" (Zipf
1.3), "comunity" (2.0), "goverment" (2.7), "recieve" (2.8); "famlies", "vilages", "refugess"
are absent. Those stay open to correction. pyspellchecker's lists were tried first: its Spanish
one lacks "cursos", "cierra" and "ayudan".

Reading the lists takes about a second and 200 MB, so `load` writes the words once to
`{cache_dir}/dictionary/` as a sorted array of 64-bit hashes (1.4 MB) and maps that file, so
every server process shares one copy. Two different words share a hash with probability about
170,000 / 2**64 per lookup.
"""

from __future__ import annotations

import functools
import hashlib
import os
from importlib.metadata import version
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kg.search.text import LANGUAGES, fold

MIN_ZIPF = 3.0  # log10 of uses per billion words: once per million


class Words:
    """Whether a folded word is in the dictionary (`word in words`)."""

    def __init__(self, hashes: npt.NDArray[np.uint64]) -> None:
        self._hashes = hashes  # sorted, unique

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not len(self._hashes):
            return False
        key = _hash(word)
        at = int(np.searchsorted(self._hashes, key))
        return at < len(self._hashes) and int(self._hashes[at]) == key

    def __len__(self) -> int:
        return len(self._hashes)


NONE = Words(np.zeros(0, dtype=np.uint64))


def load(cache_dir: Path) -> Words:
    """The dictionary, mapped from the cache folder (written there on first use).

    Raises OSError when the cache folder cannot be written and holds no dictionary yet."""
    return _load(cache_dir / "dictionary" / _file_name())


def _file_name() -> str:
    langs = "-".join(LANGUAGES)
    return f"wordfreq-{version('wordfreq')}-{langs}-zipf{MIN_ZIPF:g}.npy"


@functools.cache
def _load(path: Path) -> Words:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.tmp-{os.getpid()}.npy")
        np.save(tmp, build())
        tmp.replace(path)  # atomic: a process reading meanwhile sees the whole file or none
    return Words(np.load(path, mmap_mode="r"))


@functools.cache  # once per process, however many cache folders it writes to (tests)
def build() -> npt.NDArray[np.uint64]:
    """Sorted unique hashes of the folded words used at least `MIN_ZIPF` in any language."""
    from wordfreq import get_frequency_dict  # only here: reading the lists is the slow part

    least = 10 ** (MIN_ZIPF - 9)  # a frequency (share of all words) on the Zipf scale
    words: set[str] = set()
    for lang in LANGUAGES:
        frequencies = get_frequency_dict(lang, wordlist="large")
        words.update(fold(w) for w, f in frequencies.items() if f >= least)
    return np.unique(np.fromiter((_hash(w) for w in words), dtype=np.uint64, count=len(words)))


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
