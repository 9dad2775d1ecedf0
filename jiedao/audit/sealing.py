"""Sealing: giving committed entries their places in the hash chain, in order, in batches.

Writers append entries without touching anything another writer holds (see
:func:`jiedao.audit.services.audit_record`). Each entry is announced when its transaction
commits; the announcement asks for a seal at once, or, when this process asked less than
``AUDIT_SEAL_DELAY`` seconds ago, once that interval is over (a timer), so an entry waits at
most about that long plus the queue's own delay. The seal itself is the ``seal_trail`` task
(:mod:`jiedao.audit.tasks`): in this process under the default immediate backend, on a worker
under a queue backend. ``jiedao audit seal`` seals by hand (or from cron, as a safety net for a
process that died with announcements pending).

The announced ids also witness the entries: an announced entry that is gone when the sealer
looks was removed before it was sealed, and the sealer records that in the trail itself (an
``audit.entry.missing`` entry, sealed at once), where ``jiedao audit verify`` reports it.
"""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

from .chain import content_of, entry_digest, lock_head, move_head
from .models import AuditEntry

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
# Process-local and held for microseconds: the list of entries committed since the last request
# for a seal, when that request was made, and whether a timer is due to make the next one.
_lock = threading.Lock()
_pending: list[int] = []
_requested_at = float("-inf")
_timer: threading.Timer | None = None


def announce_on_commit(entry_id: int) -> None:
    transaction.on_commit(partial(_announced, entry_id))


def _announced(entry_id: int) -> None:
    global _timer
    delay = float(settings.AUDIT_SEAL_DELAY)
    with _lock:
        _pending.append(entry_id)
        now = time.monotonic()
        wait = _requested_at + delay - now
        if wait > 0:
            # A seal was asked for moments ago; one more, for what came since, once the
            # interval is over (unless a timer is already due to ask).
            if _timer is None:
                _timer = threading.Timer(wait, _flush_from_timer)
                _timer.daemon = True
                _timer.start()
            return
        ids = _take_pending(now)
    _request_seal(ids)


def _take_pending(now: float) -> list[int]:
    global _requested_at
    _requested_at = now
    ids = list(_pending)
    _pending.clear()
    return ids


def _flush_from_timer() -> None:
    global _timer
    with _lock:
        _timer = None
        ids = _take_pending(time.monotonic())
    try:
        _request_seal(ids)
    finally:
        # The timer's thread has its own connections: close them rather than leak them.
        for each in connections.all(initialized_only=True):
            if not each.in_atomic_block:
                each.close()


def _request_seal(ids: list[int]) -> None:
    from .tasks import seal_trail  # the tasks import the services, which import this module

    if ids:
        seal_trail.enqueue(announced=ids)


def pending_announcements() -> dict[str, Any]:
    """This process's announcements not yet handed to a seal (for ``jiedao doctor`` and tests)."""
    with _lock:
        return {"entries": list(_pending), "timer": _timer is not None}
