"""Writing and checking the audit trail."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from jiedao.core.inserts import insert_many, insert_new

from .anchors import Anchor, AnchorFileError, append_anchor, read_anchors
from .chain import GENESIS_HASH, content_digest, content_of, entry_digest, lock_head
from .context import client_ip
from .models import AuditChainHead, AuditEntry
from .sealing import MISSING_ACTION, announce_on_commit, audit_seal

__all__ = [
    "GENESIS_HASH",
    "ChainReport",
    "audit_anchor",
    "audit_batch",
    "audit_record",
    "audit_seal",
    "audit_verify",
    "content_digest",
    "entry_digest",
    "normalise",
    "snapshot",
]


def snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The field values of ``instance`` as JSON-safe data, for ``before`` and ``after``."""
    data = model_to_dict(instance, exclude=["password", *exclude])
    data["id"] = instance.pk
    return normalise(data)


def normalise(data: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database gives back."""
    if data is None:
        return None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


# No savepoint of its own: the entry belongs to the caller's transaction and fails with it. (A
# savepoint per entry was two more statements on every write: a tenth of the demo's load time.)
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    target_repr: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry. Call it from the service that makes the change, in its transaction.

    The entry carries the hash of its own content and takes no lock another writer could hold
    (there is no shared chain head to update): the sealer chains it once its transaction has
    committed (:mod:`jiedao.audit.sealing`)."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    # SYSTEM and anonymous actors are recorded by label only.
    user = actor if isinstance(actor, get_user_model()) else None
    fields = {
        "created_at": timezone.now(),
        "actor_label": user.get_username() if user else str(actor or "anonymous"),
        "action": action,
        "target_type": target_type or "",
        "target_id": target_id or "",
        "target_repr": target_repr or "",
        "before": normalise(before),
        "after": normalise(after),
        "ip_address": client_ip.get(),
    }
    entry = AuditEntry(actor=user, content_hash=content_digest(**fields), **fields)
    batch = _batch.get()
    if batch is not None and batch.depth == _savepoints():
        batch.entries.append(entry)
        return entry
    insert_new(entry)
    announce_on_commit(entry.pk)
    return entry


@dataclass
class _Batch:
    depth: int  # the savepoints open when the batch began
    entries: list[AuditEntry]


_batch: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


def _savepoints() -> int:
    # An atomic block without a savepoint of its own is listed as None.
    return sum(1 for savepoint in connection.savepoint_ids if savepoint is not None)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Write the entries recorded inside the block in one INSERT when it ends, instead of one
    statement each: for a service that writes several rows, each with its entry (an Open311
    request writes three). Inside a transaction only, and only the entries recorded at the
    transaction level where the block began: an entry recorded inside a savepoint is written at
    once, so that it goes if that savepoint is rolled back. Nothing is written when the block
    raises (its transaction is rolled back). An entry has its id once the block has ended."""
    if not connection.in_atomic_block or _batch.get() is not None:
        yield
        return
    batch = _Batch(depth=_savepoints(), entries=[])
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    insert_many(batch.entries)
    for entry in batch.entries:
        announce_on_commit(entry.pk)


class ChainHeadMismatch(Exception):
    """The chain head does not name the newest sealed entry: the trail is already broken."""


def audit_anchor(*, now: datetime | None = None) -> Anchor:
    """Seal what has committed, then append a signed checkpoint of the chain's head (the newest
    sealed entry's id and hash, the number of sealed entries) to ``AUDIT_ANCHOR_FILE``; see
    :mod:`jiedao.audit.anchors`."""
    audit_seal()
    with transaction.atomic():
        # The head's lock waits for a sealer in flight, so the head is the newest sealed entry.
        head_hash, entry_count = lock_head()
        newest = (
            AuditEntry.objects.filter(seal_number__isnull=False)
            .order_by("-seal_number")
            .values_list("id", "entry_hash", "seal_number")
            .first()
        )
    entry_id, entry_hash, seal_number = newest or (0, GENESIS_HASH, 0)
    if entry_hash != head_hash or seal_number != entry_count:
        raise ChainHeadMismatch(
            f"The chain head ({head_hash[:12]}…) is not the newest sealed entry #{entry_id}: run "
            "`jiedao audit verify` before anchoring."
        )
    return append_anchor(
        entry_id=entry_id,
        entry_hash=entry_hash,
        entry_count=entry_count,
        at=now or timezone.now(),
    )


@dataclass(frozen=True)
class ChainReport:
    entry_count: int  # sealed entries checked in chain order (all of them when intact)
    head_hash: str
    broken_entry_id: int | None = None
    problem: str = ""
    anchors: tuple[Anchor, ...] = ()
    sealed_up_to: int | None = None  # the newest sealed entry's id
    sealed_until: datetime | None = None  # and its time
    unsealed_count: int = 0  # committed entries still waiting for the sealer
    oldest_unsealed_at: datetime | None = None

    @property
    def is_intact(self) -> bool:
        return self.broken_entry_id is None and not self.problem


def _sealed_entries() -> Iterator[AuditEntry]:
    return (
        AuditEntry.objects.filter(seal_number__isnull=False)
        .order_by("seal_number")
        .iterator(chunk_size=2000)
    )


def _unsealed_entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(seal_number__isnull=True).order_by("id").iterator(2000)


def audit_verify() -> ChainReport:
    """Recompute every hash: the sealed entries in chain order against the entry before them,
    the head and every anchor; the entries not sealed yet against their own content hash. Report
    the first entry or anchor that does not match, and up to where the trail is sealed."""
    try:
        anchors = tuple(read_anchors())
        file_problem = ""
    except AnchorFileError as error:
        anchors, file_problem = (), str(error)
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.entry_id, []).append(anchor)
    previous = GENESIS_HASH
    count = 0
    newest: AuditEntry | None = None
    removed: AuditEntry | None = None  # the first removal the sealer found and recorded
    for entry in _sealed_entries():
        count += 1
        if entry.previous_hash != previous:
            return ChainReport(
                count, previous, entry.id, "previous hash does not match the entry before it"
            )
        content = content_of(entry)
        if (
            content_digest(**content) != entry.content_hash
            or entry_digest(previous_hash=previous, **content) != entry.entry_hash
        ):
            return ChainReport(count, previous, entry.id, "content does not match its hash")
        if entry.seal_number != count:
            return ChainReport(
                count, previous, entry.id, f"is sealed as number {entry.seal_number}, not {count}"
            )
        for anchor in anchored.pop(entry.id, []):
            if anchor.entry_hash != entry.entry_hash:
                problem = f"does not match {anchor.describe()}: the trail was rewritten"
                return ChainReport(count, previous, entry.id, problem)
            if anchor.entry_count != count:
                problem = (
                    f"is entry number {count}, not as in {anchor.describe()}: entries before it "
                    "were removed or added"
                )
                return ChainReport(count, previous, entry.id, problem)
        if entry.action == MISSING_ACTION and removed is None:
            removed = entry
        previous = entry.entry_hash
        newest = entry
    if file_problem:
        return ChainReport(count, previous, None, file_problem)
    missing = [anchor for anchor in anchors if anchor.entry_id in anchored and anchor.entry_id]
    if missing:
        return ChainReport(
            count,
            previous,
            None,
            f"{missing[0].describe()}, but the trail has {count} entries: anchored entries were "
            "removed (the table was emptied or cut short)",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.entry_count != count):
        change = "are missing" if count <= head.entry_count else "were added behind the sealer"
        return ChainReport(
            count,
            previous,
            None,
            f"the chain head records {head.entry_count} entries ending in "
            f"{head.last_hash[:12]}…: entries at the end {change}",
        )
    if removed is not None:
        return ChainReport(
            count,
            previous,
            int(removed.target_id),
            f"was committed but removed before it was sealed (the sealer found it missing at "
            f"{removed.created_at.isoformat(timespec='seconds')}, entry #{removed.id})",
        )
    unsealed = 0
    oldest: datetime | None = None
    for entry in _unsealed_entries():
        if entry.previous_hash or entry.entry_hash:
            return ChainReport(count, previous, entry.id, "is not sealed but carries chain hashes")
        if content_digest(**content_of(entry)) != entry.content_hash:
            return ChainReport(count, previous, entry.id, "content does not match its hash")
        unsealed += 1
        oldest = entry.created_at if oldest is None else min(oldest, entry.created_at)
    return ChainReport(
        count,
        previous,
        anchors=anchors,
        sealed_up_to=newest.id if newest else None,
        sealed_until=newest.created_at if newest else None,
        unsealed_count=unsealed,
        oldest_unsealed_at=oldest,
    )
