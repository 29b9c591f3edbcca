"""The graph store: one protocol (`base.GraphStore`), two implementations — the embedded
pyoxigraph snapshots (`local.LocalStore`) and any SPARQL 1.1 store over HTTP
(`remote.RemoteStore`) — and `open_store(settings)`, which picks one from the settings."""

from __future__ import annotations

from kg.settings import Settings
from kg.store.base import GraphChange, GraphStore, StoreVersion
from kg.store.local import LocalStore
from kg.store.remote import RemoteStore

__all__ = ["GraphChange", "GraphStore", "LocalStore", "RemoteStore", "StoreVersion", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name: an external SPARQL 1.1 store when `KG_SPARQL_ENDPOINT` is
    set (issue 7 item 4), else the snapshots under `KG_STORE`, or memory for `KG_STORE=memory`."""
    if settings.sparql_endpoint:
        return RemoteStore(settings)
    return LocalStore(None if settings.in_memory else settings.store)
