"""The example queries of the SPARQL editor: each parses and answers on the bundled records, and
the answers agree with what the record files say (expected values are read from the files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ingest.pipeline import ingest_records
from ingest.record_format import Record, parse_record, record_files
from kg.example_queries import Example, load_examples, parse_example
from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.search.sparql import run_query_with_search
from kg.settings import Settings
from kg.sparql import run_query
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE, BUNDLED

EXAMPLES = load_examples()


def get_example(slug: str) -> Example:
    """The catalogue's example named `slug`."""
    return next(e for e in EXAMPLES if e.slug == slug)


NEEDS_SEARCH = {"semantic-search"}


@pytest.fixture(scope="module")
def store() -> GraphStore:
    store = LocalStore(None)
    ingest_records(store, [BUNDLED], base=BASE)
    return store


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return [parse_record(p) for p in record_files(BUNDLED)]


@pytest.fixture(scope="module")
def search(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    tmp = tmp_path_factory.mktemp("examples")
    settings = Settings.from_env(
        {"KG_STORE": str(tmp / "store"), "KG_BASE_URI": BASE},
        cache_dir=tmp / "cache",
        data_dir=tmp / "data",
    )
    return SearchService(store, settings, embedder=HashEmbedder())


def run(store: GraphStore, example: Example, search: SearchService | None = None) -> Any:
    if example.slug in NEEDS_SEARCH:
        assert search is not None
        return run_query_with_search(store.current(), example.query, search.index())
    return run_query(store.current(), example.query)


def rows(result: Any) -> list[dict[str, str]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def values(record: Record, field: str) -> list[Any]:
    """A record field's values, whether written plain, as one claim or as a list of claims."""
    raw = record.data.get(field)
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return [item["value"] if isinstance(item, dict) else item for item in items]


def initiatives(records: list[Record]) -> Iterator[Record]:
    return (r for r in records if r.kind == "initiative")


def test_catalogue_has_the_required_examples() -> None:
    assert len(EXAMPLES) >= 14
    assert EXAMPLES[0].slug == "initiatives-per-country"
    assert len({e.slug for e in EXAMPLES}) == len(EXAMPLES)
    forms = " ".join(e.query for e in EXAMPLES)
    for needed in ("CONSTRUCT", "ASK", "rikg:similarity(", "GRAPH ?graph", "LANGMATCHES"):
        assert needed in forms
    for example in EXAMPLES:
        assert example.title
        assert example.question.endswith("?")
        assert "PREFIX " in example.query  # runs in any client, without predeclared prefixes


def test_an_example_without_header_is_refused() -> None:
    with pytest.raises(ValueError, match="question"):
        parse_example("99-bad.rq", "# title: Bad\nSELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.slug)
def test_every_example_answers_on_the_bundled_records(
    store: GraphStore, search: SearchService, example: Example
) -> None:
    result = run(store, example, search)
    if isinstance(result, ox.QueryBoolean):
        assert bool(result) is True
    elif isinstance(result, ox.QueryTriples):
        assert len(list(result)) > 0
    else:
        assert len(rows(result)) > 0


def test_initiatives_per_country_count_the_record_files(
    store: GraphStore, records: list[Record]
) -> None:
    answer = {r["countryName"]: int(r["initiatives"]) for r in rows(run(store, EXAMPLES[0]))}
    spain = [
        r.slug
        for r in initiatives(records)
        if "ES" in values(r, "country") + values(r, "countries")
    ]
    assert len(spain) > 1
    assert answer["Spain"] == len(spain)
    assert max(answer.values()) == answer[next(iter(answer))]  # biggest first


def test_disagreements_list_the_provinces_dispute(store: GraphStore, records: list[Record]) -> None:
    senderos = next(r for r in records if r.slug == "nuevos-senderos")
    provinces = {f["text"] for f in senderos.data["facts"] if f.get("conflict") == "provinces"}
    assert len(provinces) == 2
    answer = rows(run(store, get_example("where-sources-disagree")))
    claimed = {r["claimed"] for r in answer if r["name"] == senderos.data["name"]}
    assert provinces <= claimed


def test_disagreements_include_the_budgets_the_sources_report_differently(
    store: GraphStore, records: list[Record]
) -> None:
    """A disputed amount of money is a disagreement of the sources too (it was left out)."""
    disputed = set()
    for r in records:  # two amounts of one kind: the sources disagree on all of them
        items = [b for b in r.data.get("budget") or [] if isinstance(b, dict)]
        kinds = [str(b.get("label", "")) for b in items]
        if len(kinds) != len(set(kinds)):
            disputed |= {
                (str(r.data["name"]), f"budget ({b['label']})", float(b["amount"])) for b in items
            }
    assert disputed
    answer = rows(run(store, get_example("where-sources-disagree")))
    budgets = {
        (r["name"], r["about"], float(r["claimed"].split()[0]))
        for r in answer
        if r["about"] == "budget" or r["about"].startswith("budget (")
    }
    assert budgets == disputed


def test_initiatives_addressing_a_challenge_match_the_files(
    store: GraphStore, records: list[Record]
) -> None:
    expected = {
        str(r.data["name"])
        for r in initiatives(records)
        if "labour-market-constraints" in values(r, "challenges")
    }
    matilde = next(r for r in records if r.slug == "matilde")
    assert str(matilde.data["name"]) in expected
    answer = rows(run(store, get_example("initiatives-addressing-a-challenge")))
    assert {r["name"] for r in answer} == expected
    # one row each, with the English definition (the schemes give it in five languages: each
    # had become five rows, in an order engines were free to differ on)
    assert len(answer) == len(expected)
    assert len({r["definition"] for r in answer}) == 1
    assert next(iter({r["definition"] for r in answer})).startswith("Rural labour markets")


def test_the_2022_session_names_organisers_and_initiatives(
    store: GraphStore, records: list[Record]
) -> None:
    event = next(r for r in records if r.kind == "event")
    answer = rows(run(store, get_example("the-2022-session")))
    assert {r["participants"] for r in answer} == {str(event.data["participants"])}
    organisers = [r["who"] for r in answer if r["role"] == "organiser"]
    discussed = [r["who"] for r in answer if r["role"] == "initiative discussed"]
    assert sorted(o.rsplit("/", 1)[1] for o in organisers) == sorted(event.data["organisers"])
    assert sorted(i.rsplit("/", 1)[1] for i in discussed) == sorted(event.data["about"])


def test_funding_programme_counts_match_the_files(store: GraphStore, records: list[Record]) -> None:
    answer = {
        r["programme"].rsplit("/", 1)[1]: int(r["initiatives"])
        for r in rows(run(store, get_example("initiatives-per-funding-programme")))
    }
    expected: dict[str, int] = {}
    for r in initiatives(records):
        for code in set(values(r, "funding")):
            expected[code] = expected.get(code, 0) + 1
    assert answer == expected


def test_labels_come_in_the_chosen_language(store: GraphStore) -> None:
    answer = rows(run(store, get_example("themes-and-target-groups-in-a-language")))
    senderos = next(r for r in answer if r["name"] == "Nuevos Senderos")
    assert "Vivienda" in senderos["themes"]  # housing, in Spanish
    assert "Housing" not in senderos["themes"]


def test_example_files_ship_as_package_data() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert 'kg = ["examples/*.rq", "examples/translations.json"]' in pyproject


@pytest.mark.parametrize("lang", ["es", "it", "de", "fr"])
def test_every_example_is_told_in_each_language_of_the_interface(lang: str) -> None:
    """A German researcher's editor listed the catalogue in English among German words (marked
    `lang="en"`): each example's title and question are in every language of the interface,
    a question still a question, the query's own words (VALUES, ?lang, CONSTRUCT, ASK) kept."""
    for example in EXAMPLES:
        assert example.lang_in(lang) == lang, example.slug
        title, question = example.title_in(lang), example.question_in(lang)
        assert title != example.title, (lang, example.slug)
        assert question != example.question, (lang, example.slug)
        assert question.endswith("?"), (lang, example.slug)
        for word in ("VALUES", "?lang", "(CONSTRUCT)", "(ASK)", "NUTS", "schema.org"):
            assert (word in example.title + example.question) == (word in title + question), (
                lang,
                example.slug,
                word,
            )
    assert EXAMPLES[0].lang_in("en") == "en"
    assert EXAMPLES[0].title_in("pl") == EXAMPLES[0].title


def test_sparqlwrapper_reads_every_example_as_the_query_form_it_is() -> None:
    """SPARQLWrapper decides between `query=` and `update=` by searching the text for a keyword;
    a header word such as "address" (ADD) or "load" (LOAD) made it send two examples as updates,
    which a read-only endpoint refuses."""
    from SPARQLWrapper import SPARQLWrapper

    for example in load_examples():
        first = next(
            word
            for word in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
            if f"\n{word}" in "\n" + example.query
        )
        client = SPARQLWrapper("http://127.0.0.1:9/sparql")
        client.setQuery(example.query)
        assert client.queryType == first, example.slug
        assert not client.isSparqlUpdateRequest(), example.slug


def test_each_nuts_region_is_placed_in_its_country(store: GraphStore) -> None:
    """A region points to the region enclosing it (Teruel → Aragón), and the example climbs to
    the country: its country column had read "Aragon" for Teruel."""
    answer = {
        r["code"]: r.get("countryName") for r in rows(run(store, get_example("nuts-regions")))
    }
    assert answer["ES242"] == answer["ES24"] == "Spain"
    assert answer["DE409"] == "Germany"
    assert all(name for name in answer.values())


def test_a_nuts_region_counts_the_records_of_the_regions_inside_it(store: GraphStore) -> None:
    """A researcher read "Aragon (5)" on the home page and 2 for ES24 in this example: the
    example now counts what is located in the regions inside a region too, as the pages do."""
    from kg.browse import concept_page

    answer = {r["code"]: r for r in rows(run(store, get_example("nuts-regions")))}
    for code in ("ES24", "ES242", "DE7"):
        page = concept_page(store.current(), f"http://data.europa.eu/nuts/code/{code}")
        assert page is not None
        listed = {r["record"] for rows_ in page.records.values() for r in rows_}
        assert int(answer[code]["records"]) == len(listed), code
    assert int(answer["ES24"]["records"]) > int(answer["ES242"]["records"]) > 0
