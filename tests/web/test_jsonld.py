"""The schema.org description embedded in record pages, and the citation line."""

import json
from dataclasses import replace
from pathlib import Path

from kg.record_document import view
from tests.conftest import BASE, ingested
from web.jsonld import citation, dataset, dumps, schema_org, website

PAGE = f"{BASE}initiative/village-welcome"


def record(records_dir: Path):  # type: ignore[no-untyped-def]
    store = ingested(records_dir, base=BASE)
    return view(store.current(), base=BASE, kind="initiative", slug="village-welcome")


def test_an_initiative_is_a_schema_org_project_with_its_facts(records_dir: Path) -> None:
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert doc["@type"] == "Project"
    assert doc["@id"] == f"{BASE}id/initiative/village-welcome"
    assert doc["url"] == PAGE
    assert doc["name"] == "Village Welcome"
    assert doc["alternateName"] == ["VW"]
    assert "refugee families" in doc["description"]


def test_the_script_block_cannot_be_closed_by_a_value() -> None:
    text = dumps({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_the_citation_names_the_record_and_its_address(records_dir: Path) -> None:
    line = citation(record(records_dir), page_url=PAGE)
    # named as the page's title names it, acronym first (a trial: the citation dropped it)
    assert line.startswith("“VW: Village Welcome”.")
    assert PAGE in line


#: the properties schema.org gives each type we use (its own and inherited from Thing), as
#: listed on schema.org/Project (an Organization), schema.org/Event and schema.org/WebPage
THING = {"@context", "@type", "@id", "url", "name", "description", "alternateName", "sameAs",
         "identifier", "mainEntityOfPage"}  # fmt: skip
DOMAIN = {
    "Project": THING | {"foundingDate", "dissolutionDate", "location", "areaServed", "member",
                        "funder", "funding", "keywords", "contributor", "contactPoint"},
    "Event": THING | {"startDate", "endDate", "location", "contributor", "funder", "funding",
                      "keywords"},
    "WebPage": THING | {"dateModified", "isBasedOn", "license", "inLanguage"},  # CreativeWork's
}  # fmt: skip


def test_every_property_is_in_its_schema_org_types_domain(records_dir: Path) -> None:
    """A schema.org validator flags a property its type does not have (a Project has no
    `startDate`, no `dateModified`): the dates are the Project's founding and dissolution,
    and what the page changed and is based on is said of the WebPage."""
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert set(doc) <= DOMAIN["Project"], set(doc) - DOMAIN["Project"]
    assert doc["foundingDate"] == "2019-03"
    # the two sources' ends, both, as the page and the record's RDF keep them (a web
    # developer's trial read one end here and two there)
    assert doc["dissolutionDate"] == ["2021-12", "2022-06"]
    page = doc["mainEntityOfPage"]
    assert set(page) <= DOMAIN["WebPage"], set(page) - DOMAIN["WebPage"]
    assert page["@id"] == PAGE
    assert sorted(page["isBasedOn"]) == ["https://example.org/a", "https://example.org/b"]
    # a re-user reads what they may do with it (a trial found no licence on the page)
    assert page["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_funding_programme_is_a_grant_not_an_organisation(records_dir: Path) -> None:
    """What paid for the work is a Grant named by its programme; the programme's own IRI is
    not typed a Grant (AMIF is a programme of many grants)."""
    doc = schema_org(record(records_dir), page_url=PAGE)
    [grant] = doc["funding"]
    assert grant["@type"] == "Grant"
    assert "@id" not in grant
    assert "AMIF" in grant["name"] or "Asylum" in grant["name"]
    assert all(f["@type"] == "Organization" and "@id" in f for f in doc.get("funder", []))


def test_the_citation_is_in_the_pages_language(records_dir: Path) -> None:
    line = citation(record(records_dir), page_url=PAGE, lang="es")
    assert line.startswith("«VW: Village Welcome».")
    assert "registro (Iniciativa)" in line
    assert f"(consultado en {PAGE})" in line
    assert "record" not in line


def test_the_citation_names_the_version_it_cites(records_dir: Path) -> None:
    """A researcher's trial found the record's citation giving a year alone, where the data
    page's names the snapshot and its date: it names the day the record last changed."""
    view = replace(record(records_dir), modified="2026-03-04T05:06:07Z")
    assert ", version of 4 March 2026. " in citation(view, page_url=PAGE)
    assert ", Stand vom 4. März 2026. " in citation(view, page_url=PAGE, lang="de")


def test_the_site_and_its_search_are_a_schema_org_website() -> None:
    site = website("https://example.org/kg/")
    assert site["@type"] == "WebSite"
    action = site["potentialAction"]
    assert action["target"]["urlTemplate"] == "https://example.org/kg/search?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_the_graph_is_a_schema_org_dataset_with_its_downloads() -> None:
    doc = dataset("https://example.org/kg/", "T", "D", [("graph.nq.gz", "application/n-quads", 9)])
    assert doc["@type"] == "Dataset"
    assert doc["@id"] == "https://example.org/kg/.well-known/void#dataset"  # the VoID dataset
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["distribution"] == [
        {
            "@type": "DataDownload",
            "contentUrl": "https://example.org/kg/data/graph.nq.gz",
            "encodingFormat": "application/n-quads",
            "contentSize": "9 B",
        }
    ]


def test_an_event_names_its_organisers_and_how_it_was_attended(records_dir: Path) -> None:
    """An embedder found the 2022 session's Event without `organizer` (the page names two) and
    without `location` (search engines require one; it was online)."""
    record = (
        '---\nname: Online session\nstart: "2022-10-11"\norganisers: [test-ngo]\nonline: true\n'
        "sources: {a: {url: 'https://example.org/s'}}\n---\nA session.\n"
    )
    store = ingested(records_dir, {"event/session": record}, base=BASE)
    doc = schema_org(
        view(store.current(), base=BASE, kind="event", slug="session"), page_url=f"{BASE}event/s"
    )
    assert doc["@type"] == "Event"
    assert doc["organizer"] == [
        {"@type": "Organization", "@id": f"{BASE}id/organisation/test-ngo", "name": "Test NGO"}
    ]
    assert doc["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert doc["location"] == {"@type": "VirtualLocation"}
    # with a page of its own, the online place is that page (Google's Event data requires
    # `location.url` of an online event: a web developer's trial)
    store = ingested(
        records_dir,
        {
            "event/session": record.replace(
                "online: true\n", "online: true\nurl: https://ev.example.org/\n"
            )
        },
        base=BASE,
    )
    doc = schema_org(
        view(store.current(), base=BASE, kind="event", slug="session"), page_url=f"{BASE}event/s"
    )
    assert doc["location"] == {"@type": "VirtualLocation", "url": "https://ev.example.org/"}


def test_the_contact_page_is_the_projects_contact_point(records_dir: Path) -> None:
    """The schema.org description named the practice's website but not its contact page, which
    the page shows under "How to get in touch": it is a ContactPoint, an address and nothing
    personal."""
    path = records_dir / "initiative" / "village-welcome.md"
    contact = "https://village-welcome.example.org/contact"
    path.write_text(
        path.read_text().replace("countries: [ES]", f"countries: [ES]\ncontact_url: {contact}")
    )
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert doc["contactPoint"] == {"@type": "ContactPoint", "url": contact}


def test_a_project_with_a_website_names_it_as_its_url(records_dir: Path) -> None:
    """A web editor's trial read RURITAGE's own website only under `sameAs`, its `url` being
    this site's page: a project is an organisation (schema.org/Project), whose `url` is its
    website; the page stays the `WebPage` the project is the main entity of."""
    path = records_dir / "initiative" / "village-welcome.md"
    site = "https://village-welcome.example.org/"
    path.write_text(path.read_text().replace("countries: [ES]", f"countries: [ES]\nurl: {site}"))
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert doc["url"] == site
    assert doc["mainEntityOfPage"]["@id"] == PAGE


def test_a_place_that_is_one_of_the_records_regions_is_said_once(records_dir: Path) -> None:
    """A webmaster's trial read Carinthia and Vorarlberg twice in MATILDE's description, once
    as its NUTS region and once as a place it names; the region, with its link, is kept."""
    path = records_dir / "initiative" / "village-welcome.md"
    places = "places:\n  - {name: Teruel, country: ES, nuts: ES242, source: a}\n"
    places += "  - {name: Albarracín, country: ES, source: a}\n"
    path.write_text(path.read_text().replace("nuts: [ES242]\n", "nuts: [ES242]\n" + places))
    doc = schema_org(record(records_dir), page_url=PAGE)
    names = [p["name"] for p in doc["location"]]
    assert (names.count("Teruel"), names.count("Albarracín")) == (1, 1)
    [teruel] = [p for p in doc["location"] if p["name"] == "Teruel"]
    assert "ES242" in teruel["sameAs"]
    # on a page in another language too, where the region is named in it (a review found
    # the German page naming Carinthia twice, as "Kärnten" and as the record's "Carinthia")
    path.write_text(
        path.read_text().replace(places, places + "  - {name: Spain, country: ES, source: a}\n")
    )
    spanish = [
        p["name"] for p in schema_org(record(records_dir), page_url=PAGE, lang="es")["location"]
    ]
    assert "España" in spanish
    assert "Spain" not in spanish


def test_a_place_in_one_of_the_records_regions_is_contained_in_it(records_dir: Path) -> None:
    """A webmaster's trial read "Lower Silesia" and "Lower Silesia (Dolnośląskie)" in SHARE
    SIRA's: the NUTS region, linked, and the place the record names in it, not linked. The
    place says it lies in the region (`containedInPlace`, with the link), which is not listed
    again; a region no place lies in is listed as before."""
    path = records_dir / "initiative" / "village-welcome.md"
    places = "places:\n  - {name: Sierra de Albarracín, country: ES, nuts: ES242, source: a}\n"
    path.write_text(path.read_text().replace("nuts: [ES242]\n", "nuts: [ES242]\n" + places))
    doc = schema_org(record(records_dir), page_url=PAGE)
    teruel = [p for p in doc["location"] if "ES242" in p.get("sameAs", "")]
    assert teruel == []
    [place] = [p for p in doc["location"] if p["name"] == "Sierra de Albarracín"]
    assert "ES242" in place["containedInPlace"]["sameAs"]
    assert place["containedInPlace"]["name"] == "Teruel"
    # the place gone, the region is listed on its own again
    path.write_text(path.read_text().replace(places, ""))
    doc = schema_org(record(records_dir), page_url=PAGE)
    assert [p["name"] for p in doc["location"] if "ES242" in p.get("sameAs", "")] == ["Teruel"]


def test_a_page_in_another_language_describes_the_record_in_it(records_dir: Path) -> None:
    """A webmaster's trial: the French page's schema.org said the record in English, and
    named the English page (the bare address) as the page it is the main entity of."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "sources:\n", 'descriptions:\n  fr: "Un village accueille des familles."\nsources:\n', 1
        ),
        encoding="utf-8",
    )
    french = schema_org(record(records_dir), page_url=PAGE, address=f"{PAGE}?lang=fr", lang="fr")
    assert french["description"] == "Un village accueille des familles."
    assert french["mainEntityOfPage"]["@id"] == f"{PAGE}?lang=fr"
    assert french["mainEntityOfPage"]["inLanguage"] == "fr"
    assert (french["@id"], french["url"]) == (f"{BASE}id/initiative/village-welcome", PAGE)
    # a language the record has no text in: the English one, as the page shows
    german = schema_org(record(records_dir), page_url=PAGE, address=f"{PAGE}?lang=de", lang="de")
    assert "refugee families" in german["description"]
    # the keywords and places as the page names them, in its language (a trial read English
    # keywords and "Greece" on the French page)
    english = schema_org(record(records_dir), page_url=PAGE)
    assert french["keywords"] != english["keywords"]
    assert "Logement" in french["keywords"]
    assert "Housing" in english["keywords"]
    assert "Wohnen" in german["keywords"]
