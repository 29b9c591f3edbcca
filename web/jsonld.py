"""schema.org JSON-LD for record pages (issue 6), built from a RecordView."""

from __future__ import annotations

import json
from typing import Any

from kg.record_document import RecordView
from kg.vocab import DCT_NS as D
from kg.vocab import LICENSE
from kg.vocab import RIKG_NS as R
from kg.vocab import SCHEMA_NS as S
from web.i18n import DEFAULT, N_, day_in, plain
from web.templating import KIND_LABELS

SITE = N_("Rural Integration Knowledge Graph")

SCHEMA_SAME_AS = f"{S}sameAs"
SCHEMA_TYPE = {
    "initiative": "Project",
    "organisation": "Organization",
    "policy": "CreativeWork",
    "event": "Event",
    "source": "CreativeWork",
    "place": "Place",
}


def schema_org(
    view: RecordView, *, page_url: str, address: str | None = None, lang: str = "en"
) -> dict[str, Any]:
    """A schema.org description search engines and extruct understand: every property in its
    type's domain on schema.org (a validator flags others), the page's own facts
    (`dateModified`, `isBasedOn`, `inLanguage`) on the `WebPage` it is the main entity of.

    `page_url`: the record page's address (the record's `url` when it names no website of its
    own); `address`: the address of the
    page this is embedded in (its canonical one, `…?lang=fr`), the `WebPage`'s `@id`, default
    `page_url`; `lang`: the page's language, that of the name and description where the record
    has them in it (a webmaster's trial: French pages described the record in English, as the
    English page)."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPE[view.kind],
        "@id": view.iri,
        "url": page_url,
        "name": view.name(lang),
    }
    if view.description(lang):
        doc["description"] = view.description(lang)
    alt = [v.label for v in view.values(f"{S}alternateName")]
    if alt:
        doc["alternateName"] = alt
    doc.update(_dates(view))
    regions = {
        v.value: {"@type": "Place", "name": v.label_in(lang), "sameAs": v.value}
        for v in view.values(f"{D}spatial")
    }
    # a place the record names that is one of its regions is said once, with the region's
    # link (a webmaster's trial read Carinthia and Vorarlberg twice in MATILDE's); compared
    # with every label of the region, so the German page's "Kärnten" meets the record's own
    # "Carinthia"
    named = {
        label.casefold()
        for v in view.values(f"{D}spatial")
        for label in (v.label, v.label_in(lang), *v.labels.values())
    }
    # a place in one of the regions names it as its `containedInPlace`, and the region is not
    # said again beside it (a later trial read "Lower Silesia" and "Lower Silesia
    # (Dolnośląskie)", the second without a link, in SHARE SIRA's)
    own: list[dict[str, Any]] = []
    nested: set[str] = set()
    for p in view.places:
        if p.label.casefold() in named:
            continue
        inside = [regions[iri] for iri in p.within if iri in regions]
        nested.update(p.within)
        own.append(
            {"@type": "Place", "name": p.label}
            | ({"containedInPlace": inside[0] if len(inside) == 1 else inside} if inside else {})
        )
    places = [place for iri, place in regions.items() if iri not in nested] + own
    if places:
        doc[PLACE_PROPERTY[SCHEMA_TYPE[view.kind]]] = places
    orgs = [
        {"@type": "Organization", "@id": v.value, "name": v.label}
        for pred in (f"{R}coordinator", f"{R}partner")
        for v in view.values(pred)
    ]
    if orgs:
        doc["member" if view.kind == "initiative" else "contributor"] = orgs
    urls = [v.value for v in view.values(f"{S}url")]
    if view.kind == "event":
        doc.update(_event(view, has_place=bool(places), urls=urls))
    funders = [
        {"@type": "Organization", "@id": v.value, "name": v.label}
        for v in view.values(f"{S}funder")
    ]
    if funders:
        doc["funder"] = funders
    # a funding programme (AMIF, "national public funding") is no organisation: schema.org's
    # `funding`, a Grant, says what paid for the work (schema.org/funding, schema.org/Grant).
    # The programme is no grant either: the Grant is a node of its own, named by the
    # programme it came from (schema.org has no property from a Grant to its FundingScheme);
    # the programme's IRI stays in the record's RDF (rikg:fundingProgramme)
    grants = [{"@type": "Grant", "name": v.label} for v in view.values(f"{R}fundingProgramme")]
    if grants:
        doc["funding"] = grants
    # the item's own website where the record gives one, a project's as an organisation's
    # (schema.org/url; Project is an Organization: a web editor's trial read RURITAGE's site
    # only under `sameAs` and this page as its `url`); the page is `mainEntityOfPage`
    if urls:
        doc["url"] = urls[0]
    # the practice's contact page, where people find whom to write to (schema.org/contactPoint,
    # of an Organization and so of a Project; a ContactPoint's `url`): no e-mail, no person
    contact = [v.value for v in view.values(f"{R}contactPage")]
    if contact and SCHEMA_TYPE[view.kind] in ("Project", "Organization"):
        doc["contactPoint"] = {"@type": "ContactPoint", "url": contact[0]}
    same = [v.value for v in view.values(SCHEMA_SAME_AS)] + urls
    if same:
        doc["sameAs"] = same
    # in the page's language, as the page names them (a trial read English keywords on the
    # French and German pages)
    keywords = [
        v.label_in(lang) for p in (f"{D}subject", f"{R}targetGroup") for v in view.values(p)
    ]
    if keywords:
        doc["keywords"] = ", ".join(keywords)
    identifiers = [v.value for v in view.values(f"{S}identifier")]
    if identifiers:
        doc["identifier"] = identifiers
    # the page, a CreativeWork, carries when it changed and what it is based on: properties a
    # Project or an Organization does not have
    page: dict[str, Any] = {"@type": "WebPage", "@id": address or page_url, "inLanguage": lang}
    if view.modified:
        page["dateModified"] = view.modified
    page["isBasedOn"] = [s.value for s in view.sources]
    page["license"] = LICENSE  # what a re-user may do with it: the dataset's licence
    doc["mainEntityOfPage"] = page
    return doc


def _event(view: RecordView, *, has_place: bool, urls: list[str]) -> dict[str, Any]:
    """An event's organisers (`organizer`) and how it was attended (`eventAttendanceMode`); an
    online event with no place is at a `VirtualLocation` (schema.org/Event: `location` is a
    Place, PostalAddress or VirtualLocation), whose `url` is the event's own page where the
    record gives one (`urls`; Google's Event structured data requires `location.url` of an
    online event, which a web developer's trial found missing). Only what the record
    states."""
    out: dict[str, Any] = {}
    organisers = [
        {"@type": "Organization", "@id": v.value, "name": v.label}
        for v in view.values(f"{R}organiser")
    ]
    if organisers:
        out["organizer"] = organisers
    modes = [v.value.rsplit("/", 1)[-1] for v in view.values(f"{S}eventAttendanceMode")]
    if modes:
        out["eventAttendanceMode"] = f"https://schema.org/{modes[0]}"
        if modes[0] == "OnlineEventAttendanceMode" and not has_place:
            out["location"] = {"@type": "VirtualLocation", **({"url": urls[0]} if urls else {})}
    return out


#: where each type says where it is (schema.org: `location` of Organization and Event,
#: `spatialCoverage` of CreativeWork; an organisation's places are the area it serves)
PLACE_PROPERTY = {
    "Project": "location",
    "Organization": "areaServed",
    "Event": "location",
    "CreativeWork": "spatialCoverage",
    "Place": "containedInPlace",
}


def _dates(view: RecordView) -> dict[str, str | list[str]]:
    """The record's start and end in the properties its schema.org type has: a Project's or
    an Organization's `foundingDate` / `dissolutionDate`, every date the sources give where
    they disagree (a list, as the page and the record's RDF keep both claims: a trial read
    SHARE SIRA's disputed end as one date here and two there); an Event's `startDate` /
    `endDate`, its first start and last end (one value each, as event search reads them); a
    CreativeWork's `temporalCoverage` (an ISO 8601 interval, `..` for an open end); a Place
    has none."""
    starts = sorted({v.value for v in view.values(f"{S}startDate")})
    ends = sorted({v.value for v in view.values(f"{S}endDate")})
    start, end = (starts[0] if starts else None), (ends[-1] if ends else None)
    kind = SCHEMA_TYPE[view.kind]
    if kind in ("Project", "Organization"):
        stated = (("foundingDate", starts), ("dissolutionDate", ends))
        return {k: v[0] if len(v) == 1 else v for k, v in stated if v}
    if kind == "Event":
        return {k: v for k, v in (("startDate", start), ("endDate", end)) if v}
    if kind == "CreativeWork" and (start or end):
        return {"temporalCoverage": f"{start or '..'}/{end or '..'}"}
    return {}


def website(base: str) -> dict[str, Any]:
    """The site as a schema.org `WebSite` with its search (`SearchAction`, the pattern search
    engines read for a search box: `target` with `{search_term_string}`), for the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "url": base,
        "name": SITE,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{base}search?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def dataset(
    base: str, title: str, description: str, downloads: list[tuple[str, str, int]]
) -> dict[str, Any]:
    """The graph as a schema.org `Dataset` for the data page, as dataset search engines read it:
    `downloads` are (file name, media type, bytes) of the dumps under `{base}data/`, each a
    `DataDownload`; licence CC BY 4.0, as the VoID/DCAT description says."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{base}.well-known/void#dataset",
        "name": title,
        "description": description,
        "url": f"{base}data/",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"{base}data/{name}",
                "encodingFormat": media,
                "contentSize": f"{size} B",
            }
            for name, media, size in downloads
        ],
    }


def dumps(doc: dict[str, Any]) -> str:
    """JSON safe to embed in a <script> element."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: the citation line, with and without the year the record last changed (msgids)
CITATION = N_(
    "“%(name)s”. %(site)s, %(kind)s record, version of %(date)s. %(iri)s (accessed via %(url)s)."
)
CITATION_UNDATED = N_("“%(name)s”. %(site)s, %(kind)s record. %(iri)s (accessed via %(url)s).")


def citation(view: RecordView, *, page_url: str, lang: str = DEFAULT) -> str:
    """How to cite the record, in `lang` (plain text: the page escapes it): its name, the
    site, its kind, the day it last changed (its version: a trial's citation gave the year
    alone, where the data page's names the snapshot and its date), its IRI and the page it was
    read on. The name is the page's title (`RecordView.title`: led by the acronym people know
    it by)."""
    changed = view.modified or ""
    values = {
        "name": view.title(),
        "site": plain(lang, SITE),
        "kind": plain(lang, KIND_LABELS[view.kind]),
        "iri": view.iri,
        "url": page_url,
    }
    return (
        plain(lang, CITATION, date=day_in(changed, lang), **values)
        if changed
        else plain(lang, CITATION_UNDATED, **values)
    )
