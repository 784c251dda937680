"""The indicators part of a hub refresh (see linkwell/intelligence/steps.py): each indicator
defined in `definitions/` worked out by month and quarter, for each ward and the whole place;
the month's place-wide values go into the snapshot, so trends outlive the data behind them."""

from __future__ import annotations

from linkwell.intelligence.indicators.compute import compute
from linkwell.intelligence.indicators.loader import load
from linkwell.intelligence.models import IndicatorValue
from linkwell.intelligence.steps import Context, Output


def build(context: Context) -> Output:
    computed = compute(context.con, load(), month=context.month)
    snapshot: dict = {
        row["indicator"]: {name: row[name] for name in ("value", "numerator", "denominator", "rag")}
        for row in computed.rows
        if row["area_level"] == "place" and row["period"] == context.month
    }
    if computed.errors:
        snapshot["_errors"] = computed.errors
    return Output(rows={IndicatorValue: computed.rows}, snapshot=snapshot)
