"""A record as linked data: its document and the view its page is built from."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import NotFound
from kg.record_document import (
    RecordView,
    Value,
    document,
    label_of,
    local_href,
    pick,
    pick_lang,
    records_of_kind,
    view,
)
from kg.store import LocalStore
from kg.vocab import SCHEMA_NS
from tests.conftest import BASE, ingested

IRI = f"{BASE}id/initiative/village-welcome"


def test_the_document_carries_provenance_and_the_labels_of_what_it_links_to(
    loaded: LocalStore,
) -> None:
    triples = document(loaded.current(), base=BASE, kind="initiative", slug="village-welcome")
    predicates = {t.predicate.value for t in triples}
    assert "http://www.w3.org/ns/prov#wasDerivedFrom" in predicates
    housing = "https://w3id.org/rikg/scheme/theme/housing"
    assert any(
        t.subject == ox.NamedNode(housing) and t.predicate.value.endswith("prefLabel")
        for t in triples
    )


def test_an_unknown_record_is_not_found(loaded: LocalStore) -> None:
    with pytest.raises(NotFound):
        document(loaded.current(), base=BASE, kind="initiative", slug="nowhere")


def test_the_view_keeps_both_claims_where_the_sources_disagree(loaded: LocalStore) -> None:
    v = view(loaded.current(), base=BASE, kind="initiative", slug="village-welcome")
    assert v.iri == IRI
    assert v.name() == "Village Welcome"
    assert v.disputes  # the end date and the number of villages
    scale = [c for c in v.claims if c.aspect == "scale"]
    assert len(scale) == 2
    assert all(c.disputed for c in scale)
    assert {s.value for s in v.sources} >= {"https://example.org/a", "https://example.org/b"}


def test_labels_fall_back_to_english_then_untagged() -> None:
    assert pick({"en": "house", "es": "casa"}, "es") == "casa"
    assert pick({"en": "house", "": "x"}, "de") == "house"
    assert pick({"": "x"}, "de") == "x"
    assert pick({}, "de") == ""


def test_local_links_and_records_of_a_kind(loaded: LocalStore) -> None:
    assert local_href(IRI, BASE) == "/initiative/village-welcome"
    assert local_href("https://example.org/a", BASE) is None
    rows = records_of_kind(loaded.current(), "organisation")
    assert [r["record"] for r in rows] == [f"{BASE}id/organisation/test-ngo"]


def test_a_relation_both_records_state_is_listed_once() -> None:
    """SU.PR.EME. and Casa Sankara name each other as related: the page lists Casa Sankara
    once, among the record's own links, not again as a record linking here."""
    from ingest.pipeline import ingest_records
    from kg.settings import PROJECT_ROOT

    store = LocalStore(None)
    ingest_records(store, [PROJECT_ROOT / "ingest/records"], base=BASE)
    relation = "http://purl.org/dc/terms/relation"
    v = view(store.current(), base=BASE, kind="initiative", slug="supreme-italia")
    own = [x.value for x in v.values(relation)]
    assert f"{BASE}id/initiative/casa-sankara" in own  # the premise: stated both ways
    other = view(store.current(), base=BASE, kind="initiative", slug="casa-sankara")
    assert f"{BASE}id/initiative/supreme-italia" in [x.value for x in other.values(relation)]
    linking_here = [x.value for x in v.incoming.get(relation, [])]
    assert not set(own) & set(linking_here)


def test_the_language_of_the_description_a_page_shows() -> None:
    """A description only in Spanish, shown on the English page, is marked as Spanish (for
    screen readers and translation tools): the language of the text picked, not the page's."""
    only_es = {"es": "Familias en Soria."}
    assert (pick(only_es, "en"), pick_lang(only_es, "en")) == ("Familias en Soria.", "es")
    both = {"en": "Families in Soria.", "es": "Familias en Soria."}
    assert pick_lang(both, "es") == "es"
    assert pick_lang(both, "it") == "en"  # no Italian: the English text, marked English
    assert pick_lang({}, "en") == ""


def test_a_region_without_a_name_in_the_language_keeps_its_official_name() -> None:
    """A French trial read "Castile and León" and "Lower Saxony" among French words: NUTS
    gives a region's official name in its own language, which every language keeps."""
    region = "http://data.europa.eu/nuts/code/ES41"
    names = {"es": "Castilla y León", "en": "Castile and León"}
    assert label_of(region, names, "fr") == "Castilla y León"
    assert label_of(region, names, "en") == "Castile and León"
    assert label_of(region, names, "es") == "Castilla y León"
    assert label_of(region, {"en": "Somewhere"}, "fr") == "Somewhere"
    # a name in Greek letters is not one a reader of the five languages can read
    thessaly = "http://data.europa.eu/nuts/code/EL61"
    assert label_of(thessaly, {"el": "Θεσσαλία", "en": "Thessaly"}, "es") == "Thessaly"
    assert label_of(region, {"pl": "Dolnośląskie", "en": "Lower Silesia"}, "it") == "Dolnośląskie"
    # anything else falls back to English, as before
    theme = "http://example.org/theme/housing"
    assert label_of(theme, {"es": "Vivienda", "en": "Housing"}, "fr") == "Housing"


def _named(names: dict[str, str], alternates: list[str]) -> RecordView:
    alt = [Value(a, a) for a in alternates]
    return RecordView(
        "x", "initiative", "x", names, {}, [], {f"{SCHEMA_NS}alternateName": alt}, [], [], [],
        [], [], None, None, {},
    )  # fmt: skip


def test_the_short_name_is_one_the_name_does_not_already_show() -> None:
    """Titles lead with a record's short name; not one its name shows as written or is in
    other letters, but one its name holds only in other letters (a webmaster's trial got
    CORDIS's "WelcomingSpaces" for WELCOMING SPACES, whose title quotes 'Welcoming Spaces')."""
    spaces = _named(
        {"en": "Investing in 'Welcoming Spaces' in Europe"}, ["WELCOMING SPACES", "WelcomingSpaces"]
    )
    assert spaces.title() == "WELCOMING SPACES: Investing in 'Welcoming Spaces' in Europe"
    assert _named({"en": "CIDOB – Barcelona Centre"}, ["CIDOB"]).acronym() is None
    assert _named({"en": "Sharing Capacity"}, ["SHARING CAPACITY"]).acronym() is None
    assert _named({"en": "Strengthening rural areas"}, ["SHARE SIRA"]).acronym() == "SHARE SIRA"


def test_the_facts_keep_the_order_of_the_record_file(records_dir: Path) -> None:
    """A trial read "Second strand: …" above "First strand: …": a graph keeps no order, so
    each fact carries its place (`schema:position`) and the view lists them by it."""
    path = records_dir / "initiative" / "village-welcome.md"
    steps = ["Zeta step", "Alpha step", "Mu step", "Beta step", "Omega step", "Kappa step"]
    lines = "".join(f'  - {{aspect: method, text: "{s}", source: a}}\n' for s in steps)
    path.write_text(path.read_text().replace("facts:\n", "facts:\n" + lines, 1))
    store = ingested(records_dir)
    v = view(store.current(), base=BASE, kind="initiative", slug="village-welcome")
    assert [c.text for c in v.claims if c.aspect == "method"] == steps
    assert [c.position for c in v.claims] == list(range(1, len(steps) + 3))


def test_a_fact_given_twice_is_one_claim_where_it_first_stands(records_dir: Path) -> None:
    """A review found a repeated fact refused the whole record (two positions on one claim)."""
    path = records_dir / "initiative" / "village-welcome.md"
    lines = (
        '  - {aspect: method, text: "Same step", source: a}\n'
        '  - {aspect: method, text: "Other step", source: a}\n'
        '  - {aspect: method, text: "Same step", source: b}\n'
    )
    path.write_text(path.read_text().replace("facts:\n", "facts:\n" + lines, 1))
    store = ingested(records_dir)
    v = view(store.current(), base=BASE, kind="initiative", slug="village-welcome")
    method = [c for c in v.claims if c.aspect == "method"]
    assert [c.text for c in method] == ["Same step", "Other step"]
    assert sorted(method[0].sources) == ["https://example.org/a", "https://example.org/b"]
