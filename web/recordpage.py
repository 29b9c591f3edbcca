"""How a record page groups facts for a practitioner: what, where, who, when, funding, …"""

from __future__ import annotations

from kg.namespaces import EU_COUNTRY, NUTS, SCHEME_NS
from kg.records import RecordView, Value

S, D, R = "http://schema.org/", "http://purl.org/dc/terms/", "https://w3id.org/rikg/ns#"

GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("What", [
        (f"{S}alternateName", "Also known as"),
        (f"{R}orgType", "Type of organisation"),
        (f"{R}policyType", "Type of policy"),
        (f"{D}subject", "Themes"),
        (f"{R}targetGroup", "Target groups"),
    ]),
    ("Where", [(f"{D}spatial", "Countries and regions")]),
    ("Who", [
        (f"{R}coordinator", "Coordinator"),
        (f"{R}partner", "Partners"),
        (f"{S}funder", "Funders"),
        (f"{R}organiser", "Organisers"),
        (f"{S}parentOrganization", "Part of"),
        (f"{S}publisher", "Publisher"),
    ]),
    ("When", [
        (f"{S}startDate", "Start"),
        (f"{S}endDate", "End"),
        (f"{S}datePublished", "Date"),
        (f"{S}superEvent", "Part of event"),
        (f"{R}participantCount", "Participants"),
    ]),
    ("Funding", [
        (f"{R}fundingProgramme", "Funding programme"),
        (f"{S}identifier", "Grant or identifier"),
    ]),
    ("Rural context", [
        (f"{R}addressesChallenge", "Challenges addressed"),
        (f"{R}buildsOnOpportunity", "Opportunities built on"),
    ]),
    ("Policies and related records", [
        (f"{R}contributesTo", "Contributes to"),
        (f"{D}relation", "Related initiatives"),
        (f"{S}about", "Initiatives discussed"),
    ]),
]  # fmt: skip

INCOMING_LABELS = {
    f"{R}coordinator": "Coordinates",
    f"{R}partner": "Partner in",
    f"{S}funder": "Funds",
    f"{R}organiser": "Organised",
    f"{R}contributesTo": "Initiatives contributing to it",
    f"{D}relation": "Related initiatives",
    f"{S}about": "Discussed at",
    f"{S}parentOrganization": "Sub-organisations",
    f"{D}source": "Cited by",
    f"{D}subject": "Initiatives on this theme",
    f"{R}targetGroup": "Initiatives for this group",
    f"{R}fundingProgramme": "Funded by this programme",
    f"{R}addressesChallenge": "Initiatives addressing this challenge",
    f"{R}buildsOnOpportunity": "Initiatives building on this opportunity",
    f"{D}spatial": "Records located here",
    f"{S}publisher": "Published",
}

SCHEME_PARAMS = {"theme", "target-group", "funding", "challenge", "opportunity"}


def concept_href(iri: str) -> str | None:
    """Browse page of a concept, country or NUTS region this graph describes."""
    if iri.startswith(SCHEME_NS):
        scheme, _, cid = iri[len(SCHEME_NS) :].partition("/")
        if scheme in SCHEME_PARAMS and cid:
            return f"/browse/{scheme}/{cid}"
    if iri.startswith(str(EU_COUNTRY)):
        return f"/browse/country/{iri.rsplit('/', 1)[-1]}"
    if iri.startswith(str(NUTS)):
        return f"/browse/nuts/{iri.rsplit('/', 1)[-1]}"
    return None


def grouped(view: RecordView) -> list[tuple[str, list[tuple[str, list[Value]]]]]:
    """Non-empty groups of (label, values) in page order; concept values get browse links."""
    out = []
    for title, fields in GROUPS:
        rows = []
        for predicate, label in fields:
            values = view.values(predicate)
            for v in values:
                if v.href is None:
                    v.href = concept_href(v.value)
            if values:
                rows.append((label, list(values)))
        if rows:
            out.append((title, rows))
    return out
