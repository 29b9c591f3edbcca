"""The public SPARQL endpoint's engine (issue 3): checks before a query runs, worker processes
that run it where it can be stopped, capped result serialisation and a result cache.

The HTTP protocol lives in `web.routes.sparql`; this package knows nothing of HTTP.
"""

from kg.endpoint.cache import ResultCache
from kg.endpoint.endpoint import Endpoint, Served
from kg.endpoint.guard import QueryInfo, check_syntax, inspect_query, inspect_update
from kg.endpoint.runner import Answer, QueryRequest, Runner, make_runner

__all__ = [
    "Answer",
    "Endpoint",
    "QueryInfo",
    "QueryRequest",
    "ResultCache",
    "Runner",
    "Served",
    "check_syntax",
    "inspect_query",
    "inspect_update",
    "make_runner",
]
