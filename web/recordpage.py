"""How a record page groups facts for a practitioner: what, where, who, when, funding, …

Titles and labels are msgids, translated by the templates (web/i18n.py)."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from kg.errors import NotFound
from kg.graphs import holds_graph
from kg.record_document import RecordView, Value
from kg.vocab import DCT_NS as D
from kg.vocab import EU_COUNTRY, KINDS, NUTS, SCHEME_NS, graph_iri
from kg.vocab import RIKG_NS as R
from kg.vocab import SCHEMA_NS as S
from web.i18n import LANGUAGES, N_, plain

GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (N_("What"), [
        (f"{S}alternateName", N_("Also known as")),
        (f"{R}orgType", N_("Type of organisation")),
        (f"{R}policyType", N_("Type of policy")),
        (f"{D}subject", N_("Themes")),
        (f"{R}targetGroup", N_("Target groups")),
    ]),
    (N_("Where"), [(f"{D}spatial", N_("Countries and regions"))]),
    (N_("Who"), [
        (f"{R}coordinator", N_("Coordinator")),
        (f"{R}partner", N_("Partners")),
        (f"{S}funder", N_("Funders")),
        (f"{R}organiser", N_("Organisers")),
        (f"{S}parentOrganization", N_("Part of")),
        (f"{S}publisher", N_("Publisher")),
    ]),
    (N_("When"), [
        (f"{S}startDate", N_("Start")),
        (f"{S}endDate", N_("End")),
        (f"{S}datePublished", N_("Date")),
        (f"{S}superEvent", N_("Part of event")),
        (f"{R}participantCount", N_("Participants")),
    ]),
    (N_("Funding"), [
        (f"{R}fundingProgramme", N_("Funding programme")),
        (f"{S}identifier", N_("Grant or identifier")),
    ]),
    (N_("Rural context"), [
        (f"{R}addressesChallenge", N_("Challenges addressed")),
        (f"{R}buildsOnOpportunity", N_("Opportunities built on")),
    ]),
    (N_("Policies and related records"), [
        (f"{R}contributesTo", N_("Contributes to")),
        (f"{D}relation", N_("Related initiatives")),
        (f"{S}about", N_("Initiatives discussed")),
    ]),
]  # fmt: skip

INCOMING_LABELS = {
    f"{R}coordinator": N_("Coordinator of"),
    f"{R}partner": N_("Partner in"),
    f"{S}funder": N_("Funds"),
    f"{R}organiser": N_("Organised"),
    f"{R}contributesTo": N_("Initiatives contributing to it"),
    f"{D}relation": N_("Initiatives that list it as related"),
    f"{S}about": N_("Discussed at"),
    f"{S}parentOrganization": N_("Sub-organisations"),
    f"{D}source": N_("Cited by"),
    f"{D}subject": N_("Initiatives on this theme"),
    f"{R}targetGroup": N_("Initiatives for this group"),
    f"{R}fundingProgramme": N_("Funded by this programme"),
    f"{R}addressesChallenge": N_("Initiatives addressing this challenge"),
    f"{R}buildsOnOpportunity": N_("Initiatives building on this opportunity"),
    f"{D}spatial": N_("Records located here"),
    f"{S}publisher": N_("Published"),
}

#: the heading of incoming links whose property `INCOMING_LABELS` does not name
LINKED_FROM = N_("Linked from")

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


#: the codes of `rikg:orgType` and `rikg:policyType` (ontology/shapes.ttl) as a page names them
CODES = {
    "university": N_("university"),
    "research-centre": N_("research centre"),
    "ngo": N_("NGO"),
    "public-authority": N_("public authority"),
    "municipality": N_("municipality"),
    "local-action-group": N_("LEADER local action group"),
    "foundation": N_("foundation"),
    "network": N_("network"),
    "company": N_("company"),
    "international-organisation": N_("international organisation"),
    "eu-institution": N_("EU institution"),
    "action-plan": N_("action plan"),
    "funding-call": N_("funding call"),
    "guidance": N_("guidance"),
    "programme": N_("programme"),
    "regulation": N_("regulation"),
    "strategy": N_("strategy"),
}
CODED = (f"{R}orgType", f"{R}policyType")


def grouped(view: RecordView) -> list[tuple[str, list[tuple[str, list[Value]]]]]:
    """Non-empty groups of (label, values) in page order; concept values get browse links,
    type codes (`CODED`) their names in every interface language."""
    out = []
    for title, fields in GROUPS:
        rows = []
        for predicate, label in fields:
            values = view.values(predicate)
            for v in values:
                if v.href is None:
                    v.href = concept_href(v.value)
                if predicate in CODED and v.value in CODES:
                    v.label = CODES[v.value]
                    v.labels = {lang: plain(lang, CODES[v.value]) for lang in LANGUAGES}
            if values:
                rows.append((label, list(values)))
        if rows:
            out.append((title, rows))
    return out


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def misspelt_case(kind: str, slug: str) -> tuple[str, str] | None:
    """The record address `kind`/`slug` in lower case when it is written otherwise and names
    one in lower case (`Initiative`/`MATILDE` → `initiative`/`matilde`), else None: old links,
    link checkers and editors write addresses so, and every address of a record (its page, its
    URI, its card, the oEmbed `url`) leads to the lower-case one (Cool URIs: one URI a thing)."""
    lower = kind.lower(), slug.lower()
    if (kind, slug) != lower and lower[0] in KINDS and SLUG.match(lower[1]):
        return lower
    return None


def to_lower_case(request: Request, prefix: str, kind: str, slug: str) -> Response | None:
    """308 Permanent Redirect to `{prefix}/{kind}/{slug}` in lower case, the request's query
    kept, when the address is written otherwise (`misspelt_case`) and the store holds that
    record; else None. Raises `NotFound` when it does not: a link checker's `/place/DE7` had
    been sent on to a 404."""
    lower = misspelt_case(kind, slug)
    if lower is None:
        return None
    record = lower[1].split(".", 1)[0]  # `village-welcome.ttl`: the record's document
    if not held(request, lower[0], record):
        raise NotFound(f"no record at /{lower[0]}/{record}")
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{prefix}/{lower[0]}/{lower[1]}{query}", status_code=308)


def held(request: Request, kind: str, slug: str) -> bool:
    """Whether the store holds the record `kind`/`slug` (its named graph): an address in
    other letters is redirected to it only then, never on to a 404."""
    base = request.app.state.settings.base
    return holds_graph(request.app.state.store.current(), graph_iri(base, kind, slug))


def check(kind: str, slug: str) -> None:
    """Refuse (`NotFound`) an address that cannot name a record: an unknown kind, or a slug
    other than lowercase words joined by single hyphens (no dots, slashes or `..`)."""
    if kind not in KINDS or not SLUG.match(slug):
        raise NotFound(f"no record at /{kind}/{slug}")
