"""Set-based writes for the listener's batches: one statement for many rows.

Rows go as plain tuples of column values, not model instances (building thousands of them costs
more than the batch's own work). On PostgreSQL each column travels as one array parameter and
the statement unnests them: its text is the same whatever the number of rows, so psycopg neither
re-parses a statement of thousands of placeholders nor fails to prepare it (measured: splitting
such a statement took a quarter of a batch's time). SQLite — one writer, small volumes — gets a
plain multi-row ``VALUES`` list, or ``bulk_update``.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

Row = Sequence[Any]


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in fields]  # type: ignore[misc]


def _array_type(field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.ForeignKey):
        return "bigint[]"
    kind = str(field.db_type(connection))
    # varchar(n)[] checks nothing the column does not: cast as text.
    return ("text" if kind.startswith("varchar") else kind) + "[]"


def _unnest(columns: list[models.Field[Any, Any]], rows: Sequence[Row]) -> tuple[str, list[Any]]:
    names = ", ".join(f'"{column.column}"' for column in columns)
    arrays = ", ".join(f"%s::{_array_type(column)}" for column in columns)
    params = [[row[index] for row in rows] for index in range(len(columns))]
    return f"SELECT * FROM unnest({arrays}) AS v({names})", params  # noqa: S608 - our names


def rows_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Row],
    *,
    conflict: str = "",
    returning: Sequence[str] = ("id",),
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (values of ``fields``, foreign keys as ids) in one statement
    (``conflict``: an ``ON CONFLICT …`` clause); the ``returning`` columns of the rows inserted,
    in the order of ``rows`` (both PostgreSQL and SQLite ≥ 3.35 return them)."""
    if not rows:
        return []
    columns = _columns(model, fields)
    names = ", ".join(f'"{column.column}"' for column in columns)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        select, params = _unnest(columns, rows)
        source = select
    else:
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = "VALUES " + ", ".join([placeholder] * len(rows))
        params = [
            column.get_db_prep_save(value, connection)
            for row in rows
            for column, value in zip(columns, row, strict=True)
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) {source} {conflict} RETURNING {", ".join(returning)}',
            params,
        )
        return [tuple(found) for found in cursor.fetchall()]


def rows_update(model: type[models.Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
    """Write ``fields`` back to saved rows: each row is (primary key, value of each field)."""
    if not rows:
        return
    columns = _columns(model, fields)
    if connection.vendor != "postgresql":
        objects = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for column, value in zip(columns, values, strict=True):
                setattr(obj, column.attname, value)
            objects.append(obj)
        model._default_manager.bulk_update(objects, list(fields))
        return
    id_column = model._meta.pk.column
    select, params = _unnest([model._meta.pk, *columns], rows)
    assignments = ", ".join(f'"{column.column}" = v."{column.column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" AS t SET {assignments} '  # noqa: S608
            f'FROM ({select}) AS v WHERE t."{id_column}" = v."{id_column}"',
            params,
        )
