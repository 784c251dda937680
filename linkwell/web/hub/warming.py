"""After each hub refresh, queue the work that readies the hub's pages for their first reader.

Light on purpose (connected in WebConfig.ready, so loaded in every process before it forks):
the pages' own modules, with DuckDB and Matplotlib behind them, load only in the job."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from linkwell.core.jobs import enqueue


def warm_after_refresh(sender: Any, run: Any, **kwargs: Any) -> None:
    """Receives the hub's `refreshed`: queues the flows page's first view in each language."""
    if getattr(settings, "LINKWELL_HUB_WARM_PAGES", True):
        enqueue("linkwell.web.hub.flows.views.warm_default_view", run.pk)
