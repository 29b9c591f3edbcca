"""The `kg` command: thin subcommands over library functions; the one place that wires
`ingest/`, `kg/` and `web/` together (ARCHITECTURE.md).

What `kg --help` tells its users, the exit status of every command included: `HELP`.

Most imports sit inside the commands, on purpose: the SPARQL query workers are spawned
processes, and a spawned process imports the parent's main module again (`python -m cli.main
serve`); at module level this file would make every worker import the web stack, the search
stack and the ingest pipeline before it can answer (seconds), and `kg --help` would wait too.
"""

from __future__ import annotations

import html
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.contribute import (
    checker,
    default_sources,
    draft,
    moderate_app,
    publisher,
    withdrawer,
)
from kg.errors import BadRequest, KGError, ValidationFailed
from kg.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ingest.pipeline import IngestReport
    from kg.store import GraphStore

#: what `kg --help` says: what the tool does and its exit status (the module docstring is for
#: the people who work on it)
HELP = """Ingest records and CORDIS exports into the Rural Integration Knowledge Graph, serve its
site, API and SPARQL endpoint, evaluate its search, and draft and moderate contributions.

Exit status of every command: 0 done;
1 an error, one `error:` or `refused:` line per problem on stderr
(a refused record, a bad query, format or file, an unusable store);
2 a usage error (unknown option, missing argument); 130 interrupted.
Library warnings and tracebacks stay off the terminal unless --verbose.
"""
app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=HELP, pretty_exceptions_enable=False
)
log = logging.getLogger("kg")
HEALTHCHECK_TIMEOUT = 30  # seconds (uvicorn's default: 5)
Sources = Annotated[list[Path] | None, typer.Argument(help="Record files or folders.")]
#: loggers whose INFO lines are the tool's own; everything else is a library's
OWN_LOGGERS = ("kg", "ingest", "cli", "web", "bench")
Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose", help="Show library warnings and full tracebacks.", show_default=False
    ),
]
_verbose = False


class _OwnLines(logging.Filter):
    """Without --verbose: the tool's own log lines, without tracebacks; no library records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _verbose:
            return True
        if record.name.split(".", 1)[0] not in OWN_LOGGERS:
            return False
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


#: without --verbose: the model libraries' own progress bars and advice stay quiet too
QUIET_ENV = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}
_quieted: set[str] = set()


def set_verbose(verbose: bool) -> None:
    """--verbose: library warnings (logging and `warnings`) and tracebacks reach the terminal.

    Called before any command imports a library, so the environment it sets is seen."""
    global _verbose
    _verbose = _verbose or verbose
    if _verbose:
        warnings.resetwarnings()
        logging.captureWarnings(True)
        for name in _quieted:
            os.environ.pop(name, None)
        _quieted.clear()
        return
    warnings.simplefilter("ignore")
    for name, value in QUIET_ENV.items():
        if name not in os.environ:  # an operator's own setting wins
            os.environ[name] = value
            _quieted.add(name)


@app.callback()
def _options(verbose: Verbose = False) -> None:
    set_verbose(verbose)


app.command()(draft)
app.add_typer(moderate_app, name="moderate")


def _settings() -> Settings:
    return Settings()


IngestArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Record files or folders; or `cordis PATH` for a CORDIS export (zip or folder).",
        show_default=False,
    ),
]


@app.command()
def ingest(
    sources: IngestArgs = None,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", help="Load valid records, report the rest.")
    ] = False,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Do not update the search index.")
    ] = False,
    topic: Annotated[
        list[str] | None, typer.Option(help="CORDIS: keep projects whose topic starts so.")
    ] = None,
    call: Annotated[
        list[str] | None, typer.Option(help="CORDIS: keep projects whose call starts so.")
    ] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option(help="CORDIS: keep projects with this word in keywords or title."),
    ] = None,
    verbose: Verbose = False,
) -> None:
    """Validate the records and write them to the store, atomically, then index them.

    Exits 1 when any record is refused (nothing is written unless --keep-going).

    `kg ingest cordis PATH` reads CORDIS project exports instead.
    PATH: a .zip, a folder (its .zip files too) or one table file.
    Tables (.csv, .tsv, .json, .xlsx) are recognised by header, not name:
    - project: id, title and acronym or startDate
    - organisation: projectID, role, name
    - topics (projectID, topic) and euroSciVoc (projectID, euroSciVocTitle)
    Both column generations: the current export and 2019-2021
    (rcn;id;acronym;status;programme;topics;... and
    projectRcn;projectID;projectAcronym;role;id;name;...).
    Delimiter `;`, tab or `,` (sniffed); UTF-8, BOM or not; quotes inside
    quoted fields doubled, backslash-escaped or bare; decimal comma or dot.
    Programmes FP4-FP7, H2020, Horizon Europe: funding concepts.
    Contact-person columns (contact...) are never read.
    A row that cannot be split: refused with file, line, start of field.
    """
    from kg.store import open_store

    set_verbose(verbose)
    args = sources or []
    settings = _settings()
    started = time.perf_counter()
    report: IngestReport
    if args[:1] == ["cordis"]:  # a records folder named so is given as ./cordis
        if len(args) != 2:
            raise BadRequest("give one CORDIS export: kg ingest cordis PATH")
        from ingest.cordis import Selection, ingest_cordis

        store = open_store(settings)
        selection = Selection(tuple(topic or ()), tuple(call or ()), tuple(keyword or ()))
        report = ingest_cordis(
            store, Path(args[1]), base=settings.base, selection=selection, keep_going=keep_going
        )
    else:
        if topic or call or keyword:
            raise BadRequest("--topic, --call and --keyword go with: kg ingest cordis PATH")
        from ingest.pipeline import ingest_records

        store = open_store(settings)
        # records missing from the folder are removed only when the whole default folder is read
        report = ingest_records(
            store,
            [Path(a) for a in args] or default_sources(settings),
            base=settings.base,
            keep_going=keep_going,
            prune=not args,
        )
    _finish_ingest(store, settings, report, started=started, index=not no_index)


def _finish_ingest(
    store: GraphStore, settings: Settings, report: IngestReport, *, started: float, index: bool
) -> None:
    """Report, refresh the dumps and the search index; exit 1 when records were refused."""
    from kg.dumps import ensure_dumps

    for err in report.errors:
        typer.echo(f"refused: {err.message}", err=True)
    ensure_dumps(store, settings.data_dir)  # once per snapshot: a no-op when nothing changed
    secs = time.perf_counter() - started
    typer.echo(f"ingest: {report.summary()} ({report.changes} changes, {secs:.2f}s)")
    if index:
        _refresh_search_index(store, settings)
    if report.errors:
        # not typer.Exit: main() runs the app with standalone_mode=False, which turns an Exit
        # into a return value, so --keep-going with refused records exited 0
        sys.exit(1)


def _refresh_search_index(store: GraphStore, settings: Settings) -> None:
    """Index the store as it now is (issue 4): embeds only texts not in the vector cache."""
    from kg.search import SearchService

    started = time.perf_counter()
    encoded = SearchService(store, settings).refresh()
    if encoded is not None:
        secs = time.perf_counter() - started
        typer.echo(f"search index: rebuilt, {encoded} texts embedded ({secs:.2f}s)")


@app.command()
def validate(sources: Sources = None, verbose: Verbose = False) -> None:
    """Check records against the format and the SHACL shapes; exit 1 on any error.

    Each error is one line on stderr: `file: field: reason`.
    """
    from ingest.pipeline import validate_sources

    set_verbose(verbose)
    settings = _settings()
    errors = validate_sources(sources or default_sources(settings), base=settings.base)
    for err in errors:
        typer.echo(err.message, err=True)
    if errors:
        sys.exit(1)  # not typer.Exit: see _finish_ingest
    typer.echo("valid")


@app.command()
def query(
    text: Annotated[str, typer.Argument(help="SPARQL query, or @file to read one.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, xml, csv, tsv, turtle, nt, jsonld")
    ] = "table",
    verbose: Verbose = False,
) -> None:
    """Run a SPARQL query against the store and print the result.

    Exits 1 on a query that does not parse (with the parser's line:column),
    an unknown format or an unreadable @file.
    """
    from kg.results import render

    set_verbose(verbose)
    from kg.sparql import run_query
    from kg.store import open_store

    if text.startswith("@"):
        text = Path(text[1:]).read_text()
    store = open_store(_settings())
    typer.echo(render(run_query(store.current(), text), fmt))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="nq, trig, turtle, nt, jsonld")] = "nq",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    verbose: Verbose = False,
) -> None:
    """Write the whole graph (with its named graphs for nq/trig) to a file or stdout.

    Exits 1 on an unknown format or an output file that cannot be written.
    """
    from kg.export import export_graph

    set_verbose(verbose)
    from kg.store import open_store

    data = export_graph(open_store(_settings()).current(), fmt)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes on the port (KG_WORKERS; default: cores)."),
    ] = None,
    verbose: Verbose = False,
) -> None:
    """Serve the web UI, the SPARQL endpoint and the linked-data pages.

    Exits 1 when the store cannot be opened, holds records ingested under another
    KG_BASE_URI, or the address cannot be bound;
    2 on a port that is not a number.
    """
    import uvicorn

    from cli.http_protocol import NoDelayHttpToolsProtocol

    set_verbose(verbose)
    from kg.graphs import record_base
    from kg.store import open_store

    settings = _settings()
    # an in-memory store lives in one process: several would each serve an empty one
    processes = 1 if settings.in_memory else workers or settings.server_processes
    # open the store here first, so a store that cannot be opened is one `error:` line and exit
    # status 1, not server processes failing (and being restarted) one after another
    store = open_store(settings)
    store.version()
    minted = record_base(store.current())
    if minted is not None and minted != settings.base:
        raise KGError(
            f"the store's records were ingested under {minted}, but KG_BASE_URI is "
            f"{settings.base}: no record page or record URI would be found. Run `kg ingest` "
            f"with this KG_BASE_URI (it re-maps every record), or serve with "
            f"KG_BASE_URI={minted}"
        )
    # the server processes read their settings from the environment: tell them how many they are
    os.environ["KG_WORKERS"] = str(processes)
    address = (host or settings.host, port or settings.port)
    try:
        uvicorn.run(
            "cli.main:server_app",
            factory=True,
            workers=processes,
            http=NoDelayHttpToolsProtocol,
            loop="uvloop",  # keep-alive without 40 ms stalls (cli/http_protocol.py)
            # uvicorn kills a server process that does not answer its health check in time;
            # one loading the model on a busy machine can hold the interpreter for seconds
            timeout_worker_healthcheck=HEALTHCHECK_TIMEOUT,
            host=address[0],
            port=address[1],
            log_level="info",
        )
    except SystemExit as exc:  # uvicorn exits 3 when it cannot bind; the help promises 1
        if exc.code not in (0, None):
            raise KGError(f"cannot serve on {address[0]}:{address[1]} (see above)") from None
        raise


def server_app() -> FastAPI:
    """The app of one server process of `kg serve` (uvicorn calls this in each process).

    Each process opens the same snapshot store and follows its new snapshots on its own, maps
    the saved search index read-only (shared pages, `kg.search.index`), loads the search index
    and model in the background while it starts (issue 4), and runs its share of the SPARQL
    query workers (`Settings.query_workers`). Under uvicorn's process manager it exits when the
    manager dies, so a SIGKILLed server leaves no process behind (issue 8)."""
    from kg.endpoint.worker import exit_with_parent
    from kg.store import open_store
    from web.app import create_app

    settings = _settings()
    if settings.server_processes > 1:
        exit_with_parent()
    store = open_store(settings)
    return create_app(
        settings,
        store=store,
        publish=publisher(settings, store),
        withdraw=withdrawer(settings, store),
        check=checker(settings),
        warm_search=True,
    )


Values = Annotated[list[str] | None, typer.Option(help="Repeat to require several.")]


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to look for, in any language.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, keyword or vector.")] = "hybrid",
    theme: Values = None,
    target_group: Values = None,
    country: Annotated[list[str] | None, typer.Option(help="ISO code, e.g. ES.")] = None,
    nuts: Annotated[list[str] | None, typer.Option(help="NUTS code, e.g. ES24.")] = None,
    funding: Values = None,
    challenge: Values = None,
    opportunity: Values = None,
    kind: Annotated[list[str] | None, typer.Option(help="initiative, organisation, …")] = None,
    year: Annotated[
        str | None, typer.Option(help="Active in YYYY, YYYY-YYYY, YYYY-, -YYYY.")
    ] = None,
    sort: Annotated[str, typer.Option(help="relevance, start, end or name.")] = "relevance",
    correct: Annotated[
        bool, typer.Option("--correct/--no-correct", help="Correct unknown words.")
    ] = True,
    verbose: Verbose = False,
) -> None:
    """Search the graph by meaning and keywords; each hit says why it matched.

    Exits 1 on an unknown --mode or --sort or a malformed --year (a filter value
    that nothing carries finds 0 results).
    """
    import re

    set_verbose(verbose)
    from kg.search import SearchQuery, SearchService
    from kg.store import open_store

    settings = _settings()
    params: dict[str, str | list[str] | None] = {
        "q": text,
        "limit": str(limit),
        "mode": mode,
        "theme": theme,
        "target_group": target_group,
        "country": country,
        "nuts": nuts,
        "funding": funding,
        "challenge": challenge,
        "opportunity": opportunity,
        "kind": kind,
        "year": year,
        "sort": sort,
        "correct": "1" if correct else "0",
    }
    query = SearchQuery.from_params(params)
    results = SearchService(open_store(settings), settings).search(query)
    if results.corrected:
        typer.echo(f"showing results for: {results.corrected} (--no-correct searches {text!r})")
    typer.echo(f"{results.total} results")
    if not results.total and results.concepts:
        typer.echo("closest concepts: " + ", ".join(c.label for c in results.concepts))
    for n, hit in enumerate(results.hits, start=1):
        snippet = re.sub(r"<mark>(.*?)</mark>", lambda m: typer.style(m[1], bold=True), hit.snippet)
        typer.echo(f"{n:>3}. {hit.doc.name}  [{hit.doc.kind}/{hit.doc.slug}]  {hit.score:.3f}")
        typer.echo(f"     {html.unescape(snippet)}")
        typer.echo(f"     why: {hit.why.summary}")


@app.command(name="eval")
def evaluate(
    queries: Annotated[
        list[Path] | None,
        typer.Argument(
            help="JSON lines files (eval/README.md); default: every eval/*.jsonl",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Kinds ranked (default: all, as a user searches)."),
    ] = None,
    fusion: Annotated[str, typer.Option(help="weighted (the default) or rrf.")] = "weighted",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Each query's top 5, and library warnings.")
    ] = False,
    pool_file: Annotated[
        Path | None,
        typer.Option(
            "--pool",
            help="Also write the records to judge next: per graded query, those any mode ranks "
            "in its first 10 and the file does not judge (JSON lines: file, q, records A-Z).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Print, per file: nDCG@10, recall@10, MRR and nDCG'@10 (unjudged records taken out:
    `kg.search.evaluate`) of hybrid, keyword and vector ranking (graded files), the share of
    queries whose named record is first (navigational), the share with no result (off-topic).
    With `--pool FILE`, also write the unjudged records of every mode's first ten
    (`kg.search.evaluate.pool`; how such a pool is judged: eval/README.md).

    Exits 1 on a queries file with a malformed line (named with its line);
    2 on a missing file.
    """
    set_verbose(verbose)
    from kg.search import SearchService
    from kg.search.evaluate import load_queries, pool, run, summarise
    from kg.settings import PROJECT_ROOT
    from kg.store import open_store

    settings = _settings()
    kinds = [] if kind in (None, ["all"]) else list(kind)
    files = queries or sorted((PROJECT_ROOT / "eval").glob("*.jsonl"))
    index = SearchService(open_store(settings), settings).index(progress=True)
    pooled: list[str] = []
    for path in files:
        judged = load_queries(path)
        results = run(index, judged, kinds=kinds, fusion=fusion)
        pooled += [
            json.dumps({"file": path.name, "q": q, "records": slugs}, ensure_ascii=False)
            for q, slugs in pool(results).items()
        ]
        typer.echo(
            f"{path.name}: {len(judged)} queries, model {index.model}, "
            f"kinds {', '.join(kinds) or 'all'}, fusion {fusion}"
        )
        kinds_of = {q.kind for q in judged}
        columns = [
            *(("nDCG@10", "ndcg"), ("recall@10", "recall"), ("MRR", "mrr")),
            ("nDCG'@10", "judged_ndcg"),
        ]
        if kinds_of == {"navigational"}:
            columns = [("named first", "first")]
        elif kinds_of == {"offtopic"}:
            columns = [("no result", "empty")]
        typer.echo(f"{'mode':<9}" + "".join(f"{title:>12}" for title, _ in columns))
        for mode, s in summarise(results).items():
            typer.echo(f"{mode:<9}" + "".join(f"{getattr(s, key):>12.3f}" for _, key in columns))
        if verbose:
            for r in results:
                typer.echo(f"[{r.mode}] {r.ndcg:.3f} {r.query.text!r}: {', '.join(r.ranked[:5])}")
    if pool_file is not None:
        pool_file.write_text("".join(line + "\n" for line in pooled), encoding="utf-8")
        typer.echo(f"{pool_file}: {len(pooled)} queries with records to judge")


def main() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_OwnLines())
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=[handler]
    )
    set_verbose("--verbose" in sys.argv[1:2])  # `kg --verbose …` before any import warns
    try:
        status = app(standalone_mode=False)
    except ValidationFailed as exc:
        for err in exc.errors:
            typer.echo(f"error: {err.message}", err=True)
        sys.exit(1)
    except KGError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except OSError as exc:  # a full disk or read-only folder outside the store (issue 8)
        where = f": {exc.filename}" if exc.filename else ""
        typer.echo(f"error: {exc.strerror or exc}{where}", err=True)
        sys.exit(1)
    except Exception as exc:  # usage errors: typer ≥ 0.29 vendors click under TyperException
        import click

        show = getattr(exc, "show", None)
        if isinstance(exc, click.ClickException | typer.TyperException) and callable(show):
            show()
            sys.exit(getattr(exc, "exit_code", 2))
        if _verbose:
            raise
        typer.echo(f"error: {type(exc).__name__}: {exc} (--verbose shows where)", err=True)
        sys.exit(1)
    # with standalone_mode=False a typer.Exit raised in a command is returned, not raised
    if isinstance(status, int) and status:
        sys.exit(status)


if __name__ == "__main__":
    main()
