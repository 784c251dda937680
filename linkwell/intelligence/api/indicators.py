"""GET /api/v1/hub/indicators: the agreed indicators for a month or a quarter, with their
definitions, targets and ratings, for the whole place and by ward (small counts hidden as
on the page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from linkwell.intelligence.api.access import hub_caller
from linkwell.intelligence.indicators import dashboard
from linkwell.intelligence.indicators.periods import is_period

router = Router()


class AreaOut(Schema):
    level: str  # "place" or "ward"
    code: str
    name: str
    value: float | None  # None when there is none, or it is withheld
    numerator: float | None  # None when withheld (see numerator_withheld)
    denominator: float | None
    rag: str  # "green", "amber", "red", or "" when there is no value to rate
    value_withheld: bool
    numerator_withheld: str  # "small" (1 to 4), "secondary", or ""
    denominator_withheld: str


class IndicatorOut(Schema):
    key: str
    name: str
    definition: str
    direction: str  # "higher" or "lower" is better
    unit: str
    target: float
    green: float  # threshold: at or beyond it is green
    red: float  # threshold: beyond it (the worse way) is red; between is amber
    place: AreaOut | None
    wards: list[AreaOut]


class IndicatorsOut(Schema):
    period: str
    periods: list[str]  # every period with values, latest first
    indicators: list[IndicatorOut]


class Problem(Schema):
    parameter: str
    reason: str


class RefusalOut(Schema):
    detail: str
    errors: list[Problem]


def _area(shown: dashboard.Shown) -> dict[str, Any]:
    return dict(shown.__dict__)


@router.get(
    "/indicators",
    response={200: IndicatorsOut, 422: RefusalOut},
    summary="The indicators for a month or a quarter",
)
def indicators(request: HttpRequest, period: str = "") -> Any:
    """`period` is a month (`2026-07`) or a quarter (`2026-Q3`); without it, the latest
    month with values."""
    hub_caller(request)
    if period and not is_period(period):
        reason = "Give a month as YYYY-MM (e.g. 2026-07) or a quarter as YYYY-Qn (e.g. 2026-Q3)."
        return Status(
            422,
            {
                "detail": f"period: {reason}",
                "errors": [{"parameter": "period", "reason": reason}],
            },
        )
    chosen = period or dashboard.latest_month() or ""
    figures = dashboard.figures(chosen, trend=False) if chosen else []
    return Status(
        200,
        {
            "period": chosen,
            "periods": dashboard.periods(),
            "indicators": [
                {
                    "key": f.indicator.key,
                    "name": f.indicator.name,
                    "definition": f.indicator.definition,
                    "direction": f.indicator.direction,
                    "unit": f.indicator.unit.strip(),
                    "target": f.indicator.target,
                    "green": f.indicator.green,
                    "red": f.indicator.red,
                    "place": _area(f.place) if f.place else None,
                    "wards": [_area(w) for w in f.wards],
                }
                for f in figures
            ],
        },
    )
