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
from linkwell.intelligence.flows import build as flows
from linkwell.intelligence.indicators.build import build as build_indicators
from linkwell.intelligence.models import HubRefresh, Snapshot
from linkwell.intelligence.models.refresh import RefreshStatus
from linkwell.intelligence.parts import Part, run_parts
from linkwell.intelligence.provision.build import build as build_provision
from linkwell.intelligence.spend.build import build as build_spend
from linkwell.intelligence.steps import Context, Output

# Run side by side (see `parts.py`); a part reads the DuckDB tables of those it comes after.
# A free thread takes the first part in this order that may start: the longest chain first
# (the flows' working tables, then the indicators over them), then the longer parts.
FLOW_TABLES = ("flow tables",)
PARTS: list[Part] = [
    Part("flow tables", flows.build_tables),
    Part("provision", build_provision),
    Part("indicators", build_indicators, after=(*FLOW_TABLES, "provision")),
    Part("response times", flows.build_response, after=FLOW_TABLES),
    Part("flows", flows.build_referrals, after=FLOW_TABLES),  # its snapshot keeps this name
    Part("unmet need", flows.build_unmet, after=FLOW_TABLES),
    Part("caps and wellbeing", flows.build_caps_and_wellbeing, after=FLOW_TABLES),
    Part("duplicates", build_duplicates),
    Part("spend", build_spend),
]

Progress = Callable[[str, int, int], None]  # (part just finished, parts done, of)


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
    timings: dict[str, float] = {}

    def finished(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 3)
        if progress:
            progress(name, len(timings) - 1, len(PARTS))

    try:
        workers = analytics.side_by_side(len(PARTS))
        con = analytics.connect(parts=workers)
        timings["connect"] = round(time.perf_counter() - started, 3)
        try:

            def start(part: Part) -> Context:
                return Context(
                    con=analytics.cursor(con),
                    now=now,
                    month=month,
                    previous=before.data if before else None,
                    previous_month=before.month if before else None,
                )

            with analytics.one_reader_open(con):
                outputs = run_parts(PARTS, start, workers=workers, finished=finished)
        finally:
            con.close()
        writing = time.perf_counter()
        _write(outputs, run=run, actor=actor, via=via, month=month, now=now, timings=timings)
        timings["write"] = round(time.perf_counter() - writing, 3)
    except Exception as error:
        run.status = RefreshStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.timings = timings
        run.save(update_fields=["status", "error", "finished_at", "seconds", "timings"])
        raise
    if progress:
        progress("written", len(PARTS), len(PARTS))
    run.seconds = round(time.perf_counter() - started, 3)  # `_write` set the rest
    run.timings = timings
    run.save(update_fields=["seconds", "timings"])
    transaction.on_commit(lambda: signals.refreshed.send(sender=HubRefresh, run=run))
    return run


def _write(
    outputs: dict[str, Output],
    *,
    run: HubRefresh,
    actor: Any,
    via: str,
    month: str,
    now: Any,
    timings: dict[str, float],
) -> dict[str, int]:
    counts: dict[str, int] = {}
    tables: dict[Any, list[dict[str, Any]]] = {}  # a table's rows may come from several parts
    for output in outputs.values():
        for model, rows in output.rows.items():
            tables.setdefault(model, []).extend(rows)
    with transaction.atomic():
        for model, rows in tables.items():
            model.objects.all().delete()
            bulk.insert(model, rows)
            counts[model._meta.label_lower] = len(rows)
        Snapshot.objects.update_or_create(
            month=month,
            defaults={
                "taken_at": now,
                "data": {
                    name: output.snapshot
                    for name, output in outputs.items()
                    if output.rows or output.snapshot  # not the working tables' part
                },
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
            details={"month": month, "rows": counts, "seconds": timings},
        )
    return counts


def latest_refresh() -> HubRefresh | None:
    return HubRefresh.objects.filter(status=RefreshStatus.DONE).order_by("-started_at").first()
