"""`kg draft` and `kg moderate`: practices contributed in plain words, published after review.

`kg draft FILE` suggests a record's structure from a description; `kg draft --eval` measures the
suggestions against the bundled initiatives; `kg moderate list|show|accept|reject` works the
moderation queue that the `/contribute` form fills (the same as `/moderate` in a browser).
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.errors import BadRequest
from kg.moderation import Check, ModerationQueue, Publish, Withdraw, own_name
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.search.index import SearchIndex
    from kg.store import GraphStore

moderate_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Review contributed practices. Each command exits 1 on an unknown submission.",
)


def default_sources(settings: Settings) -> list[Path]:
    """The record folders a plain `kg ingest` / `kg validate` reads: curated, then contributed."""
    contributed = settings.contrib_dir
    return [settings.records_dir, *([contributed] if contributed.is_dir() else [])]


def checker(settings: Settings) -> Check:
    """What "Save the edit" on `/moderate` says of a record: `ingest.contributions.check`."""

    def check(text: str) -> list[str]:
        from ingest.contributions import check as check_record

        return check_record(
            text,
            base=settings.base,
            records_dir=settings.records_dir,
            contrib_dir=settings.contrib_dir,
        )

    return check


def publisher(settings: Settings, store: GraphStore) -> Publish:
    """What accepting a submission does, for `kg moderate accept` and the `/moderate` page."""

    def publish(text: str, *, contributed_on: str, reviewed_on: str, restore: bool = False) -> str:
        from ingest.contributions import publish as publish_record
        from kg.dumps import ensure_dumps

        published = publish_record(
            text,
            store=store,
            records_dir=settings.records_dir,
            contrib_dir=settings.contrib_dir,
            base=settings.base,
            contributed_on=contributed_on,
            reviewed_on=reviewed_on,
            restore=restore,
        )
        ensure_dumps(store, settings.data_dir)
        return f"{published.kind}/{published.slug}"

    return publish


def withdrawer(settings: Settings, store: GraphStore) -> Withdraw:
    """What withdrawing a published contribution does, for `kg moderate withdraw` and the
    `/moderate` page: `ingest.contributions.withdraw`, then the dumps of the new snapshot."""

    def withdraw(record: str) -> None:
        from ingest.contributions import withdraw as withdraw_record
        from kg.dumps import ensure_dumps

        withdraw_record(
            record,
            store=store,
            records_dir=settings.records_dir,
            contrib_dir=settings.contrib_dir,
            base=settings.base,
        )
        ensure_dumps(store, settings.data_dir)

    return withdraw


def _index(settings: Settings) -> SearchIndex:
    """The search index holds the records, concepts and model the drafter needs."""
    from kg.search import SearchService
    from kg.store import open_store

    return SearchService(open_store(settings), settings).index()


def draft(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="A text file (or a saved web page, .html) describing the practice; - or none "
            "for standard input.",
            show_default=False,
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="The practice's name, if known.")] = None,
    source_url: Annotated[
        list[str] | None, typer.Option("--source", help="URL of a source; repeat for more.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder to write {out}/initiative/{slug}.md and proposed new organisations to "
            "(default: print the record)."
        ),
    ] = None,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--eval",
            help="Draft every bundled initiative from its descriptions; print precision and "
            "recall per field against its curated fields.",
        ),
    ] = False,
) -> None:
    """Suggest a record from a description: every suggestion is for a person to confirm.

    Exits 1 on an unreadable file or a description of less than a few sentences.
    """
    from kg.draft import PRESELECT, Drafter
    from kg.draft import evaluate as run_eval

    index = _index(Settings())
    drafter = Drafter(index.docs, index.concepts, index.embedder)
    docs = index.docs
    if evaluate:
        scores = run_eval(drafter, docs)
        n = sum(1 for d in docs if d.kind == "initiative" and d.descriptions)
        typer.echo(f"{n} initiatives, suggestions with confidence ≥ {PRESELECT}")
        typer.echo(f"{'field':<15}{'precision':>10}{'recall':>8}{'suggested':>11}{'expected':>10}")
        for s in scores:
            typer.echo(
                f"{s.field:<15}{s.precision:>10.2f}{s.recall:>8.2f}{s.suggested:>11}{s.expected:>10}"
            )
        return
    text = _read(source)
    if len(text.strip()) < 40:
        raise BadRequest("description: give at least a few sentences about the practice")
    result = drafter.draft(text, name=name)
    record = result.record_text(sources=source_url or [])
    if out is None:
        typer.echo(record, nl=False)
        return
    from ingest.contributions import slugify

    slug = slugify(result.name or "new-practice")
    target = out / "initiative" / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record, encoding="utf-8")
    typer.echo(f"draft: {target}")
    for org in result.new_organisations:
        org_file = out / "organisation" / f"{slugify(org)}.md"
        org_file.parent.mkdir(parents=True, exist_ok=True)
        if not org_file.exists():
            org_file.write_text(
                f"---\nname: {org}  # suggestion: named in the description; confirm\n"
                "sources:   # required\n---\n",
                encoding="utf-8",
            )
            typer.echo(f"proposed organisation: {org_file}")


def _read(source: Path | None) -> str:
    if source is None or str(source) == "-":
        return sys.stdin.read()
    raw = source.read_text(encoding="utf-8", errors="replace")
    return html_text(raw) if source.suffix.lower() in (".html", ".htm") else raw


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "svg"})
    BLOCK = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The readable text of a saved web page (scripts, styles, navigation left out)."""
    parser = _Text()
    parser.feed(page)
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def _queue(settings: Settings) -> ModerationQueue:
    return ModerationQueue(settings.queue_dir)


@moderate_app.command("list")
def list_pending(
    state: Annotated[str, typer.Option(help="pending, accepted or rejected.")] = "pending",
) -> None:
    """The submissions in one state, oldest first. Exits 1 on an unknown state."""
    subs = _queue(Settings()).list(state)
    for sub in subs:
        first = sub.record_text.split("\n", 2)[1] if "\n" in sub.record_text else ""
        typer.echo(f"{sub.id}  {sub.submitted_on}  {sub.lang}  {first}")
    typer.echo(f"{len(subs)} {state}")


@moderate_app.command("show")
def show(sub_id: Annotated[str, typer.Argument(help="Submission id.")]) -> None:
    """A submission's draft record, sources and contributor (private: never published).

    Exits 1 on an unknown submission.
    """
    sub = _queue(Settings()).get(sub_id)
    typer.echo(f"# {sub.id} · {sub.state} · submitted {sub.submitted} · language {sub.lang}")
    typer.echo(f"# contributor (private): {sub.contact_name} <{sub.contact_email}>")
    if sub.reason:
        typer.echo(f"# rejected: {sub.reason}")
    typer.echo(sub.record_text, nl=False)


@moderate_app.command("accept")
def accept(
    sub_id: Annotated[str, typer.Argument(help="Submission id.")],
    edited: Annotated[
        Path | None,
        typer.Option("--record", help="The record file as edited by the moderator."),
    ] = None,
) -> None:
    """Publish a submission: it becomes a record file and is ingested with its provenance.

    Exits 1 on an unknown submission.
    """
    from kg.store import open_store

    settings = Settings()
    queue = _queue(settings)
    sub = queue.get(sub_id)
    if edited is not None:
        sub = queue.edit(sub_id, edited.read_text(encoding="utf-8"))
    for refusal in own_name(sub, sub.record_text):
        raise BadRequest(refusal)
    publish = publisher(settings, open_store(settings))
    today = datetime.now(UTC).date().isoformat()
    record = publish(sub.record_text, contributed_on=sub.submitted_on, reviewed_on=today)
    queue.accept(sub_id, record=record)
    typer.echo(f"accepted: {record}")


@moderate_app.command("withdraw")
def withdraw(
    sub_id: Annotated[str, typer.Argument(help="Submission id of a published practice.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the submission, not published).")],
) -> None:
    """Take a published contribution off the site: its page then answers 410 Gone, and the
    contributor's name and e-mail are deleted.

    Exits 1 on an unknown submission, one not published, or an empty reason.
    """
    from kg.store import open_store

    settings = Settings()
    queue = _queue(settings)
    sub = queue.get(sub_id)
    if sub.state != "accepted" or not sub.record:
        raise BadRequest(f"submission {sub_id} is {sub.state}, not published")
    if not reason.strip():
        raise BadRequest("reason: say why the practice is withdrawn")
    withdrawer(settings, open_store(settings))(sub.record)
    queue.withdraw(sub_id, reason=reason)
    typer.echo(f"withdrawn: {sub.record}")


@moderate_app.command("republish")
def republish(
    sub_id: Annotated[str, typer.Argument(help="Submission id of a withdrawn practice.")],
) -> None:
    """Publish a withdrawn practice again, at its own address (a withdrawal undone).

    Exits 1 on an unknown submission or one that is not withdrawn.
    """
    from kg.store import open_store

    settings = Settings()
    queue = _queue(settings)
    sub = queue.get(sub_id)
    if sub.state != "withdrawn":
        raise BadRequest(f"submission {sub_id} is {sub.state}, not withdrawn")
    today = datetime.now(UTC).date().isoformat()
    publish = publisher(settings, open_store(settings))
    record = publish(
        sub.record_text, contributed_on=sub.submitted_on, reviewed_on=today, restore=True
    )
    queue.republish(sub_id, record=record)
    typer.echo(f"published again: {record}")


@moderate_app.command("reject")
def reject(
    sub_id: Annotated[str, typer.Argument(help="Submission id.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the submission).")],
) -> None:
    """Reject a submission with a reason; nothing is published.

    Exits 1 on an unknown submission.
    """
    _queue(Settings()).reject(sub_id, reason=reason)
    typer.echo(f"rejected: {sub_id}")
