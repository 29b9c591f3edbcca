"""`kg.moderation`: the queue keeps every submission, whole, through crashes."""

import json
from pathlib import Path

import pytest

from kg.errors import BadRequest, NotFound
from kg.moderation import ModerationQueue, Submission, own_name, published_name, write_atomic


def submit(
    queue: ModerationQueue,
    text: str = "---\nname: A\n---\nbody\n",
    description: str = "A practice in a village.",
) -> str:
    return queue.submit(
        description=description,
        record_text=text,
        lang="es",
        sources=["https://example.org/a"],
        contact_name="Ana",
        contact_email="ana@example.org",
    )[0].id


def test_submit_list_edit_accept_reject(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)
    first, second = submit(queue), submit(queue, description="Another practice.")
    assert [s.id for s in queue.list()] == sorted([first, second])
    assert queue.edit(first, "---\nname: B\n---\n").record_text == "---\nname: B\n---\n"
    accepted = queue.accept(first, record="initiative/b")
    assert (accepted.state, accepted.record) == ("accepted", "initiative/b")
    assert accepted.reviewed is not None
    with pytest.raises(BadRequest, match="reason"):
        queue.reject(second, reason="  ")
    queue.reject(second, reason="not rural")
    assert queue.list() == []
    assert [s.id for s in queue.list("accepted")] == [first]
    assert queue.get(second).reason == "not rural"
    with pytest.raises(BadRequest, match="already accepted"):
        queue.accept(first, record="initiative/b")


def test_an_interrupted_move_keeps_the_later_state(tmp_path: Path) -> None:
    """A kill between writing accepted/ and removing pending/ leaves both files."""
    queue = ModerationQueue(tmp_path)
    sub_id = submit(queue)
    pending = (tmp_path / "pending" / f"{sub_id}.json").read_text()
    queue.accept(sub_id, record="initiative/a")
    (tmp_path / "pending" / f"{sub_id}.json").write_text(pending)  # as if the unlink never ran
    assert queue.get(sub_id).state == "accepted"
    assert queue.list() == []
    assert [s.id for s in queue.list("accepted")] == [sub_id]


def test_a_published_practice_is_withdrawn_with_a_reason_and_no_contact(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)
    sub_id, pending = submit(queue), submit(queue, description="Another practice.")
    accepted = queue.accept(sub_id, record="initiative/a")
    with pytest.raises(BadRequest, match="reason"):
        queue.withdraw(sub_id, reason=" ")
    with pytest.raises(BadRequest, match="not published"):
        queue.withdraw(pending, reason="a mistake")
    gone = queue.withdraw(sub_id, reason="the practice ended in 2019")
    assert (gone.state, gone.record, gone.reason) == ("withdrawn", "initiative/a", gone.reason)
    assert gone.reviewed == accepted.reviewed
    assert gone.withdrawn is not None
    assert queue.list("accepted") == []
    assert [s.id for s in queue.list("withdrawn")] == [sub_id]
    assert queue.withdrawn_records() == {"initiative/a": (gone.withdrawn[:10], "A")}
    files = [p.read_text() for p in tmp_path.rglob(f"{sub_id}.json")]
    assert len(files) == 1
    assert "ana@example.org" not in files[0]
    assert '"Ana"' not in files[0]
    with pytest.raises(BadRequest, match="withdrawn, not published"):
        queue.withdraw(sub_id, reason="again")
    # a withdrawal undone: accepted again, reviewed anew, the withdrawal forgotten
    with pytest.raises(BadRequest, match="not withdrawn"):
        queue.republish(pending, record="initiative/a")
    again = queue.republish(sub_id, record="initiative/a")
    assert (again.state, again.withdrawn, again.reason) == ("accepted", None, None)
    assert again.reviewed is not None
    assert queue.withdrawn_records() == {}
    assert [s.id for s in queue.list("accepted")] == [sub_id]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("---\nname: Raíces Nuevas\nthemes: [housing]\n---\nbody\n", "Raíces Nuevas"),
        ("---\nname: 'Orti: condivisi'\n---\n", "Orti: condivisi"),
        ("---\nthemes: [housing]\n---\n", ""),
        ("---\nname: [unclosed\n---\n", ""),
        ("no front matter", ""),
    ],
)
def test_published_name_reads_the_front_matter(text: str, name: str) -> None:
    assert published_name(text) == name


def test_ids_never_become_paths(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)
    (tmp_path / "secret.json").write_text("{}")
    for bad in ("../secret", "..%2Fsecret", "20260101-zzzzzzzzzzzz", "/etc/passwd", ""):
        with pytest.raises(NotFound):
            queue.get(bad)
    with pytest.raises(BadRequest):
        queue.list("../..")


def test_the_contact_stays_in_the_queue_file(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)
    sub_id = submit(queue)
    data = json.loads((tmp_path / "pending" / f"{sub_id}.json").read_text())
    assert data["contact_email"] == "ana@example.org"
    assert "ana@example.org" not in data["record_text"]


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["b.json"]


def test_the_same_practice_sent_twice_is_kept_once(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)

    def send(description: str, email: str = "ana@example.org") -> tuple[Submission, bool]:
        return queue.submit(
            description=description,
            record_text="---\nname: A\n---\n",
            lang="es",
            sources=[],
            contact_name="Ana",
            contact_email=email,
        )

    first, new = send("Families settle in villages of Soria.")
    again, second_new = send("Families  settle in villages of soria. ", "ANA@example.org")
    assert (new, second_new, again.id) == (True, False, first.id)
    assert [s.id for s in queue.list()] == [first.id]
    queue.reject(first.id, reason="test")  # once decided, the same text is a new submission
    _, third_new = send("Families settle in villages of Soria.")
    assert third_new


def test_sent_again_with_the_name_added_the_submission_is_updated(tmp_path: Path) -> None:
    """A contributor who sent the form without the practice's name, went back and sent it
    again with the name: the one pending submission now has the name (a trial found the name
    thrown away and "not saved twice" said)."""
    queue = ModerationQueue(tmp_path)
    common = {
        "description": "Families settle in villages of Soria.",
        "lang": "es",
        "sources": [],
        "contact_name": "Ana",
        "contact_email": "ana@example.org",
    }
    first, _ = queue.submit(record_text="---\nname:\n---\n", **common)  # type: ignore[arg-type]
    again, stored = queue.submit(
        record_text="---\nname: Soria acoge\n---\n",
        name="Soria acoge",
        **common,  # type: ignore[arg-type]
    )
    assert stored
    assert again.id == first.id
    [pending] = queue.list()
    assert (pending.id, pending.name) == (first.id, "Soria acoge")
    assert "Soria acoge" in queue.get(first.id).record_text


def test_own_name_refuses_a_record_naming_the_contributor(tmp_path: Path) -> None:
    queue = ModerationQueue(tmp_path)
    sub, _ = queue.submit(
        description="Families settle in villages.",
        record_text="---\nname: X\n---\n",
        lang="en",
        sources=[],
        contact_name="Ana Beltrán",
        contact_email="ana@example.org",
    )
    (refusal,) = own_name(sub, "---\nname: X\n---\nRun by ANA BELTRÁN.\n")
    assert "contributor's own name" in refusal
    assert "Beltrán" not in refusal  # the message is not another place the name goes
    assert own_name(sub, "---\nname: X\n---\nIn Santa Ana.\n") == []
