import pytest

from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.actions import CrosswalkError, save_services
from linkwell.directory.records import (
    AddressRecord,
    LocationRecord,
    OrganizationRecord,
    ScheduleRecord,
    ServiceRecord,
    TermRef,
)

pytestmark = pytest.mark.django_db


def lunch_club(**overrides):
    fields = {
        "name": "Cuppa Cake and Company",
        "organization": OrganizationRecord(name="Example Community Trust", description="Demo"),
        "description": "A weekly lunch club for older people.",
        "tier_scheme_key": "review-2017",
        "tier_in_scheme": "0",
        "locations": [LocationRecord(name="Community hall", postcode="bd1 1aa")],
        "schedules": [ScheduleRecord(freq="WEEKLY", byday="TU")],
        "terms": [TermRef("linkwell-needs", "loneliness"), TermRef("linkwell-needs", "food")],
    }
    fields.update(overrides)
    return ServiceRecord(**fields)


def test_saving_the_same_record_twice_updates_in_place(user):
    first = save_services([lunch_club()], actor=user, via="test")
    second = save_services([lunch_club(description="Now fortnightly.")], actor=user, via="test")

    assert (first.created, second.created, second.updated) == (1, 0, 1)
    assert m.Service.objects.count() == 1
    assert m.Location.objects.count() == 1
    assert m.Schedule.objects.count() == 1
    assert m.Service.objects.get().description == "Now fortnightly."


def test_services_of_one_batch_can_share_a_new_location_with_its_address(user):
    def hall():
        return LocationRecord(
            name="Community hall",
            postcode="BD1 1AA",
            addresses=[AddressRecord("1 Hall Lane", "Bradford", "BD1 1AA")],
            accessibility=["Step-free entrance"],
        )

    save_services(
        [
            lunch_club(locations=[hall()]),
            lunch_club(name="Sing for Joy", locations=[hall()]),
        ],
        actor=user,
        via="test",
    )

    location = m.Location.objects.get()
    assert location.service_at_locations.count() == 2
    assert list(location.addresses.values_list("address_1", flat=True)) == ["1 Hall Lane"]
    assert location.accessibility.count() == 1


def test_a_partner_tier_is_converted_through_the_crosswalk(user):
    save_services(
        [lunch_club(tier_scheme_key="accountable-care-board", tier_in_scheme="acute")],
        actor=user,
        via="test",
    )

    service = m.Service.objects.get()
    assert service.tier == 4
    assert service.tier_in_scheme == "acute"


def test_an_unknown_tier_is_refused_and_nothing_is_written(user):
    with pytest.raises(CrosswalkError, match="not in scheme"):
        save_services([lunch_club(tier_in_scheme="7")], actor=user, via="test")

    assert m.Service.objects.count() == 0
    assert m.Organization.objects.count() == 0


def test_every_saved_service_is_audited_with_its_actor(user):
    result = save_services([lunch_club()], actor=user, via="test")

    event = AuditEvent.objects.get(action="directory.service.saved")
    assert event.actor == user
    assert event.target_id == str(result.service_ids[0])


def test_the_audit_log_cannot_be_edited(user):
    save_services([lunch_club()], actor=user, via="test")
    event = AuditEvent.objects.get(action="directory.service.saved")

    with pytest.raises(PermissionError):
        event.save()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
