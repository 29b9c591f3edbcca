"""Security headers and request size limits for every response (issue 8).

Pages load nothing from elsewhere, so the Content-Security-Policy allows only this origin.
Embed cards may be framed by any site; every other page only by this one.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_QUERY_STRING = 16_384
MAX_BODY = 1_048_576
BASE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
#: Swagger UI's initialiser is an inline script; only the docs page allows that
DOCS_CSP = BASE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    """A plain ASGI middleware (not `BaseHTTPMiddleware`, which streams every response body
    through a task and a memory channel: a measurable share of a small `/sparql` answer)."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            refused = JSONResponse(
                {"error": "URITooLong", "message": "query string over 16 KiB; use POST"},
                status_code=414,
            )
            await self._secured(scope, refused)(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body:
            refused = JSONResponse(
                {"error": "PayloadTooLarge", "message": f"body over {self.max_body} bytes"},
                status_code=413,
            )
            await self._secured(scope, refused)(scope, receive, send)
            return
        added = _headers(scope["path"])

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in added if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_secured)

    @staticmethod
    def _secured(scope: Scope, response: Response) -> Response:
        for name, value in _headers(scope["path"]):
            response.headers.setdefault(name.decode(), value.decode())
        return response


def _headers(path: str) -> list[tuple[bytes, bytes]]:
    """The security headers of a response to `path` (each set unless the route set it)."""
    embeddable = path.startswith("/embed/")
    csp = DOCS_CSP if path == "/api/docs" else BASE_CSP
    # an embed card names no frame-ancestors, so any page may frame it: `*` would leave out
    # pages without a network origin (CSP 3 §6.7.2.5), and a webmaster trying the embed code
    # in a local file saw "refused to connect" (a trial)
    csp += "" if embeddable else "; frame-ancestors 'self'"
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if not embeddable:
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers
