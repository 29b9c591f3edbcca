from pathlib import Path

import pytest

from ingest.record_format import parse_record
from kg.errors import RecordError


def write(folder: Path, text: str) -> Path:
    path = folder / "initiative" / "broken.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_yaml_error_names_file_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nname: [unclosed\nsources: {}\n---\nbody\n")
    with pytest.raises(RecordError) as info:
        parse_record(path)
    message = info.value.message
    assert str(path) in message
    assert "front matter" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "line", "ending"),
    [
        # PyYAML says "mapping values are not allowed here" for `name: A: B`: a curator or a
        # moderator is told what to do about it, on which line
        (
            "---\nname: Soria acoge: castellano y queso\n---\nbody\n",
            2,
            'must be written in quotes (name: "A: B")',
        ),
        # an unclosed list is noticed lines later: where it began is named too
        (
            "---\nname: A\nthemes: [housing\ncountries: [ES]\n---\nbody\n",
            4,
            "(in what begins on line 3)",
        ),
    ],
)
def test_a_yaml_error_says_where_and_what_to_do(
    tmp_path: Path, text: str, line: int, ending: str
) -> None:
    with pytest.raises(RecordError) as info:
        parse_record(write(tmp_path, text))
    assert info.value.line == line
    assert info.value.reason.endswith(ending)


def test_missing_front_matter_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "just text\n")
    with pytest.raises(RecordError, match="front matter"):
        parse_record(path)


def test_slug_must_be_lowercase(tmp_path: Path) -> None:
    path = tmp_path / "initiative" / "Bad_Slug.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nname: x\n---\n")
    with pytest.raises(RecordError, match="slug"):
        parse_record(path)


def test_digest_changes_with_content(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nname: A\n---\nbody\n")
    first = parse_record(path).digest
    path.write_text("---\nname: B\n---\nbody\n")
    assert parse_record(path).digest != first
