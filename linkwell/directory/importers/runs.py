"""The record of each import run while it works, and telling a live run from a killed one.

A run writes in many short transactions (docs/adr/0019), so a killed process leaves some of
its services written and its `ImportRun` at `running`. It says it is alive by its process id
and host, and by a heartbeat written with every batch; a run whose process is gone (same host)
or whose heartbeat is older than `STALE_AFTER` (any host) is marked `interrupted` when the next
import starts or when runs are listed. Re-running the same import completes it: imports are
idempotent, and the services already written are skipped as unchanged (docs/adr/0017).
"""

import datetime as dt
import os
import socket
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.directory.models import ImportRun

STALE_AFTER = dt.timedelta(minutes=5)  # a live run beats at least every HEARTBEAT_EVERY
HEARTBEAT_EVERY = dt.timedelta(seconds=30)


def this_host() -> str:
    return socket.gethostname()[:255]


def start_run(
    *,
    kind: str,
    source: str,
    dry_run: bool,
    partial: bool,
    actor: Any,
    queued: ImportRun | None = None,
) -> ImportRun:
    """The run's record, written first so a killed run is on record too. A run queued from the
    web (or one whose worker died, tried again) is taken up again: running, here, now."""
    now = timezone.now()
    if queued is not None:
        queued.status, queued.host, queued.pid = ImportRun.Status.RUNNING, this_host(), os.getpid()
        queued.heartbeat_at, queued.finished_at = now, None
        queued.save(update_fields=["status", "host", "pid", "heartbeat_at", "finished_at"])
        return queued
    return ImportRun.objects.create(
        kind=kind,
        source=source[:1000],
        dry_run=dry_run,
        partial=partial,
        actor=actor if getattr(actor, "pk", None) else None,
        host=this_host(),
        pid=os.getpid(),
        heartbeat_at=now,
    )


def beat(run: ImportRun, **counts: int) -> None:
    """Say the run is alive (and, while writing, how far it got). One small UPDATE."""
    run.heartbeat_at = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=run.heartbeat_at, **counts)


def due(run: ImportRun) -> bool:
    """Whether a run that is only reading should beat now (it writes nothing else)."""
    return run.heartbeat_at is None or timezone.now() - run.heartbeat_at >= HEARTBEAT_EVERY


def _process_is_gone(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def is_dead(run: ImportRun, *, now: dt.datetime | None = None) -> bool:
    """A `running` run whose process is gone from this host, or that has not beaten lately."""
    now = now or timezone.now()
    if run.host == this_host() and run.pid != os.getpid() and _process_is_gone(run.pid):
        return True
    last = run.heartbeat_at or run.started_at
    return now - last > STALE_AFTER


def mark_interrupted_runs() -> list[ImportRun]:
    """Mark every run left at `running` by a process that is gone; return them (oldest first).

    Each is marked by a conditional UPDATE, so two imports starting at once cannot both mark
    (and report) the same run, and a run that finishes meanwhile keeps its own status.
    """
    now = timezone.now()
    marked = []
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING).order_by("pk"):
        if not is_dead(run, now=now):
            continue
        with transaction.atomic():
            changed = ImportRun.objects.filter(
                pk=run.pk, status=ImportRun.Status.RUNNING, heartbeat_at=run.heartbeat_at
            ).update(status=ImportRun.Status.INTERRUPTED, finished_at=now)
            if not changed:
                continue
            run.status, run.finished_at = ImportRun.Status.INTERRUPTED, now
            record_event(
                actor=None,
                action="directory.import.interrupted",
                target=run,
                via="import",
                details={
                    "kind": run.kind,
                    "source": run.source[:500],
                    "created": run.created,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "found": "its process is gone"
                    if run.host == this_host()
                    else "no heartbeat since " + str(run.heartbeat_at),
                },
            )
        marked.append(run)
    return marked


def recent_runs(limit: int = 50) -> QuerySet[ImportRun]:
    """The latest runs, newest first, with dead ones shown as interrupted."""
    mark_interrupted_runs()
    return ImportRun.objects.select_related("actor").order_by("-started_at", "-pk")[:limit]


def interrupted_note(run: ImportRun, *, source: str) -> str:
    """What to tell whoever starts the next import about a run found interrupted."""
    written = run.created + run.updated + run.unchanged
    note = (
        f"Import run {run.pk} ({run.kind}, {run.source}, started "
        f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M}) was interrupted part-way "
        f"through {written} services ({run.created} created, {run.updated} updated, "
        f"{run.unchanged} unchanged); "
    )
    if run.source == source[:1000]:
        return note + "this import of the same source completes it."
    return note + "re-run that import to complete it."
