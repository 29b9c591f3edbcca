"""web.datadocument: a document URL's extension, and the media type its answer is sent under."""

from __future__ import annotations

import pytest
from fastapi import Request

from kg.errors import NotFound
from kg.formats import N_TRIPLES, TURTLE
from web.datadocument import document_format, document_response


def request(accept: str | None) -> Request:
    headers = [(b"accept", accept.encode())] if accept is not None else []
    return Request({"type": "http", "method": "GET", "path": "/x", "headers": headers})


def test_an_extension_names_its_format_and_an_unknown_one_lists_the_formats() -> None:
    assert document_format("ttl") is TURTLE
    with pytest.raises(NotFound) as raised:
        document_format("xlsx")
    assert ".xlsx" in str(raised.value)
    assert all(f".{ext}" in str(raised.value) for ext in ("ttl", "nt", "jsonld", "rdf"))


def test_n_triples_go_under_the_synonym_a_client_named_and_any_origin_may_read() -> None:
    plain = document_response(request("text/plain"), b"<a> <b> <c> .\n", N_TRIPLES, {})
    assert plain.headers["content-type"].startswith("text/plain")
    own = document_response(request(None), b"", N_TRIPLES, {"Cache-Control": "public"})
    assert own.headers["content-type"].startswith("application/n-triples")
    assert own.headers["cache-control"] == "public"
    assert own.headers["vary"] == "Accept"
    assert own.headers["access-control-allow-origin"] == "*"
