"""An import with no transaction around it: on PostgreSQL its batches are written over
connections of their own while the next ones are checked (jiedao.events.importing.pipeline);
on SQLite one after the other. The outcome is the same: every clean batch written with its
audit entry, the batch with a bad row held back, progress in order, a re-import idempotent.

Its own module: the import's connections must see the demo, so the demo is committed here
(a transactional test) instead of shared uncommitted with the other import tests."""

import io
from typing import Any

import pytest
from django.utils import translation

from jiedao.audit.models import AuditEntry
from jiedao.events.importing import Rejection, work_orders_import
from jiedao.events.models import Event, EventStep
from jiedao.events.workflow import Status

from .test_import import BAD, GOOD, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def numbered(number: str) -> list[str]:
    return [number, *GOOD[0][1:]]


def test_batches_written_on_their_own_connections_are_the_same_batches(users: Any) -> None:
    # given four batches of two rows; the second holds a bad row
    rows = [*GOOD, BAD[0], *(numbered(f"T01{n}") for n in range(4))]
    audit = AuditEntry.objects.filter(action="events.event.import").count()
    last_entry = AuditEntry.objects.order_by("id").values_list("id", flat=True).last() or 0
    seen: list[tuple[int, int]] = []

    # (in Chinese whatever language an earlier test of this worker left active)
    with translation.override("zh-hans"):
        report = work_orders_import(
            actor=users["dispatcher"],
            stream=io.BytesIO(csv_bytes(rows)),
            name="orders.csv",
            batch_size=2,
            progress=lambda done, total: seen.append((done, total)),
        )

    # then the three clean batches are written, each with its audit entry, and progress
    # counted each batch once it was settled, in order
    assert (report.created, report.held_back, report.batches, report.batches_written) == (
        6,
        1,
        4,
        3,
    )
    assert report.rejected == [
        Rejection(5, "受理时间", "“2022-13-01 09:00”不是时间，例如 2022-06-15 09:30。")
    ]
    assert seen == [(0, 8), (2, 8), (4, 8), (6, 8), (8, 8)]
    assert AuditEntry.objects.filter(action="events.event.import").count() == audit + 3
    assert sorted(
        Event.objects.filter(number__startswith="12345-").values_list("number", flat=True)
    ) == [
        "12345-T001",
        "12345-T002",
        "12345-T010",
        "12345-T011",
        "12345-T012",
        "12345-T013",
    ]
    step = EventStep.objects.get(event__number="12345-T010")
    assert (step.action, step.actor_label, step.from_status, step.to_status) == (
        "import",
        "zhihui",
        "",
        Status.CLOSED,
    )
    assert (step.data["work_order"], step.data["file"]) == ("T010", "orders.csv")
    assert step.created_at == Event.objects.get(number="12345-T010").created_at
    # (batches on their own connections commit in whichever order they finish)
    entries = AuditEntry.objects.filter(action="events.event.import", id__gt=last_entry)
    assert sorted((entry.after["rows"], entry.after["work_orders"]) for entry in entries) == [
        ([2, 3], ["T001", "T002"]),
        ([6, 7], ["T010", "T011"]),
        ([8, 9], ["T012", "T013"]),
    ]

    # when the file is imported again
    again = work_orders_import(
        actor=users["dispatcher"],
        stream=io.BytesIO(csv_bytes(rows)),
        name="orders.csv",
        batch_size=2,
    )

    # then nothing new is written
    assert (again.created, again.already) == (0, 6)
    assert AuditEntry.objects.filter(action="events.event.import").count() == audit + 3
    assert EventStep.objects.filter(action="import").count() == 6
