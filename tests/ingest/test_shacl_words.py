"""Issue 16: every kind of shape constraint a record can break is reported as
`file: field: plain reason`, with no RDF term or shape jargon."""

from pathlib import Path

import pytest
from rdflib import Graph

from ingest.pipeline import validate_sources
from ingest.validate import validate_graph
from tests.conftest import BASE

JARGON = ("Literal(", "sh:", "xsd:", "<http", "conform", "Node ")


def refusals(records_dir: Path, kind: str, slug: str, old: str, new: str) -> list[str]:
    path = records_dir / kind / f"{slug}.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    messages = [e.message for e in validate_sources([records_dir], base=BASE)]
    for message in messages:
        assert not any(j in message for j in JARGON), message
    return [m.removeprefix(f"{records_dir}/") for m in messages]


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ('start: "2021-13-01"', "start: 2021-13-01 is not a valid date (month 13)"),
        ("start: 2021-13-01", "start: 2021-13-01 is not a valid date (month 13)"),
        ('start: "2021-02-30"',
         "start: 2021-02-30 is not a valid date (day 30; February 2021 has 28 days)"),
        ('start: "2021-00"', "start: 2021-00 is not a valid month (month 0)"),
    ],
)  # fmt: skip
def test_datatype_an_impossible_date_says_which_part(
    records_dir: Path, new: str, reason: str
) -> None:
    assert refusals(records_dir, "initiative", "village-welcome", 'start: "2019-03"', new) == [
        f"initiative/village-welcome.md: {reason}"
    ]


def test_datatype_a_count_that_is_not_a_whole_number() -> None:
    data = Graph().parse(
        data="""@prefix schema: <http://schema.org/> . @prefix rikg: <https://w3id.org/rikg/ns#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://x/id/event/e> a rikg:Event ; schema:name "E"@en ;
            schema:startDate "2022"^^xsd:gYear ; dcterms:source <http://x/src> ;
            rikg:participantCount "12.5"^^xsd:decimal .""",
        format="turtle",
    )  # fmt: skip
    [problem] = validate_graph(data, {"http://x/id/event/e": "event/e.md"})
    assert problem.as_error().message == ("event/e.md: participants: 12.5 is not a whole number")


def test_class_a_partner_that_has_no_record(records_dir: Path) -> None:
    assert refusals(
        records_dir, "initiative", "village-welcome", "coordinator: test-ngo", "coordinator: nobody"
    ) == [
        "initiative/village-welcome.md: coordinator: nobody is not a known organisation record "
        "(no organisation/nobody.md)"
    ]


def test_min_count_a_missing_description(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    path.write_text(text[: text.rindex("---") + 4])
    assert refusals(records_dir, "initiative", "village-welcome", "name:", "name:") == [
        "initiative/village-welcome.md: description (body): needs a description (the file's body)"
    ]


def test_max_count_two_names() -> None:
    data = Graph().parse(
        data="""@prefix schema: <http://schema.org/> . @prefix rikg: <https://w3id.org/rikg/ns#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <http://x/id/organisation/o> a rikg:Organisation, schema:Organization ;
            schema:name "Alpha"@en, "Beta"@en ; dcterms:source <http://x/src> .""",
        format="turtle",
    )
    [problem] = validate_graph(data, {"http://x/id/organisation/o": "organisation/o.md"})
    assert problem.as_error().message == (
        "organisation/o.md: name: has 2 values (Alpha, Beta); at most 1 is allowed"
    )


def test_pattern_a_currency_that_is_not_a_code(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text().replace(
        "countries: [ES]", "countries: [ES]\nbudget:\n  - {amount: 1000, currency: euro}"
    )
    path.write_text(text)
    assert refusals(records_dir, "initiative", "village-welcome", "budget:", "budget:") == [
        "initiative/village-welcome.md: budget.currency: euro is not a currency code "
        "(ISO 4217, three capital letters such as EUR)"
    ]


def test_in_a_kind_of_amount_outside_the_list(records_dir: Path) -> None:
    """A record's own word for an amount ("amif-first-wing") had shown on its page as written."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text().replace(
        "countries: [ES]", "countries: [ES]\nbudget:\n  - {amount: 9, label: amif-first-wing}"
    )
    path.write_text(text)
    [message] = refusals(records_dir, "initiative", "village-welcome", "budget:", "budget:")
    assert message.startswith(
        "initiative/village-welcome.md: budget.label: amif-first-wing is not one of eafrd, erdf, "
    ), message


def test_in_an_organisation_type_outside_the_list(records_dir: Path) -> None:
    old, new = "org_type: ngo", "org_type: charity"
    assert refusals(records_dir, "organisation", "test-ngo", old, new) == [
        "organisation/test-ngo.md: org_type: charity is not one of company, eu-institution, "
        "foundation, international-organisation, local-action-group, municipality, network, "
        "ngo, public-authority, research-centre, university"
    ]  # fmt: skip


def test_node_a_concept_outside_its_scheme(records_dir: Path) -> None:
    assert refusals(
        records_dir, "initiative", "village-welcome", "target_groups: [refugees]",
        "target_groups: [astronauts]",
    ) == [
        "initiative/village-welcome.md: target_groups: astronauts is not a target-group concept "
        "(ontology/schemes/target-group.ttl lists them)"
    ]  # fmt: skip
