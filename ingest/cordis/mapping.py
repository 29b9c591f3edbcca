"""Map CORDIS projects and organisations to RDF under the rikg ontology (`ontology/rikg.ttl`).

A project is first mapped as a standalone record `id/initiative/cordis-{id}` (so the SHACL shapes
check it like any curated record); `attach` then moves the statements of a project that is also a
curated record onto the curated record's IRI (issue 7: merged, not duplicated).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from ingest.cordis.rows import Participation, Project
from kg.geo import ISO2_TO_ISO3, country_iri, nuts_iri
from kg.vocab import CORDIS_PROJECT, EURIO, RIKG, SCHEMA, concept_iri, record_iri

#: framework programme (rows.FRAMEWORKS) → funding concept of ontology/schemes/funding.ttl
FUNDING = {
    "FP4": "fp4",
    "FP5": "fp5",
    "FP6": "fp6",
    "FP7": "fp7",
    "H2020": "horizon-2020",
    "HORIZON": "horizon-europe",
}
#: CORDIS activityType → org_type of the curated records (OTH stays untyped)
ORG_TYPES = {
    "HES": "university",
    "REC": "research-centre",
    "PUB": "public-authority",
    "PRC": "company",
}
ROLE_PREDICATES = {"coordinator": RIKG.coordinator, "partner": RIKG.partner}
#: statements a curated record makes about itself; CORDIS does not repeat them when attached
OWN = {RDF.type, RIKG.kind, SCHEMA.description}


def cordis_page(project_id: str) -> URIRef:
    return URIRef(f"{CORDIS_PROJECT}{project_id}")


def project_slug(project_id: str) -> str:
    return f"cordis-{project_id}"


def organisation_iri(base: str, org_key: str) -> URIRef:
    return URIRef(record_iri(base, "organisation", f"cordis-{org_key}"))


def project_graph(project: Project, *, base: str) -> Graph:
    """The project as a standalone initiative record."""
    g = Graph()
    s = URIRef(record_iri(base, "initiative", project_slug(project.id)))
    page = cordis_page(project.id)
    for cls in (SCHEMA.Project, RIKG.Initiative, RIKG.ResearchProject):
        g.add((s, RDF.type, cls))
    g.add((s, RIKG.kind, Literal("initiative")))
    # CORDIS publishes titles and objectives in English
    g.add((s, SCHEMA.name, Literal(project.title, lang="en")))
    g.add((s, SCHEMA.description, Literal(project.objective or project.title, lang="en")))
    if project.acronym:
        g.add((s, SCHEMA.alternateName, Literal(project.acronym)))
    g.add((s, SCHEMA.identifier, Literal(project.id)))
    # the CORDIS graph names the same project `?p a eurio:Project ; eurio:identifier "id"`
    g.add((s, EURIO.identifier, Literal(project.id)))
    g.add((s, SCHEMA.sameAs, page))  # the page identifies it; it is not the page
    g.add((s, DCTERMS.source, page))
    g.add((page, DCTERMS.title, Literal(f"CORDIS: {project.acronym or project.title}")))
    if project.start:
        g.add((s, SCHEMA.startDate, Literal(project.start.isoformat(), datatype=XSD.date)))
    if project.end:
        g.add((s, SCHEMA.endDate, Literal(project.end.isoformat(), datatype=XSD.date)))
    _amount(g, s, "total", project.total_cost, page)
    _amount(g, s, "eu-contribution", project.eu_contribution, page)
    if project.framework in FUNDING:
        g.add(
            (s, RIKG.fundingProgramme, URIRef(concept_iri("funding", FUNDING[project.framework])))
        )
    for topic in project.topics:
        g.add((s, RIKG.fundingTopic, Literal(topic)))
    for call in project.calls:
        g.add((s, RIKG.fundingCall, Literal(call)))
    for word in dict.fromkeys([*project.keywords, *project.subjects]):
        g.add((s, SCHEMA.keywords, Literal(word)))
    if project.url:
        g.add((s, SCHEMA.url, URIRef(project.url)))
    for part in project.participations:
        g.add((s, ROLE_PREDICATES[part.role], organisation_iri(base, part.org_key)))
        for place in _places(part):
            g.add((s, DCTERMS.spatial, place))
    if not project.participations:  # 2019–2021 project tables name the countries themselves
        for code in project.countries:
            if code in ISO2_TO_ISO3:
                g.add((s, DCTERMS.spatial, URIRef(country_iri(code))))
    return g


def organisation_graph(parts: list[Participation], *, base: str) -> Graph:
    """An organisation from its rows (the first, by project id, gives its details)."""
    first = min(parts, key=lambda p: (int(p.project_id), p.row.entry))
    g = Graph()
    o = organisation_iri(base, first.org_key)
    g.add((o, RDF.type, SCHEMA.Organization))
    g.add((o, RDF.type, RIKG.Organisation))
    g.add((o, RIKG.kind, Literal("organisation")))
    # legal names are in the organisation's own language, which CORDIS does not state
    g.add((o, SCHEMA.name, Literal(first.name, lang="und")))
    if first.short_name:
        g.add((o, SCHEMA.alternateName, Literal(first.short_name)))
    if first.org_key.isdigit():
        g.add((o, SCHEMA.identifier, Literal(first.org_key)))
    if first.activity_type in ORG_TYPES:
        g.add((o, RIKG.orgType, Literal(ORG_TYPES[first.activity_type])))
    if first.url:
        g.add((o, SCHEMA.url, URIRef(first.url)))
    for place in _places(first):
        g.add((o, DCTERMS.spatial, place))
    if first.city:
        g.add((o, SCHEMA.address, Literal(first.city)))
    for pid in sorted({p.project_id for p in parts}, key=int):
        g.add((o, DCTERMS.source, cordis_page(pid)))
    return g


def attach(graph: Graph, *, standalone: str, target: str) -> Graph:
    """Move a standalone project's statements onto the curated record `target`.

    The curated record keeps its own type, kind, name and description; CORDIS's title becomes
    an alternate name, and nodes of the project (`…#cordis-total`) move with it.
    """
    out = Graph()
    src = URIRef(standalone)

    def moved(term: URIRef) -> URIRef:
        text = str(term)
        return URIRef(target + text[len(standalone) :]) if text.startswith(standalone) else term

    for s, p, o in graph:
        if s == src and p in OWN:
            continue
        if s == src and p == SCHEMA.name:
            p = SCHEMA.alternateName
        new_s = moved(s) if isinstance(s, URIRef) else s
        new_o = moved(o) if isinstance(o, URIRef) else o
        out.add((new_s, p, new_o))
    return out


def annotate(
    graph: Graph,
    *,
    g_iri: str,
    subject: str,
    digest: str,
    source_file: str,
    sources: Iterable[URIRef],
    ingested_at: str,
) -> None:
    """Provenance of a CORDIS named graph, like the curated records' (ingest/mapping.py)."""
    g = URIRef(g_iri)
    graph.add((g, RDF.type, PROV.Entity))
    graph.add((g, SCHEMA.about, URIRef(subject)))
    graph.add((g, RIKG.sourceFile, Literal(source_file)))
    graph.add((g, RIKG.contentHash, Literal(digest)))
    graph.add((g, RIKG.adapter, Literal("cordis")))
    graph.add((g, PROV.generatedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    for src in sources:
        graph.add((g, PROV.wasDerivedFrom, src))


def _amount(g: Graph, s: URIRef, kind: str, value: Decimal | None, page: URIRef) -> None:
    if value is None:
        return
    node = URIRef(f"{s}#cordis-{kind}")
    g.add((s, RIKG.budget, node))
    g.add((node, RDF.type, SCHEMA.MonetaryAmount))
    g.add((node, SCHEMA.value, Literal(f"{value:.2f}", datatype=XSD.decimal)))
    g.add((node, SCHEMA.currency, Literal("EUR")))
    g.add((node, RIKG.amountKind, Literal(kind)))
    g.add((node, DCTERMS.source, page))


def _places(part: Participation) -> list[URIRef]:
    out = []
    if part.country in ISO2_TO_ISO3:
        out.append(URIRef(country_iri(part.country)))
    if part.nuts:
        out.append(URIRef(nuts_iri(part.nuts)))
    return out
