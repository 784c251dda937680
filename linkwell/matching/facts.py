"""What scoring reads of each candidate service, read for all candidates at once.

A fixed handful of queries however many candidates (by id, in chunks): the service's own
columns, its search points (needs, languages, access, cost, coverage, position: the facts
search already derives, docs/adr/0013), its schedules, and its capacity and places left this
period (`referrals.queries.capacity`), read as the contact page's offers read them
(`referrals.queries.Availability`). Nothing per candidate. (`offers_for` itself reads each
service's locations, languages and costs again: a third of a match's time over 100,000.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from linkwell.directory import models as dm
from linkwell.directory import vocabularies as vocab
from linkwell.directory.search import points as search_points
from linkwell.referrals.queries import Availability
from linkwell.referrals.queries.capacity import capacities_of, places_left_of
from linkwell.referrals.queries.offers import availability

CHUNK = 500
_NEED_BITS = [(term.code, search_points.need_bit(term.code)) for term in vocab.NEEDS.terms]


@dataclass(frozen=True)
class Slot:
    """One schedule: the days it names (MO..SU) and when it opens and closes."""

    days: tuple[str, ...]
    opens_at: dt.time | None
    closes_at: dt.time | None
    monthly: bool = False


@dataclass
class ServiceFacts:
    service_id: uuid.UUID
    name: str
    tier: int | None
    assured_date: dt.date | None
    minimum_age: int | None
    maximum_age: int | None
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)  # ISO codes, lower case
    step_free: bool = False
    free: bool = False
    coverage: set[str] = field(default_factory=set)  # search point coverage keys
    points: list[tuple[float, float]] = field(default_factory=list)  # located positions
    slots: list[Slot] = field(default_factory=list)
    availability: str = Availability.OPEN  # one of referrals.queries.Availability
    places_left: int | None = None  # when places are counted


def facts_of(service_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ServiceFacts]:
    """The facts of these services, by id (services that no longer exist are left out)."""
    ids = list(dict.fromkeys(service_ids))
    found: dict[uuid.UUID, ServiceFacts] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = dm.Service.objects.filter(pk__in=chunk).values_list(
            "id", "name", "tier", "assured_date", "minimum_age", "maximum_age"
        )
        for pk, name, tier, assured, low, high in rows:
            found[pk] = ServiceFacts(pk, name, tier, assured, low, high)
        _add_points(found, chunk)
        _add_slots(found, chunk)
    capacities = capacities_of(found)
    left = places_left_of(capacities)
    for pk, facts in found.items():
        facts.availability = availability(capacities[pk].mode, left[pk])
        facts.places_left = left[pk]
    return found


def _add_points(found: dict[uuid.UUID, ServiceFacts], ids: list[uuid.UUID]) -> None:
    rows = dm.SearchPoint.objects.filter(service_id__in=ids).values_list(
        "service_id", "needs", "languages", "step_free", "free", "coverage", "latitude", "longitude"
    )
    for pk, needs, languages, step_free, free, coverage, lat, lon in rows:
        facts = found.get(pk)
        if facts is None:
            continue
        facts.needs.update(code for code, bit in _NEED_BITS if bit and needs & bit)
        facts.languages.update(code for code in languages.split("|") if code)
        facts.step_free |= step_free
        facts.free |= free
        facts.coverage.add(coverage)
        if lat is not None and lon is not None and (lat, lon) not in facts.points:
            facts.points.append((lat, lon))


def _add_slots(found: dict[uuid.UUID, ServiceFacts], ids: list[uuid.UUID]) -> None:
    """The service's own schedules, then its locations' (two reads, each by an index: one
    read with OR between them walks every schedule)."""
    fields = ("id", "byday", "freq", "opens_at", "closes_at")
    own = dm.Schedule.objects.filter(service_id__in=ids).values_list("service_id", *fields)
    at_places = dm.Schedule.objects.filter(service_at_location__service_id__in=ids).values_list(
        "service_at_location__service_id", *fields
    )
    rows = sorted([*own, *at_places], key=lambda row: row[1])
    for pk, _id, byday, freq, opens, closes in rows:
        facts = found.get(pk)
        if facts is None:
            continue
        days = tuple(
            dict.fromkeys(
                code.strip().upper()[-2:]
                for code in (byday or "").split(",")
                if code.strip().upper()[-2:] in search_points.DAYS
            )
        )
        facts.slots.append(Slot(days, opens, closes, monthly=(freq or "").upper() == "MONTHLY"))
