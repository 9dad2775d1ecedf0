"""Writing one checked batch of work orders: its events, their timeline steps and **one audit
entry per batch**, in one transaction.

One entry per batch, not per event: it records who imported which file and the work-order
numbers and event ids the batch created, which is everything a per-event entry would say (an
imported event has no "before"); each event's own timeline gets its ``import`` step. Per-event
entries would double the rows a million-order import writes and append a million entries to
the trail.

The events get their figures right from their fields (see :mod:`jiedao.events.figures`): source
12345; a work order with 办结时间 is closed (registered and dispatched when it was received,
closed then, with the handling deadline of its category counted from reception, so that
按期结案率 counts it — and no warning moment, since a closed event never warns); one without is
reported to the command centre (首接) with its acceptance deadline and its warning moment, the
承办单位 proposed for dispatch.

How the rows travel. :func:`batch_prepare` turns the orders into the events' column values (in
:data:`EVENT_COLUMNS` order; deadlines from a memoised :class:`~jiedao.core.workclock.WorkingClock`)
in the reading thread; :func:`batch_write` writes them. On PostgreSQL the batch's event ids are
drawn from the table's sequence in one statement and events and steps go in by ``COPY … FROM
STDIN`` in text format, rendered here as one string per table (a value per column from a
formatter chosen once per column, never a parameter bound per cell); the work-order numbers
already imported are read first in one ``= ANY(array)`` query, so a re-import writes nothing
and the COPY goes straight into the tables — no staging table, which would write every row
twice. The transaction commits with ``synchronous_commit = off``: its durability is the
import's own (a batch lost to a crash in the following fraction of a second is written again
by importing the file again, which skips what is there). Elsewhere (SQLite): Django's multi-row
INSERT (``bulk_create``) of the same values.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction

from jiedao.audit.services import audit_record
from jiedao.core.workclock import WorkingClock

from ..deadlines import due_after, warning_moment
from ..models import Event, EventStep
from ..services.common import Reporter, actor_label, user_or_none
from ..workflow import Source, Status
from .rows import NUMBER_PREFIX, WorkOrder

IMPORT_STEP = EventStep.IMPORT
# The columns an import sets on each event, in the order of a prepared event's values; every
# other column takes the model's default (the same for every event of the import).
EVENT_COLUMNS = (
    "number",
    "subdistrict_id",
    "category_id",
    "description",
    "lat",
    "lng",
    "is_location_approximate",
    "address",
    "grid_id",
    "community_id",
    "reporter_name",
    "reporter_phone",
    "created_at",
    "responsible_department_id",
    "status",
    "accepted_at",
    "dispatched_at",
    "handle_due_at",
    "closed_at",
    "last_action_at",
    "satisfaction",
    "proposed_department_id",
    "accept_due_at",
    "accept_warn_at",
)
_STATUS = EVENT_COLUMNS.index("status")
_CREATED_AT = EVENT_COLUMNS.index("created_at")
_OWNER = EVENT_COLUMNS.index("responsible_department_id")


@dataclass(frozen=True)
class Prepared:
    """A checked batch ready to write: its orders and, for each, its event's column values."""

    orders: list[WorkOrder]
    events: list[tuple[Any, ...]]

    def numbers(self) -> list[str]:
        return [NUMBER_PREFIX + order.number for order in self.orders]


class Deadlines:
    """The deadlines of an import's events, on one memoised working clock."""

    def __init__(self) -> None:
        self.clock = WorkingClock()
        self.share = float(settings.EVENT_YELLOW_WARNING_SHARE)

    def handling(self, order: WorkOrder) -> datetime:
        category = order.category
        return due_after(
            order.received_at, category.handling_limit, category.handling_unit, self.clock
        )

    def acceptance(self, order: WorkOrder) -> tuple[datetime, datetime]:
        category = order.category
        start = order.received_at
        due = due_after(start, category.acceptance_limit, category.acceptance_unit, self.clock)
        return due, warning_moment(start, due, self.clock, self.share)


def batch_prepare(
    owned: Sequence[tuple[WorkOrder, int]], deadlines: Deadlines, subdistrict_of: dict[int, int]
) -> Prepared:
    """The events of ``owned`` (each order with its owner's id) as column values
    (``subdistrict_of``: each grid's subdistrict by grid id)."""
    events: list[tuple[Any, ...]] = []
    closed, reported = Status.CLOSED.value, Status.REPORTED.value
    for order, owner in owned:
        grid = order.grid
        received = order.received_at
        department = order.department
        values: tuple[Any, ...] = (
            NUMBER_PREFIX + order.number,
            subdistrict_of[grid.id],
            order.category.id,
            order.description,
            order.lat,
            order.lng,
            order.is_approximate,
            order.address,
            grid.id,
            grid.community_id,
            order.reporter_name,
            order.reporter_phone,
            received,
            owner,
        )
        if order.closed_at is not None:
            values += (
                closed,
                received,  # accepted
                received if department is not None else None,  # dispatched
                deadlines.handling(order),
                order.closed_at,
                order.closed_at,  # last action
                order.satisfaction,
                None,
                None,
                None,
            )
        else:
            accept_due, accept_warn = deadlines.acceptance(order)
            values += (
                reported,
                None,
                None,
                None,
                None,
                received,  # last action
                None,
                department.pk if department is not None else None,  # proposed
                accept_due,
                accept_warn,
            )
        events.append(values)
    return Prepared(orders=[order for order, _owner in owned], events=events)


def batch_write(
    prepared: Prepared, *, actor: Reporter, file_name: str, now: datetime
) -> tuple[int, int]:
    """Write the batch's new events, their steps and its audit entry in one transaction,
    skipping the work orders already imported; returns (created, already). A parallel import of
    the same orders that commits first makes this batch skip them on its one retry."""
    numbers = prepared.numbers()
    for attempt in (1, 2):
        existing = _existing(numbers)
        keep = [index for index, number in enumerate(numbers) if number not in existing]
        try:
            with transaction.atomic():
                if keep:
                    _write_new(prepared, keep, actor=actor, file_name=file_name, now=now)
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        return len(keep), len(existing)
    raise AssertionError("unreachable")


def _existing(numbers: list[str]) -> set[str]:
    """Which of these event numbers exist: one array parameter on PostgreSQL, not thousands."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number FROM {Event._meta.db_table} WHERE number = ANY(%s)",  # noqa: S608
                [numbers],
            )
            return {number for (number,) in cursor.fetchall()}
    return set(Event.objects.filter(number__in=numbers).values_list("number", flat=True))


def _write_new(
    prepared: Prepared, keep: list[int], *, actor: Reporter, file_name: str, now: datetime
) -> None:
    orders = [prepared.orders[index] for index in keep]
    events = [prepared.events[index] for index in keep]
    user = user_or_none(actor)
    step = {
        "action": IMPORT_STEP,
        "actor_id": user.pk if user else None,
        "actor_label": actor_label(actor),
        "from_status": "",
        "note": "",
    }
    data = {"file": file_name, "imported_at": now.isoformat()}
    if connection.vendor == "postgresql":
        ids = _copy(events, orders, step, data)
    else:
        ids = _bulk_create(events, orders, step, data)
    audit_record(
        actor=actor,
        action="events.event.import",
        target_type="events.event",
        target_id=f"{ids[0]}-{ids[-1]}",
        target_repr=f"{len(ids)} × 12345",
        after={
            "file": file_name,
            "rows": [orders[0].row, orders[-1].row],
            "events": len(ids),
            "work_orders": [order.number for order in orders],
            "event_ids": ids,
        },
    )


def _bulk_create(
    events: list[tuple[Any, ...]],
    orders: list[WorkOrder],
    step: dict[str, Any],
    data: dict[str, str],
) -> list[int]:
    created = Event.objects.bulk_create(
        [
            Event(
                source=Source.HOTLINE_12345.value, **dict(zip(EVENT_COLUMNS, values, strict=True))
            )
            for values in events
        ]
    )
    ids = [int(event.pk) for event in created]
    EventStep.objects.bulk_create(
        [
            EventStep(
                event_id=pk,
                to_status=values[_STATUS],
                department_id=values[_OWNER],
                created_at=values[_CREATED_AT],
                data={"work_order": order.number, **data},
                **step,
            )
            for pk, values, order in zip(ids, events, orders, strict=True)
        ]
    )
    return ids


# --- COPY in text format --------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _text(value: str | None) -> str:
    if value is None:
        return NULL
    # Most cells hold none of the four characters COPY escapes: look before translating.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _number(value: float | None) -> str:
    return NULL if value is None else repr(value)


def _flag(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


def _moment(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _json(value: Any) -> str:
    return _text(json.dumps(value))


def _formatter(field: models.Field) -> Callable[[Any], str]:
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.BooleanField):
        return _flag
    if isinstance(field, models.DateTimeField | models.DateField):
        return _moment
    if isinstance(field, models.FloatField | models.IntegerField | models.ForeignKey):
        return _number
    return _text


def _columns(
    model: type[models.Model], varying: Sequence[str], given: dict[str, Any]
) -> tuple[str, str]:
    """For a COPY into ``model`` whose lines start with the ``varying`` columns: the column
    list, and the text of the other columns (``given`` or the model's default, the same for
    every row) that ends each line."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    constant = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in varying
    ]
    names = [fields[name].column for name in varying] + [field.column for field in constant]
    suffix = "".join(
        "\t" + _formatter(field)(given.get(field.attname, field.get_default()))
        for field in constant
    )
    return ", ".join(connection.ops.quote_name(name) for name in names), suffix


STEP_COLUMNS = ("event_id", "to_status", "department_id", "created_at", "data")


def _render(
    ids: list[int],
    events: list[tuple[Any, ...]],
    orders: list[WorkOrder],
    step: dict[str, Any],
    data: dict[str, str],
) -> tuple[tuple[str, str], tuple[str, str]]:
    """The COPY text (and column list) of the events and of their import steps.

    One f-string per line, in :data:`EVENT_COLUMNS` order: the values' types are known (ids,
    floats, flags, aware times, checked text), so only the free text goes through escaping."""
    event_columns, suffix = _columns(
        Event, ("id", *EVENT_COLUMNS), {"source": Source.HOTLINE_12345.value}
    )
    lines = []
    for pk, (
        number,
        subdistrict,
        category,
        description,
        lat,
        lng,
        approximate,
        address,
        grid,
        community,
        name,
        phone,
        created,
        owner,
        status,
        accepted,
        dispatched,
        handle_due,
        closed,
        last_action,
        satisfaction,
        proposed,
        accept_due,
        accept_warn,
    ) in zip(ids, events, strict=True):
        lines.append(
            f"{pk}\t{number}\t{subdistrict}\t{category}\t{_text(description)}\t{lat!r}"
            f"\t{lng!r}\t{'t' if approximate else 'f'}\t{_text(address)}\t{grid}\t{community}"
            f"\t{_text(name)}\t{_text(phone)}\t{created.isoformat()}\t{owner}\t{status}"
            f"\t{_moment(accepted)}\t{_moment(dispatched)}\t{_moment(handle_due)}"
            f"\t{_moment(closed)}\t{last_action.isoformat()}\t{_number(satisfaction)}"
            f"\t{_number(proposed)}\t{_moment(accept_due)}\t{_moment(accept_warn)}{suffix}\n"
        )
    step_columns, step_suffix = _columns(EventStep, STEP_COLUMNS, step)
    # The step's data: the work order's number (letters, digits, - and _ only, as checked)
    # between the two halves of the JSON object every step of the import shares.
    data_head, data_tail = _text('{"work_order": "'), _text('", ' + json.dumps(data)[1:])
    steps = [
        f"{pk}\t{values[_STATUS]}\t{values[_OWNER]}\t{values[_CREATED_AT].isoformat()}"
        f"\t{data_head}{order.number}{data_tail}{step_suffix}\n"
        for pk, values, order in zip(ids, events, orders, strict=True)
    ]
    return (event_columns, "".join(lines)), (step_columns, "".join(steps))


def _copy(
    events: list[tuple[Any, ...]],
    orders: list[WorkOrder],
    step: dict[str, Any],
    data: dict[str, str],
) -> list[int]:
    event_table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [event_table, len(events)],
        )
        ids = [int(pk) for (pk,) in cursor.fetchall()]
        rendered = _render(ids, events, orders, step, data)
        for table, (columns, text) in zip(
            (event_table, EventStep._meta.db_table), rendered, strict=True
        ):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(text)
    return ids
