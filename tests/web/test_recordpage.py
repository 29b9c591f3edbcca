"""A record's facts grouped for its page, concepts linked to their browse pages."""

import re
from pathlib import Path

import pytest

from kg.errors import NotFound
from kg.record_document import view
from tests.conftest import BASE, ingested
from tests.web.conftest import client_of
from web.i18n import lang_attr
from web.recordpage import CODES, check, concept_href, grouped


def test_concepts_countries_and_regions_link_to_browse_pages() -> None:
    assert concept_href("https://w3id.org/rikg/scheme/theme/housing") == "/browse/theme/housing"
    country = "http://publications.europa.eu/resource/authority/country/ESP"
    assert concept_href(country) == "/browse/country/ESP"
    assert concept_href("http://data.europa.eu/nuts/code/ES242") == "/browse/nuts/ES242"
    assert concept_href("https://example.org/elsewhere") is None


def test_groups_hold_only_facts_the_record_has_in_page_order(records_dir: Path) -> None:
    store = ingested(records_dir, base=BASE)
    v = view(store.current(), base=BASE, kind="initiative", slug="village-welcome")
    groups = dict(grouped(v))
    assert list(groups)[:2] == ["What", "Where"]
    themes = dict(groups["What"])["Themes"]
    assert {t.href for t in themes} == {
        "/browse/theme/housing",
        "/browse/theme/depopulation-revitalisation",
    }
    assert all(rows for rows in groups.values())


@pytest.mark.parametrize(
    ("kind", "slug"),
    [("initiative", "../etc"), ("initiative", "A"), ("initiative", "a--b"), ("secret", "x")],
)
def test_addresses_that_cannot_name_a_record_are_not_found(kind: str, slug: str) -> None:
    with pytest.raises(NotFound):
        check(kind, slug)
    check("initiative", "village-welcome")


def test_a_type_code_is_named_in_every_interface_language(records_dir: Path) -> None:
    store = ingested(records_dir, base=BASE)
    v = view(store.current(), base=BASE, kind="organisation", slug="test-ngo")
    (kind,) = dict(dict(grouped(v))["What"])["Type of organisation"]
    assert kind.value == "ngo"
    assert [kind.label_in(lang) for lang in ("en", "es", "it", "de", "fr")] == [
        "NGO",
        "ONG",
        "ONG",
        "NGO",
        "ONG",
    ]
    assert CODES.keys() >= {"university", "municipality", "local-action-group", "company"}


def test_a_name_in_another_language_than_the_page_says_its_language(records_dir: Path) -> None:
    """An accessibility audit heard a Dutch title read with English rules (WCAG 2.1 SC 3.1.2):
    a record's name carries its own language where it is not the page's."""
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace("---\nname: ", "---\nname_lang: de\nname: ", 1))
    store = ingested(records_dir, base=BASE)
    with client_of(store, base=BASE, follow_redirects=True) as c:
        english = c.get("/initiative/village-welcome").text
        german = c.get("/initiative/village-welcome", params={"lang": "de"}).text
    assert re.search(r'<h1 lang="de">', english)
    assert "<h1>" in german  # the page's own language: nothing to say
    assert lang_attr("", "en") == "" == lang_attr("de-AT", "de")
    assert lang_attr("nl", "en") == ' lang="nl"'


def test_a_cordis_projects_page_quotes_cordis_and_names_regions_by_code(
    records_dir: Path, tmp_path: Path
) -> None:
    """A CORDIS project's description is its objective as CORDIS publishes it; a data
    steward's trial read "Written in our own words" over it. A curated record still says it."""
    import shutil

    from ingest.cordis import ingest_cordis
    from tests.conftest import DATA

    export = Path(shutil.copytree(DATA / "cordis" / "csv", tmp_path / "export"))
    project_csv = export / "project.csv"
    text = project_csv.read_text(encoding="utf-8-sig")
    said = "A fictional project used by the tests on farm work in hill villages."
    assert said in text
    longer = f"{said} It has a method. It has results, which the page shows under Description."
    project_csv.write_text(text.replace(said, longer), encoding="utf-8")
    welcome = (records_dir / "initiative" / "village-welcome.md").read_text()
    curated_text = welcome.rstrip() + " Families stay. The village school stays open.\n"
    store = ingested(records_dir, {"initiative/long-welcome": curated_text}, base=BASE)
    ingest_cordis(store, export, base=BASE)
    with client_of(store, base=BASE) as client:
        cordis = client.get("/initiative/cordis-990000102?lang=de").text
        curated = client.get("/initiative/long-welcome").text
        region = client.get("/browse/nuts/DE92")
    assert region.status_code == 200
    assert "/initiative/cordis-990000102" in region.text
    assert "The village school stays open" in curated
    assert "It has results" in cordis
    # an organisation's NUTS code outside the scheme: its code, not its address, linked to
    # its browse page, which lists the records in it
    assert '<a class="chip" href="/browse/nuts/DE92?lang=de">DE92</a>' in cordis
    assert '<a class="chip" href="/browse/nuts/ES242?lang=de">Teruel</a>' in cordis
    assert "Das Projektziel, wie es CORDIS veröffentlicht" in cordis
    assert "eigenen Worten" not in cordis
    assert "Written in our own words" in curated
    assert "objective as published by CORDIS" not in curated
