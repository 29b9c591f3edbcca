"""The moderation queue: contributed practices wait here, outside the public graph.

A `Submission` is one JSON file under `{root}/{state}/{id}.json`, `state` being `pending`,
`accepted`, `rejected` or `withdrawn` (accepted, published, and later taken off the site). Every
write goes to a temporary file in the same folder, is flushed and fsynced, then renamed over the
target and the folder fsynced (POSIX rename is atomic), so a crash or kill at any moment leaves
either the old or the new file, never half of one. A state change writes the new state's file before
it removes the old one; should a kill fall between the two, the later state wins when the queue is
read (`accepted`/`rejected` over `pending`, `withdrawn` over `accepted`).

The contributor's name and e-mail live only in these files: they are never written to a record,
the graph, the dumps or a log. Identifiers are generated here (`secrets.token_hex`) and checked
against `ID` before any path is built from one, so no path comes from user input.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from kg.errors import BadRequest, NotFound
from kg.personal import holds_name

STATES = ("pending", "accepted", "rejected", "withdrawn")
ID = re.compile(r"^[0-9]{8}-[0-9a-f]{12}\Z")


@dataclass(frozen=True)
class Submission:
    """A contributed practice and what a moderator did with it.

    `record_text` is the draft record file (front matter + description) the contributor
    confirmed and a moderator may edit; `contact_name`/`contact_email` are private.
    Dates are ISO 8601 (`submitted`, `reviewed`, `withdrawn`: UTC date-times); `reason` is why
    it was rejected or withdrawn (private to moderators).
    """

    id: str
    submitted: str
    lang: str
    description: str
    record_text: str
    sources: list[str] = field(default_factory=list)
    name: str = ""  # the practice's name as the contributor gave it (may be empty)
    contact_name: str = ""
    contact_email: str = ""
    state: str = "pending"
    reviewed: str | None = None
    reason: str | None = None
    record: str | None = None  # "initiative/{slug}" once accepted
    withdrawn: str | None = None  # when a published record was taken off the site

    @property
    def submitted_on(self) -> str:
        return self.submitted[:10]


class Publish(Protocol):
    """Turns an accepted record text into a published record; returns `kind/slug`.

    Dates are YYYY-MM-DD; `restore`: a withdrawn practice published again at its address (which
    is otherwise never given again). Raises `ValidationFailed` or `BadRequest` and publishes
    nothing when the record is refused. The CLI wires the implementation
    (`ingest.contributions`).
    """

    def __call__(
        self, text: str, *, contributed_on: str, reviewed_on: str, restore: bool = False
    ) -> str: ...


class Withdraw(Protocol):
    """Takes a published contribution (`kind/slug`, as `Publish` returned it) off the site: its
    record file and graph are removed. Raises `BadRequest` for a record that is not a
    contribution, `ValidationFailed` when the ingest refuses (nothing is then removed). The
    CLI wires the implementation (`ingest.contributions.withdraw`)."""

    def __call__(self, record: str) -> None: ...


class Check(Protocol):
    """What would refuse a record text on "accept" (its front matter, each field's value,
    contact details in its text), one message each, naming the field; [] when none is found.
    Publishes nothing. The CLI wires the implementation (`ingest.contributions.check`)."""

    def __call__(self, text: str) -> list[str]: ...


class ModerationQueue:
    """Durable queue of submissions in a folder (`KG_QUEUE_DIR`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def submit(
        self,
        *,
        description: str,
        record_text: str,
        lang: str,
        sources: list[str],
        contact_name: str,
        contact_email: str,
        name: str = "",
    ) -> tuple[Submission, bool]:
        """Store a new pending submission durably (on disk before this returns), and say
        whether this send stored anything. The same description from the same e-mail address
        while the first is pending (a form sent twice, "Back" and send again) is not stored
        again: that submission is returned, with False; sent again with a name, sources or a
        draft that differ (the contributor went back to add the name), that submission is
        updated in place and returned, with True."""
        for pending in self.list("pending"):
            if pending.contact_email.casefold() == contact_email.casefold() and _same_text(
                pending.description, description
            ):
                sent = {"name": name, "sources": sources, "record_text": record_text, "lang": lang}
                if all(getattr(pending, k) == v for k, v in sent.items()):
                    return pending, False
                updated = replace(pending, contact_name=contact_name, **sent)  # type: ignore[arg-type]
                self._write(updated)
                return updated, True
        now = datetime.now(UTC)
        sub = Submission(
            id=f"{now:%Y%m%d}-{secrets.token_hex(6)}",
            submitted=now.isoformat(timespec="seconds"),
            lang=lang,
            description=description,
            record_text=record_text,
            sources=sources,
            contact_name=contact_name,
            contact_email=contact_email,
            name=name,
        )
        self._write(sub)
        return sub, True

    def get(self, sub_id: str) -> Submission:
        """The submission in its latest state; NotFound for an unknown or malformed id."""
        if not ID.match(sub_id):
            raise NotFound(f"no submission {sub_id!r}")
        for state in reversed(STATES):  # the later state wins after an interrupted move
            path = self.root / state / f"{sub_id}.json"
            if path.exists():
                return _load(path)
        raise NotFound(f"no submission {sub_id!r}")

    def list(self, state: str = "pending") -> list[Submission]:
        """Submissions in one state, oldest first."""
        if state not in STATES:
            raise BadRequest(f"state must be one of {', '.join(STATES)}")
        folder = self.root / state
        if not folder.is_dir():
            return []
        subs = []
        for path in sorted(folder.glob("*.json")):
            if not ID.match(path.stem):
                continue
            latest = self.get(path.stem)
            if latest.state == state:
                subs.append(latest)
        return subs

    def edit(self, sub_id: str, record_text: str) -> Submission:
        """Replace the draft record text of a pending submission."""
        sub = self._pending(sub_id)
        updated = replace(sub, record_text=record_text)
        self._write(updated)
        return updated

    def accept(self, sub_id: str, *, record: str) -> Submission:
        """Mark a submission accepted as `record` (`kind/slug`), with the review time."""
        return self._move(self._pending(sub_id), "accepted", record=record)

    def reject(self, sub_id: str, *, reason: str) -> Submission:
        """Mark a submission rejected; the reason is required. The contributor's name and
        e-mail are erased: they were kept to ask about a practice that will not be published
        (GDPR Art. 5(1)(c) and (e), data minimisation and storage limitation; the contribute
        form says so)."""
        if not reason.strip():
            raise BadRequest("reason: say why the submission is rejected")
        return self._move(
            self._pending(sub_id),
            "rejected",
            reason=reason.strip(),
            contact_name="",
            contact_email="",
        )

    def withdraw(self, sub_id: str, *, reason: str) -> Submission:
        """Mark an accepted submission withdrawn (its record taken off the site: the caller
        has unpublished it first), with the time and the reason, which is required and private
        to moderators. The contributor's name and e-mail are erased, as on rejection. Raises
        `BadRequest` for an empty reason or a submission that is not accepted, `NotFound` for
        an unknown id."""
        if not reason.strip():
            raise BadRequest("reason: say why the practice is withdrawn")
        sub = self.get(sub_id)
        if sub.state != "accepted":
            raise BadRequest(f"submission {sub_id} is {sub.state}, not published")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        erased = {"contact_name": "", "contact_email": ""}
        return self._move(sub, "withdrawn", withdrawn=now, reason=reason.strip(), **erased)

    def republish(self, sub_id: str, *, record: str) -> Submission:
        """Mark a withdrawn submission accepted again as `record` (the caller has published it
        again), reviewed now; the withdrawal's date and reason go. Raises `BadRequest` for a
        submission that is not withdrawn, `NotFound` for an unknown id."""
        sub = self.get(sub_id)
        if sub.state != "withdrawn":
            raise BadRequest(f"submission {sub_id} is {sub.state}, not withdrawn")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return self._move(sub, "accepted", record=record, reviewed=now, withdrawn=None, reason=None)

    def withdrawn_records(self) -> dict[str, tuple[str, str]]:
        """Records taken off the site: `kind/slug` → (the date it was withdrawn, YYYY-MM-DD;
        its name as published). The caller asks the graph first: a record published again is
        in it."""
        return {
            s.record: ((s.withdrawn or "")[:10], published_name(s.record_text) or s.name)
            for s in self.list("withdrawn")
            if s.record
        }

    def _pending(self, sub_id: str) -> Submission:
        sub = self.get(sub_id)
        if sub.state != "pending":
            raise BadRequest(f"submission {sub_id} is already {sub.state}")
        return sub

    def _move(self, sub: Submission, state: str, **changes: Any) -> Submission:
        """`sub` in `state`, written before its previous state's file is removed. A decision on
        a pending submission is dated `reviewed`; a withdrawal keeps the review's date."""
        if sub.state == "pending":
            changes["reviewed"] = datetime.now(UTC).isoformat(timespec="seconds")
        moved = replace(sub, state=state, **changes)
        self._write(moved)
        (self.root / sub.state / f"{sub.id}.json").unlink(missing_ok=True)
        return moved

    def _write(self, sub: Submission) -> None:
        folder = self.root / sub.state
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(
            folder / f"{sub.id}.json", json.dumps(asdict(sub), ensure_ascii=False, indent=1)
        )


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a crash leaves the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _same_text(a: str, b: str) -> bool:
    """Equal but for white space and letter case."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _load(path: Path) -> Submission:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Submission(**data)


def published_name(record_text: str) -> str:
    """The `name` of a record text's front matter ("" when it has none or does not parse)."""
    head, sep, _ = record_text.removeprefix("---\n").partition("\n---")
    try:
        data = yaml.safe_load(head) if sep else None
    except yaml.YAMLError:
        return ""
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) else ""


def own_name(sub: Submission, text: str) -> list[str]:
    """A refusal (one message) when the record `text`, all of which may be published, holds
    the contributor's name as they gave it (`kg.personal.holds_name`: the full name, whole
    words, any case); [] otherwise. The message does not repeat the name: README,
    "Contributions" (the contributor's name stays in the queue file)."""
    if not holds_name(text, sub.contact_name):
        return []
    return [
        "record text: it holds the contributor's own name (given privately with the "
        "submission, under Contributor); personal data is never published: remove it"
    ]
