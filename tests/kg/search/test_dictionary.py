"""The spelling dictionary: the words of the five languages, read from wordfreq's lists once and
then mapped from the cache folder."""

from pathlib import Path

import numpy as np

from kg.search import dictionary


def test_words_of_every_language_are_in_and_misspellings_are_not(tmp_path: Path) -> None:
    words = dictionary.load(tmp_path)
    for word in ("quality", "flights", "cursos", "cierra", "ricetta", "vuote", "recette"):
        assert word in words
    assert "dorfern" in words  # German "Dörfern", folded as the index folds
    for typo in ("mountian", "famlies", "vilages", "refugess", "comunity", "goverment"):
        assert typo not in words


def test_the_words_are_written_once_and_read_back(tmp_path: Path) -> None:
    built = dictionary.load(tmp_path)
    [saved] = (tmp_path / "dictionary").iterdir()
    assert len(np.load(saved)) == len(built) > 100_000
    # a later process maps the file: what it holds is what load answers
    np.save(saved, np.unique(np.array([dictionary._hash("alpha")], dtype=np.uint64)))
    dictionary._load.cache_clear()
    again = dictionary.load(tmp_path)
    assert "alpha" in again
    assert "quality" not in again
