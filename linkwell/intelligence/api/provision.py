"""GET /api/v1/hub/provision: services serving each area of a level per 10,000 people, for a
need and tier, with the area's need measure and gap flag (rules in provision/sql.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from linkwell.intelligence.api.access import hub_caller
from linkwell.intelligence.provision import queries
from linkwell.intelligence.provision.measures import (
    ALL_NEEDS,
    DEFAULT_MEASURE,
    LEVELS,
    TIERS,
    measure,
    need_codes,
)
from linkwell.intelligence.refresh import latest_refresh
from linkwell.referrals.api.errors import refusal
from linkwell.referrals.api.schemas import Problem

router = Router()


class AreaOut(Schema):
    code: str
    name: str
    population: int | None
    population_source: str
    need_measure: float | None
    services_based: int
    services_serving: int
    per_10k: float | None
    gap: bool


class ProvisionOut(Schema):
    level: str
    need: str
    tier: int
    need_measure: str
    need_measure_label: str
    refreshed_at: str | None
    areas: list[AreaOut]


@router.get(
    "/provision",
    response={200: ProvisionOut, 401: Problem, 403: Problem, 422: Problem},
    summary="Provision against need by area",
    description="One row per area of the level (ward, lsoa = 2011 LSOA, constituency): "
    "population (and its source), the need measure (default IMD 2019 rank, 1 = most "
    "deprived), active services based there, services serving it (based there, or naming "
    "a ward, constituency or the whole place that contains it), per 10,000 people, and the "
    "gap flag: in the most deprived fifth of the level's areas and none serving, or fewer "
    "per 10,000 than the median area. `tier` 0 is all tiers; `need` 'all' any need.",
)
def provision(
    request: HttpRequest,
    level: str = Query("ward", description="ward, lsoa or constituency"),
    need: str = Query(ALL_NEEDS, description="A need code, or 'all'."),
    tier: str = Query("0", description="1 to 4, or 0 for all tiers."),
    measure_key: str = Query(DEFAULT_MEASURE, alias="measure", description="A measure key."),
) -> Status:
    hub_caller(request)
    if level not in LEVELS:
        return Status(422, refusal("level", f"Use one of: {', '.join(LEVELS)}."))
    if need not in need_codes():
        return Status(422, refusal("need", "Use a need code of the directory's list, or 'all'."))
    if not tier.isdigit() or int(tier) not in TIERS:
        return Status(422, refusal("tier", "Use 1, 2, 3 or 4, or 0 for all tiers."))
    known = {m.key for m in queries.measures_for(level)}
    if measure_key not in known and measure_key != DEFAULT_MEASURE:
        return Status(422, refusal("measure", f"Use one of: {', '.join(sorted(known))}."))
    run = latest_refresh()
    rows = queries.areas(level, need, int(tier), measure_key)
    return Status(
        200,
        {
            "level": level,
            "need": need,
            "tier": int(tier),
            "need_measure": measure_key,
            "need_measure_label": measure(measure_key).label,
            "refreshed_at": run.finished_at.isoformat() if run and run.finished_at else None,
            "areas": [row.__dict__ for row in rows],
        },
    )
