"""Writing and checking the audit trail."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .anchors import Anchor, AnchorFileError, append_anchor, read_anchors
from .context import client_ip
from .models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


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


def entry_digest(
    *,
    previous_hash: str,
    created_at: datetime,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    before: Any,
    after: Any,
    ip_address: str | None,
) -> str:
    content = json.dumps(
        [
            previous_hash,
            created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_label,
            action,
            target_type,
            target_id,
            target_repr,
            before,
            after,
            ip_address,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


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
    """Append one entry. Call it from the service that makes the change, in its transaction."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    previous_hash, entry_count = _lock_head()
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
    digest = entry_digest(previous_hash=previous_hash, **fields)
    entry = AuditEntry.objects.create(
        actor=user, previous_hash=previous_hash, entry_hash=digest, **fields
    )
    _move_head(digest, entry_count + 1)
    return entry


# The chain head in two plain statements: every write of every service runs them, inside its
# transaction, and the row lock they hold until commit is what keeps the chain from forking.
HEAD_TABLE = AuditChainHead._meta.db_table


def _lock_head() -> tuple[str, int]:
    """Lock the head row (creating it for the first entry); its hash and entry count."""
    # SQLite has no row locks: its IMMEDIATE transactions already let one writer in at a time.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_hash, entry_count FROM {HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        return head.last_hash, head.entry_count
    return str(row[0]), int(row[1])


def _move_head(last_hash: str, entry_count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HEAD_TABLE} SET last_hash = %s, entry_count = %s WHERE id = 1",  # noqa: S608
            [last_hash, entry_count],
        )


class ChainHeadMismatch(Exception):
    """The chain head does not name the newest entry: the trail is already broken."""


def audit_anchor(*, now: datetime | None = None) -> Anchor:
    """Append a signed checkpoint of the trail's head (newest entry's id and hash, the number of
    entries) to ``AUDIT_ANCHOR_FILE``; see :mod:`jiedao.audit.anchors`."""
    with transaction.atomic():
        # The head's lock waits for the writers in flight, so the newest entry is the head.
        head_hash, entry_count = _lock_head()
        newest = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    entry_id, entry_hash = newest or (0, GENESIS_HASH)
    if entry_hash != head_hash:
        raise ChainHeadMismatch(
            f"The chain head ({head_hash[:12]}…) is not the newest entry #{entry_id}: run "
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
    entry_count: int
    head_hash: str
    broken_entry_id: int | None = None
    problem: str = ""
    anchors: tuple[Anchor, ...] = ()

    @property
    def is_intact(self) -> bool:
        return self.broken_entry_id is None and not self.problem


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def audit_verify() -> ChainReport:
    """Recompute every hash in order and compare the trail with every anchor; report the first
    entry or anchor that does not match."""
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
    for entry in _entries():
        count += 1
        if entry.previous_hash != previous:
            return ChainReport(
                count, previous, entry.id, "previous hash does not match the entry before it"
            )
        digest = entry_digest(
            previous_hash=entry.previous_hash,
            created_at=entry.created_at,
            actor_label=entry.actor_label,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            target_repr=entry.target_repr,
            before=entry.before,
            after=entry.after,
            ip_address=entry.ip_address,
        )
        if digest != entry.entry_hash:
            return ChainReport(count, previous, entry.id, "content does not match its hash")
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
        previous = entry.entry_hash
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
        return ChainReport(
            count,
            previous,
            None,
            f"the chain head records {head.entry_count} entries ending in "
            f"{head.last_hash[:12]}…: entries at the end are missing",
        )
    return ChainReport(count, previous, anchors=anchors)
