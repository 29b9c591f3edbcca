"""`/moderate`: moderators sign in with the admin token, edit a contributed draft, accept it (the
publisher gets the text and both dates) or reject it; refusals are shown with their reasons and
nothing is published. The publisher here is a stand-in that records what it was given."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.errors import RecordError, ValidationFailed
from kg.moderation import Submission
from kg.search import SearchService
from kg.search.embed import HashEmbedder
from kg.settings import Settings
from kg.store import LocalStore
from tests.conftest import ingested
from web.app import create_app
from web.i18n import day

TOKEN = "moderator-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
DRAFT = "---\nname: Raíces Nuevas\n---\nFamilies settle in villages.\n"


class Publisher:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.refuse: ValidationFailed | None = None

    def __call__(
        self, text: str, *, contributed_on: str, reviewed_on: str, restore: bool = False
    ) -> str:
        if self.refuse is not None:
            raise self.refuse
        self.calls.append((text, contributed_on, reviewed_on))
        self.restored = restore
        return "initiative/raices-nuevas"


class Withdrawer:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, record: str) -> None:
        self.calls.append(record)


def make_client(
    tmp_path: Path,
    publish: Publisher,
    store: LocalStore | None = None,
    withdraw: Withdrawer | None = None,
    **env: str,
) -> TestClient:
    settings = Settings.from_env(
        {"KG_BASE_URI": "http://testserver/", "KG_STORE": "memory", **env},
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        queue_dir=tmp_path / "queue",
    )
    graph = store or LocalStore(None)
    search = SearchService(graph, settings, embedder=HashEmbedder())
    app = create_app(
        settings, store=graph, publish=publish, withdraw=withdraw or Withdrawer(), search=search
    )
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def publish() -> Publisher:
    return Publisher()


@pytest.fixture
def client(tmp_path: Path, publish: Publisher) -> Iterator[TestClient]:
    with make_client(tmp_path, publish, KG_ADMIN_TOKEN=TOKEN) as c:
        yield c


def submit(client: TestClient, contact_name: str = "", contact_email: str = "") -> Submission:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    sub: Submission = queue.submit(
        description="Families settle in villages.",
        record_text=DRAFT,
        lang="en",
        sources=["https://example.org/raices"],
        contact_name=contact_name,
        contact_email=contact_email,
    )[0]
    return sub


def test_sign_in_starts_a_session_in_a_strict_cookie(client: TestClient) -> None:
    r = client.post("/moderate/login", data={"token": TOKEN})
    assert (r.status_code, r.headers["location"]) == (303, "/moderate")
    cookie = r.headers["set-cookie"]
    assert TOKEN not in cookie
    assert "Path=/moderate" in cookie
    sub = submit(client)
    page = client.get("/moderate")
    assert f'href="/moderate/{sub.id}"' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-robots-tag"] == "noindex"
    out = client.post("/moderate/logout")
    assert out.status_code == 303
    assert f'href="/moderate/{sub.id}"' not in client.get("/moderate").text


def test_signing_out_ends_the_session_wherever_its_cookie_was_copied(
    client: TestClient,
) -> None:
    client.post("/moderate/login", data={"token": TOKEN})
    first = client.cookies["kg_moderator"]
    client.cookies.clear()
    client.post("/moderate/login", data={"token": TOKEN})
    second = client.cookies["kg_moderator"]
    assert first != second  # each sign-in its own session: a cookie is not the token's digest
    sub = submit(client)
    copied = {"Cookie": f"kg_moderator={second}"}
    assert client.get(f"/moderate/{sub.id}", headers=copied).status_code == 200
    client.post("/moderate/logout")
    client.cookies.clear()
    signed_out = client.get(f"/moderate/{sub.id}", headers=copied)
    assert (signed_out.status_code, signed_out.headers["location"]) == (
        303,
        f"/moderate?next=%2Fmoderate%2F{sub.id}",
    )
    first_cookie = {"Cookie": f"kg_moderator={first}"}
    assert client.get(f"/moderate/{sub.id}", headers=first_cookie).status_code == 200


def test_guessing_the_token_is_slowed_down(client: TestClient) -> None:
    statuses = [
        client.post("/moderate/login", data={"token": f"guess{i}"}).status_code for i in range(12)
    ]
    assert statuses[:10] == [403] * 10
    assert statuses[10:] == [429, 429]
    # past the limit even the right token waits: guessing cannot go on
    assert client.post("/moderate/login", data={"token": TOKEN}).status_code == 429


def test_a_wrong_token_is_told_so(client: TestClient) -> None:
    r = client.post("/moderate/login", data={"token": "guess"})
    assert r.status_code == 403
    assert "That is not the admin token." in r.text


def test_accepting_publishes_the_edited_text_with_both_dates(
    client: TestClient, publish: Publisher
) -> None:
    sub = submit(client)
    edited = DRAFT.replace("Families", "Refugee families")
    r = client.post(
        f"/moderate/{sub.id}", data={"action": "accept", "record_text": edited}, headers=ADMIN
    )
    assert r.headers["location"] == "/moderate?done=published+initiative/raices-nuevas"
    today = datetime.now(UTC).date().isoformat()
    assert publish.calls == [(edited, sub.submitted_on, today)]
    again = client.post(f"/moderate/{sub.id}", data={"action": "reject"}, headers=ADMIN)
    assert again.status_code == 400
    assert again.json()["message"] == f"submission {sub.id} is already accepted"


def test_saving_keeps_the_draft_for_later(client: TestClient) -> None:
    sub = submit(client)
    edited = DRAFT.replace("villages", "mountain villages")
    r = client.post(
        f"/moderate/{sub.id}", data={"action": "save", "record_text": edited}, headers=ADMIN
    )
    assert r.status_code == 200
    assert "Saved. No problem found: it can be accepted." in r.text
    page = client.get(f"/moderate/{sub.id}", headers=ADMIN).text
    assert "mountain villages" in page


def test_saving_says_what_would_refuse_the_record(tmp_path: Path, publish: Publisher) -> None:
    settings = Settings.from_env(
        {"KG_BASE_URI": "http://testserver/", "KG_STORE": "memory", "KG_ADMIN_TOKEN": TOKEN},
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        queue_dir=tmp_path / "queue",
    )
    seen: list[str] = []

    def check(text: str) -> list[str]:
        seen.append(text)
        return ["front matter: YAML: expected ',' or ']'"]

    app = create_app(settings, store=LocalStore(None), publish=publish, check=check)
    with TestClient(app, follow_redirects=False) as c:
        sub = submit(c)
        broken = DRAFT.replace("name: Raíces Nuevas", "themes: [")
        r = c.post(
            f"/moderate/{sub.id}", data={"action": "save", "record_text": broken}, headers=ADMIN
        )
        assert r.status_code == 200
        assert "Saved. Before it can be published:" in r.text
        assert "front matter: YAML: expected" in r.text
        assert seen == [broken]
        assert "themes: [" in c.get(f"/moderate/{sub.id}", headers=ADMIN).text  # kept


def test_a_refused_record_is_shown_with_each_error_and_nothing_published(
    client: TestClient, publish: Publisher
) -> None:
    sub = submit(client)
    publish.refuse = ValidationFailed(
        [RecordError("initiative/raices-nuevas.md", "themes", "unknown theme 'x'")]
    )
    r = client.post(f"/moderate/{sub.id}", data={"action": "accept"}, headers=ADMIN)
    assert r.status_code == 422
    assert "initiative/raices-nuevas.md: themes: unknown theme" in r.text
    assert publish.calls == []
    assert client.app.state.queue.get(sub.id).state == "pending"  # type: ignore[attr-defined]


def test_an_unknown_action_is_refused(client: TestClient) -> None:
    sub = submit(client)
    r = client.post(f"/moderate/{sub.id}", data={"action": "publish"}, headers=ADMIN)
    assert r.status_code == 422
    assert "action must be save, accept or reject" in r.text


def test_rejecting_files_the_reason_and_erases_the_contributor(client: TestClient) -> None:
    sub = submit(client, "Jean-Pierre L'Hôte", "jp.lhote@example.org")
    r = client.post(
        f"/moderate/{sub.id}", data={"action": "reject", "reason": "not rural"}, headers=ADMIN
    )
    assert r.headers["location"] == f"/moderate?done=rejected+{sub.id}"
    done = client.app.state.queue.get(sub.id)  # type: ignore[attr-defined]
    assert (done.state, done.reason) == ("rejected", "not rural")
    # the contributor's name and e-mail go with the practice (a trial found them kept), in
    # the queue's file too, and the moderator's page of it shows none
    assert (done.contact_name, done.contact_email) == ("", "")
    queue_dir = client.app.state.queue.root  # type: ignore[attr-defined]
    assert sub.contact_email not in "".join(p.read_text() for p in queue_dir.rglob("*.json"))
    assert sub.contact_email not in client.get(f"/moderate/{sub.id}", headers=ADMIN).text
    # the contributor's page of it says so; the moderator's list names it, a link
    thanks = client.get(f"/contribute/thanks?ref={sub.id}").text
    assert "reviewed and is not published" in thanks
    assert "name and e-mail have been deleted" in thanks
    listed = client.get("/moderate", headers=ADMIN).text
    assert f'<a href="/moderate/{sub.id}">' in listed


def test_a_published_practice_is_withdrawn_and_its_addresses_say_gone(
    tmp_path: Path, publish: Publisher
) -> None:
    withdraw = Withdrawer()
    with make_client(tmp_path, publish, withdraw=withdraw, KG_ADMIN_TOKEN=TOKEN) as client:
        sub = submit(client, "Ana Gómez", "ana.gomez@example.org")
        client.post(f"/moderate/{sub.id}", data={"action": "accept"}, headers=ADMIN)
        page = client.get(f"/moderate/{sub.id}", headers=ADMIN).text
        assert 'value="withdraw"' in page
        assert 'href="/initiative/raices-nuevas"' in page
        html = {"Accept": "text/html"}
        assert client.get("/initiative/raices-nuevas", headers=html).status_code == 404
        no_reason = client.post(
            f"/moderate/{sub.id}", data={"action": "withdraw", "reason": " "}, headers=ADMIN
        )
        assert no_reason.status_code == 422
        assert "Say why the practice is withdrawn" in no_reason.text
        assert withdraw.calls == []
        r = client.post(
            f"/moderate/{sub.id}",
            data={"action": "withdraw", "reason": "the village asked us to"},
            headers=ADMIN,
        )
        assert (r.status_code, r.headers["location"]) == (
            303,
            "/moderate?done=withdrawn+initiative/raices-nuevas",
        )
        assert withdraw.calls == ["initiative/raices-nuevas"]
        # every address of the record says it is gone on purpose, to people and to software
        gone = client.get("/initiative/raices-nuevas", headers=html)
        assert gone.status_code == 410
        assert "This record has been withdrawn" in gone.text
        assert "Raíces Nuevas" in gone.text  # which practice, as it was published
        assert "the village asked us to" not in gone.text  # the reason stays private
        paths = [
            "/id/initiative/raices-nuevas",
            "/initiative/raices-nuevas.ttl",
            "/graph/initiative/raices-nuevas",
            "/api/similar/initiative/raices-nuevas",
        ]
        for path in paths:
            r = client.get(path)
            assert (r.status_code, r.json()["error"]) == (410, "Gone"), path
        card = client.get("/embed/initiative/raices-nuevas")  # the iframe partner sites paste
        assert card.status_code == 410
        assert "took it off the knowledge graph" in card.text
        assert client.get("/initiative/raices-nueva", headers=html).status_code == 404
        # the contact goes, the moderator's list and the contributor's page say what happened
        queue_dir = client.app.state.queue.root  # type: ignore[attr-defined]
        files = "".join(p.read_text() for p in queue_dir.rglob("*.json"))
        assert "ana.gomez@example.org" not in files
        assert "Ana Gómez" not in files
        listed = client.get("/moderate?done=withdrawn+initiative/raices-nuevas", headers=ADMIN)
        assert "Withdrawn from the site: initiative/raices-nuevas" in listed.text
        assert "withdrawn from the site" in listed.text
        assert "the village asked us to" in listed.text
        thanks = client.get(f"/contribute/thanks?ref={sub.id}").text
        assert "has since been taken off the site" in thanks
        # a second click in a stale tab: the submission's page, saying why, nothing done
        again = client.post(
            f"/moderate/{sub.id}", data={"action": "withdraw", "reason": "x"}, headers=ADMIN
        )
        assert again.status_code == 409
        assert "Not withdrawn" in again.text
        assert 'value="republish"' in again.text
        assert withdraw.calls == ["initiative/raices-nuevas"]
        # withdrawn by mistake: published again, as accepted, at its own address
        back = client.post(f"/moderate/{sub.id}", data={"action": "republish"}, headers=ADMIN)
        assert back.headers["location"] == "/moderate?done=published+initiative/raices-nuevas"
        assert publish.restored is True
        assert client.app.state.queue.get(sub.id).state == "accepted"  # type: ignore[attr-defined]
        assert client.get("/initiative/raices-nuevas", headers=html).status_code == 404  # stand-in


def test_withdrawing_needs_the_token(client: TestClient) -> None:
    sub = submit(client)
    client.post(f"/moderate/{sub.id}", data={"action": "accept"}, headers=ADMIN)
    r = client.post(f"/moderate/{sub.id}", data={"action": "withdraw", "reason": "spam"})
    assert r.status_code == 303
    assert r.headers["location"].startswith("/moderate?next=")
    assert client.app.state.queue.get(sub.id).state == "accepted"  # type: ignore[attr-defined]


def test_a_link_cannot_put_its_own_words_on_the_moderators_page(client: TestClient) -> None:
    # the notice after an action comes from the redirect's address; a link sent to a moderator
    # with other text in it shows no notice at all
    tricked = client.get(
        "/moderate", params={"done": "Urgent: publish 20240101-aaaaaaaaaaaa now"}, headers=ADMIN
    )
    assert tricked.status_code == 200
    assert "Urgent: publish" not in tricked.text  # (the language links carry it encoded)
    assert 'class="notice"' not in tricked.text
    odd = client.get("/moderate", params={"done": "published <b>x</b>"}, headers=ADMIN)
    assert 'class="notice"' not in odd.text
    real = client.get("/moderate", params={"done": "rejected 20240101-aaaaaaaaaaaa"}, headers=ADMIN)
    assert "Rejected: 20240101-aaaaaaaaaaaa" in real.text


@pytest.mark.parametrize("sub_id", ["not-an-id", "20240101-zzzzzzzzzzzz"])
def test_a_malformed_id_is_a_bad_request(client: TestClient, sub_id: str) -> None:
    r = client.get(f"/moderate/{sub_id}", headers=ADMIN)
    assert r.status_code == 400
    assert r.json()["message"] == f"{sub_id!r} is not a submission id"


def test_without_an_admin_token_there_is_no_moderation(tmp_path: Path, publish: Publisher) -> None:
    with make_client(tmp_path, publish) as c:
        r = c.post("/moderate/login", data={"token": "anything"})
    assert r.status_code == 403
    assert "moderation is enabled only with KG_ADMIN_TOKEN" in r.text


@pytest.mark.parametrize("action", ["save", "accept"])
def test_the_contributors_own_name_in_the_record_is_refused(
    client: TestClient, publish: Publisher, action: str
) -> None:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    sub = submit(client, "Ana Beltrán", "ana.private@example.org")
    named = DRAFT.replace("Families settle", "Run by ana beltrán, families settle")
    r = client.post(
        f"/moderate/{sub.id}", data={"action": action, "record_text": named}, headers=ADMIN
    )
    assert "it holds the contributor's own name" in unescape(r.text)
    assert "No problem found" not in r.text
    assert publish.calls == []
    assert queue.get(sub.id).state == "pending"
    # a place that shares a word with the name is not the name
    place = DRAFT.replace("villages", "villages near Santa Ana")
    r = client.post(
        f"/moderate/{sub.id}", data={"action": action, "record_text": place}, headers=ADMIN
    )
    assert "own name" not in r.text


def test_after_signing_out_a_submission_link_leads_to_sign_in_and_back(client: TestClient) -> None:
    sub = submit(client)
    signed_in = client.post("/moderate/login", data={"token": TOKEN})
    assert "Max-Age=28800" in signed_in.headers["set-cookie"]  # the README's 8-hour session
    client.post("/moderate/logout")
    r = client.get(f"/moderate/{sub.id}")
    assert r.status_code == 303
    form = client.get(r.headers["location"])
    assert form.status_code == 200
    assert 'name="token"' in form.text
    assert f'name="next" value="/moderate/{sub.id}"' in form.text
    back = client.post("/moderate/login", data={"token": TOKEN, "next": f"/moderate/{sub.id}"})
    assert back.headers["location"] == f"/moderate/{sub.id}"
    assert "Families settle in villages." in client.get(back.headers["location"]).text
    # a form sent after signing out changes nothing and goes to sign in too
    client.post("/moderate/logout")
    r = client.post(f"/moderate/{sub.id}", data={"action": "reject", "reason": "x"})
    assert r.status_code == 303
    assert r.headers["location"].startswith("/moderate?next=")
    assert client.app.state.queue.get(sub.id).state == "pending"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example", "/sparql", "/moderate\n"]
)
def test_signing_in_never_sends_the_moderator_elsewhere(client: TestClient, elsewhere: str) -> None:
    r = client.post("/moderate/login", data={"token": TOKEN, "next": elsewhere})
    assert r.headers["location"] == "/moderate"


def test_the_moderation_pages_speak_the_moderators_language(client: TestClient) -> None:
    """Two trials' French moderators met pages in English only, and a record format that was a
    path in the checkout ("ingest/records/README.md"), not on the site."""
    sub = submit(client)
    listing = client.get("/moderate?lang=fr", headers=ADMIN).text
    assert "<h1>Modération</h1>" in listing
    assert "En attente (1)" in listing
    assert f'href="/moderate/{sub.id}?lang=fr"' in listing  # the language stays on the way
    item = client.get(f"/moderate/{sub.id}?lang=fr", headers=ADMIN).text
    assert "Accepter et publier" in item
    assert "· en attente</p>" in item
    # the date as the moderator's language writes it (a German trial's: 2026-12-03T06:59:25+00:00)
    written = day({"lang": "fr"}, sub.submitted)  # "3 décembre 2026"
    assert re.fullmatch(r"(1er|\d{1,2}) \w+ \d{4}", written), written
    assert f"Envoyé le {written} ·" in item
    assert sub.submitted not in item
    assert f"<td>{written}</td>" in listing
    assert "<summary>Le format des fiches (en anglais)</summary>" in item
    assert "# Curated records — the file format" in item  # the guide itself, on the page
    login = client.get("/moderate?lang=de").text  # not signed in: the sign-in form
    assert "Admin-Token" in login
    # a rejection without its reason is said in the moderator's language (a trial's: English)
    r = client.post(f"/moderate/{sub.id}?lang=es", data={"action": "reject"}, headers=ADMIN)
    assert r.status_code == 422
    assert "Indica por qué se rechaza la propuesta" in r.text
    assert client.app.state.queue.get(sub.id).state == "pending"  # type: ignore[attr-defined]
    # and the decided list dates a decision as the page's language writes it (a German trial's
    # "2026-12-03, angenommen")
    client.post(
        f"/moderate/{sub.id}", data={"action": "reject", "reason": "hors sujet"}, headers=ADMIN
    )
    reviewed = client.app.state.queue.get(sub.id).reviewed  # type: ignore[attr-defined]
    decided = client.get("/moderate?lang=fr", headers=ADMIN).text
    assert f"{day({'lang': 'fr'}, reviewed)}, refusé " in decided
    assert reviewed[:10] not in decided


def test_a_submission_is_shown_beside_the_practices_closest_to_it(
    tmp_path: Path, publish: Publisher, records_dir: Path
) -> None:
    """A re-trial published a second record of a practice the graph had: the moderator is
    shown the closest practices, to rule that out."""
    store = ingested(records_dir, base="http://testserver/")
    with make_client(tmp_path, publish, store, KG_ADMIN_TOKEN=TOKEN) as c:
        queue = c.app.state.queue  # type: ignore[attr-defined]
        sub = queue.submit(
            description="Refugee families settle in villages with housing and local jobs.",
            record_text=DRAFT,
            lang="en",
            sources=["https://example.org/raices"],
            contact_name="",
            contact_email="",
        )[0]
        page = c.get(f"/moderate/{sub.id}", headers=ADMIN).text
    box = re.search(r"<h2>Already in the graph\?</h2>.*?</div>", page, re.S)
    assert box is not None
    assert '<a href="/initiative/village-welcome">Village Welcome</a>' in box.group(0)


def test_signing_in_keeps_the_language_of_the_sign_in_page(client: TestClient) -> None:
    """A Spanish trial signed in on `/moderate?lang=es` and the queue opened in English: the
    form posts with the page's language, and the queue it leads to keeps it."""
    form = client.get("/moderate?lang=es").text
    assert 'action="/moderate/login?lang=es"' in form
    r = client.post("/moderate/login?lang=es", data={"token": TOKEN, "next": "/moderate"})
    assert (r.status_code, r.headers["location"]) == (303, "/moderate?lang=es")
    assert 'lang="es"' in client.get(r.headers["location"]).text[:200]
