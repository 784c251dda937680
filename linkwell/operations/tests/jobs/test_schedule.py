"""The daily schedule: made once however often the worker starts, at the configured local
times; every scheduled run leaves an audit event with its outcome; a failed run is audited,
listed failed and retried like any job."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Failure, Schedule

from linkwell.audit.models import AuditEvent
from linkwell.core import jobs
from linkwell.operations import schedule
from linkwell.operations.tests.jobs.conftest import run_schedule

pytestmark = pytest.mark.usefixtures("live_db", "worker_mode")

NAMES = {
    "escalate_referrals",
    "notify_stale_listings",
    "purge_contact_requests",
    "refresh_hub",
    "remind_outcomes",
    "resend_waiting_messages",
}
MONDAY_NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # London is on GMT


def daily() -> dict[str, Schedule]:
    return {s.name.removeprefix(schedule.PREFIX): s for s in Schedule.objects.all()}


def test_the_schedule_is_made_once_with_each_job_at_its_time():
    schedule.ensure_schedule(now=MONDAY_NOON)
    first = {name: (s.pk, s.next_run) for name, s in daily().items()}
    schedule.ensure_schedule(now=MONDAY_NOON + dt.timedelta(hours=1))
    assert {name: (s.pk, s.next_run) for name, s in daily().items()} == first
    assert set(first) == NAMES
    refresh = daily()["refresh_hub"]
    assert refresh.schedule_type == Schedule.DAILY and refresh.func == jobs.RUNNER
    three_am_tuesday = timezone.make_aware(dt.datetime(2026, 3, 3, 3, 0))
    assert timezone.localtime(refresh.next_run) == three_am_tuesday


def test_messages_left_waiting_are_queued_again_every_hour():
    schedule.ensure_schedule(now=MONDAY_NOON)
    resend = daily()["resend_waiting_messages"]
    assert resend.schedule_type == Schedule.HOURLY
    assert resend.next_run == MONDAY_NOON.replace(minute=5)
    schedule.ensure_schedule(now=MONDAY_NOON + dt.timedelta(minutes=30))
    assert daily()["resend_waiting_messages"].next_run == resend.next_run  # not moved


def test_a_time_changed_in_the_settings_moves_the_job_and_off_removes_it(settings):
    schedule.ensure_schedule(now=MONDAY_NOON)
    settings.LINKWELL_SCHEDULE = {"refresh_hub": "13:30", "remind_outcomes": "off"}
    schedule.ensure_schedule(now=MONDAY_NOON)
    jobs_now = daily()
    assert "remind_outcomes" not in jobs_now
    assert timezone.localtime(jobs_now["refresh_hub"].next_run) == timezone.make_aware(
        dt.datetime(2026, 3, 2, 13, 30)
    )


def test_a_bad_time_says_how_to_write_one():
    with pytest.raises(ValueError, match="HH:MM"):
        schedule.parse_time("3am")


def test_each_scheduled_job_runs_when_due_and_leaves_an_audit_event():
    with time_machine.travel(MONDAY_NOON, tick=True) as traveller:
        schedule.ensure_schedule()
        assert run_schedule() == 0
        traveller.shift(dt.timedelta(hours=20))  # past 07:30 on Tuesday
        assert run_schedule() == len(NAMES)
        assert run_schedule() == 0  # each runs once a day
        tomorrow = timezone.now() + dt.timedelta(hours=10)
        after = {name: s.next_run for name, s in daily().items()}
        assert after.pop("resend_waiting_messages") > timezone.now()  # the next hour
        assert all(at > tomorrow for at in after.values())  # moved to the next day
    events = AuditEvent.objects.filter(action="schedule.ran")
    assert {e.target_id for e in events} == NAMES
    escalated = events.get(target_id="escalate_referrals")
    assert escalated.details["outcome"] == {"escalated": 0}
    assert escalated.via == schedule.VIA and escalated.details["request_id"]
    assert not Failure.objects.exists()


def test_a_failed_scheduled_run_is_audited_listed_failed_and_retried(monkeypatch):
    def broken():
        raise RuntimeError("the referrals table is locked")

    monkeypatch.setitem(schedule.JOBS, "escalate_referrals", broken)
    settings_off = {name: "off" for name in NAMES - {"escalate_referrals"}}
    monkeypatch.setattr(schedule, "DEFAULT_TIMES", {**schedule.DEFAULT_TIMES, **settings_off})
    with time_machine.travel(MONDAY_NOON, tick=True) as traveller:
        schedule.ensure_schedule()
        traveller.shift(dt.timedelta(hours=20))
        assert run_schedule() == 1
    [failed] = AuditEvent.objects.filter(action="schedule.failed")
    assert failed.target_id == "escalate_referrals"
    assert failed.details["error"] == "RuntimeError: the referrals table is locked"
    assert "escalate_referrals" in Failure.objects.get().name
    retry = Schedule.objects.get(schedule_type=Schedule.ONCE)
    assert "(try 2 of 3)" in retry.name and "escalate_referrals" in retry.name
