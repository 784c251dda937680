"""Bulk writes for imports, the audit log and batches of referrals: one prepared statement run
over many rows, or on PostgreSQL one COPY per table (a round trip per row was most of an
import's time there). In core: any app's actions may use it (it was the directory's).

Django's `bulk_create` / `bulk_update` compile SQL for every row (and `bulk_update` builds a
CASE WHEN per field), which was most of the time of importing 100,000 services. These write
the same values: each field's `pre_save` (auto_now) and database preparation, for model
instances or plain `Row` dicts. No signals are sent, as with `bulk_create`.
"""

import sqlite3
import uuid
from typing import Any

from django.db import connections, router

Row = dict  # a new row, by field attname: much cheaper to build than a model instance
ROWS_PER_STATEMENT = 100  # SQLite inserts (see `_insert_many`)


def insert(model: type[Any], objs: list[Any]) -> None:
    """`bulk_create` for new rows without the ORM compiling SQL per row (imports of 100,000
    services spent most of their time there). Same values: each field's pre_save and db prep."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    auto = model._meta.auto_field
    fields = [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False)
        and not (f is auto and _unset(objs[0], f))  # the database numbers new rows
    ]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    postgres = connection.vendor == "postgresql"
    rows = _db_rows(fields, objs, connection, text_uuids=postgres)
    if postgres:
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from the model)
    _insert_many(connection, head, len(fields), rows)


def _insert_many(connection: Any, head: str, width: int, rows: list[tuple[Any, ...]]) -> None:
    """Rows by the hundred per INSERT statement, the rest one per statement.

    Not `executemany` of one row throughout: SQLite's full-text index (kept by a trigger on
    services) writes its pending terms out at the end of every statement, so a statement per
    row made a segment per service and merged them over and over (inserting services took
    twice as long). Two statement shapes per table only, so SQLite's statement cache holds
    two small programs rather than one per batch size.
    """
    per_statement = max(1, min(ROWS_PER_STATEMENT, _max_params(connection) // width))
    one = "(" + ", ".join(["%s"] * width) + ")"
    many = head + ", ".join([one] * per_statement)
    whole = len(rows) - len(rows) % per_statement
    with connection.cursor() as cursor:
        for start in range(0, whole, per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(many, [value for row in chunk for value in row])
        if whole < len(rows):
            cursor.executemany(head + one, rows[whole:])


def _max_params(connection: Any) -> int:
    """SQLite's limit on parameters per statement (32,766 since 3.32; 999 before)."""
    connection.ensure_connection()
    return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def _unset(obj: Any, field: Any) -> bool:
    value = obj.get(field.attname) if isinstance(obj, dict) else getattr(obj, field.attname)
    return value is None


_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def update(model: type[Any], objs: list[Any], names: list[str]) -> None:
    """`bulk_update` as one prepared UPDATE per row (Django's CASE WHEN form is slow at scale)."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(pk.column),
    )
    rows = _db_rows([*fields, pk], objs, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def _db_rows(
    fields: list[Any], objs: list[Any], connection: Any, *, text_uuids: bool = False
) -> list[tuple[Any, ...]]:
    """The fields' values of model instances (or `Row`s), as the database takes them.

    Column by column, so each column's preparation is one loop (or none) rather than a call
    per value. `text_uuids`: UUIDs as hex text even where the database has a UUID type (COPY
    reads them as well, and psycopg dumps text in C but UUIDs in Python).
    """
    columns = []
    dicts = isinstance(objs[0], dict)
    for f in fields:
        if dicts:
            attname, default = f.attname, f.get_default()
            values = [row.get(attname, default) for row in objs]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values = [f.pre_save(obj, True) for obj in objs]
        else:
            values = [getattr(obj, f.attname) for obj in objs]
        columns.append(_prepared(f, values, connection, text_uuids))
    return list(zip(*columns, strict=True))


def _prepared(field: Any, values: list[Any], connection: Any, text_uuids: bool) -> list[Any]:
    """A column's values as the database takes them (the same list when they go as they are)."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _AS_IS:
        return values
    if kind == "UUIDField":
        native = connection.features.has_native_uuid_field and not text_uuids
        uuid_type = uuid.UUID

        def other(value: Any) -> Any:
            return None if value is None else field.get_db_prep_save(value, connection)

        if native:
            return [v if v.__class__ is uuid_type else other(v) for v in values]
        return [v.hex if v.__class__ is uuid_type else other(v) for v in values]
    prepared: list[Any] = []
    last, value_prepared = object(), None  # rows of a batch share `now` etc.
    for value in values:
        if value is not last:
            last, value_prepared = value, field.get_db_prep_save(value, connection)
        prepared.append(value_prepared)
    return prepared
