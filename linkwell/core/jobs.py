"""Work done after the request, by the worker: `enqueue` a function by its dotted path.

Contract: the job is queued only when the caller's transaction commits (nothing runs for a
change rolled back); arguments must be JSON-serialisable (ids, not model instances); the
request id of the caller's request travels with the job and is bound while it runs
(`linkwell.core.request_id`). A job that raises is tried again later, after 1, 5, 25 minutes
and so on, up to `LINKWELL_JOB_MAX_ATTEMPTS` tries; every failed try shows in the admin's
failed tasks (docs/adr/0034-background-jobs.md).

`LINKWELL_JOBS` decides where jobs run: "worker" queues them in the database for `linkwell
worker` (django-q2's ORM broker); "inline" runs them in this process right after commit (tests
and the demo, which then need no worker). Either way the caller never sees a job's failure:
its own change has been committed, and the job is retried on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from contextlib import suppress
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from linkwell.core import request_id as request_ids

log = logging.getLogger(__name__)

# What django-q2 queues and schedules: this module's runner, named by its dotted path.
RUNNER = "linkwell.core.jobs.run_job"


def enqueue(func: str, *args: Any, **kwargs: Any) -> None:
    """Run `func` (a dotted path) with these arguments after commit."""
    job = {
        "func": func,
        "args": list(args),
        "kwargs": kwargs,
        "request_id": request_ids.current() or _new_request_id(),
    }
    transaction.on_commit(partial(_dispatch, job))


def mode() -> str:
    """ "worker" or "inline": where enqueued jobs run."""
    return getattr(settings, "LINKWELL_JOBS", "inline")


def max_attempts() -> int:
    return max(1, int(getattr(settings, "LINKWELL_JOB_MAX_ATTEMPTS", 4)))


def retry_delay(attempt: int) -> dt.timedelta:
    """How long after failed try number `attempt` the next one runs: the first delay, times
    the factor for each try since (1, 5, 25 minutes by default)."""
    first = float(getattr(settings, "LINKWELL_JOB_RETRY_FIRST_MINUTES", 1))
    factor = float(getattr(settings, "LINKWELL_JOB_RETRY_FACTOR", 5))
    return dt.timedelta(minutes=first * factor ** max(0, attempt - 1))


def task_name(func: str, attempt: int, args: list[Any] | tuple[Any, ...] = ()) -> str:
    """How a try is listed in the admin: the function, its first argument if short (the
    record or the scheduled job it is about), the try (django-q2 keeps 100 characters)."""
    first = repr(args[0]) if args and isinstance(args[0], str | int) else ""
    label = f"{func}({first})" if first and len(first) <= 40 else func
    return f"{label} (try {attempt} of {max_attempts()})"[:100]


def _dispatch(job: dict[str, Any]) -> None:
    if mode() == "worker":
        queue(job, attempt=1)
    else:
        _run_inline(job)


def queue(job: dict[str, Any], *, attempt: int) -> str:
    """Put one try of the job in django-q2's queue now; returns the task id."""
    from django_q.tasks import async_task

    return async_task(
        RUNNER,
        job["func"],
        job["args"],
        job["kwargs"],
        job["request_id"],
        attempt,
        q_options={
            "task_name": task_name(job["func"], attempt, job["args"]),
            "group": job["func"],
        },
    )


def _run_inline(job: dict[str, Any]) -> None:
    # A failure is logged and its retry scheduled by run_job; the caller's change stands.
    with suppress(Exception):
        run_job(job["func"], job["args"], job["kwargs"], job["request_id"], 1)


def run_job(
    path: str,
    args: list[Any],
    kwargs: dict[str, Any],
    request_id: str = "",
    attempt: int = 1,
) -> Any:
    """One try of a job, as the worker (or `inline`) runs it: the caller's request id bound;
    if it raises, the next try is scheduled (unless this was the last) and the error raised
    again, so django-q2 records this try as failed."""
    from django_q.exceptions import TimeoutException

    func = path
    request_id = request_id or _new_request_id()  # a scheduled run starts its own
    with request_ids.bound(request_id):
        try:
            return import_string(func)(*args, **kwargs)
        except (Exception, TimeoutException):
            job = {"func": func, "args": args, "kwargs": kwargs, "request_id": request_id}
            if attempt < max_attempts():
                when = _retry_later(job, attempt + 1, timezone.now() + retry_delay(attempt))
                log.exception(
                    "Job %s failed (try %d of %d); trying again at %s",
                    func,
                    attempt,
                    max_attempts(),
                    when.isoformat(),
                )
            else:
                log.exception(
                    "Job %s failed (try %d of %d); giving up: see the admin's failed tasks",
                    func,
                    attempt,
                    max_attempts(),
                )
            raise


def _retry_later(job: dict[str, Any], attempt: int, when: dt.datetime) -> dt.datetime:
    """A one-off django-q2 schedule that queues the next try at `when` (the worker's
    scheduler looks every 30 seconds); it deletes itself once it has queued the try."""
    from django_q.models import Schedule

    name = task_name(job["func"], attempt, job["args"])
    call = {  # keywords for run_job (`path`: async_task takes `func` itself)
        "path": job["func"],
        "args": job["args"],
        "kwargs": job["kwargs"],
        "request_id": job["request_id"],
        "attempt": attempt,
        "q_options": {"task_name": name, "group": job["func"]},
    }
    with transaction.atomic():
        Schedule.objects.create(
            name=f"{name} {uuid.uuid4().hex[:8]}"[:100],
            func=RUNNER,
            kwargs=repr(call),
            schedule_type=Schedule.ONCE,
            repeats=-1,
            next_run=when,
        )
    return when


def _new_request_id() -> str:
    return uuid.uuid4().hex
