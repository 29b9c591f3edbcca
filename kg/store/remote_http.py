"""The SPARQL 1.1 Protocol and Graph Store Protocol over HTTP (stdlib `urllib`), with the
store's answers mapped into the error family: refused query → 400, unreachable → 503,
too slow → 503 (`QueryTimeout`)."""

from __future__ import annotations

import contextlib
import logging
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import Forbidden, KGError, QuerySyntaxError, QueryTimeout, StoreError
from kg.settings import Settings

log = logging.getLogger(__name__)
MESSAGE_CHARS = 500  # of the store's error text, in our error message


class SparqlHttp:
    """One store's endpoints; safe to share between threads (each request is independent)."""

    def __init__(self, settings: Settings, *, timeout: float) -> None:
        assert settings.sparql_endpoint is not None
        self.query_url = settings.sparql_endpoint
        self.update_url = settings.sparql_update_endpoint or settings.sparql_endpoint
        self.graph_store_url = settings.graph_store_endpoint
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if settings.sparql_user:
            password = (
                settings.sparql_password.get_secret_value() if settings.sparql_password else ""
            )
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url, self.graph_store_url} - {None}:
                passwords.add_password(None, url, settings.sparql_user, password)  # type: ignore[arg-type]
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    def query(
        self,
        text: str,
        *,
        accept: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> tuple[str, bytes]:
        """POST a query (form-encoded, so any length passes); returns (media type, body)."""
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in default_graphs or ()]
        fields += [("named-graph-uri", g) for g in named_graphs or ()]
        return self._send(self.query_url, "POST", _form(fields), _FORM, accept)

    def update(self, text: str) -> None:
        self._send(self.update_url, "POST", _form([("update", text)]), _FORM, "*/*")

    def put_graph(self, graph: str, ntriples: str | None) -> None:
        """Graph Store Protocol: replace a graph with N-Triples (sent as Turtle, which every
        store reads), or delete it when `ntriples` is None (absent already is fine)."""
        assert self.graph_store_url is not None
        sep = "&" if "?" in self.graph_store_url else "?"
        url = f"{self.graph_store_url}{sep}{urllib.parse.urlencode({'graph': graph})}"
        if ntriples is None:
            with contextlib.suppress(_Missing):
                self._send(url, "DELETE", None, None, "*/*")
            return
        self._send(url, "PUT", ntriples.encode(), "text/turtle; charset=utf-8", "*/*")

    def _send(
        self, url: str, method: str, body: bytes | None, content_type: str | None, accept: str
    ) -> tuple[str, bytes]:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        # the URLs are the operator's settings, http(s) only
        if not url.startswith(("http://", "https://")):
            raise StoreError(f"the SPARQL store URL must start with http:// or https://: {url}")
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                media = response.headers.get("Content-Type", "").split(";")[0].strip()
                return media, response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(url, exc) from None
        except TimeoutError as exc:
            raise QueryTimeout(
                f"the SPARQL store did not answer within {self.timeout:g} s"
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeout(
                    f"the SPARQL store did not answer within {self.timeout:g} s"
                ) from exc
            raise StoreError(f"cannot reach the SPARQL store at {url}: {exc.reason}") from exc


class _Missing(KGError):
    status = 404


_FORM = "application/x-www-form-urlencoded; charset=utf-8"


def _form(fields: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def _http_error(url: str, exc: urllib.error.HTTPError) -> KGError:
    with exc:  # closes the connection the error response came on
        text = exc.read().decode("utf-8", "replace").strip()
    # Virtuoso repeats the whole query after its message: keep the message
    message = text.split("\n\nSPARQL query:", 1)[0][:MESSAGE_CHARS]
    if exc.code == 404:
        return _Missing(message)
    if exc.code in (401, 403):
        return Forbidden(
            f"the SPARQL store at {url} refused the request ({exc.code}): {message} — "
            'for Virtuoso: GRANT SPARQL_UPDATE TO "SPARQL", or set KG_SPARQL_USER'
        )
    if 400 <= exc.code < 500:
        return QuerySyntaxError(f"the SPARQL store refused the query: {message}")
    return StoreError(f"the SPARQL store failed ({exc.code}): {message}")
