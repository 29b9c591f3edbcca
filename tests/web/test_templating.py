"""The pages' template environment: messages, numbers and money in the page's language, and
the kind names every page uses."""

from __future__ import annotations

import pytest

from kg.search.explain import RELATIONS
from web.templating import KIND_LABELS, KIND_PLURALS, LINK_PHRASES, make_templates


@pytest.mark.parametrize(
    ("lang", "number", "money"),
    [("en", "1,234,567.5", "€1,500.00"), ("de", "1.234.567,5", "1.500,00\xa0€")],
)
def test_numbers_and_money_as_the_language_writes_them(lang: str, number: str, money: str) -> None:
    env = make_templates().env
    out = env.from_string("{{ n|number }}|{{ m|currency('EUR') }}").render(
        lang=lang, n=1234567.5, m=1500
    )
    assert out == f"{number}|{money}"


def test_messages_are_translated_into_the_page_language() -> None:
    env = make_templates().env
    template = env.from_string("{{ _('Initiatives') }}")
    assert template.render(lang="en") == "Initiatives"
    assert template.render(lang="es") == "Iniciativas"


def test_every_record_kind_has_a_name_and_a_plural_in_the_page_language() -> None:
    env = make_templates().env
    assert set(KIND_LABELS) == set(KIND_PLURALS)
    template = env.from_string("{{ _(kind_labels['policy']) }}/{{ _(kind_plurals['policy']) }}")
    assert template.render(lang="en") == "Policy/Policies"
    assert template.render(lang="es") != "Policy/Policies"  # translated


def test_every_link_a_result_can_have_is_phrased_for_the_page() -> None:
    """A relation the search gives and the page cannot phrase would fail the page's render."""
    phrases = dict(RELATIONS.values())
    assert LINK_PHRASES.keys() == phrases.keys()
    for key, english in phrases.items():
        assert LINK_PHRASES[key] == english.replace("{names}", "%(names)s"), key


def test_a_name_may_break_after_its_slashes_and_stays_escaped() -> None:
    """A phone broke "Hildesheim/Holzminden/Göttingen" inside "Göttingen": browsers do not
    break a line after a slash of their own."""
    env = make_templates().env
    out = env.from_string("{{ name|breakable }}").render(name="HAWK Hildesheim/Göttingen <x>")
    assert out == "HAWK Hildesheim/<wbr>Göttingen &lt;x&gt;"
