"""The probes and the metrics: at the top of the site, where probes and scrapers look for them.
`ProbeMiddleware` answers these paths before the HTTPS redirect and the host check."""

from django.urls import path

from linkwell.operations import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
