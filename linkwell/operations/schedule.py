"""The schedule `linkwell worker` keeps: each job, when it runs, and its audit event.

Each scheduled job is a django-q2 daily (or hourly) schedule named `linkwell: <job>` that
queues the job through `linkwell.core.jobs.run_job`, so a run that fails is retried like any
job and shows in the admin. Every run, done or failed, leaves an audit event (`schedule.ran`,
`schedule.failed`) with its outcome. Times are the local time of day (TIME_ZONE), from
`LINKWELL_SCHEDULE`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.core import jobs, request_id

PREFIX = "linkwell: "
HOURLY = "hourly"  # a time that is not a time of day: every hour, five minutes past
VIA = "linkwell worker (schedule)"

# When each job runs unless LINKWELL_SCHEDULE says otherwise: the purge and the hub's figures
# overnight, the notices early in the working day.
DEFAULT_TIMES = {
    "purge_contact_requests": "02:30",
    "refresh_hub": "03:00",
    "escalate_referrals": "07:00",
    "notify_stale_listings": "07:15",
    "remind_outcomes": "07:30",
    # Messages whose delivery job was lost or gave up (Notify down for hours) are sent again.
    "resend_waiting_messages": HOURLY,
}


def _escalate_referrals() -> dict[str, Any]:
    from linkwell.referrals.actions import escalate_overdue

    return {"escalated": escalate_overdue(via=VIA)}


def _notify_stale_listings() -> dict[str, Any]:
    from linkwell.directory.listings.actions import notify_stale_listings

    return {"organisations_told": len(notify_stale_listings(actor=None))}


def _purge_contact_requests() -> dict[str, Any]:
    from linkwell.referrals.actions import purge_closed_contact_requests, retention_days

    days = retention_days()
    count = purge_closed_contact_requests(actor=None, older_than_days=days, via=VIA)
    return {"deleted": count, "older_than_days": days}


def _refresh_hub() -> dict[str, Any]:
    from linkwell.intelligence.refresh import refresh_hub

    run = refresh_hub(via=VIA)
    return {"rows": sum(run.counts.values()), "seconds": run.seconds}


def _resend_waiting_messages() -> dict[str, Any]:
    from linkwell.notifications.delivery import requeue_stale

    return {"queued_again": requeue_stale()}


def _remind_outcomes() -> dict[str, Any]:
    from linkwell.outcomes.actions import send_reminders

    return {"reminded": send_reminders(via=VIA)}


JOBS: dict[str, Callable[[], dict[str, Any]]] = {
    "escalate_referrals": _escalate_referrals,
    "notify_stale_listings": _notify_stale_listings,
    "purge_contact_requests": _purge_contact_requests,
    "refresh_hub": _refresh_hub,
    "remind_outcomes": _remind_outcomes,
    "resend_waiting_messages": _resend_waiting_messages,
}


def run(name: str) -> dict[str, Any]:
    """One run of the scheduled job `name` (what the schedule queues), audited either way."""
    work = JOBS[name]
    try:
        outcome = work()
    except Exception as error:
        _audit(name, "schedule.failed", {"error": f"{type(error).__name__}: {error}"[:1000]})
        raise
    _audit(name, "schedule.ran", {"outcome": outcome})
    return outcome


def _audit(name: str, action: str, details: dict[str, Any]) -> None:
    with transaction.atomic():
        record_event(
            actor=None,
            action=action,
            target_type="operations.schedule",
            target_id=name,
            target_label=name,
            via=VIA,
            details={**details, "request_id": request_id.current()},
        )


def times() -> dict[str, str]:
    """Each scheduled job's local time of day ("HH:MM"); jobs set to "off" are left out."""
    configured = {**DEFAULT_TIMES, **getattr(settings, "LINKWELL_SCHEDULE", {})}
    return {name: at for name, at in configured.items() if name in JOBS and at != "off"}


def parse_time(value: str) -> dt.time:
    """ "HH:MM" as a time of day; a clear error otherwise."""
    try:
        return dt.datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError as exc:
        raise ValueError(
            f"a schedule time must be HH:MM (24-hour), e.g. 03:00; got {value!r}"
        ) from exc


def next_hour(now: dt.datetime | None = None) -> dt.datetime:
    """Five minutes past the next hour (aware), after `now`."""
    at = (now or timezone.now()).replace(minute=5, second=0, microsecond=0)
    return at if at > (now or timezone.now()) else at + dt.timedelta(hours=1)


def next_at(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The next moment (aware) that is `at` in local time, after `now`."""
    local_now = timezone.localtime(now or timezone.now())
    candidate = timezone.make_aware(dt.datetime.combine(local_now.date(), at))
    if candidate <= local_now:
        candidate = timezone.make_aware(
            dt.datetime.combine(local_now.date() + dt.timedelta(days=1), at)
        )
    return candidate


def ensure_schedule(now: dt.datetime | None = None) -> list[Any]:
    """Make the django-q2 schedules match `times()`: create the missing, move those whose time
    of day changed, delete those switched off. Running it again changes nothing."""
    from django_q.models import Schedule

    wanted = times()
    kept = []
    with transaction.atomic():
        Schedule.objects.filter(name__startswith=PREFIX).exclude(
            name__in=[PREFIX + name for name in wanted]
        ).delete()
        for name, value in sorted(wanted.items()):
            hourly = value == HOURLY
            at = None if hourly else parse_time(value)
            path = f"{__name__}.run"
            call = {
                "path": path,
                "args": [name],
                "kwargs": {},
                "request_id": "",
                "attempt": 1,
                "q_options": {"task_name": jobs.task_name(path, 1, [name]), "group": path},
            }
            schedule = Schedule.objects.filter(name=PREFIX + name).first()
            if hourly:
                if schedule is None or schedule.schedule_type != Schedule.HOURLY:
                    schedule = schedule or Schedule(name=PREFIX + name)
                    schedule.next_run = next_hour(now)
            elif schedule is None:
                schedule = Schedule(name=PREFIX + name, next_run=next_at(at, now))
            elif (
                schedule.schedule_type != Schedule.DAILY
                or timezone.localtime(schedule.next_run).time().replace(second=0) != at
            ):
                schedule.next_run = next_at(at, now)
            schedule.func = jobs.RUNNER
            schedule.args = None
            schedule.kwargs = repr(call)
            schedule.schedule_type = Schedule.HOURLY if hourly else Schedule.DAILY
            schedule.repeats = -1
            schedule.save()
            kept.append(schedule)
    return kept
