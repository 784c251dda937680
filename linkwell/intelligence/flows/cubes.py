"""The referral-flow cubes as one JSON document per month (`FlowMonth`), built inside DuckDB.

A document holds the month's groups as columns, the same length each, one entry per group:

    {"partners": ["<key>", ...], "partner": [0, null, ...], "need": [...], ..., "count": [...]}

`partners` lists the organisations' keys (32 hex) once; the `partner` column numbers them (null
when not recorded). The response cube's `days` and `n` columns hold, per group, the histogram
as two lists (whole days, and how many referrals waited that long). Packing happens in DuckDB
(`to_json` over `list` of structs, so every column keeps the same order): the refresh does no
per-group work in Python, and the page parses only the months it shows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from linkwell.intelligence.models import FlowCube


@dataclass(frozen=True)
class Shape:
    columns: tuple[str, ...]  # every column but `partner`, in the document's order
    partnered: bool  # whether the groups have a partner column


SHAPES = {
    FlowCube.REFERRALS: Shape(("need", "status", "outcome", "count"), True),
    FlowCube.UNMET: Shape(("ward", "need", "kind", "reason", "count"), False),
    FlowCube.RESPONSE: Shape(("need", "answered", "days", "n"), True),
}


def pack_sql(cube: str, grouped: str) -> str:
    """SQL giving (month, data, partners) per month from `grouped`: one row per group with a
    `month`, the cube's columns and (if it has one) `partner` as the organisation's key."""
    shape = SHAPES[cube]
    fields = ", ".join(f"'{c}': g.{c}" for c in shape.columns)
    columns = ", ".join(f"'{c}': list_transform(r.rows, x -> x.{c})" for c in shape.columns)
    if not shape.partnered:
        return f"""
WITH g AS ({grouped}),
r AS (SELECT month, list({{{fields}}}) AS rows FROM g GROUP BY month)
SELECT month, CAST(to_json({{{columns}}}) AS VARCHAR) AS data, '[]' AS partners FROM r
"""  # noqa: S608 (names from SHAPES)
    return f"""
WITH g AS ({grouped}),
k AS (
    SELECT month, partner,
           CAST(row_number() OVER (PARTITION BY month ORDER BY partner) - 1 AS INTEGER) AS i
    FROM (SELECT DISTINCT month, partner FROM g WHERE partner IS NOT NULL)
),
d AS (SELECT month, list(partner ORDER BY i) AS keys FROM k GROUP BY month),
r AS (
    SELECT g.month, list({{{fields}, 'partner': k.i}}) AS rows
    FROM g LEFT JOIN k ON k.month = g.month AND k.partner = g.partner
    GROUP BY g.month
)
SELECT r.month,
       CAST(to_json({{'partners': coalesce(d.keys, []),
                      'partner': list_transform(r.rows, x -> x.partner), {columns}}})
            AS VARCHAR) AS data,
       CAST(to_json(coalesce(d.keys, [])) AS VARCHAR) AS partners
FROM r LEFT JOIN d USING (month)
"""  # noqa: S608 (names from SHAPES)


def documents(con: duckdb.DuckDBPyConnection, cube: str, grouped: str) -> list[dict[str, Any]]:
    """The cube's `FlowMonth` rows (by field attname), one per month."""
    found = con.execute(pack_sql(cube, grouped)).fetchall()
    return [
        {"month": month, "cube": str(cube), "data": data, "partners": partners}
        for month, data, partners in found
    ]


def encode(cube: str, groups: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """`FlowMonth` rows made in Python from groups as dicts (`month`, the cube's columns,
    `partner` as a key or None): the same documents as `documents`, for tests and fixtures."""
    shape = SHAPES[cube]
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for group in groups:
        by_month[group["month"]].append(group)
    out = []
    for month, found in sorted(by_month.items()):
        data: dict[str, Any] = {}
        keys: list[str] = []
        if shape.partnered:
            keys = sorted({str(g["partner"]).replace("-", "") for g in found if g.get("partner")})
            data["partners"] = keys
            data["partner"] = [
                keys.index(str(g["partner"]).replace("-", "")) if g.get("partner") else None
                for g in found
            ]
        for column in shape.columns:
            data[column] = [g[column] for g in found]
        out.append(
            {"month": month, "cube": str(cube), "data": json.dumps(data),
             "partners": json.dumps(keys)}
        )  # fmt: skip
    return out


def decode(cube: str, month: str, data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A document's groups as dicts (the inverse of `encode`; `partner` a key or None)."""
    shape = SHAPES[cube]
    columns = [data[c] for c in shape.columns]
    partners = data.get("partners", [])
    numbers = data["partner"] if shape.partnered else [None] * len(columns[0])
    for number, values in zip(numbers, zip(*columns, strict=True), strict=True):
        group = {"month": month, **dict(zip(shape.columns, values, strict=True))}
        if shape.partnered:
            group["partner"] = partners[number] if number is not None else None
        yield group
