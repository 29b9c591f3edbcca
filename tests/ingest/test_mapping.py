import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ingest.mapping import record_graph
from ingest.record_format import parse_record
from kg.errors import RecordError
from kg.vocab import RIKG, SCHEMA
from tests.conftest import BASE, edit_record

NOW = "2026-01-01T00:00:00+00:00"


def test_record_maps_to_design_terms(records_dir: Path) -> None:
    rec = parse_record(records_dir / "initiative" / "village-welcome.md")
    g_iri, g = record_graph(rec, base=BASE, ingested_at=NOW)
    s = URIRef(f"{BASE}id/initiative/village-welcome")
    assert g_iri == f"{BASE}graph/initiative/village-welcome"
    assert (s, SCHEMA.name, Literal("Village Welcome", lang="en")) in g
    assert (s, SCHEMA.startDate, Literal("2019-03", datatype=XSD.gYearMonth)) in g
    country = URIRef("http://publications.europa.eu/resource/authority/country/ESP")
    assert (s, DCTERMS.spatial, country) in g
    assert (s, DCTERMS.spatial, URIRef("http://data.europa.eu/nuts/code/ES242")) in g
    # provenance on the named graph
    assert (URIRef(g_iri), RIKG.sourceFile, None) in g


def test_disagreeing_sources_are_both_kept(records_dir: Path) -> None:
    rec = parse_record(records_dir / "initiative" / "village-welcome.md")
    _, g = record_graph(rec, base=BASE, ingested_at=NOW)
    s = URIRef(f"{BASE}id/initiative/village-welcome")
    ends = set(g.objects(s, SCHEMA.endDate))
    assert {str(e) for e in ends} == {"2021-12", "2022-06"}
    disputed = set(g.subjects(RIKG.disputed, Literal(True)))
    assert len(disputed) == 4  # two end-date claims and two scale claims
    for claim in disputed:
        assert g.value(claim, DCTERMS.source) is not None


def test_a_date_within_another_sources_date_is_not_disputed(records_dir: Path) -> None:
    """A German trial read "End: 2024 or 31 July 2024" marked disputed: a year and a day in it
    agree. Both are kept, each with its source; neither claim is marked disputed."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    assert '"2022-06"' in text
    path.write_text(text.replace('"2022-06"', '"2021"'))
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    s = URIRef(f"{BASE}id/initiative/village-welcome")
    assert {str(e) for e in g.objects(s, SCHEMA.endDate)} == {"2021-12", "2021"}
    disputed = set(g.subjects(RIKG.disputed, Literal(True)))
    assert len(disputed) == 2  # the scale claims only
    assert not [c for c in disputed if g.value(c, RDF.predicate) == SCHEMA.endDate]


def test_facts_in_conflict_with_a_field_dispute_that_field(records_dir: Path) -> None:
    """A researcher found two facts flagged disputed (`conflict: end`: a final meeting after the
    stated end) while the end date they contradict was not. A `conflict` named after a field
    (`start`, `end`, `grant`, ...) disputes that field's sourced value too; other names do not."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    one_end = '  - {value: "2021-12", source: a}\n  - {value: "2022-06", source: b}\n'
    assert one_end in text
    text = text.replace("end:\n" + one_end, 'end: {value: "2021-12", source: a}\n')
    text = text.replace(
        "facts:\n",
        "facts:\n"
        '  - {aspect: scale, text: "Ran until December 2021", source: a, conflict: end}\n'
        '  - {aspect: activity, text: "Held a meeting in May 2022", source: b, conflict: end}\n',
    )
    path.write_text(text)
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    disputed = set(g.subjects(RIKG.disputed, Literal(True)))
    ends = [c for c in disputed if g.value(c, RDF.predicate) == SCHEMA.endDate]
    assert [str(g.value(c, RDF.object)) for c in ends] == ["2021-12"]
    assert not [c for c in disputed if g.value(c, RDF.predicate) == SCHEMA.startDate]
    facts = {str(g.value(c, RDF.value)) for c in disputed if g.value(c, RIKG.aspect)}
    assert facts == {
        "Ran until December 2021",
        "Held a meeting in May 2022",
        "11 villages",
        "8 villages",
    }


def test_a_value_of_a_list_field_may_be_disputed_by_name(records_dir: Path) -> None:
    """A researcher found two sources' rival co-funders, and a country one source adds, kept
    as plain facts: only a note said the sources disagree. A value of a list field (partners,
    funders, countries, ...) given with `conflict` is disputed, and only that value: the
    record's other countries stay plain facts. The name is shared with the facts (or values)
    that contradict it."""
    path = edit_record(
        records_dir,
        "countries: [ES]\n",
        "countries:\n  - {value: ES, source: [a, b]}\n"
        "  - {value: PT, source: b, conflict: villages}\n",
    )
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    disputed = set(g.subjects(RIKG.disputed, Literal(True)))
    places = [c for c in disputed if g.value(c, RDF.predicate) == DCTERMS.spatial]
    portugal = URIRef("http://publications.europa.eu/resource/authority/country/PRT")
    assert [g.value(c, RDF.object) for c in places] == [portugal]
    assert g.value(places[0], DCTERMS.source) == URIRef("https://example.org/b")
    assert len(disputed) == 5  # the two end dates, the two scale facts, Portugal


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("  - {value: PT, source: b, conflict: coast}\n", "conflict 'coast' names only one"),
        ("  - {value: PT, conflict: villages}\n", "a disputed value needs its source"),
        # YAML reads 0 and no as a number and false: no name, not a dispute unchecked
        ("  - {value: PT, source: b, conflict: 0}\n", "conflict must be a name"),
        ("  - {value: PT, source: b, conflict: no}\n", "conflict must be a name"),
    ],
)
def test_a_disputed_value_needs_its_source_and_what_it_contradicts(
    records_dir: Path, entry: str, reason: str
) -> None:
    path = edit_record(records_dir, "countries: [ES]\n", "countries:\n  - ES\n" + entry)
    with pytest.raises(RecordError) as caught:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert caught.value.field == "countries"
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "name: Village Welcome\n",
            "name: Village Welcome\nalternate_names:\n"
            "  - {value: VW, lang: en, source: a, conflict: villages}\n",
            "alternate_names",
        ),
        (
            "nuts: [ES242]\n",
            "nuts: [ES242]\nplaces:\n"
            "  - {name: Teruel, country: ES, source: a, conflict: villages}\n",
            "places",
        ),
        (
            "nuts: [ES242]\n",
            "nuts: [ES242]\nbudget:\n"
            "  - {amount: 100, label: total, source: a, conflict: villages}\n",
            "budget",
        ),
    ],
)
def test_a_conflict_where_none_is_read_is_refused(
    records_dir: Path, old: str, new: str, field: str
) -> None:
    """A review found `conflict` on a name, a place or an amount dropped unsaid."""
    path = edit_record(records_dir, old, new)
    with pytest.raises(RecordError, match="takes no 'conflict'") as caught:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert caught.value.field == field


def test_values_in_conflict_with_a_field_dispute_that_field(records_dir: Path) -> None:
    """As facts do (above): two values whose `conflict` names a field (`end`: a partner that
    joined after it, say) dispute that field's sourced value too."""
    one_end = '  - {value: "2021-12", source: a}\n  - {value: "2022-06", source: b}\n'
    edit_record(records_dir, "end:\n" + one_end, 'end: {value: "2021-12", source: a}\n')
    path = edit_record(
        records_dir,
        "countries: [ES]\n",
        "countries:\n  - {value: ES, source: a, conflict: end}\n"
        "  - {value: PT, source: b, conflict: end}\n",
    )
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    disputed = set(g.subjects(RIKG.disputed, Literal(True)))
    ends = [c for c in disputed if g.value(c, RDF.predicate) == SCHEMA.endDate]
    assert [str(g.value(c, RDF.object)) for c in ends] == ["2021-12"]


def test_tracking_parameters_are_dropped_from_links(records_dir: Path) -> None:
    """An editor's trial found `?utm_source=rss` and `?utm_cmp_rs=subtitle` in the source links
    the pages hand out: they say how someone came to a page, not which page it is. Campaign
    tags and ad click identifiers are dropped; the address's other parameters stay."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    assert 'url: "https://example.org/a"' in text
    text = text.replace(
        'url: "https://example.org/a"', 'url: "https://example.org/a?id=7&utm_source=rss&b=2"'
    )
    text = text.replace(
        'url: "https://example.org/b"', 'url: "https://example.org/b?utm_cmp_rs=x&fbclid=Iw1"'
    )
    path.write_text(text)
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    s = URIRef(f"{BASE}id/initiative/village-welcome")
    assert set(g.objects(s, DCTERMS.source)) == {
        URIRef("https://example.org/a?id=7&b=2"),
        URIRef("https://example.org/b"),
    }


def test_unknown_source_key_is_refused(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace("source: b}", "source: zz}", 1))
    with pytest.raises(RecordError, match=r"end: source 'zz' is not defined"):
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)


def test_bad_date_is_refused(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace('start: "2019-03"', 'start: "March 2019"'))
    with pytest.raises(RecordError, match="start"):
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)


@pytest.mark.parametrize(
    ("addition", "field", "found"),
    [
        ("\nContact: maria.lopez@example.org.", "descriptions", "e-mail 'maria.lopez@example.org'"),
        ("\nCall 978 123 456 on weekdays.", "descriptions", "telephone '978 123 456'"),
        ("\nCall +39 06 1234 5678.", "descriptions", "telephone '+39 06 1234 5678'"),
    ],
)
def test_contact_details_in_published_text_are_refused(
    records_dir: Path, addition: str, field: str, found: str
) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().rstrip("\n") + addition + "\n")
    expected = re.escape(f"{field}: holds contact details ({found}")
    with pytest.raises(RecordError, match=expected) as refused:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert "never published" in str(refused.value)


def test_numbers_that_are_not_telephones_are_kept(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    text = "\nGrant 101004535; EUR 2 999 750 in 2019-2022; see https://example.org/p/600123456."
    path.write_text(path.read_text().rstrip("\n") + text + "\n")
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert any("101004535" in str(o) for o in g.objects(None, SCHEMA.description))


def with_first_source(records_dir: Path, address: str) -> Path:
    """The test initiative's file with its first source's web address replaced by `address`."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    url = re.search(r"url: \"?(https://[^\s\",}]+)", text)
    assert url is not None
    path.write_text(text.replace(url.group(1), address, 1))
    return path


@pytest.mark.parametrize("at", ["@", "%40"])
def test_an_e_mail_address_in_a_source_link_is_refused(records_dir: Path, at: str) -> None:
    leaky = f"https://www.ejemplo.es/contacto?email=juan.garcia{at}gmail.com"
    path = with_first_source(records_dir, leaky)
    with pytest.raises(RecordError, match=r"sources\.\w+: the web address .* holds contact") as no:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert "e-mail 'juan.garcia@gmail.com'" in str(no.value)


def test_a_user_name_and_password_in_a_source_link_are_refused(records_dir: Path) -> None:
    path = with_first_source(records_dir, "https://ana:secret@example.org/raices")
    with pytest.raises(RecordError, match=r"sources\.\w+: the web address .* user name or") as no:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert "e-mail" not in str(no.value)


def test_a_profile_link_with_at_is_kept(records_dir: Path) -> None:
    path = with_first_source(records_dir, "https://medium.com/@anna")
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert URIRef("https://medium.com/@anna") in set(g.objects())


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("countries: [US]", "countries: US is not in ontology/schemes/countries.ttl"),
        ("nuts: [ES244]", "nuts: ES244 is not in ontology/schemes/nuts.ttl"),
        ("nuts: [DE999]", "nuts: DE999 is not in ontology/schemes/nuts.ttl"),
    ],
)
def test_a_country_or_region_the_schemes_lack_is_refused(
    records_dir: Path, line: str, said: str
) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    key = line.split(":")[0]
    path.write_text(re.sub(rf"(?m)^{key}: .*$", line, path.read_text(), count=1))
    with pytest.raises(RecordError, match=re.escape(said)) as refused:
        record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    assert "village-welcome.md" in str(refused.value)


def test_the_schemes_countries_and_regions_are_kept(records_dir: Path) -> None:
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text().replace("countries: [ES]", "countries: [GR, EL, UK, NO, ES]")
    path.write_text(text.replace("nuts: [ES242]", "nuts: [ES242, EL611]"))
    _, g = record_graph(parse_record(path), base=BASE, ingested_at=NOW)
    spatial = {str(o).rsplit("/", 1)[-1] for o in g.objects(None, DCTERMS.spatial)}
    assert {"GRC", "GBR", "NOR", "ESP", "ES242", "EL611"} <= spatial
