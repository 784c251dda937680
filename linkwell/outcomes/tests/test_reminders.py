"""Follow-ups due and not answered are reminded once: the connector in the product, and the
person through the channel of a link that still works."""

import datetime as dt
import io

import time_machine
from django.core.management import call_command
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.notifications.models import Notification
from linkwell.outcomes import actions, texts
from linkwell.outcomes.models import Administration, Timepoint
from linkwell.outcomes.tests.records_world import baseline, swemwbs


def test_a_follow_up_due_is_reminded_once_to_the_connector(world, case):
    baseline(case, world["connector"])
    follow_up = Administration.objects.get(case=case, timepoint=Timepoint.FOLLOW_UP)
    assert actions.send_reminders(today=follow_up.due_on - dt.timedelta(days=1)) == 0

    assert actions.send_reminders(today=follow_up.due_on) == 1
    assert actions.send_reminders(today=follow_up.due_on + dt.timedelta(days=3)) == 0

    [told] = Notification.objects.about(follow_up)
    assert told.user == world["connector"] and told.link == f"/cases/{case.pk}/"
    assert "Cara" not in told.message and "Jones" not in told.message
    follow_up.refresh_from_db()
    assert follow_up.reminded_at is not None
    event = AuditEvent.objects.get(action="outcomes.administration.reminded")
    assert event.details == {"staff_told": 1, "person_told": False}
    assert texts.outbox == []


def test_the_person_is_reminded_through_a_link_still_working(
    world, case, django_capture_on_commit_callbacks
):
    baseline(case, world["connector"])
    follow_up = Administration.objects.get(case=case, timepoint=Timepoint.FOLLOW_UP)
    due = timezone.make_aware(dt.datetime.combine(follow_up.due_on, dt.time(9)))
    with (
        time_machine.travel(due - dt.timedelta(days=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.send_self_completion_link(
            follow_up, channel="text", actor=world["connector"], via="test"
        )
    texts.outbox.clear()
    with time_machine.travel(due), django_capture_on_commit_callbacks(execute=True):
        call_command("remind_outcomes", stdout=io.StringIO())
    [text] = texts.outbox
    assert text.number == "07700 900123"
    assert "reminder" in text.message and "Cara" in text.message and "Jones" not in text.message
    assert "/answer/" not in text.message  # the token is not kept, so never re-sent


def test_an_answered_follow_up_is_not_reminded(world, case):
    baseline(case, world["connector"])
    follow_up = Administration.objects.get(case=case, timepoint=Timepoint.FOLLOW_UP)
    actions.save_answers(follow_up, swemwbs(3), actor=world["connector"], via="test", complete=True)
    assert actions.send_reminders(today=follow_up.due_on + dt.timedelta(days=30)) == 0
