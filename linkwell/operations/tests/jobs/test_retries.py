"""A job that raises is tried again after 1, then 5 minutes (the default back-off), each failed
try listed in the admin's failed tasks; after the last try it is left failed. A job whose
worker died before acknowledging it is taken again once its lease runs out."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Failure, Schedule, Success

from linkwell.audit.models import AuditEvent
from linkwell.core import jobs
from linkwell.operations.tests.jobs import sample
from linkwell.operations.tests.jobs.conftest import queued, run_schedule, work_off

pytestmark = pytest.mark.usefixtures("live_db", "worker_mode")

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def enqueue(func: str, text: str) -> None:
    with transaction.atomic():
        jobs.enqueue(f"linkwell.operations.tests.jobs.sample.{func}", text)


def approx_minutes(minutes: int) -> object:
    return pytest.approx(dt.timedelta(minutes=minutes), abs=dt.timedelta(seconds=5))


def next_try() -> Schedule:
    return Schedule.objects.get(func=jobs.RUNNER)


def test_a_failing_job_is_retried_with_back_off_then_recorded_failed():
    with time_machine.travel(START, tick=True) as traveller:
        enqueue("fail_always", "text")
        assert work_off() == 1
        assert Failure.objects.count() == 1
        first = next_try()
        assert first.next_run - timezone.now() == approx_minutes(1)

        assert run_schedule() == 0  # not due yet
        traveller.shift(dt.timedelta(minutes=1, seconds=5))
        assert run_schedule() == 1
        assert Failure.objects.count() == 2
        second = next_try()
        assert second.pk != first.pk  # the first one-off schedule is gone
        assert second.next_run - timezone.now() == approx_minutes(5)

        traveller.shift(dt.timedelta(minutes=5, seconds=5))
        assert run_schedule() == 1

    tries = list(Failure.objects.order_by("started").values_list("name", flat=True))
    assert [name.rsplit(" (", 1)[1] for name in tries] == [
        "try 1 of 3)",
        "try 2 of 3)",
        "try 3 of 3)",
    ]
    assert not Schedule.objects.exists()  # the last try schedules no other
    assert queued() == 0
    last = Failure.objects.order_by("-started").first()
    assert "RuntimeError: the service for text is down" in last.result


def test_a_job_that_fails_once_succeeds_on_its_next_try_under_the_same_request_id():
    sample.FAILURES["flaky"] = 1
    with time_machine.travel(START, tick=True) as traveller:
        enqueue("fail_then_work", "flaky")
        work_off()
        assert Failure.objects.count() == 1 and not Success.objects.exists()
        traveller.shift(dt.timedelta(minutes=2))
        assert run_schedule() == 1
    assert Success.objects.get().name.endswith("(try 2 of 3)")
    [event] = AuditEvent.objects.filter(action="test.job_ran", target_id="flaky")
    assert event.details["request_id"] == Failure.objects.get().args[3]


def test_a_job_whose_worker_died_is_taken_again_when_its_lease_runs_out(settings):
    from django_q.conf import Conf

    broker = get_broker()
    with time_machine.travel(START, tick=True) as traveller:
        enqueue("note", "orphan")
        [_taken] = broker.dequeue()  # taken by a worker that then died
        assert queued() == 1  # not acknowledged: still in the queue, leased
        assert work_off() == 0  # while the lease holds, no other worker takes it

        traveller.shift(dt.timedelta(seconds=Conf.RETRY + 1))
        assert work_off() == 1
    assert AuditEvent.objects.filter(action="test.job_ran", target_id="orphan").count() == 1
    assert queued() == 0


def test_the_lease_outlasts_the_job_timeout():
    from django_q.conf import Conf

    assert Conf.RETRY > Conf.TIMEOUT
    assert Conf.ACK_FAILURES  # a failed try leaves the queue: the jobs layer retries it
