"""Row counts and a checksum of every table's content, taken the same way from the database a
backup was made of and from a database restored from it: equal sums are the proof that a
restore put back exactly what was taken.

Each table's SHA-256 covers its name, its column names, and every row in primary-key order,
each value written as its length, a type letter and its text; rows are read in chunks through
a cursor, never all at once. SQLite values are hashed as SQLite stores them; PostgreSQL values
as the server renders them as text in fixed session settings (UTC, ISO dates, shortest exact
floats, hex bytea). So a vendor's sums are stable run to run and machine to machine, though a
SQLite and a PostgreSQL copy of the same rows sum differently (backups never cross vendors).
"""

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

METHOD = "linkwell-rows-sha256-v1"
CHUNK_ROWS = 2000

PG_SESSION = [
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
]


@dataclass
class Contents:
    """What a database holds, as the manifest records it."""

    tables: dict[str, dict[str, Any]]  # name -> {"rows": int, "sha256": hex}
    migrations: dict[str, list[str]]  # app label -> applied migration names, sorted

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.tables.values())


def differences(
    expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    """Each way `actual` differs from `expected` (table by table), as a line for people."""
    found = []
    for name in sorted(expected.keys() | actual.keys()):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            found.append(f"{name}: not in the backup ({got['rows'] if got else 0} rows)")
        elif got is None:
            found.append(f"{name}: missing (the backup has {want['rows']} rows)")
        elif want["rows"] != got["rows"]:
            found.append(f"{name}: {got['rows']} rows, the backup has {want['rows']}")
        elif want["sha256"] != got["sha256"]:
            found.append(f"{name}: same number of rows ({got['rows']}) but different content")
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest(name: str, columns: list[str], rows: Iterable[bytes]) -> dict[str, Any]:
    sha = hashlib.sha256(_text_row([name, *columns]))
    count = 0
    for row in rows:
        sha.update(row)
        count += 1
    return {"rows": count, "sha256": sha.hexdigest()}


def _text_row(values: Iterable[str | None]) -> bytes:
    """A row of text (or NULL) values: unambiguous, since each value carries its length."""
    return ("".join("n" if v is None else f"{len(v)}s{v}" for v in values) + "\n").encode(
        "utf-8", "surrogateescape"
    )


def _sqlite_row(values: Iterable[Any]) -> bytes:
    parts = []
    for value in values:
        kind = type(value)
        if value is None:
            parts.append("n")
        elif kind is str:
            parts.append(f"{len(value)}s{value}")
        elif kind is int:
            text = str(value)
            parts.append(f"{len(text)}i{text}")
        elif kind is float:
            text = repr(value)
            parts.append(f"{len(text)}f{text}")
        else:
            text = bytes(value).hex()
            parts.append(f"{len(text)}b{text}")
    return ("".join(parts) + "\n").encode("utf-8", "surrogateescape")


def _chunks(cursor: Any) -> Iterator[Any]:
    while rows := cursor.fetchmany(CHUNK_ROWS):
        yield from rows


# SQLite ---------------------------------------------------------------------------------


def sqlite_contents(path: Path) -> Contents:
    """Counts, sums and applied migrations of a SQLite file, read in one read transaction."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    # Text as stored, even if it is not valid UTF-8 (it is hashed byte for byte).
    conn.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    try:
        conn.execute("BEGIN")  # one snapshot for every table
        tables = {name: _sqlite_table(conn, name) for name in sqlite_tables(conn)}
        migrations = _migrations(conn) if "django_migrations" in tables else {}
        conn.rollback()
    finally:
        conn.close()
    return Contents(tables=tables, migrations=migrations)


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table with rows of its own: not SQLite's internal ones, nor virtual tables (the
    full-text index keeps its data in ordinary shadow tables, which are included)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [name for name, sql in rows if not (sql or "").upper().startswith("CREATE VIRTUAL")]


def _sqlite_table(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    info = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
    columns = [row[1] for row in info]
    keys = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    order = ", ".join(_quote(c) for c in (keys or columns))
    select = ", ".join(_quote(c) for c in columns)
    cursor = conn.execute(f"SELECT {select} FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
    return _digest(name, columns, (_sqlite_row(row) for row in _chunks(cursor)))


def _migrations(conn: Any) -> dict[str, list[str]]:
    cursor = conn.cursor()
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


# PostgreSQL -------------------------------------------------------------------------------


def pg_contents(conn: Any) -> Contents:
    """Counts, sums and applied migrations, inside the connection's open transaction (the
    caller makes it REPEATABLE READ, so every table is read from one snapshot)."""
    with conn.cursor() as cursor:
        for statement in PG_SESSION:
            cursor.execute(statement)
    tables = {name: _pg_table(conn, oid, name, i) for i, (oid, name) in enumerate(pg_tables(conn))}
    migrations = _migrations(conn) if "django_migrations" in tables else {}
    return Contents(tables=tables, migrations=migrations)


def pg_tables(conn: Any) -> list[tuple[int, str]]:
    """(oid, name) of the ordinary tables in the schemas on the search path; a table outside
    `public` is named schema.table."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = ANY (current_schemas(false)) "
            "ORDER BY n.nspname, c.relname"
        )
        return [
            (oid, name if schema == "public" else f"{schema}.{name}")
            for oid, schema, name in cursor.fetchall()
        ]


def _pg_table(conn: Any, oid: int, name: str, number: int) -> dict[str, Any]:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, t.typcategory FROM pg_attribute a "
            "JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [oid],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT a.attname FROM pg_index i "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = %s AND i.indisprimary ORDER BY k.position",
            [oid],
        )
        keys = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = %s",
            [oid],
        )
        qualified = cursor.fetchone()[0]
    category = dict(columns)
    # Text sorts by the "C" collation: byte order, the same whatever the database's locale.
    if keys:
        order = ", ".join(_quote(k) + (' COLLATE "C"' if category[k] == "S" else "") for k in keys)
    else:
        order = ", ".join(f'{_quote(c)}::text COLLATE "C"' for c, _ in columns)
    select = ", ".join(f"{_quote(c)}::text" for c, _ in columns)
    with conn.cursor(name=f"linkwell_checksum_{number}") as cursor:  # server-side: streamed
        cursor.itersize = CHUNK_ROWS
        cursor.execute(f"SELECT {select} FROM {qualified} ORDER BY {order}")  # noqa: S608
        return _digest(name, [c for c, _ in columns], (_text_row(row) for row in cursor))
