"""A record read passage by passage: which passages are read, and each embedded once."""

from collections.abc import Sequence

import numpy as np

from kg.search.embed import Vectors
from kg.search.passages import BUDGET, PassageReader, passages


class WordEmbedder:
    """One dimension per word it was told of: a text's vector counts those words, normalised;
    `encoded` lists every text it was asked to embed."""

    name = "words"

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.dim = len(self.words)
        self.encoded: list[str] = []

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        self.encoded += texts
        return np.stack([self._vector(t) for t in texts])

    def encode_query(self, text: str) -> Vectors:
        return self._vector(text)

    def _vector(self, text: str) -> Vectors:
        said = text.lower().split()
        v = np.array([said.count(w) for w in self.words], dtype=np.float32) + 1e-6
        out: Vectors = v / np.linalg.norm(v)
        return out


def test_a_record_is_read_by_its_sentences_and_the_clauses_of_its_lists() -> None:
    parts = ["Housing in houses left empty; craft workshops and farming. The school stayed open."]
    assert list(passages(parts)) == [
        "Housing in houses left empty",
        "craft workshops and farming",
        "The school stayed open.",
    ]
    assert list(passages(["Teruel", "2016"])) == []  # too short to say anything alone


def test_only_passages_with_the_weightier_half_of_the_terms_are_read() -> None:
    """ "football results": a passage saying only "results" (in most records) is not about the
    query and is not read; one saying "football" is, and its record's closeness is its
    closest passage's."""
    embedder = WordEmbedder(["football", "results", "matches", "presented"])
    reader = PassageReader()
    query = embedder.encode_query("football results")
    weights = {"football": 5.0, "result": 0.5}
    common = [(0, ["The results were presented in August 2018 to the partners."])]
    assert reader.closest(embedder, common, weights, query) == {}
    assert embedder.encoded == []
    rare = [*common, (7, ["Weekly football matches with the town's newcomers. Results vary."])]
    closest = reader.closest(embedder, rare, weights, query)
    assert list(closest) == [7]
    assert 0 < closest[7] < 1
    assert embedder.encoded == ["Weekly football matches with the town's newcomers"]


def test_a_passage_is_embedded_once_and_a_check_reads_at_most_its_budget() -> None:
    embedder = WordEmbedder(["care", "home"])
    reader = PassageReader()
    query = embedder.encode_query("care home")
    records = [(i, [f"Record {i} runs a care home in the valley."]) for i in range(BUDGET + 10)]
    weights = {"care": 1.0, "home": 1.0}
    first = reader.closest(embedder, records, weights, query)
    assert len(embedder.encoded) == len(first) == BUDGET
    assert reader.closest(embedder, records, weights, query) == first
    assert len(embedder.encoded) == BUDGET  # nothing embedded twice
