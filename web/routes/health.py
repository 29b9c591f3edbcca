"""Liveness: answers without touching a query worker."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kg.graphs import kind_counts

router = APIRouter()


@router.get("/healthz", summary="Health: the store version served and its records by kind")
def healthz(request: Request) -> dict[str, Any]:
    store = request.app.state.store
    version = store.version()
    return {
        "status": "ok",
        "version": version.name,
        "updated": version.created,
        "records": kind_counts(store.current()),
    }
