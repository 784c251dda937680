"""The provision part of a hub refresh (see linkwell/intelligence/steps.py): per area of each
level, the population, the need measures and the services based in or serving it by need and
tier, with the gaps (rules in `provision/sql.py`), all in DuckDB SQL."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from linkwell.directory.search.points import need_bit
from linkwell.intelligence.models import ProvisionArea
from linkwell.intelligence.provision import sql
from linkwell.intelligence.provision.measures import ALL_NEEDS, DEPRIVATION_COLUMNS, need_codes
from linkwell.intelligence.steps import Context, Output


def build(context: Context) -> Output:
    con = context.con
    con.execute(sql.AREAS)
    columns = ",\n    ".join(sql.WEIGHTED.format(c=c) for c in DEPRIVATION_COLUMNS)
    con.execute(sql.DEPRIVATION.format(columns=columns))
    con.execute(sql.INDICATORS)
    con.execute(sql.SERVICES)
    con.execute("CREATE OR REPLACE TEMP TABLE hub_provision_needs (code VARCHAR, bit BIGINT)")
    con.executemany(
        "INSERT INTO hub_provision_needs VALUES (?, ?)",
        [(code, None if code == ALL_NEEDS else need_bit(code)) for code in need_codes()],
    )
    con.execute(sql.COVERAGE)
    con.execute(sql.BASED)
    con.execute(sql.COUNTS)
    with _no_gc():
        rows = [_area_row(row) for row in con.execute(sql.PACKED).fetchall()]
        snapshot = _snapshot(con)
    return Output(rows={ProvisionArea: rows}, snapshot=snapshot)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while the figures are parsed: nationally they are
    millions of small lists, and its passes over them took five times the parsing itself (they
    hold no cycles; the collector runs as before afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _area_row(row: tuple) -> dict[str, Any]:
    (level, code, name, place_id, parent, population, source, rank, quintile) = row[:9]
    deprivation, indicators, figures = (json.loads(text) for text in row[9:])
    deprivation.pop("area", None)
    measures = {k: v for k, v in deprivation.items() if v is not None}
    measures.update(indicators)
    return {
        "level": level,
        "code": code,
        "name": name,
        "place_id": place_id,
        "parent_code": parent or "",
        "population": population,
        "population_source": source or "",
        "imd_rank": rank,
        "deprivation_quintile": quintile,
        "measures": measures,
        "figures": figures,
    }


def _snapshot(con: Any) -> dict[str, Any]:
    """Per level and need (all tiers): the gap areas' codes and each area's per 10,000 (areas
    with none serving left out), so a later month can show what changed."""
    levels: dict[str, dict[str, Any]] = {}
    for level, need, gaps, per_10k in con.execute(sql.SNAPSHOT).fetchall():
        levels.setdefault(level, {})[need] = {"gaps": gaps, "per_10k": json.loads(per_10k)}
    return {"levels": levels}
