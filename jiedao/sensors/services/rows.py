"""Set-based writes for the listener's batches: one statement for many rows.

Django's ``bulk_update`` builds a ``CASE WHEN`` per row and field in Python, which costs more than
the batch's own work; on PostgreSQL the rows go instead as one ``UPDATE … FROM (VALUES …)``.
SQLite (one writer, small volumes) keeps ``bulk_update``.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

CHUNK = 1000


def _cast(field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.ForeignKey):
        return "bigint"
    return str(field.db_type(connection))


def rows_update(
    model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
) -> None:
    """Write ``fields`` of ``objects`` (saved rows) back, one statement per thousand rows."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objects, fields, batch_size=CHUNK)
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    casts = [_cast(column) for column in columns]
    row = "(%s::bigint, " + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    names = ", ".join(f'"{column.column}"' for column in columns)
    assignments = ", ".join(f'"{column.column}" = v."{column.column}"' for column in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), CHUNK):
            chunk = objects[start : start + CHUNK]
            params: list[Any] = []
            for obj in chunk:
                params.append(obj.pk)
                params += [
                    column.get_db_prep_save(getattr(obj, column.attname), connection)
                    for column in columns
                ]
            cursor.execute(
                f'UPDATE "{meta.db_table}" AS t SET {assignments} '  # noqa: S608 - our own names
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v(id, {names}) "
                "WHERE t.id = v.id",
                params,
            )


def rows_insert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    fields: list[str],
    *,
    conflict: str = "",
    returning: Sequence[str] = ("id",),
) -> list[tuple[Any, ...]]:
    """Insert ``objects`` in one statement (``conflict``: an ``ON CONFLICT …`` clause); the
    ``returning`` columns of the rows inserted. Both PostgreSQL and SQLite (≥ 3.35) return
    them."""
    if not objects:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(f'"{column.column}"' for column in columns)
    params: list[Any] = []
    for obj in objects:
        params += [
            column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{meta.db_table}" ({names}) VALUES '  # noqa: S608 - our own names
            f"{', '.join([row] * len(objects))} {conflict} RETURNING {', '.join(returning)}",
            params,
        )
        return [tuple(found) for found in cursor.fetchall()]
