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
    np.save(saved, np.array([dictionary._key("alpha", 4.2)], dtype=np.uint64))
    dictionary._load.cache_clear()
    again = dictionary.load(tmp_path)
    assert "alpha" in again
    assert again.zipf("alpha") == 4.2
    assert "quality" not in again


def test_how_common_a_word_is_down_to_once_per_hundred_million(tmp_path: Path) -> None:
    """Spelling correction compares a word with its correction by these (`kg.search.spelling`):
    a place name under the dictionary's threshold still has its frequency."""
    words = dictionary.load(tmp_path)
    assert words.zipf("community") > 5 > words.zipf("comunity") > 1
    assert dictionary.STORED_ZIPF < words.zipf("lapland") < dictionary.MIN_ZIPF
    assert "lapland" not in words  # not a dictionary word: still open to correction
    assert words.zipf("oppland") < words.zipf("lapland")
    assert words.zipf("famlies") == 0.0  # absent from the lists


def test_many_words_are_looked_up_at_once_as_one_by_one(tmp_path: Path) -> None:
    words = dictionary.load(tmp_path)
    asked = ["community", "comunity", "famlies", "accueillir", "lapland", "zzzzqqq", "a"]
    assert words.zipfs(asked) == [words.zipf(w) for w in asked]
    assert words.zipfs([]) == []
    assert dictionary.NONE.zipfs(["community"]) == [0.0]


def test_a_word_typed_without_its_accents_is_a_word_of_its_language() -> None:
    """People type queries without accents: "ninos" is the Spanish "niños" as often, and
    "agricola" Spanish ("agrícola") as well as Italian; a word no list holds stays 0."""
    from kg.search.dictionary import zipf_in, zipf_unaccented_in

    assert zipf_in("ninos", "es") == 0.0
    assert zipf_unaccented_in("ninos", "es") == zipf_in("niños", "es") > 3
    assert zipf_unaccented_in("agricola", "es") == zipf_in("agrícola", "es")
    assert zipf_unaccented_in("agricola", "it") == zipf_in("agricola", "it")
    assert zipf_unaccented_in("ninos", "en") == 0.0
    assert zipf_unaccented_in("agrícola", "it") == 0.0  # typed with its accent: Spanish only
    assert zipf_unaccented_in("temporeros", "es") == 0.0
