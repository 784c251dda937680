"""The provider's inbox: list, filter, pages, detail (every read audited) and status changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions, queries
from linkwell.referrals.models import ContactRequest
from linkwell.referrals.tests.conftest import PASSWORD
from linkwell.referrals.tests.helpers import make_request


@pytest.fixture
def editor_client(client, people):
    client.login(username="alpha_editor", password=PASSWORD)
    return client


def test_the_inbox_lists_only_the_editors_requests_newest_first(
    editor_client, alpha_service, beta_service
):
    older = make_request(alpha_service)
    theirs = make_request(beta_service)
    newer = make_request(alpha_service)
    page = editor_client.get(reverse("referrals:inbox")).content.decode()
    assert page.index(newer.reference) < page.index(older.reference)
    assert theirs.reference not in page
    assert "Sam Example" not in page  # names only on the (audited) detail page
    assert "2 new requests are waiting." in page


def test_the_inbox_filters_by_status(editor_client, people, alpha_service):
    waiting = make_request(alpha_service)
    done = make_request(alpha_service)
    actions.update_contact_request_status(
        actor=people["alpha_editor"], contact_request=done, status="closed"
    )
    page = editor_client.get(reverse("referrals:inbox"), {"status": "closed"}).content.decode()
    assert done.reference in page
    assert waiting.reference not in page
    page = editor_client.get(reverse("referrals:inbox"), {"status": "contacted"}).content.decode()
    assert "No requests have this status." in page


def test_an_empty_inbox_says_what_will_appear_there(editor_client):
    page = editor_client.get(reverse("referrals:inbox")).content.decode()
    assert "No one has asked to be contacted yet." in page


def test_the_inbox_is_paginated(editor_client, alpha_service, settings):
    made = [make_request(alpha_service) for _ in range(21)]
    first = editor_client.get(reverse("referrals:inbox")).content.decode()
    second = editor_client.get(reverse("referrals:inbox"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert made[0].reference in second and made[0].reference not in first
    assert made[-1].reference in first


def test_opening_a_request_shows_the_details_escaped_and_audits_the_read(
    editor_client, people, alpha_service
):
    request = make_request(alpha_service, name='Sam "Tiny" O\'Neil & co', message="I <3 <5s")
    response = editor_client.get(reverse("referrals:inbox_detail", args=[request.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sam &quot;Tiny&quot; O&#x27;Neil &amp; co" in page
    assert "I &lt;3 &lt;5s" in page
    assert "01274 123456" in page
    event = AuditEvent.objects.get(action="referrals.contact_request.viewed")
    assert (event.actor, event.target_id) == (people["alpha_editor"], str(request.pk))
    editor_client.get(reverse("referrals:inbox_detail", args=[request.pk]))
    assert AuditEvent.objects.filter(action="referrals.contact_request.viewed").count() == 2


def test_marking_contacted_then_closed_is_recorded_with_notes_and_audited(
    editor_client, people, alpha_service
):
    request = make_request(alpha_service)
    update = reverse("referrals:inbox_update", args=[request.pk])
    response = editor_client.post(update, {"status": "contacted", "note": "Rang, booked Tuesday"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "contacted" and request.closed_at is None
    page = editor_client.get(response["Location"]).content.decode()
    assert "is now marked contacted" in page
    assert "Rang, booked Tuesday" in page

    editor_client.post(update, {"status": "closed", "note": ""})
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_at is not None
    events = AuditEvent.objects.filter(target_id=str(request.pk)).order_by("id")
    changes = [(e.action, e.details.get("has_note")) for e in events if "viewed" not in e.action]
    assert changes == [
        ("referrals.contact_request.created", None),
        ("referrals.contact_request.contacted", True),
        ("referrals.contact_request.closed", False),
    ]
    # The note itself stays with the request, never in the log that outlives it.
    assert not AuditEvent.objects.filter(details__icontains="Tuesday").exists()


def test_a_closed_request_cannot_be_reopened(editor_client, people, alpha_service):
    request = make_request(alpha_service)
    actions.update_contact_request_status(
        actor=people["alpha_editor"], contact_request=request, status="closed"
    )
    response = editor_client.post(
        reverse("referrals:inbox_update", args=[request.pk]), {"status": "contacted"}
    )
    assert response.status_code == 400
    assert "already closed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "closed"


def test_a_bad_note_is_refused_at_the_field_and_kept(editor_client, alpha_service):
    request = make_request(alpha_service)
    response = editor_client.post(
        reverse("referrals:inbox_update", args=[request.pk]),
        {"status": "contacted", "note": "<script>x</script>"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "web page code (HTML)" in page
    assert "&lt;script&gt;x&lt;/script&gt;</textarea>" in page
    request.refresh_from_db()
    assert request.status == "new"


def test_another_organisations_editor_cannot_change_a_request(client, people, alpha_service):
    request = make_request(alpha_service)
    client.login(username="beta_editor", password=PASSWORD)
    response = client.post(
        reverse("referrals:inbox_update", args=[request.pk]), {"status": "closed"}
    )
    assert response.status_code == 404
    with pytest.raises(actions.PermissionDenied):
        actions.update_contact_request_status(
            actor=people["beta_editor"], contact_request=request, status="closed"
        )
    assert ContactRequest.objects.get().status == "new"


def test_the_new_request_count_for_a_nav_badge(people, alpha_service, beta_service):
    make_request(alpha_service)
    done = make_request(alpha_service)
    make_request(beta_service)
    actions.update_contact_request_status(
        actor=people["admin"], contact_request=done, status="contacted"
    )
    assert queries.count_new_requests(people["alpha_editor"]) == 1
    assert queries.count_new_requests(people["beta_editor"]) == 1
    assert queries.count_new_requests(people["admin"]) == 2
    assert queries.count_new_requests(people["practitioner"]) == 0


def test_the_inbox_reads_a_fixed_number_of_queries_however_many_requests(
    editor_client, alpha_service
):
    make_request(alpha_service)
    editor_client.get(reverse("referrals:inbox"))  # warm up: session, user, memberships
    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse("referrals:inbox"))
    for _ in range(10):
        make_request(alpha_service)
    with CaptureQueriesContext(connection) as eleven:
        editor_client.get(reverse("referrals:inbox"))
    assert len(eleven) == len(one)


def test_the_navigation_counts_the_editors_new_requests(
    editor_client, people, alpha_service, beta_service
):
    make_request(alpha_service)
    handled = make_request(alpha_service)
    make_request(beta_service)
    actions.update_contact_request_status(
        actor=people["alpha_editor"], contact_request=handled, status="contacted"
    )
    page = editor_client.get(reverse("directory:home")).content.decode()
    assert 'Inbox <span class="nav-count">(1 new)</span>' in page


def test_an_open_request_offers_to_become_a_referral_and_a_closed_one_does_not(
    editor_client, people, alpha_service
):
    open_request = make_request(alpha_service)
    closed = make_request(alpha_service)
    actions.update_contact_request_status(
        actor=people["alpha_editor"], contact_request=closed, status="closed"
    )
    convert = reverse("referrals:inbox_convert", args=[open_request.pk])

    page = editor_client.get(reverse("referrals:inbox_detail", args=[open_request.pk]))
    shut = editor_client.get(reverse("referrals:inbox_detail", args=[closed.pk]))
    refused = editor_client.get(reverse("referrals:inbox_convert", args=[closed.pk]))

    assert "Make this a referral" in page.content.decode() and convert in page.content.decode()
    assert "Make this a referral" not in shut.content.decode()
    assert refused.status_code == 302
    assert refused["Location"] == reverse("referrals:inbox_detail", args=[closed.pk])


def test_another_editor_cannot_open_the_conversion_of_a_request_not_theirs(
    client, people, beta_service
):
    theirs = make_request(beta_service)
    client.login(username="alpha_editor", password=PASSWORD)

    response = client.get(reverse("referrals:inbox_convert", args=[theirs.pk]))

    assert response.status_code == 404
    assert "Sam Example" not in response.content.decode()
