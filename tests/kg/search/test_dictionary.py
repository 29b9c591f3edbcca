"""The spelling dictionary: the words of the five languages, read from pyspellchecker's lists
once and then from the cache folder."""

from pathlib import Path

from kg.search import dictionary


def test_words_of_every_language_are_in_and_misspellings_are_not(tmp_path: Path) -> None:
    words = dictionary.load(tmp_path)
    for word in ("quality", "flights", "ricetta", "recette", "previsioni", "integrazione"):
        assert word in words
    assert "demain" in words  # French, folded as the index folds
    for typo in ("mountian", "famlies", "vilages", "refugess", "comunity"):
        assert typo not in words


def test_the_list_is_written_once_and_read_back(tmp_path: Path) -> None:
    built = dictionary.load(tmp_path)
    [saved] = (tmp_path / "dictionary").iterdir()
    assert set(saved.read_text(encoding="utf-8").split("\n")) == built
    # a later process reads the file: what it holds is what load returns
    saved.write_text("alpha\nbeta", encoding="utf-8")
    dictionary._load.cache_clear()
    assert dictionary.load(tmp_path) == {"alpha", "beta"}
