"""What scoring reads of each candidate service, read for all candidates at once.

A fixed handful of queries however many candidates (by id, in chunks): the service's own
columns, its search points (needs, languages, access, coverage, position: the facts search
already derives, docs/adr/0013), its schedules, and its offer as a link worker reads it out
(`referrals.queries.offers_for`: availability and places left, cost). Nothing per candidate.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from linkwell.directory import models as dm
from linkwell.directory import vocabularies as vocab
from linkwell.directory.search import points as search_points
from linkwell.referrals.queries import Offer, offers_for
from linkwell.referrals.queries.offers import MAX_OFFERS

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
    offer: Offer | None = None


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
    for start in range(0, len(ids), MAX_OFFERS):
        for offer in offers_for([i for i in ids[start : start + MAX_OFFERS] if i in found]):
            found[offer.service_id].offer = offer
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
    rows = (
        dm.Schedule.objects.filter(
            Q(service_id__in=ids) | Q(service_at_location__service_id__in=ids)
        )
        .order_by("id")
        .values_list(
            "service_id",
            "service_at_location__service_id",
            "byday",
            "freq",
            "opens_at",
            "closes_at",
        )
    )
    for own, via_link, byday, freq, opens, closes in rows:
        facts = found.get(own or via_link)
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
