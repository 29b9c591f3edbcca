"""A throw-away Virtuoso (Debian's `virtuoso-opensource`) on free loopback ports, its database in
a temp folder, with SPARQL Update granted to its anonymous `/sparql` user."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.live import LiveServer, free_port, live_server, stop

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
"""


def virtuoso_installed() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


@contextmanager
def running_virtuoso(folder: Path) -> Iterator[str]:
    """Start Virtuoso in the foreground (so this process owns it); yields its `/sparql` URL."""
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["virtuoso-t", "+configfile", str(ini), "+foreground"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_ready(url, proc, folder)
        subprocess.run(
            ["isql-vt", str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield url
    finally:
        stop(proc, timeout=30)
        log.close()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 60
    query = url + "?query=" + urllib.request.quote("ASK { ?s ?p ?o }")
    while True:
        try:
            with urllib.request.urlopen(query, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = folder / "virtuoso.log"
                message = log.read_text() if log.exists() else "virtuoso did not start"
                raise RuntimeError(message) from None
            time.sleep(0.3)


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
