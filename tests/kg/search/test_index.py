"""The index and its embedding cache, with the deterministic fake embedder."""

from pathlib import Path

import numpy as np

from ingest.pipeline import ingest_records
from kg.search import SearchQuery, SearchService, search
from kg.search.cache import VectorCache
from kg.search.documents import Concept, SearchDoc
from kg.search.embed import HashEmbedder
from kg.search.index import SearchIndex, passages
from kg.search.text import tokenize
from kg.search.types import filter_value
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import BASE
from tests.kg.search.small import service

NEW_RECORD = """---
name: Mountain Welcome
initiative_type: pilot
themes: [housing]
countries: [AT]
sources:
  a: {url: "https://example.org/mw"}
---
Newcomers settle in an alpine valley.
"""


def test_reingest_of_unchanged_sources_embeds_nothing(
    disk_store: GraphStore, settings: Settings, records_dir: Path
) -> None:
    ingest_records(disk_store, [records_dir], base=BASE)
    first = HashEmbedder()
    assert service(disk_store, settings, first).refresh(progress=False) == first.texts > 0

    report = ingest_records(disk_store, [records_dir], base=BASE)
    assert report.changes == 0
    again = HashEmbedder()
    assert service(disk_store, settings, again).refresh(progress=False) is None
    assert again.calls == 0


def test_only_new_or_changed_texts_are_embedded(
    disk_store: GraphStore, settings: Settings, records_dir: Path
) -> None:
    ingest_records(disk_store, [records_dir], base=BASE)
    service(disk_store, settings, HashEmbedder()).refresh(progress=False)

    (records_dir / "initiative" / "mountain-welcome.md").write_text(NEW_RECORD)
    ingest_records(disk_store, [records_dir], base=BASE)
    embedder = HashEmbedder()
    index = service(disk_store, settings, embedder).index()
    doc = index.docs[index.positions[f"{BASE}id/initiative/mountain-welcome"]]
    assert embedder.texts == len(passages(doc, index.by_code))  # the new record's only
    assert embedder.calls == 1


def test_the_accented_spellings_of_the_records_words(small_index: SearchIndex) -> None:
    """The concept labels of every language are part of the words: "Educación" is written
    with its accent by the records that carry the theme, and "education" without."""
    assert small_index.spellings["educacion"]["educación"] >= 1
    assert "housing" not in small_index.spellings  # written without accents: not kept


def test_index_follows_the_store(memory_store: GraphStore, records_dir: Path) -> None:
    settings = Settings.from_env({"KG_STORE": "memory"}, cache_dir=records_dir / "cache")
    svc = SearchService(memory_store, settings, embedder=HashEmbedder(), cache=VectorCache(None))
    assert len(svc.index()) == 0
    assert svc.search(SearchQuery("anything")).total == 0
    ingest_records(memory_store, [records_dir], base=BASE)
    assert {d.slug for d in svc.index().docs} == {"village-welcome", "test-ngo"}


def test_a_filter_value_may_be_a_concepts_label_in_any_language(small_index: SearchIndex) -> None:
    """`theme=Vivienda` or `theme=housing` filter alike (a hand-made link); a label two
    concepts share, or none, is left as given (and then matches no record)."""
    assert small_index.filter_code("theme", "housing") == "housing"
    assert small_index.filter_code("theme", "Vivienda") == "housing"
    assert small_index.filter_code("theme", " EDUCACION ") == "education"  # accents aside
    assert small_index.filter_code("country", "Vivienda") == "Vivienda"  # another facet's label
    assert small_index.filter_code("theme", "nonsense") == "nonsense"
    twin = Concept("t:twin", "theme", "twin", {"en": "Housing"})
    small_index.concepts["t:twin"] = twin
    del small_index.__dict__["_codes_by_label"]  # built again from the concepts as they are now
    assert small_index.filter_code("theme", "Housing") == "Housing"


def test_a_filter_value_may_be_an_alternative_label_or_a_label_written_as_a_code(
    small_index: SearchIndex,
) -> None:
    """`funding=H2020`, `funding=LEADER`, the names a concept's browse page lists, filter as
    its code (an analyst's had found nothing); so does a label written as codes are
    (`mountain-location`). A preferred label wins over another concept's alternative one."""
    fund = "https://w3id.org/rikg/scheme/funding/"
    small_index.concepts[f"{fund}h2020"] = Concept(
        f"{fund}h2020", "funding", "horizon-2020", {"en": "Horizon 2020"}, [("en", "H2020")]
    )
    small_index.concepts[f"{fund}leader"] = Concept(
        f"{fund}leader", "funding", "eafrd-leader", {"en": "EAFRD"}, [("en", "Horizon 2020")]
    )
    for name in ("_codes_by_label", "_codes_by_alt_label"):
        small_index.__dict__.pop(name, None)
    assert small_index.filter_code("funding", "h2020") == "horizon-2020"
    assert small_index.filter_code("funding", "Horizon 2020") == "horizon-2020"
    assert small_index.filter_code("funding", "horizon_2020") == "horizon-2020"
    assert small_index.filter_code("theme", "H2020") == "H2020"  # only the concept's facet
    assert small_index.filter_code("theme", "village-school") == "village-school"


def test_a_country_filter_may_be_the_eu_authoritys_code(small_index: SearchIndex) -> None:
    """`country=ESP`, as the country's IRI ends (an earlier browse page linked so), is Spain."""
    iri = "http://publications.europa.eu/resource/authority/country/ESP"
    small_index.concepts[iri] = Concept(iri, "country", "ES", {"en": "Spain"})
    assert small_index.filter_code("country", "ESP") == "ES"
    assert small_index.filter_code("country", "esp") == "ES"
    assert small_index.filter_code("country", "ES") == "ES"
    assert small_index.filter_code("theme", "ESP") == "ESP"  # only the country's own facet
    assert small_index.filter_code("country", filter_value("country", iri)) == "ES"  # as SPARQL
    assert small_index.filter_code("country", filter_value("country", f" <{iri}> ")) == "ES"
    assert small_index.filter_code("theme", iri) == iri


def test_a_phrase_is_words_one_after_the_other_in_a_record(small_index: SearchIndex) -> None:
    """ "Castilla-La Mancha" was evidence of nothing: of no clear language, its words known but
    the model reading it as nothing a record is about. Its words in a row in a record are."""
    assert small_index.holds_phrase(tokenize("mountain villages"))
    assert small_index.holds_phrase(tokenize("farm jobs in mountain"))  # "in" is no term
    assert not small_index.holds_phrase(tokenize("villages mountain"))  # not in that order
    assert not small_index.holds_phrase(tokenize("refugee jobs"))  # both known, apart
    assert not small_index.holds_phrase(tokenize("mountain"))  # one word is no phrase
    assert not small_index.holds_phrase(tokenize("mountain zzzz"))  # a word no record holds


def test_name_order_puts_a_letter_with_a_diacritic_beside_its_base_letter() -> None:
    """A–Z as a reader expects: "Łódzkie Region" under L and "Šťastné deti" under S (they
    had followed every Z), the browse order too."""
    from kg.search.index import build_index
    from tests.kg.search.small import doc

    names = ["Šťastné deti", "Zuhause", "Łódzkie Region", "Mountain", "Almería", "lake"]
    docs = [doc(f"r{i}", "initiative", n, "text", []) for i, n in enumerate(names)]
    index, _ = build_index(
        docs, {}, embedder=HashEmbedder(), cache=VectorCache(None), version="v", progress=False
    )
    by_name = [index.docs[i].name for i in np.argsort(index.name_rank)]
    assert by_name == ["Almería", "lake", "Łódzkie Region", "Mountain", "Šťastné deti", "Zuhause"]
    by_browse = [index.docs[i].name for i in np.argsort(index.browse_rank)]
    assert by_browse == by_name


def test_mentioning_finds_a_concepts_label_as_a_phrase_in_unclassified_texts() -> None:
    """`SearchIndex.mentioning`: a label of several words, in any language, held one word
    after the other in a record's own text (plural or not); not its words scattered, not in a
    record classified under the concept (it carries it already), not a one-word label."""
    from kg.search.documents import SearchDoc
    from kg.search.index import build_index

    iri = "https://w3id.org/rikg/scheme/funding/leader"
    concept = Concept(
        iri,
        "funding",
        "leader",
        {"en": "LEADER", "it": "LEADER"},
        alt_labels=[("en", "local action group"), ("it", "gruppo di azione locale")],
    )

    def doc(slug: str, text: str, funding: list[str]) -> SearchDoc:
        return SearchDoc(
            f"http://x/id/initiative/{slug}",
            "initiative",
            slug,
            names={"en": slug},
            descriptions={"en": text},
            facets={"kind": ["initiative"], "funding": funding},
        )

    docs = [
        doc("phrase", "Two local action groups hosted refugee families.", []),
        doc("italian", "Il gruppo di azione locale ha accolto famiglie.", []),
        doc("scattered", "A local group took action for refugees.", []),
        doc("classified", "Local action groups again.", ["leader"]),
        doc("one-word", "LEADER money paid for it.", []),
    ]
    index, _ = build_index(
        docs,
        {iri: concept},
        embedder=HashEmbedder(),
        cache=VectorCache(None),
        version="v1",
        progress=False,
    )
    found = {index.docs[row].slug: label for row, label in index.mentioning(concept).items()}
    assert found == {"phrase": "local action group", "italian": "gruppo di azione locale"}


def _built(docs: list[SearchDoc], concepts: list[Concept]) -> SearchIndex:
    """The index of `docs` and `concepts` with the fake embedder."""
    from kg.search.index import build_index

    index, _ = build_index(
        docs,
        {c.iri: c for c in concepts},
        embedder=HashEmbedder(),
        cache=VectorCache(None),
        version="v1",
        progress=False,
    )
    return index


def false_friends() -> SearchIndex:
    """Five records and the concepts of a language-blind stemmer's false friends: Spanish
    "mayores" (older people) and English "mayors" share the term "mayor"."""
    from tests.kg.search.small import doc

    def concept(facet: str, code: str, labels: dict[str, str], *alt: tuple[str, str]) -> Concept:
        return Concept(f"http://x/scheme/{code}", facet, code, labels, alt_labels=list(alt))

    concepts = [
        concept("theme", "local-authorities", {"en": "Mayors", "es": "Alcaldes"}),
        concept("target_group", "older-people", {"en": "Older people", "es": "Personas mayores"}),
        concept("target_group", "workers", {"en": "Migrant workers", "it": "Lavoratori migranti"}),
        concept(
            "target_group",
            "newcomers",
            {"en": "Newcomers", "it": "Nuovi arrivati"},
            ("en", "recently arrived migrants"),
        ),
        concept("nuts", "ES41", {"en": "Castile and León", "es": "Castilla y León"}),
        concept(
            "theme",
            "employment",
            {"en": "Employment", "de": "Beschäftigung"},
            ("en", "labour market integration"),
        ),
    ]
    docs = [
        doc("town-hall", "initiative", "Town Hall", "the council meets monthly", []),
        doc("elder-care", "initiative", "Elder Care", "care homes hire staff", []),
        doc("own-words", "initiative", "Own Words", "los mayores del pueblo enseñan", []),
        doc("arrivals", "initiative", "Arrivals", "new families settle", []),
        doc("jobs", "initiative", "Jobs", "farm work placements", []),
        doc("council-care", "initiative", "Council Care", "a council service at home", []),
        doc("leon", "initiative", "Leon", "a welcome in the region", []),
    ]
    docs[0].facets["theme"] = ["local-authorities"]
    docs[1].facets["target_group"] = ["older-people"]
    docs[3].facets["target_group"] = ["newcomers"]
    docs[4].facets["theme"] = ["employment"]
    docs[5].facets["theme"] = ["local-authorities"]
    docs[5].facets["target_group"] = ["older-people"]
    docs[6].facets["nuts"] = ["ES41"]
    return _built(docs, concepts)


def test_a_term_held_only_through_labels_of_another_language_does_not_match() -> None:
    """A Spanish trial's "cuidado de mayores" found records through the English label
    "mayors": for a query in one of the five languages, a record holding a term only through
    its concepts' labels matches when a label of the query's language holds it, or one of a
    language the schemes attest as translating it, or a label writes the word as typed; its
    own text always matches; a query of no clear language matches every label."""
    from kg.search.understand import Understanding

    index = false_friends()

    def found(text: str, lang: str, *, foreign: bool = False) -> set[str]:
        u = Understanding(text, tuple(tokenize(text)), lang, (), foreign=foreign)
        rows = index.holding_all(u.terms, u)
        keyword = {index.docs[r].slug for r in index.matches(u.terms[0], u)[0]}
        assert keyword == {index.docs[r].slug for r in rows}
        in_terms = index.terms_in(list(range(len(index))), u.terms, u)
        assert keyword == {index.docs[r].slug for r, held in enumerate(in_terms) if held}
        return keyword

    assert found("mayores", "es") == {"elder-care", "own-words", "council-care"}
    assert found("mayors", "en") == {"town-hall", "own-words", "council-care"}
    every = {"town-hall", "elder-care", "own-words", "council-care"}
    assert found("mayores", "und") == every
    assert found("mayores", "pl", foreign=True) == every
    # "migranti" (it) and "migrants" (en) translate each other in the workers' labels
    assert found("migranti", "it") == {"arrivals"}
    # written as typed in the English label: a cognate
    assert found("Integration", "de") == {"jobs"}
    assert found("Integrations", "de") == set()  # same term, not as the label writes it
    # corrected to the English label's word: not typed so
    corrected = Understanding("cuidado mayros", ("cuid", "mayor"), "es", (), "cuidado mayors")
    assert "town-hall" not in {index.docs[r].slug for r in index.matches("mayor", corrected)[0]}
    # a place's name is a name in every language (matched whole: `joined`)
    italian = Understanding("rifugiati Castilla y León", ("rifugiat", "castill", "leon"), "it", ())
    assert [index.docs[r].slug for r in index.matches("castillayleon", italian)[0]] == ["leon"]


def own_languages() -> SearchIndex:
    """Records whose own texts hold the term "mayor" in English and in Spanish: a name, a
    description, a claim, a place; one classified under older people, whose Spanish label
    says "mayores", and one under a region labelled in Portuguese and English."""
    from tests.kg.search.small import doc

    concepts = [
        Concept(
            "http://x/scheme/older-people",
            "target_group",
            "older-people",
            {"en": "Older people", "es": "Personas mayores"},
        ),
        Concept("http://x/nuts/PT18", "nuts", "PT18", {"en": "Alentejo", "pt": "Alentejo"}),
    ]
    docs = [
        doc("former-mayor", "initiative", "Hill Houses", "a former mayor opens houses", []),
        doc("claimed", "initiative", "Valley Houses", "families settle in the valley", []),
        doc("elders", "initiative", "Escuela", "", []),
        doc("square", "initiative", "Market Days", "a weekly market", []),
        doc("studies", "initiative", "Studies", "case studies of reception", []),
        doc("homes", "initiative", "Case", "", []),
        doc("visits", "initiative", "Visits", "the former mayor visits every family", []),
        doc("alentejo", "initiative", "Odemira", "farm work in the south", []),
    ]
    docs[1].claims = ["The association's president is a former mayor"]
    docs[1].languages = {docs[1].claims[0]: "en"}
    docs[2].descriptions = {"es": "los mayores del pueblo enseñan a leer"}
    docs[3].places = ["Plaza Mayor"]
    docs[5].names = {"it": "Case sfitte per famiglie"}
    docs[6].facets["target_group"] = ["older-people"]
    docs[7].facets["nuts"] = ["PT18"]
    return _built(docs, concepts)


def test_a_term_held_only_by_a_text_of_another_language_does_not_match() -> None:
    """A trial's "cuidado de mayores migrantes" (care of older migrants) listed first the
    records whose English description or claim says "mayor": a record's own text matches a
    query of one of the five languages as its concepts' labels do (`matches`): by a text in the
    query's language, in a language attested as translating the term, or one writing the word
    as typed; untagged texts (places, identifiers, types) match in every language."""
    from kg.search.understand import Understanding

    index = own_languages()

    def found(text: str, lang: str) -> set[str]:
        u = Understanding(text, tuple(tokenize(text)), lang, ())
        keyword = {index.docs[r].slug for r in index.matches(u.terms[0], u)[0]}
        in_terms = index.terms_in(list(range(len(index))), u.terms, u)
        assert keyword == {index.docs[r].slug for r, held in enumerate(in_terms) if held}
        # what its own text says, as matched: all but a record held through a label alone
        said = {index.docs[r].slug for r in range(len(index)) if index.says(r, u.terms[0], u)}
        assert said == keyword - ({"visits"} if lang == "es" else set())
        return keyword

    # the English texts' "mayor" is not the Spanish "mayores": the Spanish text, the square's
    # name and the Spanish label are
    assert found("mayores", "es") == {"elders", "square", "visits"}
    assert found("mayor", "en") == {"former-mayor", "claimed", "square", "visits"}
    every = {"former-mayor", "claimed", "elders", "square", "visits"}
    assert found("mayores", "und") == every
    # the same word as an English text writes it is taken as the same word: Italian "case"
    assert found("case", "it") == {"studies", "homes"}


def test_a_word_of_no_clear_language_is_read_as_a_word_of_its_page() -> None:
    """A trial's "mayores" on the Spanish page (one word: of no clear language) found
    town-hall projects through the English "mayor": such a query, of the page's words, is
    matched by its page's language (`Understanding.words_lang`)."""
    from kg.search.understand import Understanding

    index = own_languages()

    def found(text: str, page: str) -> set[str]:
        terms = tuple(tokenize(text))
        u = Understanding(text, terms, "und", (), page=page)
        return {index.docs[r].slug for r in index.matches(terms[0], u)[0]}

    assert found("mayores", "es") == {"elders", "square", "visits"}
    assert found("mayores", "und") == {"former-mayor", "claimed", "elders", "square", "visits"}
    assert found("mayor", "en") == {"former-mayor", "claimed", "square", "visits"}


def test_a_concept_is_named_in_another_languages_words_the_schemes_translate() -> None:
    """An Italian "migranti" names a concept labelled only in English "Migrants": the
    workers' labels ("Lavoratori migranti", "Migrant workers") attest the term as translating
    between the two, so the word is no false friend of the label (`understand.false_friend`
    reads the index's attestation). Without that attestation the same word names nothing,
    as a French "train" names no English "Training"."""
    from kg.search.understand import understand
    from tests.kg.search.small import doc

    def concept(code: str, labels: dict[str, str]) -> Concept:
        return Concept(f"http://x/scheme/{code}", "target_group", code, labels)

    migrants = concept("migrants", {"en": "Migrants"})
    workers = concept("workers", {"en": "Migrant workers", "it": "Lavoratori migranti"})
    docs = [doc("one", "initiative", "One", "a welcome", [])]

    def named(concepts: list[Concept]) -> set[str]:
        index = _built(docs, concepts)
        return {m.concept.code for m in understand("migranti nei paesi", index.matcher).concepts}

    assert named([migrants, workers]) == {"migrants"}
    assert named([migrants]) == set()


def test_a_label_in_another_language_than_the_five_attests_a_translation() -> None:
    """An English search naming a Portuguese region ("Alentejo", labelled in Portuguese and
    English) raised KeyError in a review: a label of a language outside the five counts as
    any other language."""
    from kg.search.understand import Understanding

    index = own_languages()
    u = Understanding("farm work Alentejo", ("farm", "work", "alentejo"), "en", ())
    alentejo = tokenize("Alentejo")[0]
    assert [index.docs[r].slug for r in index.matches(alentejo, u)[0]] == ["alentejo"]
    result = search(index, SearchQuery("farm work in Alentejo", lang="en"))
    assert [h.doc.slug for h in result.hits] == ["alentejo"]


def test_an_explanation_names_what_the_query_matched_not_another_languages_word() -> None:
    """A record kept through its Spanish label "Personas mayores" whose English text says
    "mayor" was explained as mentioning «mayores», with "mayor" marked: it is explained by the
    label, as `matches` keeps it, and its English word is not said to match."""
    index = own_languages()
    result = search(index, SearchQuery("cuidado de mayores", lang="es", mode="keyword"))
    hit = next(h for h in result.hits if h.doc.slug == "visits")
    assert hit.why.query_language == "es"
    assert "mayores" not in hit.why.matched_terms
    assert [c.label for c in hit.why.concepts] == ["Personas mayores"]
    assert "<mark>mayor</mark>" not in hit.snippet


def test_a_search_does_not_find_or_explain_a_record_by_another_languages_label() -> None:
    """The result set and each hit's matched words agree with `matches`: "cuidado de
    mayores" (care of older people, read as Spanish) finds the older people's records by its
    words, not the mayors' one, and explains a record classified under both by the older
    people; the English "care of mayors" the other way round."""
    index = false_friends()
    spanish = search(index, SearchQuery("cuidado de mayores", lang="es", mode="keyword"))
    assert spanish.hits[0].why.query_language == "es"
    assert {h.doc.slug for h in spanish.hits} == {"elder-care", "own-words", "council-care"}
    english = search(index, SearchQuery("care of mayors", lang="en", mode="keyword"))
    assert {h.doc.slug for h in english.hits} == {
        "town-hall",
        "own-words",
        "elder-care",
        "council-care",
    }
    hybrid = search(index, SearchQuery("cuidado de mayores", lang="es", limit=10))
    said = {h.doc.slug: h.why.matched_terms for h in hybrid.hits}
    assert said["elder-care"] == []
    assert said["own-words"] == ["mayores"]
    assert not said.get("town-hall")
    named = {h.doc.slug: [c.label for c in h.why.concepts] for h in hybrid.hits}
    assert named["elder-care"] == ["Personas mayores"]
    # classified under both: named for the label of the query's language only
    assert named["council-care"] == ["Personas mayores"]
