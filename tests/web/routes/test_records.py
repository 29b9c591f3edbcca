import html
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SH

from kg.settings import PROJECT_ROOT
from kg.vocab import RIKG, SCHEMA
from tests.conftest import ingested
from tests.web.conftest import BASE, client_of
from web.practice import BUDGET_KINDS

REC = URIRef("http://testserver/id/initiative/village-welcome")


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html", "/initiative/village-welcome"),
        ("text/turtle", "/initiative/village-welcome.ttl"),
        ("application/n-triples", "/initiative/village-welcome.nt"),
        ("application/ld+json", "/initiative/village-welcome.jsonld"),
        ("application/rdf+xml", "/initiative/village-welcome.rdf"),
        ("text/html;q=0.5, text/turtle;q=0.9", "/initiative/village-welcome.ttl"),
        ("application/rdf+xml;q=0.2, */*;q=0.1", "/initiative/village-welcome.rdf"),
    ],
)
def test_uri_303_by_accept(client: TestClient, accept: str, location: str) -> None:
    r = client.get("/id/initiative/village-welcome", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == location
    assert "Accept" in r.headers["vary"]


def test_a_record_page_sends_an_rdf_client_to_its_data_document(client: TestClient) -> None:
    """A crawler asking a record's page (not its IRI) for Turtle or JSON-LD got the HTML page,
    which no RDF parser reads: the page answers as the IRI does, 303 to the data document,
    even after a browser's request has put the page in the cache; browsers, `*/*` and no
    Accept get the page, which says it varies by Accept."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/initiative/village-welcome", headers={"Accept": browser})
    assert page.status_code == 200
    assert "Accept" in [v.strip() for v in page.headers["vary"].split(",")]
    for accept, ext in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
        r = client.get(
            "/initiative/village-welcome", headers={"Accept": accept}, follow_redirects=False
        )
        assert (r.status_code, r.headers["location"]) == (303, f"/initiative/village-welcome.{ext}")
        followed = client.get(
            "/initiative/village-welcome", headers={"Accept": accept}, follow_redirects=True
        )
        assert followed.headers["content-type"].startswith(accept)
        assert REC in {s for s, _, _ in Graph().parse(data=followed.text, format=accept)}
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        r = client.get("/initiative/village-welcome", headers=headers, follow_redirects=False)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
    assert (
        client.get("/initiative/no-such-thing", headers={"Accept": "text/turtle"}).status_code
        == 404
    )


def test_uri_303_reads_every_accept_line(client: TestClient) -> None:
    """Two `Accept` lines are one list (RFC 9110 §5.3): JSON-LD at q=0.9 wins over Turtle at
    q=0.3 in the second line, as it does in one line."""
    two = [("Accept", "text/turtle;q=0.3"), ("Accept", "application/ld+json;q=0.9")]
    r = client.get("/id/initiative/village-welcome", headers=two)
    assert (r.status_code, r.headers["location"]) == (303, "/initiative/village-welcome.jsonld")


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        # Firefox's and Chromium's usual Accept for a page and for an image
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
        "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        "image/avif,image/webp,*/*;q=0.8",
    ],
)
def test_uri_without_a_preference_or_from_a_browser_goes_to_the_page(
    client: TestClient, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get("/id/initiative/village-welcome", headers=headers)
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome"


@pytest.mark.parametrize(
    "accept", ["image/png", "text/html;q=0", "application/pdf", "text/html;q=0, image/*"]
)
def test_uri_answers_406_when_nothing_offered_is_acceptable(
    client: TestClient, accept: str
) -> None:
    """RFC 9110 §12.5.1 / §15.5.7: a client that accepts none of the page and the data
    documents (or refuses the page with q=0) is told so and what there is, as VoID does, not
    sent to the page it refused."""
    for method in (client.get, client.head):
        r = method("/id/initiative/village-welcome", headers={"Accept": accept})
        assert r.status_code == 406, (method, accept)
        assert "location" not in r.headers
    body = client.get("/id/initiative/village-welcome", headers={"Accept": accept}).json()
    assert body["error"] == "NotAcceptable"
    for media in ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml"):
        assert media in body["message"]


@pytest.mark.parametrize(
    ("media", "ext"), [("application/trig", "trig"), ("application/n-quads", "nq")]
)
def test_a_record_as_a_dataset_keeps_each_statement_in_its_graph(
    client: TestClient, media: str, ext: str
) -> None:
    """A researcher's trial asked a record's IRI for N-Quads and got 406: the record is a named
    graph of the dataset, with its provenance, and its document holds labels from other graphs
    (a scheme's, a linked record's). In TriG and N-Quads each statement is in the graph the
    store holds it in, and what the document says of itself is in the default graph; the same
    statements as the Turtle document."""
    r = client.get("/id/initiative/village-welcome", headers={"Accept": media})
    assert (r.status_code, r.headers["location"]) == (303, f"/initiative/village-welcome.{ext}")
    doc = client.get(r.headers["location"])
    assert doc.headers["content-type"].startswith(media)
    data = Dataset()
    data.parse(data=doc.text, format={"nq": "nquads"}.get(ext, ext))
    record = URIRef("http://testserver/graph/initiative/village-welcome")
    assert (REC, SCHEMA.name, Literal("Village Welcome", lang="en"), record) in data
    org = URIRef("http://testserver/id/organisation/test-ngo")
    org_graph = URIRef("http://testserver/graph/organisation/test-ngo")
    assert (org, SCHEMA.name, Literal("Test NGO", lang="en"), org_graph) in data
    assert (record, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None, record) in data
    page = URIRef("http://testserver/initiative/village-welcome")
    primary = URIRef("http://xmlns.com/foaf/0.1/primaryTopic")
    assert (page, primary, REC, DATASET_DEFAULT_GRAPH_ID) in data
    turtle = Graph().parse(data=client.get("/initiative/village-welcome.ttl").text, format="ttl")
    assert {(s, p, o) for s, p, o, _ in data.quads()} == set(turtle)
    page_html = client.get("/initiative/village-welcome").text
    assert f'href="/initiative/village-welcome.{ext}"' in page_html


@pytest.mark.parametrize(
    ("ext", "fmt"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_documents_parse_with_labels_and_provenance(client: TestClient, ext: str, fmt: str) -> None:
    r = client.get(f"/initiative/village-welcome.{ext}")
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format=fmt)
    assert (REC, SCHEMA.name, Literal("Village Welcome", lang="en")) in g
    org = URIRef("http://testserver/id/organisation/test-ngo")
    assert (org, SCHEMA.name, Literal("Test NGO", lang="en")) in g  # label of a linked record
    graph = URIRef("http://testserver/graph/initiative/village-welcome")
    assert (graph, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None) in g
    # the document says what it is about and under which licence (a harvester trial)
    doc = URIRef("http://testserver/initiative/village-welcome")
    assert (doc, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), REC) in g
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (doc, URIRef("http://purl.org/dc/terms/license"), licence) in g
    assert r.headers["etag"]
    assert r.headers["last-modified"]


def test_etag_gives_304(client: TestClient) -> None:
    etag = client.get("/initiative/village-welcome.ttl").headers["etag"]
    r = client.get("/initiative/village-welcome.ttl", headers={"If-None-Match": etag})
    assert r.status_code == 304


def test_unknown_slug_404_html_and_json(client: TestClient) -> None:
    html = client.get("/id/initiative/no-such", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert "Not found" in html.text
    # a search box holding the words of the address
    assert '<form action="/search" method="get" role="search"' in html.text
    assert 'name="q" type="search" value="no such"' in html.text
    data = client.get("/initiative/no-such.ttl", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert data.json()["error"] == "NotFound"


def test_traversal_in_slug_is_refused(client: TestClient) -> None:
    assert client.get("/initiative/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_page_shows_facts_sources_and_disagreement(client: TestClient) -> None:
    r = client.get("/initiative/village-welcome")
    assert r.status_code == 200
    text = r.text
    assert "<h1>VW: Village Welcome</h1>" in text  # as titled everywhere: short name first
    assert "Sources disagree" in text
    assert "11 villages" in text
    assert "8 villages" in text
    assert 'href="/organisation/test-ngo"' in text
    assert 'href="https://example.org/a"' in text
    assert 'rel="alternate" type="application/json+oembed"' in text


def test_disputed_dates_are_written_as_the_page_language_writes_dates(
    client: TestClient,
) -> None:
    """A trial read "2018-09 contre 2018-10" in the French list of what sources disagree on."""
    page = client.get("/initiative/village-welcome?lang=fr").text
    listed = re.search(r'<section class="facts" id="disagreements">.*?</section>', page, re.S)
    assert listed is not None
    assert "décembre 2021" in listed.group(0)
    assert "juin 2022" in listed.group(0)
    assert "2021-12" not in listed.group(0)


def test_a_page_and_its_embed_card_name_the_licence(client: TestClient) -> None:
    """A re-user (and their tools) finds what they may do with the record: a trial found no
    licence on the page or the embed card (HTML `rel=license`)."""
    licence = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
    page = client.get("/initiative/village-welcome?lang=fr").text
    assert licence in page
    assert licence in client.get("/embed/initiative/village-welcome").text
    # and said where a person reads it (a re-trial found only the hidden link)
    assert 'réutilisés sous la licence <a rel="license" href=' in page


def test_page_embeds_schema_org_project(client: TestClient) -> None:
    text = client.get("/initiative/village-welcome").text
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert raw is not None
    doc = json.loads(raw.group(1))
    assert doc["@type"] == "Project"
    assert doc["name"] == "Village Welcome"
    assert doc["description"].startswith("A test initiative")
    assert {p["name"] for p in doc["location"]} >= {"Spain"}


def test_the_uri_keeps_the_language_on_its_303(client: TestClient) -> None:
    r = client.get("/id/initiative/village-welcome?lang=es", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome?lang=es"
    page = client.get(r.headers["location"])
    assert '<html lang="es">' in page.text
    # not one of ours, or a data document: nothing to carry
    plain = client.get("/id/initiative/village-welcome?lang=xx", headers={"Accept": "text/html"})
    assert plain.headers["location"] == "/initiative/village-welcome"
    ttl = client.get("/id/initiative/village-welcome?lang=es", headers={"Accept": "text/turtle"})
    assert ttl.headers["location"] == "/initiative/village-welcome.ttl"


def test_the_oembed_discovery_link_is_absolute_and_names_the_language(client: TestClient) -> None:
    def discovery(html: str) -> str:
        found = re.search(
            r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html
        )
        assert found is not None
        return found.group(1).replace("&amp;", "&")

    es = discovery(client.get("/initiative/village-welcome?lang=es").text)
    assert es == (
        "http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Finitiative%2Fvillage-welcome"
        "%3Flang%3Des&format=json"
    )
    body = client.get(es.removeprefix("http://testserver")).json()
    assert 'src="http://testserver/embed/initiative/village-welcome?lang=es"' in body["html"]
    plain = discovery(client.get("/initiative/village-welcome").text)
    assert plain == (
        "http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Finitiative%2Fvillage-welcome"
        "&format=json&lang=en"
    )


def test_the_json_ld_document_is_compacted_and_says_what_the_turtle_says(
    client: TestClient,
) -> None:
    """A script or a person reads `schema:name` and `@type` under a context of the graph's
    prefixes, not the expanded form (a researcher found "a plain list of 124 nodes with no
    @context"); it holds the same triples as the Turtle document."""
    r = client.get("/initiative/village-welcome.jsonld")
    doc = json.loads(r.text)
    assert doc["@context"]["schema"] == "http://schema.org/"
    record = next(n for n in doc["@graph"] if n["@id"] == str(REC))
    assert "rikg:Initiative" in record["@type"]
    assert "schema:name" in record
    turtle = client.get("/initiative/village-welcome.ttl").content
    # term for term, as written ("…Z" stays "…Z": rdflib alone would write "…+00:00")
    assert set(ox.parse(r.content, ox.RdfFormat.JSON_LD)) == set(
        ox.parse(turtle, ox.RdfFormat.TURTLE)
    )


def test_the_303_carries_a_note_and_its_freshness(client: TestClient) -> None:
    """RFC 9110 §15.4.4: a 303 ought to hold a short hypertext note linking where it leads
    (a `curl` of an identifier printed nothing); RFC 9111 §3: a shared cache stores it only
    with explicit freshness (every identifier on the pages links through one)."""
    r = client.get("/id/initiative/village-welcome", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["location"] == "/initiative/village-welcome"
    assert r.headers["content-type"].startswith("text/html")
    assert '<a href="/initiative/village-welcome">' in r.text
    assert "max-age=" in r.headers["cache-control"]
    head = client.head("/id/initiative/village-welcome")
    assert head.status_code == 303
    assert head.content == b""


def test_a_title_leads_with_the_acronym_people_know(client: TestClient) -> None:
    """A web developer's trial found "SHARE SIRA" in no title or link preview."""
    page = client.get("/initiative/village-welcome").text
    assert "<title>VW: Village Welcome — " in page
    assert '<meta property="og:title" content="VW: Village Welcome">' in page
    card = client.get("/oembed", params={"url": "http://testserver/initiative/village-welcome"})
    assert card.json()["title"] == "VW: Village Welcome"
    # the embed card's heading too: at 150 pixels wide it showed only "Migration…" of MATILDE
    embedded = client.get("/embed/initiative/village-welcome").text
    assert 'rel="noopener">VW: Village Welcome</a></h1>' in embedded
    # a record without one keeps its name alone
    assert "<title>Test NGO — " in client.get("/organisation/test-ngo").text


def test_oembed_discovery_names_the_language_the_page_is_in(client: TestClient) -> None:
    """A consumer following the discovery link sends no Accept-Language: from a page in
    Spanish by the browser's language it got an English card."""
    page = client.get("/initiative/village-welcome", headers={"Accept-Language": "es"}).text
    link = re.search(r'type="application/json\+oembed" href="([^"]+)"', page)
    assert link is not None
    assert "lang%3Des" in link.group(1)
    english = client.get("/initiative/village-welcome", headers={"Accept-Language": "en"}).text
    discovery = english.split('json+oembed" href="', 1)[1].split('"', 1)[0]
    assert "lang%3D" not in discovery  # the page's address names no language
    # but the card is English, whatever language the consumer's server asks for (code review)
    card = client.get(html.unescape(discovery), headers={"Accept-Language": "de"}).json()
    assert "?lang=en" in card["html"]


def test_every_kind_of_amount_the_shapes_allow_has_a_name() -> None:
    shapes = Graph().parse(PROJECT_ROOT / "ontology" / "shapes.ttl")
    [allowed] = [
        [str(v) for v in Collection(shapes, shapes.value(prop, SH["in"]))]
        for prop in shapes.subjects(SH.path, RIKG.amountKind)
    ]
    assert sorted(allowed) == sorted(BUDGET_KINDS)


def test_a_budget_says_what_each_amount_is_in_the_page_language(records_dir: Path) -> None:
    """A trial's Spanish page showed "900.000,00 € (amif-first-wing)": the record's own word."""
    path = records_dir / "initiative" / "village-welcome.md"
    budget = (
        "budget:\n  - {amount: 1000, label: erdf, source: a}\n"
        "  - {amount: 250, label: own-contribution, source: a}"
    )
    path.write_text(path.read_text().replace("countries: [ES]", f"countries: [ES]\n{budget}"))
    with client_of(ingested(records_dir, base=BASE)) as c:
        page = c.get("/initiative/village-welcome?lang=es").text
    assert "1.000,00\xa0€ (FEDER)" in page
    assert "250,00\xa0€ (aportación propia)" in page


def test_a_description_in_another_language_than_the_page_says_which(records_dir: Path) -> None:
    """A contributed practice described in French led its English and German pages with no word
    that it was French; an English description on a German page is said with the facts'
    notice, not in a second one."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    front, _, _ = text.rpartition("---\n")
    french = "Un village accueille des familles réfugiées dans ses maisons vides."
    path.write_text(
        front.replace("countries: [ES]", f'countries: [ES]\ndescriptions:\n  fr: "{french}"')
        + "---\n"
    )
    with client_of(ingested(records_dir, base=BASE)) as c:
        en, de, fr = (
            c.get(f"/initiative/village-welcome?lang={lang}").text for lang in ("en", "de", "fr")
        )
    assert f'<p class="lede" lang="fr">{french}</p>' in en
    assert "This description is in French; your browser can translate it." in en
    assert "Diese Beschreibung ist auf Französisch; Ihr Browser kann sie übersetzen." in de
    assert "Die folgenden Angaben sind auf Englisch verfasst" in de  # the facts: still said
    assert 'id="description-language"' not in fr
    path.write_text(text)  # described in English again
    with client_of(ingested(records_dir, base=BASE)) as c:
        de = c.get("/initiative/village-welcome?lang=de").text
        en = c.get("/initiative/village-welcome?lang=en").text
    assert 'id="description-language"' not in de
    assert "Diese Beschreibung und die folgenden Angaben sind auf Englisch verfasst" in de
    assert 'id="description-language"' not in en
    assert "written in English" not in en


def test_what_sources_disagree_on_keeps_the_case_of_its_label(records_dir: Path) -> None:
    """A German trial read "Hinweis zum budget" in the list of what sources disagree on: the
    label's first letter was raised and every other letter lowered."""
    path = records_dir / "initiative" / "village-welcome.md"
    notes = (
        '  - {aspect: budget-note, text: "counted per year", source: a, conflict: money}\n'
        '  - {aspect: budget-note, text: "counted in all", source: b, conflict: money}\n'
    )
    path.write_text(path.read_text().replace("facts:\n", "facts:\n" + notes))
    with client_of(ingested(records_dir, base=BASE)) as c:
        page = c.get("/initiative/village-welcome?lang=de").text
    listed = re.search(r'<section class="facts" id="disagreements">.*?</section>', page, re.S)
    assert listed is not None
    assert "Hinweis zum Budget" in listed.group(0)
    assert "Hinweis zum budget" not in listed.group(0)


def test_an_organisations_website_is_offered_as_how_to_get_in_touch(records_dir: Path) -> None:
    """A German trial looked for "Kontakt" on an organisation's page and found its website
    under "Links"; with no website of its own the box stays "Links"."""
    (records_dir / "organisation" / "valley-council.md").write_text(
        "---\nname: Valley Council\norg_type: municipality\ncountry: AT\n"
        'url: "https://valley.example.org/"\n'
        'sources:\n  a: {url: "https://example.org/valley"}\n---\n'
    )
    store = ingested(records_dir, base=BASE)
    with client_of(store, base=BASE, follow_redirects=True) as c:
        page = c.get("/organisation/valley-council", params={"lang": "de"}).text
        without = c.get("/organisation/test-ngo").text
    box = page.split('id="contact"', 1)[1].split("</div>", 1)[0]
    assert "<h2>Kontakt</h2>" in box
    assert "valley.example.org" in box
    assert "How to get in touch" not in without


def test_a_kinds_address_without_a_name_lists_its_records(records_dir: Path) -> None:
    """A link checker and a person shortening `/initiative/camini` to `/initiative/` got 404:
    the address of a kind leads to the search listing that kind, in the page's language."""
    with client_of(ingested(records_dir, base=BASE)) as client:
        for kind in ("initiative", "organisation", "policy", "event", "source"):
            for cut in (f"/{kind}", f"/id/{kind}"):  # an address, an identifier
                r = client.get(cut, follow_redirects=False)
                assert (r.status_code, r.headers["location"]) == (303, f"/search?kind={kind}")
        r = client.get("/initiative/", params={"lang": "fr"})
        assert r.status_code in (303, 308)
        listed = client.get("/initiative/?lang=fr", follow_redirects=True)
        assert listed.status_code == 200
        assert str(listed.url).endswith("/search?kind=initiative&lang=fr")
        assert "/initiative/village-welcome" in listed.text
        assert client.get("/nothing").status_code == 404


def test_a_kinds_identifier_in_other_letters_leads_to_its_listing(records_dir: Path) -> None:
    """`/id/Initiative` (a link written with a capital, as `/id/Initiative/MATILDE` is
    redirected) had been 404: 308 to the lower-case identifier, the query kept, then 303 to
    the listing; a word naming no kind stays 404."""
    with client_of(ingested(records_dir, base=BASE)) as client:
        r = client.get("/id/Initiative", params={"lang": "de"}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (308, "/id/initiative?lang=de")
        r = client.get("/id/ORGANISATION/", follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (308, "/id/organisation/")
        listed = client.get("/id/Initiative", params={"lang": "de"}, follow_redirects=True)
        assert str(listed.url).endswith("/search?kind=initiative&lang=de")
        assert "/initiative/village-welcome" in listed.text
        assert client.get("/id/Nothing").status_code == 404


def test_a_kinds_identifier_asked_for_rdf_lists_its_records_in_rdf(records_dir: Path) -> None:
    """`/id/initiative` asked for Turtle had led an RDF client to the HTML search: it is 303
    to the SPARQL endpoint's answer listing every initiative with its classes and names, in
    the format the client asks for; the HTML listing stays for browsers, `Vary: Accept` on
    both, and an `Accept` neither can give is 406."""
    with client_of(ingested(records_dir, base=BASE)) as client:
        r = client.get("/id/initiative", headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/sparql?query=")
        assert "Accept" in r.headers["vary"]
        browser = client.get("/id/initiative", headers={"Accept": "text/html"})
        assert browser.headers["location"] == "/search?kind=initiative"
        assert "Accept" in browser.headers["vary"]
        for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
            answer = client.get(r.headers["location"], headers={"Accept": accept})
            assert answer.headers["content-type"].startswith(accept)
            listed = Graph().parse(data=answer.text, format=fmt)
            welcome = URIRef(f"{BASE}id/initiative/village-welcome")
            assert (welcome, RIKG.kind, Literal("initiative")) in listed
            assert any(listed.objects(welcome, SCHEMA.name))
            assert set(listed.subjects()) == set(listed.subjects(RIKG.kind, None))
            assert all("/id/initiative/" in str(s) for s in listed.subjects(RIKG.kind, None))
        refused = client.get("/id/initiative", headers={"Accept": "image/png"})
        assert refused.status_code == 406


def test_a_disputed_value_keeps_its_sources_and_mark_together(records_dir: Path) -> None:
    """A country one source adds against another (`conflict` on the value): its chip, its
    source and its "disputed" mark are one piece of the line, so the mark never reads as the
    next value's (Tolgmodellen's funders wrapped so), and the other countries carry none."""
    path = records_dir / "initiative" / "village-welcome.md"
    text = path.read_text()
    assert "countries: [ES]\n" in text
    path.write_text(
        text.replace(
            "countries: [ES]\n",
            "countries:\n  - {value: ES, source: a}\n"
            "  - {value: PT, source: b, conflict: villages}\n",
        )
    )
    with client_of(ingested(records_dir, base=BASE)) as c:
        page = c.get("/initiative/village-welcome").text
    held = re.findall(r'<span class="held">(.*?)</span> ', page)
    assert len(held) == 1, held
    assert "Portugal" in held[0]
    assert 'class="disputed"' in held[0]
    assert 'href="#src-' in held[0]
    spain = page.split(">Spain</a>", 1)[1].split("</dd>", 1)[0].split('class="chip"', 1)[0]
    assert "disputed" not in spain
