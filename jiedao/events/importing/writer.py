"""Writing one checked batch of work orders: multi-row INSERTs (``bulk_create``) of the events
and their timeline steps, and **one audit entry per batch**.

One entry per batch, not per event: it records who imported which file and the work-order
numbers and event ids the batch created, which is everything a per-event entry would say (an
imported event has no "before"); each event's own timeline gets its ``import`` step. Per-event
entries would double the rows a million-order import writes and append a million entries to
the chain the whole installation shares.

The events get their figures right from their fields (see :mod:`jiedao.events.figures`): source
12345; a work order with 办结时间 is closed (registered and dispatched when it was received,
closed then, with the handling deadline of its category counted from reception, so that
按期结案率 counts it — and no warning moment, since a closed event never warns); one without is reported to the command centre (首接) with its
acceptance deadline, the 承办单位 proposed for dispatch.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

from jiedao.audit.services import audit_record
from jiedao.core import workcalendar
from jiedao.geo.models import Department

from ..deadlines import acceptance_deadline
from ..models import Category, Event, EventStep
from ..services.common import Reporter, actor_label, user_or_none
from ..workflow import Source, Status
from .rows import WorkOrder

IMPORT_STEP = EventStep.IMPORT


def _event(order: WorkOrder, owner: Department) -> dict[str, Any]:
    """The event of a work order, as column values (attribute names)."""
    assert order.grid is not None  # noqa: S101 - parse_batch placed every order it returns
    grid = order.grid
    values: dict[str, Any] = {
        "number": order.event_number,
        "subdistrict_id": grid.community.subdistrict_id,
        "source": Source.HOTLINE_12345.value,
        "category_id": order.category.pk,
        "description": order.description,
        "lat": order.lat,
        "lng": order.lng,
        "is_location_approximate": order.is_approximate,
        "address": order.address,
        "grid_id": grid.pk,
        "community_id": grid.community_id,
        "reporter_name": order.reporter_name,
        "reporter_phone": order.reporter_phone,
        "created_at": order.received_at,
        "responsible_department_id": owner.pk,
    }
    if order.closed_at is not None:
        values.update(
            status=Status.CLOSED.value,
            accepted_at=order.received_at,
            dispatched_at=order.received_at if order.department else None,
            handle_due_at=_due(order.category, order.received_at),
            closed_at=order.closed_at,
            last_action_at=order.closed_at,
            satisfaction=order.satisfaction,
        )
        return values
    accept = acceptance_deadline(order.category, order.received_at)
    values.update(
        status=Status.REPORTED.value,
        proposed_department_id=order.department.pk if order.department else None,
        accept_due_at=accept.due_at,
        accept_warn_at=accept.warn_at,
        last_action_at=order.received_at,
    )
    return values


def _due(category: Category, start: datetime) -> datetime:
    """The handling deadline alone: a closed event needs no warning moment (it never warns),
    which saves half of the working-calendar arithmetic per order."""
    if category.handling_unit == Category.TimeUnit.WORKING_HOURS:
        return workcalendar.add_working_hours(start, float(category.handling_limit))
    return workcalendar.add_working_days(start, int(category.handling_limit))


def batch_write(
    orders: Sequence[tuple[WorkOrder, Department]],
    *,
    actor: Reporter,
    file_name: str,
    now: datetime,
) -> list[int]:
    """Insert the events of ``orders`` (each with its owner), their steps and the batch's
    audit entry; call it inside the batch's transaction. Returns the new events' ids."""
    events = [_event(order, owner) for order, owner in orders]
    ids = _insert(Event, events)
    label, user = actor_label(actor), user_or_none(actor)
    imported_at = now.isoformat()
    _insert(
        EventStep,
        [
            {
                "event_id": pk,
                "action": IMPORT_STEP,
                "actor_id": user.pk if user else None,
                "actor_label": label,
                "from_status": "",
                "to_status": event["status"],
                "note": "",
                "department_id": event["responsible_department_id"],
                "created_at": event["created_at"],
                "data": {"work_order": order.number, "file": file_name, "imported_at": imported_at},
            }
            for pk, event, (order, _owner) in zip(ids, events, orders, strict=True)
        ],
    )
    audit_record(
        actor=actor,
        action="events.event.import",
        target_type="events.event",
        target_id=f"{ids[0]}-{ids[-1]}",
        target_repr=f"{len(ids)} × 12345",
        after={
            "file": file_name,
            "rows": [orders[0][0].row, orders[-1][0].row],
            "events": len(ids),
            "work_orders": [order.number for order, _owner in orders],
            "event_ids": ids,
        },
    )
    return ids


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (column values by attribute name; the model's defaults for the rest) and
    return their ids, in order. PostgreSQL: COPY, with ids drawn from the table's sequence in
    one statement — a multi-row INSERT spends most of its time building SQL and binding a
    parameter per cell, and model instances cost more than the rows. Elsewhere: Django's
    multi-row INSERT (``bulk_create``)."""
    if connection.vendor != "postgresql":
        created = model._default_manager.bulk_create([model(**row) for row in rows])
        return [int(instance.pk) for instance in created]
    table = model._meta.db_table
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    json_names = {field.attname for field in fields if isinstance(field, models.JSONField)}
    names = [field.attname for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [int(pk) for (pk,) in cursor.fetchall()]
        columns = ", ".join(["id", *(connection.ops.quote_name(field.column) for field in fields)])
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                values: list[Any] = [pk]
                for name in names:
                    value = row.get(name, defaults[name])
                    values.append(Jsonb(value) if name in json_names else value)
                copy.write_row(values)
    return ids
