"""Two middlewares, first in MIDDLEWARE (docs/adr/0036).

`RequestLogMiddleware` wraps everything else: it takes the request id a proxy sent in
X-Request-ID when it is sane (or makes one), binds it for the logs and any job queued, returns
it in the response's X-Request-ID, and when the response is ready writes one log line and
counts the request in the latency metric, both by route, never by path.

`ProbeMiddleware` answers /healthz, /readyz and /metrics before the security middleware and
the host check: a probe on localhost or a scrape by address is neither redirected to HTTPS nor
refused for its Host header, and sets no cookie. Each view guards itself (metrics by address or
token); none builds a URL from the Host header.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from linkwell.core import request_id
from linkwell.operations import metrics
from linkwell.operations.logs import route_of

HEADER = "X-Request-ID"
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})

logger = logging.getLogger("linkwell.requests")


def _user_id(request: HttpRequest) -> int | str | None:
    """The signed-in user's id (an API token's user first), never a name. Only a user already
    loaded is read: logging must not cost a query."""
    for who in (getattr(request, "auth", None), getattr(request, "user", None)):
        wrapped = getattr(who, "_wrapped", who)  # a lazy request.user not yet loaded: skip
        if getattr(wrapped, "is_authenticated", False) is True:
            return wrapped.pk
    return None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.accept(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        with request_id.bound(rid):
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            self.record(request, response, seconds)
        # This line replaces Django's own for 4xx and 5xx responses ("Not Found: <path>"),
        # which would name the path; an uncaught error's traceback is logged before this.
        response._has_been_logged = True  # type: ignore[attr-defined]
        response[HEADER] = rid
        return response

    def record(self, request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        route = route_of(request)
        status = response.status_code
        metrics.observe_request(route, request.method or "", status, seconds)
        duration_ms = round(seconds * 1000, 1)
        if route in PROBES:  # a probe every few seconds would drown the log
            level = logging.WARNING if status >= 500 else logging.DEBUG
        else:
            level = logging.ERROR if status >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s in %s ms",
            request.method,
            route,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PROBES:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            request.resolver_match = match
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
