"""The filter part of a search, as SPARQL a researcher can run in the editor (issue 5)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kg.errors import BadRequest
from kg.geo import country_iri
from kg.queries import FILTER_QUERY, YEAR_RANGE
from kg.vocab import EU_COUNTRY, INITIATIVE_TYPES, NUTS, SCHEME_NS

SAFE = re.compile(r"^[A-Za-z0-9-]+\Z")
#: where an unknown `initiative_type` code is written: no record is typed with such an IRI
NO_TYPE = "https://w3id.org/rikg/unknown-initiative-type/"
#: filter name → (property path, how a value becomes an IRI); a record linked to a narrower
#: concept matches the broader one (`skos:broader*`: a place in a region for its country, a
#: "Seasonal agricultural work" practice for "Agriculture and food"), as the search's filter has
#: it, so the query finds what the search found
PATHS = {
    "theme": ("dcterms:subject/skos:broader*", f"{SCHEME_NS}theme/"),
    "target_group": ("rikg:targetGroup/skos:broader*", f"{SCHEME_NS}target-group/"),
    "funding": ("rikg:fundingProgramme/skos:broader*", f"{SCHEME_NS}funding/"),
    "challenge": ("rikg:addressesChallenge/skos:broader*", f"{SCHEME_NS}challenge/"),
    "opportunity": ("rikg:buildsOnOpportunity/skos:broader*", f"{SCHEME_NS}opportunity/"),
    "country": ("dcterms:spatial/skos:broader*", "country"),
    "nuts": ("dcterms:spatial/skos:broader*", str(NUTS)),
}


def filter_query(filters: Mapping[str, Sequence[str]], years: tuple[int, int] | None = None) -> str:
    """A SELECT over records with every filter as a VALUES block (values are checked ids), the
    kinds of record (`kind`: "initiative", …) among them, every kind when none is given, as the
    search page's "All" tab, and the initiative subtypes (`initiative_type`: "local-practice"
    is `a rikg:LocalPractice`); and the year range `years` (first, last; inclusive) as the search
    keeps it: records active in some year of it (`YEAR_RANGE`). A researcher's copy had lost
    the range: 40 rows where the page listed 32; and it listed initiatives under any tab.

    Raises `BadRequest` for a value that is not an id."""
    lines = []
    kinds = _ids(filters, "kind")
    if kinds:
        quoted = " ".join(f'"{kind}"' for kind in kinds)
        lines.append(f"  VALUES ?kind {{ {quoted} }}\n")
    types = _ids(filters, "initiative_type")
    if types:
        # a code no subtype has: an IRI outside the ontology that no record is typed with
        # ("Pilot" is not the code "pilot", and rikg:Pilot would find what the search did not)
        classes = " ".join(f"<{INITIATIVE_TYPES.get(c, NO_TYPE + c)}>" for c in types)
        lines.append(f"  VALUES ?type {{ {classes} }}\n  ?record a ?type .\n")
    for i, name in enumerate(sorted(filters)):
        values = _ids(filters, name)
        if name not in PATHS or not values:
            continue
        path, prefix = PATHS[name]
        iris = [_country(v) if prefix == "country" else prefix + v for v in values]
        var = f"?{name.replace('_', '')}{i}"
        lines.append(f"  VALUES {var} {{ {' '.join(f'<{iri}>' for iri in iris)} }}\n")
        lines.append(f"  ?record {path} {var} .\n")
    if years is not None:
        first, last = (int(y) for y in years)
        lines.append(YEAR_RANGE.format(first=first, last=last))
    return FILTER_QUERY.format(patterns="".join(lines))


def _ids(filters: Mapping[str, Sequence[str]], name: str) -> Sequence[str]:
    """The values of the filter `name`, each checked to be an id (`SAFE`): they are written
    into the query. Raises `BadRequest` naming the filter and the value."""
    values = filters.get(name) or ()
    for value in values:
        if not SAFE.match(value):
            raise BadRequest(f"{name} value {value!r} is not an id")
    return values


def _country(code: str) -> str:
    """The authority IRI of a country code; for a code no country has (`ZZ`, `Spain`), an IRI
    in the same authority that no record carries, so the query finds what the search found:
    nothing."""
    try:
        return country_iri(code)
    except KeyError:
        return f"{EU_COUNTRY}{code.upper()}"
