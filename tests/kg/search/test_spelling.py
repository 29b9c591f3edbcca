"""Spelling correction against the words of the index: unknown words become the nearest known
word within the length's edit budget; known words, short words and numbers stay as written."""

from __future__ import annotations

import pytest

from kg.search.spelling import Speller, max_edits, one_edit
from kg.search.text import term

WORDS = {"mountain": 5, "village": 9, "villages": 3, "refugee": 7, "housing": 4, "hosting": 1}
KNOWN = {term(w) for w in WORDS}


def speller() -> Speller:
    return Speller(WORDS, lambda t: t in KNOWN)


@pytest.mark.parametrize(("word", "edits"), [("eu", 0), ("job", 1), ("hous", 1), ("refugee", 2)])
def test_edit_budget_grows_with_the_word(word: str, edits: int) -> None:
    assert max_edits(word) == edits


def test_a_transposition_is_one_edit() -> None:
    assert speller().correct("mountian villages") == (
        "mountain villages",
        [("mountian", "mountain")],
    )


def test_known_words_are_never_corrected() -> None:
    assert speller().correct("villages and housing") == ("villages and housing", [])


def test_ties_go_to_the_word_more_records_hold() -> None:
    # "hosuing" is one transposition from "housing", two edits from "hosting"
    assert speller().word("hosuing") == "housing"
    # "housting" is one edit from both "housing" (4 records) and "hosting" (1 record)
    assert speller().word("housting") == "housing"


@pytest.mark.parametrize("word", ["ab", "2021", "xqzvkwp"])
def test_short_words_numbers_and_far_words_stay(word: str) -> None:
    assert speller().word(word) is None


def test_the_rest_of_the_text_is_kept_as_written() -> None:
    text, changes = speller().correct("Refugee VILAGE, 2021!")
    assert text == "Refugee village, 2021!"
    assert changes == [("VILAGE", "village")]


def test_a_dictionary_word_is_only_read_as_a_form_of_itself() -> None:
    """ "rousing" is one edit from "housing", but a word of the language: searched as written.
    "villager" may be read as "village" (the same word without its last letter); a
    misspelling next to them is still corrected."""
    assert speller().word("rousing") == "housing"
    words = Speller(WORDS, lambda t: t in KNOWN, frozenset({"rousing", "villager"}))
    assert words.correct("rousing villager refugeee") == (
        "rousing village refugee",
        [("villager", "village"), ("refugeee", "refugee")],
    )


def test_a_form_is_searched_but_not_announced_as_a_correction() -> None:
    """A real word read as another form of itself ("Dörfern" searched as "dorfer") was spelt
    right: the text shown keeps it as typed, and only the misspelling is a correction."""
    words = Speller(WORDS, lambda t: t in KNOWN, frozenset({"villager"}))
    read = words.read("Villager refugeee")
    assert read.searched == "village refugee"
    assert read.shown == "Villager refugee"
    assert read.corrections == [("refugeee", "refugee")]
    assert read.forms == [("Villager", "village")]


def test_a_dictionary_word_is_read_as_the_known_word_it_begins_with() -> None:
    """A French trial's "accueillir" found nothing: the records say "accueil", never the
    infinitive. A real word is read as the longest known word of six letters or more it
    begins with, at most four letters longer (searched, not announced); a shorter start
    ("loger", "log") or a longer ending ("villageoisement") is not."""
    words = {"accueil": 43, "village": 9, "log": 3}
    spelt = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"accueillir", "villageois", "loger", "villageoisement"}),
    )
    read = spelt.read("accueillir villageois loger villageoisement")
    assert read.searched == "accueil village loger villageoisement"
    assert read.shown == "accueillir villageois loger villageoisement"
    assert read.corrections == []
    assert spelt.word("acueillir") is None  # a misspelling is not read by its start


def test_a_correction_is_shown_as_the_records_write_it() -> None:
    """A French query's misspelt word is shown with its accents (a trial saw "intégraton des
    réfugiés" shown as "integration des réfugiés"): of the ways the records write the word,
    the nearest to what was typed, then the most written; capitalised as typed."""
    words = {"integration": 10, "hebergement": 2, "refugies": 6}
    spellings = {
        "integration": {"intégration": 3, "integration": 7},
        "hebergement": {"hébergement": 2},
    }
    known = {term(w) for w in words}
    s = Speller(words, lambda t: t in known, spellings=spellings)
    assert s.read("intégraton des réfugiés").shown == "intégration des réfugiés"
    assert s.read("integraton").shown == "integration"  # typed without accents: as typed
    assert s.read("Hébergemnt citoyen").shown == "Hébergement citoyen"
    assert s.read("intégraton").searched == "integration"  # searched folded, as always


def test_no_word_is_corrected_into_a_rarer_one() -> None:
    """ "Lapland" had become "Oppland", a Norwegian county the records name: the language lists
    find the typed word commoner than the correction, so it is a word (a place), not a typo."""
    zipf = {"lapland": 2.6, "oppland": 1.3, "comunity": 2.0, "community": 5.3}.get
    s = Speller({"oppland": 1, "community": 8}, lambda t: False, zipf=lambda w: zipf(w, 0.0))
    assert s.correct("refugees Lapland") == ("refugees Lapland", [])
    assert s.correct("comunity") == ("community", [("comunity", "community")])
    assert s.correct("Lappland")[1] == [("Lappland", "oppland")]  # unknown to the lists


def test_of_equally_near_corrections_the_querys_language_decides() -> None:
    """ "familes" is one edit from the English "families" (more records) and the French
    "familles": a French query means the French word, an English one the English word."""
    common = {("familles", "fr"): 4.8, ("families", "en"): 4.9}
    s = Speller(
        {"families": 9, "familles": 2},
        lambda t: False,
        zipf_in=lambda w, lang: common.get((w, lang), 0.0),
    )
    assert s.word("familes", "fr") == "familles"
    assert s.word("familes", "en") == "families"
    assert s.word("familes") == "families"  # language unknown: the word more records hold
    # a nearer word still wins over the query's language
    assert s.word("famillies", "en") == "families"  # one edit; "familles" is two


def test_a_word_of_the_querys_language_one_edit_away_beats_a_known_word_of_another() -> None:
    """A French trial's "famile" on the French page became the English "family", one edit
    away, while the French "famille", one edit away too, is searched as the records'
    "familles" (the same term). Equally near, the query's language decides; an English query
    keeps "family"."""
    common = {("family", "en"): 5.6, ("family", "fr"): 3.6, ("famille", "fr"): 5.3}
    s = Speller(
        {"family": 4, "familles": 6},
        lambda t: t in {term("family"), term("familles")},
        dictionary={"family", "famille", "familles"},
        zipf=lambda w: 5.0 if w in {"family", "famille", "familles"} else 0.0,
        zipf_in=lambda w, lang: common.get((w, lang), 0.0),
    )
    assert s.read("famile", "fr").searched == "famille"
    assert s.read("famile", "fr").changes == [("famile", "famille", False)]  # announced
    assert s.word("famile", "en") == "family"
    assert s.word("famile") == "family"  # no language: the known word


def test_a_misspelt_word_the_records_never_use_is_read_through_the_dictionary() -> None:
    """A French trial's "acceuillir" was corrected to nothing: the records say "accueil",
    three edits away. The commonest dictionary word one edit away ("accueillir") is read as
    its known form, and, being a misspelling, the correction is announced. A word one edit
    from no dictionary word, or from one rarer than itself, stays as typed."""
    words = {"accueil": 43, "village": 9}
    zipf = {"accueillir": 4.4, "acceuillir": 2.3, "accueillit": 3.1, "villages": 4.0}.get
    spelt = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"accueillir", "accueillit", "villages"}),
        zipf=lambda w: zipf(w, 0.0),
    )
    read = spelt.read("acceuillir")
    assert read.searched == "accueil"
    assert read.corrections == [("acceuillir", "accueil")]
    # two edits from the known "village", one from "villages", its form in the dictionary
    assert spelt.word("vilages") == "villages"
    assert spelt.word("xqzvbnmk") is None
    rarer = Speller(words, lambda t: False, frozenset({"accueillir"}), zipf=lambda w: 2.0)
    assert rarer.word("acceuillir") is None


def test_a_misspelling_is_shown_as_the_nearer_form_of_a_known_term() -> None:
    """A trial's "volunter" was shown as "volunteers", two edits away, the only form the
    records write: the dictionary's "volunteer" is one edit away and searched as the same
    term, so it is the correction. A word whose nearest known word is one edit away keeps it,
    and a dictionary form whose term no record holds is not offered."""
    words = {"volunteers": 24, "village": 9}
    zipf = {"volunteer": 4.3, "volunteers": 4.3, "volunter": 0.0, "villages": 4.0}.get
    spelt = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"volunteer", "volunteers", "villages", "vintage"}),
        zipf=lambda w: zipf(w, 0.0),
    )
    read = spelt.read("volunter families")
    assert read.corrections == [("volunter", "volunteer")]
    assert term("volunteer") == term("volunteers")
    assert spelt.word("vilage") == "village"  # one edit from a known word: that word
    # a dictionary word one edit away whose term no record holds is not the correction: the
    # known word two edits away is ("mountants" is no word of the records)
    near = Speller({"mountain": 5}, lambda t: t == term("mountain"), frozenset({"mountants"}))
    assert near.word("mountans") == "mountain"


def test_one_edit_makes_every_candidate_once() -> None:
    near = one_edit("ab")
    assert {"b", "a", "ba", "xb", "ax", "xab", "axb", "abx"} <= set(near)
    assert "ab" not in near
    assert len(near) == len(set(near))
    assert len(one_edit("acceuillir")) <= 54 * 10 + 25


def test_a_word_the_lists_know_needs_a_correction_likelier_than_itself() -> None:
    """A German trial's "Ukrainerinnen" (Ukrainian women) became "Trainerinnen", two edits
    away and only a little commoner: each edit costs a factor of 20, so it stays as typed,
    while "comunity" (one edit from a far commoner word), "famlies" (a word no list knows,
    two edits) and "Ukranian" (a misspelling the web's lists hold, Zipf 2.3, one edit from
    "Ukrainian", 4.2: a search trial's five Ukraine practices had fallen to ranks 26-44) are
    corrected."""
    zipf = {
        "ukrainerinnen": 1.9,
        "trainerinnen": 2.6,
        "comunity": 2.0,
        "community": 5.3,
        "families": 5.0,
        "ukranian": 2.33,
        "ukrainian": 4.18,
    }.get
    words = {"trainerinnen": 2, "community": 8, "families": 9, "ukrainian": 5}
    s = Speller(words, lambda t: False, zipf=lambda w: zipf(w, 0.0))
    assert s.word("ukrainerinnen") is None
    assert s.word("comunity") == "community"
    assert s.word("famlies") == "families"
    assert s.word("ukranian") == "ukrainian"


def test_of_equally_near_corrections_the_one_keeping_the_first_letter_wins() -> None:
    """A search trial's "language cources" became "language sources" (more records hold it,
    and it is commoner in English), which found nothing: "courses" keeps the first letter
    typed, as most misspellings do."""
    common = {("sources", "en"): 4.84, ("courses", "en"): 4.46}
    s = Speller(
        {"sources": 40, "courses": 6},
        lambda t: False,
        zipf_in=lambda w, lang: common.get((w, lang), 0.0),
    )
    assert s.word("cources", "en") == "courses"
    assert s.word("cources") == "courses"
    assert s.word("sourses", "en") == "sources"  # nearer still wins: "courses" is two edits


def test_a_word_in_capitals_is_corrected_only_to_an_acronym() -> None:
    """A Polish trial's "LGD ukraina" (LGD: a LEADER local action group) was searched as "Led
    ukraina" and found nothing; an acronym typed wrong still finds the acronym."""
    words = {"led": 9, "eumint": 1, "ukraina": 3}
    spell = Speller(words, lambda t: t in words, capitals=frozenset({"eumint"}))
    assert spell.read("LGD ukraina").searched == "LGD ukraina"
    assert spell.read("lgd ukraina").searched == "led ukraina"  # as a word, it is a misspelling
    assert spell.read("EUMNT").shown == "EUMINT"


def test_a_word_spelt_right_that_finds_nothing_is_offered_the_known_word_one_letter_away() -> None:
    """ "Mathilde", a name in French and German, is not corrected to the project MATILDE (a
    word of the languages is only read as a form of itself), so it found nothing and the page
    offered nothing; "Did you mean Matilde?" is what a searcher needs there."""
    words = {"matilde": 4, "project": 9, "lesvos": 2, "refugee": 7, "werte": 1, "families": 3}
    words |= {"dorfer": 2}
    known = {term(w) for w in words}
    dictionary = frozenset({"mathilde", "lesbos", "qwerty", "dorfern"})
    s = Speller(words, lambda t: t in known, dictionary)
    assert s.correct("Mathilde project") == ("Mathilde project", [])  # not searched so
    assert s.suggest("Mathilde project") == "Matilde project"
    assert s.suggest("refugees on Lesbos") == "refugees on Lesvos"
    assert s.suggest("qwerty") is None  # "werte" is two edits away
    assert s.suggest("Mathilde xqzvb") is None  # a word with no neighbour: no suggestion
    assert s.suggest("refugee") is None  # nothing to change
    assert s.suggest("famlies Mathilde") == "families Matilde"  # the correction kept
    assert s.suggest("famlies xqzvb") is None  # corrected, but another word has no neighbour
    # a form of a word spelt right is searched as its known form, and shown as typed
    assert s.read("Dörfern").searched == "dorfer"
    assert s.suggest("Dörfern Mathilde") == "Dörfern Matilde"


def test_a_word_no_record_uses_is_read_as_the_known_word_of_its_family() -> None:
    """An Italian trial's "spopolati" (depopulated) found nothing while the records say
    "spopolamento" (depopulation) in 37 places: both have the Snowball stem "spopol". The
    reading is announced, since a stem joins other words too. A stem under six letters joins
    nothing ("formati", trained, is not "forma", shape), nor does a word the stemmer leaves
    whole (the English "later" is no Italian stem for "laterano")."""
    words = {"spopolamento": 37, "forma": 5, "later": 3}
    spelt = Speller(words, lambda t: t in {term(w) for w in words}, frozenset({"formati"}))
    read = spelt.read("comuni spopolati formati laterano", "it")
    assert read.searched == "comuni spopolamento formati laterano"
    assert read.corrections == [("spopolati", "spopolamento")]
    assert spelt.word("spopolati") == "spopolamento"  # no language detected: any of the five


def test_of_a_family_the_word_of_the_querys_language_is_read() -> None:
    """The Spanish "presentarla" shares the stem "present" with the English "presented" and
    the Spanish "presentacion"; in a Spanish query it is read as the Spanish word, though
    fewer records hold it."""
    words = {"presented": 10, "presentacion": 2}
    spanish = {"presentacion": 3.1}
    spelt = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        zipf_in=lambda word, lang: spanish.get(word, 0.0) if lang == "es" else 0.0,
    )
    assert spelt.word("presentarla", "es") == "presentacion"


def test_a_word_is_never_corrected_into_a_stopword() -> None:
    """The records' texts hold function words too, but a function word is never searched:
    "Alps" had been read as the German "als", one edit away, and found nothing. It is read as
    the nearest word that is searched, "Alpes", one edit away too."""
    words = {"als": 40, "alpes": 2}
    spelt = Speller(words, lambda t: t in {term(w) for w in words if term(w)})
    assert spelt.word("alps") == "alpes"
    assert spelt.read("Alps", "en").searched == "alpes"


def test_a_rare_word_likelier_than_its_correction_is_read_as_a_form_of_itself() -> None:
    """A German trial's "leerstehenden" (vacant; Zipf 2.85, too rare for the dictionary) is
    one letter from "leerstehende", which the records say, but no likelier: it stayed as
    typed and the page said no record mentions it, above results saying "leerstehende". Read
    as a dictionary word is, it is that form of itself; "Lapland" is still no "Oppland"."""
    words = {"leerstehende": 3, "oppland": 1}
    zipf = {"leerstehenden": 2.85, "leerstehende": 2.86, "lapland": 2.6, "oppland": 1.3}.get
    spelt = Speller(words, lambda t: t in {term(w) for w in words}, zipf=lambda w: zipf(w, 0.0))
    read = spelt.read("leerstehenden Lapland", "de")
    assert read.searched == "leerstehende Lapland"
    assert read.corrections == []  # a form, not a misspelling


def test_a_dictionary_word_is_not_read_as_a_word_of_another_language() -> None:
    """A French trial's "garder l'école ouverte" (keep the school open) was searched as
    "garden": "garder" keeps all its letters but the last, yet the records' "garden" is an
    English word, ten times commoner in English than in French. In an English query the
    form rule stands ("villager" → "village")."""
    usage = {("garden", "en"): 4.8, ("garden", "fr"): 3.5, ("village", "en"): 4.8}
    s = Speller(
        {"garden": 3, "village": 9},
        lambda t: t in {term("garden"), term("village")},
        frozenset({"garder", "villager"}),
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
    )
    assert s.read("garder l'école", "fr").searched == "garder l'école"
    assert s.read("villager", "en").searched == "village"
    assert s.read("garder", "und").searched == "garden"  # no language to judge by


def test_a_word_of_the_querys_language_is_not_offered_a_word_rare_in_it() -> None:
    """A French trial's "loger" (to house) found nothing and was offered the English "lower",
    a Spanish "tiempo" (weather) the Italian "tempo": a word of the query's language is not
    swapped for a known word one letter away that is ten times rarer in that language, nor a
    word of another language's list for one ten times rarer in its own (the German "Wetter"
    on an Italian page had been offered "better"). A name the records write in capitals is
    offered when it is no word of that language ("Mathilde" → MATILDE)."""
    usage = {
        ("loger", "fr"): 3.8,
        ("lower", "en"): 5.1,
        ("tiempo", "es"): 6.0,
        ("tempo", "es"): 3.3,
        ("tempo", "it"): 6.0,
        ("novia", "es"): 4.8,
        ("nova", "es"): 3.7,
        ("mathilde", "fr"): 3.8,
        ("matilde", "it"): 3.5,
        ("homme", "fr"): 5.7,
        ("home", "fr"): 4.1,
        ("wetter", "de"): 5.0,
        ("better", "en"): 5.5,
    }
    words = {"lower": 4, "tempo": 3, "nova": 1, "matilde": 2, "home": 2, "better": 2}
    s = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"loger", "tiempo", "novia", "mathilde", "homme", "wetter"}),
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
        capitals={"matilde", "home"},
    )
    assert s.suggest("loger", "fr") is None
    assert s.suggest("tiempo", "es") is None
    assert s.suggest("novia", "es") is None
    assert s.suggest("homme", "fr") is None  # HOME is a name, but "home" a French word too
    assert s.suggest("Homme", "fr") is None
    assert s.suggest("lover", "en") == "lower"  # a misspelling, in no list
    assert s.suggest("Mathilde", "fr") == "Matilde"
    assert s.suggest("mathilde", "fr") == "matilde"  # a name that is no French word
    # a word of another language than the query's is judged in its own
    assert s.suggest("loger", "und") is None
    assert s.suggest("loger", "en") is None
    assert s.suggest("Wetter", "it") is None


def test_a_common_word_of_the_querys_language_is_not_offered_a_neighbour() -> None:
    """A French "soldes d'été" (summer sales) found nothing and was offered "soldes d'etc":
    the folded "ete" is rarer in French than "etc", though "été" as typed is far commoner. The
    German "Handy" (mobile phone) was offered "Hand", a word as common. A word of the query's
    language met once per million words or more is taken as meant; a rarer one is still
    offered a far commoner neighbour ("stabel" → "stable")."""
    usage = {
        ("été", "fr"): 6.2,
        ("ete", "fr"): 2.9,  # the folded word is rarer: the accented one is what keeps it
        ("etc", "fr"): 5.3,
        ("handy", "de"): 4.8,
        ("hand", "de"): 5.3,
        ("stabel", "en"): 1.2,
        ("stable", "en"): 4.6,
    }
    words = {"soldes": 2, "etc": 3, "hand": 4, "stable": 2}
    s = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"ete", "handy", "stabel"}),
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
    )
    assert s.suggest("soldes d'été", "fr") is None
    assert s.suggest("Handy", "de") is None
    assert s.suggest("Handy", "und") is None  # judged in the language it is a word of
    assert s.suggest("stabel", "en") == "stable"


def test_a_word_of_another_language_in_a_query_of_clear_language_may_be_a_misspelling() -> None:
    """An Italian trial's "accoglenza difusa" was shown as "accoglienza difusa": "difusa" is a
    Spanish word, and a word of the lists was read only as a form of itself. In a query whose
    own words say it is Italian, a word of another language and none of Italian is corrected
    when the correction is likelier; a query of no clear language, judged by its page, keeps
    it ("Malta" on the French page is no misspelling of the Spanish "falta")."""
    usage = {("difusa", "es"): 3.1, ("diffusa", "it"): 4.5, ("malta", "it"): 3.5}
    usage |= {("falta", "es"): 4.9}
    common = {"difusa": 3.1, "diffusa": 4.5, "malta": 3.5, "falta": 4.9}
    words = {"accoglienza": 9, "diffusa": 4, "falta": 1}
    s = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"difusa", "diffusa", "malta", "falta"}),
        zipf=lambda w: common.get(w, 0.0),
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
    )
    assert s.read("accoglienza difusa", "it", detected=True).searched == "accoglienza diffusa"
    assert s.read("accoglienza difusa", "it").searched == "accoglienza difusa"  # the page's
    assert s.read("Malta", "fr").searched == "Malta"
    assert s.read("rifugiati a Malta", "it", detected=True).searched == "rifugiati a Malta"


def test_a_compound_that_finds_nothing_is_offered_as_its_parts() -> None:
    """A German trial's "Leerstandsnutzung" (use of vacant buildings) found nothing and was
    offered nothing, while "Leerstand" finds records: a compound neither the index nor
    German's list knows is offered as its two parts when the index knows one of them."""
    usage = {("leerstand", "de"): 3.2, ("nutzung", "de"): 4.6, ("mitfahren", "de"): 3.4}
    words = {"leerstand": 5, "dorf": 2}
    s = Speller(
        words,
        lambda t: t in {term(w) for w in words},
        frozenset({"leerstand", "nutzung"}),
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
    )
    assert s.suggest("Leerstandsnutzung", "de") == "Leerstand Nutzung"
    assert s.suggest("Leerstandsnutzung", "en") is None  # a German rule
    assert s.suggest("Nutzungsleerstand", "de") == "Nutzung Leerstand"
    assert s.suggest("Mitfahrnutzung", "de") is None  # "mitfahr" is no word of the list


def test_a_query_of_no_clear_language_is_read_in_the_pages() -> None:
    """A French trial's "Itali" became "Italy": the n-gram model reads no language in one
    word, and of the equally near "Italy" and "Italie" the one more records hold won. On a
    French page it is "Italie"; on an English one "Italy"."""
    from kg.search.understand import ConceptMatcher, understand

    usage = {("italie", "fr"): 4.5, ("italy", "fr"): 2.9, ("italy", "en"): 4.9}
    s = Speller(
        {"italy": 9, "italie": 2},
        lambda t: t in {term("italy"), term("italie")},
        zipf_in=lambda w, lang: usage.get((w, lang), 0.0),
    )
    matcher = ConceptMatcher([])
    assert understand("Itali", matcher, s, page="fr").corrected == "Italie"
    assert understand("Itali", matcher, s, page="en").corrected == "Italy"


def test_a_german_compound_no_record_writes_is_searched_as_its_two_known_parts() -> None:
    """A German trial's "Dorfschule" (village school) found nothing while "Schule Dorf" found
    the village school first: a compound of two words the records use is searched as them,
    shown as typed (a form, not a misspelling); a linking "s" is dropped; nothing is split
    whose parts the records do not both use, nor a compound the German word list holds, nor in
    a query of another language."""
    from kg.search.dictionary import zipf_in
    from kg.search.text import term

    words = {"dorf": 3, "schule": 2, "integration": 5, "hilfe": 1, "village": 4}
    words |= {"ost": 1, "see": 2, "stadt": 3, "plan": 1}
    known = {term(w) for w in words}
    spelt = Speller(words, lambda t: t in known, zipf_in=zipf_in)
    read = spelt.read("Dorfschule Golzow", "de")
    assert read.searched == "dorf schule Golzow"
    assert read.shown == "Dorfschule Golzow"
    assert read.corrections == []
    assert spelt.read("Integrationshilfe", "de").searched == "integration hilfe"
    # a part the records do not use ("laden"): the word stays whole
    assert spelt.read("Dorfladen", "de").searched == "Dorfladen"
    # a compound common enough for the German list means more than its parts
    assert spelt.read("Ostsee Stadtplan", "de").searched == "Ostsee Stadtplan"
    assert spelt.read("Dorfschule", "en").searched == "Dorfschule"
