"""Services for page and policy tests, built through the one write path (save_services)."""

import datetime as dt

from django.utils import timezone

from linkwell.directory import models as m
from linkwell.directory.actions import save_services
from linkwell.directory.records import (
    AddressRecord,
    ContactRecord,
    LocationRecord,
    OrganizationRecord,
    PhoneRecord,
    ScheduleRecord,
    ServiceRecord,
    TermRef,
)


def service_record(name: str = "Cuppa Cake and Company", **overrides) -> ServiceRecord:
    fields = {
        "name": name,
        "organization": OrganizationRecord(
            name="Example Community Trust", description="A community charity."
        ),
        "description": "A weekly lunch club for older people.",
        "tier": 1,
        "assured_date": timezone.localdate() - dt.timedelta(days=30),
        "minimum_age": 60,
        "locations": [
            LocationRecord(
                # One location per service: save_services cannot yet take two services
                # sharing a new location in one batch (their addresses collide).
                name=f"{name} venue",
                postcode="BD1 1AA",
                addresses=[AddressRecord("1 Chapel Street", "Bradford", "BD1 1AA")],
            )
        ],
        "schedules": [
            ScheduleRecord(
                freq="WEEKLY", byday="TU", opens_at=dt.time(11, 30), closes_at=dt.time(14)
            )
        ],
        "contacts": [ContactRecord(name="Pat", phones=[PhoneRecord("01274 000000")])],
        "terms": [
            TermRef("linkwell-needs", "loneliness"),
            TermRef("linkwell-needs", "food"),
            TermRef("linkwell-life-stages", "ageing_well"),
        ],
    }
    fields.update(overrides)
    return ServiceRecord(**fields)


def make_services(*records: ServiceRecord, actor=None) -> list[m.Service]:
    result = save_services(list(records), actor=actor, via="test")
    by_id = m.Service.objects.in_bulk(result.service_ids)
    return [by_id[i] for i in result.service_ids]


def make_service(name: str = "Cuppa Cake and Company", **overrides) -> m.Service:
    return make_services(service_record(name, **overrides))[0]
