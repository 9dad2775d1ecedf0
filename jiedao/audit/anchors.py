"""Signed checkpoints of the audit trail's head, kept outside the database.

The hash chain shows that entries were changed or removed — unless whoever changed them also
recomputed every hash after them and the chain head, which the owner of the tables can do
(``DISABLE TRIGGER`` or ``session_replication_role = replica``, then ``UPDATE``), or emptied both
tables. An anchor records, at one moment, the newest entry's id and hash and the number of entries,
signed with HMAC-SHA256 under ``AUDIT_ANCHOR_KEY``, a key the database never sees, and is appended
as one JSON line to ``AUDIT_ANCHOR_FILE``. A rewritten chain no longer has the anchored hash at
the anchored id; an emptied or shortened trail lacks the anchored entries; and nobody without the
key can write a matching anchor for the new chain. Each anchor also signs the previous anchor's
signature, so a line removed from the middle of the file shows too.
"""

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings

SIGNED_FIELDS = ("anchored_at", "entry_id", "entry_hash", "entry_count", "previous_mac")


@dataclass(frozen=True)
class Anchor:
    line: int
    anchored_at: str
    entry_id: int
    entry_hash: str
    entry_count: int
    previous_mac: str
    mac: str

    def describe(self) -> str:
        return (
            f"anchor {self.line} of {self.anchored_at} ({self.entry_count} entries up to "
            f"#{self.entry_id})"
        )


class AnchorFileError(Exception):
    """An anchor line that was not signed with the key: forged, edited or removed lines."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"anchor {line} in {anchor_file()}: {problem}")
        self.line = line


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _signature(fields: dict[str, Any]) -> str:
    content = json.dumps(
        {name: fields[name] for name in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")
    )
    key = str(settings.AUDIT_ANCHOR_KEY).encode()
    return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()


def read_anchors() -> list[Anchor]:
    """Every anchor in the file, oldest first, each checked against the key and the one before.

    Raises :class:`AnchorFileError` at the first line that does not check out."""
    path = anchor_file()
    if not path.exists():
        return []
    anchors: list[Anchor] = []
    previous_mac = ""
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            anchor = _parse(number, text)
            if not hmac.compare_digest(anchor.mac, _signature(anchor.__dict__)):
                raise AnchorFileError(
                    number, "its signature does not match (forged or edited, or a different key)"
                )
            if anchor.previous_mac != previous_mac:
                raise AnchorFileError(
                    number, "it does not follow the anchor before it (an anchor was removed)"
                )
            anchors.append(anchor)
            previous_mac = anchor.mac
    return anchors


def _parse(number: int, text: str) -> Anchor:
    try:
        data = json.loads(text)
        return Anchor(
            line=number,
            anchored_at=str(data["anchored_at"]),
            entry_id=int(data["entry_id"]),
            entry_hash=str(data["entry_hash"]),
            entry_count=int(data["entry_count"]),
            previous_mac=str(data["previous_mac"]),
            mac=str(data["mac"]),
        )
    except (ValueError, KeyError, TypeError):
        raise AnchorFileError(number, "it is not an anchor (damaged line)") from None


@contextmanager
def _locked_for_append() -> Iterator[IO[str]]:
    # Two anchoring runs at once (cron and a worker) must not interleave their lines or both
    # sign the same previous anchor.
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_anchor(*, entry_id: int, entry_hash: str, entry_count: int, at: datetime) -> Anchor:
    """Sign the head described and append it to the file; the new anchor."""
    with _locked_for_append() as handle:
        handle.seek(0)
        previous_mac, line = "", 1
        for line, text in enumerate(handle, start=2):
            if text.strip():
                previous_mac = _parse(line - 1, text).mac
        fields: dict[str, Any] = {
            "anchored_at": at.isoformat(timespec="microseconds"),
            "entry_id": entry_id,
            "entry_hash": entry_hash,
            "entry_count": entry_count,
            "previous_mac": previous_mac,
        }
        fields["mac"] = _signature(fields)
        handle.seek(0, os.SEEK_END)
        handle.write(json.dumps(fields, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Anchor(line=line, **fields)
