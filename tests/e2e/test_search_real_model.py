"""Search with the real bundled model (all-MiniLM-L6-v2) over the bundled records: the seed
example, the quality targets of issues 4 and 9, the `kg` commands and a live `/api/search`."""

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.live import live_server
from kg.search import SearchQuery, SearchService
from kg.search.evaluate import load_queries, ndcg, run, summarise
from kg.search.index import keyword_labels_by_language, own_keyword_text, own_keyword_texts
from kg.search.rank import NEAR_MIN, rank
from kg.search.text import term, tokenize
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from tests.e2e.virtuoso import virtuoso_server

pytestmark = pytest.mark.e2e
EVAL_DIRS = [PROJECT_ROOT / "eval", PROJECT_ROOT.parent / "shared" / "eval"]


def eval_file(name: str) -> Path:
    for folder in EVAL_DIRS:
        if (folder / name).exists():
            return folder / name
    pytest.fail(f"{name} not found in {', '.join(map(str, EVAL_DIRS))}")


def kg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """The store the application runs on: the embedded one, or Virtuoso (issue 7: the same
    search tests pass over an external SPARQL store)."""
    if request.param == "embedded":
        yield {}
        return
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-search")) as endpoint:
        yield {"KG_SPARQL_ENDPOINT": endpoint}


@pytest.fixture(scope="module")
def env(backend: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`kg ingest` twice into a fresh store; the first builds the index."""
    tmp = tmp_path_factory.mktemp("search-e2e")
    env = {
        **os.environ,
        "KG_STORE": str(tmp / "store"),
        "KG_CACHE_DIR": str(tmp / "cache"),
        "KG_DATA_DIR": str(tmp / "data"),
        **backend,
    }
    first = kg(env, "ingest", "--keep-going")
    assert "search index: rebuilt" in first.stdout, first.stderr
    second = kg(env, "ingest", "--keep-going")
    assert "(0 changes" in second.stdout, second.stderr
    assert "search index" not in second.stdout  # unchanged store: nothing re-embedded
    return env


@pytest.fixture(scope="module")
def service(env: dict[str, str]) -> SearchService:
    settings = Settings.from_env(env)
    return SearchService(open_store(settings), settings)


def top(service: SearchService, text: str) -> list[str]:
    return [h.doc.slug for h in service.search(SearchQuery(text)).hits]


#: practices that move families to villages for a job and a home (Nuevos Senderos and, since the
#: practices of facts-2 arrived, four more of the same kind): the answers to the queries below
FAMILIES_TO_VILLAGES = {
    "nuevos-senderos",
    "senderos-aragon",
    "oportunitat-500",
    "proyecto-arraigo",
    "habita-tierra",
}


def test_families_who_moved_to_a_village_for_a_job(service: SearchService) -> None:
    ranked = top(service, "families who moved to a village for a job")
    assert ranked[0] in FAMILIES_TO_VILLAGES
    assert len(set(ranked[:3]) & FAMILIES_TO_VILLAGES) >= 2
    assert "nuevos-senderos" in ranked


#: what "families received in depopulated villages" also finds: the practices above and those
#: judged relevant to the same need in eval/dev-queries.jsonl (reception in a depopulating village,
#: a platform for moving to one, a planned scheme)
RECEPTION_IN_VILLAGES = FAMILIES_TO_VILLAGES | {
    "accem-burbaguena",
    "rimur-gal",
    "coceder-back-to-the-village",
}


def test_a_spanish_query_finds_the_spanish_programme(service: SearchService) -> None:
    ranked = top(service, "acogida de familias en pueblos despoblados")
    assert set(ranked[:3]) <= RECEPTION_IN_VILLAGES
    assert "nuevos-senderos" in ranked


def test_dev_queries_hybrid_beats_keyword_and_vector(service: SearchService) -> None:
    scores = summarise(run(service.index(), load_queries(eval_file("dev-queries.jsonl"))))
    hybrid = scores["hybrid"].ndcg
    assert hybrid >= 0.80
    assert hybrid > scores["keyword"].ndcg
    assert hybrid > scores["vector"].ndcg


def test_crosslingual_queries_with_the_bundled_model(service: SearchService) -> None:
    scores = summarise(run(service.index(), load_queries(eval_file("dev-crosslingual.jsonl"))))
    assert scores["hybrid"].ndcg >= 0.60


def test_named_records_come_first_and_nonsense_finds_nothing(service: SearchService) -> None:
    index = service.index()
    named = summarise(run(index, load_queries(eval_file("dev-navigational.jsonl"))))
    assert named["hybrid"].first == 1.0
    offtopic = summarise(run(index, load_queries(eval_file("dev-offtopic.jsonl"))))
    assert offtopic["hybrid"].empty == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "cheap flights",
        "used cars for sale",
        "weather forecast Madrid",
        "hotel deals in Paris",
        "football results",
        "tax return deadline",
        "recette de la ratatouille",
        "train timetable",  # "train" names the theme Training by one word: not enough
        "jobs at Google",
        "car insurance quotes",  # read as French, its words English: held to the sense check
        "Arbeit finden Hamburg",  # a theme's everyday one-word label is no evidence
        "Stadtplan Hamburg",  # compounds of the German word list are not split
        "Ferienhaus Ostsee",
        # "Paris" had matched the Italian label "tra pari" (peer learning), so two of its
        # three words seemed known
        "billet de train Paris",
    ],
)
def test_everyday_web_searches_find_nothing(service: SearchService, text: str) -> None:
    """Searches of the same shape as a practitioner's, on other subjects: nothing, and no
    word of them "corrected" into a word of the records ("flights" is not "rights")."""
    result = service.search(SearchQuery(text))
    assert result.total == 0
    assert result.corrections == ()


@pytest.mark.parametrize(
    "text",
    [
        "housing for seasonal workers",
        "family reunification support",
        "intercultural festival in a village",
        "apprentissage du français pour les migrants",
        "cursos de idiomas",
        "sostegno psicologico rifugiati",  # refugees named in Italian; two words unknown
        "Kinderbetreuung Kita Flüchtlinge",
        "schrumpfende Dörfer",
        "women",
        "care workers",
        "forestry jobs",
    ],
)
def test_plain_searches_on_the_graphs_subjects_find_records(
    service: SearchService, text: str
) -> None:
    assert service.search(SearchQuery(text)).total > 0


@pytest.mark.parametrize(
    ("text", "saying"),
    [
        ("elderly care", "proyecto-arraigo"),  # "homes for the elderly"
        ("care home jobs", "accem-burbaguena"),  # work at the village's care home
        ("bus to town", "accem-burbaguena"),  # the school bus to Calamocha restored
    ],
)
def test_a_query_a_passage_says_finds_the_record_that_says_it(
    service: SearchService, text: str, saying: str
) -> None:
    """A German trial's "Pflegekräfte" (care workers) and our own "elderly care" found nothing:
    no record read as a whole was close enough to the query, though one passage of a record
    says it. The passage now stands for its record, which is among the first three."""
    results = service.search(SearchQuery(text, limit=3))
    assert saying in [h.doc.slug for h in results.hits], [h.doc.slug for h in results.hits]


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("elderly care", {"country": ["IT"]}),
        ("care home jobs", {"kind": ["event"]}),
        ("bus to town", {"initiative_type": ["pilot"]}),
    ],
)
def test_counts_of_a_query_read_by_passages_are_what_their_clicks_give(
    service: SearchService, text: str, filters: dict[str, list[str]]
) -> None:
    """By meaning alone (`mode=vector`), with a filter set: a record failing only that filter
    counts under another value by its closest passage, as its click finds it (a review found
    "elderly care" in Italy offering Spain 0, whose click gave 1)."""
    results = service.search(SearchQuery(text, mode="vector", filters=filters, limit=0))
    for name, values in results.facets.items():
        if name == "year":
            continue
        for value in values:
            chosen = (
                [*filters.get(name, []), value.value] if value.adds is not None else [value.value]
            )
            clicked = service.search(
                SearchQuery(text, mode="vector", filters={**filters, name: chosen}, limit=0)
            )
            expected = results.total + value.adds if value.adds is not None else value.count
            assert clicked.total == expected, (name, value)


def test_a_place_name_lists_only_what_is_there_or_close(service: SearchService) -> None:
    """A German trial's "Uckermark" listed the one practice in that district and seven
    organisations "close in meaning (0.22)". A record found by meaning alone now reaches a
    cosine of 0.3 (`NEAR_MIN`), and is said to be close only then. (A record the query names
    and the records linked with it belong by the name, not by meaning.)"""
    index = service.index()
    for text in ("Uckermark", "MATILDE", "Fahrdienst"):
        ranking = rank(index, SearchQuery(text))
        assert len(ranking.rows)
        assert ranking.near >= NEAR_MIN
        assert ranking.keyword is not None
        assert ranking.similarity is not None
        by_name = ranking.named.keys() | ranking.linked.keys()
        by_meaning = [
            int(r) for r in ranking.rows if ranking.keyword[r] <= 0 and int(r) not in by_name
        ]
        assert all(ranking.similarity[r] >= NEAR_MIN for r in by_meaning), text
    uckermark = service.search(SearchQuery("Uckermark", limit=100))
    assert uckermark.hits
    close = [h.why.similarity for h in uckermark.hits if h.why.close]
    assert all(s is not None and s >= NEAR_MIN for s in close), close


@pytest.mark.parametrize("place", ["Sachsen", "Piemonte", "Polen", "Castilla y León", "ESF"])
def test_a_place_name_alone_lists_the_records_of_that_place(
    service: SearchService, place: str
) -> None:
    """An Italian trial's "Piemonte" and a German one's "Sachsen" listed other regions'
    governments and villages "close in meaning" after the records that are there, and "ESF"
    the Red Cross EU Office beside the two practices the ESF paid for. A query that is a
    place's or a programme's name takes no record by meaning: each result holds the name, or
    is classified under the place or programme."""
    found = service.search(SearchQuery(place, limit=100))
    assert found.hits, place
    for hit in found.hits:
        assert hit.why.matched_terms or hit.why.concepts, (place, hit.doc.slug, hit.why)


def test_a_correctly_spelt_word_is_searched_as_written(service: SearchService) -> None:
    """ "quality" is not in the records, and is not read as "equality"; a misspelling still is
    corrected."""
    assert service.search(SearchQuery("quality criteria for good practices")).corrections == ()
    fixed = service.search(SearchQuery("refugee famlies"))
    assert [(c.original, c.corrected) for c in fixed.corrections] == [("famlies", "families")]


def test_common_misspellings_of_a_search_trial_are_corrected(service: SearchService) -> None:
    """A search trial's "language cources" became "language sources" and found nothing, and
    "Ukranian" (a misspelling the web's word lists hold) was left as typed, its five Ukraine
    practices at ranks 26-44."""
    courses = service.search(SearchQuery("language cources"))
    assert [(c.original, c.corrected) for c in courses.corrections] == [("cources", "courses")]
    assert courses.total > 0
    ukraine = service.search(SearchQuery("Ukranian refugees", limit=5))
    assert [(c.original, c.corrected) for c in ukraine.corrections] == [("Ukranian", "ukrainian")]
    assert ukraine.corrected == "Ukrainian refugees"  # as shown: "Showing results for"
    fleeing = [
        h for h in ukraine.hits if "people-fleeing-ukraine" in h.doc.facets.get("target_group", ())
    ]
    assert len(fleeing) >= 3, [h.doc.slug for h in ukraine.hits]


@pytest.mark.parametrize("text", ["the", "of and the", "les des"])
def test_function_words_alone_find_nothing_and_are_offered_no_topic(
    service: SearchService, text: str
) -> None:
    """A search trial's "the" found nothing but was offered the topic "Refugees"."""
    result = service.search(SearchQuery(text))
    assert result.total == 0
    assert result.concepts == ()


def test_spelling_correction_lifts_the_typo_queries(service: SearchService) -> None:
    """The same typo queries ranked with and without correction (README table: hybrid)."""
    index = service.index()
    typos = load_queries(eval_file("dev-typos.jsonl"))

    def mean_ndcg(correct: bool) -> float:
        scores = []
        for q in typos:
            rows = rank(index, SearchQuery(q.text, correct=correct)).rows
            scores.append(ndcg([index.docs[int(r)].slug for r in rows], q.relevant))
        return sum(scores) / len(scores)

    assert mean_ndcg(True) >= mean_ndcg(False) + 0.2


def test_kg_search_and_kg_eval(env: dict[str, str], tmp_path: Path) -> None:
    out = kg(env, "search", "families who moved to a village for a job", "-n", "10")
    assert out.returncode == 0, out.stderr
    assert "Nuevos Senderos" in out.stdout
    assert "why:" in out.stdout
    filtered = kg(env, "search", "refugees", "--country", "IT", "--kind", "initiative")
    assert "Riace" in filtered.stdout
    assert "Nuevos Senderos" not in filtered.stdout
    evaluated = kg(env, "eval", str(eval_file("dev-queries.jsonl")))
    assert evaluated.returncode == 0, evaluated.stderr
    lines = evaluated.stdout.splitlines()
    assert [line.split()[0] for line in lines[-3:]] == ["hybrid", "keyword", "vector"]
    assert "nDCG'@10" in lines[-4]  # beside nDCG@10: unjudged records taken out
    every = kg(env, "eval")  # every file of eval/, each with its own figures
    assert every.returncode == 0, every.stderr
    files = [line.split(":")[0] for line in every.stdout.splitlines() if ".jsonl:" in line]
    assert files == [
        "dev-crosslingual.jsonl",
        "dev-navigational.jsonl",
        "dev-offtopic.jsonl",
        "dev-queries.jsonl",
        "dev-typos.jsonl",
    ]
    assert "named first" in every.stdout
    assert "no result" in every.stdout
    corrected = kg(env, "search", "comunity sponsorshp", "-n", "1")
    assert "showing results for: community sponsorship" in corrected.stdout
    # --pool: what to judge next, for a file judging one record of a query
    one = tmp_path / "one.jsonl"
    one.write_text(
        '{"q": "families who moved to a village for a job", "relevant": {"nuevos-senderos": 2}}\n'
    )
    pooled = kg(env, "eval", str(one), "--pool", str(tmp_path / "pool.jsonl"))
    assert pooled.returncode == 0, pooled.stderr
    [line] = (tmp_path / "pool.jsonl").read_text().splitlines()
    slugs = json.loads(line)["records"]
    assert 10 <= len(slugs) <= 29  # the first ten of three modes, the judged one left out
    assert slugs == sorted(slugs)  # A-Z: the rank order is not told
    assert "nuevos-senderos" not in slugs
    assert all(list(PROJECT_ROOT.glob(f"ingest/records/*/{s}.md")) for s in slugs)


def test_live_api_search(env: dict[str, str], tmp_path: Path) -> None:
    backend = {k: env[k] for k in ("KG_SPARQL_ENDPOINT",) if k in env}
    with live_server(tmp_path, KG_CACHE_DIR=env["KG_CACHE_DIR"], **backend) as server:
        query = urllib.parse.urlencode({"q": "families who moved to a village for a job"})
        with urllib.request.urlopen(f"{server.url}api/search?{query}", timeout=120) as r:
            body = json.load(r)
    slugs = [h["slug"] for h in body["results"]]
    assert slugs[0] in FAMILIES_TO_VILLAGES
    assert len(set(slugs[:3]) & FAMILIES_TO_VILLAGES) >= 2
    assert "nuevos-senderos" in slugs
    assert body["facets"]["kind"]
    assert body["results"][0]["why"]["summary"]


@pytest.mark.parametrize(
    "text", ["alloggi per rifugiati", "Wohnung für Geflüchtete", "Wohnungen für Geflüchtete"]
)
def test_everyday_words_for_housing_name_the_theme(service: SearchService, text: str) -> None:
    """An Italian trial's "alloggi" (plural of the theme's "alloggio") and a German one's
    "Wohnung" found no housing theme, and with the theme filter on they found one practice of
    six."""
    result = service.search(SearchQuery(text, filters={"theme": ("housing",)}))
    whole = service.search(SearchQuery("", filters={"theme": ("housing",)}))
    assert result.total == whole.total
    understood = rank(service.index(), SearchQuery(text)).understanding
    assert understood is not None
    assert "housing" in {m.concept.code for m in understood.concepts}


@pytest.mark.parametrize(
    ("text", "lang", "offered"),
    [
        ("loger", "fr", None),  # French "to house": not the English "lower"
        ("tiempo", "es", None),  # Spanish "weather": not the Italian "tempo"
        ("Mathilde", "fr", "Matilde"),  # a name: the project MATILDE
        ("Share Sera", "fr", "Share Sira"),  # two words: judged in their own language
        ("loger", "en", None),  # a French word on an English page: not "longer"
        ("Wetter", "it", None),  # a German word on an Italian page: not "better"
    ],
)
def test_a_word_of_the_pages_language_is_not_offered_another_languages_word(
    service: SearchService, text: str, lang: str, offered: str | None
) -> None:
    """A French trial's "loger" found nothing and the page asked "Vouliez-vous dire lower ?";
    one word has no clear language, so it is judged as a word of the page's."""
    result = service.search(SearchQuery(text, lang=lang))
    assert result.total == 0
    assert result.suggestion == offered


@pytest.mark.parametrize(("text", "lang"), [("budget familles", "fr"), ("Budget Familien", "de")])
def test_words_of_the_pages_language_shared_with_english_still_find_records(
    service: SearchService, text: str, lang: str
) -> None:
    """A French trial's "budget familles" found nothing on the French page while "budget" and
    "familles" each found records: read as no clear language, it was held to the English
    model's sense check. Made of the page's words, it is read in the page's language."""
    result = service.search(SearchQuery(text, lang=lang))
    assert result.total > 0
    assert result.hits[0].why.query_language == lang


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("hebergement famile refugie", "fr", "famille"),
        ("famile", "fr", "famille"),
        ("famile", "en", "family"),
        ("refugee famile housing", "en", "family"),
        # "rurale" is Italian too: on the French page the French reading, not "integrato"
        ("integraton rurale", "fr", "integration"),
    ],
)
def test_a_misspelling_is_read_as_the_querys_word_when_as_near(
    service: SearchService, text: str, lang: str, word: str
) -> None:
    """A French trial's "famile" on the French page became the English "family", which the
    page then said no record mentions; "famille", one edit away too, is searched as the
    records' "familles"."""
    result = service.search(SearchQuery(text, lang=lang))
    misspelt = next(w for w in text.split() if w in ("famile", "integraton"))
    assert (misspelt, word) in [(c.original, c.corrected) for c in result.corrections]
    assert result.total > 0


@pytest.mark.parametrize(
    ("text", "lang", "word", "concept"),
    [
        # Spanish "mayores" (older people) is not the English label "mayors"
        ("cuidado de mayores", "es", "mayores", ("target_group", "local-authorities")),
    ],
)
def test_a_word_matches_no_record_through_a_label_of_another_language_alone(
    service: SearchService, text: str, lang: str, word: str, concept: tuple[str, str]
) -> None:
    """A Spanish trial's "cuidado de mayores" found records classified under local
    authorities, whose English label "mayors" the language-blind stemmer reads as "mayores";
    no hit is found by that word unless its own text or a label of the query's language
    says it."""
    index = service.index()
    result = service.search(SearchQuery(text, lang=lang, limit=100))
    assert result.total > 0
    assert result.hits[0].why.query_language == lang
    for hit in result.hits:
        facet, code = concept
        if code not in hit.doc.facets.get(facet, ()):
            continue
        said = tokenize(own_keyword_text(hit.doc))
        assert word not in hit.why.matched_terms or term(word) in said
        assert all(c.value != code for c in hit.why.concepts)
    classified = index.postings[concept[0]][concept[1]]
    assert any(term(word) not in tokenize(own_keyword_text(index.docs[r])) for r in classified)


def test_a_word_matches_no_record_through_its_own_text_of_another_language(
    service: SearchService,
) -> None:
    """A trial's "cuidado de mayores migrantes" (care of older migrants) listed Acquaformosa,
    Riace and Păltiniș first, each "mentioning «mayores»" through the English "mayor" of its
    description or a claim. A hit found by "mayores" holds it in a Spanish or untagged text of
    its own, or in a Spanish label of its concepts; the graph has English texts with "mayor"."""
    index = service.index()
    mayor = term("mayores")

    def holds(texts: list[tuple[str, str]]) -> bool:
        return any(mayor in tokenize(text) for _, text in texts)

    english = [d for d in index.docs if holds([p for p in own_keyword_texts(d) if p[0] == "en"])]
    assert english  # otherwise this test says nothing
    result = service.search(SearchQuery("cuidado de mayores migrantes", lang="es", limit=100))
    assert result.hits
    assert result.hits[0].why.query_language == "es"
    for hit in result.hits:
        if "mayores" not in hit.why.matched_terms:
            continue
        labels = [
            pair
            for facet, codes in hit.doc.facets.items()
            for code in codes
            if (c := index.by_code.get((facet, code))) is not None
            for pair in keyword_labels_by_language(facet, c)
        ]
        spanish = [p for p in [*own_keyword_texts(hit.doc), *labels] if p[0] in ("es", "")]
        assert holds(spanish), hit.doc.slug
