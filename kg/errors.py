"""One error family. The web handler maps each class to a status; the CLI to a one-line message."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error this tool raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RecordError(KGError):
    """A source record is malformed: names its file, field and the reason."""

    status = 422

    def __init__(self, file: str, field: str, reason: str, *, line: int | None = None) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {field}: {reason}")
        self.file, self.field, self.reason, self.line = file, field, reason, line


class ValidationFailed(KGError):
    """One or more records were refused; `errors` lists each."""

    status = 422

    def __init__(self, errors: list[RecordError]) -> None:
        lines = "\n".join(e.message for e in errors)
        super().__init__(f"{len(errors)} record error(s):\n{lines}")
        self.errors = errors


class QuerySyntaxError(KGError):
    """A SPARQL query or update did not parse; carries the parser's message."""

    status = 400


class QueryTooLarge(KGError):
    status = 413


class QueryTimeout(KGError):
    """A query ran out of its time (`KG_SPARQL_TIMEOUT`, counted from when it reached the
    query runner, its wait for a worker included). 503 (RFC 9110 §15.6.4); `retry_after`
    (seconds, for `Retry-After`, RFC 9110 §10.2.3) only when the time went mostly on waiting
    for a worker, so the same query may fit later, else None (it would time out again)."""

    status = 503

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EngineFailed(KGError):
    """The query engine's process stopped while it ran a query, which was not answered; the
    process is replaced. 500 (RFC 9110 §15.6.1): the server could not answer, whatever the
    query's part in it. pyoxigraph 0.5 aborts on some queries instead of answering, so the
    query's process is what stops: ORDER BY over a mix of numbers, dates and text sorts with a
    comparison that is not a total order, which Rust's sort refuses by aborting (a
    researcher's trial; oxigraph/oxigraph#1542 is the same abort for ORDER BY RAND())."""

    status = 500


class ServiceBusy(KGError):
    """Every query worker stayed busy for the whole of a query's time limit: the service is
    overloaded, not the query too slow. 503 with `Retry-After` (RFC 9110 §15.6.4, §10.2.3),
    `retry_after` seconds (at least 1)."""

    status = 503

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(KGError):
    """Too many requests from one client (RFC 6585 §4): 429 with `Retry-After`."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyQueries(RateLimited):
    """One client already has as many queries running as it may at once (the per-client
    share of the query workers): 429 with `Retry-After`, so the other clients still get a
    worker."""


class Forbidden(KGError):
    status = 403


class Unauthorized(KGError):
    """No valid credentials for a write (RFC 9110 §15.5.2): answered with the `challenge` in
    `WWW-Authenticate` (RFC 6750 §3: `Bearer realm=…`, with `error="invalid_token"` when a
    token was sent and is not the one)."""

    status = 401

    def __init__(self, message: str, *, challenge: str) -> None:
        super().__init__(message)
        self.challenge = challenge


class NotFound(KGError):
    status = 404


class BadRequest(KGError):
    status = 400


class NotAcceptable(KGError):
    """No format the client accepts can carry the answer (RFC 9110 §15.5.7)."""

    status = 406


class StoreError(KGError):
    """The store cannot be opened or written (read-only folder, full disk, locked)."""

    status = 503
