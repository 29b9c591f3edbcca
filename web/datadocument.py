"""The response of a data document: a record's (`/{kind}/{slug}.ttl`) or a concept's
(`/browse/{scheme}/{id}.ttl`), in Turtle, N-Triples, JSON-LD or RDF/XML by its extension (a
record's also in TriG and N-Quads)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import Response

from kg import formats
from kg.errors import NotFound
from kg.formats import DOCUMENT_FORMATS, Format


def document_format(ext: str, offered: Sequence[Format] = DOCUMENT_FORMATS) -> Format:
    """The format of `offered` a document URL's extension names ("ttl", "nt", "jsonld", "rdf";
    a record's also "trig", "nq"). Raises `NotFound` (404) naming the formats there are."""
    fmt = formats.by_extension(ext, offered)
    if fmt is None:
        names = ", ".join(f".{f.extension}" for f in offered)
        raise NotFound(f"no format .{ext}; formats are {names}")
    return fmt


def document_response(
    request: Request, body: bytes, fmt: Format, headers: dict[str, str]
) -> Response:
    """`body` (the document in `fmt`) with `headers`, sent under the format's own media type or
    the older synonym the client named (`text/plain` for `.nt`; so `Vary: Accept`), readable by
    scripts on any origin."""
    choice = formats.negotiate(request.headers.get("accept"), [fmt])
    headers = {**headers, "Vary": "Accept", "Access-Control-Allow-Origin": "*"}
    return Response(body, media_type=choice.media if choice else fmt.media, headers=headers)
