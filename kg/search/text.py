"""Words for the keyword index: lowercasing, accent folding, light stopwords, light stemming.

The same function tokenises records and queries, so "Integración", "integracion" and
"INTEGRACIÓN" meet, and "families"/"family", "refugees"/"refugee", "migrantes"/"migranti"/
"migrants" share a stem. The stemmer is deliberately light and language-blind (records and
short queries mix languages, and short queries defeat language detection): it removes a plural
`s`, one final vowel (and an `s` that vowel ended: German "Kurse" and "Kurs", Italian "crisi"
and "crisis" meet), a final `-io` (Italian "alloggio" meets its plural "alloggi"; a trial's
"alloggi" missed the housing theme), the `h` of Italian `-ghi`/`-chi` plurals ("borghi" and
"borgo") and the English `-ing`/`-ed`. A real Snowball stemmer
per language would need the text's language on both sides; this one needs none and was
measured (see `kg/search/rank.py`) against no stemming.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator

#: the languages of the graph's texts and concept schemes: the only ones query language
#: detection chooses from (`kg.search.understand`) and the spelling dictionary holds
LANGUAGES = ("en", "es", "it", "de", "fr")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
COMBINING = re.compile(r"[\u0300-\u036f]")

#: characters NFKD does not decompose
EXTRA_FOLDS = str.maketrans({"ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe"})

#: function words of the five interface languages (issue 9), folded, with their question words
#: (a French trial's "comment accueillir des réfugiés" read "comment" as an unknown word and
#: found nothing, where "accueillir des réfugiés" found 56 records) and their personal pronouns
#: and possessives (a Spanish trial's "como ayudar a refugiados en mi pueblo" was told that no
#: record mentions «mi»); content words stay. French
#: "comme" had been indexed, as "comm": `q=Whole-COMM` listed 32 records beside Whole-COMM
#: through a concept's label "migrants comme levier de revitalisation" (an analyst's trial)
_FUNCTION_WORDS = """
a an and are as at be been but by for from has have in into is it its of on or that the their
them these they this those to was were which who with within will can also how what where when why
other such more most than about over under all any each both some our your we no not
el la los las un una unos unas y o de del al en con por para que se su sus es son lo le les
como mas pero sin sobre entre desde hasta muy no ni donde cuando cual cuales quien quienes
il lo gli i uno e ed di da dei degli delle della dello dal dalla nel nella nei nelle per tra fra
che si non sono ai alle alla allo sul sulla come anche piu dove quando quale quali chi perche
der die das den dem des ein eine einer eines einem einen und oder von vom zu zur zum im mit fur
auf aus bei nach uber unter ist sind wird werden sich nicht auch wie als an am wo wann
wer welche welcher welches warum
le les des du au aux et ou en dans par pour sur avec sans que qui est sont ce cette ces son sa
ses leur leurs une plus ne pas vers chez depuis pendant selon sous comme aussi dont
comment quoi quand quel quelle quels quelles pourquoi
me my you your his her him hers
mi mis tus yo te nos nuestro nuestra nuestros nuestras vuestro vuestra ella ellos ellas
nosotros nosotras vosotros usted ustedes
io ti ci noi voi lui lei loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra
nostri nostre vostro vostra
ich du wir ihr uns euch mir mich dich mein meine meinen meinem meiner meines dein deine deinen
sein seine seinen seinem seiner ihre ihren ihrem ihrer unser unsere unseren unserem unserer
euer eure
je moi nous vous mon ma mes ta tes notre nos votre vos
"""
#: what an apostrophe leaves of an elided article or preposition ("l'habitant", "dell'Italia",
#: "qu'il") and of the English possessive ("Europe's"), as Lucene's ElisionFilter drops them
_ELIDED = "l d j m n s t c qu dell all nell dall sull"
STOPWORDS = frozenset((_FUNCTION_WORDS + _ELIDED).split())
#: the version of this analyser (words, folding, stopwords, stemming): a saved search index
#: names it, so an index built by another version is rebuilt rather than read (`index_dir`)
ANALYZER = "10"


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Geflüchtete Ñandú' → 'gefluchtete nandu'."""
    if text.isascii():  # nothing to decompose or strip: most words, and 3 times faster
        return text.lower()
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.lower().translate(EXTRA_FOLDS)))


def stem(word: str) -> str:
    """A light, language-blind suffix stripper (see the module docstring)."""
    if word.isdigit() or len(word) < 4:
        return word
    if len(word) >= 6 and word.endswith("ing"):
        return _final_s(word[:-3])  # housing, as house and houses
    if len(word) >= 5 and word.endswith("ed"):
        return _final_s(word[:-2])
    word = _final_s(word)
    if len(word) >= 6 and word.endswith("io"):
        # Italian -io/-i ("alloggio" and "alloggi", "servizio" and "servizi") and Spanish -io
        # ("municipio" and Italian "municipi") meet on the same stem
        return word[:-2]
    if len(word) >= 5 and word[-1] == "y":  # family/families, country/countries
        return word[:-1] + "i"
    if len(word) >= 5 and word.endswith(("ghi", "chi")):
        # Italian -go/-co plurals keep their hard sound with an h: "borghi" meets "borgo",
        # "parchi" "parco" (an Italian trial's "borghi" found 1 record, "borgo" 11)
        return word[:-2]
    if len(word) >= 5 and word[-1] in "aeio":
        # a final vowel, and an s before it: "Kurse" meets "Kurs", "crisi" "crisis", "house"
        # "houses" and "housing"
        word = _final_s(word[:-1])
    return word


def _final_s(word: str) -> str:
    """`word` without a final s (not ss), when four letters or more."""
    return word[:-1] if len(word) >= 4 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`, offsets into the original text."""
    if text.isascii():  # folding is lowercasing, which keeps every offset: fold once
        for m in WORD.finditer(text.lower()):
            yield m.start(), m.end(), m.group()
        return
    for m in WORD.finditer(text):
        yield m.start(), m.end(), fold(m.group())


@functools.lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The index term of one folded word, or None for a stopword."""
    if word in STOPWORDS:
        return None
    return stem(word)


def tokenize(text: str) -> list[str]:
    """Index terms of a text, in order, stopwords removed."""
    return [t for w in WORD.findall(fold(text)) if (t := term(w)) is not None]


def highlight(text: str, terms: Iterable[str], *, width: int = 240) -> str:
    """An HTML snippet of `text` around the densest run of `terms`, each match in `<mark>`.

    Everything else is HTML-escaped, so record text can never inject markup.
    """
    wanted = set(terms)
    spans = (
        [(s, e) for s, e, w in words(text) if (t := term(w)) is not None and t in wanted]
        if wanted
        else []
    )
    start = _window(text, spans, width)
    end = min(len(text), start + width)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + width // 2 else end
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).strip()


def _window(text: str, spans: list[tuple[int, int]], width: int) -> int:
    """Start offset of the `width`-character window holding the most matches."""
    if not spans or len(text) <= width:
        return 0
    lead = width // 5
    candidates = [max(0, s - lead) for s, _ in spans]
    best = max(candidates, key=lambda c: sum(1 for s, e in spans if s >= c and e <= c + width))
    if best > 0:  # start on a word boundary
        space = text.rfind(" ", 0, best)
        best = space + 1 if space >= 0 else 0
    return best


#: where a word written in camel case starts another: "PlurAlps", "ZukunftGeflüchtete"; not
#: inside capitals ("ReROOT", "DignityFIRM", "GmbH" stay whole)
_INNER_WORD = re.compile(r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ][a-zß-ÿ])")


def coined_parts(text: str) -> str:
    """The words that names written in camel case join, space-separated ("" when `text` has
    none), as Lucene's WordDelimiterFilter splits them: "PlurAlps" holds "Alps", and an
    Italian trial's "Alps" found nothing.

    >>> coined_parts("PlurAlps: Alpine Space")
    'Plur Alps'
    >>> coined_parts("ReROOT, SafeHabitus GmbH")
    'Safe Habitus'
    """
    out = []
    for word in WORD.findall(text):
        split = _INNER_WORD.sub(" ", word)
        if split != word:
            out.append(split)
    return " ".join(out)
