"""Every indicator worked out at every grain (month and quarter; each ward and the whole
place) by its own SQL over the hub's views, rated against its thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from linkwell.intelligence.indicators.periods import months_back, quarters_back
from linkwell.intelligence.indicators.schema import Indicator
from linkwell.intelligence.indicators.views import make_views, prepare_bases

# How far back values are kept: the place's for trends, the wards' for the latest periods.
KEEP = {("place", False): 24, ("place", True): 8, ("ward", False): 13, ("ward", True): 5}


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
    place = prepare_bases(con, month=month)
    names = dict(con.execute("SELECT code, name FROM app.places_ward").fetchall())
    row = con.execute("SELECT name FROM app.places_place WHERE slug = ?", [place]).fetchone()
    names[place] = row[0] if row else place
    out = Computed()
    for (level, quarters), keep in KEEP.items():
        periods = set(quarters_back(month, keep) if quarters else months_back(month, keep))
        make_views(con, quarters=quarters, level=level, place=place, month=month)
        for indicator in indicators.values():
            if level not in indicator.levels or indicator.key in out.errors:
                continue
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
                if str(found["period"]) not in periods:
                    continue
                value = value_of(indicator, found)
                if value is None and not found.get("denominator"):
                    continue  # nothing to count in this area and period
                out.rows.append(
                    {
                        "indicator": indicator.key,
                        "period": str(found["period"]),
                        "area_level": level,
                        "area_code": str(found["area"]),
                        "area_name": names.get(str(found["area"]), "")[:200],
                        "value": value,
                        "numerator": _number(found.get("numerator")),
                        "denominator": _number(found.get("denominator")),
                        "rag": indicator.rag(value),
                    }
                )
    return out
