"""The FastAPI application factory: `create_app(settings)`; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from kg.settings import Settings
from kg.store import GraphStore
from web.errors import install_error_handlers
from web.routes import health


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
    install_error_handlers(app)
    app.include_router(health.router)
    return app
