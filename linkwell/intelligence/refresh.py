"""`refresh_hub`: every part of the hub computed through DuckDB, then written at once.

The reading (the slow part) runs outside any write transaction, through DuckDB's own read-only
connection to the database, so staff are never locked out while it runs; the writing replaces
each precomputed table in one short transaction, audited, so pages never see half a refresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.core import bulk
from linkwell.intelligence import analytics, signals
from linkwell.intelligence.duplicates.build import build as build_duplicates
from linkwell.intelligence.flows.build import build as build_flows
from linkwell.intelligence.indicators.build import build as build_indicators
from linkwell.intelligence.models import HubRefresh, Snapshot
from linkwell.intelligence.models.refresh import RefreshStatus
from linkwell.intelligence.provision.build import build as build_provision
from linkwell.intelligence.spend.build import build as build_spend
from linkwell.intelligence.steps import Context, Output

# In order: indicators may read what the earlier parts left in `context.con` (temp tables).
STEPS: list[tuple[str, Callable[[Context], Output]]] = [
    ("provision", build_provision),
    ("spend", build_spend),
    ("duplicates", build_duplicates),
    ("flows", build_flows),
    ("indicators", build_indicators),
]

Progress = Callable[[str, int, int], None]  # (part, done, of)


def refresh_hub(
    *, actor: Any = None, via: str = "", progress: Progress | None = None
) -> HubRefresh:
    """Recompute the hub; returns the finished run. If a part fails, nothing of it is written:
    the run is kept as `failed` with the error, and the error is raised again."""
    started = time.perf_counter()
    run = HubRefresh.objects.create(started_at=timezone.now())
    now = timezone.now()
    month = now.strftime("%Y-%m")
    before = Snapshot.objects.filter(month__lt=month).order_by("-month").first()
    outputs: dict[str, Output] = {}
    try:
        con = analytics.connect()
        try:
            context = Context(
                con=con,
                now=now,
                month=month,
                previous=before.data if before else None,
                previous_month=before.month if before else None,
            )
            for done, (name, build) in enumerate(STEPS):
                if progress:
                    progress(name, done, len(STEPS))
                outputs[name] = build(context)
        finally:
            con.close()
        _write(outputs, run=run, actor=actor, via=via, month=month, now=now)
    except Exception as error:
        run.status = RefreshStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["status", "error", "finished_at", "seconds"])
        raise
    if progress:
        progress("written", len(STEPS), len(STEPS))
    run.seconds = round(time.perf_counter() - started, 3)  # `_write` set the rest
    run.save(update_fields=["seconds"])
    transaction.on_commit(lambda: signals.refreshed.send(sender=HubRefresh, run=run))
    return run


def _write(
    outputs: dict[str, Output], *, run: HubRefresh, actor: Any, via: str, month: str, now: Any
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with transaction.atomic():
        for output in outputs.values():
            for model, rows in output.rows.items():
                model.objects.all().delete()
                bulk.insert(model, rows)
                counts[model._meta.label_lower] = len(rows)
        Snapshot.objects.update_or_create(
            month=month,
            defaults={
                "taken_at": now,
                "data": {name: output.snapshot for name, output in outputs.items()},
            },
        )
        run.status = RefreshStatus.DONE
        run.finished_at = timezone.now()
        run.counts = counts
        run.save(update_fields=["status", "finished_at", "counts"])
        record_event(
            actor=actor,
            action="hub.refreshed",
            target=run,
            via=via,
            details={"month": month, "rows": counts},
        )
    return counts


def latest_refresh() -> HubRefresh | None:
    return HubRefresh.objects.filter(status=RefreshStatus.DONE).order_by("-started_at").first()
