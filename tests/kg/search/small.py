"""A small search index built by hand (six records, three themes, the fake embedder), for tests
of the search modules that need an index but not the bundled records (fixture `small_index` in
`conftest.py`)."""

from __future__ import annotations

import copy

from kg.search.cache import VectorCache
from kg.search.documents import Concept, SearchDoc
from kg.search.embed import HashEmbedder
from kg.search.index import SearchIndex, build_index
from kg.search.service import SearchService
from kg.settings import Settings
from kg.store import GraphStore

X = "http://x/id/"
THEME = "https://w3id.org/rikg/scheme/theme/"
CONCEPTS = {
    f"{THEME}housing": Concept(
        f"{THEME}housing", "theme", "housing", {"en": "Housing", "es": "Vivienda"}
    ),
    f"{THEME}employment": Concept(
        f"{THEME}employment", "theme", "employment", {"en": "Employment", "es": "Empleo"}
    ),
    f"{THEME}education": Concept(
        f"{THEME}education", "theme", "education", {"en": "Education", "es": "Educación"}
    ),
}


def doc(slug: str, kind: str, name: str, text: str, themes: list[str], **more: object) -> SearchDoc:
    return SearchDoc(
        f"{X}{kind}/{slug}",
        kind,
        slug,
        names={"en": name},
        descriptions={"en": text},
        facets={"kind": [kind], "theme": themes, **more},  # type: ignore[dict-item]
    )


DOCS = [
    doc(
        "empty-houses",
        "initiative",
        "Empty Houses",
        "refugee families rent empty village houses",
        ["housing"],
        country=["ES"],
    ),
    doc(
        "farm-jobs",
        "initiative",
        "Farm Jobs",
        "migrants find farm jobs in mountain villages",
        ["employment"],
        country=["IT"],
    ),
    doc(
        "village-school",
        "initiative",
        "Village School",
        "the village school teaches refugee children",
        ["education", "housing"],
        country=["ES"],
    ),
    doc(
        "house-and-work",
        "initiative",
        "House and Work",
        "refugee families get a village house and farm work",
        ["housing", "employment"],
        country=["ES"],
    ),
    doc("cepaim", "organisation", "Cepaim", "a foundation working with migrants", []),
    doc("pact", "policy", "Rural Pact", "a policy for rural areas", []),
]


def build() -> SearchIndex:
    """A new index over copies of `DOCS` and `CONCEPTS` (a test may change its records)."""
    index, _ = build_index(
        copy.deepcopy(DOCS),
        copy.deepcopy(CONCEPTS),
        embedder=HashEmbedder(),
        cache=VectorCache(None),
        version="v1",
        progress=False,
    )
    return index


def service(store: GraphStore, settings: Settings, embedder: HashEmbedder) -> SearchService:
    """The search service of `store` with the fake `embedder` and the settings' cache."""
    return SearchService(store, settings, embedder=embedder)
