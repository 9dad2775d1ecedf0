"""The import itself: read, check and write a 12345 file batch by batch.

Where a large import's time goes, measured on PostgreSQL with 50,000 rows (cProfile, then the
database backends' own CPU): the database's part is the index entries and the foreign-key check
of every reference of every row, as much as a raw ``COPY`` of the same rows costs; the Python
part was reading and checking each row through an object per row, the working-calendar
arithmetic per deadline, and binding every cell of the COPY as a parameter. So: rows of the
usual shape pass one tight loop (:mod:`.check`), deadlines come from a memoised working clock,
the COPY text is rendered one f-string per line (:mod:`.writer`), and batches are written on
connections of their own while the next ones are checked (:mod:`.pipeline`).
"""

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.accounts.permissions import require

from ..routing import command_centre
from ..services.common import Reporter
from .check import QuickCheck
from .columns import Mapping
from .pipeline import writers
from .reader import read_table
from .rows import Directory, Rejection, WorkOrder
from .writer import Deadlines, Prepared, batch_prepare, batch_write

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
# The collector's first generation during an import (Python's default is 700): every row makes
# a few short-lived lists and tuples, and the batch in hand keeps thousands alive, so the
# default runs a collection every few rows that walks them all: reading, checking and rendering
# 50,000 rows took 2.0 s of CPU with it and 1.5 s without. Raised while any import runs in the
# process (the setting is the process's), restored after the last one.
IMPORT_GC_THRESHOLD = 50_000
_collector_lock = threading.Lock()
_collector_users = 0
_collector_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    global _collector_users, _collector_saved
    with _collector_lock:
        if _collector_users == 0:
            _collector_saved = gc.get_threshold()
            first, *rest = _collector_saved
            gc.set_threshold(max(first, IMPORT_GC_THRESHOLD), *rest)
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0:
                gc.set_threshold(*_collector_saved)


def _owners(
    orders: list[WorkOrder],
    mapping: Mapping,
    subdistrict_of: dict[int, int],
    centres: dict[int, int | None],
) -> tuple[list[tuple[WorkOrder, int]], list[Rejection]]:
    """Each order's owner (its id): its 承办单位 when closed by one, else the command centre
    (首接) of its subdistrict, looked up once per subdistrict (``centres``)."""
    owned, problems = [], []
    for order in orders:
        if order.closed_at is not None and order.department is not None:
            owned.append((order, order.department.pk))
            continue
        subdistrict_id = subdistrict_of[order.grid.id]
        if subdistrict_id not in centres:
            centre = command_centre(subdistrict_id)
            centres[subdistrict_id] = centre.pk if centre is not None else None
        owner = centres[subdistrict_id]
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
    writes nothing, a batch without one is written in one transaction (while the next batches
    are read and checked, see :mod:`.pipeline`). The report lists every rejected row with its
    reasons, naming the column."""
    require(actor, "events.import")
    mapping = mapping or Mapping()
    now = now or timezone.now()
    table = read_table(stream, name=name, mapping=mapping)
    directory = Directory(mapping)
    quick = QuickCheck(mapping=mapping, table=table, directory=directory)
    deadlines = Deadlines()
    report = ImportReport(file=name, batch_size=batch_size)
    seen: dict[str, int] = {}
    centres: dict[int, int | None] = {}
    settled = 0

    def write(prepared: Prepared) -> tuple[int, int]:
        return batch_write(prepared, actor=actor, file_name=name, now=now)

    def settle(rows: int, written: tuple[int, int] | None) -> None:
        nonlocal settled
        if written is not None:
            report.created += written[0]
            report.already += written[1]
            report.batches_written += 1
        settled += rows
        if progress:
            progress(settled, table.total)

    if progress:
        progress(0, table.total)
    with _fewer_collections(), writers(write, settle) as pipeline:
        while batch := list(islice(table.rows, batch_size)):
            report.batches += 1
            report.rows += len(batch)
            orders, problems = quick.check(batch, now=now)
            problems += _duplicates(orders, mapping, seen)
            owned, unowned = _owners(orders, mapping, directory.subdistrict_of, centres)
            problems += unowned
            if problems:
                rejected_rows = {problem.row for problem in problems}
                report.rejected.extend(sorted(problems, key=lambda problem: problem.row))
                report.held_back += len(batch) - len(rejected_rows)
                pipeline.submit(len(batch), None)
            else:
                pipeline.submit(
                    len(batch), batch_prepare(owned, deadlines, directory.subdistrict_of)
                )
    return report
