"""One handler for the whole KGError family: a status and an HTML or JSON body (HTML for a
person's browser: the 404 page with suggestions, else a page saying the request could not be
answered). A record's address that a moderator withdrew answers 410 Gone instead of 404
(RFC 9110 §15.5.11: the page is gone on purpose, and link checkers may drop the link)."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from kg import formats
from kg.errors import KGError, NotFound, Unauthorized
from kg.vocab import KINDS
from web.notfound import not_found_page


def not_found_response(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, else JSON (`Vary: Accept`: the body follows it); 410
    for the address of a withdrawn contribution (`gone_response`)."""
    record = addressed_record(request.url.path)
    gone = withdrawn(request, record) if record else None
    if record and gone:
        return gone_response(request, record, *gone)
    if _wants_html(request):
        return _negotiated(not_found_page(request, message))
    return _negotiated(JSONResponse({"error": "NotFound", "message": message}, status_code=404))


#: address prefixes of a record besides its page: URI, named graph, embed card, similar records
RECORD_PREFIXES = (("id",), ("graph",), ("embed",), ("api", "similar"))


def addressed_record(path: str) -> str | None:
    """The record (`kind/slug`) an address names: its page, data document, URI, named graph,
    embed card or similar records.

    >>> addressed_record("/id/initiative/raices-nuevas"), addressed_record("/initiative/a.ttl")
    ('initiative/raices-nuevas', 'initiative/a')
    >>> addressed_record("/api/similar/initiative/a"), addressed_record("/search")
    ('initiative/a', None)
    """
    parts = path.strip("/").split("/")
    for prefix in RECORD_PREFIXES:
        if tuple(parts[: len(prefix)]) == prefix:
            parts = parts[len(prefix) :]
            break
    if len(parts) != 2 or parts[0] not in KINDS:
        return None
    return f"{parts[0]}/{parts[1].partition('.')[0]}"


def withdrawn(request: Request, record: str) -> tuple[str, str] | None:
    """(the date, its published name) when a moderator withdrew `record` (`kind/slug`), else
    None; the caller has found it absent from the graph."""
    queue = getattr(request.app.state, "queue", None)  # an app without moderation has none
    found: tuple[str, str] | None = queue.withdrawn_records().get(record) if queue else None
    return found


def gone_response(request: Request, record: str, day: str, name: str) -> Response:
    """410 Gone for a record withdrawn on `day` (YYYY-MM-DD) that was published as `name`: for
    a browser a page in its language saying so, with onward links; else `{"error": "Gone",
    "message": …}`. The reason stays with the moderators."""
    message = f"{record} was withdrawn from the graph on {day}"
    if request.method != "HEAD" and _wants_html(request):
        request.state.canonical = None
        page: Response = request.app.state.templates.TemplateResponse(
            request,
            "error.html",
            {"message": message, "status": 410, "gone_on": day, "gone_name": name},
            status_code=410,
        )
        return _negotiated(page)
    return _negotiated(JSONResponse({"error": "Gone", "message": message}, status_code=410))


def _negotiated(response: Response) -> Response:
    """The response marked as chosen by `Accept` (RFC 9110 §12.5.5), so a cache keeps the
    page and the JSON apart."""
    response.headers.add_vary_header("Accept")
    return response


def _wants_html(request: Request) -> bool:
    """A person's browser (`Accept` prefers text/html over JSON; `*/*` gets JSON)."""
    choice = formats.negotiate(request.headers.get("accept"), [formats.JSON, formats.HTML])
    return choice is not None and choice.format is formats.HTML


def error_response(
    request: Request, status: int, name: str, message: str, headers: dict[str, str]
) -> Response:
    """Any error but 404: `{"error": name, "message": …}`, or for a browser a page in its
    language that says the request could not be answered, shows `message` (English, for
    developers) and links onwards; same status and headers (`Retry-After`, `Allow`) either
    way."""
    if request.method != "HEAD" and _wants_html(request):
        request.state.canonical = None  # an error page names no canonical URL (web/meta.py)
        page: Response = request.app.state.templates.TemplateResponse(
            request,
            "error.html",
            {"message": message, "status": status},
            status_code=status,
            headers=headers,
        )
        return _negotiated(page)
    body = {"error": name, "message": message}
    return _negotiated(JSONResponse(body, status_code=status, headers=headers))


def http_error_response(request: Request, exc: HTTPException) -> Response:
    """Starlette's own errors (an unrouted path, a method no route allows, a missing static
    file) in the project's shape: a 404 is the site's page for browsers, like a record's; any
    other status is `{"error": <RFC 9110 reason phrase, no spaces>, "message": …}` with the
    exception's headers (`Allow` on a 405)."""
    if exc.status_code == 404:
        return not_found_response(request, f"no page at {request.url.path}")
    try:
        name = HTTPStatus(exc.status_code).phrase.title().replace(" ", "").replace("-", "")
    except ValueError:
        name = "HTTPError"
    default = HTTPStatus(exc.status_code).phrase if name != "HTTPError" else "error"
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else default
    return error_response(request, exc.status_code, name, message, dict(exc.headers or {}))


def validation_message(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one line naming each parameter, the reason and the value
    given: `limit: Input should be a valid integer, unable to parse string as an integer
    (given: 'abc')`."""
    parts = []
    for error in exc.errors():
        where = [str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body", "form")]
        text = f"{'.'.join(where) or 'request'}: {error.get('msg', 'not valid')}"
        given = error.get("input")
        if isinstance(given, str | int | float):
            text += f" (given: {given!r})"
        parts.append(text)
    return "; ".join(parts) or "the request's parameters are not valid"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """A parameter FastAPI cannot read (`limit=abc`, `mode=nope`): 400 in the family's
        shape, as every other malformed request, not FastAPI's own 422 body."""
        return error_response(request, 400, "BadRequest", validation_message(exc), {})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return http_error_response(request, exc)

    @app.exception_handler(KGError)
    async def kg_error(request: Request, exc: KGError) -> Response:
        if isinstance(exc, NotFound):
            return not_found_response(request, exc.message)
        headers = {}
        retry_after = getattr(exc, "retry_after", None)  # RateLimited, ServiceBusy, QueryTimeout
        if isinstance(retry_after, int):
            headers["Retry-After"] = str(retry_after)
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = exc.challenge
        return error_response(request, exc.status, type(exc).__name__, exc.message, headers)
