"""The admin token that every write path requires (`KG_ADMIN_TOKEN`, sent as a bearer token),
compared in constant time; without a configured token the service is read-only. Moderators
signed in through `/moderate` hold a session instead (`Sessions`)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import time
from pathlib import Path

from fastapi import Request

from kg.errors import Forbidden, Unauthorized
from kg.moderation import write_atomic

#: the protection space of the admin token (RFC 9110 §11.5)
REALM = "Rural Integration Knowledge Graph"


def bearer_matches(request: Request, token: str) -> bool:
    """Whether the request carries `token` as `Authorization: Bearer <token>` (RFC 6750
    §2.1), compared in constant time."""
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


def require_admin(request: Request) -> None:
    """FastAPI dependency for write routes. Raises `Forbidden` (403) when no token is
    configured (read-only: no credentials would help), else `Unauthorized` (401, with a
    `WWW-Authenticate: Bearer` challenge) unless the request carries the token."""
    token = request.app.state.settings.admin_token
    if token is None:
        raise Forbidden("this service is read-only: writes are enabled only with KG_ADMIN_TOKEN")
    if not bearer_matches(request, token.get_secret_value()):
        challenge = f'Bearer realm="{REALM}"'
        if request.headers.get("authorization", "").partition(" ")[0].lower() == "bearer":
            challenge += ', error="invalid_token"'
        raise Unauthorized(
            "writes need the admin token as `Authorization: Bearer <token>`", challenge=challenge
        )


class Sessions:
    """Moderator sessions, shared by every server process through files in `folder`.

    `start()` returns a new random id (`secrets.token_urlsafe`, 256 bits) for the cookie; only
    its SHA-256 is kept, in a file holding the expiry time (Unix seconds) and a digest of the
    admin token, so a session ends at its expiry, at `end(id)` (sign-out), or when the admin
    token changes. Nothing in the cookie is derived from the token (the cookie is not a key)."""

    def __init__(self, folder: Path, token: bytes, *, hours: float) -> None:
        self.folder, self.seconds = folder, hours * 3600
        self._token = hashlib.sha256(b"kg-session-token:" + token).hexdigest()

    def _path(self, session: str) -> Path:
        return self.folder / hashlib.sha256(session.encode()).hexdigest()

    def start(self) -> str:
        session = secrets.token_urlsafe(32)
        write_atomic(self._path(session), f"{time.time() + self.seconds:.0f} {self._token}")
        self._prune()
        return session

    def valid(self, session: str) -> bool:
        if not 20 <= len(session) <= 100:
            return False
        try:
            expiry, token = self._path(session).read_text(encoding="ascii").split()
        except (OSError, ValueError):
            return False
        return float(expiry) > time.time() and hmac.compare_digest(token, self._token)

    def end(self, session: str) -> None:
        if 20 <= len(session) <= 100:
            self._path(session).unlink(missing_ok=True)

    def _prune(self) -> None:
        """Remove expired sessions' files (at each sign-in: there are few)."""
        now = time.time()
        for path in self.folder.glob("*"):
            with contextlib.suppress(OSError, ValueError):
                if float(path.read_text(encoding="ascii").split()[0]) <= now:
                    path.unlink()
