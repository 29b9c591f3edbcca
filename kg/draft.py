"""Draft a record from a plain-text description: structure suggested, a person confirms.

`Drafter.draft(text)` reads a practitioner's description of a practice (any of the five interface
languages) and returns a `Draft`: the name and acronym where the text states them, and
`Suggestion`s for record fields, each with a confidence in [0, 1] and the evidence behind it:

- **concepts** (themes, target groups, rural challenges and opportunities, funding, countries,
  NUTS regions): a SKOS preferred or alternative label of the concept, in any language of the
  schemes, found as a whole phrase in the text (accents and case folded) → confidence 0.9 for a
  preferred label, 0.8 for an alternative one. A NUTS region found also suggests its country
  (0.8). A country named only as where people come from ("refugees from Ukraine", "aus der
  Ukraine", "in fuga dalla Siria": after one of `ORIGIN_WORDS`), or in a list of where people
  come from ("refugees from Syria and Ukraine", "aus Syrien und der Ukraine"), is offered
  unselected (`ORIGIN_CONFIDENCE`): the text says where people fled from, not where the
  practice is.
  Themes and target groups also come from meaning: the text's sentences and the concept's
  labels embedded with the search model; a concept whose best sentence similarity passes
  `MEANING_THRESHOLD` is suggested with that similarity as confidence. The threshold is the one
  measured by `kg draft --eval` on the bundled initiatives (README, "Contributions"), where it kept
  precision of themes at or above 0.8. A match of one general word (a one-word label) counts
  less unless the text's meaning, or a second, different word of the concept's labels
  ("empleo" and "ocupación"), corroborates it.
- **organisations** of the graph whose name, or acronym of at least three letters (written in
  capitals), appears in the text → suggested as partners (0.9 for a name, 0.7 for an acronym:
  the role is for the person to set). Names that look like an organisation (a capitalised phrase
  holding a word such as "University", "Foundation", "Ayuntamiento", "Stiftung") and match no
  record are proposed as new organisation records.
- **dates** stated with a starting word ("since 2016", "desde 2016", "seit 2016", "launched in
  2019"), with the month where the text names one ("desde marzo de 2019" → 2019-03, "seit 1.
  Jänner 2016" → 2016-01), with an ending word ("until June 2022", "terminado en diciembre de
  2022") or as a span ("2019–2022", "from 2019 to 2022") → `start` / `end`.
- **amounts** in euros ("€1.2 million", "EUR 500,000", "2,9 millones de euros") → `budget`.

Nothing is invented: a field the text does not support is left out. `Draft.record_text()` writes
the record file format of `ingest/records/README.md` with every suggested value marked by a YAML
comment, so a person confirms or deletes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import yaml
from babel.dates import get_month_names

from kg.search.documents import Concept, SearchDoc
from kg.search.embed import Embedder
from kg.search.text import stem, words

#: record field of each concept facet (ingest/records/README.md)
FACET_FIELDS = {
    "theme": "themes",
    "target_group": "target_groups",
    "challenge": "challenges",
    "opportunity": "opportunities",
    "funding": "funding",
    "country": "countries",
    "nuts": "nuts",
}
#: facets whose labels are names (places, funding programmes), matched as written: a stem would
#: take "Marche" (the Italian region) for "marché"; on the bundled initiatives stems cost the
#: funding suggestions 0.14 of precision (0.91 → 0.77, `kg draft --eval`) for 0.05 of recall
NAME_FACETS = ("country", "nuts", "funding")
#: facets also suggested from meaning (short, descriptive labels embed well; places do not)
MEANING_FACETS = ("theme", "target_group")
#: cosine similarity a sentence must reach with a concept's labels to suggest it by meaning alone
MEANING_THRESHOLD = 0.55
#: similarity that corroborates a one-word label match
CORROBORATION = 0.4
#: suggestions at or above this confidence are pre-selected for the person to confirm; the others
#: are offered unselected (`kg draft --eval` scores the pre-selected ones)
PRESELECT = 0.7
#: words (folded) that make the country after them people's origin, in the five languages: "from",
#: "fleeing", "procedentes de", "in fuga da/dalla", "aus (der)", "fuyant", "originaires de" …
ORIGIN_WORDS = (
    r"from|fleeing|fled|escaping|procedentes de|provenientes de|huyendo de|huidos de|"
    r"originarios de|provenienti da|provenienti dalla|in fuga da|in fuga dalla|fuggiti da|"
    r"fuggiti dalla|aus|aus der|aus dem|en provenance de|originaires de|"
    r"venant de|venus de|fuyant|fuyant la|fuyant le"
)
ORIGIN_CONFIDENCE = 0.5  # below PRESELECT: offered, for the person to tick if it is also a place
LABEL_CONFIDENCE = {"pref": 0.9, "alt": 0.8}
ORG_WORDS = (
    "university|universidad|università|universität|université|foundation|fundación|fondazione|"
    "stiftung|fondation|association|asociación|associazione|verein|verband|cooperative|"
    "cooperativa|genossenschaft|ministry|ministerio|ministero|ministerium|ministère|municipality|"
    "ayuntamiento|comune|gemeinde|commune|council|agency|agencia|agenzia|agentur|agence|"
    "institute|instituto|istituto|institut|network|red|rete|netzwerk|réseau|red cross|cruz roja|"
    "croce rossa|caritas|ngo|ong|onlus"
)
#: a capitalised word; a full stop within it ("U.N.H.C.R") or ending a short abbreviation
#: ("St. Gallen", "Mons. Óscar Romero", "Dr."), as one that ends a longer word ends the
#: sentence: a French trial's "… de la Fondation Exemple. Résultats : …" was proposed as the
#: organisation "Fondation Exemple. Résultats"
_CAPITAL_WORD = r"[A-ZÀ-Ý](?:[a-zà-ÿ]{0,3}\.(?=\s)|(?:[\w'’-]|\.(?=\w))*)"
CAPITALISED = re.compile(
    rf"\b(?:{_CAPITAL_WORD}|de|del|della|di|der|des|du|la|le|of|for|and|y|e|und|et)"
    rf"(?:\s+(?:{_CAPITAL_WORD}|de|del|della|di|der|des|du|la|le|of|for|and|y|e|und|et)){{1,7}}"
)
ACRONYM_AFTER = re.compile(
    r"(?P<long>[A-ZÀ-Ý][^()\n]{3,120}?)\s*\((?P<short>[A-Z][A-Z0-9-]{2,14})\)"
)
ACRONYM_BEFORE = re.compile(
    r"\b(?P<short>[A-Z][A-Z0-9-]{2,14})\s*\((?P<long>[A-ZÀ-Ý][^()\n]{3,120}?)\)"
)
YEAR = r"(?:19[89]\d|20[0-4]\d)"
SPAN = re.compile(
    rf"(?:\b(?:from|de|desde|dal|da|von|du)\s+)?\b(?P<start>{YEAR})\s*(?:–|—|-|to|a|al|bis|au|"
    rf"until|hasta|fino al)\s*(?P<end>{YEAR})\b",
    re.I,
)
#: a starting word, then the year, perhaps after a day and a month ("seit 1. Jänner 2016",
#: "desde marzo de 2019") or another word ("desde principios de 2019", "since early 2016")
WHEN = (  # after the starting or ending word: perhaps a day and a month, then the year
    rf"\s+(?:(?:el|the|le|il|dem|den)\s+)?(?:\d{{1,2}}\.?\s+(?:de\s+|of\s+)?)?"
    rf"(?:(?P<word>[^\W\d_]+)\s+(?:(?:de|del|of)\s+)?)?(?P<year>{YEAR})\b"
)
STARTED = re.compile(
    r"\b(?:since|started in|start(?:ed|ing)? in|launched in|began in|founded in|created in|"
    r"set up in|desde|iniciado en|comenzó en|empezó en|nació en|surgió en|creado en|"
    r"puesto en marcha en|dal|avviato nel|nato nel|nata nel|partito nel|seit|gestartet|"
    r"gegründet|depuis|lancé en|créé en|né en|née en|démarré en)" + WHEN,
    re.I,
)
#: an ending word: "until June 2022", "terminado en diciembre de 2022", "bis 2021"
ENDED = re.compile(
    r"\b(?:until|ended in|finished in|closed in|hasta|terminado en|terminó en|finalizado en|"
    r"fino al|fino a|concluso nel|terminato nel|bis|jusqu'en|jusqu'à|terminé en|achevé en)" + WHEN,
    re.I,
)

AMOUNT = re.compile(
    r"(?:€|EUR|euros?)\s?(?P<a>\d[\d.,\s]*\d|\d)\s*(?P<m>million|millones|milioni|millionen|"
    r"millions|mio\.?|m\b|k\b|thousand)?"
    r"|(?P<b>\d[\d.,\s]*\d|\d)\s*(?P<n>million|millones|milioni|millionen|millions|mio\.?|"
    r"thousand|mil)?\s*(?:de\s+|di\s+)?(?:€|EUR\b|euros?\b)",
    re.I,
)
#: small words inside a name ("Network *for* Integration *in* Rural Areas")
CONNECTORS = frozenset(
    [
        "of",
        "for",
        "and",
        "in",
        "the",
        "to",
        "on",
        "with",
        "at",
        "a",
        "an",
        "de",
        "del",
        "della",
        "di",
        "da",
        "per",
        "für",
        "und",
        "zur",
        "zum",
        "der",
        "die",
        "das",
        "pour",
        "et",
        "des",
        "du",
        "la",
        "le",
        "y",
        "e",
        "en",
        "por",
        "para",
        "los",
        "las",
    ]
)
ARTICLES = frozenset(
    ["the", "la", "el", "il", "lo", "die", "der", "das", "le", "les", "los", "las"]
)
SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


@dataclass(frozen=True)
class Suggestion:
    """One suggested value of a record field.

    `field` is the record field (`themes`, `countries`, `partners`, `start`, …), `value` what goes
    into it (a concept id, an ISO or NUTS code, an organisation slug, a year, an amount),
    `label` how a person reads it (in the language asked for), `confidence` in [0, 1]; the
    evidence: `words` of the text that support it and/or the cosine `similarity` of a sentence.
    """

    field: str
    value: str
    label: str
    confidence: float
    words: str = ""
    similarity: float | None = None
    added: bool = False  # chosen by the person from a list, not read in the text

    @property
    def evidence(self) -> str:
        """The evidence in English words (record file comments, the CLI)."""
        if self.added:
            return "chosen by the contributor"
        parts = [f'"{self.words}" in the text'] if self.words else []
        if self.similarity is not None:
            parts.append(f"close in meaning ({self.similarity:.2f})")
        return ", ".join(parts)


@dataclass
class Draft:
    """A record in the making: the description and what the drafter suggests for it."""

    description: str
    name: str | None = None
    acronym: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)

    def values(self, field_name: str) -> list[str]:
        """The suggested values of one field, most confident first."""
        picked = [s for s in self.suggestions if s.field == field_name]
        return [s.value for s in sorted(picked, key=lambda s: -s.confidence)]

    def record_text(
        self,
        *,
        sources: Sequence[str] = (),
        text_lang: str = "en",
        url: str = "",
        contact_url: str = "",
    ) -> str:
        """The draft as a record file (front matter + body); each suggestion marked by a comment.

        `sources` are URLs given with the description (they become `sources:` entries);
        `text_lang` is the description's language: English is the body, any other language
        goes into `descriptions:` (the record format's rule); `url` and `contact_url`, the
        practice's own website and contact page as the contributor gave them, become the
        record's fields of those names.
        """
        lines = ["---"]
        if self.name:
            lines.append(f"name: {_yaml_scalar(self.name)}  # suggestion: confirm")
            if text_lang != "en":  # named in the description's language (the contributor's)
                lines.append(f"name_lang: {text_lang}")
        else:
            lines.append("name:   # required: the practice's name")
        if self.acronym:
            lines.append(f"acronym: {_yaml_scalar(self.acronym)}  # suggestion: confirm")
        for key, address in (("url", url), ("contact_url", contact_url)):
            if address:
                lines.append(f"{key}: {_quoted(address)}  # given by the contributor")
        for key in ("start", "end"):
            for s in self._of(key):
                lines.append(f'{key}: "{s.value}"  # suggestion ({s.evidence})')
                break
        budget = self._of("budget")
        if budget:
            lines.append("budget:  # suggestion: set label (total, eu-contribution, …) or delete")
            for s in budget:
                lines.append(
                    f"  - {{amount: {s.value}, currency: EUR}}  # suggestion ({s.evidence})"
                )
        for key in (*FACET_FIELDS.values(), "partners"):
            items = self._of(key)
            if not items:
                continue
            lines.append(f"{key}:")
            for s in items:
                lines.append(
                    f"  - {s.value}  # suggestion {s.confidence:.2f}: {s.label} ({s.evidence})"
                )
        if self.new_organisations:
            lines.append("# organisations named in the text with no record yet (new records?):")
            lines.extend(f"#   {name}" for name in self.new_organisations)
        if text_lang != "en":
            dumped = yaml.safe_dump(
                {"descriptions": {text_lang: self.description.strip()}},
                allow_unicode=True,
                width=100,
            )
            lines.extend(dumped.rstrip("\n").splitlines())
        if sources:
            lines.append("sources:")
            for i, url in enumerate(sources, 1):
                # the form asks for links alone: the title is the link until the moderator
                # gives the document's title, which the record's page shows (a trial: a
                # contributed record's sources were named by their addresses)
                lines.append(
                    f"  source-{i}: {{url: {_quoted(url)}, title: {_quoted(url)}}}"
                    "  # title: give the document's title"
                )
        else:
            lines.append("sources:   # required: at least one source (url and title)")
        lines.append("---")
        if text_lang == "en":
            lines.append(self.description.strip())
        return "\n".join(lines) + "\n"

    def _of(self, field_name: str) -> list[Suggestion]:
        return sorted(
            (s for s in self.suggestions if s.field == field_name), key=lambda s: -s.confidence
        )


@dataclass(frozen=True)
class _Label:
    concept: Concept
    phrase: str  # folded; for an acronym ("AMIF", "FAMI") the label as written
    kind: str  # pref | alt
    acronym: bool = False
    #: the phrase's words as the search stems them, to find other forms of them ("logements"
    #: for "logement"); empty for names (`NAME_FACETS`) and acronyms, matched as written
    stems: tuple[str, ...] = ()


class Drafter:
    """Suggests record structure from text, using the graph's concepts and organisations.

    Build it from `kg.search.documents.gather(store)` (records and concepts) and an `Embedder`
    (the search model; `HashEmbedder` in unit tests). Building embeds every theme and target-group
    concept once (about 60 short texts).
    """

    def __init__(
        self, docs: Iterable[SearchDoc], concepts: dict[str, Concept], embedder: Embedder | None
    ) -> None:
        self.concepts = concepts
        self.labels: list[_Label] = []
        for concept in concepts.values():
            if concept.facet not in FACET_FIELDS:
                continue
            for kind, pairs in (
                ("pref", list(concept.labels.items())),
                ("alt", concept.alt_labels),
            ):
                for _lang, text in pairs:
                    if _is_acronym(text):  # matched as written, in capitals
                        self.labels.append(_Label(concept, text, kind, acronym=True))
                        continue
                    phrase = fold(text)
                    # a short single word among the alternative labels ("work", "farm") is
                    # too general to count as evidence on its own
                    if len(phrase) < 4 or (kind == "alt" and " " not in phrase and len(phrase) < 6):
                        continue
                    stems = () if concept.facet in NAME_FACETS else _stems(phrase)
                    self.labels.append(_Label(concept, phrase, kind, stems=stems))
        self.organisations: list[tuple[str, str, str]] = []  # (slug, folded name, display)
        self.acronyms: dict[str, tuple[str, str]] = {}  # acronym → (slug, display)
        for doc in docs:
            if doc.kind != "organisation":
                continue
            for name in {*doc.names.values(), *doc.alt_names}:
                if _is_acronym(name):
                    self.acronyms[name] = (doc.slug, doc.name)
                elif len(name) >= 5:
                    self.organisations.append((doc.slug, fold(name), doc.name))
        #: acronyms that name a concept (a funding programme) or an organisation of the graph
        self.known_acronyms = frozenset(
            [label.phrase for label in self.labels if label.acronym] + list(self.acronyms)
        )
        self.embedder = embedder
        self._meaning: list[Concept] = [c for c in concepts.values() if c.facet in MEANING_FACETS]
        self._meaning_vectors: np.ndarray | None = None

    def draft(self, text: str, *, name: str | None = None, lang: str = "en") -> Draft:
        """Suggestions for a description (plain text, any of the five languages); concept
        labels in `lang`."""
        draft = Draft(description=text.strip())
        draft.name, draft.acronym = _name_and_acronym(text, self.known_acronyms)
        if name:
            draft.name = name.strip()
        folded = fold(text)
        spans = list(words(text))  # (start, end, folded word): other forms of a label's words
        stemmed = [stem(w) for _, _, w in spans]
        found: dict[tuple[str, str], Suggestion] = {}

        def add(s: Suggestion) -> None:
            key = (s.field, s.value)
            if key not in found or found[key].confidence < s.confidence:
                found[key] = s

        meaning = self._meaning_scores(text)
        # the distinct words of a concept's one-word labels the text holds ("viviendas",
        # "casas"): two are evidence as meaning is, in a language the model does not read
        words_said: dict[str, set[str]] = {}
        for label in self.labels:
            said: str | None = None  # the words of the text that matched, as written
            if label.acronym:
                if not re.search(rf"(?<![\w-]){re.escape(label.phrase)}(?![\w-])", text):
                    continue
                said = label.phrase
            elif _contains(folded, label.phrase):
                if _only_in_names(text, folded, label.phrase):
                    continue  # "Faux-la-Montagne" is a village, not a mountain area
                said = _original(text, folded, label.phrase)
            else:
                said = _stemmed_match(text, spans, stemmed, label.stems)
                if said is None:
                    continue
            concept = label.concept
            confidence = LABEL_CONFIDENCE[label.kind]
            if concept.facet == "country" and _only_as_origin(folded, label.phrase):
                confidence = ORIGIN_CONFIDENCE
            similarity = None
            if not label.acronym and " " not in label.phrase and concept.facet in MEANING_FACETS:
                # one general word ("training", "research") is weak evidence of a theme unless
                # the text is also close in meaning to the concept
                confidence -= 0.2
                score = meaning.get(concept.iri, 0.0)
                if score >= CORROBORATION:
                    confidence += 0.15
                    similarity = round(score, 2)
                words_said.setdefault(concept.iri, set()).add(stem(fold(said)))
            add(
                Suggestion(
                    FACET_FIELDS[concept.facet],
                    concept.code,
                    concept.label(lang),
                    round(confidence, 2),
                    said,
                    similarity,
                )
            )
            if concept.facet == "nuts":
                country = self._country_of(concept)
                if country is not None:
                    add(Suggestion("countries", country.code, country.label(lang), 0.8, said))
        for iri, said_words in words_said.items():
            concept = self.concepts[iri]
            key = (FACET_FIELDS[concept.facet], concept.code)
            if len(said_words) >= 2 and found[key].confidence < PRESELECT:
                agreed = found[key].confidence + 0.15
                found[key] = replace(found[key], confidence=round(agreed, 2))
        for iri, score in meaning.items():
            if score >= MEANING_THRESHOLD:
                concept = self.concepts[iri]
                add(
                    Suggestion(
                        FACET_FIELDS[concept.facet],
                        concept.code,
                        concept.label(lang),
                        round(score, 2),
                        similarity=round(score, 2),
                    )
                )
        matched_orgs: set[str] = set()
        for slug, phrase, display in self.organisations:
            if _contains(folded, phrase):
                matched_orgs.add(slug)
                add(Suggestion("partners", slug, display, 0.9, _original(text, folded, phrase)))
        for acronym, (slug, display) in self.acronyms.items():
            if re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
                matched_orgs.add(slug)
                add(Suggestion("partners", slug, display, 0.7, acronym))
        draft.new_organisations = self._new_organisations(text)
        for s in _dates(text):
            add(s)
        for s in _amounts(text):
            add(s)
        draft.suggestions = sorted(found.values(), key=lambda s: (s.field, -s.confidence, s.value))
        return draft

    def choices(self, field_name: str, lang: str = "en") -> list[tuple[str, str]]:
        """Every value of a concept field (`countries`, `themes`, …) a person may choose when
        the text names none: (code, label in `lang`), in the alphabetical order of the labels
        (accents aside)."""
        found = [
            (c.code, c.label(lang))
            for c in self.concepts.values()
            if FACET_FIELDS.get(c.facet) == field_name
        ]
        return sorted(found, key=lambda pair: (fold(pair[1]), pair[0]))

    def chosen(self, field_name: str, value: str, lang: str = "en") -> Suggestion | None:
        """The person's own choice of `value` for `field_name` (from `choices`) as a suggestion
        marked `added`; None for a value no concept of that field has."""
        for c in self.concepts.values():
            if FACET_FIELDS.get(c.facet) == field_name and c.code == value:
                return Suggestion(field_name, c.code, c.label(lang), 1.0, added=True)
        return None

    def _country_of(self, concept: Concept) -> Concept | None:
        current: Concept | None = concept
        while current is not None and current.facet != "country":
            current = self.concepts.get(current.broader) if current.broader else None
        return current

    def _meaning_scores(self, text: str) -> dict[str, float]:
        """Concept IRI → best cosine similarity of a sentence of the text with its labels."""
        if self.embedder is None or not self._meaning:
            return {}
        sentences = [s.strip() for s in SENTENCE.split(text) if len(s.strip()) > 20][:40]
        if not sentences:
            return {}
        if self._meaning_vectors is None:
            self._meaning_vectors = np.asarray(
                self.embedder.encode_passages([_concept_text(c) for c in self._meaning])
            )
        vectors = np.asarray(self.embedder.encode_passages(sentences))
        best = (vectors @ self._meaning_vectors.T).max(axis=0)  # normalised: cosine
        return {c.iri: float(score) for c, score in zip(self._meaning, best, strict=True)}

    def _new_organisations(self, text: str) -> list[str]:
        known = {phrase for _slug, phrase, _d in self.organisations}
        out: list[str] = []
        for match in CAPITALISED.finditer(text):
            phrase = match.group(0).strip(" .,'’-")
            words = phrase.split()
            while (
                words
                and (
                    not words[0][:1].isupper()
                    or words[0].lower() in ARTICLES
                    # "Con la Asociación …": a sentence's first word, then a small word
                    or (
                        len(words) > 1
                        and not words[1][:1].isupper()
                        and not re.fullmatch(rf"(?:{ORG_WORDS})", words[0], re.I)
                    )
                )
            ):
                words.pop(0)
            while words and not words[-1][:1].isupper():
                words.pop()
            phrase = " ".join(words)
            if len(words) < 2 or not re.search(rf"\b(?:{ORG_WORDS})\b", phrase, re.I):
                continue
            if fold(phrase) in known or any(fold(phrase) in k or k in fold(phrase) for k in known):
                continue
            if phrase not in out:
                out.append(phrase)
        return out


def fold(text: str) -> str:
    """Lower case, accents removed, runs of white space as one space (for phrase matching)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain.casefold().replace("’", "'")).strip()


#: month names of the five languages (and Austrian German: "Jänner"), folded → 1-12 (CLDR,
#: through babel)
MONTHS = {
    fold(name): n
    for locale in ("en", "es", "it", "de", "de_AT", "fr")
    for n, name in get_month_names("wide", locale=locale).items()
}


def _original(text: str, folded_text: str, phrase: str) -> str:
    """The words of `text` that matched `phrase` (folding keeps lengths for most scripts)."""
    at = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded_text)
    if at is None:
        return phrase
    original = re.sub(r"\s+", " ", text.strip())
    if len(original) == len(folded_text):
        return original[at.start() : at.end()]
    return phrase


def _stems(phrase: str) -> tuple[str, ...]:
    """The words of a folded label as the search index stems them (`kg.search.text.stem`)."""
    return tuple(stem(w) for _, _, w in words(phrase))


def _only_in_names(text: str, folded_text: str, phrase: str) -> bool:
    """Whether every mention of `phrase` is part of a hyphenated name that starts with a
    capital ("Faux-la-Montagne", "Saint-Just-le-Martel"): a place, not the concept. A lower-case
    compound ("self-employment") still counts."""
    original = re.sub(r"\s+", " ", text.strip())
    if len(original) != len(folded_text):  # folding changed lengths: offsets do not align
        return False
    mentions = list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded_text))
    return bool(mentions) and all(_in_name(original, m.start(), m.end()) for m in mentions)


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is joined by a hyphen to a word of a capitalised compound."""
    hyphened = (start > 0 and text[start - 1] == "-") or (end < len(text) and text[end] == "-")
    if not hyphened:
        return False
    first = text.rfind(" ", 0, start) + 1  # where the compound starts
    return text[first : first + 1].isupper()


def _stemmed_match(
    text: str, spans: list[tuple[int, int, str]], stemmed: list[str], stems: tuple[str, ...]
) -> str | None:
    """The words of `text` whose stems are `stems`, one after the other, as written
    ("logements communaux" for the label "logement communal"), or None. `spans` are the text's
    words (`kg.search.text.words`) and `stemmed` their stems."""
    n = len(stems)
    if not n:
        return None
    for i in range(len(stemmed) - n + 1):
        start, end = spans[i][0], spans[i + n - 1][1]
        if tuple(stemmed[i : i + n]) == stems and not _in_name(text, start, end):
            return text[start:end]
    return None


def _contains(folded_text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded_text) is not None


#: the origin words that speak of people alone, after which a list of countries is all of
#: where they came from; "from" and "aus" also introduce where partners come from ("partners
#: from Italy, Spain and Greece": there the project works), and only their first country is
#: read as an origin (on the bundled initiatives, lists after them cost countries 0.10 recall)
#: unless a word for people stands before them (`PEOPLE`)
PEOPLES_ORIGIN = (
    r"fleeing|fled|escaping|procedentes de|provenientes de|huyendo de|huidos de|"
    r"originarios de|provenienti da|provenienti dalla|in fuga da|in fuga dalla|fuggiti da|"
    r"fuggiti dalla|en provenance de|originaires de|fuyant|fuyant la|fuyant le"
)
#: words (folded) for people who came from elsewhere, in the five languages: after one of them
#: "from" and "aus" speak of where they came from, and the whole list they begin is that
#: ("refugees from Syria and Ukraine", "Geflüchtete aus Syrien und der Ukraine", "réfugiés
#: venant de Syrie et d'Ukraine"; a trial's draft pre-selected Ukraine). Words for people in
#: general are not among them: "young people from Italy, Spain and Greece", "workers from
#: Romania and Spain" and "Menschen aus Deutschland und Syrien" name where a practice works too
#: (a review); they may follow one ("refugee families from", `GENERIC_PEOPLE`)
PEOPLE = (
    r"refugees?|migrants?|immigrants?|asylum seekers?|displaced|newcomers?|exiles?|"
    r"refugiad[oa]s?|migrantes?|inmigrantes?|desplazad[oa]s|solicitantes de asilo|"
    r"rifugiat[ioe]|migranti|immigrat[ie]|profughi|richiedenti asilo|"
    r"gefluchtete[nr]?|fluchtlinge?|migrant(?:en|innen)|zugewanderte[n]?|"
    r"asylsuchende[n]?|asylbewerber(?:innen)?|vertriebene[n]?|"
    r"refugie(?:e|s|es)?|immigre(?:e|s|es)?|exile(?:e|s|es)?|demandeurs d'asile|deplace(?:e|s|es)"
)
#: words for people in general that may stand between one of `PEOPLE` and "from" ("refugee
#: families from", "Geflüchtete Familien aus")
GENERIC_PEOPLE = (
    r"famil(?:y|ies)|people|persons|women|men|children|minors|workers|youths?|"
    r"familien|menschen|personen|frauen|kinder|jugendliche|"
    r"familles|personnes|femmes|enfants|jeunes"
)
#: words that may stand between those people and "from" ("families who came from", "Familien,
#: die aus", "réfugiés, surtout venant de")
_BETWEEN = (
    r"who|that|mostly|mainly|largely|many|most|all|came|come|coming|arrived|arriving|"
    r"die|meist|vor allem|uberwiegend|kamen|surtout|principalement|notamment"
)
#: the origin words that speak of people only after one of `PEOPLE`
_AFTER_PEOPLE = r"from|aus|venant de|venus de|venues de"
#: what may stand before a name in a list of origins: a preposition repeated ("de Siria y de
#: Ucrania", "dalla Siria e dall'Ucraina", "de Syrie et d'Ukraine") and an article ("the
#: Ukraine", "aus Syrien und der Ukraine", "la Siria")
_BEFORE_NAME = (
    r"(?:(?:from|aus|de|del|des|du|da|dal|dalla|dai|dalle|dagli)\s+|(?:d|dall)'\s*)?"
    r"(?:(?:the|el|la|los|las|le|les|der|dem|den|die)\s+|l'\s*)?"
)
#: words that say where something is, not where people come from: a list holding one has ended
#: ("refugees from Syria settle in Spain and Italy": Italy is where they live)
_PLACE_WORDS = (
    r"in|into|to|at|on|across|en|a|al|hacia|nel|nella|nei|nelle|im|nach|zu|bei|dans|au|aux"
)
#: a word of a country's name as listed; a possessive ends it ("from Africa or Spain's cities")
_NAME_WORD = rf"(?!(?:{_PLACE_WORDS})(?![\w'’-]))[^\W\d_](?:[\w-]|['’](?!s(?!\w)))*"
#: one name of a list after an origin word ("ucrania", "the ukraine"), then its separator
_LISTED = (
    rf"{_BEFORE_NAME}{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
    r"(?:\s*,\s*|\s+(?:and|or|y|o|e|ed|und|oder|et|ou)\s+)"
)
#: verbs that say people came: after them, any people came from what follows ("families who
#: came from Syria or the Ukraine")
_CAME = r"came|come|arrived|fled|escaped|kamen|geflohen|gefluchtet|arrivees?|arrives|fuis?|fuies?"
#: people named, then the words that say they came from what follows
_PEOPLE_FROM = (
    rf"(?:(?:{PEOPLE})(?:\s+(?:{GENERIC_PEOPLE}))?(?:[\s,]+(?:{_BETWEEN})){{0,3}}"
    rf"|(?:{GENERIC_PEOPLE})(?:[\s,]+(?:who|that|die|qui))?[\s,]+(?:{_CAME}))"
    rf"[\s,]+(?:{_AFTER_PEOPLE})"
)
#: a country named after an origin word: alone, or later in a list the word begins
_ORIGIN = re.compile(
    rf"(?<!\w)(?:(?:{ORIGIN_WORDS})|(?:{PEOPLES_ORIGIN}|{_PEOPLE_FROM})\s+(?:{_LISTED}){{1,6}})"
    rf"\s*{_BEFORE_NAME}$"
)

#: after a name, a possessive: no list item ("migrants from Africa or Spain's cities")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")


def _only_as_origin(folded_text: str, phrase: str) -> bool:
    """Whether every mention of `phrase` follows one of `ORIGIN_WORDS` (an article between them
    allowed: "from the Ukraine", "dalla Siria"), alone or later in the list of names the word
    begins after people ("procedentes de Ucrania, Venezuela y Marruecos": a Spanish trial's draft
    pre-selected Morocco, the third country people came from; "refugees from Syria and
    Ukraine": another pre-selected Ukraine)."""
    mentions = list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded_text))
    # the words just before a mention are enough, and keep the search short on a long text
    return bool(mentions) and all(
        _ORIGIN.search(folded_text[max(0, m.start() - 200) : m.start()])
        and not _POSSESSIVE.match(folded_text, m.end())
        for m in mentions
    )


def _is_acronym(name: str) -> bool:
    return 3 <= len(name) <= 12 and name.replace("-", "").isalnum() and name.upper() == name


def _concept_text(concept: Concept) -> str:
    english = [concept.label("en")] + [t for lang, t in concept.alt_labels if lang == "en"]
    return "; ".join(english)


def _name_and_acronym(
    text: str, known: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """A stated "Long Name (ACRONYM)" or "ACRONYM (Long Name)", else a short title line. An
    acronym in `known` (a funding programme's or an organisation's the graph has: "LEADER",
    "AMIF") names that, not the practice: "Toit et Langue en Creuse (LEADER)" has none."""
    head = text.strip()[:600]
    for pattern in (ACRONYM_BEFORE, ACRONYM_AFTER):
        match = pattern.search(head)
        if match is None or match.group("short") in known:
            continue
        long, short = match.group("long").strip(), match.group("short")
        initials = "".join(w[0] for w in re.findall(r"[A-Za-zÀ-ÿ]+", long) if w[0].isupper())
        if pattern is ACRONYM_AFTER:
            # the long name is the capitalised run just before the brackets
            words = long.split()
            keep: list[str] = []
            for word in reversed(words):
                if word[:1].isupper() or (keep and word.lower() in CONNECTORS):
                    keep.insert(0, word)
                else:
                    break
            long = " ".join(keep)
            initials = "".join(w[0] for w in keep if w[:1].isupper())
        if long and (short[0] == initials[:1] or short.replace("-", "")[:2] == initials[:2]):
            return long, short
        if pattern is ACRONYM_BEFORE and long:
            return long, short
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if 3 <= len(first) <= 90 and not first.endswith((".", ":", ";")):
        return first, None
    return None, None


def _dates(text: str) -> list[Suggestion]:
    out = []
    span = SPAN.search(text)
    if span and int(span.group("start")) <= int(span.group("end")):
        words = span.group(0).strip()
        out.append(Suggestion("start", span.group("start"), span.group("start"), 0.8, words))
        out.append(Suggestion("end", span.group("end"), span.group("end"), 0.8, words))
        return out
    for key, pattern, confidence in (("start", STARTED, 0.8), ("end", ENDED, 0.7)):
        said = pattern.search(text)
        if said:
            year = said.group("year")
            month = MONTHS.get(fold(said.group("word") or ""))
            value = f"{year}-{month:02d}" if month else year  # as precise as the text says
            out.append(Suggestion(key, value, value, confidence, said.group(0).strip()))
    return out


def _amounts(text: str) -> list[Suggestion]:
    out = []
    for match in AMOUNT.finditer(text):
        number = match.group("a") or match.group("b")
        unit = (match.group("m") or match.group("n") or "").lower().rstrip(".")
        value = _number(number, scaled=bool(unit))
        if value is None:
            continue
        if unit in {"million", "millones", "milioni", "millionen", "millions", "mio", "m"}:
            value *= 1_000_000
        elif unit in {"thousand", "k", "mil"}:
            value *= 1_000
        amount = str(int(value)) if float(value).is_integer() else f"{value:.2f}"
        out.append(Suggestion("budget", amount, f"€{int(value):,}", 0.7, match.group(0).strip()))
    return out


def _number(raw: str, *, scaled: bool) -> float | None:
    """'1.2' / '1,2' (scaled: a decimal) or '500,000' / '500.000' / '500 000' (grouping)."""
    raw = raw.strip().replace(" ", "").replace("\u00a0", "")
    if scaled and re.fullmatch(r"\d+[.,]\d{1,2}", raw):
        return float(raw.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    if re.fullmatch(r"\d+(?:[.,]\d{1,2})?", raw):
        return float(raw.replace(",", "."))
    return None


def _quoted(value: str) -> str:
    """`value` as a double-quoted YAML scalar, safe inside a flow mapping, where a plain
    scalar ends at `?`, `,`, `{` or `}` (a link's query string holds such characters)."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=10**6).strip()


def _yaml_scalar(value: str) -> str:
    return (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True)
        .strip()
        .removesuffix("\n...")
        .strip()
    )


@dataclass(frozen=True)
class FieldScore:
    """Micro-averaged precision and recall of one field over a set of records."""

    field: str
    suggested: int
    correct: int
    expected: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def evaluate(drafter: Drafter, docs: Iterable[SearchDoc]) -> list[FieldScore]:
    """Draft every initiative from its own descriptions and compare with its curated fields.

    The input is the initiative's descriptions in every language (name left out); the truth is
    its concept links (countries include those of its NUTS regions, as the search facets do) and
    the names of its linked organisations. Returns one `FieldScore` per suggested field.
    """
    counts: dict[str, list[int]] = {}
    for doc in docs:
        if doc.kind != "initiative" or not doc.descriptions:
            continue
        text = "\n\n".join(doc.descriptions[lang] for lang in sorted(doc.descriptions))
        draft = drafter.draft(text)
        truth = {FACET_FIELDS[f]: set(v) for f, v in doc.facets.items() if f in FACET_FIELDS}
        truth["partners"] = {fold(n) for n in doc.linked_names}
        for field_name in (*FACET_FIELDS.values(), "partners"):
            picked = [
                s for s in draft.suggestions if s.field == field_name and s.confidence >= PRESELECT
            ]
            if field_name == "partners":
                got = {fold(s.label) for s in picked}
            else:
                got = {s.value for s in picked}
            want = truth.get(field_name, set())
            c = counts.setdefault(field_name, [0, 0, 0])
            c[0] += len(got)
            c[1] += len(got & want)
            c[2] += len(want)
    return [FieldScore(f, *c) for f, c in counts.items()]
