"""What the home page shows besides counts: featured practices and the map of Europe."""

from __future__ import annotations

from typing import Any

from kg.geo import ISO3_TO_ISO2
from kg.practices import featured
from kg.record_document import label_of, local_href, pick
from kg.search.text import fold
from kg.vocab import is_country
from web.europe_map import Country, europe_svg
from web.graphfacts import GraphFacts
from web.i18n import translations


def home_context(facts: GraphFacts, base: str, lang: str, link: Any = None) -> dict[str, Any]:
    """Featured practices (kg.practices.featured's rule), the map and the lists beside it,
    from the graph's `facts` (`web.graphfacts`)."""
    counts, regions = facts.countries, facts.regions
    labels = facts.place_labels
    t = translations(lang)
    countries = []
    for iso3, n in counts.items():
        iri = f"http://publications.europa.eu/resource/authority/country/{iso3}"
        name = pick(labels.get(iri, {}), lang) or iso3
        href = f"/browse/country/{iso3}"
        if link is not None:
            href = link(href)
        countries.append(Country(ISO3_TO_ISO2.get(iso3, iso3[:2]), name, n, href))
    countries.sort(key=lambda c: (-c.count, c.name))

    def describe(c: Country) -> str:
        return t.ngettext(
            "%(name)s: %(num)s initiative", "%(name)s: %(num)s initiatives", c.count
        ) % {
            "name": c.name,
            "num": c.count,
        }

    map_svg = europe_svg(
        countries,
        title=t.gettext("Map of Europe: initiatives per country"),
        describe=describe,
    )
    # the regions most named first, as the countries: with the places' regions there are some
    # 90, most named once, and in code order the list began "Vienna, Carinthia, Oststeiermark"
    region_rows = sorted(
        (
            (label_of(f"{NUTS}{code}", labels.get(f"{NUTS}{code}", {}), lang) or code, code, n)
            for code, n in regions.items()
        ),
        key=lambda row: (-row[2], fold(row[0])),
    )
    chosen = featured(facts.summaries.values())
    return {
        "featured": [
            {
                "summary": s,
                "href": local_href(s.iri, base),
                # the card's line names countries; its regions are on the practice's page
                "countries": [
                    label_of(p, labels.get(p, {}), lang) or p.rsplit("/", 1)[-1]
                    for p in s.places
                    if not p.startswith(NUTS)
                ],
            }
            for s in chosen
        ],
        "map_svg": map_svg,
        "map_countries": countries,
        "map_regions": region_rows,
        "regions_shown": REGIONS_SHOWN,
        "initiative_total": len(facts.summaries),
    }


NUTS = "http://data.europa.eu/nuts/code/"
#: regions the home page lists beside the map (the most named); the rest are a link away
REGIONS_SHOWN = 12
#: the order of a concept or country page: practices first
KIND_ORDER = ("initiative", "organisation", "policy")


def kind_lists(
    facts: GraphFacts, records: dict[str, list[dict[str, str]]], base: str, lang: str
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Records linking to a concept, by kind — initiatives (with what each is and where),
    organisations, policies, then everything else — each record once."""
    labels = facts.place_labels
    infos = facts.summaries
    by_kind: dict[str, list[dict[str, Any]]] = {k: [] for k in (*KIND_ORDER, "other")}
    seen: set[str] = set()
    for rows in records.values():
        for row in rows:
            if row["record"] in seen:
                continue
            seen.add(row["record"])
            kind = row["kind"] if row["kind"] in KIND_ORDER else "other"
            item: dict[str, Any] = {**row, "href": local_href(row["record"], base)}
            s = infos.get(row["record"])
            if s is not None:
                item["what"] = s.what(lang)
                item["what_lang"] = s.what_lang(lang)
                # countries, then regions, each in the page language's alphabetical order (a
                # Spanish trial read "Austria, Bélgica, Canadá, Alemania": the codes' order)
                named = {
                    p: label_of(p, labels.get(p, {}), lang) or p.rsplit("/", 1)[-1]
                    for p in s.places
                }
                order = sorted(s.places, key=lambda p: (not is_country(p), fold(named[p])))
                item["where"] = [named[p] for p in order]
                item["name"] = s.title(lang)  # "MATILDE: Migration Impact…", as its page
            by_kind[kind].append(item)
    for items in by_kind.values():
        items.sort(key=lambda i: str(i["name"]).lower())
    return [(k, v) for k, v in by_kind.items() if v]
