"""One handler for the whole KGError family: a status and an HTML or JSON body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from kg import formats
from kg.errors import KGError, NotFound, RateLimited
from web.notfound import not_found_page


def not_found_response(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, else JSON."""
    choice = formats.negotiate(request.headers.get("accept"), [formats.JSON, formats.HTML])
    if choice is not None and choice.format is formats.HTML:
        return not_found_page(request, message)
    return JSONResponse({"error": "NotFound", "message": message}, status_code=404)


def install_error_handlers(app: FastAPI) -> None:
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
