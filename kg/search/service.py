"""The search index of a store, kept current: loaded from disk when saved for this store version
and model, built (embedding only new texts) when not, and swapped when the store changes.

Answers are kept per store version: the same search (text, filters, page, language, sort…)
asked again before the next ingest is answered from a bounded LRU (`KG_SEARCH_CACHE` entries,
`cachetools`), emptied when the store version changes."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from cachetools import LRUCache

from kg.errors import KGError, StoreError
from kg.search import dictionary
from kg.search.backends import make_embedder
from kg.search.cache import VectorCache
from kg.search.documents import gather
from kg.search.embed import Embedder
from kg.search.engine import SearchResults, search
from kg.search.index import SearchIndex, build_index
from kg.search.persist import index_dir, load_index, save_index
from kg.search.rank import SearchQuery
from kg.search.similar import Similar, similar
from kg.search.understand import understand
from kg.settings import Settings
from kg.store import GraphStore

log = logging.getLogger(__name__)
CACHE_FILE = "embeddings.sqlite"
LOCK_FILE = "index.lock"


@contextlib.contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    """An exclusive `flock` on `{cache_dir}/index.lock`, released when the block ends (or the
    process dies)."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = (cache_dir / LOCK_FILE).open("a")
    except OSError as exc:
        raise StoreError(f"cannot create the search index lock in {cache_dir}: {exc}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SearchService:
    """One per process (the web app, a CLI command); safe to share between threads."""

    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        cache: VectorCache | None = None,
    ) -> None:
        self.store, self.settings = store, settings
        self.embedder = embedder or make_embedder(
            settings.embed_model, backend=settings.embed_backend, onnx_dir=settings.onnx_dir
        )
        self._cache = cache
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._answers: LRUCache[tuple[object, ...], SearchResults] = LRUCache(
            max(1, settings.search_cache)
        )
        self._answers_version = ""
        self._answers_lock = threading.Lock()
        self.last_encoded = 0  # texts embedded by the last build (tests, CLI report)

    @property
    def cache(self) -> VectorCache:
        if self._cache is None:
            self._cache = VectorCache(self.settings.cache_dir / CACHE_FILE)
        return self._cache

    def is_current(self) -> bool:
        """Whether an index of the current store version and model is saved (nothing loaded)."""
        version = self.store.version().name
        if self._index is not None and self._index.version == version:
            return True
        folder = index_dir(self.settings.cache_dir, self.embedder.name, version)
        return (folder / "index.json").exists()

    def index(self, *, progress: bool = False) -> SearchIndex:
        """The index of the store as it is now; loads or builds it when the store changed."""
        version = self.store.version().name
        current = self._index
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = self._load_or_build(version, progress=progress)
            return self._index

    def refresh(self, *, progress: bool = True) -> int | None:
        """Make sure the current store version has a saved index (end of `kg ingest`, server
        start); returns how many texts were embedded, or None when it was already there."""
        if self.is_current():
            return None
        self.index(progress=progress)
        return self.last_encoded

    def warm(self, *, background: bool = False) -> None:
        """Load (or build) the index, the model, the language model and the spelling
        vocabulary now, so the first search does not wait for them; in a thread when
        `background` (server start: pages are served meanwhile, and a search waits for the
        index)."""

        def load() -> None:
            try:
                index = self.index(progress=not background)
                index.encode_query("warm up")
                # both language models: the graph's five languages, and all (another language)
                understand("warm up the language models", index.matcher)
                dictionary.warm_unaccented()  # the five languages' words typed without accents
                index.speller.word("warmup")
            except KGError as exc:  # a search request will raise it again, with its status
                log.error("search warm-up failed: %s", exc.message)

        if background:
            threading.Thread(target=load, name="search-warm-up", daemon=True).start()
        else:
            load()

    def _load_or_build(self, version: str, *, progress: bool) -> SearchIndex:
        loaded = self._load(version)
        if loaded is not None:
            return loaded
        # one builder at a time across processes (the server processes of `kg serve
        # --workers N` start together): the others wait, then map what it saved
        with _build_lock(self.settings.cache_dir):
            loaded = self._load(version)
            if loaded is not None:
                return loaded
            started = time.perf_counter()
            docs, concepts = gather(self.store.current())
            index, encoded = build_index(
                docs,
                concepts,
                embedder=self.embedder,
                cache=self.cache,
                version=version,
                progress=progress,
            )
            save_index(index, self.settings.cache_dir)
        self.last_encoded = encoded
        log.info(
            "search index of %d records built in %.1fs (%d texts embedded)",
            len(docs),
            time.perf_counter() - started,
            encoded,
        )
        # serve the saved copy, memory-mapped, so every process shares its pages
        mapped = load_index(self.settings.cache_dir, self.embedder.name, version)
        if mapped is None:
            return self._ready(index)
        return self._ready(mapped)

    def _load(self, version: str) -> SearchIndex | None:
        loaded = load_index(self.settings.cache_dir, self.embedder.name, version)
        if loaded is not None:
            self.last_encoded = 0
            return self._ready(loaded)
        return None

    def _ready(self, index: SearchIndex) -> SearchIndex:
        """`index` with this service's model and the dictionary of its cache folder."""
        index.embedder = self.embedder
        index.dictionary = dictionary.load(self.settings.cache_dir)
        return index

    def search(self, query: SearchQuery) -> SearchResults:
        """One page of results (see `kg.search.engine.search`); the same query on the same store
        version is answered from the cache. The results are shared: callers must not change
        them."""
        index = self.index()
        query = _resolved(index, query)
        if self.settings.search_cache <= 0:
            return search(index, query)
        key = _key(query)
        with self._answers_lock:
            if self._answers_version != index.version:
                self._answers.clear()
                self._answers_version = index.version
            found = self._answers.get(key)
        if found is not None:
            return found
        results = search(index, query)
        with self._answers_lock:
            if self._answers_version == index.version:
                self._answers[key] = results
        return results

    def resolve(self, query: SearchQuery) -> SearchQuery:
        """`query` with each filter value given by a concept's label read as its code
        (`country=Spain` → `ES`, `SearchIndex.filter_code`); `search` does this itself, a page
        does it first to build its links from codes."""
        return _resolved(self.index(), query)

    def label(self, facet: str, code: str, lang: str = "en") -> str:
        """The label of a filter value in `lang` (`("country", "ES")` → "España"), or `code`
        itself when no concept of the graph has it (years, unknown values)."""
        return self.index().label(facet, code, lang)

    def similar(self, iri: str, *, limit: int = 5, kinds: tuple[str, ...] = ()) -> list[Similar]:
        return similar(self.index(), iri, limit=limit, kinds=kinds)


def _resolved(index: SearchIndex, query: SearchQuery) -> SearchQuery:
    filters = {
        facet: tuple(dict.fromkeys(index.filter_code(facet, v) for v in values))
        for facet, values in query.filters.items()
    }
    return query if filters == query.filters else replace(query, filters=filters)


def _key(query: SearchQuery) -> tuple[object, ...]:
    """A hashable form of a query (its filters are a mapping of sequences)."""
    filters = tuple((facet, tuple(v)) for facet, v in query.filters.items())
    return (
        query.text,
        query.mode,
        filters,
        query.years,
        query.limit,
        query.offset,
        query.lang,
        query.fusion,
        query.sort,
        query.correct,
    )
