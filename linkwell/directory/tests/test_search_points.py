"""Search points are derived rows: these pin that they follow every way a listing changes, so
a search never shows a service where it no longer is, or with facts it no longer has."""

import datetime as dt
import uuid

import pytest

from linkwell.directory import models as m
from linkwell.directory.actions import delete_service
from linkwell.directory.queries import ServiceFilters, search_services
from linkwell.directory.records import (
    CostOptionRecord,
    LocationRecord,
    OrganizationRecord,
    ServiceAreaRecord,
    TermRef,
)
from linkwell.directory.search import points as search_points
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.places.models import Postcode, Ward

pytestmark = pytest.mark.django_db

ORG = OrganizationRecord(name="Shared Venue Trust", description="Runs a shared hall.")


def names(**filters) -> list[str]:
    return sorted(s.name for s in search_services(ServiceFilters(**filters)))


def point_rows() -> list[tuple]:
    """Every search row's content (ids aside), in a stable order."""
    fields = [f.attname for f in m.SearchPoint._meta.concrete_fields if f.attname != "id"]
    return sorted(m.SearchPoint.objects.values_list(*fields), key=repr)


def test_a_service_sharing_a_moved_location_is_found_where_it_now_is(place_data):
    hall_id = uuid.UUID("6f1c1f4e-0000-4000-8000-000000000001")
    keighley = Postcode.objects.get(postcode="BD21 1AA")
    in_bradford = LocationRecord(id=hall_id, name="Shared hall", postcode="BD1 1AA")
    make_services(
        service_record("Tea dance", organization=ORG, locations=[in_bradford]),
        service_record("Knit and natter", organization=ORG, locations=[in_bradford]),
    )
    near_keighley = dict(postcode="BD21 1AA", proximity=1000)
    assert names(**near_keighley) == []

    # Only the tea dance's record is saved again, with the hall's new position.
    moved = LocationRecord(
        id=hall_id,
        name="Shared hall",
        postcode="BD21 1AA",
        latitude=keighley.latitude,
        longitude=keighley.longitude,
    )
    make_services(service_record("Tea dance", organization=ORG, locations=[moved]))

    assert names(**near_keighley) == ["Knit and natter", "Tea dance"]
    assert names(postcode="BD1 1AA", proximity=1000) == []


def test_changed_facts_change_what_filters_find(place_data):
    make_services(service_record("Lunch club"))
    assert names(need="food", free=True) == []

    make_services(
        service_record(
            "Lunch club",
            cost_options=[CostOptionRecord(option="Free")],
            terms=[TermRef("linkwell-needs", "loneliness")],
        )
    )

    assert names(free=True) == ["Lunch club"]
    assert names(need="food") == []
    assert names(need="loneliness", postcode="BD1 1AA", proximity=2000) == ["Lunch club"]


def test_a_deleted_service_leaves_no_search_rows(place_data):
    (service,) = make_services(service_record("Closing soon"))
    assert m.SearchPoint.objects.filter(service=service).exists()

    delete_service(service, actor=None, via="test")

    assert not m.SearchPoint.objects.exists()
    assert names(postcode="BD1 1AA", proximity=5000) == []


def test_rows_kept_by_saves_equal_a_full_rebuild(place_data):
    ward = Ward.objects.get(code=Postcode.objects.get(postcode="BD1 1AA").ward.code)
    make_services(
        service_record("Everywhere"),
        service_record(
            "One ward, two venues",
            service_areas=[ServiceAreaRecord(ward_code=ward.code)],
            locations=[
                LocationRecord(name="Venue A", postcode="BD1 1AA"),
                LocationRecord(name="Venue B", postcode="BD21 1AA"),
            ],
            languages=[("ur", "Urdu"), ("EN", "English")],
        ),
        service_record("Online only", locations=[], assured_date=dt.date(2020, 1, 1)),
    )
    kept = point_rows()

    assert search_points.refresh_all() == 3

    assert point_rows() == kept
    online_only = m.SearchPoint.objects.get(service__name="Online only")
    assert (online_only.latitude, online_only.coverage) == (None, "*")
    two_venues = m.SearchPoint.objects.filter(service__name="One ward, two venues")
    assert {p.coverage for p in two_venues} == {f"W{ward.pk}"}
    assert two_venues.count() == 2
    assert {p.languages for p in two_venues} == {"|en|ur|"}
