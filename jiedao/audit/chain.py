"""The hash chain's arithmetic and its head row, shared by the writer, the sealer and the checks."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from .models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
# The content fields, in the order they are hashed.
CONTENT_FIELDS = (
    "created_at",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "ip_address",
)


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


def content_digest(**fields: Any) -> str:
    """The hash an entry is written with: its content alone, chained to nothing (the sealer
    chains it later), so that writing it needs nothing another writer holds."""
    return entry_digest(previous_hash="", **fields)


def content_of(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


# The head in two plain statements. Only the sealer runs them: its row lock makes sealers take
# turns, and no writer ever waits for it.
HEAD_TABLE = AuditChainHead._meta.db_table


def lock_head() -> tuple[str, int]:
    """Lock the head row (creating it for the first seal); the newest sealed entry's hash and
    the number of sealed entries."""
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


def move_head(last_hash: str, entry_count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HEAD_TABLE} SET last_hash = %s, entry_count = %s WHERE id = 1",  # noqa: S608
            [last_hash, entry_count],
        )
