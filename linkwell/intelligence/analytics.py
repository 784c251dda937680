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
from collections.abc import Iterator
from contextlib import contextmanager
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


def cpus() -> int:
    """The CPUs the hub's refresh may use (`LINKWELL_HUB_THREADS`, else the machine's)."""
    return max(1, int(os.environ.get("LINKWELL_HUB_THREADS", os.cpu_count() or 1)))


def side_by_side(parts: int) -> int:
    """How many of `parts` parts of the refresh run at once: one per CPU. Each then gets
    DuckDB threads of its own from what is left (`connect(parts=...)`)."""
    return max(1, min(cpus(), parts))


def connect(*, parts: int = 1, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the operational database attached read-only as `app`, for
    `parts` connections working at once (see `cursor`), the CPUs shared between them: most
    of a part's statements are too small to keep two threads busy, and a second thread per
    statement cost more than it gave once two parts ran side by side."""
    config = {
        "threads": max(1, cpus() // max(1, parts)),
        "memory_limit": memory_limit or os.environ.get("LINKWELL_HUB_MEMORY", "2GB"),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        # The reader's file is ours, from its pinned wheel; checking its signature read all
        # 35 MB of it on every refresh (70 ms). Once attached, external access is switched
        # off and the configuration locked (`_lock`): no other extension or file can be
        # loaded, read or written by the hub's SQL after that.
        "allow_unsigned_extensions": True,
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
    _lock(con)
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Another connection to the same DuckDB (the attached database, the settings, the macros
    and the in-memory tables shared): for a part of the refresh run on its own thread. Its
    TEMP tables are its own."""
    return con.cursor()


@contextmanager
def one_reader_open(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep one reader of an attached SQLite database open while parts open and close their
    own. Otherwise, when the last reader closes just as another opens, the opener rebuilds
    SQLite's shared WAL index, and a third opening then is told "busy" and waits a whole
    second (the reader's SQLite sleeps in seconds): one refresh in eight took a second more
    with two parts side by side. A transaction that has read holds its reader open."""
    if connection.vendor != "sqlite":
        yield
        return
    holder = con.cursor()
    try:
        holder.execute("BEGIN TRANSACTION")
        holder.execute("SELECT count(*) FROM app.django_migrations").fetchall()  # CATALOG
        yield
    finally:
        holder.close()


def _macros(con: duckdb.DuckDBPyConnection) -> None:
    """Helpers that read a column the same way whichever database stored it."""
    # A datetime or date column as a plain TIMESTAMP in UTC (plain, so Python reads it without
    # a time-zone library): the SQLite reader already gives TIMESTAMP (Django writes one ISO
    # form), PostgreSQL gives TIMESTAMPTZ, converted in the UTC session (every connection's:
    # set globally). A cast, not a parse of text: on ten million referrals the text round
    # trip doubled a scan.
    con.execute("SET GLOBAL TimeZone = 'UTC'")
    con.execute("CREATE MACRO as_time(x) AS CAST(x AS TIMESTAMP)")
    con.execute("CREATE MACRO as_bool(x) AS CAST(x AS VARCHAR) IN ('1', 'true', 't', 'True')")
    # A UUID column: the 32 hex characters either way (SQLite keeps no dashes).
    con.execute("CREATE MACRO as_key(x) AS replace(lower(CAST(x AS VARCHAR)), '-', '')")


def _lock(con: duckdb.DuckDBPyConnection) -> None:
    """No file, extension or database beyond the attached one from here on, and no setting
    changed: the hub's SQL (indicator definitions included) reads the attached database."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def using_analytics() -> bool:
    """Whether the hub can read the operational database (settings may turn it off)."""
    return getattr(settings, "LINKWELL_HUB_ENABLED", True)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table or view of this name is in DuckDB's own database (the connection's
    TEMP ones or the in-memory ones every connection shares). Asked of the name itself:
    `duckdb_tables()` would list the attached database's tables too, which on SQLite costs a
    quarter of a second."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r} is not a table name")
    try:
        con.execute(f'SELECT 1 FROM "{name}" LIMIT 0')  # noqa: S608 (checked)
    except duckdb.CatalogException:
        return False
    return True
