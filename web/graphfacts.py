"""What the home, browse and concept pages read of the whole graph — every initiative's
summary, the labels of places, the concepts in use with their counts, initiatives per place —
computed once per store version and shared by the pages of that version.

Each of these reads the whole graph (35–60 ms a query on the bundled one), and each concept
page read all of them again on its first view: a practitioner's trial waited up to 1.5 s for a
region's page. The page cache (`web.pagecache`) keeps a rendered page per version and
language; this keeps what every page is rendered from.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fastapi import Request

from kg.browse import Concept, usage
from kg.practices import Summary, place_counts, place_labels, summaries
from kg.store import GraphStore

_lock = threading.Lock()


@dataclass(frozen=True)
class GraphFacts:
    """`summaries`: initiative IRI → `Summary`; `place_labels`: place IRI → language → label;
    `usage`: linking property → the concepts in use, most used first (`kg.browse.usage`);
    `countries`, `regions`: initiatives per country (alpha-3) and NUTS code
    (`kg.practices.place_counts`)."""

    version: str
    summaries: dict[str, Summary]
    place_labels: dict[str, dict[str, str]]
    usage: dict[str, list[Concept]]
    countries: dict[str, int]
    regions: dict[str, int]


def facts_of(store: GraphStore) -> GraphFacts:
    """The facts of the version `store` serves now (its version read first, so facts read
    from a newer snapshot are never kept under an older name)."""
    version = store.version().name
    current = store.current()
    countries, regions = place_counts(current)
    return GraphFacts(
        version,
        summaries(current),
        place_labels(current),
        usage(current),
        countries,
        regions,
    )


def graph_facts(request: Request) -> GraphFacts:
    """The facts of the store version serving `request`, computed on the first request of
    that version and kept until the next one (`app.state.graph_facts`); two first requests
    at once may both compute them, and either result is kept."""
    state = request.app.state
    store: GraphStore = state.store
    version = store.version().name
    with _lock:
        kept: GraphFacts | None = getattr(state, "graph_facts", None)
    if kept is not None and kept.version == version:
        return kept
    facts = facts_of(store)
    with _lock:
        state.graph_facts = facts
    return facts
