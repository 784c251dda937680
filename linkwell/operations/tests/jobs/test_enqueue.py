"""`enqueue`: nothing runs for a change rolled back; in worker mode the job waits in the
database queue for the worker; either way it runs under the caller's request id."""

from contextlib import suppress

import pytest
from django.db import transaction
from django_q.models import OrmQ, Success
from django_q.signing import SignedPackage

from linkwell.audit.models import AuditEvent
from linkwell.core import jobs, request_id
from linkwell.operations.tests.jobs.conftest import queued, work_off

pytestmark = pytest.mark.usefixtures("live_db")

NOTE = "linkwell.operations.tests.jobs.sample.note"


def ran(text: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="test.job_ran", target_id=text))


class Boom(Exception):
    pass


def test_inline_a_rolled_back_change_runs_nothing():
    with suppress(Boom), transaction.atomic():
        jobs.enqueue(NOTE, "rolled back")
        raise Boom
    assert ran("rolled back") == []

    with transaction.atomic():
        jobs.enqueue(NOTE, "committed")
    assert len(ran("committed")) == 1


def test_inline_the_job_runs_after_commit_not_before():
    with transaction.atomic():
        jobs.enqueue(NOTE, "later")
        assert ran("later") == []
    assert len(ran("later")) == 1


def test_inline_a_failing_job_does_not_fail_the_caller_and_is_retried_later(settings):
    from django_q.models import Schedule

    with transaction.atomic():
        jobs.enqueue("linkwell.operations.tests.jobs.sample.fail_always", "inline")
    retry = Schedule.objects.get()
    assert retry.func == jobs.RUNNER
    assert "(try 2 of 4)" in retry.name


@pytest.mark.usefixtures("worker_mode")
def test_worker_mode_a_rolled_back_change_queues_nothing():
    with suppress(Boom), transaction.atomic():
        jobs.enqueue(NOTE, "rolled back")
        raise Boom
    assert queued() == 0


@pytest.mark.usefixtures("worker_mode")
def test_worker_mode_queues_an_ormq_row_after_commit_and_the_worker_runs_it():
    with request_id.bound("req-42"), transaction.atomic():
        jobs.enqueue(NOTE, "queued", extra="kw")
        assert queued() == 0
    assert ran("queued") == []  # not run here: waiting for the worker
    package = SignedPackage.loads(OrmQ.objects.get().payload)
    assert package["func"] == jobs.RUNNER
    assert package["args"] == (NOTE, ["queued"], {"extra": "kw"}, "req-42", 1)

    assert work_off() == 1
    [event] = ran("queued")
    assert event.details == {"request_id": "req-42", "extra": "kw"}
    assert queued() == 0
    done = Success.objects.get()
    assert done.group == NOTE and done.name.startswith(f"{NOTE}('queued') (try 1 of 3)")


@pytest.mark.usefixtures("worker_mode")
def test_a_job_queued_outside_a_request_gets_a_request_id_of_its_own():
    jobs.enqueue(NOTE, "no request")
    work_off()
    [event] = ran("no request")
    assert len(event.details["request_id"]) == 32
