"""Virtuoso for the tests: a running one (failing, never skipping, where the package is missing)
and `kg serve` over it. The server itself is started by `bench.virtuoso`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.live import LiveServer, live_server
from bench.virtuoso import running_virtuoso, virtuoso_installed


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """A running Virtuoso's `/sparql` URL; fails (never skips) where the package is missing."""
    if not virtuoso_installed():
        pytest.fail("virtuoso-t is not installed; `make test` installs virtuoso-opensource")
    with running_virtuoso(folder) as endpoint:
        yield endpoint


@contextmanager
def live_over_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`kg ingest` into a fresh Virtuoso, then `kg serve` over it (the embedded store unused)."""
    folder = tmp_path_factory.mktemp("virtuoso")
    with (
        virtuoso_server(folder) as endpoint,
        live_server(
            tmp_path_factory.mktemp("kg"),
            KG_SPARQL_ENDPOINT=endpoint,
            KG_STORE=str(folder / "unused-store"),
            KG_RATE_LIMIT_PER_MINUTE="100000",
        ) as live,
    ):
        yield live
