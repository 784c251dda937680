"""The worker's heartbeat: when a worker was last seen alive (for `/readyz`)."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db.models import Max
from django.utils import timezone

from linkwell.operations.models import WorkerHeartbeat

# Rows of workers not seen for this long are deleted when a worker starts.
KEEP = dt.timedelta(days=7)


def last_seen() -> dt.datetime | None:
    """When any worker last reported itself alive, or None if none ever did."""
    return WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:255]


def started(worker: str) -> None:
    """A worker starts: its row, and the rows of workers long gone pruned."""
    now = timezone.now()
    WorkerHeartbeat.objects.filter(last_seen__lt=now - KEEP).delete()
    WorkerHeartbeat.objects.update_or_create(
        worker=worker, defaults={"started_at": now, "last_seen": now, "stopped_at": None}
    )


def beat(worker: str) -> None:
    """The worker is alive now."""
    if not WorkerHeartbeat.objects.filter(worker=worker).update(last_seen=timezone.now()):
        started(worker)


def stopped(worker: str) -> None:
    """The worker stopped cleanly (its last beat stays as it was)."""
    WorkerHeartbeat.objects.filter(worker=worker).update(stopped_at=timezone.now())
