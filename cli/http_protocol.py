"""The HTTP protocol `kg serve` runs: uvicorn's httptools one (the C parser of Node's
llhttp, part of `uvicorn[standard]`; h11, uvicorn's pure-Python fallback, cost about 0.3 ms a
request more), with Nagle's algorithm off.

With `--workers N` uvicorn binds the listening socket itself as `socket.socket(family=…)`,
whose protocol number is 0, so asyncio does not set `TCP_NODELAY` on the connections it
accepts (it does only for sockets whose `proto` is `IPPROTO_TCP`). uvicorn writes a response's
head and body in two sends; on a keep-alive connection the body then waits for the client's
delayed ACK, about 40 ms per request (measured: 17 requests/s on one connection instead of
several hundred). Setting `TCP_NODELAY` on every accepted connection (what asyncio does for a
server it binds itself, RFC 1122 §4.2.3.4 on when Nagle delays) removes the stall.

A request line past `URL_LIMIT` (65,535 bytes, the most httptools' URL parser reads) got
uvicorn's plain-text "400 Invalid HTTP request received." (a researcher's SPARQLWrapper GET with
a long `VALUES` list): its query string is cut to just past the application's own limit
(`web.security.MAX_QUERY_STRING`, 16 KiB) before uvicorn reads the URL, so the application
answers it as it answers any query string over that limit, 414 URI Too Long in its error shape
(RFC 9110 §15.5.15), with its usual headers (CORS).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from web.security import MAX_QUERY_STRING

#: the longest URL `httptools.parse_url` reads, in bytes (llhttp's URL parser uses 16-bit
#: offsets); uvicorn calls it on every request line
URL_LIMIT = 65_535


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def on_headers_complete(self) -> None:
        path, mark, query = self.url.partition(b"?")
        if len(self.url) > URL_LIMIT and mark and len(path) < URL_LIMIT // 2:
            # the application refuses a query string over its limit with 414, whatever follows
            self.url = path + mark + query[: MAX_QUERY_STRING + 1]
        super().on_headers_complete()
