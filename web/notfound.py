"""The 404 page a person gets: in the page's language, with the records whose names come
nearest to the address asked for, and a search box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from rapidfuzz import fuzz, utils

from kg.record_document import local_href, records_of_kind
from kg.vocab import KINDS

#: a suggestion must score at least this (rapidfuzz WRatio, 0-100) to be offered
MIN_SCORE = 50.0


@dataclass(frozen=True)
class Suggestion:
    name: str
    href: str
    kind: str
    score: float


def wanted(path: str) -> tuple[str | None, str]:
    """The record kind (when the path names one) and the words asked for.

    >>> wanted("/initiative/nuevos-sendero")
    ('initiative', 'nuevos sendero')
    >>> wanted("/id/organisation/cepaim.ttl")
    ('organisation', 'cepaim')
    """
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[0] == "id":
        parts = parts[1:]
    kind = parts[0] if parts and parts[0] in KINDS else None
    last = parts[-1] if parts else ""
    return kind, last.split(".")[0].replace("-", " ").replace("_", " ").strip()


def suggestions(store: Any, path: str, base: str, limit: int = 5) -> list[Suggestion]:
    """Records nearest by name or address to `path`, best first; records of the kind the path
    names are preferred. Scores are rapidfuzz's WRatio of the words asked for against the record's
    name and its address words (the better of the two)."""
    kind, query = wanted(path)
    if not query:
        return []
    seen: set[str] = set()
    scored = []
    for k in KINDS:
        for row in records_of_kind(store, k):
            if row["kind"] != k or row["record"] in seen:
                continue
            href = local_href(row["record"], base)
            if href is None:
                continue
            seen.add(row["record"])
            slug_words = href.rsplit("/", 1)[-1].replace("-", " ")
            score = max(
                fuzz.WRatio(query, row["name"], processor=utils.default_process),
                fuzz.WRatio(query, slug_words, processor=utils.default_process),
            )
            if score >= MIN_SCORE:
                scored.append(Suggestion(row["name"], href, k, score))
    # a record of the kind the address names gets 10 points more
    scored.sort(key=lambda s: (-(s.score + (10 if s.kind == kind else 0)), s.name))
    return scored[:limit]


def not_found_page(request: Request, message: str) -> Response:
    """The HTML 404: `message` (English, for developers) stays in the JSON answer and in the
    page's `data-detail` attribute; the reader gets the page's language."""
    settings = request.app.state.settings
    try:
        offered = suggestions(request.app.state.store.current(), request.url.path, settings.base)
    except Exception:  # a 404 page must not fail because the store is away
        offered = []
    _, query = wanted(request.url.path)
    request.state.canonical = None  # an error page names no canonical URL (web/meta.py)
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "notfound.html",
        {"message": message, "query": query, "suggestions": offered, "path": request.url.path},
        status_code=404,
    )
    return response
