"""GET /api/v1/hub/spend: services and spend by partner and tier (the review's Table 2 shape,
totals summed from the rows), each partner's share of spend in tiers 1 and 2, and short-term
funding apart. Active services only; counts of services name no one, so nothing is
suppressed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from linkwell.intelligence.api.access import hub_caller
from linkwell.intelligence.spend import queries
from linkwell.intelligence.spend.tables import NOT_GIVEN, Line, Share, Table
from linkwell.referrals.api.schemas import Problem

router = Router()
SLUG = re.compile(r"[-a-zA-Z0-9_]*")


class TierOut(Schema):
    code: str  # "not_given" for services that give no tier
    label: str


class SpendRowOut(Schema):
    partner: str | None  # None: the services give no partner
    department: str | None
    services: dict[str, int]  # by tier code
    total_services: int
    spend: dict[str, float | None]  # by tier code; None: no service there gave a cost
    total_spend: float | None
    services_without_cost: int


class ShareOut(Schema):
    partner: str | None
    spend_tiers_1_2: float
    spend_with_tier: float
    spend_without_tier: float
    share_tiers_1_2: float | None  # of spend with a tier given; None if none


class ShortTermOut(Schema):
    partner: str | None
    short_term_services: int
    short_term_spend: dict[str, float | None]  # by operating-model tier
    total_short_term_spend: float | None
    all_spend: float | None
    share_short_term: float | None


class SchemeOut(Schema):
    key: str
    name: str


class SpendOut(Schema):
    active_services_only: bool
    scheme: SchemeOut | None  # None: the operating model's tiers 1-4
    schemes: list[SchemeOut]  # partner schemes that ?scheme= accepts
    by: str
    tiers: list[TierOut]
    rows: list[SpendRowOut]
    totals: SpendRowOut
    share_tiers_1_2: list[ShareOut]
    share_tiers_1_2_overall: ShareOut
    short_term: list[ShortTermOut]
    short_term_total: ShortTermOut
    services: int
    services_without_cost: int
    services_without_tier: int
    services_without_partner: int
    demo_services: int
    demo_services_with_invented_cost: int


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _partner(line: Line | Share) -> str | None:
    return None if line.key.split("/")[0] in (NOT_GIVEN, "total") else line.partner


def _row(count: Line, spend: Line, *, total: bool = False) -> dict[str, Any]:
    return {
        "partner": None if total else _partner(count),
        "department": (count.department or None) if not total else None,
        "services": {k: int(v or 0) for k, v in count.cells.items()},
        "total_services": int(count.total or 0),
        "spend": {k: _money(v) for k, v in spend.cells.items()},  # type: ignore[arg-type]
        "total_spend": _money(spend.total),  # type: ignore[arg-type]
        "services_without_cost": spend.extra.get("without_cost", 0),
    }


def _share(share: Share) -> dict[str, Any]:
    return {
        "partner": _partner(share),
        "spend_tiers_1_2": float(share.low),
        "spend_with_tier": float(share.tiered),
        "spend_without_tier": float(share.untiered),
        "share_tiers_1_2": None if share.share is None else round(share.share, 4),
    }


def _short(line: Line) -> dict[str, Any]:
    share = line.extra.get("share")
    return {
        "partner": _partner(line),
        "short_term_services": line.extra.get("services", 0),
        "short_term_spend": {k: _money(v) for k, v in line.cells.items()},  # type: ignore[arg-type]
        "total_short_term_spend": _money(line.total),  # type: ignore[arg-type]
        "all_spend": _money(line.extra.get("all_spend")),
        "share_short_term": None if share is None else round(share, 4),
    }


def _rows(counts: Table, spend: Table) -> list[dict[str, Any]]:
    by_key = {line.key: line for line in spend.lines}
    return [_row(line, by_key[line.key]) for line in counts.lines]


@router.get(
    "/spend",
    response={200: SpendOut, 401: Problem, 403: Problem, 422: Problem},
    summary="Services and spend by partner and tier",
    description="Active services by partner (or a partner's department, `by=department`) "
    "and tier, with their annual costs; totals are summed from the rows. Tiers are the "
    "operating model's 1 to 4, or a partner scheme's levels with `scheme=KEY` (422 for a "
    "scheme no service was mapped in). Also each partner's share of spend in tiers 1 and 2 "
    "(of spend whose tier is given) and short-term funding apart. Tier `not_given` and "
    "partner null count services that give none; a spend of null means no cost was given.",
)
def spend(
    request: HttpRequest,
    scheme: str = Query("", max_length=60, description="A partner scheme's key; empty for 1-4."),
    by: str = Query("department", description="Rows: `department` (Table 2) or `partner`."),
) -> dict[str, Any]:
    hub_caller(request)
    if by not in queries.BY_CHOICES:
        raise HttpError(422, "by must be 'department' or 'partner'.")
    try:
        if not SLUG.fullmatch(scheme):  # scheme keys are slugs; nothing else reaches a query
            raise queries.UnknownScheme(scheme)
        found = queries.report(scheme, by=by)
    except queries.UnknownScheme:
        known = ", ".join(key for key, _name in queries.schemes()) or "none"
        raise HttpError(
            422, f"No service is mapped in a tier scheme {scheme!r}. Known: {known}."
        ) from None
    return {
        "active_services_only": True,
        "scheme": {"key": found.scheme_key, "name": found.scheme_name} if scheme else None,
        "schemes": [{"key": k, "name": n} for k, n in queries.schemes()],
        "by": by,
        "tiers": [{"code": code, "label": label} for code, label in found.columns],
        "rows": _rows(found.counts, found.spend),
        "totals": _row(found.counts.total, found.spend.total, total=True),
        "share_tiers_1_2": [_share(s) for s in found.shares],
        "share_tiers_1_2_overall": _share(found.overall),
        "short_term": [_short(line) for line in found.short_term.lines],
        "short_term_total": _short(found.short_term.total),
        "services": found.services,
        "services_without_cost": found.without_cost,
        "services_without_tier": found.without_tier,
        "services_without_partner": found.without_partner,
        "demo_services": found.demo_services,
        "demo_services_with_invented_cost": found.demo_costs,
    }
