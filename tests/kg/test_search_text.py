"""Words, snippets, query understanding and metrics: pure functions, no store."""

import math

import pytest

from kg.search.documents import Concept
from kg.search.evaluate import ndcg, recall, reciprocal_rank
from kg.search.text import fold, highlight, stem, tokenize
from kg.search.understand import ConceptMatcher, detect_language, understand


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("Integración GEFLÜCHTETE Straße Nižná") == "integracion gefluchtete strasse nizna"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("families", "family"),
        ("refugees", "refugee"),
        ("migrantes", "migranti"),
        ("housing", "houses"),
        ("villages", "village"),
        ("rurales", "rural"),
    ],
)
def test_light_stemming_joins_word_forms(a: str, b: str) -> None:
    assert stem(fold(a)) == stem(fold(b))


def test_tokenize_drops_function_words_of_five_languages() -> None:
    assert tokenize("the families of la ville and die Dörfer de los pueblos") == [
        "famili",
        "vill",
        "dorfer",
        "puebl",
    ]


def test_highlight_marks_matches_and_escapes_everything_else() -> None:
    text = 'A <script>alert("x")</script> programme for families & villages.'
    out = highlight(text, tokenize("family village"))
    assert "<script>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "<mark>families</mark> &amp; <mark>villages</mark>" in out


def test_highlight_cuts_a_window_around_the_matches() -> None:
    text = "filler " * 100 + "helps families move to villages for a job " + "tail " * 100
    out = highlight(text, tokenize("families job"), width=120)
    assert out.startswith("…")
    assert out.endswith("…")
    assert "<mark>families</mark>" in out
    assert "<mark>job</mark>" in out
    assert len(out) < 200


CONCEPTS = [
    Concept(
        "t:housing", "theme", "housing", {"en": "Housing", "es": "Vivienda"}, [("de", "Wohnen")]
    ),
    Concept(
        "t:cs",
        "theme",
        "community-sponsorship",
        {"en": "Community sponsorship", "es": "Patrocinio comunitario"},
    ),
]


def test_query_words_expand_to_concepts_in_any_language() -> None:
    u = understand("patrocinio comunitario y vivienda", ConceptMatcher(CONCEPTS))
    assert [(m.concept.code, m.label) for m in u.concepts] == [
        ("community-sponsorship", "Patrocinio comunitario"),
        ("housing", "Vivienda"),
    ]
    # the embedding model (English) sees the English labels too
    assert u.expanded() == "patrocinio comunitario y vivienda (Community sponsorship; Housing)"


def test_every_word_of_a_label_must_occur() -> None:
    assert understand("comunitario", ConceptMatcher(CONCEPTS)).concepts == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("acogida de familias en pueblos despoblados", "es"),
        ("accoglienza dei migranti nelle aree montane", "it"),
        ("Geflüchtete aus der Ukraine privat aufnehmen", "de"),
        ("families who moved to a village for a job", "en"),
        ("job", "und"),
    ],
)
def test_language_detection_is_deterministic(text: str, lang: str) -> None:
    assert {detect_language(text) for _ in range(3)} == {lang}


def test_metrics_use_graded_gain() -> None:
    relevant = {"a": 2, "b": 1}
    assert ndcg(["a", "b"], relevant) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg(["b", "a"], relevant) == pytest.approx(swapped)
    assert recall(["x", "b"], relevant) == 0.5
    assert reciprocal_rank(["x", "y", "b"], relevant) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], relevant) == 0.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("lavoro dei migranti in agricoltura", "it"),
        ("Projet d'accueil de familles réfugiées dans les villages", "fr"),
        ("Ωραία χωριά για πρόσφυγες", "und"),  # not a language of the graph: no guess
        ("MATILDE", "und"),  # one word says too little
    ],
)
def test_language_is_one_of_the_graphs_or_undetermined(text: str, lang: str) -> None:
    assert detect_language(text) == lang
