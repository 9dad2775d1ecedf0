"""Sealing: giving committed entries their places in the hash chain, in order, in batches.

Writers append entries without touching anything another writer holds (see
:func:`jiedao.audit.services.audit_record`). Each entry is announced when its transaction
commits. The process's sealer thread, woken by the first announcement, waits
``AUDIT_SEAL_DELAY`` seconds (gathering what commits meanwhile), then asks for one seal of the
batch: an entry waits that long plus the seal's own time (and a queue's delay), and no request
ever seals in its own thread. The seal itself is the ``seal_trail`` task
(:mod:`jiedao.audit.tasks`): in the sealer thread under the default immediate backend, on a
worker under a queue backend. With ``AUDIT_SEAL_DELAY = 0`` every commit asks at once, in its own
thread. ``jiedao audit seal`` seals by hand (or from cron, as a safety net for a process that died
with announcements pending).

The announced ids also witness the entries: an announced entry that is gone when the sealer
looks was removed before it was sealed, and the sealer records that in the trail itself (an
``audit.entry.missing`` entry, sealed at once), where ``jiedao audit verify`` reports it.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from .chain import content_of, entry_digest, lock_head, move_head
from .models import AuditEntry

logger = logging.getLogger(__name__)
SEAL_BATCH = 1000
MISSING_ACTION = "audit.entry.missing"
ENTRY_TABLE = AuditEntry._meta.db_table


@dataclass(frozen=True)
class SealReport:
    sealed: int  # entries sealed by this call
    entry_count: int  # sealed entries in all, after it
    head_hash: str
    missing: tuple[int, ...] = ()  # announced entries that were gone


def audit_seal(*, announced: Sequence[int] = ()) -> SealReport:
    """Seal every committed entry not sealed yet, oldest id first, continuing the chain from the
    head; record each ``announced`` entry id that no longer exists. Sealers take turns on the
    head row; writers never wait for it."""
    with transaction.atomic():
        head_hash, count = lock_head()
        missing = _missing(announced)
        if missing:
            from .services import audit_record  # the writer imports this module

            for entry_id in missing:
                audit_record(
                    actor="system",
                    action=MISSING_ACTION,
                    target_type=AuditEntry._meta.label_lower,
                    target_id=str(entry_id),
                    target_repr=f"#{entry_id}",
                    after={"entry_id": entry_id},
                )
        sealed = 0
        while True:
            rows = list(
                AuditEntry.objects.filter(seal_number__isnull=True).order_by("id")[:SEAL_BATCH]
            )
            seals = []
            for entry in rows:
                count += 1
                digest = entry_digest(previous_hash=head_hash, **content_of(entry))
                seals.append((entry.pk, count, head_hash, digest))
                head_hash = digest
            _write_seals(seals)
            sealed += len(seals)
            if len(rows) < SEAL_BATCH:
                break
        if sealed:
            move_head(head_hash, count)
    return SealReport(sealed, count, head_hash, missing)


def _missing(announced: Sequence[int]) -> tuple[int, ...]:
    if not announced:
        return ()
    wanted = set(announced)
    present = set(AuditEntry.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    return tuple(sorted(wanted - present))


def _write_seals(seals: list[tuple[int, int, str, str]]) -> None:
    """One statement for the batch on PostgreSQL (UPDATE … FROM VALUES); one per entry on
    SQLite, whose single writer makes that cheap. The trigger lets exactly this through: the
    seal columns of an entry not sealed yet, nothing else."""
    if not seals:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(seals))
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} AS entry SET seal_number = seal.number, "  # noqa: S608
                "previous_hash = seal.previous_hash, entry_hash = seal.entry_hash "
                f"FROM (VALUES {values}) AS seal (id, number, previous_hash, entry_hash) "
                "WHERE entry.id = seal.id AND entry.seal_number IS NULL",
                [value for seal in seals for value in seal],
            )
        else:
            cursor.executemany(
                f"UPDATE {ENTRY_TABLE} SET seal_number = %s, previous_hash = %s, "  # noqa: S608
                "entry_hash = %s WHERE id = %s AND seal_number IS NULL",
                [(number, previous, digest, pk) for pk, number, previous, digest in seals],
            )


# --- announcing committed entries ---------------------------------------------------------------
# Process-local and held for microseconds: the entries committed since the last request for a
# seal, and the process's sealer thread that makes the requests.
_lock = threading.Condition()
_pending: list[int] = []
_sealer: threading.Thread | None = None
_sealer_pid = 0


def announce_on_commit(entry_id: int) -> None:
    # One callback per entry, not per transaction: Django drops exactly the callbacks of a
    # savepoint that is rolled back, so an entry that was never committed is never announced
    # (and never reported missing).
    transaction.on_commit(partial(_announced, entry_id))


def _announced(entry_id: int) -> None:
    if float(settings.AUDIT_SEAL_DELAY) <= 0:
        _request_seal([entry_id])
        return
    with _lock:
        _pending.append(entry_id)
        _ensure_sealer()
        _lock.notify()


@atexit.register
def _flush_at_exit() -> None:
    # A worker stopping (a deploy, a restart) hands on what it announced instead of leaving it
    # to the next seal.
    if _pending:
        flush_announcements()


def _ensure_sealer() -> None:
    """Start this process's sealer thread unless it runs (a forked worker starts its own)."""
    global _sealer, _sealer_pid
    if _sealer is not None and _sealer_pid == os.getpid() and _sealer.is_alive():
        return
    _sealer = threading.Thread(target=_seal_forever, name="audit-sealer", daemon=True)
    _sealer_pid = os.getpid()
    _sealer.start()


def _seal_forever() -> None:
    """Wait for announcements; then, ``AUDIT_SEAL_DELAY`` later (gathering what commits
    meanwhile into the same batch), ask for one seal. Requests never seal in their own thread."""
    while True:
        with _lock:
            while not _pending:
                _lock.wait()
        time.sleep(float(settings.AUDIT_SEAL_DELAY))
        flush_announcements()


def flush_announcements() -> None:
    """Ask for a seal of everything announced so far in this process (the sealer thread does
    this every ``AUDIT_SEAL_DELAY`` while entries come in)."""
    with _lock:
        ids = list(_pending)
        _pending.clear()
    try:
        _request_seal(ids)
    except Exception:
        # The entries stay unsealed and checked by their own hash until the next seal (the
        # next announcement's, or `jiedao audit seal`): the thread must live on.
        logger.exception("Sealing the audit trail failed")
    finally:
        if threading.current_thread() is _sealer:
            if _pending:
                # More to seal: reuse the connection like a request would (CONN_MAX_AGE), and
                # drop a broken one.
                close_old_connections()
            else:
                # Idle: hold no connection, which would keep the database from being dropped
                # or renamed (a benchmark's, a test's) and count against max_connections.
                connection.close()


def _request_seal(ids: list[int]) -> None:
    from .tasks import seal_trail  # the tasks import the services, which import this module

    if ids:
        seal_trail.enqueue(announced=ids)


def pending_announcements() -> list[int]:
    """This process's announced entries not yet handed to a seal."""
    with _lock:
        return list(_pending)
