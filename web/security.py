"""Security headers and request size limits for every response (issue 8).

Pages load nothing from elsewhere, so the Content-Security-Policy allows only this origin.
Embed cards may be framed by any site; every other page only by this one.
"""

from __future__ import annotations

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

MAX_QUERY_STRING = 16_384
MAX_BODY = 1_048_576
BASE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
#: Swagger UI's initialiser is an inline script; only the docs page allows that
DOCS_CSP = BASE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if len(request.url.query) > MAX_QUERY_STRING:
            return JSONResponse(
                {"error": "URITooLong", "message": "query string over 16 KiB; use POST"},
                status_code=414,
            )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            return JSONResponse(
                {"error": "PayloadTooLarge", "message": f"body over {self.max_body} bytes"},
                status_code=413,
            )
        response = await call_next(request)
        path = request.url.path
        embeddable = path.startswith("/embed/")
        csp = DOCS_CSP if path == "/api/docs" else BASE_CSP
        csp += "; frame-ancestors *" if embeddable else "; frame-ancestors 'self'"
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not embeddable:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
