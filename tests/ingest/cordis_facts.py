"""What the store holds about a CORDIS project, for comparing with the row it came from."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.queries import PREFIXES
from kg.store import GraphStore
from tests.conftest import BASE


def rows_of(store: GraphStore, query: str) -> list[dict[str, str]]:
    result = store.current().query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def project_facts(store: GraphStore, pid: str) -> dict[str, Any]:
    """Name, acronym, description, dates, amounts, programme, url, places and organisations."""
    s = f"<{BASE}id/initiative/cordis-{pid}>"

    def one(pred: str) -> set[str]:
        return {r["v"] for r in rows_of(store, f"SELECT ?v WHERE {{ {s} {pred} ?v }}")}

    amounts = rows_of(
        store,
        f"SELECT ?k ?v WHERE {{ {s} rikg:budget ?b . ?b rikg:amountKind ?k ; schema:value ?v }}",
    )
    return {
        "name": one("schema:name"),
        "acronym": one("schema:alternateName"),
        "description": one("schema:description"),
        "start": one("schema:startDate"),
        "end": one("schema:endDate"),
        "amounts": {r["k"]: r["v"] for r in amounts},
        "funding": {v.rsplit("/", 1)[-1] for v in one("rikg:fundingProgramme")},
        "url": one("schema:url"),
        "spatial": {v.rsplit("/", 1)[-1] for v in one("dcterms:spatial")},
        "coordinator": {v.rsplit("/", 1)[-1] for v in one("rikg:coordinator")},
        "partners": {v.rsplit("/", 1)[-1] for v in one("rikg:partner")},
        "calls": one("rikg:fundingCall"),
    }


def initiative_count(store: GraphStore) -> int:
    q = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a rikg:Initiative }"
    return int(rows_of(store, q)[0]["n"])
