"""OpenAPI descriptions of responses that are not plain JSON models: the error body of the
KGError family, and the media types of content-negotiated answers (issue 8: the API is fuzzed
against this description)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    error: str
    message: str


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorBody, "description": _REASONS.get(s, "error")} for s in statuses}


def media(description: str, *types: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {t: {} for t in types}}}


def query_parameters(*names: str) -> dict[str, Any]:
    """`openapi_extra` for routes that read repeated or dashed query parameters themselves."""
    return {
        "parameters": [
            {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
            for n in names
        ]
    }


_REASONS = {
    400: "malformed request or query (the parser's message and position)",
    403: "forbidden: a write without the admin token, or SERVICE/LOAD",
    404: "not found",
    406: "no acceptable media type",
    413: "query or body too large",
    415: "unsupported Content-Type",
    429: "rate limit reached (see Retry-After)",
    503: "query stopped at the time limit, or the store is unavailable",
}
