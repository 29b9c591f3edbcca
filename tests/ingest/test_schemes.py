"""The concept schemes (`ontology/schemes/*.ttl`) as a SKOS checker reads them."""

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kg.settings import PROJECT_ROOT

#: the labels a lookup reads (hidden ones: the inflections search matches)
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
SCHEMES = sorted((PROJECT_ROOT / "ontology" / "schemes").glob("*.ttl"))


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_no_label_names_two_concepts_of_a_scheme(path: Path) -> None:
    """qSKOS's "Overlapping Labels" (Mader, Haslhofer and Isaac, TPDL 2012): a researcher's
    lookup of "unaccompanied minors" found two concepts, the narrower one and migrant youth,
    which had kept the labels from before the narrower one existed; social farming the same
    under agriculture and food. One label, case aside, names one concept of a scheme in one
    language; and each concept has at most one preferred label per language (SKOS S14)."""
    graph = Graph().parse(path)
    named: defaultdict[tuple[str, str | None], set[str]] = defaultdict(set)
    for concept, prop, label in graph.triples((None, None, None)):
        if prop in LABELS and isinstance(label, Literal):
            named[(str(label).casefold(), label.language)].add(str(concept))
    assert {label: c for label, c in named.items() if len(c) > 1} == {}
    preferred: defaultdict[tuple[str, str | None], int] = defaultdict(int)
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        assert isinstance(label, Literal)
        preferred[(str(concept), label.language)] += 1
    assert {key: n for key, n in preferred.items() if n > 1} == {}
