"""What each part of the hub gives a refresh: rows for its tables and its figures for the
month's snapshot. A part's `build(context)` reads through `context.con` (DuckDB, the
operational database attached as `app`) and writes nothing itself: `refresh` writes every
part's rows in one short transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
from django.db import models


@dataclass
class Context:
    con: duckdb.DuckDBPyConnection
    now: dt.datetime
    month: str  # "YYYY-MM", the snapshot this refresh writes
    previous: dict[str, Any] | None  # the latest earlier month's snapshot data, if any
    previous_month: str | None


@dataclass
class Output:
    # The full new contents of each table (dicts by field attname, for core.bulk.insert).
    rows: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    # This part's figures for the month's snapshot (JSON-able), kept under the part's name.
    snapshot: dict[str, Any] = field(default_factory=dict)
