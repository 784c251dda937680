"""`linkwell worker` for real: started as a process on the test database (a SQLite file, or
PostgreSQL), it makes the schedule, runs a job queued here, keeps its heartbeat, and stops
cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django_q.models import Schedule

from linkwell.audit.models import AuditEvent
from linkwell.core import jobs
from linkwell.core.tests.other_process import database_url
from linkwell.operations import heartbeat, schedule
from linkwell.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.usefixtures("live_db", "worker_mode")

ROOT = Path(__file__).resolve().parents[4]
WAIT = 90  # seconds at most for anything the worker should do (a slow, shared machine)


def wait_for(check: Callable[[], Any], what: str, process: subprocess.Popen, log: Path) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if found := check():
            return found
        if process.poll() is not None:
            status = process.returncode
            pytest.fail(f"the worker exited ({status}) before {what}:\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"no {what} within {WAIT} s:\n{log.read_text()}")


def test_the_worker_runs_a_job_keeps_its_heartbeat_and_stops_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LINKWELL_DEV": "1",
        "LINKWELL_JOBS": "worker",
        "LINKWELL_WORKERS": "1",
        "LINKWELL_WORKER_HEARTBEAT_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "linkwell.cli", "worker"],
            cwd=ROOT,
            start_new_session=True,  # its own process group: all of it killed if the test fails
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: Schedule.objects.count() == len(schedule.JOBS), "schedule", process, log)
        with transaction.atomic():
            jobs.enqueue("linkwell.operations.tests.jobs.sample.note", "from the test")
        event = wait_for(
            lambda: AuditEvent.objects.filter(target_id="from the test").first(),
            "job done",
            process,
            log,
        )
        assert event.details["request_id"]
        first = heartbeat.last_seen()
        assert first is not None
        wait_for(lambda: heartbeat.last_seen() > first, "second heartbeat", process, log)

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT) == 0, log.read_text()
    finally:
        if process.poll() is None or process.returncode:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the cluster's processes too
            process.wait()
    row = WorkerHeartbeat.objects.get()
    assert row.stopped_at is not None and row.stopped_at >= row.last_seen
