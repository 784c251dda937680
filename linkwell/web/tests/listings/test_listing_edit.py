"""A provider editor edits a listing: bad input is refused at the field and nothing typed is
lost; good input becomes one open change for review, and the listing itself stays as it was."""

import pytest
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.listings.records import listing_from_json
from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)
from linkwell.directory.tests.listing_support import edit_data, errors_in


@pytest.fixture
def editing(client, alpha_editor, service):
    client.force_login(alpha_editor)

    def post(**changes):
        return client.post(
            reverse("listings:edit", args=[service.pk]), edit_data(service, **changes)
        )

    return post


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"locations-0-postcode": "BD99 9ZZ"}, "Postcode", "cannot find BD99 9ZZ"),
        ({"locations-0-postcode": "not a postcode"}, "Postcode", "full UK postcode"),
        (
            {"times-0-opens_at": "14:00", "times-0-closes_at": "09:00"},
            "Closes",
            "after the opening",
        ),
        ({"times-0-opens_at": "25:99"}, "Opens", "hours and minutes"),
        ({"minimum_age": "70", "maximum_age": "18"}, "Oldest age", "same as or more than"),
        ({"maximum_age": "130"}, "Oldest age", "less than or equal to 120"),
        ({"name": "x" * 256}, "Name of the service", "at most 255"),
        ({"description": "y" * 4001}, "What the service does", "at most 4000"),
        ({"description": "<script>alert(1)</script> Lunch"}, "What the service does", "HTML"),
        ({"name": "Lunch <b>club</b>"}, "Name of the service", "plain text"),
        ({"phones": "call us!"}, "Phone numbers", "not a phone number"),
        ({"cost": "charge", "fees": ""}, "What it costs", "Say what it costs"),
        ({"needs": []}, "Needs it helps with", "at least one need"),
        ({"url": "not a site"}, "Website", "valid URL"),
    ],
)
def test_bad_input_is_refused_at_the_field_naming_the_reason(
    editing, service, changes, field, reason
):
    response = editing(**changes)

    assert response.status_code == 400
    errors = errors_in(response)
    assert any(field in e and reason in e for e in errors), errors
    assert not service.changes.exists()


def test_what_was_typed_is_shown_again_after_an_error(editing):
    response = editing(
        description="A new description, kept", **{"locations-0-postcode": "BD99 9ZZ"}
    )
    page = response.content.decode()
    assert "A new description, kept" in page
    assert 'value="BD99 9ZZ"' in page


def test_markup_is_shown_back_as_text_never_as_markup(editing):
    page = editing(description="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_submitting_makes_one_open_change_and_leaves_the_listing_alone(editing, service):
    response = editing(**{"times-0-opens_at": "10:00", "times-0-closes_at": "13:00"})

    assert response.status_code == 302
    change = service.changes.get()
    assert change.status == m.ListingChange.Status.SUBMITTED
    proposed = listing_from_json(change.proposed)
    assert [(s.opens_at.hour, s.closes_at.hour) for s in proposed.record.schedules] == [(10, 13)]
    assert change.base_version == service.updated_at
    service.refresh_from_db()
    assert m.Schedule.objects.filter(service=service).get().opens_at.hour == 11
    event = AuditEvent.objects.get(action="directory.listing_change.submitted")
    assert event.details["fields"] == ["opening_times"]


def test_editing_again_updates_the_open_change(editing, client, service):
    editing(name="Alpha Lunch")
    page = client.get(reverse("listings:edit", args=[service.pk])).content.decode()
    assert 'value="Alpha Lunch"' in page  # the form starts from the change, not the listing

    editing(name="Alpha Lunch and Chat")

    change = service.changes.get()
    assert change.proposed["name"] == "Alpha Lunch and Chat"
    assert AuditEvent.objects.filter(action="directory.listing_change.updated").count() == 1


def test_sending_nothing_new_says_so(editing, service):
    response = editing()
    assert response.status_code == 400
    assert "You have not changed anything" in response.content.decode()
    assert not service.changes.exists()


def test_a_new_place_with_its_own_opening_time(editing, service):
    response = editing(
        **{
            "locations-1-name": "Keighley hall",
            "locations-1-address_1": "2 North Street",
            "locations-1-city": "Keighley",
            "locations-1-postcode": "bd21 3rn",
            "times-1-place": "1",
            "times-1-days": ["MO", "WE"],
            "times-1-opens_at": "09:30",
            "times-1-closes_at": "11:00",
        }
    )
    if response.status_code == 400:
        pytest.fail(str(errors_in(response)))
    proposed = listing_from_json(service.changes.get().proposed)
    assert [loc.postcode for loc in proposed.record.locations] == ["BD1 1AA", "BD21 3RN"]
    assert proposed.schedule_locations == [None, 1]  # the old time stays service-wide
    assert proposed.record.schedules[1].byday == "MO,WE"


def test_an_opening_time_cannot_point_at_a_place_being_removed(editing, service):
    response = editing(**{"locations-0-DELETE": "on", "times-0-place": "0", "delivery": "online"})
    assert response.status_code == 400
    assert any("being removed" in e for e in errors_in(response))


def test_confirming_marks_the_listing_checked_today_and_audits_it(client, alpha_editor, service):
    from django.utils import timezone

    client.force_login(alpha_editor)
    m.Service.objects.filter(pk=service.pk).update(import_fingerprint="0" * 32)  # as imported
    service.refresh_from_db()
    before = service.updated_at

    response = client.post(reverse("listings:confirm", args=[service.pk]))

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert service.updated_at == before  # not an edit: open changes do not conflict
    assert service.import_fingerprint is None  # the next import writes its own date again
    assert AuditEvent.objects.filter(
        action="directory.service.confirmed_current", target_id=str(service.pk)
    ).exists()


def test_confirming_needs_a_post(client, alpha_editor, service):
    client.force_login(alpha_editor)
    assert client.get(reverse("listings:confirm", args=[service.pk])).status_code == 405


def test_withdrawing_closes_the_change_and_leaves_the_listing(editing, client, service):
    editing(name="Alpha Lunch")

    client.post(reverse("listings:edit", args=[service.pk]), {"withdraw": "yes"})

    assert service.changes.get().status == m.ListingChange.Status.WITHDRAWN
    service.refresh_from_db()
    assert service.name == "Alpha Lunch Club"
    assert AuditEvent.objects.filter(action="directory.listing_change.withdrawn").exists()


def test_times_the_form_cannot_show_are_kept_as_they_are(place_data, alpha, client, alpha_editor):
    import datetime as dt

    from linkwell.directory.records import CostOptionRecord, ScheduleRecord
    from linkwell.directory.tests.page_services import make_services, service_record

    monthly = ScheduleRecord(
        freq="MONTHLY", byday="1MO", opens_at=dt.time(18), closes_at=dt.time(20)
    )
    (service,) = make_services(
        service_record(
            "Monthly supper",
            partner_name="Alpha Trust",
            cost_options=[CostOptionRecord(option="Free")],
            schedules=[monthly],
        )
    )
    client.force_login(alpha_editor)
    page = client.get(reverse("listings:edit", args=[service.pk])).content.decode()
    assert "Every month on the first Monday" in page

    client.post(reverse("listings:edit", args=[service.pk]), edit_data(service, name="Supper"))

    proposed = listing_from_json(service.changes.get().proposed)
    assert [(s.freq, s.byday) for s in proposed.record.schedules] == [("MONTHLY", "1MO")]
