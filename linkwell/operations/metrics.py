"""Prometheus metrics at /metrics (docs/adr/0036): how long requests take by route, method and
status class (counted in each process as it serves them), and what the database holds at scrape
time (referrals by status; the worker's jobs run and failed, and waiting).

Under a server of several processes PROMETHEUS_MULTIPROC_DIR names a directory the processes
write their counts to, and a scrape adds them up (prometheus_client's multiprocess mode); the
server calls `mark_process_dead(pid)` when a process ends. Only this machine may read the
metrics, or whoever sends `Authorization: Bearer <LINKWELL_METRICS_TOKEN>`.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Around the 300 ms a page should stay under, finer below it.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_SECONDS = Histogram(
    "linkwell_http_request_duration_seconds",
    "Time from a request reaching Django to its response, by URL pattern, method and status class.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Counts one request. The labels are bounded (a route is a URL pattern, a method one of
    the known ones, a status its class such as "2xx"), so a client cannot grow the series."""
    REQUEST_SECONDS.labels(
        route=route,
        method=method if method in METHODS else "OTHER",
        status=f"{status // 100}xx",
    ).observe(seconds)


def mark_process_dead(pid: int) -> None:
    """For the server's child_exit hook: a process that ended stops counting in the live
    gauges of multiprocess mode (its histograms and counters are kept). Does nothing outside
    multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


class _Reader(Protocol):
    """Metrics read from the database at scrape time, under one `name`."""

    name: str

    def read(self) -> Iterable[Metric]: ...


class ReferralsByStatus:
    name = "referrals"

    def read(self) -> Iterable[Metric]:
        from linkwell.referrals.models import Referral, ReferralStatus

        counts = {
            row["status"]: row["n"]
            for row in Referral.objects.order_by().values("status").annotate(n=models.Count("pk"))
        }
        family = GaugeMetricFamily(
            "linkwell_referrals", "Referrals held, by their status now.", labels=["status"]
        )
        for status in ReferralStatus.values:
            family.add_metric([status], counts.pop(status, 0))
        for status, n in counts.items():  # a status no longer offered, still held
            family.add_metric([status], n)
        yield family


class Jobs:
    """From django-q2's tables, when it is installed: the runs it keeps by job and outcome (it
    keeps every failure and the latest successes, up to its save limit, so these are gauges),
    and the jobs waiting. A job is named by its group if it has one (a schedule's name, or the
    job's path when the jobs layer runs jobs through one wrapper), else by its function."""

    name = "jobs"

    def read(self) -> Iterable[Metric]:
        if not apps.is_installed("django_q"):
            return
        from django_q.models import OrmQ, Task

        runs = GaugeMetricFamily(
            "linkwell_job_runs",
            "Job runs the worker has kept a record of, by job and outcome.",
            labels=["job", "outcome"],
        )
        rows = (
            Task.objects.order_by()
            .values("group", "func", "success")
            .annotate(n=models.Count("pk"))
        )
        totals: dict[tuple[str, str], int] = {}
        for row in rows:
            key = (row["group"] or row["func"], "success" if row["success"] else "failure")
            totals[key] = totals.get(key, 0) + row["n"]
        for (job, outcome), n in sorted(totals.items()):
            runs.add_metric([job, outcome], n)
        yield runs
        yield GaugeMetricFamily(
            "linkwell_jobs_queued", "Jobs waiting for a worker.", value=OrmQ.objects.count()
        )


class DatabaseCollector(Collector):
    """Every reader, at scrape time. A database that cannot answer leaves a reader's metrics
    out (and says so in linkwell_metrics_collector_up) instead of failing the whole scrape."""

    def __init__(self, *readers: _Reader) -> None:
        self.readers = readers

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "linkwell_metrics_collector_up",
            "1 if the collector could read the database at this scrape, else 0.",
            labels=["collector"],
        )
        for reader in self.readers:
            try:
                found = list(reader.read())
            except DatabaseError:
                logger.warning("metrics: the %s collector could not read the database", reader.name)
                up.add_metric([reader.name], 0)
            else:
                up.add_metric([reader.name], 1)
                yield from found
        yield up


class _Union(Collector):
    """Another registry's metrics, inside a registry made for one scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        return self.registry.collect()


def registry() -> CollectorRegistry:
    """The metrics of one scrape: this process's (or, in multiprocess mode, every process's)
    plus what the database holds now."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_Union(REGISTRY))
    scrape.register(DatabaseCollector(ReferralsByStatus(), Jobs()))
    return scrape


def is_local(request: HttpRequest) -> bool:
    """Whether the request came from this machine and not through a proxy on it (a proxy on
    the same host connects from 127.0.0.1 too, but says whom for in a forwarding header)."""
    forwarded = ["HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"]
    if settings.CLIENT_IP_HEADER:
        forwarded.append("HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_"))
    if any(name in request.META for name in forwarded):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def refusal(request: HttpRequest) -> JsonResponse | None:
    """Why this request may not read the metrics (a 401 or 403 saying what to do), or None."""
    if is_local(request):
        return None
    expected = settings.METRICS_TOKEN
    if not expected:
        return JsonResponse(
            {
                "detail": "Metrics are served to this machine only. To scrape them from "
                "elsewhere, set LINKWELL_METRICS_TOKEN on the server and send "
                "'Authorization: Bearer <the token>'."
            },
            status=403,
        )
    given = _bearer(request)
    if given and hmac.compare_digest(given.encode(), expected.encode()):
        return None
    response = JsonResponse(
        {
            "detail": "Send the metrics token as 'Authorization: Bearer <LINKWELL_METRICS_TOKEN>'"
            " (the value set on the server), or scrape from this machine."
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """GET /metrics: Prometheus's text format."""
    refused = refusal(request)
    if refused is not None:
        return refused
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = HttpResponse(encode(registry()), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
