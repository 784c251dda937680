"""A partnership admin reviews a provider's change: sees it as a diff, publishes it (the public
page and the ORUK API show it, ids stay, the audit log records it) or sends it back with a
reason the provider sees; a listing saved meanwhile is never overwritten silently."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.actions import save_services
from linkwell.directory.listings.actions import ListingChangeError, approve_change
from linkwell.directory.listings.records import current_listing
from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)
from linkwell.directory.tests.listing_support import edit_data, errors_in
from linkwell.notifications.models import Notification, NotificationKind

NEW_TIMES = {"times-0-opens_at": "10:15", "times-0-closes_at": "13:45"}


@pytest.fixture
def submit(client, alpha_editor, service):
    def post(**changes):
        client.force_login(alpha_editor)
        response = client.post(
            reverse("listings:edit", args=[service.pk]), edit_data(service, **changes)
        )
        assert response.status_code == 302, errors_in(response)
        client.logout()
        return service.changes.get(status="submitted")

    return post


def review_url(change):
    return reverse("listings:review", args=[change.pk])


def test_the_queue_lists_waiting_changes_oldest_first(client, submit, admin_user, service):
    change = submit(name="Alpha Lunch")
    client.force_login(admin_user)

    page = client.get(reverse("listings:review_queue")).content.decode()

    assert review_url(change) in page and "Alpha Lunch Club" in page


def test_the_review_page_shows_each_changed_field_old_and_new(client, submit, admin_user):
    change = submit(name="Alpha Lunch", **NEW_TIMES)
    client.force_login(admin_user)

    page = client.get(review_url(change)).content.decode()

    assert '<del><span class="visually-hidden">Removed: </span>Alpha Lunch Club</del>' in page
    assert '<ins><span class="visually-hidden">Added: </span>Alpha Lunch</ins>' in page
    assert "10:15 to 13:45" in page and "11:30 to 14:00" in page
    assert "Opening times" in page


def test_approving_publishes_the_change_with_stable_ids(client, submit, admin_user, service):
    change = submit(name="Alpha Lunch", **NEW_TIMES)
    location_ids = set(m.Location.objects.values_list("id", flat=True))
    client.force_login(admin_user)

    response = client.post(review_url(change), {"decision": "approve"})

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Alpha Lunch"
    assert service.assured_date == timezone.localdate()
    assert set(m.Location.objects.values_list("id", flat=True)) == location_ids
    public = client.get(reverse("directory:service_detail", args=[service.pk])).content.decode()
    assert "10:15 to 13:45" in public and "11:30" not in public
    api = client.get(f"/api/v1/services/{service.pk}").json()
    assert api["name"] == "Alpha Lunch"
    assert [(s["opens_at"], s["closes_at"]) for s in api["schedules"]] == [("10:15:00", "13:45:00")]
    change.refresh_from_db()
    assert (change.status, change.reviewed_by) == ("approved", admin_user)
    assert AuditEvent.objects.filter(
        action="directory.listing_change.approved", target_id=str(change.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="directory.service.saved", target_id=str(service.pk), actor=admin_user
    ).exists()


def test_the_submitter_is_told_by_email(
    client, submit, admin_user, alpha_editor, django_capture_on_commit_callbacks
):
    change = submit(name="Alpha Lunch")
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(change), {"decision": "approve"})

    assert [message.to for message in mail.outbox] == [[alpha_editor.email]]
    assert "Published" in mail.outbox[0].subject
    (notice,) = Notification.objects.filter(user=alpha_editor)  # and in their inbox
    assert notice.kind == NotificationKind.LISTING_PUBLISHED
    assert notice.is_about(change.service) and notice.link == reverse("listings:dashboard")


def test_rejecting_keeps_the_listing_and_shows_the_reason_to_the_provider(
    client, submit, admin_user, alpha_editor, service, django_capture_on_commit_callbacks
):
    change = submit(name="Alpha Lunch")
    before = current_listing(service)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(change), {"decision": "reject", "reason": "Name is the charity's"})

    assert current_listing(service) == before
    change.refresh_from_db()
    assert (change.status, change.reviewer_note) == ("rejected", "Name is the charity's")
    assert "Name is the charity's" in mail.outbox[0].body
    (notice,) = Notification.objects.filter(user=alpha_editor)
    assert notice.kind == NotificationKind.LISTING_NOT_PUBLISHED
    assert "Name is the charity's" in notice.message
    client.force_login(alpha_editor)
    dashboard = client.get(reverse("listings:dashboard")).content.decode()
    assert "Not published" in dashboard and "Name is the charity&#x27;s" in dashboard


def test_rejecting_needs_a_reason(client, submit, admin_user):
    change = submit(name="Alpha Lunch")
    client.force_login(admin_user)

    response = client.post(review_url(change), {"decision": "reject", "reason": "  "})

    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "submitted"


def test_a_listing_changed_since_the_edit_began_is_not_overwritten_silently(
    client, submit, admin_user, service
):
    change = submit(name="Alpha Lunch")
    newer = current_listing(service).record
    newer.description = "Changed by an import meanwhile."
    save_services([newer], actor=None, via="test")
    client.force_login(admin_user)

    page = client.get(review_url(change)).content.decode()
    assert "The listing has changed since this edit began" in page
    refused = client.post(review_url(change), {"decision": "approve"})

    assert refused.status_code == 400
    service.refresh_from_db()
    assert (service.name, service.description) == ("Alpha Lunch Club", newer.description)
    change.refresh_from_db()
    assert change.status == "submitted"

    client.post(review_url(change), {"decision": "approve", "overwrite": "yes"})
    service.refresh_from_db()
    assert service.name == "Alpha Lunch"
    event = AuditEvent.objects.get(action="directory.listing_change.approved")
    assert event.details["overwrote_newer_edit"] is True


def test_a_change_is_decided_once(submit, admin_user):
    change = submit(name="Alpha Lunch")
    approve_change(change, actor=admin_user)
    with pytest.raises(ListingChangeError):
        approve_change(change, actor=admin_user)


def test_confirming_while_a_change_waits_does_not_make_it_conflict(
    client, submit, alpha_editor, admin_user, service
):
    change = submit(name="Alpha Lunch")
    client.force_login(alpha_editor)
    client.post(reverse("listings:confirm", args=[service.pk]))

    approve_change(change, actor=admin_user)  # no Conflict

    service.refresh_from_db()
    assert service.name == "Alpha Lunch"


def test_a_provider_editor_cannot_approve(submit, alpha_editor):
    change = submit(name="Alpha Lunch")
    with pytest.raises(ListingChangeError):
        approve_change(change, actor=alpha_editor)


def test_times_for_one_place_are_published_at_that_place(client, submit, admin_user, service):
    change = submit(
        **{
            "locations-1-name": "Keighley hall",
            "locations-1-address_1": "2 North Street",
            "locations-1-city": "Keighley",
            "locations-1-postcode": "BD21 3RN",
            "times-1-place": "1",
            "times-1-days": ["MO"],
            "times-1-opens_at": "09:30",
            "times-1-closes_at": "11:00",
        }
    )
    approve_change(change, actor=admin_user)

    api = client.get(f"/api/v1/services/{service.pk}").json()
    by_place = {
        sal["location"]["name"]: [s["opens_at"] for s in sal.get("schedules", [])]
        for sal in api["service_at_locations"]
    }
    assert by_place == {"Alpha Lunch Club venue": [], "Keighley hall": ["09:30:00"]}
    assert [s["opens_at"] for s in api["schedules"]] == ["11:30:00"]
    keighley = m.Location.objects.get(name="Keighley hall")
    assert keighley.latitude is not None  # placed from the postcode

    # Editing again starts from what is published, each time where it was.
    again = current_listing(service)
    assert again.schedule_locations.count(None) == 1
    assert dt.time(9, 30) in [s.opens_at for s in again.record.schedules]


def test_a_reason_with_markup_is_refused(client, submit, admin_user):
    change = submit(name="Alpha Lunch")
    client.force_login(admin_user)

    response = client.post(review_url(change), {"decision": "reject", "reason": "<b>No</b> thanks"})

    assert response.status_code == 400
    assert "without HTML" in response.content.decode()
    assert "&lt;b&gt;No&lt;/b&gt; thanks" in response.content.decode()  # kept, as text
