"""The FastAPI application factory: `create_app(settings)`; nothing is built at import time."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from os import PathLike
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.types import Scope

from kg.errors import StoreError
from kg.moderation import Check, ModerationQueue, Publish, Withdraw
from kg.search import SearchService
from kg.settings import Settings
from kg.store import GraphStore, open_store
from web import services
from web.compression import Compression
from web.errors import install_error_handlers
from web.http import install_http, precondition_failed, precondition_response
from web.i18n import ContentLanguage
from web.openapi import admin_security, validation_as_bad_request
from web.pagecache import PageCache
from web.ratelimit import limiter_for
from web.routes import (
    browse,
    contribute,
    graphstore,
    health,
    linkeddata,
    moderate,
    records,
    search_api,
    search_page,
    sparql,
    vocabulary,
)
from web.routes.moderate import LOGIN_WINDOW, LOGINS
from web.security import SecurityHeaders
from web.templating import TEMPLATES, make_templates

#: how long a browser or shared cache may use a static file (CSS, the embed script, the preview
#: picture) without asking again: they change only with a new release of the site
STATIC_MAX_AGE = 3600


class StaticAssets(StaticFiles):
    """Starlette's static files (`ETag`, `Last-Modified`, 304, ranges) with explicit freshness,
    `Cache-Control: public, max-age=STATIC_MAX_AGE` (a web developer's trial found none: the
    embed script, loaded by every embedded card, got only heuristic freshness), and 412 for a
    failed `If-Match`/`If-Unmodified-Since` (`web.http.precondition_failed`), which Starlette
    does not read."""

    def file_response(
        self,
        full_path: PathLike[str] | str,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if precondition_failed(Request(scope), etag, modified):  # before Starlette's 304
            return precondition_response(etag)
        response.headers.setdefault("Cache-Control", f"public, max-age={STATIC_MAX_AGE}")
        return response


#: the site's icon (an original drawing: a house holding a leaf, in the site's accent colour)
ICON = "/static/icon.svg"


def create_app(
    settings: Settings,
    *,
    store: GraphStore | None = None,
    search: SearchService | None = None,
    warm_search: bool = False,
    publish: Publish | None = None,
    withdraw: Withdraw | None = None,
    check: Check | None = None,
) -> FastAPI:
    """The app over `store` (default: the one `settings` name). Its services (`web.services`:
    search, SPARQL engine, rate limiter) are built when it starts; `search` replaces the search
    service (tests), and `warm_search` loads the search index and model in the background at start
    (`kg serve`). `publish` is what accepting a contributed practice does (the CLI wires
    `ingest.contributions`; without it `/moderate` can list and reject but answers 503 to "accept"),
    `withdraw` what taking a published one off the site does (likewise); `check` says what would
    refuse an edited record (without it, nothing is checked before "accept")."""
    graph = store or open_store(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = getattr(app.state, "services", None) is None  # else started by its owner
        if started:
            services.start(app, graph, settings, search=search, warm_search=warm_search)
        yield
        if started:
            services.stop(app)  # stop the query worker processes

    app = FastAPI(
        title="Rural Integration Knowledge Graph",
        description=(
            "Projects and good practices for integrating migrants and refugees in rural Europe."
        ),
        docs_url=None,  # Swagger UI is served from /static at /api/docs, below
        redoc_url=None,  # ReDoc would load its script from a CDN, which the CSP blocks
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = graph
    app.state.templates = make_templates()
    app.state.queue = ModerationQueue(settings.queue_dir)
    app.state.publish = publish or _cannot_publish
    app.state.withdraw = withdraw or _cannot_withdraw
    app.state.check_record = check or _nothing_to_check
    app.state.login_limiter = limiter_for(LOGINS, settings, "moderator-logins", window=LOGIN_WINDOW)
    app.state.submit_limiter = limiter_for(
        settings.contribute_per_hour, settings, "submissions", window=3600
    )
    install_error_handlers(app)
    generated = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = admin_security(validation_as_bad_request(generated()))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ContentLanguage)
    # pages computed once per store version: outside the headers above (kept with the page),
    # inside CORS (which answers each request's Origin)
    app.add_middleware(PageCache, store=graph, max_bytes=int(settings.page_cache_mb * 1024 * 1024))
    # gzip for every text response; a kept page brings its own gzip bytes (web/pagecache.py)
    app.add_middleware(Compression)
    install_http(app)  # outermost: CORS on every response, HEAD, 405 with Allow
    app.mount(
        "/static/swagger",
        # Swagger UI 5 (swagger-ui-py's bundle): 4.x cannot read FastAPI's OpenAPI 3.1
        StaticAssets(packages=[("swagger_ui", "static")]),
        name="swagger",
    )
    app.mount("/static", StaticAssets(directory=str(TEMPLATES.parent / "static")), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI served from this server (no CDN), its page said to be in English (the
        API's descriptions are: WCAG 2.1 SC 3.1.1; an audit found no `lang`)."""
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Rural Integration Knowledge Graph — API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )
        html = bytes(page.body).decode().replace("<html>", '<html lang="en">', 1)
        return HTMLResponse(html)

    @app.get("/docs", include_in_schema=False)
    @app.get("/api", include_in_schema=False)
    def to_api_docs() -> RedirectResponse:
        """`/docs`, where FastAPI services keep their API pages, and `/api`: 308 to
        `/api/docs` (a trial's link to `/docs` was 404)."""
        return RedirectResponse("/api/docs", status_code=308)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        """Browsers ask for `/favicon.ico` whatever a page declares (and for documents that
        declare nothing: JSON, the API docs). The site's one icon is `/static/icon.svg`, which
        pages name in `<link rel="icon">`; this answers 308 Permanent Redirect to it (RFC 9110
        §15.4.9) rather than a second copy, so a browser keeps one icon under one address with
        the static file's validators. The redirect is permanent, so it may be cached too."""
        return RedirectResponse(ICON, status_code=308)

    # the SPARQL endpoint first: routes are matched in order, and its clients send the most
    # requests per second (a match costs a few microseconds per route tried)
    app.include_router(sparql.router)
    app.include_router(health.router)
    app.include_router(linkeddata.router)
    app.include_router(browse.router)
    app.include_router(search_api.router)
    app.include_router(search_page.router)
    app.include_router(graphstore.router)
    app.include_router(contribute.router)
    app.include_router(moderate.router)
    app.include_router(vocabulary.router)
    # records last: its /{kind}/{slug} pattern must not shadow the other routes
    app.include_router(records.router)
    return app


def _nothing_to_check(text: str) -> list[str]:
    return []


def _cannot_publish(
    text: str, *, contributed_on: str, reviewed_on: str, restore: bool = False
) -> str:
    raise StoreError("publishing contributions needs the ingest pipeline: run `kg serve`")


def _cannot_withdraw(record: str) -> None:
    raise StoreError("withdrawing contributions needs the ingest pipeline: run `kg serve`")
