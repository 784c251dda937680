"""Turns a parsed indicator definition into an Indicator, refusing one that could not be
worked out or rated: the first fault is raised as IndicatorInvalid with the field and what to
write instead. A partnership adds an indicator by writing a file, so every message speaks to
the person writing it."""

from __future__ import annotations

import math
import re
from typing import Any, NoReturn

from linkwell.intelligence.indicators.errors import IndicatorInvalid
from linkwell.intelligence.indicators.schema import Indicator

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
FIELDS = {
    "key", "name", "definition", "sql", "direction", "target", "thresholds", "unit", "scale",
    "decimals", "levels", "counts_people",
}  # fmt: skip
REQUIRED = ("key", "name", "definition", "sql", "direction", "target", "thresholds")
THRESHOLD_FIELDS = {"green", "red"}
DIRECTIONS = ("higher", "lower")
LEVELS = ("ward", "place")
# The SQL reads the hub's views only: never the operational database, where people are.
VIEWS = ("hub_referrals", "hub_cases", "hub_scores", "hub_provision", "hub_services")
OPERATIONAL = re.compile(r"\bapp\s*\.", re.IGNORECASE)
STARTS = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)


def check(data: Any, source: str) -> Indicator:
    """The indicator `data` (a parsed TOML document) defines; raises IndicatorInvalid."""
    return _Checker(source).indicator(data)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, message: str) -> NoReturn:
        raise IndicatorInvalid(self.source, field, message)

    def text(self, data: dict[str, Any], field: str) -> str:
        value = data[field]
        if not isinstance(value, str) or not value.strip():
            self.fail(field, 'must be text in quotes, e.g. "...", and not empty')
        return value.strip()

    def number(self, value: Any, field: str) -> float:
        if not _is_number(value):
            self.fail(field, "must be a number (without quotes), e.g. 75 or 2.5")
        return float(value)

    def indicator(self, data: Any) -> Indicator:
        if not isinstance(data, dict):
            self.fail("(file)", "must be key = value lines")
        for name in data:
            if name not in FIELDS:
                self.fail(name, f"is not a field here: write one of {', '.join(sorted(FIELDS))}")
        for name in REQUIRED:
            if name not in data:
                self.fail(name, "is missing: every indicator needs it")
        key = self.text(data, "key")
        if not KEY_RE.match(key):
            self.fail(
                "key",
                f"{key!r} is not usable: write lower-case letters, digits and _, "
                "starting with a letter",
            )
        direction = data["direction"]
        if direction not in DIRECTIONS:
            self.fail("direction", f"{direction!r} is not known: write higher or lower")
        target = self.number(data["target"], "target")
        green, red = self.thresholds(data["thresholds"], direction)
        return Indicator(
            key=key,
            name=self.text(data, "name"),
            definition=self.text(data, "definition"),
            sql=self.sql(data),
            direction=direction,
            target=target,
            green=green,
            red=red,
            unit=self.optional_text(data, "unit"),
            scale=self.scale(data),
            decimals=self.decimals(data),
            levels=self.levels(data),
            counts_people=self.flag(data, "counts_people", default=True),
            source=self.source,
        )

    def thresholds(self, value: Any, direction: str) -> tuple[float, float]:
        if not isinstance(value, dict):
            self.fail("thresholds", "must be a table: [thresholds] with green = and red =")
        for name in value:
            if name not in THRESHOLD_FIELDS:
                self.fail(f"thresholds.{name}", "is not a field here: write green or red")
        for name in ("green", "red"):
            if name not in value:
                self.fail(f"thresholds.{name}", "is missing: give the value where it starts")
        green = self.number(value["green"], "thresholds.green")
        red = self.number(value["red"], "thresholds.red")
        if direction == "higher" and red > green:
            self.fail(
                "thresholds.red",
                f"is {red:g}, above green ({green:g}): when higher is better, red must be "
                "at or below green",
            )
        if direction == "lower" and red < green:
            self.fail(
                "thresholds.red",
                f"is {red:g}, below green ({green:g}): when lower is better, red must be "
                "at or above green",
            )
        return green, red

    def sql(self, data: dict[str, Any]) -> str:
        sql = self.text(data, "sql")
        if not STARTS.match(sql):
            self.fail("sql", "must be one query starting with SELECT or WITH")
        if ";" in sql:
            self.fail("sql", "must be one query: take out the ;")
        if OPERATIONAL.search(sql):
            self.fail(
                "sql",
                "reads the operational database (app.): read the hub's views instead, "
                + ", ".join(VIEWS),
            )
        if not any(view in sql for view in VIEWS):
            self.fail("sql", f"reads none of the hub's views: read one of {', '.join(VIEWS)}")
        for column in ("period", "area"):
            if not re.search(rf"\b{column}\b", sql):
                self.fail("sql", f"must give a {column} column (and GROUP BY period, area)")
        return sql

    def optional_text(self, data: dict[str, Any], field: str) -> str:
        if field not in data:
            return ""
        if not isinstance(data[field], str):
            self.fail(field, 'must be text in quotes, e.g. "%"')
        return data[field]

    def scale(self, data: dict[str, Any]) -> float:
        if "scale" not in data:
            return 1.0
        scale = self.number(data["scale"], "scale")
        if scale <= 0:
            self.fail("scale", "must be more than 0, e.g. 100 for a percentage")
        return scale

    def decimals(self, data: dict[str, Any]) -> int:
        value = data.get("decimals", 1)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
            self.fail("decimals", "must be a whole number from 0 to 3")
        return value

    def levels(self, data: dict[str, Any]) -> tuple[str, ...]:
        value = data.get("levels", list(LEVELS))
        if not isinstance(value, list) or not value or any(v not in LEVELS for v in value):
            self.fail("levels", 'must be a list of "ward" and/or "place", e.g. ["place"]')
        return tuple(dict.fromkeys(value))

    def flag(self, data: dict[str, Any], field: str, *, default: bool) -> bool:
        value = data.get(field, default)
        if not isinstance(value, bool):
            self.fail(field, "must be true or false (without quotes)")
        return value
