"""Why a record came up: the query words it holds, the concepts it shares with the query (named
in any language), the filters it passed, closeness in meaning, and a marked snippet."""

from __future__ import annotations

from dataclasses import replace

from kg.search.documents import SearchDoc
from kg.search.explain import LinkedTo, Why, _typed, explain, name_as_searched
from kg.search.index import SearchIndex
from kg.search.spelling import Speller
from kg.search.text import term, tokenize
from kg.search.understand import understand
from tests.kg.search.small import X


def test_words_concepts_filters_and_meaning_are_all_named(small_index: SearchIndex) -> None:
    doc = small_index.docs[small_index.positions[f"{X}initiative/house-and-work"]]
    u = understand("vivienda for refugee families", small_index.matcher)
    row = small_index.positions[doc.iri]
    [terms] = small_index.terms_in([row], u.terms)
    why, snippet, _ = explain(
        small_index,
        doc,
        u,
        filters={"country": ["ES", "IT"], "theme": ["education"]},
        keyword=1.23456,
        similarity=0.41,
        terms=terms,
        close=True,
    )
    # "vivienda" is found through the label of the record's theme, named as the concept; the
    # record itself does not say it, so it is not among the words it "mentions"
    assert why.matched_terms == ["refugee", "families"]
    assert [(c.facet, c.value, c.label, c.matched) for c in why.concepts] == [
        ("theme", "housing", "Housing", "vivienda")  # the word as the query typed it
    ]
    assert [(f.facet, f.value) for f in why.filters] == [("country", "ES")]  # not education
    assert why.keyword_score == 1.2346
    assert why.summary == (
        "mentions “refugee”, “families”; theme: Housing (from “vivienda”); "
        "close in meaning (0.41); country: ES"
    )
    assert snippet == (
        "<mark>refugee</mark> <mark>families</mark> get a village house and farm work"
    )


def test_a_word_no_record_writes_is_quoted_as_the_record_writes_it(
    small_index: SearchIndex,
) -> None:
    """ "villager" searched as "village" (a dictionary word read as another form of itself)
    and "familys" searched as the term of "families" (the stemmer joins them): a trial read
    "mentions “familys”" under records that never write it. "Mentions" quotes the record's
    own word; a word some record writes as typed stays as typed."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/house-and-work"]]
    row = small_index.positions[doc.iri]
    speller = Speller({"village": 1}, lambda t: t == term("village"), frozenset({"villager"}))
    for query, speller_or_none, said in (
        ("villager", speller, ["village"]),
        ("Familys", None, ["families"]),
        ("refugee families", None, ["refugee", "families"]),
    ):
        u = understand(query, small_index.matcher, speller_or_none)
        [terms] = small_index.terms_in([row], u.terms)
        why, _, _ = explain(
            small_index, doc, u, filters={}, keyword=1.0, similarity=None, terms=terms
        )
        assert why.matched_terms == said, query


def test_a_word_the_record_says_is_mentioned_even_when_a_label_holds_it_too(
    small_index: SearchIndex,
) -> None:
    """ "housing": a label of the record's theme, and (as "houses") in its own description."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/empty-houses"]]
    u = understand("housing", small_index.matcher)
    [terms] = small_index.terms_in([small_index.positions[doc.iri]], u.terms)
    why, snippet, _ = explain(
        small_index, doc, u, filters={}, keyword=1.0, similarity=None, terms=terms
    )
    assert why.matched_terms == ["housing"]
    assert "<mark>houses</mark>" in snippet


def test_the_snippet_escapes_the_text(small_index: SearchIndex) -> None:
    doc = small_index.docs[0]
    doc.descriptions["en"] = "houses <b>for</b> families & friends"
    u = understand("families", small_index.matcher)
    _, snippet, _ = explain(
        small_index, doc, u, filters={}, keyword=None, similarity=None, terms={"famili"}
    )
    assert "&lt;b&gt;" in snippet
    assert "&amp;" in snippet
    assert "<b>" not in snippet


def test_a_listing_without_words_explains_only_the_filters(small_index: SearchIndex) -> None:
    doc = small_index.docs[small_index.positions[f"{X}initiative/farm-jobs"]]
    why, snippet, _ = explain(
        small_index, doc, None, filters={"country": ["IT"]}, keyword=None, similarity=None
    )
    assert why == Why(filters=why.filters)
    assert [(f.facet, f.value) for f in why.filters] == [("country", "IT")]
    assert why.summary == ""  # true of every result: the page shows no line
    either, _, _ = explain(
        small_index,
        doc,
        None,
        filters={"country": ["ES", "IT"], "kind": ["initiative"]},
        keyword=None,
        similarity=None,
    )
    assert either.summary == "country: IT"  # which of the two countries it is
    assert "<mark>" not in snippet
    assert "farm jobs" in snippet


def test_no_closeness_is_claimed_for_a_negative_similarity() -> None:
    assert Why(similarity=-0.2).summary == ""


def test_closeness_is_claimed_only_where_the_similarity_stands_out() -> None:
    """A record found by its words, whose similarity is near the collection's mean, is not
    "close in meaning (0.05)": only one the vector rule chose is."""
    assert Why(similarity=0.05).summary == ""
    assert Why(similarity=0.41, close=True).summary == "close in meaning (0.41)"


def test_a_concept_whose_label_holds_a_query_word_is_named(small_index: SearchIndex) -> None:
    """A query word found only in a label of one of the record's concepts, which the query
    does not name as a concept (a word of a longer label: "accoglienza" in "operatori
    dell'accoglienza"), is why the record matched: the concept is named with that word, so no
    result is left with filters alone as its reason (an Italian trial saw "Perché: Paese:
    Italia")."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/farm-jobs"]]
    u = replace(understand("empleo", small_index.matcher), concepts=())
    [terms] = small_index.terms_in([small_index.positions[doc.iri]], u.terms)
    assert terms  # the keyword text holds the label's word
    why, _, _ = explain(
        small_index, doc, u, filters={"country": ["IT"]}, keyword=0.5, similarity=None, terms=terms
    )
    assert why.matched_terms == []  # the record does not say it
    assert [(c.facet, c.value, c.matched) for c in why.concepts] == [
        ("theme", "employment", "empleo")
    ]
    assert why.summary == "theme: Employment (from “empleo”)"


def test_a_concept_named_by_its_own_label_is_not_said_twice(small_index: SearchIndex) -> None:
    """ "Housing (from “Housing”)" says nothing: the label the query matched is named only when
    it differs from the label shown."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/empty-houses"]]
    u = understand("housing", small_index.matcher)
    [terms] = small_index.terms_in([small_index.positions[doc.iri]], u.terms)
    why, _, _ = explain(small_index, doc, u, filters={}, keyword=1.0, similarity=None, terms=terms)
    assert "theme: Housing" in why.summary
    assert "from" not in why.summary


def test_a_word_a_named_concept_explains_is_not_laid_on_another_concept() -> None:
    """An Italian trial's "accoglienza rifugiati" explained a result by "Refugees (from
    «rifugiati»)" and "Migrant youth (from «rifugiati»)", the second through its label "giovani
    rifugiati": the word is the named concept's, and said once."""
    import copy

    from kg.search.cache import VectorCache
    from kg.search.documents import Concept
    from kg.search.embed import HashEmbedder
    from kg.search.index import build_index
    from tests.kg.search import small

    group = "https://w3id.org/rikg/scheme/target-group/"
    concepts = copy.deepcopy(small.CONCEPTS)
    concepts[f"{group}refugees"] = Concept(
        f"{group}refugees", "target_group", "refugees", {"en": "Refugees", "it": "Rifugiati"}
    )
    concepts[f"{group}youth"] = Concept(
        f"{group}youth",
        "target_group",
        "youth",
        {"en": "Migrant youth", "it": "Giovani migranti"},
        [("it", "giovani rifugiati")],
    )
    docs = copy.deepcopy(small.DOCS)
    both, youth_only = docs[0], docs[1]
    both.facets["target_group"] = ["refugees", "youth"]
    youth_only.facets["target_group"] = ["youth"]
    index, _ = build_index(
        docs,
        concepts,
        embedder=HashEmbedder(),
        cache=VectorCache(None),
        version="v",
        progress=False,
    )
    u = understand("rifugiati", index.matcher)
    said = {}
    for doc in (both, youth_only):
        [terms] = index.terms_in([index.positions[doc.iri]], u.terms)
        why, _, _ = explain(index, doc, u, filters={}, keyword=1.0, similarity=None, terms=terms)
        said[doc.slug] = [c.value for c in why.concepts]
    assert said[both.slug] == ["refugees"]
    assert said[youth_only.slug] == ["youth"]  # there the longer label is the only reason


def test_the_query_words_a_record_does_not_hold_are_said(small_index: SearchIndex) -> None:
    """A search trial's "football club migration statistics Brazil" listed records mentioning
    "migration" alone, and nothing said that the other words matched nowhere. A word held
    through a concept's label is held; a record found by meaning alone is not told so."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/house-and-work"]]
    row = small_index.positions[doc.iri]

    def why_of(query: str) -> Why:
        u = understand(query, small_index.matcher)
        [terms] = small_index.terms_in([row], u.terms)
        return explain(small_index, doc, u, filters={}, keyword=1.0, similarity=0.5, terms=terms)[0]

    why = why_of("vivienda for refugee families in Brazil")
    assert why.missing == ["Brazil"]  # "vivienda": its theme's Spanish label
    assert why.summary.endswith("; does not mention “Brazil”")
    assert why_of("refugee families").missing == []
    assert why_of("Brazil football").missing == []  # nothing held: not found by these words


def test_a_record_the_query_names_says_so_and_lists_no_missing_word(
    small_index: SearchIndex,
) -> None:
    """A search trial's "youth 4 all" put Youth4All first saying it did not mention "4", and
    "kpax" said only "close in meaning" of K-Pax: the name matched, in its own way."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/house-and-work"]]
    row = small_index.positions[doc.iri]
    u = understand("refugee families in Brazil", small_index.matcher)
    [terms] = small_index.terms_in([row], u.terms)
    why = explain(small_index, doc, u, filters={}, keyword=1.0, similarity=0.5, terms=terms)[0]
    named = explain(
        small_index, doc, u, filters={}, keyword=1.0, similarity=0.5, terms=terms, named=True
    )[0]
    assert why.missing == ["Brazil"]
    assert named.missing == []
    assert named.summary.startswith("name matches; mentions")


def test_a_record_linked_with_a_named_one_says_so_and_lists_no_missing_word(
    small_index: SearchIndex,
) -> None:
    """A project's partner follows the project its name was searched for: it is there for the
    link, so the line says which named record it is linked with, not which words it lacks."""
    doc = small_index.docs[small_index.positions[f"{X}initiative/house-and-work"]]
    row = small_index.positions[doc.iri]
    u = understand("refugee families in Brazil", small_index.matcher)
    [terms] = small_index.terms_in([row], u.terms)
    why = explain(
        small_index,
        doc,
        u,
        filters={},
        keyword=1.0,
        similarity=0.5,
        terms=terms,
        linked=[LinkedTo("Empty Houses", "partner-in"), LinkedTo("Farm Jobs", "partner-in")],
    )[0]
    assert why.missing == []
    assert why.summary.startswith("partner in “Empty Houses”, “Farm Jobs”; mentions")


def test_a_named_record_is_called_by_the_name_the_query_holds() -> None:
    """ "linked to “Migration Impact Assessment to Enhance Integration and Local Development in
    European Rural and Mountain Areas”" read worse than "linked to “MATILDE”", what was typed."""
    doc = SearchDoc(
        "x",
        "initiative",
        "matilde",
        names={"en": "Migration Impact Assessment to Enhance Integration"},
        alt_names=["MATILDE"],
    )
    assert name_as_searched(doc, tokenize("Matilde")) == "MATILDE"
    assert name_as_searched(doc, tokenize("migration impact assessment")) == doc.name
    assert name_as_searched(doc, tokenize("matildeproject")) == doc.name  # nothing held
    spanish = SearchDoc("y", "initiative", "ns", names={"en": "New Paths", "es": "Nuevos Senderos"})
    assert name_as_searched(spanish, tokenize("nuevos senderos")) == "Nuevos Senderos"
    # a second trial read "coordinator of “Nuevos Senderos”, “Senderos”": the record's own name
    # when it holds as many of the query's words as a shorter alternate name
    aragon = SearchDoc(
        "z", "initiative", "sa", names={"es": "Senderos Aragón"}, alt_names=["Senderos"]
    )
    assert name_as_searched(aragon, tokenize("nuevos senderos")) == "Senderos Aragón"
    # but the name the query is, word for word, before a title that holds its words too: the
    # partners of Welcoming Spaces read "partner in “Investing in 'Welcoming Spaces' in Europe:
    # revitalizing shrinking areas by hosting non-EU migrants”"
    spaces = SearchDoc(
        "w",
        "initiative",
        "welcoming-spaces",
        names={"en": "Investing in 'Welcoming Spaces' in Europe: revitalizing shrinking areas"},
        alt_names=["WELCOMING SPACES", "WelcomingSpaces"],
    )
    assert name_as_searched(spaces, tokenize("Welcoming Spaces")) == "WELCOMING SPACES"
    assert name_as_searched(spaces, tokenize("welcoming spaces Europe")) == spaces.name


def test_the_snippet_says_its_language_when_the_data_does(small_index: SearchIndex) -> None:
    """An English page showed a French description as its snippet with nothing telling a
    screen reader or a browser's translator that it was French (WCAG 2.1 SC 3.1.2)."""
    doc = replace(
        small_index.docs[0],
        descriptions={"en": "houses for families", "fr": "des maisons pour les bénévoles"},
        claims=["twelve volunteers"],
    )
    for word, text_lang in (("bénévoles", "fr"), ("volunteers", "")):  # "": a claim's
        u = understand(word, small_index.matcher)
        terms = set(tokenize(word))
        _, snippet, lang = explain(
            small_index, doc, u, filters={}, keyword=1.0, similarity=None, terms=terms
        )
        assert f"<mark>{word}</mark>" in snippet
        assert lang == text_lang  # a claim: the data does not say its language
    _, _, lang = explain(small_index, doc, None, filters={}, keyword=None, similarity=None)
    assert lang == "en"


def test_the_words_that_named_a_concept_are_quoted_as_one_run() -> None:
    """A French trial read "Jeunes migrants (from «mineurs accompagnés»)" for "mineurs non
    accompagnés": the words of the label were quoted without the little word between them,
    saying the opposite. A run of the query is quoted whole, little words kept; words of other
    meaning between are left out."""
    label = "Mineurs non accompagnés"
    assert _typed("mineurs non accompagnés", label) == "mineurs non accompagnés"
    assert _typed("aide aux Mineurs non Accompagnés ruraux", label) == "Mineurs non Accompagnés"
    assert _typed("mineurs isolés accompagnés", label) == "mineurs accompagnés"
    assert _typed("escuela rural", "Escuelas") == "escuela"
    assert _typed("nothing here", label) == label
