"""Services around BD1 1AA for the match tests, made through the directory's write path."""

import datetime as dt
from decimal import Decimal

from linkwell.directory.records import (
    CostOptionRecord,
    LocationRecord,
    ScheduleRecord,
    ServiceAreaRecord,
    TermRef,
)
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.places.models import Postcode
from linkwell.referrals.models import CapacityMode, ServiceCapacity

POSTCODE = "BD1 1AA"


def need(code: str) -> TermRef:
    return TermRef("linkwell-needs", code)


def near(centre: Postcode, name: str, north_m: float) -> LocationRecord:
    return LocationRecord(
        name=f"{name} venue",
        latitude=centre.latitude + north_m / 111_320,
        longitude=centre.longitude,
    )


def service(centre: Postcode, name: str, needs: list[str], north_m: float = 500, **more):
    fields = {
        "terms": [need(code) for code in needs],
        "locations": [near(centre, name, north_m)],
        "minimum_age": None,
        "schedules": [
            ScheduleRecord(freq="WEEKLY", byday="TU", opens_at=dt.time(14), closes_at=dt.time(16))
        ],
    }
    fields.update(more)
    return service_record(name, **fields)


def free() -> list[CostOptionRecord]:
    return [CostOptionRecord(option="Free", amount=Decimal(0))]


def whole_place() -> list[ServiceAreaRecord]:
    return [ServiceAreaRecord(name="Bradford District", whole_place=True)]


def full(service) -> None:
    ServiceCapacity.objects.create(service=service, mode=CapacityMode.PLACES, places=0)


def with_places(service, places: int = 3) -> None:
    ServiceCapacity.objects.create(service=service, mode=CapacityMode.PLACES, places=places)


__all__ = ["POSTCODE", "free", "full", "make_services", "service", "whole_place", "with_places"]
