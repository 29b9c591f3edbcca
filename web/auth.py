"""The admin token that every write path requires (`KG_ADMIN_TOKEN`, sent as a bearer token),
compared in constant time; without a configured token the service is read-only."""

from __future__ import annotations

import hmac

from fastapi import Request

from kg.errors import Forbidden


def require_admin(request: Request) -> None:
    """FastAPI dependency for write routes."""
    token = request.app.state.settings.admin_token
    if token is None:
        raise Forbidden("this service is read-only: writes are enabled only with KG_ADMIN_TOKEN")
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), expected):
        raise Forbidden("writes need the admin token as `Authorization: Bearer <token>`")
