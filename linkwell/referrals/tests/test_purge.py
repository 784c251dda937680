"""Deleting closed requests after their retention period: `purge_contact_requests`."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals.models import ContactRequest, ContactRequestUpdate
from linkwell.referrals.tests.helpers import make_request


def close(request, actor, note=""):
    actions.update_contact_request_status(
        actor=actor, contact_request=request, status="closed", note=note
    )


def test_it_deletes_requests_closed_longer_ago_than_the_limit_and_audits_each(
    people, alpha_service
):
    admin = people["admin"]
    long_ago = timezone.now() - dt.timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        old_closed = make_request(alpha_service)
        close(old_closed, admin, note="Done")
        old_open = make_request(alpha_service)
    recent = make_request(alpha_service)
    close(recent, admin)

    out = StringIO()
    call_command("purge_contact_requests", stdout=out)
    assert "Deleted 1 closed request(s)" in out.getvalue()
    assert set(ContactRequest.objects.values_list("pk", flat=True)) == {old_open.pk, recent.pk}
    assert not ContactRequestUpdate.objects.filter(contact_request_id=old_closed.pk).exists()
    event = AuditEvent.objects.get(action="referrals.contact_request.purged")
    assert event.target_id == str(old_closed.pk)
    assert event.details == {"older_than_days": 365}


def test_older_than_sets_the_limit_and_dry_run_deletes_nothing(people, alpha_service):
    with time_machine.travel(timezone.now() - dt.timedelta(days=10), tick=False):
        request = make_request(alpha_service)
        close(request, people["admin"])
    out = StringIO()
    call_command("purge_contact_requests", "--older-than", "5", "--dry-run", stdout=out)
    assert "1 closed request(s) would be deleted" in out.getvalue()
    assert ContactRequest.objects.count() == 1
    call_command("purge_contact_requests", "--older-than", "30", stdout=StringIO())
    assert ContactRequest.objects.count() == 1
    call_command("purge_contact_requests", "--older-than", "5", stdout=StringIO())
    assert ContactRequest.objects.count() == 0


def test_a_negative_limit_is_refused(db):
    with pytest.raises(CommandError, match="zero or more"):
        call_command("purge_contact_requests", "--older-than", "-1")
