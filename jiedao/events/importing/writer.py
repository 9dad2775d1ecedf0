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
按期结案率 counts it); one without is reported to the command centre (首接) with its
acceptance deadline, the 承办单位 proposed for dispatch.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

from jiedao.audit.services import audit_record
from jiedao.geo.models import Department

from ..deadlines import acceptance_deadline, handling_deadline
from ..models import Event, EventStep
from ..services.common import Reporter, actor_label, user_or_none
from ..workflow import Source, Status
from .rows import WorkOrder

IMPORT_STEP = EventStep.IMPORT


def _event(order: WorkOrder, owner: Department) -> Event:
    assert order.grid is not None  # noqa: S101 - parse_batch placed every order it returns
    grid = order.grid
    common: dict[str, Any] = {
        "number": order.event_number,
        "subdistrict_id": grid.community.subdistrict_id,
        "source": Source.HOTLINE_12345,
        "category": order.category,
        "description": order.description,
        "lat": order.lat,
        "lng": order.lng,
        "is_location_approximate": order.is_approximate,
        "address": order.address,
        "grid": grid,
        "community_id": grid.community_id,
        "reporter_name": order.reporter_name,
        "reporter_phone": order.reporter_phone,
        "created_at": order.received_at,
    }
    if order.closed_at is not None:
        handle = handling_deadline(order.category, order.received_at)
        return Event(
            **common,
            status=Status.CLOSED,
            responsible_department=owner,
            accepted_at=order.received_at,
            dispatched_at=order.received_at if order.department else None,
            handle_due_at=handle.due_at,
            handle_warn_at=handle.warn_at,
            closed_at=order.closed_at,
            last_action_at=order.closed_at,
            satisfaction=order.satisfaction,
        )
    accept = acceptance_deadline(order.category, order.received_at)
    return Event(
        **common,
        status=Status.REPORTED,
        responsible_department=owner,
        proposed_department=order.department,
        accept_due_at=accept.due_at,
        accept_warn_at=accept.warn_at,
        last_action_at=order.received_at,
    )


def batch_write(
    orders: Sequence[tuple[WorkOrder, Department]],
    *,
    actor: Reporter,
    file_name: str,
    now: datetime,
) -> list[Event]:
    """Insert the events of ``orders`` (each with its owner), their steps and the batch's
    audit entry; call it inside the batch's transaction."""
    events = [_event(order, owner) for order, owner in orders]
    _insert(Event, events)
    label, user = actor_label(actor), user_or_none(actor)
    _insert(
        EventStep,
        [
            EventStep(
                event=event,
                action=IMPORT_STEP,
                actor=user,
                actor_label=label,
                from_status="",
                to_status=event.status,
                note="",
                department=event.responsible_department,
                created_at=event.created_at,
                data={
                    "work_order": order.number,
                    "file": file_name,
                    "imported_at": now.isoformat(),
                },
            )
            for event, (order, _owner) in zip(events, orders, strict=True)
        ],
    )
    audit_record(
        actor=actor,
        action="events.event.import",
        target_type="events.event",
        target_id=f"{events[0].pk}-{events[-1].pk}",
        target_repr=f"{len(events)} × 12345",
        after={
            "file": file_name,
            "rows": [orders[0][0].row, orders[-1][0].row],
            "events": len(events),
            "work_orders": [order.number for order, _owner in orders],
            "event_ids": [event.pk for event in events],
        },
    )
    return events


def _insert(model: type[models.Model], objects: list[Any]) -> None:
    """Insert ``objects`` and set their ids: PostgreSQL's COPY with ids drawn from the table's
    sequence in one statement (a multi-row INSERT spends most of its time building SQL and
    binding a parameter per cell); elsewhere Django's multi-row INSERT (``bulk_create``)."""
    if connection.vendor != "postgresql" or not objects:
        model.objects.bulk_create(objects)  # type: ignore[attr-defined]
        return
    table = model._meta.db_table
    fields = [field for field in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        names = [field.attname for field in fields]
        json_names = {field.attname for field in fields if isinstance(field, models.JSONField)}
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in objects:
                copy.write_row(
                    [
                        Jsonb(getattr(instance, name))
                        if name in json_names
                        else getattr(instance, name)
                        for name in names
                    ]
                )
    for instance in objects:
        instance._state.adding = False
        instance._state.db = connection.alias
