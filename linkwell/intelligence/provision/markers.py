"""Services for the map's markers: where each active service is based, with the areas it
names as its coverage. Listings only (names of services and their partners), no people."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkwell.directory import models as m
from linkwell.directory.search.points import EVERYWHERE, life_stage_bit, need_bit
from linkwell.intelligence.provision.measures import ALL_NEEDS


@dataclass
class Marker:
    id: str
    name: str
    tier: int | None
    points: list[tuple[float, float]] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)


def markers(
    need: str = ALL_NEEDS, tier: int = 0, life_stage: str = "", partner: str = ""
) -> list[Marker]:
    """Active services with a located venue, for a need, tier, life stage and partner."""
    rows = m.SearchPoint.objects.filter(status=m.ServiceStatus.ACTIVE)
    if tier:
        rows = rows.filter(service__tier=tier)
    if partner:
        rows = rows.filter(service__partner_id=partner)
    wanted_need = need_bit(need) if need != ALL_NEEDS else 0
    wanted_stage = life_stage_bit(life_stage) if life_stage else 0
    found: dict[str, Marker] = {}
    values = rows.values_list(
        "service_id", "service__name", "service__tier", "coverage", "latitude", "longitude",
        "needs", "life_stages",
    )  # fmt: skip
    for sid, name, service_tier, coverage, lat, lon, needs, stages in values:
        if wanted_need and not needs & wanted_need:
            continue
        if wanted_stage and not stages & wanted_stage:
            continue
        marker = found.setdefault(str(sid), Marker(str(sid), name, service_tier))
        if lat is not None and (lat, lon) not in marker.points:
            marker.points.append((round(lat, 5), round(lon, 5)))
        if coverage != EVERYWHERE and coverage not in marker.covers:
            marker.covers.append(coverage)
    return sorted((mk for mk in found.values() if mk.points), key=lambda mk: mk.name)
