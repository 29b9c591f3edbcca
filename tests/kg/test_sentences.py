import pytest

from kg.sentences import after_first_sentence, first_sentence


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # an acronym written with dots is not a sentence end (the card read "SU.PR.EME.")
        (
            "SU.PR.EME. Italia fights exploitation. It ran to 2022.",
            "SU.PR.EME. Italia fights exploitation.",
        ),
        ("Runs since 2019. It moves families.", "Runs since 2019."),
        ("Funded by the EU. It ran in 2019. Then more.", "Funded by the EU. It ran in 2019."),
        ("¿Qué es? Un proyecto.", "¿Qué es?"),
        ("One sentence without a stop", "One sentence without a stop."),
        # a German ordinal is not a sentence end (the German lead stopped at "seit 1.")
        (
            "Im Rathaus seit 1. Jänner 2016 tätig. Sie berät.",
            "Im Rathaus seit 1. Jänner 2016 tätig.",
        ),
        (
            "Kurse, z. B. Deutsch, ab 24. Februar. Dann mehr.",
            "Kurse, z. B. Deutsch, ab 24. Februar.",
        ),
    ],
)
def test_the_first_sentence_of_a_description(text: str, lead: str) -> None:
    assert first_sentence(text) == lead
    rest = after_first_sentence(text)
    assert (f"{lead} {rest}" if rest else lead).rstrip(".") == text.rstrip(".")
