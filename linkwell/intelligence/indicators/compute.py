"""Every indicator worked out at every grain (month and quarter; each ward and the whole
place) by its own SQL, run once over the hub's views, rated against its thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from linkwell.intelligence.indicators.periods import is_quarter
from linkwell.intelligence.indicators.schema import Indicator
from linkwell.intelligence.indicators.views import KEEP, kept_periods, make_views


@dataclass
class Computed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def value_of(indicator: Indicator, found: dict[str, Any]) -> float | None:
    """The SQL's `value` if it gives one, else numerator / denominator * scale."""
    if found.get("value") is not None:
        return float(found["value"])
    numerator, denominator = found.get("numerator"), found.get("denominator")
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator) * indicator.scale


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def compute(
    con: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator], *, month: str
) -> Computed:
    """Each indicator's SQL run once over views holding every grain (see `views`): a row's
    level is the place's when its area is the place's code, its period a quarter or a month."""
    place = make_views(con, month=month)
    names = dict(con.execute("SELECT code, name FROM app.places_ward").fetchall())
    row = con.execute("SELECT name FROM app.places_place WHERE slug = ?", [place]).fetchone()
    names[place] = row[0] if row else place
    kept = {grain: set(periods) for grain, periods in kept_periods(month).items()}
    # Rows in the order of KEEP's grains, then of the indicators, as one pass per grain gave.
    found_rows: dict[tuple[str, bool], list[dict[str, Any]]] = {grain: [] for grain in KEEP}
    out = Computed()
    for indicator in indicators.values():
        try:
            result = con.execute(
                f"SELECT * FROM ({indicator.sql}) AS q "  # noqa: S608 (the checked definition)
                "WHERE period IS NOT NULL AND area IS NOT NULL"
            )
        except duckdb.Error as error:
            out.errors[indicator.key] = f"{type(error).__name__}: {error}"[:500]
            continue
        columns = [d[0] for d in result.description]
        for values in result.fetchall():
            found = dict(zip(columns, values, strict=True))
            period, area = str(found["period"]), str(found["area"])
            level = "place" if area == place else "ward"
            grain = (level, is_quarter(period))
            if level not in indicator.levels or period not in kept[grain]:
                continue
            value = value_of(indicator, found)
            if value is None and not found.get("denominator"):
                continue  # nothing to count in this area and period
            found_rows[grain].append(
                {
                    "indicator": indicator.key,
                    "period": period,
                    "area_level": level,
                    "area_code": area,
                    "area_name": names.get(area, "")[:200],
                    "value": value,
                    "numerator": _number(found.get("numerator")),
                    "denominator": _number(found.get("denominator")),
                    "rag": indicator.rag(value),
                }
            )
    for grain in KEEP:
        out.rows.extend(found_rows[grain])
    return out
