"""One handler for the whole KGError family: a status and an HTML or JSON body."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from kg import formats
from kg.errors import KGError, NotFound, RateLimited
from web.notfound import not_found_page


def not_found_response(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, else JSON."""
    choice = formats.negotiate(request.headers.get("accept"), [formats.JSON, formats.HTML])
    if choice is not None and choice.format is formats.HTML:
        return not_found_page(request, message)
    return JSONResponse({"error": "NotFound", "message": message}, status_code=404)


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
    return JSONResponse(
        {"error": name, "message": message},
        status_code=exc.status_code,
        headers=dict(exc.headers or {}),
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return http_error_response(request, exc)

    @app.exception_handler(KGError)
    async def kg_error(request: Request, exc: KGError) -> Response:
        if isinstance(exc, NotFound):
            return not_found_response(request, exc.message)
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after)
        return JSONResponse(
            {"error": type(exc).__name__, "message": exc.message},
            status_code=exc.status,
            headers=headers,
        )
