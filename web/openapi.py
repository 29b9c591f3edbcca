"""OpenAPI descriptions of responses that are not plain JSON models: the error body of the
KGError family, and the media types of content-negotiated answers (issue 8: the API is fuzzed
against this description)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kg.formats import DATASET_FORMATS, DOCUMENT_FORMATS


class ErrorBody(BaseModel):
    error: str
    message: str


def errors(*statuses: int, said: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """The JSON error body of each status, described by `said` or the usual reason."""
    told = said or {}
    return {
        s: {"model": ErrorBody, "description": told.get(s) or _REASONS.get(s, "error")}
        for s in statuses
    }


def media(description: str, *types: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {t: {} for t in types}}}


def page_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`errors` of a route people reach from a browser too: the error body as JSON, or, for
    an `Accept` preferring HTML, the error page (`web.errors`)."""
    return {
        s: {**e, "content": {"text/html": {"schema": {"type": "string"}}}}
        for s, e in errors(*statuses).items()
    }


def redirect(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    """A redirect without a body: `status` (303 See Other, 308 Permanent Redirect) and its
    `Location` (RFC 9110 §10.2.2)."""
    location = {"description": "where the resource is", "schema": {"type": "string"}}
    return {status: {"description": description, "headers": {"Location": location}}}


def status_304() -> dict[int | str, dict[str, Any]]:
    """304 to a conditional GET whose validator matches (RFC 9110 §15.4.5), no body."""
    return {304: {"description": "not modified since the validators the client sent"}}


def validation_as_bad_request(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with FastAPI's generated 422 responses replaced by the 400 of the error family,
    which is what a parameter that cannot be read gets (`web.errors.install_error_handlers`)."""
    body = {"$ref": "#/components/schemas/ErrorBody"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
            if responses.pop("422", None) is not None and "400" not in responses:
                responses["400"] = {
                    "description": _REASONS[400],
                    "content": {"application/json": {"schema": body}},
                }
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorBody", ErrorBody.model_json_schema())
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


#: the name of the admin token's security scheme (`web.auth`)
ADMIN_SCHEME = "adminToken"


#: `openapi_extra` of a route that requires the admin token (`web.auth.require_admin`)
ADMIN_ONLY: dict[str, Any] = {"security": [{ADMIN_SCHEME: []}]}


def admin_security(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` saying which operations take the admin token (OpenAPI 3.1 §4.8.27, an HTTP
    bearer scheme, RFC 6750): those declared with `ADMIN_ONLY` require it; the others that
    can answer 401 (`/sparql`, where only an update needs it) accept it or nothing."""
    scheme = {
        "type": "http",
        "scheme": "bearer",
        "description": "`KG_ADMIN_TOKEN` as `Authorization: Bearer <token>`: every write "
        "needs it: a write without it, or with another, is 401; without a configured "
        "token the service is read-only and a write is 403.",
    }
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[ADMIN_SCHEME] = scheme
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "401" in operation.get("responses", {}):
                operation.setdefault("security", [{}, {ADMIN_SCHEME: []}])
    return schema


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
    401: "a write without the admin token, or with another (`WWW-Authenticate: Bearer`)",
    403: "forbidden: a write to a read-only service (no admin token configured), or SERVICE/LOAD",
    404: "not found",
    406: "no acceptable media type",
    412: "a precondition failed (If-Match, or a matching If-None-Match on a POST)",
    413: "query or body too large",
    414: "query string over 16 KiB (send the query by POST)",
    415: "unsupported Content-Type",
    429: "rate limit reached (see Retry-After)",
    500: "the query engine stopped while running the query (`EngineFailed`); it was restarted",
    503: "query stopped at the time limit, or the store is unavailable",
}


#: the tag of the linked-data routes: IRIs that resolve, data documents, dumps, VoID
LINKED_DATA = "linked data"
#: the RDF media types of a data document (`kg.formats.DOCUMENT_FORMATS`)
RDF_MEDIA = tuple(f.media for f in DOCUMENT_FORMATS)
#: the media types of a record's data document as a dataset (`kg.formats.DATASET_FORMATS`)
DATASET_MEDIA = tuple(f.media for f in DATASET_FORMATS)
