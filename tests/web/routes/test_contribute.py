"""`/contribute` and `/moderate` in-process: the form, the queue, moderation, hostile input."""

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import format_date
from fastapi.testclient import TestClient

from cli.contribute import checker, publisher
from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from tests.conftest import ingested
from web.app import create_app

BASE = "http://testserver/"
EMAIL = "ana.private@example.org"
DESCRIPTION = (
    "Desde 2019 familias refugiadas se instalan en pueblos de Teruel con vivienda vacía, "
    "empleo local y el apoyo de Test NGO. Financiado por el AMIF con 120.000 euros."
)
FORM = {
    "name": "Raíces Nuevas",
    "description": DESCRIPTION,
    "text_lang": "es",
    "sources": "https://example.org/raices",
    "contact_name": "Ana",
    "contact_email": EMAIL,
    "consent": "yes",
}


@pytest.fixture
def app_dirs(records_dir: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    settings = Settings.from_env(
        {
            "KG_BASE_URI": BASE,
            "KG_STORE": "memory",
            "KG_ADMIN_TOKEN": "moderator-token",
            "KG_CONTRIBUTE_PER_HOUR": "3",
        },
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        queue_dir=tmp_path / "queue",
        contrib_dir=tmp_path / "contributed",
        records_dir=records_dir,
    )
    store = ingested(records_dir, base=BASE)
    search = SearchService(store, settings, embedder=HashEmbedder())
    app = create_app(settings, store=store, publish=publisher(settings, store), search=search)
    with TestClient(app, follow_redirects=False) as c:
        yield c, settings


@pytest.fixture
def client(app_dirs: tuple[TestClient, Settings]) -> TestClient:
    return app_dirs[0]


def send(client: TestClient, lang: str = "es", **changes: str) -> tuple[int, str]:
    r = client.post(f"/contribute?lang={lang}", data={**FORM, "step": "send", **changes})
    return r.status_code, r.text


class Fields(HTMLParser):
    """The form's controls as a browser shows them: inputs by id, ticked suggestions, texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.ticked: set[str] = set()
        self.boxes: set[str] = set()
        self.texts: dict[str, str] = {}
        self.described: dict[str, str | None] = {}
        self._open: tuple[str, str] | None = None  # (id, tag) of the element whose text is read
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") == "chosen" and a.get("type") == "checkbox":
            self.boxes.add(a["value"] or "")
            if "checked" in a:
                self.ticked.add(a["value"] or "")
        elif tag == "input" and a.get("id"):
            self.inputs[a["id"] or ""] = a
        if tag in ("input", "textarea", "select") and a.get("id"):
            self.described[a["id"] or ""] = a.get("aria-describedby")
        if tag in ("textarea", "div", "p") and a.get("id"):
            self._open = (a["id"] or "", tag)
            self.texts[self._open[0]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[1]:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open[0]] += data


def summary(html: str) -> list[tuple[str, str]]:
    """(field id, message) of each link in the error summary at the top of the form."""
    box = re.search(r'<div class="errors".*?</div>', html, re.S)
    assert box is not None, "no error summary"
    links = re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', box.group(0))
    return [(field, unescape(message)) for field, message in links]


def pending(client: TestClient) -> list[str]:
    html = client.get("/moderate", headers={"Authorization": "Bearer moderator-token"}).text
    # the first section, "Pending"; the decided ones are listed (and linked) in the next
    waiting = html.split("<h2>")[1]
    return re.findall(r'href="/moderate/([0-9a-f-]+)"', waiting)


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Contribute a practice"),
        ("es", "Contribuir con una práctica"),
        ("it", "Segnala una pratica"),
        ("de", "Eine Praxis beitragen"),
        ("fr", "Proposer une pratique"),
    ],
)
def test_the_form_speaks_five_languages(client: TestClient, lang: str, title: str) -> None:
    html = client.get(f"/contribute?lang={lang}").text
    assert f"<h1>{title}</h1>" in html
    assert 'name="leave_empty"' in html  # the honeypot is there, hidden from people
    assert 'name="website"' not in html  # a name browsers fill in for their user


@pytest.mark.parametrize(
    ("lang", "hint"), [("en", "80 to 20,000 characters."), ("es", "De 80 a 20.000 caracteres.")]
)
def test_the_description_says_its_length_limit(client: TestClient, lang: str, hint: str) -> None:
    blank = client.get(f"/contribute?lang={lang}").text
    page = Fields(blank)
    assert page.texts["description-hint"] == hint
    textarea = re.search(r'<textarea id="description"[^>]*>', blank)
    assert textarea is not None
    assert "maxlength" not in textarea.group()  # a browser would cut a long paste silently
    status, html = send(client, lang, description="Too short.")
    assert status == 422
    page = Fields(html)
    assert page.texts["description-hint"] == hint
    assert page.described["description"] == "description-hint description-error"


def test_suggest_shows_the_structure_to_correct(client: TestClient) -> None:
    r = client.post("/contribute?lang=es", data={**FORM, "step": "suggest"})
    assert r.status_code == 200
    boxes = dict(re.findall(r'name="chosen" value="([^"]+)"( checked)?', r.text))
    assert "nuts:ES242" in boxes
    assert "countries:ES" in boxes
    assert "partners:test-ngo" in boxes
    assert "funding:amif" in boxes
    assert "start:2019" in boxes
    assert "Vivienda" in r.text  # concept labels in the interface language
    assert pending(client) == []  # suggesting stores nothing


def test_send_queues_and_the_moderator_publishes(client: TestClient) -> None:
    chosen = ["countries:ES", "nuts:ES242", "partners:test-ngo"]
    second = "Cada familia tiene una mentora del pueblo.\r\nLas clases son por la tarde."
    form = {**FORM, "description": f"{DESCRIPTION}\r\n\r\n{second}"}
    before = datetime.now(UTC).date()
    r = client.post("/contribute?lang=es", data={**form, "step": "send", "chosen": chosen})
    assert r.status_code == 303
    assert r.headers["location"].startswith("/contribute/thanks?ref=")
    thanks_url = r.headers["location"]
    waiting = client.get(thanks_url).text
    assert "Gracias" in waiting
    # which practice, sent when, and where it stands (a French trial's page named none of them)
    days = {format_date(d, format="long", locale="es") for d in (before, datetime.now(UTC).date())}
    assert any(f"Enviada el {day}: {FORM['name']}" in waiting for day in days)
    assert "Estado: pendiente de revisión." in waiting
    (sub_id,) = pending(client)
    auth = {"Authorization": "Bearer moderator-token"}
    item = client.get(f"/moderate/{sub_id}", headers=auth).text
    assert EMAIL in item  # the moderator sees who to ask
    assert "- ES242" in item
    assert "- test-ngo" in item
    r = client.post(f"/moderate/{sub_id}", data={"action": "accept"}, headers=auth)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/moderate?done=published+initiative/raices-nuevas"
    # the thank-you page's address now says what was decided (a trial's still said "saved")
    thanks = client.get(thanks_url).text
    assert "Tu práctica se ha revisado y publicado" in thanks  # in the language sent in
    assert "pendiente de revisión" not in thanks
    assert 'href="/initiative/raices-nuevas?lang=es"' in thanks
    page = client.get("/initiative/raices-nuevas")
    assert page.status_code == 200
    assert "Contributed on" in page.text
    # its paragraphs stay paragraphs (a trial's two had run together)
    assert '<p lang="es">Cada familia tiene una mentora del pueblo. Las clases' in page.text
    # the description is the contributor's text, not "written in our own words" (a trial)
    assert "Written by the person who contributed the practice" in page.text
    assert "Written in our own words" not in page.text
    assert (
        client.get("/api/search", params={"q": "Raíces Nuevas"}).json()["results"][0]["slug"]
        == "raices-nuevas"
    )
    # the contributor's e-mail is nowhere public
    for url in ("/initiative/raices-nuevas", "/initiative/raices-nuevas.ttl", "/search?q=ana"):
        assert EMAIL not in client.get(url).text
    sparql = client.get("/sparql", params={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"})
    assert sparql.status_code == 200
    assert EMAIL not in sparql.text
    assert "Ana" not in sparql.text


def test_the_practices_own_website_and_contact_page_are_published(client: TestClient) -> None:
    # typed as people write them: without the scheme, with spaces around
    form = {
        **FORM,
        "practice_url": " www.raices.example.org/proyecto ",
        "practice_contact": "raices.example.org/contacto",
        "step": "send",
        "chosen": ["countries:ES"],
    }
    r = client.post("/contribute?lang=es", data=form)
    assert r.status_code == 303, r.text
    (sub_id,) = pending(client)
    auth = {"Authorization": "Bearer moderator-token"}
    r = client.post(f"/moderate/{sub_id}", data={"action": "accept"}, headers=auth)
    assert r.status_code == 303, r.text
    page = client.get("/initiative/raices-nuevas?lang=es").text
    contact = page.split('id="contact"', 1)[1].split("</section>", 1)[0]
    assert 'href="https://www.raices.example.org/proyecto"' in contact
    assert 'href="https://raices.example.org/contacto"' in contact
    turtle = client.get("/initiative/raices-nuevas.ttl").text
    assert "<https://www.raices.example.org/proyecto>" in turtle
    assert "<https://raices.example.org/contacto>" in turtle


@pytest.mark.parametrize(
    ("website", "contact_page"),
    [
        ("mailto:ana.private@example.org", "https://ana:secret@raices.example.org/contacto"),
        ("https://raices.example.org/a b", "https://raices.example.org/?email=ana@example.org"),
        ("https://", "raices"),
        ("www.raices-nuevas", "mailto:info@raices.example.org"),  # no domain ending; an e-mail
    ],
)
def test_a_website_that_is_not_one_public_address_is_refused(
    client: TestClient, website: str, contact_page: str
) -> None:
    status, html = send(client, practice_url=website, practice_contact=contact_page)
    assert status == 422
    for name, said in (("practice_url", "El sitio web"), ("practice_contact", "La página de")):
        error = re.search(rf'<div class="field-error" id="{name}-error">(.*?)</div>', html, re.S)
        assert error is not None, name
        assert said in error.group(1)
        assert f'href="#{name}"' in html  # in the summary, linked to the field
    fields = Fields(html).inputs  # everything typed is kept
    assert unescape(fields["practice_url"]["value"] or "") == website
    assert pending(client) == []


def test_a_refused_address_says_what_to_give_instead(client: TestClient) -> None:
    """A trial's "www.creuse-accueil" was refused without naming what it lacked, and an
    organisation's e-mail in the contact field without saying none is published."""
    html = send(
        client, practice_url="www.raices-nuevas", practice_contact="mailto:info@raices.org"
    )[1]
    website = re.search(r'id="practice_url-error">(.*?)</div>', html, re.S)
    contact = re.search(r'id="practice_contact-error">(.*?)</div>', html, re.S)
    assert website is not None
    assert contact is not None
    assert "terminación de su dominio (https://www.example.org)" in website.group(1)
    assert "ni siquiera la de una organización" in unescape(contact.group(1))
    # a name without a domain ending the Public Suffix List knows: a Spanish trial's
    # "www.raices" was accepted and published as https://www.raices
    for address in ("www.raices", "https://localhost/contacto", "https://co.uk/"):
        html = send(client, practice_url=address, practice_contact=address)[1]
        assert 'id="practice_url-error"' in html, address
        assert 'id="practice_contact-error"' in html, address
    assert send(client, practice_url="raices.es", practice_contact="https://raices.es/c")[0] == 303


def test_a_moderator_sees_refusals_and_can_reject(client: TestClient) -> None:
    assert send(client)[0] == 303
    (sub_id,) = pending(client)
    auth = {"Authorization": "Bearer moderator-token"}
    bad = client.get(f"/moderate/{sub_id}", headers=auth)
    text = re.search(r'<textarea id="record_text"[^>]*>(.*?)</textarea>', bad.text, re.S)
    assert text is not None
    broken = "---\nname: Raíces Nuevas\nthemes: [not-a-theme]\nsources: {a: {url: 'https://e.org'}}\n---\nx\n"
    r = client.post(
        f"/moderate/{sub_id}", data={"action": "accept", "record_text": broken}, headers=auth
    )
    assert r.status_code == 422
    assert "themes" in r.text
    assert client.get("/initiative/raices-nuevas").status_code == 404
    r = client.post(
        f"/moderate/{sub_id}", data={"action": "reject", "reason": "not rural"}, headers=auth
    )
    assert r.status_code == 303
    assert pending(client) == []


def test_moderation_needs_the_token(client: TestClient) -> None:
    assert send(client)[0] == 303
    assert "Admin token" in client.get("/moderate").text  # the sign-in form, no list
    (sub_id,) = pending(client)
    r = client.get(f"/moderate/{sub_id}")  # to the sign-in form, and back afterwards
    assert (r.status_code, r.headers["location"]) == (303, f"/moderate?next=%2Fmoderate%2F{sub_id}")
    r = client.post(f"/moderate/{sub_id}", data={"action": "accept"})
    assert r.status_code == 303
    assert len(pending(client)) == 1
    assert client.post("/moderate/login", data={"token": "wrong"}).status_code == 403
    r = client.post("/moderate/login", data={"token": "moderator-token"})
    assert r.status_code == 303
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert "httponly" in r.headers["set-cookie"].lower()
    assert client.get(f"/moderate/{sub_id}").status_code == 200  # the cookie signs in


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": DESCRIPTION + "<script>alert(1)</script>"}, "HTML tags"),
        ({"name": "<img src=x onerror=alert(1)>"}, "HTML tags"),
        ({"description": "x" * 20_001}, "too long"),
        ({"description": "Too short."}, "at least a few sentences"),
        ({"sources": "javascript:alert(1)"}, "http://"),
        # no source: a moderator could not accept it (a trial's proposal stuck so)
        ({"sources": " \n"}, "at least one link where the practice is described"),
        ({"sources": "\n".join(f"https://e.org/{i}" for i in range(11))}, "at most 10"),
        ({"contact_email": "not-an-email"}, "e-mail"),
        ({"consent": ""}, "CC BY 4.0"),
    ],
)
def test_hostile_or_broken_submissions_are_refused_clearly(
    client: TestClient, changes: dict[str, str], message: str
) -> None:
    assert send(client)[0] == 303  # a good one already waits
    status, html = send(client, "en", **changes)
    assert status == 422
    assert message in html.replace("&lt;", "<")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert len(pending(client)) == 1  # nothing stored, nothing lost


@pytest.mark.parametrize("lang", ["en", "es"])
def test_refused_markup_is_shown_as_text_and_the_page_stays_whole(
    client: TestClient, lang: str
) -> None:
    status, html = send(
        client, lang, name="<b>Raíces</b>", description=DESCRIPTION + " <script>alert(1)</script>"
    )
    assert status == 422
    assert "<script" not in html  # neither the message nor the user's text opens a script
    assert "&lt;script&gt;" in html  # the message names the tag, as text
    assert '<form class="contribute"' in html
    assert '<footer class="site">' in html
    assert "alert(1)&lt;/script&gt;</textarea>" in html  # the user's text is kept, escaped


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({"consent": ""}, ["consent"]),
        ({"contact_email": "lucia@correo"}, ["contact_email"]),
        ({"contact_email": "lucia@correo", "consent": ""}, ["contact_email", "consent"]),
    ],
)
def test_a_refused_send_comes_back_at_the_review_with_everything_kept(
    client: TestClient, changes: dict[str, str], refused: list[str]
) -> None:
    chosen = ["countries:ES", "partners:test-ngo"]  # the contributor unticked the rest
    r = client.post(
        "/contribute?lang=en", data={**FORM, "step": "send", "chosen": chosen, **changes}
    )
    assert r.status_code == 422
    page = Fields(r.text)
    assert page.ticked == set(chosen)
    assert {"nuts:ES242", "funding:amif"} <= page.boxes  # still there to tick again
    assert page.texts["description"] == DESCRIPTION
    assert page.inputs["contact_name"]["value"] == "Ana"
    assert page.inputs["contact_email"]["value"] == changes.get("contact_email", EMAIL)
    assert ("checked" in page.inputs["consent"]) == ("consent" not in changes)
    assert [field for field, _ in summary(r.text)] == refused  # each linked to its field
    for field, message in summary(r.text):
        assert message in page.texts[f"{field}-error"]  # and said again next to it
        assert page.inputs[field]["aria-describedby"] == f"{field}-error"
        assert page.inputs[field]["aria-invalid"] == "true"
    assert pending(client) == []


def test_a_refused_form_opens_at_what_is_wrong(client: TestClient) -> None:
    """A refused form opened at its top, the browser finding no element for the fragment its
    button's answer opens at (an accessibility trial): the list of what is wrong takes that
    place, `#suggestions` for a suggest, `#problems` for a send; a sent form's thanks page
    has a fragment of its own, not the send's."""
    first = client.get("/contribute").text
    assert re.search(r'<button id="send"[^>]*formaction="/contribute#problems"', first) is None
    suggest = client.post("/contribute", data={**FORM, "step": "suggest", "description": "x"})
    assert suggest.status_code == 422
    assert '<div class="errors" role="alert" id="suggestions" tabindex="-1">' in suggest.text
    review = client.post("/contribute", data={**FORM, "step": "suggest"})
    assert re.search(r'<button id="send"[^>]*formaction="/contribute#problems"', review.text)
    # and the second step's title says it is the second (the first's is the form's alone)
    assert "<title>What we read in your description — Contribute a practice — " in review.text
    assert "<title>Contribute a practice — " in first
    send = client.post("/contribute", data={**FORM, "step": "send", "consent": ""})
    assert send.status_code == 422
    assert '<div class="errors" role="alert" id="problems" tabindex="-1">' in send.text
    assert send.text.count('id="problems"') == 1
    sent = client.post("/contribute", data={**FORM, "step": "send", "chosen": ["countries:ES"]})
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("#thanks")
    assert '<h1 id="thanks">' in client.get(sent.headers["location"]).text


def test_a_refused_send_keeps_every_suggestion_unticked(client: TestClient) -> None:
    r = client.post("/contribute?lang=en", data={**FORM, "step": "send", "consent": ""})
    assert r.status_code == 422
    page = Fields(r.text)
    assert page.boxes
    assert page.ticked == set()


def test_a_send_without_a_readable_description_keeps_the_contact_and_choices(
    client: TestClient,
) -> None:
    r = client.post(
        "/contribute?lang=en",
        data={**FORM, "step": "send", "description": "Too short.", "chosen": ["countries:ES"]},
    )
    assert r.status_code == 422
    page = Fields(r.text)
    assert page.inputs["contact_email"]["value"] == EMAIL
    assert "checked" in page.inputs["consent"]
    assert 'type="hidden" name="chosen" value="countries:ES"' in r.text
    assert [field for field, _ in summary(r.text)] == ["description"]


@pytest.mark.parametrize(
    ("lang", "missing", "invalid"),
    [
        ("en", "Give an e-mail address", "The e-mail address is not valid"),
        ("es", "Indica un correo electrónico", "La dirección de correo electrónico no es válida"),
        ("it", "Indica un indirizzo e-mail", "L'indirizzo e-mail non è valido"),
        ("de", "Geben Sie eine E-Mail-Adresse an", "Die E-Mail-Adresse ist ungültig"),
        ("fr", "Indiquez une adresse e-mail", "L'adresse e-mail n'est pas valide"),
    ],
)
def test_a_missing_and_an_invalid_email_are_told_apart(
    client: TestClient, lang: str, missing: str, invalid: str
) -> None:
    for email, said, not_said in (("lucia@correo", invalid, missing), ("", missing, invalid)):
        status, html = send(client, lang, contact_email=email)
        assert status == 422
        message = dict(summary(html))["contact_email"]
        assert said in message
        assert not_said not in message


def test_every_problem_is_shown_at_once_and_bad_links_are_named(client: TestClient) -> None:
    sources = "https://example.org/ok\njavascript:alert(1)\n\nftp://files.example.org/r\n"
    long_link = "https://example.org/" + "a" * 500
    status, html = send(
        client,
        "en",
        description=DESCRIPTION + " <b>bold</b>",
        sources=sources + long_link,
    )
    assert status == 422
    assert summary(html) == [
        ("description", "Please write plain text: HTML tags such as <script> are not accepted."),
        (
            "sources",
            "Line 2 of the source links, “javascript:alert(1)”, is not a web address "
            "starting with http:// or https://.",
        ),
        (
            "sources",
            "Line 4 of the source links, “ftp://files.example.org/r”, is not a web address "
            "starting with http:// or https://.",
        ),
        ("sources", "Line 5 of the source links is longer than 500 characters."),
    ]


def test_honeypot_and_flood_are_refused(client: TestClient) -> None:
    status, html = send(client, leave_empty="http://spam.example")
    assert status == 400
    assert "program" in html
    for n in range(3):
        assert send(client, description=f"{DESCRIPTION} ({n})")[0] == 303
    status, html = send(client, description=f"{DESCRIPTION} (3)")
    assert status == 429
    assert len(pending(client)) == 3
    # the form again, in the page's language, everything typed kept, saying when to send
    ((field, message),) = summary(html)
    assert field == "send"
    assert re.fullmatch(
        r"Has enviado tantas prácticas como se puede en una hora\. Todo lo que has escrito se "
        r"conserva abajo: podrás enviarlo dentro de (60|59) min\.",
        message,
    ), message
    assert "retry" not in html
    page = Fields(html)
    assert page.texts["description"] == f"{DESCRIPTION} (3)"
    assert page.inputs["contact_name"]["value"] == "Ana"
    assert page.inputs["contact_email"]["value"] == EMAIL
    assert "checked" in page.inputs["consent"]
    assert re.search(r"<button id=\"send\"[^>]*>Enviar para revisión", html)  # to press later


def test_paths_from_users_never_reach_the_disk(client: TestClient) -> None:
    auth = {"Authorization": "Bearer moderator-token"}
    for bad in ("..%2F..%2Fetc%2Fpasswd", "20260101-zzzzzzzzzzzz", "x" * 50):
        assert client.get(f"/moderate/{bad}", headers=auth).status_code in (400, 404)
    assert send(client, name="../../etc/passwd")[0] == 303
    (sub_id,) = pending(client)
    r = client.post(f"/moderate/{sub_id}", data={"action": "accept"}, headers=auth)
    assert r.headers["location"] == "/moderate?done=published+initiative/etc-passwd"


@pytest.mark.parametrize(
    ("field", "text", "shown"),
    [
        ("description", DESCRIPTION + " Contacto: ana.beltran@raices.es", "ana.beltran@raices.es"),
        ("description", DESCRIPTION + " Teléfono 600 123 456.", "600 123 456"),
        ("description", DESCRIPTION + " Llamar al +34 975 12 34 56.", "+34 975 12 34 56"),
        ("name", "Raíces Nuevas (info@raices.es)", "info@raices.es"),
    ],
)
def test_contact_details_in_published_text_are_refused(
    client: TestClient, field: str, text: str, shown: str
) -> None:
    status, html = send(client, **{field: text})
    assert status == 422
    page = Fields(html)
    assert shown in page.texts[f"{field}-error"]
    assert "publica" in page.texts[f"{field}-error"]  # says why, in Spanish
    # and where the contact goes, by the section's name: on the first step it is not "below"
    assert "«Sobre ti»" in page.texts[f"{field}-error"]
    assert pending(client) == []
    # a grant number, an amount and years are not telephone numbers
    ok = DESCRIPTION + " Subvención 101004535, 2.999.750 euros, 2019-2022."
    assert send(client, description=ok)[0] == 303


@pytest.mark.parametrize("step", ["suggest", "send"])
def test_nothing_is_suggested_from_a_description_to_be_rewritten(
    client: TestClient, step: str
) -> None:
    """The refusal alone, not suggestions read from the text it asks to change; at the send
    step the contributor's choices are kept for when the text is sent again."""
    text = DESCRIPTION + " Contacto: ana.beltran@raices.es"
    data = {**FORM, "description": text, "step": step, "chosen": ["countries:ES"]}
    r = client.post("/contribute?lang=en", data=data)
    assert r.status_code == 422
    page = Fields(r.text)
    assert [field for field, _ in summary(r.text)] == ["description"]
    assert page.boxes == set()
    assert "What we read in your description" not in r.text
    assert ('type="hidden" name="chosen" value="countries:ES"' in r.text) == (step == "send")
    fixed = client.post("/contribute?lang=en", data={**data, "description": DESCRIPTION})
    if step == "suggest":  # the rewritten text is read
        assert "countries:ES" in Fields(fixed.text).boxes
    else:  # and sent with the choices kept
        assert fixed.status_code == 303
        assert len(pending(client)) == 1


def test_the_contributors_own_name_is_kept_out_of_the_description(client: TestClient) -> None:
    status, html = send(
        client, contact_name="Ana Beltrán", description=DESCRIPTION + " Lo coordina Ana Beltrán."
    )
    assert status == 422
    assert "tu propio nombre" in Fields(html).texts["description-error"]
    assert pending(client) == []


def test_sending_the_same_practice_twice_stores_it_once(client: TestClient) -> None:
    first = client.post("/contribute?lang=es", data={**FORM, "step": "send"})
    # a double click or a reload: the same thank-you page, nothing said of a second send (a
    # trial's double click was told "we had already received this practice")
    double = client.post("/contribute?lang=es", data={**FORM, "step": "send"})
    assert double.headers["location"] == first.headers["location"]
    assert len(pending(client)) == 1
    # sent again later: said so
    queue = client.app.state.queue  # type: ignore[attr-defined]
    (sub,) = queue.list("pending")
    queue._write(replace(sub, submitted="2026-01-01T10:00:00+00:00"))
    again = client.post("/contribute?lang=es", data={**FORM, "step": "send"})
    assert first.headers["location"].split("&")[0] == again.headers["location"].split("&")[0]
    assert "again=1" in again.headers["location"]
    assert "no se ha guardado dos veces" in client.get(again.headers["location"]).text
    assert len(pending(client)) == 1


def test_thanks_for_an_unknown_reference_is_not_found(client: TestClient) -> None:
    r = client.get("/contribute/thanks?ref=nonsense&lang=es")
    assert r.status_code == 404
    assert "guardada" not in r.text


def test_a_description_over_the_limit_is_refused_and_kept(client: TestClient) -> None:
    long = DESCRIPTION + " x" * 11_000
    status, html = send(client, description=long)
    assert status == 422
    page = Fields(html)
    assert "20.000" in page.texts["description-error"]
    assert page.texts["description"].strip() == long.strip()  # nothing typed is lost


@pytest.mark.parametrize("at", ["@", "%40"])
def test_an_e_mail_address_in_a_source_link_is_refused(client: TestClient, at: str) -> None:
    leaky = f"https://www.ejemplo.es/contacto?email=juan.garcia{at}gmail.com"
    status, html = send(client, "en", sources=f"https://example.org/raices\n{leaky}")
    assert status == 422
    assert summary(html) == [
        (
            "sources",
            "Line 2 of the source links holds an e-mail address (juan.garcia@gmail.com), which "
            "would be published with the link: give the page's address without it.",
        )
    ]
    assert pending(client) == []


def test_a_user_name_and_password_in_a_source_link_are_refused(client: TestClient) -> None:
    """Not read as the e-mail address `secret@example.org`: the form says what it is."""
    status, html = send(client, "en", sources="https://ana:secret@example.org/raices")
    assert status == 422
    assert summary(html) == [
        (
            "sources",
            "Line 1 of the source links holds a user name or password before the website's "
            "name, which would be published with the link: give the page's public address.",
        )
    ]
    assert pending(client) == []


def test_a_link_typed_without_https_is_taken_as_one(client: TestClient) -> None:
    """An Italian trial's "www.gal-test.it" was refused as "not a web address starting with
    http:// or https://", which is how many people type a link: it is read as https."""
    status, _ = send(client, "it", sources="www.gal-test.it\ncomune.esempio.it/progetto")
    assert status == 303
    item = client.get(
        f"/moderate/{pending(client)[0]}", headers={"Authorization": "Bearer moderator-token"}
    ).text
    assert "https://www.gal-test.it" in item
    assert "https://comune.esempio.it/progetto" in item
    status, html = send(client, "en", sources="not a link")
    assert status == 422
    assert "“not a link”, is not a web address" in html


def test_a_profile_link_with_at_is_a_source(client: TestClient) -> None:
    status, _ = send(client, "en", sources="https://medium.com/@anna")
    assert status == 303


def test_a_first_name_that_is_also_a_place_does_not_block_the_description(
    client: TestClient,
) -> None:
    about = (
        "A San Marco in Lamis, in Puglia, dal 2018 famiglie rifugiate vivono nelle case vuote "
        "del centro storico e lavorano nelle aziende agricole del Gargano."
    )
    status, _ = send(client, "it", contact_name="Marco", description=about, text_lang="it")
    assert status == 303
    status, html = send(
        client, "it", contact_name="Marco Rossi", description=about + " Lo coordina Marco Rossi."
    )
    assert status == 422
    assert [field for field, _ in summary(html)] == ["description"]


@pytest.mark.parametrize(
    ("lang", "link", "said"),
    [
        ("en", "https://", "“https://”, names no website after http:// or https://."),
        (
            "en",
            "https://uckermark landkreis.de/lotsen",
            "“https://uckermark landkreis.de/lotsen”, has a space in it: a web address has none.",
        ),
        ("es", "https://", "«https://», no indica ningún sitio web después de http:// o https://."),
        ("en", "https://[", "“https://[”, names no website after http:// or https://."),
        # a name with no domain ending the Public Suffix List knows (a trial's was published)
        (
            "en",
            "https://www.raices/proyecto",
            "“https://www.raices/proyecto”, has no domain ending (.org, .es, .eu …)",
        ),
        ("es", "http://192.168.1.10/informe", "no tiene terminación de dominio (.org, .es, .eu …)"),
    ],
)
def test_a_broken_link_is_told_what_is_wrong_with_it(
    client: TestClient, lang: str, link: str, said: str
) -> None:
    status, html = send(client, lang, sources=f"https://example.org/raices\n{link}")
    assert status == 422
    ((field, message),) = summary(html)
    assert field == "sources"
    assert said in message


def test_save_reports_the_name_clash_that_accept_would(
    app_dirs: tuple[TestClient, Settings],
) -> None:
    client, settings = app_dirs
    client.app.state.check_record = checker(settings)  # type: ignore[attr-defined]
    auth = {"Authorization": "Bearer moderator-token"}
    assert send(client)[0] == 303
    assert send(client, contact_email="otra@example.org", description=DESCRIPTION + " Y más.")[0]
    first, second = pending(client)
    assert client.post(f"/moderate/{first}", data={"action": "accept"}, headers=auth).is_redirect
    saved = client.post(f"/moderate/{second}", data={"action": "save"}, headers=auth)
    assert "No problem found" not in saved.text
    assert "a contributed record initiative/raices-nuevas exists already" in saved.text
    curated = client.get(f"/moderate/{second}", headers=auth).text
    text = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", curated, re.S).group(1))  # type: ignore[union-attr]
    renamed = re.sub(r"(?m)^name: .*$", "name: Village Welcome", text)
    saved = client.post(
        f"/moderate/{second}", data={"action": "save", "record_text": renamed}, headers=auth
    )
    assert "a record initiative/village-welcome exists already" in saved.text


def test_save_refuses_a_country_or_region_the_graph_does_not_know(
    app_dirs: tuple[TestClient, Settings],
) -> None:
    client, settings = app_dirs
    client.app.state.check_record = checker(settings)  # type: ignore[attr-defined]
    auth = {"Authorization": "Bearer moderator-token"}
    chosen = ["countries:ES", "nuts:ES242"]
    client.post("/contribute?lang=es", data={**FORM, "step": "send", "chosen": chosen})
    (sub_id,) = pending(client)
    page = client.get(f"/moderate/{sub_id}", headers=auth).text
    text = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))  # type: ignore[union-attr]
    assert "- ES242" in text
    for old, new, said in (
        ("- ES242", "- ES999", "nuts: ES999 is not in ontology/schemes/nuts.ttl"),
        ("- ES ", "- US ", "countries: US is not in ontology/schemes/countries.ttl"),
    ):
        saved = client.post(
            f"/moderate/{sub_id}",
            data={"action": "save", "record_text": text.replace(old, new)},
            headers=auth,
        )
        assert said in saved.text
        assert "No problem found" not in saved.text
        accepted = client.post(
            f"/moderate/{sub_id}",
            data={"action": "accept", "record_text": text.replace(old, new)},
            headers=auth,
        )
        assert accepted.status_code == 422
        assert said in accepted.text


def test_suggest_again_keeps_what_the_contributor_ticked_and_unticked(client: TestClient) -> None:
    first = client.post("/contribute?lang=es", data={**FORM, "step": "suggest"})
    page = Fields(first.text)
    assert {"countries:ES", "nuts:ES242"} <= page.ticked  # confident: pre-ticked
    unticked = "countries:ES"
    chosen = sorted(page.ticked - {unticked})
    again = client.post(
        "/contribute?lang=es",
        data={
            **FORM,
            "description": DESCRIPTION + " Las familias llegan de Siria.",
            "step": "suggest",
            "chosen": chosen,
            "shown": sorted(page.boxes),
        },
    )
    now = Fields(again.text)
    assert unticked in now.boxes
    assert unticked not in now.ticked  # still unticked
    assert "nuts:ES242" in now.ticked  # still ticked


def test_a_refused_send_then_suggest_again_keeps_what_was_unticked(client: TestClient) -> None:
    """A French trial's send was refused (its own name in the description): the suggestions
    left the page, and after "Suggest again" on the corrected text every untick was undone."""
    first = Fields(client.post("/contribute?lang=es", data={**FORM, "step": "suggest"}).text)
    unticked = "countries:ES"
    assert unticked in first.ticked
    data = {**FORM, "chosen": sorted(first.ticked - {unticked}), "shown": sorted(first.boxes)}
    refused = client.post(
        "/contribute?lang=es",
        data={
            **data,
            "step": "send",
            "contact_name": "Ana Beltrán",
            "description": DESCRIPTION + " Lo coordina Ana Beltrán.",
        },
    )
    assert refused.status_code == 422
    hidden = {
        name: re.findall(rf'type="hidden" name="{name}" value="([^"]+)"', refused.text)
        for name in ("chosen", "shown")
    }
    assert sorted(hidden["shown"]) == sorted(first.boxes)
    again = Fields(
        client.post(
            "/contribute?lang=es",
            data={**FORM, "step": "suggest", "contact_name": "Ana Beltrán", **hidden},
        ).text
    )
    assert unticked in again.boxes
    assert unticked not in again.ticked
    assert first.ticked - {unticked} <= again.ticked


def test_switching_language_on_the_suggestions_keeps_what_was_typed(client: TestClient) -> None:
    link = re.compile(r'<a href="[^"]*" lang="de" hreflang="de"')
    first = client.post("/contribute?lang=es", data={**FORM, "step": "suggest"})
    switch = re.search(r'<button form="contribute" formaction="([^"]+)"[^>]*>Deutsch<', first.text)
    assert switch is not None, "the language switcher does not send the form"
    assert 'id="contribute"' in first.text
    assert not link.search(first.text)  # no link that would drop what was typed
    page = Fields(first.text)
    # what a browser sends on pressing "Deutsch": the form, to the button's formaction
    chosen = sorted(page.ticked - {"countries:ES"})
    data = {**FORM, "step": "suggest", "chosen": chosen, "shown": sorted(page.boxes)}
    german = client.post(unescape(switch.group(1)), data=data)
    assert german.status_code == 200
    assert "<h1>Eine Praxis beitragen</h1>" in german.text
    now = Fields(german.text)
    assert now.texts["description"] == DESCRIPTION
    assert now.inputs["contact_name"]["value"] == "Ana"
    assert now.inputs["contact_email"]["value"] == EMAIL
    assert "countries:ES" not in now.ticked
    assert "nuts:ES242" in now.ticked


@pytest.mark.parametrize("lang", ["en", "de", "es"])
def test_the_consent_sentence_is_one_piece_beside_its_box(client: TestClient, lang: str) -> None:
    """The label is a flex row: the sentence's text and its licence link were three flex items,
    set as three columns in German on a desktop and Spanish on a phone."""
    page = client.post(f"/contribute?lang={lang}", data={**FORM, "step": "suggest"}).text
    label = re.search(r'<label class="check"><input id="consent"[^>]*>(.*?)</label>', page, re.S)
    assert label is not None
    assert re.fullmatch(r"\s*<span>[^<]*<a [^>]*>CC BY 4\.0</a>[^<]*</span>", label.group(1))


def test_the_required_fields_say_so(client: TestClient) -> None:
    """The sources were required by the browser but not marked: a practitioner learnt it only
    when sending."""
    page = client.get("/contribute", params={"lang": "es"}).text
    for field in ("description", "sources"):
        label = re.search(rf'<label for="{field}">(.*?)</label>', page, re.S)
        assert label is not None, field
        assert "(obligatorio)" in label.group(1), field
    name = re.search(r'<label for="name">(.*?)</label>', page, re.S)
    assert name is not None
    assert "(obligatorio)" not in name.group(1)


def test_switching_language_before_the_suggestions_keeps_what_was_typed(
    client: TestClient,
) -> None:
    """A re-trial typed the first step in Spanish, pressed "Deutsch" and got an empty German
    form: the switcher of the first page was a plain link."""
    empty = client.get("/contribute?lang=es").text
    button = re.search(
        r'<button form="contribute" formaction="([^"]+)"[^>]*value="edit"[^>]*>Deutsch<', empty
    )
    assert button is not None, "the first page's switcher does not send the form"
    data = {k: FORM[k] for k in ("name", "description", "text_lang", "sources")}
    german = client.post(unescape(button.group(1)), data={**data, "step": "edit"})
    assert german.status_code == 200
    assert "<h1>Eine Praxis beitragen</h1>" in german.text
    now = Fields(german.text)
    assert now.texts["description"] == DESCRIPTION
    assert now.texts["sources"].strip() == FORM["sources"]
    assert 'class="field-error"' not in german.text  # nothing was checked yet
    assert 'class="errors"' not in german.text
    assert pending(client) == []


def test_a_country_and_a_theme_the_text_does_not_name_can_be_chosen(client: TestClient) -> None:
    """Two trials' texts named villages of the Creuse and no country: the practice would have
    had no place. The review step offers every country and theme to choose from."""
    review = client.post("/contribute?lang=es", data={**FORM, "step": "suggest"}).text
    assert '<details class="add" id="add-countries">' in review
    box = '<input type="checkbox" name="added" value="countries:FR"> Francia</label>'
    assert box in review  # in the page's language
    assert '<input type="checkbox" name="added" value="themes:education">' in review
    # several of one field at once (an Italian trial could add one theme of two)
    added = ["countries:FR", "countries:ZZ", "themes:education", "themes:employment", ""]
    r = client.post("/contribute?lang=es", data={**FORM, "step": "send", "added": added})
    assert r.status_code == 303
    (sub_id,) = pending(client)
    page = client.get(f"/moderate/{sub_id}", headers={"Authorization": "Bearer moderator-token"})
    text = unescape(page.text)
    assert "  - FR  # suggestion 1.00: Francia (chosen by the contributor)" in text
    assert "  - education  # suggestion 1.00:" in text
    assert "  - employment  # suggestion 1.00:" in text
    assert "ZZ" not in text


def test_a_choice_from_the_lists_is_kept_when_suggesting_again(client: TestClient) -> None:
    again = client.post(
        "/contribute?lang=es",
        data={**FORM, "step": "suggest", "shown": "themes:housing", "added": "countries:FR"},
    ).text
    assert '<input type="checkbox" name="added" value="countries:FR" checked> Francia' in again
    assert '<details class="add" id="add-countries" open><summary>País (1)</summary>' in again


def test_a_suggested_amount_is_written_as_the_page_language_writes_money(
    client: TestClient,
) -> None:
    """A trial's French form offered "€45,000", written the English way."""
    review = client.post("/contribute?lang=es", data={**FORM, "step": "suggest"}).text
    assert 'value="budget:120000" checked> 120.000,00\xa0€ <span class="muted">' in review
    assert "€120,000" not in review


def test_invisible_characters_of_a_paste_are_not_kept(client: TestClient) -> None:
    """A trial's pasted text kept a byte order mark, a zero-width space and a tab into the
    queue, and so into the record a moderator would publish."""
    pasted = "\ufeffDesde 2019\u200b familias\trefugiadas" + DESCRIPTION.removeprefix(
        "Desde 2019 familias refugiadas"
    )
    r = client.post(
        "/contribute?lang=es",
        data={**FORM, "description": pasted, "name": "Raíces\u200b Nuevas\t", "step": "send"},
    )
    assert r.status_code == 303
    (sub_id,) = pending(client)
    sub = client.app.state.queue.get(sub_id)  # type: ignore[attr-defined]
    assert sub.description == DESCRIPTION
    assert sub.name == "Raíces Nuevas"
    assert not any(ch in sub.record_text for ch in "\ufeff\u200b\t")


def test_an_address_written_out_in_words_is_refused_by_the_form(client: TestClient) -> None:
    """A data steward's trial published "Mail g.verborgen at testtal dot at for details."."""
    status, html = send(
        client, "en", description=DESCRIPTION + " Mail g.verborgen at testtal dot at."
    )
    assert status == 422
    assert "g.verborgen at testtal dot at" in Fields(html).texts["description-error"]
    assert pending(client) == []
    status, _ = send(client, "en", description=DESCRIPTION + " Meet at the town hall at noon.")
    assert status == 303


def test_countries_people_come_from_are_offered_unticked(client: TestClient) -> None:
    """A trial's "refugees from Syria and Ukraine" pre-ticked Ukraine; the practice's own
    country stays ticked."""
    text = (
        "Since 2019 refugees from Syria and Ukraine settle in villages of Teruel, Spain, with "
        "empty housing and local jobs."
    )
    page = Fields(client.post("/contribute", data={**FORM, "description": text}).text)
    assert "countries:UA" in page.boxes
    assert "countries:UA" not in page.ticked
    assert "countries:ES" in page.ticked
