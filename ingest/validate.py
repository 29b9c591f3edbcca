"""SHACL validation of record graphs (pySHACL), with results named by file and field and
worded for curators by `ingest/shacl_words.py` (`start: 2021-13-01 is not a valid date (month 13)`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier

from ingest.mapping import CONCEPT_PREDICATES, DATES, LINKS, TEXTS
from ingest.shacl_words import reason
from kg.errors import RecordError
from kg.settings import PROJECT_ROOT
from kg.vocab import DCT_NS, RDF_NS, RIKG_NS, SCHEMA_NS

ONTOLOGY = PROJECT_ROOT / "ontology"
FIELD_OF = {str(p): k for k, p in CONCEPT_PREDICATES.items()}
FIELD_OF |= {str(p): k for k, (p, _) in LINKS.items()}
FIELD_OF |= {str(p): k for k, p in DATES.items()} | {str(p): k for k, p in TEXTS.items()}
FIELD_OF |= {
    f"{SCHEMA_NS}name": "name",
    f"{SCHEMA_NS}description": "description (body)",
    f"{DCT_NS}source": "sources",
    f"{RDF_NS}value": "facts",
    f"{RIKG_NS}contactPage": "contact_url",
    f"{SCHEMA_NS}currency": "budget.currency",
    f"{SCHEMA_NS}value": "budget.amount",
    f"{RIKG_NS}amountKind": "budget.label",
    f"{RIKG_NS}participantCount": "participants",
}


@dataclass(frozen=True)
class Problem:
    """One SHACL result, mapped back to the record file."""

    file: str
    field: str
    reason: str
    severity: str

    def as_error(self) -> RecordError:
        return RecordError(self.file, self.field, self.reason)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


@lru_cache(maxsize=1)
def schemes_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "rikg.ttl")
    for path in sorted((ONTOLOGY / "schemes").glob("*.ttl")):
        g.parse(path)
    return g


class _PreparedQueries(Graph):
    """The graph pySHACL validates, parsing each SPARQL text once.

    pySHACL sends a SPARQL-based constraint's query (`rikgsh:EndNotBeforeStart`) once per focus
    node, as text, and rdflib parses text anew on every call (about 0.15 s with pyparsing): 77
    initiatives cost 11 s of parsing. Text queries without namespaces or base are answered from
    rdflib's prepared query instead (`prepareQuery`, the same parse and algebra), evaluated with
    the same bindings.
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's name
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803 - rdflib's name
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and initNs is None and "base" not in kwargs:
            query_object = _prepared(query_object)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


@lru_cache(maxsize=32)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def validate_graph(data: Graph, files: Mapping[str, str]) -> list[Problem]:
    """Validate `data` (records together); `files` maps record IRI → file for the messages."""
    target = _PreparedQueries()  # a copy of data + schemes, as `data + schemes_graph()` makes
    for prefix, uri in {*data.namespaces(), *schemes_graph().namespaces()}:
        target.bind(prefix, uri)
    target += data
    target += schemes_graph()
    conforms, results, _ = validate(
        target,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # `target` is ours to spend: pySHACL would otherwise copy it again
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    problems = []
    for result in results.objects(None, SH.result):
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        message = reason(result, results, shapes_graph(), data)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        record = focus.split("#", 1)[0]
        field = FIELD_OF.get(str(path), str(path)) if path is not None else "record"
        problems.append(Problem(files.get(record, record), field, message, severity))
    return sorted(set(problems), key=lambda p: (p.file, p.field, p.reason))
