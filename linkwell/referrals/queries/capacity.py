"""Reads of a service's capacity: what it publishes and the places left this period.

The writes (setting capacity, taking and giving back a place) are `actions.capacity`, which
re-exports these for the callers that import them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from linkwell.referrals.models import CapacityMode, CapacityPeriod, CapacityUnit, ServiceCapacity


def capacity_of(service: Any) -> ServiceCapacity:
    """The service's capacity, or an unsaved default (open, 14 days to answer)."""
    return capacities_of([service.pk])[service.pk]


def capacities_of(service_ids: Iterable[Any]) -> dict[Any, ServiceCapacity]:
    """`capacity_of` for many services in one query, by service id."""
    ids = set(service_ids)
    found = {c.service_id: c for c in ServiceCapacity.objects.filter(service_id__in=ids)}
    return {
        pk: found.get(pk) or ServiceCapacity(service_id=pk, mode=CapacityMode.OPEN) for pk in ids
    }


def period_start(unit: str, on: dt.date) -> dt.date:
    if unit == CapacityUnit.MONTH:
        return on.replace(day=1)
    return on - dt.timedelta(days=on.weekday())  # Monday


def places_left(
    service: Any, on: dt.date | None = None, capacity: ServiceCapacity | None = None
) -> int | None:
    """Places left in the current period (None: not counted; 0 when closed). Pass the
    service's `capacity` if already read."""
    capacity = capacity or capacity_of(service)
    return places_left_of({service.pk: capacity}, on).get(service.pk)


def places_left_of(
    capacities: dict[Any, ServiceCapacity], on: dt.date | None = None
) -> dict[Any, int | None]:
    """`places_left` for many services whose capacities were read (`capacities_of`), in
    one query for the periods."""
    on = on or timezone.localdate()
    left: dict[Any, int | None] = {}
    starts: dict[Any, dt.date] = {}
    for pk, capacity in capacities.items():
        if capacity.mode == CapacityMode.OPEN:
            left[pk] = None
        elif capacity.mode != CapacityMode.PLACES:
            left[pk] = 0
        else:
            starts[pk] = period_start(capacity.unit, on)
    if starts:
        taken = {
            (p.service_id, p.starts_on): p.taken
            for p in CapacityPeriod.objects.filter(
                service_id__in=starts, starts_on__in=set(starts.values())
            )
        }
        for pk, start in starts.items():
            left[pk] = (capacities[pk].places or 0) - taken.get((pk, start), 0)
    return left
