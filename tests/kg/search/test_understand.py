"""Query understanding: concepts named in any language, and the language of the query."""

import pytest

from kg.search.documents import Concept
from kg.search.spelling import Speller
from kg.search.text import term, tokenize
from kg.search.understand import (
    ConceptMatcher,
    detect_language,
    in_english_words,
    in_page_language,
    language_of_words,
    of_page_words,
    understand,
)

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


def test_a_form_is_searched_without_a_showing_results_for() -> None:
    """ "Wohnen in Dörfern": "Dörfern" is German, read as the known "dorfer"; nothing was
    misspelt, so there is no corrected text to show, but the form is what is searched."""
    known = {"dorfer": 3, "wohnen": 2}
    speller = Speller(known, lambda t: t in {term(w) for w in known}, frozenset({"dorfern"}))
    u = understand("Wohnen in Dörfern", ConceptMatcher(CONCEPTS), speller)
    assert u.corrected is None
    assert u.corrections == ()
    assert u.forms == (("Dörfern", "dorfer"),)
    assert term("dorfer") in u.terms
    assert [m.concept.code for m in u.concepts] == ["housing"]


def test_concept_coverage_is_the_share_of_query_terms_the_named_concepts_hold() -> None:
    matcher = ConceptMatcher(CONCEPTS)
    assert understand("community sponsorship", matcher).concept_coverage == 1.0
    # "community sponsorship" is named, "groups" and "villages" are not ("in": a stopword)
    assert understand("community sponsorship groups in villages", matcher).concept_coverage == (
        pytest.approx(2 / 4)
    )
    assert understand("patrocinio comunitario y vivienda", matcher).concept_coverage == 1.0
    assert understand("refugee families", matcher).concept_coverage == 0.0


def test_a_word_few_concepts_labels_hold_points_to_them() -> None:
    """On a page where nothing matched, a word of one of a concept's labels points to it
    ("driving lessons" and the label "driving licence"); a word of many concepts' labels
    points to none."""
    mobility = Concept(
        "t:mob", "theme", "mobility", {"en": "Mobility"}, [("en", "driving licence")]
    )
    refugees = Concept("g:ref", "target_group", "refugees", {"en": "Refugee families"})
    matcher = ConceptMatcher([*CONCEPTS, mobility, refugees])
    assert matcher.sharing(tokenize("driving lessons")) == [(mobility, ["driving licence"])]
    # "community" and "families" are each one concept's: the concept holding both leads
    found = matcher.sharing(tokenize("community sponsorship of families"))
    assert [c.code for c, _ in found] == ["community-sponsorship", "refugees"]
    assert matcher.sharing(tokenize("lessons")) == []
    # a word of three concepts' labels (`SHARED_BY` is 2) says nothing of which is meant
    women = Concept("g:women", "target_group", "women", {"en": "Migrant women"})
    youth = Concept("g:youth", "target_group", "youth", {"en": "Migrant youth"})
    workers = Concept("g:work", "target_group", "workers", {"en": "Migrant workers"})
    assert ConceptMatcher([women, youth]).sharing(tokenize("migrant")) != []
    assert ConceptMatcher([women, youth, workers]).sharing(tokenize("migrant")) == []


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


def test_of_labels_as_long_the_one_in_the_querys_language_is_named() -> None:
    """ "familias migrantes" holds the terms of the English label "Migrant families" and of the
    Spanish "Familias migrantes": a Spanish query names the Spanish one (a trial read
    "Familias migrantes (por «Migrant families»)" on a Spanish page)."""
    concept = Concept(
        "http://x/tg/migrant-families",
        "target_group",
        "migrant-families",
        {"en": "Migrant families", "es": "Familias migrantes"},
    )
    matcher = ConceptMatcher([concept])
    terms = tokenize("familias migrantes")
    [spanish] = matcher.match(terms, "es")
    assert (spanish.label, spanish.lang) == ("Familias migrantes", "es")
    [english] = matcher.match(terms, "en")
    assert (english.label, english.lang) == ("Migrant families", "en")


def test_a_misspelling_is_corrected_into_the_querys_language() -> None:
    """A French practitioner's "familes" (the index holds the English "families" in more
    records, and the French "familles"): the language of the whole query, with wordfreq's
    lists, picks "familles"; an English query gets "families"."""
    from kg.search.dictionary import zipf_in

    known = {"families": 9, "familles": 2, "logement": 3, "housing": 5, "refugee": 4}
    known |= {"refugiees": 1, "villages": 6, "dans": 1, "les": 1, "des": 1, "for": 1, "in": 1}
    speller = Speller(known, lambda t: t in {term(w) for w in known}, zipf_in=zipf_in)
    french = understand(
        "logement des familes réfugiées dans les villages", ConceptMatcher([]), speller
    )
    assert french.lang == "fr"
    assert french.corrections == (("familes", "familles"),)
    english = understand("housing for refugee familes in villages", ConceptMatcher([]), speller)
    assert english.lang == "en"
    assert english.corrections == (("familes", "families"),)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ukraina mieszkania", "und"),  # Polish: was said to be German
        ("vluchtelingen op het platteland", "und"),  # Dutch
        ("accoglienza dei migranti nelle aree montane", "it"),
        ("Geflüchtete aus der Ukraine privat aufnehmen", "de"),
        ("private hosting of people fleeing the war in Ukraine", "en"),
    ],
)
def test_a_query_in_another_language_is_not_said_to_be_one_of_the_five(
    text: str, shown: str
) -> None:
    """A Polish trial's query was labelled "query language: Deutsch" and its snippets were
    German on an English page; the ranking still reads it as the nearest of the five."""
    u = understand(text, ConceptMatcher(CONCEPTS))
    assert u.shown_lang == shown
    assert u.lang in ("en", "es", "it", "de", "fr")  # what the ranking reads


@pytest.mark.parametrize(
    ("text", "lang", "english"),
    [
        ("car insurance quotes", "fr", True),  # English words the n-gram model read as French
        ("hotel deals in Paris", "fr", True),
        ("case vuote", "it", False),  # "case" is English too, "vuote" only Italian
        ("cursos de idiomas", "es", False),
        ("schrumpfende Dörfer", "de", False),
        ("accueil des réfugiés", "fr", False),
        ("anything at all", "en", True),
        # words neither list holds are no evidence of English: the German reading stands, so
        # the compound is split and the village school found ("Dorfschule" had been called
        # a word no record holds)
        ("Dorfschule Golzow", "de", False),
    ],
)
def test_words_of_a_query_read_as_another_language_may_be_english(
    text: str, lang: str, english: bool
) -> None:
    assert in_english_words(text, lang) is english


@pytest.mark.parametrize(
    ("text", "lang"),
    [("car insurance quotes", "en"), ("case vuote", "it"), ("cursos de idiomas", "es")],
)
def test_english_words_read_as_another_language_are_english(text: str, lang: str) -> None:
    """The query's language picks its snippets, labels and fusion weight, and whether the sense
    check holds it: English words are English whatever the n-gram model read."""
    assert understand(text, ConceptMatcher(CONCEPTS)).lang == lang


def test_a_short_text_of_no_clear_language_is_read_by_its_words() -> None:
    """A Spanish trial's "clase de idiomas" (language class) was of no language to the n-gram
    model, was held to the English model's sense check and found nothing, while "clases de
    idiomas" found 20 records. Words far more common in one of the other four languages than
    in English make it that language; a name and an international word, or nonsense, do not."""
    assert language_of_words("clase de idiomas") == "es"
    assert language_of_words("clases de idiona") == "es"  # a typo, the rest Spanish
    assert language_of_words("Flüchtlinge Dorf") == "de"
    assert language_of_words("MATILDE project") == "und"
    assert language_of_words("xqzvbnm plorkt") == "und"
    assert language_of_words("bus to town") == "und"  # English: left to the sense check
    assert language_of_words("idiomas") == "und"  # one word: the word is the evidence


def test_on_its_own_page_a_text_of_its_words_needs_only_to_beat_english() -> None:
    """A French trial's "budget familles" (French 9.6, English 4.8: "budget" is both) was of
    no clear language, was held to the English model's sense check and found nothing on the
    French page, while each word alone found records. Typed on the page of the language whose
    words it is made of, beating English is enough; elsewhere twice English is still needed."""
    assert language_of_words("budget familles", "fr") == "fr"
    assert language_of_words("budget familles") == "und"
    assert language_of_words("budget familles", "de") == "und"  # not the German page's words
    assert language_of_words("MATILDE project", "fr") == "und"  # an Italian name, not French
    assert language_of_words("budget families", "fr") == "und"  # English words


def test_of_two_languages_whose_words_a_text_holds_the_pages_is_likelier() -> None:
    """A French trial's "integraton rurale" on the French page was read as Italian ("rurale"
    is both; Italian 4.2, French 3.8) and corrected to the Italian "integrato"; the page's
    language is ten times likelier to begin with (`PAGE_PRIOR`), so French there, Italian on
    the Italian page; a text whose words the page's language does not hold is not moved."""
    assert language_of_words("integraton rurale", "fr") == "fr"
    assert language_of_words("integraton rurale", "it") == "it"
    assert language_of_words("integraton rurale") == "it"
    assert language_of_words("clase de idiomas", "fr") == "es"  # no French word in it


def test_a_word_of_the_querys_language_is_no_label_it_only_looks_like() -> None:
    """A Spanish trial's "cuidado de mayores" (care of the elderly) named local authorities
    through their English label "mayors": a Spanish word, far commoner in Spanish than in
    English, that no Spanish label of the concept holds, does not name it. A cognate that a
    label in the query's language holds ("montani", "Aree montane") and a place's name
    ("Navarra" for the English "Navarre") still do."""
    authorities = Concept(
        "t:la", "target_group", "local-authorities", {"en": "Local authorities"}, [("en", "mayors")]
    )
    mountains = Concept(
        "c:m", "challenge", "mountain-areas", {"it": "Aree montane"}, [("es", "montaña")]
    )
    navarre = Concept("n:ES22", "nuts", "ES22", {"en": "Navarre"})
    matcher = ConceptMatcher([authorities, mountains, navarre])

    def named(text: str) -> set[str]:
        return {m.concept.code for m in understand(text, matcher).concepts}

    assert understand("cuidado de mayores", matcher).lang == "es"
    assert named("cuidado de mayores") == set()
    assert named("meeting of rural mayors") == {"local-authorities"}
    assert named("comuni montani e accoglienza") == {"mountain-areas"}
    assert named("familias refugiadas en Navarra") == {"ES22"}
    # one word is of no clear language: read by the page it was typed on (a trial's "mayores"
    # on the Spanish page was explained "Entidades locales (por «mayores»)")
    alone = understand("mayores", matcher, page="es")
    assert (alone.lang, alone.words_lang) == ("und", "es")
    assert alone.concepts == ()
    # no Spanish word: matched as before, by no language's rule (a test's "refugees" on the
    # Spanish page lost the records whose English text says "refugee")
    assert understand("refugees", matcher, page="es").words_lang == "und"
    assert {m.concept.code for m in understand("mayors", matcher, page="en").concepts} == {
        "local-authorities"
    }


def test_a_word_written_otherwise_than_a_label_of_another_language_does_not_name_it() -> None:
    """A French "billet de train" (train ticket) named education through its English label
    "training", stemmed alike: a query word written otherwise than the label, of a term no
    label of the query's language holds and no scheme translates, whose label word is no word
    of the query's language, names nothing. The English "association" still names the
    concept whose French label writes "associations" (a word of English as much), and a term
    the schemes attest as translating names it."""
    education = Concept(
        "t:ed", "theme", "education", {"en": "Education", "fr": "Éducation"}, [("en", "training")]
    )
    volunteers = Concept(
        "t:cs",
        "target_group",
        "civil-society",
        {"en": "Civil society", "fr": "Société civile"},
        [("fr", "associations")],
    )
    matcher = ConceptMatcher([education, volunteers])

    def named(text: str, m: ConceptMatcher = matcher) -> set[str]:
        return {c.concept.code for c in understand(text, m).concepts}

    assert understand("billet de train pour Paris", matcher).lang == "fr"
    assert named("billet de train pour Paris") == set()
    assert named("vocational training for refugees") == {"education"}
    assert understand("association of rural villages", matcher).lang == "en"
    assert named("association of rural villages") == {"civil-society"}

    def train_translated(t: str, lang: str) -> frozenset[str]:
        return frozenset({lang, "en"} if t == term("train") else {lang})

    attested = ConceptMatcher([education, volunteers], train_translated)
    assert named("billet de train pour Paris", attested) == {"education"}


@pytest.mark.parametrize(
    ("text", "page", "read_as"),
    [
        ("asilo nido", "it", "it"),  # Italian and Spanish words: the page's language
        ("asilo nido mensa rifugiati", "it", "it"),
        ("trabajo agricola", "it", "es"),  # "trabajo" is no Italian word
        ("cursos de idiomas", "it", "es"),
        ("Ukraine Hilfe", "de", "de"),  # read as French, then as English before the page
    ],
)
def test_a_query_of_the_pages_words_as_much_is_in_the_pages_language(
    text: str, page: str, read_as: str
) -> None:
    """An Italian trial's "asilo nido" (nursery), typed on the Italian page, was read as
    Spanish and said so ("lingua della ricerca: Español")."""
    assert detect_language(text) != page or read_as == page
    matcher = ConceptMatcher([])
    assert understand(text, matcher, page=page).lang == read_as
    assert in_page_language(text, detect_language(text), page) == (read_as == page)


def test_a_query_that_reads_as_the_pages_language_once_corrected_is_in_it() -> None:
    """A French trial's "acceuil budget" and "famile budget" on the French page: the misspelt
    word is in no language's list and "budget" is as English as French, so the query was read
    as no language (or English), held to the English model's sense check and found nothing,
    while "accueil budget" found records. Corrected, it reads as French: it is French, spelt
    so ("famille", not the English "family"). On another page, or corrected into another
    language's words, the reading is as typed."""
    from kg.search.dictionary import zipf_in

    known = {"accueil": 3, "budget": 9, "famille": 2, "families": 9, "family": 9}
    speller = Speller(known, lambda t: t in {term(w) for w in known}, zipf_in=zipf_in)
    for typed, meant in (("acceuil budget", "accueil"), ("famile budget", "famille")):
        french = understand(typed, ConceptMatcher([]), speller, page="fr")
        assert (french.lang, french.corrections[0][1]) == ("fr", meant)
    assert understand("acceuil budget", ConceptMatcher([]), speller).lang == "und"
    assert understand("acceuil budget", ConceptMatcher([]), speller, page="de").lang == "und"
    assert understand("famile budget", ConceptMatcher([]), speller, page="en").lang != "fr"


def test_words_typed_without_their_accents_are_words_of_the_page() -> None:
    """A Spanish trial's "empleo agricola temporeros" on the Spanish page was read as Italian:
    "agricola" is Italian as written and Spanish only with its accent ("agrícola"), and
    "temporeros" is in no list. Looked up without accents, and with words no list holds left
    out, it is Spanish there; the same words typed with the accent were already."""
    assert in_page_language("empleo agricola temporeros", "it", "es")
    assert in_page_language("empleo agrícola temporeros", "it", "es")
    assert not in_page_language("accoglienza diffusa", "it", "es")  # no Spanish word
    assert not in_page_language("temporeros xqzv", "it", "es")  # nothing any list holds
    assert of_page_words("ninos refugiados", "es")  # "niños"
    assert not of_page_words("children refugees", "es")
