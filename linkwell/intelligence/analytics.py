"""DuckDB over the operational database: the hub's aggregates are computed here, never in
Python loops over rows and never by the web process's own connection.

`connect()` gives an in-memory DuckDB with the operational database attached read-only as
the catalog `app` (SQLite through the sqlite_scanner extension, PostgreSQL through
postgres_scanner). Both extensions come as pinned wheels (`duckdb-extension-*`), loaded from
their files: nothing is downloaded at run time. Tables keep Django's names
(`app.referrals_referral`). On SQLite every column is read as text or a number as stored
(Django writes datetimes as ISO text, booleans as 0/1, UUIDs as 32 hex characters): use
`as_time()` and `as_bool()` in SQL that must run on both.

The attached database is read in its own connection, so only committed rows are seen: tests
that refresh the hub use a transactional database (`live_db`).
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import connection

CATALOG = "app"


def _extension(name: str) -> Path:
    module = importlib.import_module(f"duckdb_extension_{name}")
    folder = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    return folder / f"{name}.duckdb_extension"


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _postgres_dsn(config: dict) -> str:
    parts = {
        "dbname": config.get("NAME") or "",
        "user": config.get("USER") or "",
        "password": config.get("PASSWORD") or "",
        "host": config.get("HOST") or "",
        "port": str(config.get("PORT") or ""),
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def connect(
    *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the operational database attached read-only as `app`."""
    config = {
        "threads": threads or int(os.environ.get("LINKWELL_HUB_THREADS", os.cpu_count() or 1)),
        "memory_limit": memory_limit or os.environ.get("LINKWELL_HUB_MEMORY", "2GB"),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        # Where it spills past the memory limit: not `./.tmp` under whatever folder the
        # process started in (a container's read-only application folder).
        "temp_directory": os.environ.get("LINKWELL_HUB_SPILL_DIR")
        or str(Path(tempfile.gettempdir()) / "linkwell-hub-spill"),
    }
    con = duckdb.connect(":memory:", config=config)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        con.execute(f"LOAD {_literal(str(_extension('sqlite_scanner')))}")
        con.execute(f"ATTACH {_literal(str(db['NAME']))} AS {CATALOG} (TYPE sqlite, READ_ONLY)")
    elif connection.vendor == "postgresql":
        con.execute(f"LOAD {_literal(str(_extension('postgres_scanner')))}")
        con.execute(f"ATTACH {_literal(_postgres_dsn(db))} AS {CATALOG} (TYPE postgres, READ_ONLY)")
    else:  # pragma: no cover - only the two databases the product supports
        raise RuntimeError(f"The hub reads SQLite or PostgreSQL, not {connection.vendor}.")
    _macros(con)
    return con


def _macros(con: duckdb.DuckDBPyConnection) -> None:
    """Helpers that read a column the same way whichever database stored it."""
    # A datetime or date column as a plain TIMESTAMP in UTC (plain, so Python reads it without
    # a time-zone library): the SQLite reader already gives TIMESTAMP (Django writes one ISO
    # form), PostgreSQL gives TIMESTAMPTZ, converted in the UTC session. A cast, not a parse of
    # text: on ten million referrals the text round trip doubled a scan.
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE MACRO as_time(x) AS CAST(x AS TIMESTAMP)")
    con.execute("CREATE MACRO as_bool(x) AS CAST(x AS VARCHAR) IN ('1', 'true', 't', 'True')")
    # A UUID column: the 32 hex characters either way (SQLite keeps no dashes).
    con.execute("CREATE MACRO as_key(x) AS replace(lower(CAST(x AS VARCHAR)), '-', '')")


def using_analytics() -> bool:
    """Whether the hub can read the operational database (settings may turn it off)."""
    return getattr(settings, "LINKWELL_HUB_ENABLED", True)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table or view of this name is in DuckDB's own (temporary) schema. Asked of
    the name itself: `duckdb_tables()` would list the attached database's tables too, which
    on SQLite costs a quarter of a second."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r} is not a table name")
    try:
        con.execute(f'SELECT 1 FROM temp.main."{name}" LIMIT 0')  # noqa: S608 (checked)
    except duckdb.CatalogException:
        return False
    return True
