"""A worker process: opens the published snapshot read-only and answers queries sent over a
pipe. The parent kills it when a query outlives the time limit, and a crash costs only this
process."""

from __future__ import annotations

import os
import signal
import threading
import time
from multiprocessing.connection import Connection

from kg.endpoint.execute import Answer, QueryRequest, SearchFunctions, execute
from kg.errors import BadRequest, KGError
from kg.settings import Settings
from kg.store import GraphStore, open_store

#: what a worker sends back: an answer, or the error class name and its message
Reply = Answer | tuple[str, str]
READY = "ready"
#: the request to load the search index and model now, answered READY (or the error)
LOAD_SEARCH = "load-search"


def main(conn: Connection, settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    exit_with_parent()
    store = open_store(settings)
    store.current()
    conn.send(READY)
    functions = SearchFunctions(store, settings)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        if request == LOAD_SEARCH:
            conn.send(_load(functions))
            continue
        conn.send(answer(store, request, functions))


def _load(functions: SearchFunctions) -> Reply | str:
    """READY once `functions` has loaded the search index and model, or the error that a
    query calling `rikg:similarity` would meet."""
    try:
        functions.load()
    except KGError as exc:
        return (type(exc).__name__, str(exc))
    except Exception as exc:  # the worker lives on: the query meets it again and reports it
        return ("BadRequest", f"rikg:similarity is not available: {exc}")
    return READY


def exit_with_parent(interval: float = 0.5) -> None:
    """Exit when the parent process dies (checked every `interval` seconds); used by query
    workers and by the server processes under `kg serve --workers`. A server killed with
    SIGKILL cannot stop its workers; an idle one sees the pipe close, but one busy with a long
    query would run on, orphaned, until the query ends (issue 8). Not PR_SET_PDEATHSIG: that
    fires when the *thread* that started the worker exits, and replacements are started from
    request threads."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def answer(store: GraphStore, request: QueryRequest, functions: object) -> Reply:
    try:
        return execute(store, request, functions)  # type: ignore[arg-type]
    except KGError as exc:
        return type(exc).__name__, exc.message
    except Exception as exc:  # evaluation errors of the engine: the client's query is at fault
        return BadRequest.__name__, f"query could not be evaluated: {exc}"
