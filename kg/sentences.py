"""Sentences of a description: where the first one ends, for leads and one-line summaries
(practice sheets, embed cards, the lists of the home and browse pages)."""

from __future__ import annotations

import re

#: a sentence ends at . ! or ? after a small letter, a digit or a closing mark, before white
#: space and a capital, an opening mark or ¿ ¡; not after a capital, so "SU.PR.EME. Italia
#: is …", "the EU. It …" and initials ("J. Smith") do not end one; nor after a word of one
#: character or a number of two digits, so German ordinals ("seit 1. Jänner 2016", "am 24.
#: Februar") and abbreviations ("z. B. Deutsch", "e.g. The") do not
SENTENCE_END = re.compile(
    r"(?<=[a-zß-ÿ0-9)\]\"”’»])(?<!\b\w)(?<!\b\d\d)[.!?](?=\s+[A-ZÀ-Þ\"“‘«(¿¡])"
)


def first_sentence(text: str) -> str:
    """The first sentence of a description, ending in its own mark (a full stop added to a text
    without one): the lead of a practice sheet and of an embed card."""
    text = text.strip()
    end = SENTENCE_END.search(text)
    head = text[: end.end()] if end else text
    return head if head[-1:] in ".!?" else f"{head}."


def after_first_sentence(text: str) -> str:
    """What a description says after its first sentence (`first_sentence`), or "" when it is
    one sentence: the body under a practice sheet's lead, which the lead does not repeat."""
    text = text.strip()
    end = SENTENCE_END.search(text)
    return text[end.end() :].strip() if end else ""
