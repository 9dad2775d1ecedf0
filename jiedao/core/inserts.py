"""Inserting a new row of a model in one statement whose text is built once per model.

``Model.objects.create()`` builds its INSERT anew for every row: the compiler walks the fields,
quotes every column and assembles the text, which for a report's six rows (the event, its
step, its public report, its Open311 request and their audit entries) was a third of the
Open311 POST's time in Python. :func:`insert_new` does what that path does for a plain model —
each field's ``pre_save`` (``auto_now_add``, defaults) and ``get_db_prep_save`` (the database's
own adaptation, JSON included) — with the statement's text cached per model, and can skip a
row whose unique key is taken (``ON CONFLICT DO NOTHING``) instead of failing, so that a caller
learns of a retry without a look before every insert or a savepoint around it.

Only for models without a custom ``save()`` doing more than a guard, without parents (multi-table
inheritance) and without ``pre_save``/``post_save`` receivers: the hot paths' models, which
none of that touches.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


@cache
def _statement(
    model: type[models.Model], skip_conflicts: bool
) -> tuple[str, tuple[Any, ...], bool]:
    meta = model._meta
    if meta.parents:
        raise TypeError(f"{meta.label} has parents: insert it through the ORM.")
    fields = tuple(field for field in meta.local_concrete_fields if field is not meta.auto_field)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    key = meta.auto_field
    returns = key is not None and bool(connection.features.can_return_columns_from_insert)
    returning = f" RETURNING {quote(key.column)}" if key is not None and returns else ""
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}){conflict}{returning}"  # noqa: S608
    return sql, fields, returns


def insert_new(instance: models.Model, *, skip_conflicts: bool = False) -> bool:
    """Insert ``instance`` (not saved yet) and set its primary key, as ``save()`` would; True.
    With ``skip_conflicts`` a row whose unique key is already taken is not inserted, and the
    answer is False (the instance stays unsaved)."""
    if instance.pk is not None and instance._meta.auto_field is not None:
        raise ValueError(f"{instance._meta.label} #{instance.pk} is already saved.")
    sql, fields, returns = _statement(type(instance), skip_conflicts)
    # The connection itself, not the proxy that looks it up again on every attribute.
    database = connections[DEFAULT_DB_ALIAS]
    params = [field.get_db_prep_save(field.pre_save(instance, True), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        if instance._meta.auto_field is None:
            inserted = cursor.rowcount > 0
        elif returns:
            row = cursor.fetchone()
            inserted = row is not None
            if inserted:
                instance.pk = row[0]
        else:  # a database without INSERT … RETURNING
            inserted = cursor.rowcount > 0
            if inserted:
                instance.pk = cursor.lastrowid
    if inserted:
        instance._state.adding = False
        instance._state.db = database.alias
    return inserted


@cache
def _many_statement(model: type[models.Model], count: int) -> str:
    single, fields, returns = _statement(model, False)
    if not returns:
        raise TypeError(f"{model._meta.label}: several rows at once need INSERT … RETURNING.")
    row = f"({', '.join(['%s'] * len(fields))})"
    head, _values, tail = single.partition(f" VALUES {row}")
    return f"{head} VALUES {', '.join([row] * count)}{tail}"


def insert_many(instances: Sequence[models.Model]) -> None:
    """Insert ``instances`` (of one model, none saved yet) in one statement and set their
    primary keys, in order (as ``bulk_create`` does: the database returns the new keys in the
    order of the rows)."""
    if not instances:
        return
    if len(instances) == 1:
        insert_new(instances[0])
        return
    model = type(instances[0])
    _single, fields, _returns = _statement(model, False)
    sql = _many_statement(model, len(instances))
    database = connections[DEFAULT_DB_ALIAS]
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), database)
        for instance in instances
        for field in fields
    ]
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    for instance, key in zip(instances, keys, strict=True):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = database.alias
