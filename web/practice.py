"""The initiative page as a practice sheet: the sections practitioners know from the European
Website on Integration and the EU CAP Network (at a glance; context and problem; what they did;
results and scale; what it cost; lessons and transferability; how to get in touch), filled from
the record's fields and the aspects of its facts (`ingest/records/README.md`).

Titles are msgids, translated by the templates (web/i18n.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlparse

from kg.dates import finest, within
from kg.practices import Contact, coordinator_contacts, partner_contacts
from kg.record_document import ClaimText, RecordView, Value
from kg.sentences import SENTENCE_END, after_first_sentence, first_sentence
from kg.vocab import INITIATIVE_TYPES
from web.i18n import N_

S, R = "http://schema.org/", "https://w3id.org/rikg/ns#"


def lead(text: str) -> str:
    """A practice sheet's lead: the description's first sentence (`first_sentence`) when at
    least two follow it, else the whole description — a second sentence alone under
    "Description" read as a fragment ("Entre ellas hay familias…", a trial)."""
    text = text.strip()
    if len(SENTENCE_END.findall(text)) < 2:
        return text if text[-1:] in ".!?" else f"{text}."
    return first_sentence(text)


def after_lead(text: str) -> str:
    """What a description says after its `lead`: the body under "Description", or ""."""
    text = text.strip()
    return after_first_sentence(text) if len(SENTENCE_END.findall(text)) >= 2 else ""


def paragraphs(text: str) -> list[str]:
    """A description's paragraphs: the parts between blank lines, each with its line breaks
    read as spaces (a contributed description's two paragraphs had run together)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


#: section id → (title, the fact aspects it shows, in this order)
SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("context", N_("Context and problem"), ("origin",)),
    ("activities", N_("What they did"), ("method", "activity", "participants")),
    ("results", N_("Results and scale"), ("result", "outcome", "output", "scale")),
    ("cost", N_("What it cost"), ("budget-note",)),
    ("lessons", N_("Lessons and transferability"), ("lesson", "transferability", "conclusion")),
]
#: the name of each kind of amount (`rikg:amountKind`, a budget's `label`): exactly the values
#: the shapes allow (ontology/shapes.ttl, `sh:in`), a test checks
BUDGET_KINDS = {
    "total": N_("total"),
    "eu-contribution": N_("EU contribution"),
    "eafrd": N_("EAFRD"),
    "erdf": N_("ERDF"),
    "national": N_("national"),
    "national-regional": N_("national and regional"),
    "regional": N_("regional"),
    "local": N_("local"),
    "municipal": N_("municipal"),
    "project-funding": N_("project funding"),
    "grant": N_("grant"),
    "own-contribution": N_("own contribution"),
    "topic": N_("call topic"),
    "phase-1": N_("first phase"),
    "phase-2": N_("second phase"),
    "unspecified": N_("unspecified"),
}

STATUS_ASPECTS = ("status",)


@dataclass
class Section:
    id: str
    title: str
    claims: list[ClaimText] = field(default_factory=list)


@dataclass
class Dates:
    """Start and end as the sources give them: several values when they disagree. A date
    within another ("2024" and "31 July 2024") agrees with it: only the finer is shown, with
    the sources of both (`kg.dates`; a German trial read "End: 2024 or 31 July 2024",
    marked disputed). A date is also disputed when a fact contradicts it (`rikg:disputed`)."""

    starts: list[Value]  # `finest`'s: earliest first, no date within another
    ends: list[Value]

    @property
    def starts_disputed(self) -> bool:
        return any(v.disputed for v in self.starts)

    @property
    def ends_disputed(self) -> bool:
        return any(v.disputed for v in self.ends)


def _finest(values: list[Value]) -> list[Value]:
    """The values no other refines, earliest first, each with the sources of the values it
    refines too."""
    kept = finest(v.value for v in values)
    out = []
    for date in kept:
        first = next(v for v in values if v.value == date)
        sources = [s for v in values if within(date, v.value) for s in v.sources]
        disputed = len(kept) > 1 or any(v.disputed for v in values if within(date, v.value))
        out.append(replace(first, sources=list(dict.fromkeys(sources)), disputed=disputed))
    return out


@dataclass
class Link:
    """A way to reach or read about the practice: a msgid saying what it is, and the URL."""

    what: str
    url: str
    site: str
    name: str = ""  # the organisation `what` names (`%(name)s`: a partner's)


def sections(view: RecordView) -> list[Section]:
    """The sheet's narrative sections, each with the facts of its aspects (empty ones too:
    the template leaves those out). Facts of an aspect no section names go to "Results"."""
    out = [Section(sid, title) for sid, title, _ in SECTIONS]
    by_aspect = {a: out[i] for i, (_, _, aspects) in enumerate(SECTIONS) for a in aspects}
    for claim in view.claims:
        if claim.aspect in STATUS_ASPECTS:
            continue
        by_aspect.get(claim.aspect, out[2]).claims.append(claim)
    return out


def host(url: str) -> str:
    """The host of `url` as people name a site: "www." left out ("cepaim.org")."""
    return urlparse(url).netloc.removeprefix("www.")


SHOWN_CHARS = 48  # of an address shown as a link's text, "…" past it


def shown_address(url: str) -> str:
    """An address as a link's text: host (no "www."), path and query, no scheme, no final "/"
    unless a query follows, cut with "…" past `SHOWN_CHARS` ("ngo.example.org/contact"): a
    contact page and the website on one host had read the same ("accueil-creuse.example.org"
    twice, a trial). The query stays: it may be what names the page (a Spanish trial read a
    project's page on its partner's site, abd.ong/en/?p=166523, as the partner's home page
    "abd.ong/en"); campaign tags are gone from the graph's addresses already
    (`ingest.mapping`).

    >>> shown_address("https://www.ngo.example.org/en/contact/")
    'ngo.example.org/en/contact'
    >>> shown_address("https://abd.ong/en/?p=166523")
    'abd.ong/en/?p=166523'

    Escaped letters beyond ASCII read as the letters, as a browser's address bar shows them;
    a space, a control or an invisible character stays escaped, and so do escapes that are not
    UTF-8 and ASCII escapes, whose decoding would change the address ("%2F" is not "/"); the
    cut never splits an escape:

    >>> shown_address("https://leaderlinne.se/gr%C3%B6n-landsbygdsintegration")
    'leaderlinne.se/grön-landsbygdsintegration'
    >>> shown_address("https://example.org/a%20b%E2%80%AEc%2Fd")
    'example.org/a%20b%E2%80%AEc%2Fd'
    """
    parts = urlparse(url)
    # the final "/" goes only where nothing follows it: "en/?p=1" and "en?p=1" are two pages
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path.rstrip("/")
    text = host(url) + _NON_ASCII_ESCAPES.sub(_letters, path)
    if len(text) <= SHOWN_CHARS:
        return text
    cut = SHOWN_CHARS - 1
    escape = text.rfind("%", cut - 2, cut)  # an escape the cut would split goes whole
    return text[: escape if escape >= 0 else cut] + "…"


#: a run of percent-escapes of bytes beyond ASCII: the UTF-8 of letters such as "ö"
_NON_ASCII_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def _letters(run: re.Match[str]) -> str:
    """The letters a run of escapes encodes (the WHATWG URL standard's "URL rendering": a
    browser shows them so), each that is not printable or is a space escaped again; the run
    unchanged when it is not UTF-8."""
    try:
        decoded = unquote_to_bytes(run.group()).decode("utf-8")
    except UnicodeDecodeError:
        return run.group()
    return "".join(c if c.isprintable() and not c.isspace() else quote(c) for c in decoded)


def links(view: RecordView, contacts: list[Contact], partners: list[Contact]) -> list[Link]:
    """How to get in touch, most direct first: the project's contact page and website, then
    each coordinator's contact page and website; where none of them is known, each partner's
    (a trial found no way in to Community Sponsorship Ireland, whose partner the Irish Red
    Cross has its website in the graph). Pages of other portals come after."""
    out: list[Link] = []
    seen: set[str] = set()

    def add(what: str, url: str, name: str = "") -> None:
        if url not in seen:
            seen.add(url)
            out.append(Link(what, url, shown_address(url), name))

    for v in view.values(f"{R}contactPage"):
        add(N_("Contact page of the project"), v.value)
    for v in view.values(f"{S}url"):
        add(N_("Website"), v.value)
    for c in contacts:
        for url in c.contact_pages:
            add(N_("Contact page of the coordinator"), url)
        for url in c.urls:
            add(N_("Website of the coordinator"), url)
    for c in partners if not out else []:
        for url in c.contact_pages:
            add(N_("Contact page of a partner, %(name)s"), url, c.name)
        for url in c.urls:
            add(N_("Website of a partner, %(name)s"), url, c.name)
    return out


def described_in(urls: list[str]) -> list[Link]:
    """The pages of other portals that describe the record, each named by its site, or by its
    site and path where two share a site (a trial read "eu-cap-network.ec.europa.eu" twice)."""
    hosts = [host(url) for url in urls]
    return [
        Link(N_("Described in"), url, shown_address(url) if hosts.count(site) > 1 else site)
        for url, site in zip(urls, hosts, strict=True)
    ]


def practice_context(store: Any, view: RecordView, base: str) -> dict[str, Any]:
    """What record.html needs to lay an initiative out as a practice sheet."""
    initiative = view.kind == "initiative"
    contacts = coordinator_contacts(store, view.iri) if initiative else []
    ways_in = links(view, contacts, [])
    if initiative and not ways_in:  # the partners' only where nothing nearer is known
        ways_in = links(view, contacts, partner_contacts(store, view.iri))
    return {
        "sections": sections(view),
        "status_claims": [c for c in view.claims if c.aspect in STATUS_ASPECTS],
        # earliest first, whatever order the store returns them in
        "dates": Dates(_finest(view.values(f"{S}startDate")), _finest(view.values(f"{S}endDate"))),
        "contacts": contacts,
        "contact_links": ways_in,
        "described_in": described_in([v.value for v in view.values(f"{S}subjectOf")]),
        "contact_href": {c.iri: c.iri.replace(f"{base}id/", "/", 1) for c in contacts},
        "initiative_type": initiative_type(view),
    }


#: initiative subtypes by their code (`initiative_type` in the record format and the search
#: filter) as the sheet and the search page name them
TYPE_LABELS = {
    "research-project": N_("Research project"),
    "funded-project": N_("Funded project"),
    "programme": N_("Programme"),
    "local-practice": N_("Local practice"),
    "network": N_("Network"),
    "pilot": N_("Pilot"),
}
_BY_CLASS = {str(iri): TYPE_LABELS[code] for code, iri in INITIATIVE_TYPES.items()}


def initiative_type(view: RecordView) -> str | None:
    """The msgid of the initiative's subtype, when its record gives one."""
    return next((_BY_CLASS[t] for t in view.types if t in _BY_CLASS), None)
