"""Answers of recent queries, keyed by the store version: any ingest publishes a new version,
so nothing cached from the previous graph is ever served again."""

from __future__ import annotations

import threading
from collections import OrderedDict

from kg.endpoint.execute import Answer

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024


class ResultCache:
    def __init__(self, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Answer | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes // 8:
            return  # one huge answer would push out everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = answer
            self._bytes += len(answer.body)
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
