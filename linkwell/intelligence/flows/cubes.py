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


# Months are packed a batch at a time, each batch at most this many groups: packing builds a
# batch's documents in memory at once, and nationally (millions of groups) all months at once
# stopped the refresh at DuckDB's default memory limit. A district's months fit in one batch.
GROUPS_PER_BATCH = 500_000


def documents(
    con: duckdb.DuckDBPyConnection, cube: str, grouped: str, *, at_most: int
) -> list[dict[str, Any]]:
    """The cube's `FlowMonth` rows (by field attname), one per month. `at_most` bounds the
    number of groups (the rows grouped): within one batch, they are packed straight from the
    grouping; else the groups are kept in a table and packed a batch of months at a time."""
    if at_most <= GROUPS_PER_BATCH:
        found = con.execute(pack_sql(cube, grouped)).fetchall()
    else:
        found = _batched(con, cube, grouped)
    return [
        {"month": month, "cube": str(cube), "data": data, "partners": partners}
        for month, data, partners in sorted(found)
    ]


def _batched(con: duckdb.DuckDBPyConnection, cube: str, grouped: str) -> list[tuple[str, str, str]]:
    table = f"hub_cube_{cube}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {grouped}")
    sizes = con.execute(
        f"SELECT month, count(*) FROM {table} GROUP BY month ORDER BY month"  # noqa: S608 (ours)
    ).fetchall()
    found: list[tuple[str, str, str]] = []
    for first, last in month_batches(sizes, GROUPS_PER_BATCH):
        batch = f"SELECT * FROM {table} WHERE month BETWEEN ? AND ?"  # noqa: S608 (ours)
        found.extend(con.execute(pack_sql(cube, batch), [first, last]).fetchall())
    con.execute(f"DROP TABLE {table}")
    return found


def month_batches(sizes: Iterable[tuple[str, int]], limit: int) -> list[tuple[str, str]]:
    """(first, last) month of each batch of consecutive months, in order, each holding at most
    `limit` groups unless one month alone holds more (it is then a batch of its own)."""
    batches: list[tuple[str, str]] = []
    first = last = None
    held = 0
    for month, count in sizes:
        if first is not None and held + count > limit:
            batches.append((first, last))
            first, held = None, 0
        if first is None:
            first = month
        last, held = month, held + count
    if first is not None:
        batches.append((first, last))
    return batches


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
