"""A throw-away Virtuoso (Debian's `virtuoso-opensource`) on free loopback ports, its database in
a temp folder, with SPARQL Update granted to its anonymous `/sparql` user.

Used by the Virtuoso tests (`tests/e2e/virtuoso.py`) and the side-by-side benchmark
(`bench/virtuoso_bench.py`)."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.live import free_port, stop

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
    """Whether Debian's `virtuoso-t` and `isql-vt` are on the PATH."""
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


@contextmanager
def running_virtuoso(folder: Path) -> Iterator[str]:
    """Start Virtuoso in the foreground (so this process owns it) with its database and
    `virtuoso.ini` in `folder`; yields its `/sparql` URL and stops it on exit.

    Raises `RuntimeError` (with Virtuoso's log) if it does not answer within 60 s."""
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
    query = url + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
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
