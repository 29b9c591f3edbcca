"""Writes need the admin token as a bearer token (401 with a `Bearer` challenge without it);
without one configured, none are allowed (403)."""

from pathlib import Path

from fastapi.testclient import TestClient

from kg.settings import Settings
from kg.store import LocalStore
from web.app import create_app

UPDATE = {"update": "INSERT DATA { <http://x/a> <http://x/b> 'c' }"}


def client(**env: str) -> TestClient:
    settings = Settings.from_env({"KG_BASE_URI": "http://testserver/", "KG_STORE": "memory", **env})
    return TestClient(create_app(settings, store=LocalStore(None)))


def test_without_a_configured_token_the_service_is_read_only(tmp_path: Path) -> None:
    with client() as c:
        r = c.post("/sparql", data=UPDATE, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert "read-only" in r.json()["message"]


def test_the_token_must_be_sent_as_bearer_and_match() -> None:
    with client(KG_ADMIN_TOKEN="t0ken") as c:
        for header in ("Bearer wrong", "Basic t0ken", "t0ken", ""):
            r = c.post("/sparql", data=UPDATE, headers={"Authorization": header})
            assert r.status_code == 401, header  # RFC 9110 §15.5.2, with its challenge
            assert r.headers["www-authenticate"].startswith('Bearer realm="'), header
        ok = c.post("/sparql", data=UPDATE, headers={"Authorization": "Bearer t0ken"})
        assert ok.status_code == 204
