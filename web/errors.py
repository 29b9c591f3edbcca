"""One handler for the whole KGError family: a status and an HTML or JSON body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from kg.errors import KGError, NotFound, RateLimited


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KGError)
    async def kg_error(request: Request, exc: KGError) -> Response:
        if isinstance(exc, NotFound):
            from web.routes.records import not_found_response

            return not_found_response(request, exc.message)
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after)
        return JSONResponse(
            {"error": type(exc).__name__, "message": exc.message},
            status_code=exc.status,
            headers=headers,
        )
