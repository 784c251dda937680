"""Services for the map's markers: where each active service is based, with the areas it
names as its coverage. Listings only (names of services and their partners), no people.

The database does the filtering (one search row per place and area served, so a district
holds several rows per service): the page reads only the rows of the services it marks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.db.models.lookups import Exact

from linkwell.directory import models as m
from linkwell.directory.search.points import EVERYWHERE, life_stage_bit, need_bit
from linkwell.intelligence.provision.measures import ALL_NEEDS

PLACES = 4  # decimal places of a marker's position: about 10 metres, enough for a district


@dataclass
class Marker:
    id: str
    name: str
    tier: int | None
    points: list[tuple[float, float]] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)


def _has_bit(name: str, bit: int) -> Q:
    return ~Q(Exact(F(name).bitand(bit), 0))


def _points(need: str, tier: int, life_stage: str, partner: str) -> QuerySet:
    rows = m.SearchPoint.objects.filter(status=m.ServiceStatus.ACTIVE, latitude__isnull=False)
    if tier:
        rows = rows.filter(service__tier=tier)
    if partner:
        rows = rows.filter(service__partner_id=partner)
    if need != ALL_NEEDS:
        rows = rows.filter(_has_bit("needs", need_bit(need)))
    if life_stage:
        rows = rows.filter(_has_bit("life_stages", life_stage_bit(life_stage)))
    return rows


def _services(need: str, tier: int, life_stage: str, partner: str) -> QuerySet:
    keys = _points(need, tier, life_stage, partner).values("service_key")
    return m.Service.objects.filter(search_rowid__in=keys)


def marker_count(
    need: str = ALL_NEEDS, tier: int = 0, life_stage: str = "", partner: str = ""
) -> int:
    """How many services `markers` would mark, without reading them."""
    return _services(need, tier, life_stage, partner).count()


def markers(
    need: str = ALL_NEEDS, tier: int = 0, life_stage: str = "", partner: str = ""
) -> list[Marker]:
    """Active services with a located venue, for a need, tier, life stage and partner, by
    name; each place and each area served once."""
    rows = _points(need, tier, life_stage, partner)
    services = _services(need, tier, life_stage, partner)
    found: dict[int, Marker] = {
        key: Marker(str(sid), name, service_tier)
        for key, sid, name, service_tier in services.values_list(
            "search_rowid", "id", "name", "tier"
        )
    }
    values = rows.values_list("service_key", "coverage", "latitude", "longitude")
    for key, coverage, lat, lon in values.order_by("id"):
        marker = found.get(key)
        if marker is None:
            continue
        point = (round(lat, PLACES), round(lon, PLACES))
        if point not in marker.points:
            marker.points.append(point)
        if coverage != EVERYWHERE and coverage not in marker.covers:
            marker.covers.append(coverage)
    return sorted((mk for mk in found.values() if mk.points), key=lambda mk: (mk.name, mk.id))
