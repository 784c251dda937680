"""Bulk writes for imports: one prepared statement run over many rows (`executemany`), or
on PostgreSQL one COPY per table (a round trip per row was most of an import's time there).

Django's `bulk_create` / `bulk_update` compile SQL for every row (and `bulk_update` builds a
CASE WHEN per field), which was most of the time of importing 100,000 services. These write
the same values: each field's `pre_save` (auto_now) and database preparation, for model
instances or plain `Row` dicts. No signals are sent, as with `bulk_create`.
"""

import uuid
from typing import Any

from django.db import connections, router

Row = dict  # a new row, by field attname: much cheaper to build than a model instance


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
    rows = _db_rows(fields, objs, connection)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        table, columns, ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


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


def _db_rows(fields: list[Any], objs: list[Any], connection: Any) -> list[list[Any]]:
    """The fields' values of model instances (or `Row`s), as the database takes them."""
    if isinstance(objs[0], dict):
        spec = [(f.attname, f.get_default()) for f in fields]
        rows = [[row.get(attname, default) for attname, default in spec] for row in objs]
    else:
        attnames = [f.attname for f in fields]
        rows = [[getattr(obj, attname) for attname in attnames] for obj in objs]
        for i, f in enumerate(fields):
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                for row, obj in zip(rows, objs, strict=True):
                    row[i] = f.pre_save(obj, True)
    for i, f in enumerate(fields):
        convert = _converter(f, connection)
        if convert is not None:
            for row in rows:
                row[i] = convert(row[i])
    return rows


def _converter(field: Any, connection: Any) -> Any:
    """How a value of the field is prepared for the database (None: it goes as it is)."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "UUIDField":
        native = connection.features.has_native_uuid_field

        def uuid_value(value: Any) -> Any:
            if isinstance(value, uuid.UUID):
                return value if native else value.hex
            return None if value is None else field.get_db_prep_save(value, connection)

        return uuid_value
    last: list[Any] = [object(), None]  # (value, prepared): rows of a batch share `now` etc.

    def prepared(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepared
