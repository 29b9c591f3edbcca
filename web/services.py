"""The services routes use, built once when the app starts and handed out with FastAPI `Depends`.

`start(app, ...)` runs in the app's lifespan (`web.app.create_app`); routes ask for a service
with a dependency (`Annotated[SearchService, Depends(search_service)]`, `Depends(limit)`), so no
route builds one or reaches into another route. Tests replace a service by passing it to
`create_app` (`search=`) and run the lifespan with `with TestClient(app)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request

from kg.endpoint import Endpoint
from kg.search import SearchService
from kg.settings import Settings
from kg.store import GraphStore
from web.ratelimit import RateLimiter, client_of, limiter_for


@dataclass
class Services:
    search: SearchService
    sparql: Endpoint
    limiter: RateLimiter


def start(
    app: FastAPI,
    store: GraphStore,
    settings: Settings,
    *,
    search: SearchService | None = None,
    warm_search: bool = False,
) -> Services:
    """Build every service (and start the SPARQL query workers) on `app.state.services`.

    `warm_search` loads the search index and model in the background now (`kg serve`), so the
    first search does not wait for them (issue 4)."""
    search = search or SearchService(store, settings)
    if warm_search:  # first, as `kg serve` always did: the model loads while workers start
        search.warm(background=True)
    services = Services(
        search=search,
        sparql=Endpoint(store, settings),
        limiter=limiter_for(settings.rate_limit_per_minute, settings, "api"),
    )
    app.state.services = services
    return services


def stop(app: FastAPI) -> None:
    """Stop the SPARQL query worker processes."""
    services: Services | None = getattr(app.state, "services", None)
    if services is not None:
        services.sparql.close()
        app.state.services = None


def services(request: Request) -> Services:
    """FastAPI dependency: the app's services (built in its lifespan)."""
    found: Services | None = getattr(request.app.state, "services", None)
    if found is None:
        raise RuntimeError("the app's services start in its lifespan: use `with TestClient(app)`")
    return found


async def search_service(request: Request) -> SearchService:
    """FastAPI dependency: the search service. The dependencies here are `async`: they do not
    block, and FastAPI runs a plain `def` dependency in a worker thread (a thread hop per
    dependency and request)."""
    return services(request).search


async def sparql_engine(request: Request) -> Endpoint:
    """FastAPI dependency: the public SPARQL endpoint (query runner and answer cache)."""
    return services(request).sparql


async def limit(request: Request) -> None:
    """FastAPI dependency: count one request of this client against the rate limit (429 past
    `KG_RATE_LIMIT_PER_MINUTE`)."""
    services(request).limiter.check(client_of(request))
