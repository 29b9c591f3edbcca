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


def test_a_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    """PyYAML says "mapping values are not allowed here" for `name: A: B`; a curator or a
    moderator is told what to do about it, on which line."""
    path = write(tmp_path, "---\nname: Soria acoge: castellano y queso\n---\nbody\n")
    with pytest.raises(RecordError) as info:
        parse_record(path)
    assert info.value.line == 2
    assert info.value.reason.endswith('must be written in quotes (name: "A: B")')


def test_an_unclosed_list_names_where_it_began(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nname: A\nthemes: [housing\ncountries: [ES]\n---\nbody\n")
    with pytest.raises(RecordError) as info:
        parse_record(path)
    assert info.value.line == 4
    assert info.value.reason.endswith("(in what begins on line 3)")


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
