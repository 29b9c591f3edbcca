"""HTTP content negotiation with quality values (RFC 9110 §12.5.1)."""

from __future__ import annotations

import pyoxigraph as ox

#: data document formats: file extension → (media type, pyoxigraph format)
RDF_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
HTML = "text/html"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers most (server order breaks ties); None if none."""
    best: tuple[float, int, str] | None = None
    accepted = parse_accept(header)
    for order, media in enumerate(offered):
        q = _quality(accepted, media)
        if q > 0 and (best is None or (q, -order) > (best[0], -best[1])):
            best = (q, order, media)
    return best[2] if best else None


def _quality(accepted: list[tuple[str, float]], media: str) -> float:
    main = media.partition("/")[0]
    specific = [(3, q) for m, q in accepted if m == media]
    specific += [(2, q) for m, q in accepted if m == f"{main}/*"]
    specific += [(1, q) for m, q in accepted if m == "*/*"]
    if not specific:
        return 0.0
    return max(specific)[1]


def extension_for(media: str) -> str | None:
    for ext, (mt, _) in RDF_FORMATS.items():
        if mt == media:
            return ext
    return None
