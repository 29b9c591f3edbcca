"""The `kg` command: thin subcommands over library functions; the one place that wires
`ingest/`, `kg/` and `web/` together (design.md §1)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import KGError, ValidationFailed
from kg.settings import Settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False
)
log = logging.getLogger("kg")
Sources = Annotated[list[Path] | None, typer.Argument(help="Record files or folders.")]


def _settings() -> Settings:
    return Settings()


@app.command()
def ingest(
    sources: Sources = None,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", help="Load valid records, report the rest.")
    ] = False,
) -> None:
    """Validate the records and write them to the store, atomically."""
    from ingest.pipeline import ingest_records
    from kg.store import GraphStore

    settings = _settings()
    store = GraphStore.open(settings)
    started = time.perf_counter()
    # records missing from the folder are removed only when the whole default folder is read
    report = ingest_records(
        store,
        sources or [settings.records_dir],
        base=settings.base,
        keep_going=keep_going,
        prune=not sources,
    )
    for err in report.errors:
        typer.echo(f"refused: {err.message}", err=True)
    from kg.dumps import ensure_dumps

    ensure_dumps(store, settings.data_dir)  # once per snapshot: a no-op when nothing changed
    secs = time.perf_counter() - started
    typer.echo(f"ingest: {report.summary()} ({report.changes} changes, {secs:.2f}s)")
    if report.errors:
        raise typer.Exit(1)


@app.command()
def validate(sources: Sources = None) -> None:
    """Check records against the format and the SHACL shapes; exit 1 on any error."""
    from ingest.pipeline import validate_sources

    settings = _settings()
    errors = validate_sources(sources or [settings.records_dir], base=settings.base)
    for err in errors:
        typer.echo(err.message, err=True)
    if errors:
        raise typer.Exit(1)
    typer.echo("valid")


@app.command()
def query(
    text: Annotated[str, typer.Argument(help="SPARQL query, or @file to read one.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, xml, csv, tsv, turtle, nt, jsonld")
    ] = "table",
) -> None:
    """Run a SPARQL query against the store and print the result."""
    from kg.results import render
    from kg.sparql import run_query
    from kg.store import GraphStore

    if text.startswith("@"):
        text = Path(text[1:]).read_text()
    store = GraphStore.open(_settings())
    typer.echo(render(run_query(store.current(), text), fmt))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="nq, trig, turtle, nt, jsonld")] = "nq",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write the whole graph (with its named graphs for nq/trig) to a file or stdout."""
    from kg.export import export_graph
    from kg.store import GraphStore

    data = export_graph(GraphStore.open(_settings()).current(), fmt)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Serve the web UI, the SPARQL endpoint and the linked-data pages."""
    import uvicorn

    from web.app import create_app

    settings = _settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        app(standalone_mode=False)
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
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
