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

The lists also say how common a rarer word is (`Words.zipf`), down to `STORED_ZIPF` = 1 (once
per hundred million words; 1.3 million words in all). Spelling correction uses it as the prior
of the noisy-channel model of spelling (Kernighan, Church and Gale 1990): a word is not
"corrected" into a rarer one. "Lapland" (Zipf 2.6) had become the Norwegian county "Oppland"
(1.3), which the records name; "comunity" (2.0) still becomes "community" (5.3).

Reading the lists takes a few seconds and 200 MB, so `load` writes the words once to
`{cache_dir}/dictionary/` as one sorted array of 64-bit keys (10 MB) and maps that file, so
every server process shares one copy. A key is a 56-bit hash of the folded word above 8 bits
holding its Zipf value in tenths (the highest of the five languages). Two different words share
a hash with probability about 1.3 million / 2**56 per lookup.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kg.search.text import LANGUAGES, fold

MIN_ZIPF = 3.0  # log10 of uses per billion words: once per million
STORED_ZIPF = 1.0  # the rarest words whose frequency is kept: once per hundred million
ZIPF_BITS = 8  # the low bits of a key: the word's Zipf value in tenths


class Words:
    """Whether a folded word is in the dictionary (`word in words`: used at least `MIN_ZIPF`),
    and how common it is (`zipf`)."""

    def __init__(self, keys: npt.NDArray[np.uint64]) -> None:
        self._keys = keys  # sorted: hash above ZIPF_BITS, Zipf in tenths below

    def zipf(self, word: str) -> float:
        """The word's frequency on the Zipf scale (log10 of uses per billion words, the
        highest of the five languages, to a tenth); 0.0 for a word rarer than `STORED_ZIPF`
        or absent from the lists."""
        if not len(self._keys):
            return 0.0
        low = _key(word, 0.0)  # the least key the word can have
        at = int(np.searchsorted(self._keys, np.uint64(low)))
        if at < len(self._keys) and int(self._keys[at]) >> ZIPF_BITS == low >> ZIPF_BITS:
            return (int(self._keys[at]) & ((1 << ZIPF_BITS) - 1)) / 10
        return 0.0

    def zipfs(self, words: Sequence[str]) -> list[float]:
        """`zipf` of each word, in one search of the array (about 40 times faster than one
        `zipf` call per word for the few hundred words spelling correction asks at once)."""
        if not len(self._keys) or not words:
            return [0.0] * len(words)
        low = np.fromiter((_key(w, 0.0) for w in words), dtype=np.uint64, count=len(words))
        at = np.minimum(np.searchsorted(self._keys, low), len(self._keys) - 1)
        keys = self._keys[at]
        shift = np.uint64(ZIPF_BITS)
        hit = (keys >> shift) == (low >> shift)
        tenths = keys & np.uint64((1 << ZIPF_BITS) - 1)
        return [
            float(t) / 10 if h else 0.0 for t, h in zip(tenths.tolist(), hit.tolist(), strict=True)
        ]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.zipf(word) >= MIN_ZIPF

    def __len__(self) -> int:
        """The number of words kept (with a frequency), not only those `in` the dictionary."""
        return len(self._keys)


NONE = Words(np.zeros(0, dtype=np.uint64))


def load(cache_dir: Path) -> Words:
    """The dictionary, mapped from the cache folder (written there on first use).

    Raises OSError when the cache folder cannot be written and holds no dictionary yet."""
    return _load(cache_dir / "dictionary" / _file_name())


def _file_name() -> str:
    langs = "-".join(LANGUAGES)
    return f"wordfreq-{version('wordfreq')}-{langs}-zipf{STORED_ZIPF:g}-keys.npy"


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
    """The sorted keys (`Words`) of the folded words used at least `STORED_ZIPF` in any of the
    languages, each with its highest Zipf value."""
    from wordfreq import get_frequency_dict  # only here: reading the lists is the slow part

    least = 10 ** (STORED_ZIPF - 9)  # a frequency (share of all words) on the Zipf scale
    best: dict[str, float] = {}
    for lang in LANGUAGES:
        for w, f in get_frequency_dict(lang, wordlist="large").items():
            if f >= least:
                folded = fold(w)
                best[folded] = max(f, best.get(folded, 0.0))
    keys = np.fromiter(
        (_key(w, 9 + math.log10(f)) for w, f in best.items()), dtype=np.uint64, count=len(best)
    )
    keys.sort()
    # two words whose hashes agree above the low bits: one key, the commoner's Zipf
    hashes = keys >> np.uint64(ZIPF_BITS)
    last = np.append(hashes[1:] != hashes[:-1], True)
    out: npt.NDArray[np.uint64] = keys[last]
    return out


@functools.lru_cache(maxsize=4096)
def zipf_in(word: str, lang: str) -> float:
    """How common `word` (as written, accents and all) is in language `lang` (one of
    `LANGUAGES`): its Zipf value in wordfreq's "small" list of that language (the words used
    about once per million or more, a few MB per language, read on first use), 0.0 when the
    list does not hold it or `lang` is none of the five. Spelling correction uses it to choose,
    between equally near corrections, the word of the query's language ("familes" in a French
    query is "familles", in an English one "families")."""
    if lang not in LANGUAGES:
        return 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang, wordlist="small"))


def zipf_unaccented_in(word: str, lang: str) -> float:
    """`zipf_in`, or for a word typed without accents that the list does not hold as
    written, the Zipf value of the commonest word of that list with the same letters and
    accents (`fold`): people type queries without accents ("empleo agricola" for "agrícola",
    "ninos" for "niños"), and a Spanish trial's "empleo agricola temporeros" on the Spanish
    page was read as Italian, where "agricola" is a word as written. A word typed with its
    accents is judged as typed ("agrícola" is no Italian word). 0.0 when neither holds it."""
    as_typed = zipf_in(word, lang)
    if as_typed or word.lower() != fold(word):
        return as_typed
    return _unaccented(lang).get(word.lower(), 0.0)


def warm_unaccented() -> None:
    """Read the five languages' tables of `zipf_unaccented_in` now (0.3 s in all), so the
    first search that needs them does not wait."""
    for lang in LANGUAGES:
        _unaccented(lang)


@functools.cache
def _unaccented(lang: str) -> dict[str, float]:
    """Folded word → the highest Zipf value among the words of `lang`'s small list that fold
    to it (read once per language: about 35,000 words, 0.1 s)."""
    if lang not in LANGUAGES:
        return {}
    from wordfreq import freq_to_zipf, get_frequency_dict

    out: dict[str, float] = {}
    for word, frequency in get_frequency_dict(lang, wordlist="small").items():
        folded, zipf = fold(word), round(freq_to_zipf(frequency), 2)  # as zipf_frequency
        if zipf > out.get(folded, 0.0):
            out[folded] = zipf
    return out


def _key(word: str, zipf: float) -> int:
    tenths = min(round(zipf * 10), (1 << ZIPF_BITS) - 1)
    return (_hash(word) >> ZIPF_BITS << ZIPF_BITS) | tenths


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
