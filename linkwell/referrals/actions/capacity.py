"""Setting a service's capacity, and taking and giving back places in each period.

Taking a place is one conditional UPDATE (`taken < places`): whoever's update finds no place
left gets `NoPlaceLeft`, so two link workers accepting the last place at the same moment
cannot both have it, on PostgreSQL or SQLite.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.referrals import policies
from linkwell.referrals.errors import NoPlaceLeft, Refused
from linkwell.referrals.models import CapacityMode, CapacityPeriod, CapacityUnit, ServiceCapacity

# Reads live in `queries.capacity`; re-exported for the callers that import them from here.
from linkwell.referrals.queries.capacity import (
    capacities_of,
    capacity_of,
    period_start,
    places_left,
)

__all__ = [
    "DEFAULT_RESPONSE_DAYS",
    "capacities_of",
    "capacity_of",
    "give_back_place",
    "period_start",
    "places_left",
    "set_capacity",
    "take_place",
]

DEFAULT_RESPONSE_DAYS = 14


def set_capacity(
    service: Any,
    *,
    actor: Any,
    via: str,
    mode: str,
    places: int | None = None,
    unit: str = CapacityUnit.WEEK,
    response_days: int = DEFAULT_RESPONSE_DAYS,
) -> ServiceCapacity:
    if not policies.answerable_services(actor).filter(pk=service.pk).exists():
        raise PermissionDenied("Only the service's own provider sets its capacity.")
    if mode not in CapacityMode.values:
        raise Refused(f"Unknown capacity {mode!r}.", field="mode")
    if mode == CapacityMode.PLACES and (places is None or places < 0):
        raise Refused("Give the number of places (0 or more).", field="places")
    if unit not in CapacityUnit.values:
        raise Refused(f"Unknown period {unit!r}.", field="unit")
    if not 1 <= response_days <= 365:
        raise Refused("Between 1 and 365 days.", field="response_days")
    with transaction.atomic():
        capacity, _ = ServiceCapacity.objects.update_or_create(
            service_id=service.pk,
            defaults={
                "mode": mode,
                "places": places if mode == CapacityMode.PLACES else None,
                "unit": unit,
                "response_days": response_days,
            },
        )
        if mode == CapacityMode.PLACES:
            # The current period follows the new figure (never below what is taken).
            start = period_start(unit, timezone.localdate())
            CapacityPeriod.objects.filter(service_id=service.pk, starts_on=start).update(
                places=_at_least_taken(places)
            )
        record_event(
            actor=actor,
            action="referrals.capacity.set",
            target=service,
            via=via,
            details={"mode": mode, "places": places, "unit": unit, "response_days": response_days},
        )
    return capacity


def _at_least_taken(places: int | None) -> Any:
    from django.db.models.functions import Greatest

    return Greatest(F("taken"), places or 0)


def take_place(service: Any, on: dt.date | None = None) -> CapacityPeriod | None:
    """Take one place in the service's current period (None if it does not count places).

    Raises NoPlaceLeft if the period is full, or the service is closed or waiting-list only.
    Must run inside the caller's transaction (the place is given back if it rolls back).
    """
    capacity = capacity_of(service)
    if capacity.mode == CapacityMode.OPEN:
        return None
    if capacity.mode != CapacityMode.PLACES:
        raise NoPlaceLeft(
            f"The service is {capacity.get_mode_display().lower()}: it takes no one now.",
            field="capacity",
        )
    start = period_start(capacity.unit, on or timezone.localdate())
    period = CapacityPeriod.objects.filter(service_id=service.pk, starts_on=start).first()
    if period is None:
        try:
            with transaction.atomic():  # a savepoint: another request may create it first
                period = CapacityPeriod.objects.create(
                    service_id=service.pk, starts_on=start, places=capacity.places or 0
                )
        except IntegrityError:
            period = CapacityPeriod.objects.get(service_id=service.pk, starts_on=start)
    taken = CapacityPeriod.objects.filter(pk=period.pk, taken__lt=F("places")).update(
        taken=F("taken") + 1
    )
    if not taken:
        raise NoPlaceLeft(
            f"No place left {capacity.get_unit_display()} "
            f"({period.places} taken from {start:%d %B %Y}): put the referral on the waiting "
            "list instead.",
            field="capacity",
        )
    return period


def give_back_place(period_id: int | None) -> None:
    if period_id is not None:
        CapacityPeriod.objects.filter(pk=period_id, taken__gt=0).update(taken=F("taken") - 1)
