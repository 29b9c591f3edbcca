import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from ingest.pipeline import validate_sources
from ingest.validate import ONTOLOGY, _prepared, validate_graph
from tests.conftest import BASE, BUNDLED, edit_record

#: the worked examples of the ontology, which its documentation shows
EXAMPLES = sorted((ONTOLOGY / "examples").glob("*.ttl"))


def errors_for(records_dir: Path) -> list[str]:
    return [e.message for e in validate_sources([records_dir], base=BASE)]


def test_test_records_are_valid(records_dir: Path) -> None:
    assert errors_for(records_dir) == []


def test_every_bundled_record_is_valid() -> None:
    assert [e.message for e in validate_sources([BUNDLED], base=BASE)] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_ontology_examples_conform(path: Path) -> None:
    assert validate_graph(Graph().parse(path), {}) == []


def test_the_examples_are_found() -> None:
    """The test above checks each example; none found would check nothing."""
    assert len(EXAMPLES) >= 1


def test_missing_name_is_refused(records_dir: Path) -> None:
    edit_record(records_dir, "name: Village Welcome\n", "")
    [message] = errors_for(records_dir)
    assert "village-welcome.md: name:" in message


def test_end_before_start_is_refused(records_dir: Path) -> None:
    edit_record(records_dir, 'start: "2019-03"', 'start: "2023-01"')
    messages = errors_for(records_dir)
    assert any("village-welcome.md: end:" in m and "before start" in m for m in messages)


def test_unknown_theme_is_refused(records_dir: Path) -> None:
    edit_record(records_dir, "themes: [housing,", "themes: [time-travel,")
    [message] = errors_for(records_dir)
    assert message.endswith(
        "village-welcome.md: themes: time-travel is not a theme concept "
        "(ontology/schemes/theme.ttl lists them)"
    )


def test_dangling_partner_is_refused(records_dir: Path) -> None:
    edit_record(records_dir, "coordinator: test-ngo", "coordinator: nobody-known")
    [message] = errors_for(records_dir)
    assert "coordinator" in message
    assert "nobody-known" in message


def test_shapes_refuse_turtle_without_name() -> None:
    data = Graph().parse(
        data="""
        @prefix schema: <http://schema.org/> . @prefix rikg: <https://w3id.org/rikg/ns#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <http://x/i> a rikg:Initiative ; schema:description "d"@en ;
            dcterms:source <http://x/src> .
        """,
        format="turtle",
    )
    problems = validate_graph(data, {"http://x/i": "i.ttl"})
    assert [(p.file, p.field) for p in problems] == [("i.ttl", "name")]


def test_dates_of_every_initiative_are_compared_in_one_validation(tmp_path: Path) -> None:
    """The end-before-start rule runs once per initiative (pySHACL sends its query per focus
    node); the query is parsed once for all of them, and each wrong record is still named."""
    records = tmp_path / "records"
    shutil.copytree(BUNDLED, records)
    for name, old, new in [
        ("arc-active-refugees.md", '"2017-12-01"', '"2020-01-15"'),
        ("auzolana-ii.md", '"2018"', '"2022"'),
    ]:
        path = records / "initiative" / name
        path.write_text(
            path.read_text().replace(f"start: {{value: {old}", f"start: {{value: {new}")
        )
    _prepared.cache_clear()
    messages = [e.message for e in validate_sources([records], base=BASE)]
    assert messages == [
        f"{records}/initiative/arc-active-refugees.md: end: 2019-11-30 is before start 2020-01-15",
        f"{records}/initiative/auzolana-ii.md: end: 2021-03 is before start 2022",
    ]
    assert _prepared.cache_info().misses == 1  # one SPARQL constraint in the shapes
    assert _prepared.cache_info().hits >= 70  # the other initiatives with dates
