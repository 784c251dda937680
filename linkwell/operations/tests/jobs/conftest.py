"""Jobs in worker mode, and a worker pass run in this process: the queue taken through
django-q2's own worker and monitor, as `linkwell worker` does (without its processes)."""

from __future__ import annotations

from multiprocessing import Value

import pytest
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.monitor import monitor
from django_q.queues import Queue
from django_q.scheduler import scheduler
from django_q.signing import SignedPackage
from django_q.worker import worker

from linkwell.accounts.tests.personas import (  # noqa: F401 (fixtures)
    alpha,
    fast_password_hashing,
    make_person,
)


@pytest.fixture
def worker_mode(settings, monkeypatch):
    settings.LINKWELL_JOBS = "worker"
    settings.LINKWELL_JOB_MAX_ATTEMPTS = 3
    monkeypatch.setattr(Conf, "POLL", 0.01)  # an empty queue answers at once


def work_off() -> int:
    """Run every job queued and due now, as the worker would; returns how many ran."""
    broker = get_broker()
    ran = 0
    while packages := broker.dequeue():
        tasks, results = Queue(), Queue()
        for ack_id, payload in packages:
            task = SignedPackage.loads(payload)
            task["ack_id"] = ack_id
            task["cluster"] = Conf.CLUSTER_NAME
            tasks.put(task)
            ran += 1
        tasks.put("STOP")
        worker(tasks, results, Value("f", -1))
        results.put("STOP")
        monitor(results, broker)
        for queue in (tasks, results):
            queue.close()
            queue.join_thread()
    return ran


def run_schedule() -> int:
    """The worker's scheduler, once: queues every schedule due; then runs what it queued."""
    scheduler(broker=get_broker())
    return work_off()


def queued() -> int:
    return OrmQ.objects.count()
