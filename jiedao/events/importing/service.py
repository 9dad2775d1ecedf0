"""The import itself: read, check and write a 12345 file batch by batch."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.accounts.permissions import require
from jiedao.geo.models import Department

from ..models import Event
from ..routing import command_centre
from ..services.common import Reporter
from .columns import Mapping
from .reader import read_table
from .rows import Directory, Rejection, WorkOrder, parse_batch
from .writer import batch_write

DEFAULT_BATCH_SIZE = 1000


@dataclass
class ImportReport:
    """What an import did. ``held_back`` counts the good rows of batches that were not written
    because another row of the batch was rejected (all or nothing per batch): fix the rejected
    rows and import the file again — what was written is skipped as ``already``."""

    file: str
    rows: int = 0
    created: int = 0
    already: int = 0
    held_back: int = 0
    batches: int = 0
    batches_written: int = 0
    batch_size: int = DEFAULT_BATCH_SIZE
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportReport":
        rejected = [Rejection(**item) for item in data.get("rejected", [])]
        return cls(**{**data, "rejected": rejected})


Progress = Callable[[int, int], None]


def _owners(
    orders: list[WorkOrder], mapping: Mapping
) -> tuple[list[tuple[WorkOrder, Department]], list[Rejection]]:
    """Each order's owner: its 承办单位 when closed by one, else the command centre (首接)."""
    owned, problems = [], []
    for order in orders:
        assert order.grid is not None  # noqa: S101 - placed by parse_batch
        owner = (
            order.department
            if order.closed_at is not None and order.department is not None
            else command_centre(order.grid.community.subdistrict_id)
        )
        if owner is None:
            problems.append(
                Rejection(
                    order.row,
                    mapping.label("department"),
                    _("empty, and the subdistrict has no command centre to receive it."),
                )
            )
            continue
        owned.append((order, owner))
    return owned, problems


def _duplicates(orders: list[WorkOrder], mapping: Mapping, seen: dict[str, int]) -> list[Rejection]:
    problems = []
    for order in orders:
        first = seen.setdefault(order.number, order.row)
        if first != order.row:
            problems.append(
                Rejection(
                    order.row,
                    mapping.label("number"),
                    _("“%(value)s” appears again: row %(row)s has the same work order.")
                    % {"value": order.number, "row": first},
                )
            )
    return problems


def work_orders_import(
    *,
    actor: Reporter,
    stream: IO[bytes],
    name: str,
    mapping: Mapping | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import the 12345 work orders of a CSV or .xlsx file (the one door behind
    ``jiedao events import``, the upload page and its task).

    Idempotent by work-order number: an order whose event (``12345-<number>``) exists is
    skipped. All or nothing per batch of ``batch_size`` rows: a batch with a rejected row
    writes nothing, a batch without one is written in one transaction. The report lists every
    rejected row with its reasons, naming the column."""
    require(actor, "events.import")
    mapping = mapping or Mapping()
    now = now or timezone.now()
    table = read_table(stream, name=name, mapping=mapping)
    directory = Directory(mapping)
    report = ImportReport(file=name, batch_size=batch_size)
    seen: dict[str, int] = {}
    if progress:
        progress(0, table.total)
    while batch := list(islice(table.rows, batch_size)):
        report.batches += 1
        report.rows += len(batch)
        orders, problems = parse_batch(
            batch, mapping=mapping, positions=table.positions, directory=directory, now=now
        )
        problems += _duplicates(orders, mapping, seen)
        owned, unowned = _owners(orders, mapping)
        problems += unowned
        if problems:
            rejected_rows = {problem.row for problem in problems}
            report.rejected.extend(sorted(problems, key=lambda problem: problem.row))
            report.held_back += len(batch) - len(rejected_rows)
        else:
            report.created, report.already = _write(owned, actor, name, now, report)
        if progress:
            progress(report.rows, table.total)
    return report


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


def _write(
    owned: list[tuple[WorkOrder, Department]],
    actor: Reporter,
    name: str,
    now: datetime,
    report: ImportReport,
) -> tuple[int, int]:
    """Write a clean batch, skipping what an earlier import wrote; a parallel import of the
    same orders that commits first makes this batch skip them on its one retry."""
    for attempt in (1, 2):
        numbers = [order.event_number for order, _owner in owned]
        existing = _existing(numbers)
        new = [pair for pair in owned if pair[0].event_number not in existing]
        try:
            with transaction.atomic():
                if new:
                    batch_write(new, actor=actor, file_name=name, now=now)
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        report.batches_written += 1
        return report.created + len(new), report.already + len(existing)
    raise AssertionError("unreachable")
