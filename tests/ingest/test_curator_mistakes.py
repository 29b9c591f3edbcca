"""Issue 16: record files broken the way a curator breaks them are refused in plain words,
`file[:line]: field: reason`, never accepted with a value silently lost."""

from pathlib import Path

import pytest

from ingest.pipeline import validate_sources
from tests.conftest import BASE

FILE = "initiative/village-welcome.md"


def refusals(records_dir: Path, old: str, new: str) -> list[str]:
    path = records_dir / FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return [
        e.message.removeprefix(f"{records_dir}/")
        for e in validate_sources([records_dir], base=BASE)
    ]


@pytest.mark.parametrize(
    ("old", "new", "refusal"),
    [
        ("name: Village Welcome\n", "name: Village Welcome\nname: Village Welcome Again\n",
         f"{FILE}:3: name: given twice (first on line 2); keep one"),
        ("nuts: [ES242]", "nuts: [ZZ999]", f"{FILE}: nuts: 'ZZ999' is not a NUTS code"),
        ("themes: [housing, depopulation-revitalisation]", "themes: housing, depopulation",
         f"{FILE}: themes: 'housing, depopulation' is one text; write a list: "
         "[housing, depopulation]"),
        ("funding: [amif]", "funding: [Horizon 2020]",
         f"{FILE}: funding: 'Horizon 2020' is not a concept id (lowercase words joined by '-', "
         "as in ontology/schemes/funding.ttl)"),
        # a concept the scheme does not have, with the nearest it does (it passed the
        # moderation check and was refused only on "accept")
        ("themes: [housing, depopulation-revitalisation]", "themes: [housing, houssing]",
         f"{FILE}: themes: houssing is not a theme concept (ontology/schemes/theme.ttl lists "
         "them; did you mean housing?)"),
        ('start: "2019-03"', "start: 2021/03/01",
         f"{FILE}: start: '2021/03/01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ],
)  # fmt: skip
def test_a_curator_mistake_is_refused_in_plain_words(
    records_dir: Path, old: str, new: str, refusal: str
) -> None:
    assert refusals(records_dir, old, new) == [refusal]


def test_an_unquoted_date_stays_as_written(records_dir: Path) -> None:
    """YAML 1.1 would read `start: 2019-03-01` as a date object; the record keeps the text."""
    assert refusals(records_dir, 'start: "2019-03"', "start: 2019-03-01") == []
