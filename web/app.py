"""The FastAPI application factory: `create_app(settings)`; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kg.settings import Settings
from kg.store import GraphStore
from web.errors import install_error_handlers
from web.routes import browse, health, linkeddata, records
from web.templating import TEMPLATES, make_templates


def create_app(settings: Settings, *, store: GraphStore | None = None) -> FastAPI:
    app = FastAPI(
        title="Rural Integration Knowledge Graph",
        description=(
            "Projects and good practices for integrating migrants and refugees in rural Europe."
        ),
        docs_url="/api/docs",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store or GraphStore.open(settings)
    app.state.templates = make_templates()
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(TEMPLATES.parent / "static")), name="static")
    app.include_router(health.router)
    app.include_router(linkeddata.router)
    app.include_router(browse.router)
    # records last: its /{kind}/{slug} pattern must not shadow the other routes
    app.include_router(records.router)
    return app
