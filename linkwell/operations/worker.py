"""`linkwell worker`: the schedule made sure of, a heartbeat, and django-q2's cluster.

The cluster (a sentinel process guarding the worker processes, a pusher taking jobs from the
database queue and a monitor recording results) runs as children of this process; this
process writes the heartbeat while the sentinel lives. SIGTERM or SIGINT stops the cluster
cleanly: no new job is taken, jobs running are finished, then everything exits. A job in the
middle of a worker killed outright stays leased in the queue and is taken again when its lease
(`Q_CLUSTER["retry"]`, longer than the job timeout) runs out.
"""

from __future__ import annotations

import logging

from django import db
from django.conf import settings

from linkwell.operations import heartbeat
from linkwell.operations.schedule import ensure_schedule

log = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "LINKWELL_WORKER_HEARTBEAT_SECONDS", 30))


def run(*, workers: int | None = None) -> int:
    """Run the worker until it is told to stop; returns the exit status (0: stopped cleanly)."""
    from django_q.conf import Conf

    if workers:
        Conf.WORKERS = workers
        Conf.QUEUE_LIMIT = workers
    schedules = ensure_schedule()
    name = heartbeat.this_worker()
    heartbeat.started(name)
    log.info(
        "Worker %s starting: %d processes, %d scheduled jobs", name, Conf.WORKERS, len(schedules)
    )
    from django_q.brokers import get_broker
    from django_q.cluster import Cluster

    cluster = Cluster(get_broker())  # handles SIGTERM and SIGINT: stops the cluster cleanly
    # The cluster's processes are forked from this one and close the connections they inherit:
    # none may be open here then (the broker just opened one), or this process loses it.
    db.connections.close_all()
    cluster.start()
    sentinel = cluster.sentinel
    while sentinel.is_alive():
        heartbeat.beat(name)
        db.connections.close_all()  # between beats: no idle connection held for minutes
        sentinel.join(timeout=heartbeat_seconds())
    heartbeat.stopped(name)
    status = sentinel.exitcode or 0
    log.info("Worker %s stopped (status %d)", name, status)
    return status
