"""Writing an import's batches while the next ones are read and checked.

Most of a large import's time is PostgreSQL's: a row costs it its index entries and a foreign-key
check per reference, as much as a raw ``COPY`` of the same rows costs — work no import can skip.
Reading and checking the next batch in Python meanwhile, and writing batches over more than one
connection, lets that work run on every core instead of one after the other on one.

:class:`Writers` runs ``EVENT_IMPORT_WRITERS`` threads, each with its own database connection
(closed when it ends); each batch is still one transaction of its own (all or nothing per
batch). The queue holds at most two batches per writer, so memory stays bounded however large
the file. Batches settle in the order they were read — the progress bar and the report count
only settled batches — and the first error stops the import: the batches before it are written,
as they would be one after the other.

Only where batches can be transactions of their own: on PostgreSQL, and when the caller holds
no transaction open (a test's, or a request's) — another connection could not see what that
transaction has not committed. Elsewhere :class:`Inline` writes each batch as it comes, in the
caller's connection.
"""

import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Self

from django.conf import settings
from django.db import connection

from .writer import Prepared

Write = Callable[[Prepared], tuple[int, int]]
Settle = Callable[[int, tuple[int, int] | None], None]  # rows of the batch, (created, already)


class Inline:
    """Write each batch at once, in the caller's connection."""

    def __init__(self, write: Write, settle: Settle) -> None:
        self.write, self.settle = write, settle

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, rows: int, prepared: Prepared | None) -> None:
        """Write ``prepared`` (None: a rejected batch that writes nothing) and settle it."""
        self.settle(rows, None if prepared is None else self.write(prepared))


class Writers:
    """Write batches over ``count`` connections of their own while the caller goes on."""

    def __init__(self, write: Write, settle: Settle, count: int) -> None:
        self.write, self.settle = write, settle
        self.tasks: queue.Queue[tuple[Prepared, Future[tuple[int, int]]] | None] = queue.Queue(
            maxsize=2 * count
        )
        self.pending: deque[tuple[int, Future[tuple[int, int]] | None]] = deque()
        self.limit = 2 * count
        context = contextvars.copy_context()  # e.g. the client address the audit records
        self.threads = [
            threading.Thread(target=context.copy().run, args=(self._work,), daemon=True)
            for _ in range(count)
        ]

    def __enter__(self) -> Self:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                self._settle(until=0)
        finally:
            for future in (item for _rows, item in self.pending if item is not None):
                future.cancel()
            for _thread in self.threads:
                self.tasks.put(None)
            for thread in self.threads:
                thread.join()

    def submit(self, rows: int, prepared: Prepared | None) -> None:
        """Queue ``prepared`` (None: a rejected batch) and settle what has been written."""
        future: Future[tuple[int, int]] | None = None
        if prepared is not None:
            future = Future()
            self.tasks.put((prepared, future))
        self.pending.append((rows, future))
        self._settle(until=self.limit)

    def _settle(self, until: int) -> None:
        """Settle batches in order: those already written, and more until at most ``until``
        remain (waiting for them; an error of a batch is raised here)."""
        while self.pending:
            rows, future = self.pending[0]
            if future is not None and not future.done() and len(self.pending) <= until:
                return
            result = None if future is None else future.result()
            self.pending.popleft()
            self.settle(rows, result)

    def _work(self) -> None:
        try:
            while (task := self.tasks.get()) is not None:
                prepared, future = task
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(self.write(prepared))
                # Whatever it is, the caller waits for this future and raises it there.
                except BaseException as error:  # noqa: BLE001
                    future.set_exception(error)
        finally:
            connection.close()


def writers(write: Write, settle: Settle) -> Inline | Writers:
    """Parallel writers where batches can be transactions of their own, else inline."""
    count = int(settings.EVENT_IMPORT_WRITERS)
    if count < 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return Inline(write, settle)
    return Writers(write, settle, count)
